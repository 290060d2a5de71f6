package srg.attack;

import java.util.Map;
import srg.chat.Conversation;

/**
 * One attacked conversation, ready to send to a target model.
 *
 * @param behaviorId the behavior it came from
 * @param attack the attack name (composites as {@code a+b})
 * @param params the attack's parameters (seed, template name, shift, ...), for provenance
 * @param conversation the messages to send
 */
public record AttackedPrompt(String behaviorId, String attack, Map<String, Object> params, Conversation conversation) {

    public AttackedPrompt {
        params = Map.copyOf(params);
    }
}
