// Tests of the mock provider's Anthropic and Gemini formats, without the gateway: the official SDKs
// (@anthropic-ai/sdk, @google/genai) pointed straight at the mock prove that real clients parse what
// it sends, and raw fetch checks the exact framing where an SDK would hide it.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, ApiError } from '@google/genai';

import {
  startMock,
  MOCK_USAGE,
  MOCK_TOOL_ARGUMENTS,
  contentFragments,
  ANTHROPIC_VERSION,
  MOCK_ANTHROPIC_USAGE,
  MOCK_THINKING,
  MOCK_SIGNATURE,
  DEFAULT_ANTHROPIC_MODELS,
  anthropicMessage,
  anthropicStreamEvents,
  anthropicTokenCount,
  MOCK_GEMINI_USAGE,
  MOCK_FUNCTION_ARGS,
  DEFAULT_GEMINI_MODELS,
  geminiResponse,
  geminiStreamChunks,
  geminiTokenCount,
} from '../lib/mock-provider.js';
import { parseSse, readBodySafely } from '../lib/util.js';

const ANTHROPIC_KEY = 'sk-ant-mock-test-key';
const GEMINI_KEY = 'AIza-mock-test-key';
const CLAUDE = 'claude-sonnet-4-6';
const GEMINI = 'gemini-2.5-flash';

