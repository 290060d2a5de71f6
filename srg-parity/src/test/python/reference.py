"""What transformers and PEFT compute, for srg's parity suite (srg-parity, run by `mvn -B verify`).

Two phases, both called by srg.parity.Reference:

  reference.py make WORK SHARED
      Builds checkpoints with transformers itself (random weights, tiny shapes) and writes what
      transformers and PEFT compute on them: logits over a 64-token prompt (prefill, and decode
      token by token through the KV cache), every layer's hidden state, greedy generations, a PEFT
      LoRA adapter with non-zero B and its logits, the SFT loss of a batch with prompt labels
      -100 and one AdamW step's update, chat template renderings and token ids. WORK/manifest.json
      lists it all.

  reference.py load WORK
      Loads in transformers and PEFT the checkpoints and adapters srg wrote (listed in
      WORK/load/requests.json) and writes their logits.

Nothing here compares or decides: srg's side reads these files, computes the same things and
checks them. Every number is drawn from fixed seeds, so two runs write the same files.
"""

import json
import os
import shutil
import sys
import time

import peft
import safetensors.torch
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

SEQ = 64  # prompt length of the logits checks
DECODE_FROM = 32  # the decode check prefills this many tokens, then feeds the rest one by one
ARCH_VOCAB = 512  # the architecture checks draw token ids from a small vocabulary
GREEDY_TOKENS = 24
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

LLAMA3_SMALL = {"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                "original_max_position_embeddings": 16}
LLAMA3_REAL = {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
               "original_max_position_embeddings": 8192}
LINEAR = {"rope_type": "linear", "factor": 4.0}


def arch_cases():
    """Every family with every feature it has, each in F32, F16 and BF16 (a few sharded), in the
    config layout of transformers 5 (v5) or the older one (v4). Llama3 scaling uses a short
    original context so that it changes the frequencies the 64 positions use."""
    def case(name, family, layout, dtype, tied, theta, rope=None, shard=False, **extra):
        return dict(name=name, family=family, layout=layout, dtype=dtype, tied=tied, theta=theta, rope=rope,
                    shard=shard, extra=extra)
    return [
        case("llama-f32", "llama", "v5", "float32", False, 10000.0, LLAMA3_SMALL, attention_bias=True, mlp_bias=True),
        case("llama-bf16", "llama", "v4", "bfloat16", True, 5000.0, LINEAR, shard=True),
        case("llama-f16", "llama", "v5", "float16", False, 500000.0, head_dim=32),
        case("mistral-f32", "mistral", "v5", "float32", False, 1e6, LLAMA3_SMALL, sliding_window=16),
        case("mistral-bf16", "mistral", "v4", "bfloat16", True, 10000.0, LINEAR, shard=True, sliding_window=8),
        case("mistral-f16", "mistral", "v5", "float16", True, 10000.0, head_dim=32),
        case("qwen2-f32", "qwen2", "v4", "float32", True, 10000.0, LINEAR, use_sliding_window=True, sliding_window=16,
             max_window_layers=1),
        case("qwen2-bf16", "qwen2", "v5", "bfloat16", False, 1e6, LLAMA3_SMALL, shard=True, use_sliding_window=True,
             sliding_window=12, layer_types=["sliding_attention", "full_attention"]),
        case("qwen2-f16", "qwen2", "v5", "float16", False, 10000.0),
        case("qwen3-f32", "qwen3", "v5", "float32", True, 10000.0, LLAMA3_SMALL, head_dim=32, attention_bias=True,
             use_sliding_window=True, sliding_window=16, layer_types=["full_attention", "sliding_attention"]),
        case("qwen3-bf16", "qwen3", "v4", "bfloat16", False, 1e6, LINEAR, shard=True, head_dim=16,
             use_sliding_window=True, sliding_window=8, max_window_layers=1),
        case("qwen3-f16", "qwen3", "v5", "float16", True, 10000.0, head_dim=16),
    ]


def chat_cases():
    """One model per family with a real tokenizer, saved by transformers 5 (rope_parameters); hidden
    size 32 keeps their full-vocabulary embeddings small."""
    return [
        dict(name="llama-chat", family="llama", tokenizer="llama3", tied=True, theta=500000.0, rope=LLAMA3_REAL,
             extra={}, lora=dict(r=4, lora_alpha=8, target_modules=PROJECTIONS)),
        dict(name="mistral-chat", family="mistral", tokenizer="llama3", tied=False, theta=1e6, rope=None,
             extra={"sliding_window": 16},
             lora=dict(r=4, lora_alpha=16, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])),
        dict(name="qwen2-chat", family="qwen2", tokenizer="qwen3", tied=True, theta=1e6, rope=None, extra={},
             lora=dict(r=8, lora_alpha=8, use_rslora=True, target_modules=PROJECTIONS)),
        dict(name="qwen3-chat", family="qwen3", tokenizer="qwen3", tied=False, theta=1e6, rope=None,
             extra={"head_dim": 32},
             lora=dict(r=4, lora_alpha=8, target_modules=PROJECTIONS, alpha_pattern={"down_proj": 32})),
    ]


