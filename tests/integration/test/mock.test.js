// Tests of the mock provider itself, without the gateway: raw fetch checks the exact wire bytes, and
// the official OpenAI SDK pointed straight at the mock proves that real clients parse what it sends.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import OpenAI from 'openai';

import {
  startMock,
  MOCK_USAGE,
  MOCK_TOOL_ARGUMENTS,
  MOCK_TOOL_ARGUMENT_FRAGMENTS,
  mockEmbedding,
  embeddingToBase64,
  openaiError,
} from '../lib/mock-provider.js';
import { closedPort, parseSse, readBodySafely, withTimeout } from '../lib/util.js';
import { WEATHER_TOOL, collectStream, assertOpenAIErrorShape } from '../lib/fixtures.js';
import { makeCertificateAuthority, issueServerCertificate } from '../lib/certs.js';

const KEY = 'sk-mock-test-key';

describe('mock provider', { timeout: 60_000 }, () => {
  let mock;
  let client;

  before(async () => {
    mock = await startMock();
    client = new OpenAI({ apiKey: KEY, baseURL: mock.baseURL, maxRetries: 0, timeout: 10_000 });
  });
  after(async () => {
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  const post = (path, body, headers = {}) =>
    fetch(`${mock.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  describe('chat completions', () => {
    it('answers a plain call with the deterministic reply, the fixed usage and the echoed model', async () => {
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there' }] })
        .withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.equal(data.model, 'gpt-4o-mini');
      assert.equal(data.choices.length, 1);
      assert.equal(data.choices[0].message.role, 'assistant');
      assert.equal(data.choices[0].message.content, 'mock reply: hello there');
      assert.equal(data.choices[0].finish_reason, 'stop');
      assert.deepEqual(data.usage, MOCK_USAGE);
      assert.match(response.headers.get('x-request-id'), /^req_mock_\d+$/);

      assert.equal(mock.requests.length, 1);
      const rec = mock.requests[0];
      assert.equal(rec.method, 'POST');
      assert.equal(rec.path, '/v1/chat/completions');
      assert.equal(rec.headers.authorization, `Bearer ${KEY}`);
      assert.equal(rec.body.model, 'gpt-4o-mini');
      assert.deepEqual(JSON.parse(rec.rawBody), rec.body);
      assert.deepEqual(await rec.done, { aborted: false });
    });

    it('uses the text parts of the last user message, and answers n choices', async () => {
      const data = await client.chat.completions.create({
        model: 'm',
        n: 2,
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'text', text: 'part two' }] },
        ],
      });
      assert.deepEqual(data.choices.map((c) => c.index), [0, 1]);
      for (const c of data.choices) assert.equal(c.message.content, 'mock reply: part one part two');
    });

    it('streams with the exact OpenAI framing and no usage chunk unless asked', async () => {
      const res = await post('/v1/chat/completions', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'a b' }] });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/event-stream/);
      const { text, error } = await readBodySafely(res);
      assert.equal(error, null);
      assert.ok(text.endsWith('data: [DONE]\n\n'), 'ends with data: [DONE]');
      const events = parseSse(text);
      for (const e of events) {
        assert.equal(e.event, null, 'no event: lines');
        assert.equal(e.lines.length, 1, 'one data line per event');
        assert.ok(e.lines[0].startsWith('data: '));
      }
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
      assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
      for (const c of chunks) {
        assert.equal(c.object, 'chat.completion.chunk');
        assert.equal(c.model, 'gpt-4o');
        assert.ok(!('usage' in c), 'no usage key without include_usage');
        assert.equal(c.choices.length, 1);
        assert.equal(c.choices[0].logprobs, null);
      }
      const content = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
      assert.equal(content, 'mock reply: a b');
      const last = chunks[chunks.length - 1];
      assert.deepEqual(last.choices[0].delta, {});
      assert.equal(last.choices[0].finish_reason, 'stop');
      assert.ok(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
    });

    it('sends the usage chunk (choices: []) before [DONE] when include_usage is true', async () => {
      const res = await post('/v1/chat/completions', {
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'x' }],
      });
      const { text } = await readBodySafely(res);
      const events = parseSse(text);
      assert.equal(events[events.length - 1].data, '[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
      const usageChunk = chunks[chunks.length - 1];
      assert.deepEqual(usageChunk.choices, []);
      assert.deepEqual(usageChunk.usage, MOCK_USAGE);
      for (const c of chunks.slice(0, -1)) assert.equal(c.usage, null);
      assert.equal(chunks[chunks.length - 2].choices[0].finish_reason, 'stop');
    });

    it('is parsed by the SDK as a stream, with and without usage', async () => {
      const plain = await collectStream(
        await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'stream me' }] }),
      );
      assert.equal(plain.content, 'mock reply: stream me');
      assert.equal(plain.finishReason, 'stop');
      assert.equal(plain.usageChunks.length, 0);

      const withUsage = await collectStream(
        await client.chat.completions.create({
          model: 'gpt-4o-mini',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'stream me' }],
        }),
      );
      assert.equal(withUsage.content, 'mock reply: stream me');
      assert.equal(withUsage.usageChunks.length, 1);
      assert.deepEqual(withUsage.usageChunks[0].usage, MOCK_USAGE);
    });

    it('calls the first tool when tools are given (non-stream)', async () => {
      const data = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [WEATHER_TOOL, { type: 'function', function: { name: 'other', parameters: { type: 'object' } } }],
      });
      const choice = data.choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.equal(choice.message.content, null);
      assert.equal(choice.message.tool_calls.length, 1);
      assert.equal(choice.message.tool_calls[0].type, 'function');
      assert.equal(choice.message.tool_calls[0].function.name, 'get_weather');
      assert.equal(choice.message.tool_calls[0].function.arguments, MOCK_TOOL_ARGUMENTS);
      assert.match(choice.message.tool_calls[0].id, /^call_/);
    });

    it('honours tool_choice none and a named tool_choice', async () => {
      const none = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'no tools' }],
        tools: [WEATHER_TOOL],
        tool_choice: 'none',
      });
      assert.equal(none.choices[0].message.content, 'mock reply: no tools');
      assert.equal(none.choices[0].message.tool_calls, undefined);

      const named = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
        tools: [WEATHER_TOOL, { type: 'function', function: { name: 'other', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'other' } },
      });
      assert.equal(named.choices[0].message.tool_calls[0].function.name, 'other');
    });

    it('streams a tool call as §1.4 says: role and first fragment together, then two argument fragments', async () => {
      const res = await post('/v1/chat/completions', {
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [WEATHER_TOOL],
      });
      const events = parseSse((await readBodySafely(res)).text);
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
      const first = chunks[0].choices[0].delta;
      assert.equal(first.role, 'assistant');
      assert.equal(first.content, null);
      assert.equal(first.refusal, null);
      assert.equal(first.tool_calls.length, 1);
      assert.equal(first.tool_calls[0].index, 0);
      assert.equal(first.tool_calls[0].type, 'function');
      assert.equal(first.tool_calls[0].function.name, 'get_weather');
      assert.equal(first.tool_calls[0].function.arguments, '');
      assert.deepEqual(
        chunks.slice(1, 3).map((c) => c.choices[0].delta),
        MOCK_TOOL_ARGUMENT_FRAGMENTS.map((a) => ({ tool_calls: [{ index: 0, function: { arguments: a } }] })),
      );
      assert.equal(chunks[3].choices[0].finish_reason, 'tool_calls');
      assert.deepEqual(chunks[4].choices, []);
      assert.equal(chunks.length, 5);
    });

    it("is accumulated by the SDK's chat.completions.stream() helper", async () => {
      const stream = client.chat.completions.stream({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [WEATHER_TOOL],
      });
      const argumentDeltas = [];
      const doneEvents = [];
      // The SDK also reports the empty first fragment; compare the non-empty ones.
      stream.on('tool_calls.function.arguments.delta', (e) => e.arguments_delta && argumentDeltas.push(e.arguments_delta));
      stream.on('tool_calls.function.arguments.done', (e) => doneEvents.push(e));
      const final = await withTimeout(stream.finalChatCompletion(), 10_000, 'finalChatCompletion');
      const call = final.choices[0].message.tool_calls[0];
      assert.equal(call.function.name, 'get_weather');
      assert.equal(call.function.arguments, MOCK_TOOL_ARGUMENTS);
      assert.equal(final.choices[0].finish_reason, 'tool_calls');
      assert.deepEqual(argumentDeltas, MOCK_TOOL_ARGUMENT_FRAGMENTS);
      assert.equal(doneEvents.length, 1);
      assert.equal(doneEvents[0].name, 'get_weather');
      assert.deepEqual(JSON.parse(doneEvents[0].arguments), { city: 'Paris' });

      const textStream = client.chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'plain' }] });
      assert.equal(await withTimeout(textStream.finalContent(), 10_000, 'finalContent'), 'mock reply: plain');
    });

    it('changes the normal answer with reply: content, usage, finish reason, tool calls', async () => {
      mock.enqueue(
        { reply: { content: 'custom text', usage: null, finishReason: 'length', model: 'served-model' } },
        { reply: { toolCalls: [{ name: 'a', arguments: '{"x":1}' }, { name: 'b', arguments: '{}' }] } },
        { reply: { content: 'streamed custom', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } } },
      );
      const text = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(text.choices[0].message.content, 'custom text');
      assert.equal(text.choices[0].finish_reason, 'length');
      assert.equal(text.model, 'served-model');
      assert.equal(text.usage, undefined);

      const final = await withTimeout(
        client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion(),
        10_000,
        'parallel tool calls',
      );
      assert.deepEqual(
        final.choices[0].message.tool_calls.map((c) => [c.function.name, c.function.arguments]),
        [['a', '{"x":1}'], ['b', '{}']],
      );

      const got = await collectStream(
        await client.chat.completions.create({ model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] }),
      );
      assert.equal(got.content, 'streamed custom');
      assert.deepEqual(got.usageChunks[0].usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    });

    it('answers 400 in the OpenAI error shape for invalid JSON, a missing model or missing messages', async () => {
      for (const body of ['{"model":', { messages: [{ role: 'user', content: 'x' }] }, { model: 'm' }]) {
        const res = await post('/v1/chat/completions', body);
        assert.equal(res.status, 400);
        assertOpenAIErrorShape(await res.json());
      }
      assert.equal(mock.requests[0].bodyError !== null, true);
      assert.equal(mock.requests[0].rawBody, '{"model":');
    });

    it('answers 404 in the OpenAI error shape for an unknown path', async () => {
      const res = await fetch(`${mock.origin}/v1/nope`);
      assert.equal(res.status, 404);
      assertOpenAIErrorShape(await res.json());
    });
  });

  describe('embeddings and models', () => {
    it('returns deterministic float vectors and usage', async () => {
      const res = await post('/v1/embeddings', { model: 'text-embedding-3-small', input: ['a b', 'c'], encoding_format: 'float' });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.object, 'list');
      assert.equal(body.model, 'text-embedding-3-small');
      assert.deepEqual(body.data.map((d) => d.index), [0, 1]);
      assert.deepEqual(body.data[0].embedding, mockEmbedding('a b'));
      assert.deepEqual(body.data[1].embedding, mockEmbedding('c'));
      assert.notDeepEqual(body.data[0].embedding, body.data[1].embedding);
      assert.deepEqual(body.usage, { prompt_tokens: 3, total_tokens: 3 });
    });

    it('returns little-endian float32 base64 for encoding_format base64', async () => {
      const res = await post('/v1/embeddings', { model: 'e', input: 'hello', encoding_format: 'base64', dimensions: 4 });
      const body = await res.json();
      assert.equal(typeof body.data[0].embedding, 'string');
      assert.equal(body.data[0].embedding, embeddingToBase64(mockEmbedding('hello', 4)));
      const bytes = Buffer.from(body.data[0].embedding, 'base64');
      const values = Array.from({ length: 4 }, (_, i) => bytes.readFloatLE(i * 4));
      assert.deepEqual(values, mockEmbedding('hello', 4));
    });

    it('is decoded by the SDK (which asks for base64 by default) to the same vectors', async () => {
      const data = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['x y z'] });
      assert.equal(mock.lastRequest.body.encoding_format, 'base64');
      assert.deepEqual(data.data[0].embedding, mockEmbedding('x y z'));
      assert.deepEqual(data.usage, { prompt_tokens: 3, total_tokens: 3 });

      const floats = await client.embeddings.create({ model: 'e', input: 'q', encoding_format: 'float', dimensions: 3 });
      assert.equal(mock.lastRequest.body.encoding_format, 'float');
      assert.deepEqual(floats.data[0].embedding, mockEmbedding('q', 3));
    });

    it('lists and retrieves models', async () => {
      const ids = [];
      for await (const m of client.models.list()) ids.push(m.id);
      assert.deepEqual(ids, ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']);
      const one = await client.models.retrieve('gpt-4o');
      assert.equal(one.id, 'gpt-4o');
      assert.equal(one.object, 'model');
    });

    it('serves a configured model list', async () => {
      const other = await startMock({ openai: { models: ['a', 'b'] } });
      try {
        const body = await (await fetch(`${other.baseURL}/models`)).json();
        assert.deepEqual(body.data.map((m) => m.id), ['a', 'b']);
      } finally {
        await other.close();
      }
    });
  });

  describe('scripted behaviours', () => {
    it('answers a queued 429 with retry-after and an OpenAI error body, then the normal answer', async () => {
      mock.enqueue({ status: 429, headers: { 'retry-after': '1' }, body: openaiError('Rate limit reached for test', { type: 'requests', code: 'rate_limit_exceeded' }) });
      const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      assert.ok(error instanceof OpenAI.RateLimitError, `got ${error}`);
      assert.equal(error.status, 429);
      assert.match(error.message, /Rate limit reached for test/);
      assert.equal(error.headers.get('retry-after'), '1');
      assert.equal(error.code, 'rate_limit_exceeded');
      const ok = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(ok.choices[0].message.content, 'mock reply: x');
    });

    it('fills in the default error body for a bare status, and serves 500 and 503 as the SDK expects', async () => {
      mock.enqueue({ status: 500 }, { status: 503, body: openaiError('overloaded for test', { type: 'server_error' }) }, { status: 429 });
      const e500 = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      assert.ok(e500 instanceof OpenAI.InternalServerError);
      assert.equal(e500.status, 500);
      const e503 = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      assert.equal(e503.status, 503);
      assert.match(e503.message, /overloaded for test/);
      const res = await post('/v1/chat/completions', { model: 'm', messages: [] });
      assert.equal(res.status, 429);
      const body = await res.json();
      assertOpenAIErrorShape(body);
      assert.match(body.error.message, /Rate limit reached for test/);
    });

    it('serves rawBody bytes as given', async () => {
      mock.enqueue({ status: 502, rawBody: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } });
      const res = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(res.status, 502);
      assert.equal(res.headers.get('content-type'), 'text/html');
      assert.equal(await res.text(), '<html>bad gateway</html>');
    });

    it('consumes behaviours FIFO, filtered by path, and falls back to the default behaviour', async () => {
      mock.enqueue({ path: '/v1/embeddings', status: 500, label: 'emb' }, { status: 401, label: 'first' }, { status: 403, label: 'second' });
      assert.equal((await post('/v1/chat/completions', {})).status, 401);
      assert.equal((await post('/v1/embeddings', {})).status, 500);
      assert.equal((await post('/v1/chat/completions', {})).status, 403);
      mock.setDefaultBehaviour({ status: 418 });
      assert.equal((await post('/v1/chat/completions', {})).status, 418);
      assert.equal((await post('/v1/chat/completions', {})).status, 418);
      assert.deepEqual(mock.requests.map((r) => r.label), ['first', 'emb', 'second', undefined, undefined]);
      mock.reset();
      assert.equal(mock.requests.length, 0);
      assert.equal((await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] })).status, 200);
    });

    it('rejects unknown behaviour fields', () => {
      assert.throws(() => mock.enqueue({ statsu: 500 }), /unknown mock behaviour field: statsu/);
      assert.throws(() => mock.enqueue({ stream: { dropAfter: 1 } }), /unknown mock stream field/);
    });

    it('waits delayMs before the response head', async () => {
      mock.enqueue({ delayMs: 200 });
      const started = performance.now();
      const data = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'slow' }] });
      assert.ok(performance.now() - started >= 190, 'the answer came after the delay');
      assert.equal(data.choices[0].message.content, 'mock reply: slow');
    });

    it('holds the answer until the test releases it', async () => {
      let release;
      mock.enqueue({ holdUntil: new Promise((resolve) => { release = resolve; }) });
      let settled = false;
      const call = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'held' }] }).finally(() => {
        settled = true;
      });
      const [rec] = await mock.waitForRequests(1);
      assert.equal(rec.status, null, 'no answer yet');
      assert.equal(settled, false);
      release();
      assert.equal((await withTimeout(call, 5_000, 'the released call')).choices[0].message.content, 'mock reply: held');
    });

    it('drops a stream after N chunks: no [DONE], the body is cut off, the SDK throws', async () => {
      mock.enqueue({ stream: { dropAfterChunks: 2 } });
      const res = await post('/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c d' }] });
      const { text, error } = await readBodySafely(res);
      assert.ok(error, 'reading the body fails');
      assert.equal(parseSse(text).length, 2);
      assert.ok(!text.includes('[DONE]'));
      assert.equal(mock.lastRequest.fault, 'dropped');
      assert.deepEqual(await mock.lastRequest.done, { aborted: true });

      mock.enqueue({ stream: { dropAfterChunks: 2, chunkDelayMs: 5 } });
      const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c d' }] });
      const seen = [];
      await assert.rejects(async () => {
        for await (const chunk of stream) seen.push(chunk);
      });
      assert.equal(seen.length, 2);
    });

    it('ends a stream cleanly without [DONE] with endAfterChunks', async () => {
      mock.enqueue({ stream: { endAfterChunks: 3 } });
      const res = await post('/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c d' }] });
      const { text, error } = await readBodySafely(res);
      assert.equal(error, null);
      assert.equal(parseSse(text).length, 3);
      assert.ok(!text.includes('[DONE]'));
    });

    it('stalls a stream after N chunks, keeping the connection open', async () => {
      mock.enqueue({ stream: { stallAfterChunks: 2 } });
      const controller = new AbortController();
      const res = await fetch(`${mock.baseURL}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c' }] }),
        signal: controller.signal,
      });
      const reader = res.body.getReader();
      let text = '';
      while (parseSse(text).length < 2) {
        const { value } = await withTimeout(reader.read(), 5_000, 'two chunks');
        text += new TextDecoder().decode(value);
      }
      const rec = mock.lastRequest;
      assert.equal(rec.fault, 'stalled');
      assert.equal(rec.chunksSent, 2);
      controller.abort();
      await withTimeout(rec.connectionClosed, 5_000, 'connection close');
      assert.deepEqual(await rec.done, { aborted: true });
    });

    it('streams forever until the client goes away, and reports the closed connection', async () => {
      mock.enqueue({ streamForever: { intervalMs: 20 } });
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        { model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] },
        { signal: controller.signal },
      );
      let contentChunks = 0;
      try {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta?.content) contentChunks += 1;
          if (contentChunks === 3) controller.abort();
        }
      } catch (error) {
        assert.ok(error instanceof OpenAI.APIUserAbortError || error.name === 'AbortError', `got ${error}`);
      }
      const rec = mock.lastRequest;
      await withTimeout(rec.connectionClosed, 5_000, 'the mock to see the connection close');
      assert.deepEqual(await withTimeout(rec.done, 5_000, 'done'), { aborted: true });
      assert.ok(rec.chunksSent >= 4);
    });

    it('hangs until the client goes away', async () => {
      mock.enqueue({ hang: true });
      const closedBefore = mock.connectionsClosed;
      const controller = new AbortController();
      const call = client.chat.completions
        .create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal })
        .catch((e) => e);
      const [rec] = await mock.waitForRequests(1);
      assert.equal(rec.fault, 'hang');
      controller.abort();
      const error = await withTimeout(call, 5_000, 'the aborted call');
      assert.ok(error instanceof OpenAI.APIUserAbortError, `got ${error}`);
      await withTimeout(rec.connectionClosed, 5_000, 'connection close');
      assert.ok(mock.connectionsClosed > closedBefore);
    });

    it('destroys the connection without an answer', async () => {
      mock.enqueue({ destroy: true });
      await assert.rejects(post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] }));
      assert.equal(mock.lastRequest.fault, 'destroyed');
    });

    it('enforces its own api key when configured', async () => {
      const strict = await startMock({ openai: { apiKey: 'sk-right' } });
      try {
        const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: strict.baseURL, maxRetries: 0 });
        const error = await wrong.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.ok(!error.message.includes('sk-wrong'), 'the message does not echo the key');
        const right = new OpenAI({ apiKey: 'sk-right', baseURL: strict.baseURL, maxRetries: 0 });
        assert.equal((await right.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'y' }] })).choices[0].message.content, 'mock reply: y');
      } finally {
        await strict.close();
      }
    });

    it('closes with requests still hanging', async () => {
      const other = await startMock();
      other.enqueue({ hang: true });
      const call = fetch(`${other.baseURL}/chat/completions`, { method: 'POST', body: '{}' }).catch((e) => e);
      await other.waitForRequests(1);
      await withTimeout(other.close(), 5_000, 'mock.close()');
      assert.ok((await call) instanceof Error);
    });

    it('a closed port refuses connections (the 502 case)', async () => {
      const port = await closedPort();
      const error = await fetch(`http://127.0.0.1:${port}/v1/models`).catch((e) => e);
      assert.ok(error instanceof Error);
      assert.equal(error.cause?.code, 'ECONNREFUSED');
    });
  });

  describe('TLS and backpressure', () => {
    it('serves HTTPS with a certificate from a test CA, and records failed handshakes', async () => {
      const ca = makeCertificateAuthority('mock self-test CA');
      const cert = issueServerCertificate(ca, { san: 'IP:127.0.0.1,DNS:localhost' });
      const secure = await startMock({ tls: { key: cert.key, cert: cert.cert } });
      try {
        assert.match(secure.baseURL, /^https:\/\/127\.0\.0\.1:\d+\/v1$/);
        const get = (options) =>
          new Promise((resolve, reject) => {
            https.get(`${secure.baseURL}/models`, options, (res) => {
              let text = '';
              res.on('data', (d) => {
                text += d;
              });
              res.on('end', () => resolve({ status: res.statusCode, text }));
            }).on('error', reject);
          });
        const ok = await withTimeout(get({ ca: ca.cert, agent: false }), 5_000, 'the https call');
        assert.equal(ok.status, 200);
        assert.equal(secure.requests[0].tls.protocol, 'TLSv1.3');
        const untrusted = await get({ agent: false }).catch((e) => e);
        assert.ok(untrusted instanceof Error, 'a client without the CA refuses the certificate');
        await withTimeout(
          new Promise((resolve) => (secure.tlsClientErrors.length ? resolve() : secure.once('tlsClientError', resolve))),
          5_000,
          'the failed handshake',
        );
        assert.equal(secure.connectionsOpened, 1, 'one TLS connection was established');
        assert.equal(secure.tcpConnectionsOpened, 2, 'two TCP connections were accepted');
      } finally {
        await secure.close();
      }
    });

    it('reports backpressure when a streaming client stops reading', async () => {
      mock.enqueue({ streamForever: { intervalMs: 0, contentBytes: 8192, maxMs: 30_000 } });
      const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
      const req = http.request(`${mock.baseURL}/chat/completions`, { method: 'POST', agent: false });
      req.on('error', () => {});
      req.on('response', (res) => {
        res.on('error', () => {});
        res.once('data', () => res.pause());
      });
      try {
        const held = new Promise((resolve) => mock.once('backpressure', resolve));
        req.end(body);
        const event = await withTimeout(held, 10_000, 'the backpressure event');
        const rec = mock.lastRequest;
        assert.equal(event.rec, rec);
        assert.equal(rec.heldBack, true);
        assert.ok(event.writableLength > 0);
        assert.ok(rec.bytesSent > 8192 && rec.chunksSent > 1);
        req.destroy();
        await withTimeout(rec.connectionClosed, 5_000, 'connection close');
        assert.deepEqual(await rec.done, { aborted: true });
      } finally {
        req.destroy();
      }
    });
  });
});
