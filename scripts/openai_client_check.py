"""The official openai client against srg serve: a non-streaming and a streaming call, and errors.

Run by check-openai-client.sh; arguments: BASE_URL MODEL.
"""
import sys

import openai

base_url, model = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base_url, api_key="not-needed")
messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Name a colour."}]

assert model in [m.id for m in client.models.list()], "GET /v1/models lists the model"

whole = client.chat.completions.create(model=model, messages=messages, n=2, seed=7, temperature=1.0,
                                       max_tokens=12, logprobs=True, top_logprobs=2)
assert len(whole.choices) == 2
for choice in whole.choices:
    assert isinstance(choice.message.content, str) and choice.message.content, choice
    assert choice.finish_reason in ("stop", "length"), choice.finish_reason
    assert len(choice.logprobs.content) > 0 and len(choice.logprobs.content[0].top_logprobs) == 2
assert whole.usage.completion_tokens >= sum(len(c.logprobs.content) for c in whole.choices), whole.usage

texts = ["", ""]
finish = [None, None]
usage = None
for chunk in client.chat.completions.create(model=model, messages=messages, n=2, seed=7, temperature=1.0,
                                            max_tokens=12, stream=True, stream_options={"include_usage": True}):
    for choice in chunk.choices:
        texts[choice.index] += choice.delta.content or ""
        finish[choice.index] = choice.finish_reason or finish[choice.index]
    usage = chunk.usage or usage
assert texts == [c.message.content for c in whole.choices], (texts, [c.message.content for c in whole.choices])
assert finish == [c.finish_reason for c in whole.choices], finish
assert usage is not None and usage.completion_tokens == whole.usage.completion_tokens, usage

try:
    client.chat.completions.create(model="no-such-model", messages=messages, max_tokens=4)
    raise AssertionError("an unknown model must be refused")
except openai.NotFoundError:
    pass
try:
    client.chat.completions.create(model=model, messages=messages, max_tokens=4, temperature=-1)
    raise AssertionError("a negative temperature must be refused")
except openai.BadRequestError as e:
    assert e.body["param"] == "temperature", e.body

print(f"openai {openai.__version__} against {base_url}: non-streaming, streaming and errors OK")