GREEDY_PROMPT = "Explain why the sky is blue in one short paragraph."

SFT_CONVERSATIONS = [
    [{"role": "user", "content": "What is the capital of France?"},
     {"role": "assistant", "content": "The capital of France is Paris."}],
    [{"role": "system", "content": "You are a careful assistant."},
     {"role": "user", "content": "How do I boil an egg?"},
     {"role": "assistant", "content": "<think>\nThe user wants cooking steps.\n</think>\n\n"
                                      "Put the egg in boiling water for nine minutes."}],
    [{"role": "user", "content": "Say hi."}, {"role": "assistant", "content": "Hi!"},
     {"role": "user", "content": "Now say bye."}, {"role": "assistant", "content": "Bye."}],
]

# One AdamW step of full fine-tuning, as srg's TrainConfig has it, with two test settings. eps 1e-4
# instead of 1e-8: AdamW moves a weight by lr·g/(|g| + eps), so with eps 1e-8 a weight whose
# gradient is near 1e-8 has its float32 rounding multiplied by lr/eps (any two correct
# implementations then differ); with 1e-4 every weight's update is a smooth function of its
# gradient, so all of them can be compared (and the update carries the gradient's size, not only
# its sign). lr 0.05: the update is read back as a difference of float32 weights, resolved only to
# ulp(w) ~ 1.2e-7 for weights near 1 (the norms); a large step keeps that below 1e-5 of it.
ADAMW = dict(lr=0.05, betas=(0.9, 0.999), eps=1e-4, weight_decay=0.1, clip=1.0)


def config_for(family, vocab, hidden, tied, theta, rope, extra):
    rope_parameters = dict(rope or {"rope_type": "default"})
    rope_parameters["rope_theta"] = theta
    kwargs = dict(vocab_size=vocab, hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-6,
                  tie_word_embeddings=tied, rope_parameters=rope_parameters, dtype="float32")
    kwargs.update(extra)
    cls = transformers.CONFIG_MAPPING[family]
    return cls(**kwargs)


