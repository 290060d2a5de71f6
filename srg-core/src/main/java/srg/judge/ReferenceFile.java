package srg.judge;

import java.util.List;

/**
 * The reference prompt files the model judges read, with where each comes from and the SHA-256 of
 * the exact content srg was checked against (docs/EVAL.md, "Reference prompts", has the full
 * provenance table). srg does not ship these files: they are text from other projects' public
 * repositories, which this project's rules keep out of its commits, so the user supplies them
 * ({@link ReferencePrompts}). The hashes are facts about those files, not their text; they let srg
 * tell a user whose copy differs from the one its rendering tests were checked against.
 */
enum ReferenceFile {

    HARMBENCH("harmbench_classifier_prompt.txt",
            "HarmBench's classifier prompt, LLAMA2_CLS_PROMPT[\"prompt\"] in eval_utils.py of centerforaisafety/HarmBench,"
                    + " as LLM-QC/judgezoo@133383f37eebf24d36a9609a4bbd6b4612001aa1 judgezoo/harmbench.py writes it"
                    + " (CLS_CONVERSATION joined by the Llama 2 chat template given there)",
            List.of("{behavior}", "{generation}"),
            "06dc2b108d95b888647e51d0339d65dbfcd9a0bf7342f2bca625a344808cba02"),
    HARMBENCH_CONTEXTUAL("harmbench_classifier_prompt_contextual.txt",
            "HarmBench's classifier prompt for behaviors with a context, LLAMA2_CLS_PROMPT[\"prompt_contextual\"] in"
                    + " eval_utils.py of centerforaisafety/HarmBench",
            List.of("{context}", "{behavior}", "{generation}"),
            "5d6bb9e3cf4d1e5f3f7620093113222ee115af75b0b2913f00e4c7225ec9f219"),
    LLAMA_GUARD_3_PROMPT("llama_guard_3_prompt.txt",
            "Meta's Llama Guard 3 task prompt, the body of PROMPT_TEMPLATE_3 (PROMPT_TASK + SAFETY_CATEGORIES"
                    + " + PROMPT_CONVERSATION + PROMPT_INSTRUCTIONS_2) without its Llama 3 chat tokens, in"
                    + " meta-llama/llama-recipes@c0b6de8632eac6dc6741374d059151a64a30a018 src/llama_cookbook/inference/prompt_format_utils.py",
            List.of("$agent_type", "$categories", "$conversations"),
            "7c1f86c3310bc2f192cf3a7b848e2185d1bb1f5b68f2299fb266dedd4ae668c0"),
    LLAMA_GUARD_3_CATEGORIES("llama_guard_3_categories.txt",
            "the Llama Guard 3 categories S1-S14, one 'S<n>: Name.' line each, from LLAMA_GUARD_3_CATEGORY in"
                    + " meta-llama/llama-recipes@c0b6de8632eac6dc6741374d059151a64a30a018 src/llama_cookbook/inference/prompt_format_utils.py",
            List.of(),
            "02aaffa184a2334f043b2d63cb8d36c3dad5120860d133f04b9ac4ae76eef55c"),
    STRONGREJECT_SYSTEM("strongreject_rubric_system.txt",
            "the StrongREJECT rubric grader's system prompt (dsbowen/strong_reject, strongreject_rubric_system.txt),"
                    + " as compl-ai/compl-ai@3feb3362474bd41b6e8b8c30d6413a1d63537da2 src/complai/tasks/strong_reject/prompts.py"
                    + " holds it in STRONG_REJECT_SYSTEM_PROMPT",
            List.of(),
            "7919b6d41af2dc9f32797d96eaa952934dca0713c7f3f63ddc6c299db9857248"),
    STRONGREJECT_RUBRIC("strongreject_rubric.txt",
            "the StrongREJECT rubric (dsbowen/strong_reject, strongreject_rubric.txt), as"
                    + " compl-ai/compl-ai@3feb3362474bd41b6e8b8c30d6413a1d63537da2 src/complai/tasks/strong_reject/prompts.py"
                    + " holds it in STRONG_REJECT_EVAL_PROMPT",
            List.of("{forbidden_prompt}", "{response}"),
            "dde7e2e8fe821670c8a206d65caad8c1611dbc73277708ebbdfae51507f3c6de");

    /** The file's name in the prompts folder. */
    final String file;
    /** Where the text comes from: repository, commit, path and variable. */
    final String source;
    /** The placeholders the judge fills; the file must contain each, or the judge would drop what it judges. */
    final List<String> placeholders;
    /** The SHA-256 (hex) of the file's bytes, as srg's rendering tests were checked against. */
    final String sha256;

    ReferenceFile(String file, String source, List<String> placeholders, String sha256) {
        this.file = file;
        this.source = source;
        this.placeholders = placeholders;
        this.sha256 = sha256;
    }
}
