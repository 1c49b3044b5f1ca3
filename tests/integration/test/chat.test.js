// Chat Completions through the gateway with the OpenAI SDK: plain and streamed calls, usage hiding,
// tool calls, pass-through of every field, model addressing and the x-switchyard-* headers.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock, MOCK_USAGE, MOCK_TOOL_ARGUMENTS, MOCK_TOOL_ARGUMENT_FRAGMENTS } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, GATEWAY_KEY_CORE, PROVIDER_KEY, WEATHER_TOOL, openaiClient, collectStream } from '../lib/fixtures.js';
import { parseSse, readBodySafely, withTimeout } from '../lib/util.js';

const GROQ_KEY = 'gsk-groq-provider-key-for-tests';
const LOCAL_KEY = 'sk-local-provider-key-for-tests';
const ANY_KEY = 'sk-anyhost-provider-key-for-tests';

describe('chat completions through the gateway', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  let client;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        providers: {
          openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini', 'gpt-4o'] },
          groq: { base_url: mock.baseURL, api_key: GROQ_KEY, models: ['llama-3.3-70b-versatile'] },
          local: { kind: 'openai', base_url: mock.baseURL, api_key: LOCAL_KEY, models: ['llama-local'] },
          anyhost: { kind: 'openai', base_url: mock.baseURL, api_key: ANY_KEY },
        },
        keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
      },
    });
    client = openaiClient(gw.openaiBaseURL);
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0 on SIGTERM');
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  const user = (text) => [{ role: 'user', content: text }];

  it('answers a plain call from the provider, sending the model without its provider prefix', async () => {
    const { data } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: user('hello there') })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices.length, 1);
    assert.equal(data.choices[0].message.role, 'assistant');
    assert.equal(data.choices[0].message.content, 'mock reply: hello there');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.deepEqual(data.usage, MOCK_USAGE);

    assert.equal(mock.requests.length, 1);
    const rec = mock.requests[0];
    assert.equal(rec.method, 'POST');
    assert.equal(rec.path, '/v1/chat/completions');
    assert.equal(rec.body.model, 'gpt-4o-mini');
    assert.deepEqual(rec.body.messages, user('hello there'));
    assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEY}`);
    for (const [name, value] of Object.entries(rec.headers)) {
      assert.ok(!String(value).includes(GATEWAY_KEY_CORE), `the provider must not receive the gateway key (header ${name})`);
    }
  });

  it('sets x-switchyard-request-id (fresh per call), -provider, -model and -attempts', async () => {
    const ids = [];
    for (let i = 0; i < 2; i += 1) {
      const { response } = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: user(`call ${i}`) }).withResponse();
      const id = response.headers.get('x-switchyard-request-id');
      assert.ok(id && id.length > 0, 'x-switchyard-request-id is set');
      ids.push(id);
      assert.equal(response.headers.get('x-switchyard-provider'), 'openai');
      assert.equal(response.headers.get('x-switchyard-model'), 'gpt-4o-mini');
      assert.equal(response.headers.get('x-switchyard-attempts'), '1');
    }
    assert.notEqual(ids[0], ids[1], 'each call gets its own request id');

    const { data: stream, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o', stream: true, messages: user('streamed') })
      .withResponse();
    assert.ok(response.headers.get('x-switchyard-request-id'));
    assert.ok(!ids.includes(response.headers.get('x-switchyard-request-id')));
    assert.equal(response.headers.get('x-switchyard-provider'), 'openai');
    assert.equal(response.headers.get('x-switchyard-model'), 'gpt-4o');
    assert.equal(response.headers.get('x-switchyard-attempts'), '1');
    assert.equal((await withTimeout(collectStream(stream), 20_000, 'the stream')).content, 'mock reply: streamed');
  });

  it('passes every other request field through unchanged, unknown future fields included', async () => {
    const sent = {
      model: 'openai/gpt-4o',
      messages: [
        { role: 'developer', content: 'Answer in JSON.' },
        { role: 'user', content: [{ type: 'text', text: 'weather in Paris?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":21}' },
        { role: 'user', content: 'thanks' },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 50,
      stop: ['END', 'STOP'],
      n: 2,
      seed: 42,
      user: 'u-1',
      metadata: { team: 'a', feature: 'search' },
      frequency_penalty: 0.1,
      presence_penalty: -0.1,
      logit_bias: { 50256: -100 },
      logprobs: true,
      top_logprobs: 2,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'weather', strict: true, schema: { type: 'object', properties: { t: { type: 'number' } }, required: ['t'], additionalProperties: false } },
      },
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
      parallel_tool_calls: false,
      service_tier: 'auto',
      store: false,
      prompt_cache_key: 'pk-1',
      foo_future: { x: 1 },
      bar_future: [1, 'two', null, true, 2.5],
    };
    const data = await client.chat.completions.create(sent);
    assert.equal(data.choices.length, 2, 'n: 2 reaches the provider and both choices come back');
    assert.equal(data.choices[1].message.content, 'mock reply: thanks');

    const received = mock.requests[0].body;
    assert.deepEqual(received, { ...sent, model: 'gpt-4o' });
  });

  it('streams without a usage chunk when the client did not ask for one, while asking upstream for usage', async () => {
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', stream: true, messages: user('stream me') });
    const got = await withTimeout(collectStream(stream), 20_000, 'the stream');
    assert.equal(got.content, 'mock reply: stream me');
    assert.equal(got.finishReason, 'stop');
    assert.equal(got.usageChunks.length, 0, 'no chunk with choices: [] reaches the client');
    for (const chunk of got.chunks) assert.ok(!chunk.usage, 'no chunk carries usage');

    const rec = mock.requests[0];
    assert.equal(rec.body.stream, true);
    assert.equal(rec.body.model, 'gpt-4o-mini');
    assert.equal(rec.body.stream_options?.include_usage, true, 'the gateway asks upstream for usage');
  });

  it('streams the usage chunk (choices: []) last when the client asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: user('with usage'),
    });
    const got = await withTimeout(collectStream(stream), 20_000, 'the stream');
    assert.equal(got.content, 'mock reply: with usage');
    assert.equal(got.usageChunks.length, 1);
    assert.equal(got.chunks[got.chunks.length - 1], got.usageChunks[0], 'the usage chunk comes last');
    assert.deepEqual(got.usageChunks[0].usage, MOCK_USAGE);
  });

  it('keeps the client\'s other stream_options and still hides usage when include_usage is false', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false },
      messages: user('no usage please'),
      foo_future: { x: 1 },
    });
    const got = await withTimeout(collectStream(stream), 20_000, 'the stream');
    assert.equal(got.content, 'mock reply: no usage please');
    assert.equal(got.usageChunks.length, 0);
    assert.deepEqual(mock.requests[0].body, {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
      messages: user('no usage please'),
      foo_future: { x: 1 },
    });
  });

  it('frames the stream as OpenAI does: data lines, the cost comment, then data: [DONE]', async () => {
    const res = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: user('raw') }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    const { text, error } = await withTimeout(readBodySafely(res), 20_000, 'the raw stream');
    assert.equal(error, null);
    assert.ok(/data: \[DONE\]\r?\n\r?\n$/.test(text), `the stream ends with data: [DONE]: ${JSON.stringify(text.slice(-200))}`);
    const events = parseSse(text);
    assert.equal(events[events.length - 1].data, '[DONE]');
    // Exactly one comment event — the cost comment — and just before [DONE] (CONTRACT.md). The loop
    // this replaces passed when the comment was missing: it checked every comment there was.
    const commentEvents = events.filter((e) => e.comments.length > 0);
    assert.equal(commentEvents.length, 1, `one comment event, the cost comment: ${JSON.stringify(text.slice(-400))}`);
    const [costEvent] = commentEvents;
    assert.equal(costEvent.data, null, 'the comment stands in its own event');
    assert.equal(events.indexOf(costEvent), events.length - 2, 'the cost comment comes just before [DONE]');
    assert.equal(costEvent.comments.length, 1, `one comment line: ${costEvent.lines}`);
    assert.ok(costEvent.comments[0].startsWith('switchyard '), `the switchyard cost comment: ${costEvent.lines}`);
    const cost = JSON.parse(costEvent.comments[0].slice('switchyard '.length));
    assert.deepEqual(Object.keys(cost), ['cost_usd', 'request_id']);
    assert.equal(cost.request_id, res.headers.get('x-switchyard-request-id'));
    assert.ok(typeof cost.cost_usd === 'number' && cost.cost_usd > 0, `a known price: ${costEvent.comments[0]}`);
    const dataEvents = events.filter((e) => e.data !== null && e.data !== '[DONE]');
    for (const e of dataEvents) {
      assert.equal(e.event, null, 'no event: lines');
      const chunk = JSON.parse(e.data);
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.ok(chunk.choices.length > 0, 'no usage chunk');
    }
    assert.deepEqual(JSON.parse(dataEvents[0].data).choices[0].delta, { role: 'assistant', content: '', refusal: null });
    const content = dataEvents.map((e) => JSON.parse(e.data).choices[0].delta.content ?? '').join('');
    assert.equal(content, 'mock reply: raw');
  });

  it('returns a tool call (non-stream) and passes the tools through', async () => {
    const data = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages: user('weather in Paris?'),
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
    });
    const choice = data.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls.length, 1);
    assert.equal(choice.message.tool_calls[0].type, 'function');
    assert.equal(choice.message.tool_calls[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(choice.message.tool_calls[0].function.arguments), { city: 'Paris' });
    assert.deepEqual(mock.requests[0].body.tools, [WEATHER_TOOL]);
    assert.equal(mock.requests[0].body.tool_choice, 'auto');
  });

  it("streams a tool call that the SDK's stream helper accumulates", async () => {
    const stream = client.chat.completions.stream({
      model: 'openai/gpt-4o',
      messages: user('weather in Paris?'),
      tools: [WEATHER_TOOL],
    });
    const fragments = [];
    const done = [];
    stream.on('tool_calls.function.arguments.delta', (e) => e.arguments_delta && fragments.push(e.arguments_delta));
    stream.on('tool_calls.function.arguments.done', (e) => done.push(e));
    const final = await withTimeout(stream.finalChatCompletion(), 20_000, 'finalChatCompletion');
    const call = final.choices[0].message.tool_calls[0];
    assert.equal(call.function.name, 'get_weather');
    assert.equal(call.function.arguments, MOCK_TOOL_ARGUMENTS);
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(fragments, MOCK_TOOL_ARGUMENT_FRAGMENTS);
    assert.equal(done.length, 1);
    assert.deepEqual(mock.requests[0].body.tools, [WEATHER_TOOL]);
  });

  it('streams several choices (n: 2)', async () => {
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', stream: true, n: 2, messages: user('twice') });
    const { chunks } = await withTimeout(collectStream(stream), 20_000, 'the stream');
    const texts = ['', ''];
    const finishes = [null, null];
    for (const chunk of chunks) {
      for (const c of chunk.choices) {
        texts[c.index] += c.delta?.content ?? '';
        if (c.finish_reason) finishes[c.index] = c.finish_reason;
      }
    }
    assert.deepEqual(texts, ['mock reply: twice', 'mock reply: twice']);
    assert.deepEqual(finishes, ['stop', 'stop']);
  });

  it('keeps non-ASCII text intact both ways', async () => {
    const text = 'héllo 👋 "quoted" \\ back\nslash — 日本語';
    const data = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: user(text) });
    assert.equal(data.choices[0].message.content, `mock reply: ${text}`);
    assert.equal(mock.requests[0].body.messages[0].content, text);

    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', stream: true, messages: user(text) });
    assert.equal((await withTimeout(collectStream(stream), 20_000, 'the stream')).content, `mock reply: ${text}`);
  });

  it('routes a bare model name that exactly one provider lists to that provider', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'llama-local', messages: user('bare') }).withResponse();
    assert.equal(data.choices[0].message.content, 'mock reply: bare');
    assert.equal(response.headers.get('x-switchyard-provider'), 'local');
    assert.equal(response.headers.get('x-switchyard-model'), 'llama-local');
    assert.equal(mock.requests[0].body.model, 'llama-local');
    assert.equal(mock.requests[0].headers.authorization, `Bearer ${LOCAL_KEY}`);
  });

  it('uses a known provider name with a base_url override (groq)', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'groq/llama-3.3-70b-versatile', messages: user('groq') })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-provider'), 'groq');
    assert.equal(response.headers.get('x-switchyard-model'), 'llama-3.3-70b-versatile');
    assert.equal(mock.requests[0].body.model, 'llama-3.3-70b-versatile');
    assert.equal(mock.requests[0].headers.authorization, `Bearer ${GROQ_KEY}`);
  });

  it('strips only the provider prefix from a model id that itself contains slashes', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'anyhost/meta-llama/Llama-3.1-8B-Instruct', messages: user('slashes') })
      .withResponse();
    assert.equal(data.choices[0].message.content, 'mock reply: slashes');
    assert.equal(response.headers.get('x-switchyard-provider'), 'anyhost');
    assert.equal(mock.requests[0].body.model, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.equal(mock.requests[0].headers.authorization, `Bearer ${ANY_KEY}`);
  });
});