def randomize(model, seed):
    """Weights with signal everywhere: q/k strong enough that attention is far from uniform (so
    rotary and window errors show), biases and norm gains away from their 0 and 1 defaults (so a
    bias or norm that is not loaded shows)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g)
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.2 * noise)
            elif name.endswith(".bias"):
                p.copy_(0.1 * noise)
            elif ".q_proj." in name or ".k_proj." in name:
                p.copy_(0.25 * noise)
            else:
                p.copy_(0.1 * noise)


def to_v4_layout(config_path):
    """Rewrites a config saved by transformers 5 in the layout of transformers 4: top-level
    rope_theta and rope_scaling, no layer_types (Qwen derives them from max_window_layers),
    torch_dtype."""
    with open(config_path) as f:
        cfg = json.load(f)
    rope = cfg.pop("rope_parameters", None) or {}
    if "rope_theta" in rope:
        cfg["rope_theta"] = rope.pop("rope_theta")
    if rope.get("rope_type", "default") != "default":
        rope["type"] = rope.pop("rope_type")  # the oldest spelling
        cfg["rope_scaling"] = rope
    cfg.pop("layer_types", None)
    if "dtype" in cfg:
        cfg["torch_dtype"] = cfg.pop("dtype")
    cfg["transformers_version"] = "4.51.0"
    with open(config_path, "w") as f:
        json.dump(cfg, f, indent=2)


def load_f32(path):
    model, info = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, output_loading_info=True)
    problems = {k: sorted(v) for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys")
                and v}
    if problems:
        raise SystemExit(f"{path}: transformers reports {problems}")
    return model.eval()


def facts(model):
    """What transformers made of the config: the numbers srg must read the same way."""
    cfg = model.config
    layers = model.model.layers
    windows = []
    for layer in layers:
        w = getattr(layer.self_attn, "sliding_window", None)
        if w is None and cfg.model_type == "mistral":
            w = cfg.sliding_window  # transformers' Mistral slides every layer
        windows.append(int(w or 0))
    attn = layers[0].self_attn
    return dict(
        head_dim=attn.head_dim,
        num_key_value_heads=cfg.num_key_value_heads,
        tied=model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr(),
        q_bias=attn.q_proj.bias is not None,
        o_bias=attn.o_proj.bias is not None,
        mlp_bias=layers[0].mlp.gate_proj.bias is not None,
        qk_norm=hasattr(attn, "q_norm"),
        windows=windows,
        rope_type=cfg.rope_parameters.get("rope_type", "default"),
        rope_theta=cfg.rope_parameters["rope_theta"],
    )


def features(case, fact, sharded):
    out = ["GQA" if fact["num_key_value_heads"] < 4 else "MHA", "tied" if fact["tied"] else "untied"]
    if fact["q_bias"]:
        out.append("qkv bias")
    if fact["qk_norm"]:
        out.append("qk norm")
    if fact["rope_type"] != "default":
        out.append(fact["rope_type"] + " rope")
    if any(0 < w < SEQ for w in fact["windows"]):
        out.append("window < seq")
    out.append({"float32": "F32", "float16": "F16", "bfloat16": "BF16"}[case["dtype"]])
    if sharded:
        out.append("sharded")
    out.append(case["layout"] + " config")
    return out


@torch.no_grad()
def prefill_decode_hidden(model, ids):
    out = model(ids, output_hidden_states=True)
    tensors = {"prefill_logits": out.logits[0], "inv_freq": model.model.rotary_emb.inv_freq.float()}
    for i, h in enumerate(out.hidden_states):
        tensors[f"hidden.{i}"] = h[0]
    step = model(ids[:, :DECODE_FROM], use_cache=True)
    past = step.past_key_values
    decoded = []
    for t in range(DECODE_FROM, ids.shape[1]):
        step = model(ids[:, t:t + 1], past_key_values=past, use_cache=True)
        past = step.past_key_values
        decoded.append(step.logits[0, -1])
    tensors["decode_logits"] = torch.stack(decoded)
    return tensors


def save(tensors, path):
    safetensors.torch.save_file({k: v.detach().float().contiguous() for k, v in tensors.items()}, path)


def make_arch_case(case, work, seed):
    folder = os.path.join(work, "cases", case["name"])
    config = config_for(case["family"], ARCH_VOCAB, 64, case["tied"], case["theta"], case["rope"], case["extra"])
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    randomize(model, seed)
    model.to(getattr(torch, case["dtype"])).save_pretrained(
        folder, max_shard_size="100KB" if case["shard"] else "5GB")
    if case["layout"] == "v4":
        to_v4_layout(os.path.join(folder, "config.json"))
    sharded = os.path.exists(os.path.join(folder, "model.safetensors.index.json"))
    if case["shard"] and not sharded:
        raise SystemExit(f"{folder}: expected a sharded checkpoint")
    model = load_f32(folder)  # what transformers reads from the files, widened exactly to F32
    ids = torch.randint(0, ARCH_VOCAB, (1, SEQ), generator=torch.Generator().manual_seed(seed + 1))
    reference = os.path.join(folder, "reference.safetensors")
    save(prefill_decode_hidden(model, ids), reference)
    fact = facts(model)
    return dict(name=case["name"], family=case["family"], dir=folder, layout=case["layout"], dtype=case["dtype"],
                ids=ids[0].tolist(), reference=reference, facts=fact, features=features(case, fact, sharded))


def template_ids(tokenizer, messages, add_generation_prompt, **extra):
    out = tokenizer.apply_chat_template(messages, add_generation_prompt=add_generation_prompt, tokenize=True, **extra)
    return list(out["input_ids"] if hasattr(out, "keys") else out)


def sft_example(tokenizer, messages, end_ids):
    """Labels as SFT trainers build them: -100 on every prompt token (everything up to the end of
    the generation prompt before each assistant turn) and after each turn's end-of-turn token."""
    ids = template_ids(tokenizer, messages, False)
    labels = [-100] * len(ids)
    for k, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        prompt = template_ids(tokenizer, messages[:k], True)
        if ids[:len(prompt)] != prompt:
            raise SystemExit(f"{tokenizer.name_or_path}: the prompt of turn {k} does not tokenize as a prefix")
        for t in range(len(prompt), len(ids)):
            labels[t] = ids[t]
            if ids[t] in end_ids:
                break
    return ids, labels