const WEATHER = { name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const TIME = { name: 'get_time', description: 'Current time in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };
const GEMINI_TOOLS = [{ functionDeclarations: [
  { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', description: 'Current time in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
] }];

// What the SDK's MessageStream yields, and the text, thinking, signature and tool input it assembled.
async function drainMessageStream(stream) {
  const events = [];
  const pieces = { text: '', thinking: '', signature: null, inputJson: '' };
  stream.on('text', (delta) => { pieces.text += delta; });
  stream.on('thinking', (delta) => { pieces.thinking += delta; });
  stream.on('signature', (signature) => { pieces.signature = signature; });
  stream.on('inputJson', (partial) => { pieces.inputJson += partial; });
  for await (const event of stream) events.push(event);
  return { events, final: await stream.finalMessage(), ...pieces };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('mock provider formats', { timeout: 60_000 }, () => {
  let mock;

  before(async () => {
    mock = await startMock({
      formats: ['openai', 'anthropic', 'gemini'],
      anthropic: { apiKey: ANTHROPIC_KEY },
      gemini: { apiKey: GEMINI_KEY },
    });
  });
  after(async () => {
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  describe('anthropic', () => {
    let client;
    before(() => {
      client = new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: mock.origin, maxRetries: 0, timeout: 10_000 });
    });

    const post = (path, body, headers = {}) =>
      fetch(`${mock.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ANTHROPIC_KEY, 'anthropic-version': ANTHROPIC_VERSION, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    it('answers a plain call with the deterministic text, the fixed usage and the request id', async () => {
      const params = { model: CLAUDE, max_tokens: 64, system: 'be brief', messages: [{ role: 'user', content: 'hello there' }] };
      const { data, response } = await client.messages.create(params).withResponse();
      const rec = mock.requests[0];
      assert.equal(rec.path, '/v1/messages');
      assert.equal(rec.headers['x-api-key'], ANTHROPIC_KEY);
      assert.equal(rec.headers['anthropic-version'], ANTHROPIC_VERSION, 'the 0.x SDK sends the 2023-06-01 version');
      assert.equal(data.type, 'message');
      assert.equal(data.role, 'assistant');
      assert.equal(data.model, CLAUDE);
      assert.deepEqual(data.content, [{ type: 'text', text: 'mock reply: hello there' }]);
      assert.equal(data.stop_reason, 'end_turn');
      assert.equal(data.stop_sequence, null);
      assert.deepEqual(data.usage, MOCK_ANTHROPIC_USAGE);
      assert.deepEqual(data, anthropicMessage(params, {}, rec.id));
      assert.equal(response.headers.get('request-id'), `req_mock_${rec.id}`);
      assert.equal(data._request_id, `req_mock_${rec.id}`);
    });

    it('joins the text blocks of the last user message', async () => {
      const data = await client.messages.create({
        model: CLAUDE,
        max_tokens: 64,
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'text', text: 'part two' }] },
        ],
      });
      assert.equal(data.content[0].text, 'mock reply: part one part two');
    });

    it('calls the chosen tool with a parsed input: first tool by default, the named one, none', async () => {
      const base = { model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'weather?' }], tools: [WEATHER, TIME] };
      const auto = await client.messages.create(base);
      assert.equal(auto.stop_reason, 'tool_use');
      assert.equal(auto.content.length, 1);
      const [block] = auto.content;
      assert.equal(block.type, 'tool_use');
      assert.equal(block.name, 'get_weather');
      assert.match(block.id, /^toolu_[A-Za-z0-9_-]+$/);
      assert.deepEqual(block.input, JSON.parse(MOCK_TOOL_ARGUMENTS));

      const named = await client.messages.create({ ...base, tool_choice: { type: 'tool', name: 'get_time' } });
      assert.equal(named.content[0].name, 'get_time');
      const any = await client.messages.create({ ...base, tool_choice: { type: 'any' } });
      assert.equal(any.content[0].name, 'get_weather');
      const none = await client.messages.create({ ...base, tool_choice: { type: 'none' } });
      assert.deepEqual(none.content, [{ type: 'text', text: 'mock reply: weather?' }]);
      assert.equal(none.stop_reason, 'end_turn');
    });

    it('puts a thinking block with its signature first when the request enables thinking', async () => {
      const data = await client.messages.create({
        model: CLAUDE,
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'think' }],
      });
      assert.deepEqual(data.content, [
        { type: 'thinking', thinking: MOCK_THINKING, signature: MOCK_SIGNATURE },
        { type: 'text', text: 'mock reply: think' },
      ]);
    });

    it('applies the reply behaviour: content with tool calls, thinking, stop reason, model, usage, extra', async () => {
      const usage = { ...MOCK_ANTHROPIC_USAGE, output_tokens: 40, output_tokens_details: { thinking_tokens: 30 } };
      mock.enqueue({
        reply: {
          content: 'Checking.',
          toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }, { name: 'get_time', input: { city: 'Oslo' }, id: 'toolu_given' }],
          thinking: 'Two tools.',
          finishReason: 'max_tokens',
          model: 'claude-echoed',
          usage,
          extra: { container: null },
        },
      });
      const data = await client.messages.create({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
      assert.deepEqual(data.content.map((b) => b.type), ['thinking', 'text', 'tool_use', 'tool_use']);
      assert.equal(data.content[0].thinking, 'Two tools.');
      assert.equal(data.content[1].text, 'Checking.');
      assert.deepEqual(data.content[2].input, { city: 'Oslo' });
      assert.equal(data.content[3].id, 'toolu_given');
      assert.equal(data.stop_reason, 'max_tokens');
      assert.equal(data.model, 'claude-echoed');
      assert.deepEqual(data.usage, usage);
      assert.equal(data.container, null);
    });

    it('streams text: the SDK assembles the plain answer, and the text deltas concatenate to it', async () => {
      const params = { model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'a b c' }] };
      const plain = await client.messages.create(params);
      const { events, final, text } = await drainMessageStream(client.messages.stream(params));
      assert.deepEqual(events.map((e) => e.type), [
        'message_start',
        'content_block_start',
        ...contentFragments('mock reply: a b c').map(() => 'content_block_delta'),
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      assert.equal(text, 'mock reply: a b c');
      assert.deepEqual(final.content, plain.content);
      assert.equal(final.stop_reason, plain.stop_reason);
      assert.deepEqual(final.usage, plain.usage, 'message_start usage updated by the cumulative message_delta usage');
      // MessageStream adds parsed_output (for structured outputs) to the message it assembles.
      const { parsed_output: parsed, ...message } = final;
      assert.equal(parsed, null);
      assert.deepEqual(message, anthropicMessage(params, {}, mock.requests[1].id));
    });

    it('streams a tool call as input_json_delta fragments that assemble to the input', async () => {
      const params = { model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'weather?' }], tools: [WEATHER] };
      const { events, final, inputJson } = await drainMessageStream(client.messages.stream(params));
      assert.equal(inputJson, MOCK_TOOL_ARGUMENTS);
      const start = events.find((e) => e.type === 'content_block_start');
      assert.deepEqual(start.content_block, { type: 'tool_use', id: final.content[0].id, name: 'get_weather', input: {} });
      const fragments = events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json);
      assert.equal(fragments[0], '', 'the first partial_json is empty, as the API sends it');
      assert.deepEqual(final.content, [{ type: 'tool_use', id: `toolu_mock${mock.requests[0].id}_0`, name: 'get_weather', input: { city: 'Paris' } }]);
      assert.equal(final.stop_reason, 'tool_use');
    });

    it('streams thinking with thinking_delta and signature_delta', async () => {
      const params = { model: CLAUDE, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'q' }] };
      const plain = await client.messages.create(params);
      const { final, thinking, signature, text } = await drainMessageStream(client.messages.stream(params));
      assert.equal(thinking, MOCK_THINKING);
      assert.equal(signature, MOCK_SIGNATURE);
      assert.equal(text, 'mock reply: q');
      assert.deepEqual(final.content, plain.content);
    });

    it('frames every event with its event: line, in the API order, with a ping after the first block start', async () => {
      const body = { model: CLAUDE, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }], tools: [WEATHER], tool_choice: { type: 'auto' } };
      mock.enqueue({ reply: { content: 'Checking.' } });
      const res = await post('/v1/messages', body);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/event-stream/);
      const { text, error } = await readBodySafely(res);
      assert.equal(error, null);
      const events = parseSse(text);
      for (const e of events) {
        assert.ok(e.event, 'every event has an event: line');
        assert.equal(JSON.parse(e.data).type, e.event, 'the event name is the data type');
      }
      assert.deepEqual(events.map((e) => e.event), anthropicStreamEvents(anthropicMessage(body, { content: 'Checking.' }, mock.requests[0].id)).map(([name]) => name));
      assert.deepEqual(events.slice(0, 3).map((e) => e.event), ['message_start', 'content_block_start', 'ping']);
      assert.equal(events[2].data, '{"type": "ping"}');
      const start = JSON.parse(events[0].data).message;
      assert.deepEqual(start.content, []);
      assert.equal(start.stop_reason, null);
      assert.equal(start.usage.output_tokens, 1);
      assert.equal(start.usage.service_tier, 'standard');
      const delta = JSON.parse(events.at(-2).data);
      assert.deepEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null, stop_details: null });
      assert.deepEqual(delta.usage, { input_tokens: 6, cache_creation_input_tokens: 2, cache_read_input_tokens: 3, output_tokens: 7 });
    });

    it('fails a started stream with an error event, which the SDK raises', async () => {
      mock.enqueue({ reply: { streamError: { afterEvents: 3 } } });
      const stream = client.messages.stream({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
      const error = await rejection(drainMessageStream(stream));
      assert.ok(error instanceof Anthropic.APIError, `an APIError: ${error}`);
      assert.equal(error.status, undefined, 'no HTTP status: the answer was a 200');
      assert.equal(error.type, 'overloaded_error');
      assert.match(error.message, /Overloaded/);
      assert.equal(mock.requests[0].chunksSent, 4);
    });

    it('maps scripted statuses to the SDK error classes, with the Anthropic error body', async () => {
      const params = { model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] };
      const cases = [
        [429, Anthropic.RateLimitError, 'rate_limit_error', { 'retry-after': '7' }],
        [529, Anthropic.InternalServerError, 'overloaded_error', {}],
        [500, Anthropic.InternalServerError, 'api_error', {}],
        [400, Anthropic.BadRequestError, 'invalid_request_error', {}],
        [404, Anthropic.NotFoundError, 'not_found_error', {}],
      ];
      for (const [status, ErrorClass, type, headers] of cases) {
        mock.enqueue({ status, headers });
        const error = await rejection(client.messages.create(params));
        assert.ok(error instanceof ErrorClass, `${status} → ${ErrorClass.name}: ${error}`);
        assert.equal(error.status, status);
        assert.equal(error.type, type);
        assert.equal(error.error.type, 'error');
        assert.equal(error.error.error.type, type);
        assert.equal(error.requestID, `req_mock_${mock.lastRequest.id}`);
        assert.equal(error.error.request_id, error.requestID);
        assert.ok(error.message.startsWith(`${status} `), error.message);
        if (headers['retry-after']) assert.equal(error.headers.get('retry-after'), '7');
      }
      mock.enqueue({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: must be positive' } } });
      const custom = await rejection(client.messages.create(params));
      assert.equal(custom.error.error.message, 'max_tokens: must be positive');
      assert.match(custom.message, /max_tokens: must be positive/);
    });

    it('checks the key, the anthropic-version header and the required fields as the API does', async () => {
      const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: mock.origin, maxRetries: 0 });
      const unauthorized = await rejection(wrong.messages.create({ model: CLAUDE, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(unauthorized instanceof Anthropic.AuthenticationError);
      assert.equal(unauthorized.error.error.message, 'invalid x-api-key');

      const noVersion = await post('/v1/messages', { model: CLAUDE, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }, { 'anthropic-version': '' });
      assert.equal(noVersion.status, 400);
      assert.deepEqual((await noVersion.json()).error, { type: 'invalid_request_error', message: 'anthropic-version: header is required' });

      const noMax = await post('/v1/messages', { model: CLAUDE, messages: [{ role: 'user', content: 'x' }] });
      assert.equal(noMax.status, 400);
      const body = await noMax.json();
      assert.equal(body.type, 'error');
      assert.deepEqual(body.error, { type: 'invalid_request_error', message: 'max_tokens: Field required' });
      assert.match(body.request_id, /^req_mock_\d+$/);

      const forced = await rejection(client.messages.create({
        model: CLAUDE, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [WEATHER], tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'x' }],
      }));
      assert.ok(forced instanceof Anthropic.BadRequestError);
    });

    it('counts tokens', async () => {
      const params = { model: CLAUDE, system: 'be brief', messages: [{ role: 'user', content: 'one two three' }] };
      const count = await client.messages.countTokens(params);
      assert.deepEqual({ ...count }, { input_tokens: anthropicTokenCount(params) });
      assert.equal(count.input_tokens, 5);
      assert.equal(mock.requests[0].path, '/v1/messages/count_tokens');
    });

    it('lists and retrieves models in the Anthropic shape, page by page', async () => {
      const ids = [];
      for await (const model of client.models.list({ limit: 2 })) {
        assert.equal(model.type, 'model');
        assert.equal(typeof model.display_name, 'string');
        ids.push(model.id);
      }
      assert.deepEqual(ids, DEFAULT_ANTHROPIC_MODELS);
      assert.equal(mock.requests.length, 2, 'two pages of 2');
      assert.equal(mock.requests[1].query.after_id, DEFAULT_ANTHROPIC_MODELS[1]);

      const model = await client.models.retrieve('claude-haiku-4-5');
      assert.equal(model.display_name, 'Claude Haiku 4.5');
      assert.ok((await rejection(client.models.retrieve('claude-none'))) instanceof Anthropic.NotFoundError);
    });

    it('answers GET /v1/models in the Anthropic shape only to requests with Anthropic headers', async () => {
      const openaiShape = await (await fetch(`${mock.origin}/v1/models`)).json();
      assert.equal(openaiShape.object, 'list');
      const anthropicShape = await (await fetch(`${mock.origin}/v1/models`, { headers: { 'x-api-key': ANTHROPIC_KEY, 'anthropic-version': ANTHROPIC_VERSION } })).json();
      assert.equal(anthropicShape.has_more, false);
      assert.equal(anthropicShape.first_id, DEFAULT_ANTHROPIC_MODELS[0]);
    });
  });

  describe('gemini', () => {
    let ai;
    before(() => {
      // js-genai appends its apiVersion (default v1beta) to baseUrl.
      ai = new GoogleGenAI({ apiKey: GEMINI_KEY, httpOptions: { baseUrl: mock.origin } });
    });

    const post = (path, body, headers = {}) =>
      fetch(`${mock.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': GEMINI_KEY, ...headers },
        body: JSON.stringify(body),
      });

    it('answers generateContent with the deterministic text, usage, responseId and modelVersion', async () => {
      const response = await ai.models.generateContent({ model: GEMINI, contents: 'hello there', config: { systemInstruction: 'be brief' } });
      const rec = mock.requests[0];
      assert.equal(rec.path, `/v1beta/models/${GEMINI}:generateContent`);
      assert.equal(rec.headers['x-goog-api-key'], GEMINI_KEY);
      assert.equal(response.text, 'mock reply: hello there');
      assert.deepEqual(response.usageMetadata, MOCK_GEMINI_USAGE);
      assert.equal(response.modelVersion, GEMINI);
      assert.equal(response.responseId, `mock-response-${rec.id}`);
      assert.equal(response.candidates[0].finishReason, 'STOP');
      assert.deepEqual(response.candidates[0].content, { parts: [{ text: 'mock reply: hello there' }], role: 'model' });
      assert.equal(MOCK_GEMINI_USAGE.totalTokenCount, MOCK_USAGE.total_tokens);
    });

    it('calls functions whole: first declaration by default, the allowed one in ANY mode, none in NONE', async () => {
      const auto = await ai.models.generateContent({ model: GEMINI, contents: 'weather?', config: { tools: GEMINI_TOOLS } });
      assert.deepEqual(auto.functionCalls, [{ name: 'get_weather', args: MOCK_FUNCTION_ARGS }]);
      assert.equal(auto.candidates[0].finishReason, 'STOP', 'a function-call turn still ends with STOP');
      const allowed = await ai.models.generateContent({
        model: GEMINI, contents: 'time?',
        config: { tools: GEMINI_TOOLS, toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } } },
      });
      assert.equal(allowed.functionCalls[0].name, 'get_time');
      const none = await ai.models.generateContent({
        model: GEMINI, contents: 'x', config: { tools: GEMINI_TOOLS, toolConfig: { functionCallingConfig: { mode: 'NONE' } } },
      });
      assert.equal(none.functionCalls, undefined);
      assert.equal(none.text, 'mock reply: x');
    });

    it('puts a thought part first when the request asks for thoughts', async () => {
      const response = await ai.models.generateContent({ model: GEMINI, contents: 'q', config: { thinkingConfig: { includeThoughts: true } } });
      assert.deepEqual(response.candidates[0].content.parts, [{ text: MOCK_THINKING, thought: true }, { text: 'mock reply: q' }]);
      assert.equal(response.text, 'mock reply: q', 'the SDK leaves thoughts out of .text');
    });

    it('applies the reply behaviour: content with calls, finish reason, model, usage', async () => {
      const usage = { promptTokenCount: 4, candidatesTokenCount: 1, totalTokenCount: 5 };
      mock.enqueue({
        reply: {
          content: 'Checking.',
          toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}', thoughtSignature: 'c2ln' }],
          finishReason: 'MAX_TOKENS',
          model: 'gemini-echoed',
          usage,
        },
      });
      const response = await ai.models.generateContent({ model: GEMINI, contents: 'x' });
      assert.deepEqual(response.candidates[0].content.parts, [
        { text: 'Checking.' },
        { functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'c2ln' },
      ]);
      assert.equal(response.candidates[0].finishReason, 'MAX_TOKENS');
      assert.equal(response.modelVersion, 'gemini-echoed');
      assert.deepEqual(response.usageMetadata, usage);
    });

    it('streams text over alt=sse: new parts per chunk, finishReason and full usage on the last', async () => {
      const chunks = [];
      for await (const chunk of await ai.models.generateContentStream({ model: GEMINI, contents: 'a b c' })) chunks.push(chunk);
      const rec = mock.requests[0];
      assert.equal(rec.path, `/v1beta/models/${GEMINI}:streamGenerateContent`);
      assert.equal(rec.query.alt, 'sse');
      assert.equal(chunks.map((c) => c.text).join(''), 'mock reply: a b c');
      assert.equal(chunks.length, contentFragments('mock reply: a b c').length);
      const last = chunks.at(-1);
      assert.equal(last.candidates[0].finishReason, 'STOP');
      assert.deepEqual(last.usageMetadata, MOCK_GEMINI_USAGE);
      for (const chunk of chunks.slice(0, -1)) {
        assert.equal(chunk.candidates[0].finishReason, undefined);
        assert.equal(chunk.usageMetadata.candidatesTokenCount, undefined, 'running usage: prompt side only');
        assert.equal(chunk.responseId, last.responseId);
      }
    });

    it('streams function calls whole in one chunk', async () => {
      const chunks = [];
      const stream = await ai.models.generateContentStream({ model: GEMINI, contents: 'weather?', config: { tools: GEMINI_TOOLS } });
      for await (const chunk of stream) chunks.push(chunk);
      assert.equal(chunks.length, 1);
      assert.deepEqual(chunks[0].functionCalls, [{ name: 'get_weather', args: MOCK_FUNCTION_ARGS }]);
      assert.deepEqual(chunks[0].usageMetadata, MOCK_GEMINI_USAGE);
    });

    it('frames chunks as data: lines ending in CRLF CRLF, with no terminator', async () => {
      const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
      const res = await post(`/v1beta/models/${GEMINI}:streamGenerateContent?alt=sse`, body);
      assert.match(res.headers.get('content-type'), /^text\/event-stream/);
      const { text } = await readBodySafely(res);
      const expected = geminiStreamChunks(geminiResponse(body, GEMINI, {}, mock.requests[0].id));
      assert.equal(text, expected.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join(''));
      assert.deepEqual(parseSse(text).map((e) => JSON.parse(e.data)), expected);
    });

    it('answers streamGenerateContent without alt=sse as one JSON array', async () => {
      const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
      const res = await post(`/v1beta/models/${GEMINI}:streamGenerateContent`, body);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.deepEqual(await res.json(), geminiStreamChunks(geminiResponse(body, GEMINI, {}, mock.requests[0].id)));
    });

    it('fails a started stream with an error chunk, which the SDK raises', async () => {
      mock.enqueue({ reply: { streamError: { afterEvents: 2, code: 503, message: 'The model is overloaded.' } } });
      const chunks = [];
      const error = await rejection((async () => {
        for await (const chunk of await ai.models.generateContentStream({ model: GEMINI, contents: 'a b c' })) chunks.push(chunk);
      })());
      assert.ok(error instanceof ApiError, `an ApiError: ${error}`);
      assert.equal(error.status, 503);
      assert.match(error.message, /UNAVAILABLE/);
      assert.equal(chunks.length, 2);
    });

    it('raises scripted statuses as ApiError with the Gemini error body, streamed or not', async () => {
      for (const [status, name] of [[429, 'RESOURCE_EXHAUSTED'], [500, 'INTERNAL'], [503, 'UNAVAILABLE'], [404, 'NOT_FOUND']]) {
        mock.enqueue({ status });
        const error = await rejection(ai.models.generateContent({ model: GEMINI, contents: 'x' }));
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, status);
        const body = JSON.parse(error.message);
        assert.equal(body.error.code, status);
        assert.equal(body.error.status, name);
        assert.equal(typeof body.error.message, 'string');
      }
      mock.enqueue({ status: 429 });
      const streamed = await rejection(ai.models.generateContentStream({ model: GEMINI, contents: 'x' }));
      assert.ok(streamed instanceof ApiError);
      assert.equal(streamed.status, 429);
    });

    it('rejects a wrong key with 400 API_KEY_INVALID and a missing one with 403', async () => {
      const wrong = new GoogleGenAI({ apiKey: 'AIza-wrong', httpOptions: { baseUrl: mock.origin } });
      const error = await rejection(wrong.models.generateContent({ model: GEMINI, contents: 'x' }));
      assert.equal(error.status, 400);
      const body = JSON.parse(error.message);
      assert.equal(body.error.status, 'INVALID_ARGUMENT');
      assert.equal(body.error.details[0].reason, 'API_KEY_INVALID');
      const missing = await post(`/v1beta/models/${GEMINI}:generateContent`, { contents: [{ parts: [{ text: 'x' }] }] }, { 'x-goog-api-key': '' });
      assert.equal(missing.status, 400, 'an empty key is a wrong key');
      const noKey = await fetch(`${mock.origin}/v1beta/models/${GEMINI}:generateContent`, { method: 'POST', body: '{"contents":[]}' });
      assert.equal(noKey.status, 403);
      assert.equal((await noKey.json()).error.status, 'PERMISSION_DENIED');
      const byQuery = await fetch(`${mock.origin}/v1beta/models/${GEMINI}:generateContent?key=${GEMINI_KEY}`, { method: 'POST', body: '{"contents":[{"parts":[{"text":"q"}]}]}' });
      assert.equal(byQuery.status, 200);
    });

    it('counts tokens', async () => {
      const response = await ai.models.countTokens({ model: GEMINI, contents: 'one two three' });
      assert.equal(response.totalTokens, 3);
      assert.equal(response.totalTokens, geminiTokenCount(mock.requests[0].body));
    });

    it('lists models page by page and gets one', async () => {
      const names = [];
      for await (const model of await ai.models.list({ config: { pageSize: 2 } })) names.push(model.name);
      assert.deepEqual(names, DEFAULT_GEMINI_MODELS.map((id) => `models/${id}`));
      assert.equal(mock.requests.length, 2, 'two pages of 2');
      const model = await ai.models.get({ model: GEMINI });
      assert.equal(model.displayName, 'Gemini 2.5 Flash');
      assert.equal((await rejection(ai.models.get({ model: 'gemini-none' }))).status, 404);
    });
  });

  describe('format selection', () => {
    it('shapes scripted errors and unknown paths by the format of the request', async () => {
      for (const path of ['/v1/chat/completions', '/v1/messages', `/v1beta/models/${GEMINI}:generateContent`]) {
        mock.enqueue({ path: path.split('?')[0], status: 503 });
      }
      const openai = await (await fetch(`${mock.origin}/v1/chat/completions`, { method: 'POST', body: '{}' })).json();
      assert.equal(openai.error.type, 'server_error');
      const anthropic = await (await fetch(`${mock.origin}/v1/messages`, { method: 'POST', body: '{}' })).json();
      assert.equal(anthropic.type, 'error');
      assert.equal(anthropic.error.type, 'api_error');
      const gemini = await (await fetch(`${mock.origin}/v1beta/models/${GEMINI}:generateContent`, { method: 'POST', body: '{}' })).json();
      assert.equal(gemini.error.status, 'UNAVAILABLE');

      const unknownGemini = await fetch(`${mock.origin}/v1beta/tunedModels/x`);
      assert.equal(unknownGemini.status, 404);
      assert.equal((await unknownGemini.json()).error.status, 'NOT_FOUND');
      const unknownAnthropic = await fetch(`${mock.origin}/v1/nope`, { headers: { 'anthropic-version': ANTHROPIC_VERSION } });
      assert.equal((await unknownAnthropic.json()).error.type, 'not_found_error');
    });

    it('serves only the OpenAI format by default, and rejects unknown format names', async () => {
      const plain = await startMock();
      try {
        const res = await fetch(`${plain.origin}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': ANTHROPIC_VERSION }, body: '{}' });
        assert.equal(res.status, 404);
        assert.equal((await res.json()).error.code, 'model_not_found');
      } finally {
        await plain.close();
      }
      await assert.rejects(startMock({ formats: ['cohere'] }), /unknown mock format: cohere/);
    });

    it('serves Anthropic alone, with streamForever and the SSE faults', async () => {
      const solo = await startMock({ formats: ['anthropic'] });
      try {
        const client = new Anthropic({ apiKey: 'any', baseURL: solo.origin, maxRetries: 0 });
        solo.enqueue({ streamForever: { intervalMs: 0, maxMs: 50 } });
        const { final, text } = await drainMessageStream(client.messages.stream({ model: CLAUDE, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }));
        assert.equal(final.stop_reason, 'max_tokens');
        assert.match(text, /^tick 0 tick 1 /);
        solo.enqueue({ stream: { dropAfterChunks: 2 } });
        const dropped = await rejection(drainMessageStream(client.messages.stream({ model: CLAUDE, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })));
        assert.ok(dropped instanceof Error);
        assert.equal(solo.lastRequest.fault, 'dropped');
      } finally {
        await solo.close();
      }
    });

    it('serves Gemini streamForever ending with MAX_TOKENS', async () => {
      const solo = await startMock({ formats: ['gemini'] });
      try {
        const genai = new GoogleGenAI({ apiKey: 'any', httpOptions: { baseUrl: solo.origin } });
        solo.enqueue({ streamForever: { intervalMs: 0, maxMs: 50 } });
        const chunks = [];
        for await (const chunk of await genai.models.generateContentStream({ model: GEMINI, contents: 'x' })) chunks.push(chunk);
        assert.ok(chunks.length > 2);
        assert.equal(chunks.at(-1).candidates[0].finishReason, 'MAX_TOKENS');
        assert.deepEqual(chunks.at(-1).usageMetadata, MOCK_GEMINI_USAGE);
      } finally {
        await solo.close();
      }
    });
  });
});
