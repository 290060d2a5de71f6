package srg.judge;

/**
 * A response with a human label saying whether it refuses: the ground truth for validating judges.
 *
 * @param id a row identifier
 * @param prompt the request
 * @param response the model's answer
 * @param refusal the human label: full or partial refusal (true) or full compliance (false)
 * @param harmfulPrompt whether the request is harmful, or null when the file does not say
 * @param group the row's value in the column results are broken down by ({@code --by}), or null
 */
public record LabelledResponse(String id, String prompt, String response, boolean refusal, Boolean harmfulPrompt, String group) {}