def sft_reference(model, tokenizer, end_ids, folder):
    examples = [sft_example(tokenizer, m, end_ids) for m in SFT_CONVERSATIONS]
    longest = max(len(ids) for ids, _ in examples)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    input_ids = torch.tensor([ids + [pad] * (longest - len(ids)) for ids, _ in examples])
    labels = torch.tensor([lab + [-100] * (longest - len(lab)) for _, lab in examples])
    mask = torch.tensor([[1] * len(ids) + [0] * (longest - len(ids)) for ids, _ in examples])
    for p in model.parameters():
        p.requires_grad_(True)  # PEFT froze the base weights
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": ADAMW["weight_decay"]},
                                   {"params": no_decay, "weight_decay": 0.0}],
                                  lr=ADAMW["lr"], betas=ADAMW["betas"], eps=ADAMW["eps"])
    model.train()
    loss = model(input_ids=input_ids, attention_mask=mask, labels=labels).loss
    loss.backward()
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), ADAMW["clip"])
    optimizer.step()
    model.eval()
    path = os.path.join(folder, "adamw_update.safetensors")
    save({n: p.detach() - before[n] for n, p in model.named_parameters()}, path)
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(before[n])
    return dict(examples=[dict(ids=i, labels=lab) for i, lab in examples], loss=loss.item(),
                grad_norm=grad_norm.item(), update=path, **{k: list(v) if isinstance(v, tuple) else v
                                                              for k, v in ADAMW.items()})


def make_chat_case(case, work, shared, seed):
    folder = os.path.join(work, "cases", case["name"])
    tokenizer = AutoTokenizer.from_pretrained(os.path.join(shared, "tokenizers", case["tokenizer"]))
    end_ids = [tokenizer.eos_token_id]
    for marker in ("<|eot_id|>", "<|im_end|>"):
        if marker in tokenizer.get_vocab() and tokenizer.convert_tokens_to_ids(marker) not in end_ids:
            end_ids.append(tokenizer.convert_tokens_to_ids(marker))
    extra = dict(case["extra"], eos_token_id=end_ids, bos_token_id=tokenizer.bos_token_id)
    config = config_for(case["family"], len(tokenizer), 32, case["tied"], case["theta"], case["rope"], extra)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    randomize(model, seed)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    model = load_f32(folder)
    tensors = {}

    prompt = [{"role": "user", "content": GREEDY_PROMPT}]
    prompt_ids = template_ids(tokenizer, prompt, True)
    ids = torch.tensor([prompt_ids])
    with torch.no_grad():
        out = model(ids, output_hidden_states=True)
        tensors["base_logits"] = out.logits[0]
        tensors["hidden_last"] = torch.stack([h[0, -1] for h in out.hidden_states])
        tensors["hidden_mean"] = torch.stack([h[0].mean(0) for h in out.hidden_states])
        generated = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=GREEDY_TOKENS,
                                   do_sample=False, pad_token_id=end_ids[0])[0, len(prompt_ids):].tolist()
    greedy = dict(ids=generated, text=tokenizer.decode(generated, skip_special_tokens=True))

    adapter = os.path.join(work, "adapters", case["name"] + "-peft")
    lora = peft.LoraConfig(task_type="CAUSAL_LM", lora_dropout=0.0, **case["lora"])
    peft_model = peft.get_peft_model(model, lora)
    g = torch.Generator().manual_seed(seed + 2)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:  # PEFT starts B at zero; a non-zero B makes the adapter matter
                p.copy_(0.05 * torch.randn(p.shape, generator=g))
    peft_model.save_pretrained(adapter)
    with torch.no_grad():
        tensors["peft_logits"] = peft_model(ids).logits[0]
    model = peft_model.unload()  # the base model again, without LoRA layers

    reference = os.path.join(folder, "reference.safetensors")
    save(tensors, reference)
    return dict(name=case["name"], family=case["family"], dir=folder, tokenizer=case["tokenizer"],
                prompt=GREEDY_PROMPT, prompt_ids=prompt_ids, greedy=greedy, peft_adapter=adapter,
                reference=reference, end_ids=end_ids, facts=facts(model),
                sft=sft_reference(model, tokenizer, end_ids, folder))


def chat_grid(tokenizer, name):
    """System or none, one or several turns, ending with the user or the assistant, assistant
    content with or without think tags, with and without the generation prompt."""
    out = []
    for system in (None, "You are a helpful assistant."):
        for turns in (1, 3):
            for ends_with_assistant in (False, True):
                for think in (False, True):
                    messages = [{"role": "system", "content": system}] if system else []
                    for t in range(turns):
                        messages.append({"role": "user", "content": f"Question {t + 1}: what is {t} + {t}?"})
                        if t < turns - 1 or ends_with_assistant:
                            answer = f"It is {2 * t}."
                            if think:
                                answer = f"<think>\nAdding {t} and {t}.\n</think>\n\n" + answer
                            messages.append({"role": "assistant", "content": answer})
                    for gen in (False, True):
                        variants = [{}]
                        if name == "qwen3" and gen:
                            variants.append({"enable_thinking": False})
                        for extra in variants:
                            text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=gen,
                                                                 **extra)
                            out.append(dict(tokenizer=name, messages=messages, add_generation_prompt=gen,
                                            extra=extra, text=text))
    return out


CHAT_PROMPT_EVERY = 10  # rendering every prompt with the template as well would double the check's time


def token_ids(tokenizer, prompts_file, out_file):
    """Every prompt's ids; every tenth prompt's also as a chat prompt (template + generation prompt)."""
    with open(prompts_file) as f:
        prompts = [json.loads(line) for line in f]
    raw = tokenizer([p["text"] for p in prompts], add_special_tokens=False)["input_ids"]
    with open(out_file, "w") as f:
        for i, (p, r) in enumerate(zip(prompts, raw)):
            line = dict(id=p["id"], raw=r)
            if i % CHAT_PROMPT_EVERY == 0:
                line["chat"] = template_ids(tokenizer, [{"role": "user", "content": p["text"]}], True)
            f.write(json.dumps(line) + "\n")


def make(work, shared):
    for old in ("cases", "adapters", "load", "srg"):  # the previous run's outputs, and what srg wrote
        shutil.rmtree(os.path.join(work, old), ignore_errors=True)
    manifest = dict(versions=dict(torch=torch.__version__, transformers=transformers.__version__,
                                  peft=peft.__version__, safetensors=safetensors.__version__),
                    seq=SEQ, decode_from=DECODE_FROM, greedy_tokens=GREEDY_TOKENS)
    started = time.time()
    manifest["arch_cases"] = [make_arch_case(c, work, 100 + i) for i, c in enumerate(arch_cases())]
    print(f"architecture cases: {time.time() - started:.0f} s", flush=True)
    started = time.time()
    manifest["chat_cases"] = [make_chat_case(c, work, shared, 200 + i) for i, c in enumerate(chat_cases())]
    print(f"chat cases: {time.time() - started:.0f} s", flush=True)
    started = time.time()
    sft_data = os.path.join(work, "sft.jsonl")
    with open(sft_data, "w") as f:
        for m in SFT_CONVERSATIONS:
            f.write(json.dumps({"messages": m}) + "\n")
    manifest["sft_data"] = sft_data
    grid, tokens = [], {}
    for name in ("llama3", "qwen3"):
        tokenizer = AutoTokenizer.from_pretrained(os.path.join(shared, "tokenizers", name))
        grid += chat_grid(tokenizer, name)
        tokens[name] = os.path.join(work, f"tokens-{name}.jsonl")
        token_ids(tokenizer, os.path.join(work, "inputs", "prompts.jsonl"), tokens[name])
    manifest["chat_templates"] = grid
    manifest["tokens"] = tokens
    print(f"chat templates and token ids: {time.time() - started:.0f} s", flush=True)
    with open(os.path.join(work, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def load(work):
    """Logits of srg-written checkpoints and adapters, as transformers and PEFT load them."""
    folder = os.path.join(work, "load")
    with open(os.path.join(folder, "requests.json")) as f:
        requests = json.load(f)
    for r in requests:
        if r["kind"] == "peft":
            model = peft.PeftModel.from_pretrained(load_f32(r["base"]), r["dir"]).eval()
        else:
            model = load_f32(r["dir"])
        with torch.no_grad():
            logits = model(torch.tensor([r["ids"]])).logits[0]
        save({"logits": logits}, os.path.join(folder, r["name"] + ".safetensors"))


def main():
    torch.use_deterministic_algorithms(True)
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    phase = sys.argv[1]
    if phase == "make":
        make(sys.argv[2], sys.argv[3])
    elif phase == "load":
        load(sys.argv[2])
    else:
        raise SystemExit(f"unknown phase {phase}")


if __name__ == "__main__":
    main()
