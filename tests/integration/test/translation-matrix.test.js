// The translation conformance matrix: each client API (the OpenAI SDK on /v1/chat/completions, the
// Anthropic SDK on /v1/messages) against each upstream wire format (the mock's OpenAI, Anthropic and
// Gemini formats, configured as providers `oa`, `an` and `gm`), streamed and not, for text, tools
// (a call, then its result sent back), images, JSON output and provider errors. Every cell checks
// both ends: what the client's SDK got (content, finish/stop reason, usage in the client's own
// counting) and what the mock received (the request body in its own wire format). Same-format cells
// are pass-through: the body arrives byte-identical except `model`.
//
// The expected upstream bodies are built from the same neutral `spec` as the client's request: a
// correct translation of a spec into format X is what a native client of X sends for it
// (openaiRequest, anthropicRequest, geminiRequest below).
//
// Then the stream-only checks (raw framing, Anthropic event order and the cost comment's place,
// usage only when asked, first content before the provider finishes, a mid-stream failure), finish
// reasons, reasoning signatures (back to their own provider, never across), dropped and refused
// fields, count_tokens and models.
//
// Gemini is a wire format of this version: a gateway that refuses the gemini provider at startup
// fails the whole matrix (its cells used to skip instead, so a lost adapter passed unnoticed).

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

import {
  startMock,
  MOCK_USAGE,
  MOCK_ANTHROPIC_USAGE,
  mockReplyText,
  anthropicReplyText,
  anthropicTokenCount,
  geminiReplyText,
  MOCK_THINKING,
  MOCK_SIGNATURE,
  openaiError,
  anthropicErrorBody,
  geminiError,
  geminiErrorBody,
} from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, WRONG_KEY, caught } from '../lib/fixtures.js';
import { parseSse, readBodySafely, withTimeout } from '../lib/util.js';

const OA_KEY = 'sk-oa-matrix-provider-key';
const AN_KEY = 'sk-ant-matrix-provider-key';
const GM_KEY = 'AIza-matrix-provider-key';
const ANTHROPIC_VERSION = '2023-06-01';

// ---- the axes ---------------------------------------------------------------------------------

const UPSTREAMS = {
  openai: { format: 'openai', provider: 'oa', model: 'gpt-4o-mini' },
  anthropic: { format: 'anthropic', provider: 'an', model: 'claude-sonnet-4-6' },
  gemini: { format: 'gemini', provider: 'gm', model: 'gemini-2.5-flash' },
};
const modelOf = (up) => `${up.provider}/${up.model}`;

const SYSTEM = 'You are terse.';
const MAX_TOKENS = 64;
const USER_TEXT = 'hello from the matrix';
// A 1×1 PNG.
const IMAGE_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const IMAGE_URL = 'https://images.example.com/cat.png';
const WEATHER = Object.freeze({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
});
const TIME = Object.freeze({
  name: 'get_time',
  description: 'Current time in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
});
const WEATHER_SCHEMA = Object.freeze({
  type: 'object',
  properties: { temp_c: { type: 'number' } },
  required: ['temp_c'],
  additionalProperties: false,
});
const TOOL_RESULT = '{"temp_c":18}';
const JSON_REPLY = '{"temp_c":18}';

// ---- the neutral spec, as each format writes it ---------------------------------------------
// spec: { system?, turns: [{role:'user', text, image?: {b64}|{url}} | {role:'assistant', text?,
// toolCalls?: [{id,name,args}], thinking?: [{thinking, signature}]} | {role:'tool', id, name,
// content}], tools?, toolChoice?: 'auto'|'none', json?: {name?, schema}, stop?: [..], maxTokens?,
// stream }

function openaiRequest(spec, model) {
  const messages = [];
  if (spec.system) messages.push({ role: 'system', content: spec.system });
  for (const turn of spec.turns) {
    if (turn.role === 'user') {
      const image = turn.image && {
        type: 'image_url',
        image_url: { url: turn.image.b64 ? `data:image/png;base64,${turn.image.b64}` : turn.image.url },
      };
      messages.push({ role: 'user', content: image ? [{ type: 'text', text: turn.text }, image] : turn.text });
    } else if (turn.role === 'assistant') {
      const message = { role: 'assistant', content: turn.text ?? null };
      if (turn.toolCalls?.length) {
        message.tool_calls = turn.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }));
      }
      if (turn.thinking) message.thinking_blocks = turn.thinking.map((b) => ({ type: 'thinking', thinking: b.thinking, signature: b.signature }));
      messages.push(message);
    } else {
      messages.push({ role: 'tool', tool_call_id: turn.id, content: turn.content });
    }
  }
  const body = { model, messages };
  if (spec.maxTokens !== undefined) body.max_completion_tokens = spec.maxTokens;
  if (spec.tools) {
    body.tools = spec.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    if (spec.toolChoice) body.tool_choice = spec.toolChoice;
  }
  if (spec.json) {
    body.response_format = { type: 'json_schema', json_schema: { name: spec.json.name ?? 'response', schema: spec.json.schema, strict: true } };
  }
  if (spec.stop) body.stop = spec.stop;
  if (spec.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

// `textBlocks`: user text as [{type:"text"}] blocks (what a translation sends) rather than a string.
function anthropicRequest(spec, model, { textBlocks = false } = {}) {
  const messages = [];
  const push = (role, content) => {
    const last = messages[messages.length - 1];
    if (last && last.role === role && Array.isArray(last.content) && Array.isArray(content)) last.content.push(...content);
    else messages.push({ role, content });
  };
  for (const turn of spec.turns) {
    if (turn.role === 'user') {
      const image = turn.image && {
        type: 'image',
        source: turn.image.b64 ? { type: 'base64', media_type: 'image/png', data: turn.image.b64 } : { type: 'url', url: turn.image.url },
      };
      const text = { type: 'text', text: turn.text };
      push('user', image ? [text, image] : textBlocks ? [text] : turn.text);
    } else if (turn.role === 'assistant') {
      push('assistant', [
        ...(turn.thinking ?? []).map((b) => ({ type: 'thinking', thinking: b.thinking, signature: b.signature })),
        ...(turn.text ? [{ type: 'text', text: turn.text }] : []),
        ...(turn.toolCalls ?? []).map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.args })),
      ]);
    } else {
      push('user', [{ type: 'tool_result', tool_use_id: turn.id, content: turn.content }]);
    }
  }
  const body = { model, max_tokens: spec.maxTokens };
  if (spec.system) body.system = spec.system;
  body.messages = messages;
  if (spec.tools) {
    body.tools = spec.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
    if (spec.toolChoice) body.tool_choice = { type: spec.toolChoice };
  }
  if (spec.json) body.output_config = { format: { type: 'json_schema', schema: spec.json.schema } };
  if (spec.stop) body.stop_sequences = spec.stop;
  if (spec.stream) body.stream = true;
  return body;
}

// Gemini: no model or stream member (the path says both); functionCall parts are compared without
// their thoughtSignature (see normalizeGemini).
function geminiRequest(spec) {
  const body = {};
  if (spec.system) body.systemInstruction = { parts: [{ text: spec.system }] };
  const contents = [];
  const push = (role, parts) => {
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const turn of spec.turns) {
    if (turn.role === 'user') {
      push('user', [{ text: turn.text }, ...(turn.image ? [{ inlineData: { mimeType: 'image/png', data: turn.image.b64 } }] : [])]);
    } else if (turn.role === 'assistant') {
      push('model', [...(turn.text ? [{ text: turn.text }] : []), ...(turn.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: c.args } }))]);
    } else {
      push('user', [{ functionResponse: { name: turn.name, response: JSON.parse(turn.content) } }]);
    }
  }
  body.contents = contents;
  if (spec.tools) {
    body.tools = [{ functionDeclarations: spec.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }];
    if (spec.toolChoice) body.toolConfig = { functionCallingConfig: { mode: spec.toolChoice.toUpperCase() } };
  }
  const config = {};
  if (spec.maxTokens !== undefined) config.maxOutputTokens = spec.maxTokens;
  if (spec.json) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = spec.json.schema;
  }
  if (spec.stop) config.stopSequences = spec.stop;
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return body;
}

// What the mock must receive from a client of another format.
const EXPECTED_UPSTREAM = {
  openai: (spec) => openaiRequest(spec, UPSTREAMS.openai.model),
  anthropic: (spec) => anthropicRequest(spec, UPSTREAMS.anthropic.model, { textBlocks: true }),
  gemini: (spec) => geminiRequest(spec),
};

// Gemini function calls carry a thoughtSignature (the model's own, or the documented "skip
// validator" sentinel for calls that came from elsewhere): present as a string, compared apart.
function normalizeGemini(body) {
  const copy = structuredClone(body);
  for (const content of copy.contents ?? []) {
    for (const part of content.parts ?? []) {
      if (part.functionCall && 'thoughtSignature' in part) {
        assert.equal(typeof part.thoughtSignature, 'string', 'a functionCall thoughtSignature is a string');
        delete part.thoughtSignature;
      }
    }
  }
  return copy;
}

// The transport side of an upstream request: path, key, version header, stream flag in the path.
function assertUpstreamTransport(up, rec, stream) {
  if (up.format === 'openai') {
    assert.equal(rec.path, '/v1/chat/completions');
    assert.equal(rec.headers.authorization, `Bearer ${OA_KEY}`);
  } else if (up.format === 'anthropic') {
    assert.equal(rec.path, '/v1/messages');
    assert.equal(rec.headers['x-api-key'], AN_KEY);
    assert.equal(rec.headers['anthropic-version'], ANTHROPIC_VERSION);
  } else {
    const method = stream ? 'streamGenerateContent' : 'generateContent';
    assert.equal(rec.path, `/v1beta/models/${up.model}:${method}`);
    assert.deepEqual(rec.query, stream ? { alt: 'sse' } : {}, 'streams ask for SSE (alt=sse)');
    assert.equal(rec.headers['x-goog-api-key'], GM_KEY);
  }
}

// ---- the clients ------------------------------------------------------------------------------

const FINISH = {
  openai: { stop: 'stop', tool: 'tool_calls' },
  anthropic: { stop: 'end_turn', tool: 'tool_use' },
};

// The usage each client must see for the mocks' fixed usage (11 prompt tokens, 3 of them cache
// reads, 7 output tokens): OpenAI's prompt_tokens include cache reads and writes; Anthropic's
// input_tokens exclude both.
const TRANSLATED_ANTHROPIC_USAGE = {
  input_tokens: 8,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 3,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens: 7,
  output_tokens_details: { thinking_tokens: 2 },
};
const EXPECTED_USAGE = {
  openai: {
    openai: MOCK_USAGE,
    anthropic: {
      prompt_tokens: 11, // 6 uncached + 2 cache writes + 3 cache reads
      completion_tokens: 7,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 3, cache_write_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    gemini: {
      prompt_tokens: 11,
      completion_tokens: 7, // 5 candidates + 2 thoughts
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 2 },
    },
  },
  anthropic: {
    openai: TRANSLATED_ANTHROPIC_USAGE,
    anthropic: MOCK_ANTHROPIC_USAGE,
    gemini: TRANSLATED_ANTHROPIC_USAGE,
  },
};

// A fetch that records what the SDK sent, for the pass-through byte comparisons.
const sent = [];
async function recordingFetch(url, init) {
  sent.push({ url: String(url), body: typeof init?.body === 'string' ? init.body : null });
  return fetch(url, init);
}

// The OpenAI SDK's chunks folded into one answer; checks the chunk framing on the way.
function foldOpenAIChunks(chunks) {
  let text = '';
  let finish = null;
  let usage = null;
  let reasoning = '';
  let thinkingBlocks = [];
  const calls = [];
  assert.ok(chunks.length > 0, 'the stream has chunks');
  assert.equal(chunks[0].choices[0]?.delta?.role, 'assistant', 'the first chunk carries the role');
  chunks.forEach((chunk, i) => {
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.choices.length === 0) {
      assert.equal(i, chunks.length - 1, 'the usage chunk (choices: []) comes last');
      usage = chunk.usage;
    }
    for (const choice of chunk.choices) {
      assert.equal(choice.index, 0);
      if (finish !== null) assert.fail(`a chunk after the finish chunk: ${JSON.stringify(chunk)}`);
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') text += delta.content;
      if (typeof delta.reasoning_content === 'string') reasoning += delta.reasoning_content;
      if (Array.isArray(delta.thinking_blocks)) thinkingBlocks = delta.thinking_blocks; // the whole list so far
      for (const fragment of delta.tool_calls ?? []) {
        calls[fragment.index] ??= { id: '', name: '', arguments: '' };
        const call = calls[fragment.index];
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.name = fragment.function.name;
        if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  });
  return { text, finish, usage, toolCalls: calls, reasoning, thinking: signedThinking(thinkingBlocks) };
}

// OpenAI clients get signed reasoning as message.thinking_blocks (this gateway's round-trip field).
function signedThinking(blocks) {
  return (blocks ?? []).filter((b) => b.type === 'thinking').map((b) => ({ thinking: b.thinking, signature: b.signature }));
}

function fromAnthropicMessage(message) {
  return {
    raw: message,
    text: message.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    finish: message.stop_reason,
    usage: message.usage,
    toolCalls: message.content.filter((b) => b.type === 'tool_use').map((b) => ({ id: b.id, name: b.name, arguments: JSON.stringify(b.input) })),
    reasoning: message.content.filter((b) => b.type === 'thinking').map((b) => b.thinking).join(''),
    thinking: message.content.filter((b) => b.type === 'thinking').map((b) => ({ thinking: b.thinking, signature: b.signature })),
  };
}

// Each client: how it writes a spec, how its SDK calls the gateway (a normalized answer: text,
// finish, usage, toolCalls [{id,name,arguments}], headers), its raw path and headers, its error
// statuses and classes, and its error body shape.
const CLIENTS = {
  openai: {
    build: (spec, model) => openaiRequest(spec, model),
    path: '/v1/chat/completions',
    rawHeaders: () => ({ authorization: `Bearer ${GATEWAY_KEY}` }),
    clientStatus: (status) => (status === 529 ? 503 : status),
    errorClass: { 400: OpenAI.BadRequestError, 401: OpenAI.AuthenticationError, 429: OpenAI.RateLimitError, 500: OpenAI.InternalServerError, 503: OpenAI.InternalServerError },
    async call(sdk, body) {
      if (!body.stream) {
        const { data, response } = await sdk.chat.completions.create(body).withResponse();
        assert.equal(data.object, 'chat.completion');
        assert.equal(data.choices.length, 1);
        const choice = data.choices[0];
        return {
          raw: data,
          headers: response.headers,
          text: choice.message.content ?? '',
          finish: choice.finish_reason,
          usage: data.usage,
          toolCalls: (choice.message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
          reasoning: choice.message.reasoning_content ?? '',
          thinking: signedThinking(choice.message.thinking_blocks),
        };
      }
      const { data: stream, response } = await sdk.chat.completions.create(body).withResponse();
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      return { ...foldOpenAIChunks(chunks), headers: response.headers, chunks };
    },
    // The SDK's error: its parsed body is error.error (the inner object).
    errorBody: (error) => ({ error: error.error }),
    // (OpenAI error types are free text: the provider's own type passes through.)
    assertErrorBody(body, { message }) {
      assert.deepEqual(Object.keys(body), ['error'], `only the OpenAI error object: ${JSON.stringify(body)}`);
      assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(typeof body.error.type, 'string');
      if (message !== undefined) assert.equal(body.error.message, message, 'the provider\'s message, as it wrote it');
    },
    // The last data event of a stream that failed: {"error":{...}}.
    streamErrorOf(events) {
      const data = events.filter((e) => e.data !== null);
      const last = data[data.length - 1];
      assert.ok(last && last.data !== '[DONE]', 'no data: [DONE] after a failure');
      const body = JSON.parse(last.data);
      assert.ok(body.error && typeof body.error.message === 'string', `the last data event is an error: ${last.data}`);
      assert.ok(!events.some((e) => e.data === '[DONE]'), 'no [DONE] anywhere');
      return body.error;
    },
    contentOfRawEvents(events) {
      return events
        .filter((e) => e.data !== null && e.data !== '[DONE]')
        .map((e) => JSON.parse(e.data))
        .flatMap((c) => c.choices ?? [])
        .map((c) => c.delta?.content ?? '')
        .join('');
    },
  },
  anthropic: {
    build: (spec, model) => anthropicRequest(spec, model),
    path: '/v1/messages',
    rawHeaders: () => ({ 'x-api-key': GATEWAY_KEY, 'anthropic-version': ANTHROPIC_VERSION }),
    clientStatus: (status) => status,
    errorClass: { 400: Anthropic.BadRequestError, 401: Anthropic.AuthenticationError, 429: Anthropic.RateLimitError, 500: Anthropic.InternalServerError, 529: Anthropic.InternalServerError },
    errorType: { 400: 'invalid_request_error', 401: 'authentication_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' },
    async call(sdk, body) {
      if (!body.stream) {
        const { data, response } = await sdk.messages.create(body).withResponse();
        assert.equal(data.type, 'message');
        assert.equal(data.role, 'assistant');
        return { ...fromAnthropicMessage(data), headers: response.headers };
      }
      const stream = sdk.messages.stream(body);
      const events = [];
      for await (const event of stream) events.push(event);
      const final = await stream.finalMessage();
      const { response } = await stream.withResponse();
      assert.equal(events[0].type, 'message_start');
      assert.equal(events[events.length - 1].type, 'message_stop');
      return { ...fromAnthropicMessage(final), headers: response.headers, events };
    },
    // The SDK's error: its parsed body is error.error (the whole body).
    errorBody: (error) => error.error,
    assertErrorBody(body, { message, status }) {
      assert.equal(body.type, 'error', `the Anthropic error shape: ${JSON.stringify(body)}`);
      for (const key of Object.keys(body)) assert.ok(['type', 'error', 'request_id'].includes(key), `no foreign key "${key}" in ${JSON.stringify(body)}`);
      assert.deepEqual(Object.keys(body.error).sort(), ['message', 'type']);
      if (status !== undefined) assert.equal(body.error.type, CLIENTS.anthropic.errorType[status]);
      if (message !== undefined) assert.equal(body.error.message, message, 'the provider\'s message, as it wrote it');
    },
    streamErrorOf(events) {
      const named = events.filter((e) => e.data !== null);
      const last = named[named.length - 1];
      assert.equal(last?.event, 'error', `the last event is an error event: ${JSON.stringify(last)}`);
      assert.ok(!events.some((e) => e.event === 'message_stop'), 'no message_stop after a failure');
      const body = JSON.parse(last.data);
      assert.equal(body.type, 'error');
      return body.error;
    },
    contentOfRawEvents(events) {
      return events
        .filter((e) => e.event === 'content_block_delta')
        .map((e) => JSON.parse(e.data).delta)
        .filter((d) => d.type === 'text_delta')
        .map((d) => d.text)
        .join('');
    },
  },
};

// A provider error body in the upstream's own format, with a message of our choosing.
function providerErrorBody(format, status, message) {
  if (format === 'openai') return openaiError(message, { type: status >= 500 ? 'server_error' : 'invalid_request_error' });
  if (format === 'anthropic') return anthropicErrorBody(status, message, 'req_matrix');
  return geminiErrorBody(status, message);
}

// The default answer's text for what the mock received.
function replyTextFor(format, body) {
  if (format === 'openai') return mockReplyText(body);
  if (format === 'anthropic') return anthropicReplyText(body);
  return geminiReplyText(body);
}

const label = (key) => ({ openai: 'OpenAI', anthropic: 'Anthropic', gemini: 'Gemini' })[key];

// The order of an Anthropic client's events (§3.4): message_start; blocks one at a time, indexes
// 0, 1, ...; message_delta with usage.output_tokens once every block is closed; message_stop.
function assertAnthropicEventOrder(events) {
  const data = events.filter((e) => e.data !== null).map((e) => ({ name: e.event, body: JSON.parse(e.data) }));
  assert.equal(data[0]?.name, 'message_start');
  let open = null;
  let next = 0;
  let sawDelta = false;
  for (const { name, body } of data.slice(1)) {
    if (name === 'ping') continue;
    if (name === 'content_block_start') {
      assert.equal(open, null, 'one block open at a time');
      assert.equal(body.index, next, 'blocks are numbered 0, 1, ...');
      open = body.index;
    } else if (name === 'content_block_delta') {
      assert.equal(body.index, open, 'a delta belongs to the open block');
    } else if (name === 'content_block_stop') {
      assert.equal(body.index, open);
      open = null;
      next += 1;
    } else if (name === 'message_delta') {
      assert.equal(open, null, 'every block is closed before message_delta');
      assert.equal(typeof body.usage?.output_tokens, 'number', 'message_delta always has usage.output_tokens');
      sawDelta = true;
    } else if (name === 'message_stop') {
      assert.ok(sawDelta, 'message_delta before message_stop');
    } else {
      assert.fail(`unexpected event ${name}`);
    }
  }
  return data[0].body.message;
}

describe('translation matrix', { skip: gatewaySkip, timeout: 600_000 }, () => {
  let mock;
  let gw;
  const sdks = {};
  const doneRequests = new WeakSet(); // mock request records whose answer has been sent in full

  before(async () => {
    mock = await startMock({
      formats: ['openai', 'anthropic', 'gemini'],
      openai: { apiKey: OA_KEY },
      anthropic: { apiKey: AN_KEY },
      gemini: { apiKey: GM_KEY },
    });
    mock.on('request', (rec) => rec.done.then(() => doneRequests.add(rec)));
    const providers = {
      oa: { kind: 'openai', base_url: mock.baseURL, api_key: OA_KEY, models: [UPSTREAMS.openai.model] },
      an: { kind: 'anthropic', base_url: mock.origin, api_key: AN_KEY, models: [UPSTREAMS.anthropic.model] },
      gm: { kind: 'gemini', base_url: `${mock.origin}/v1beta`, api_key: GM_KEY, models: [UPSTREAMS.gemini.model] },
    };
    const config = (names) => ({
      providers: Object.fromEntries(names.map((n) => [n, providers[n]])),
      keys: [{ key: GATEWAY_KEY, name: 'matrix' }],
    });
    gw = await startGateway({ config: config(['oa', 'an', 'gm']) });
    sdks.openai = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: gw.openaiBaseURL, maxRetries: 0, timeout: 20_000, fetch: recordingFetch });
    sdks.anthropic = new Anthropic({ apiKey: GATEWAY_KEY, baseURL: gw.baseURL, maxRetries: 0, timeout: 20_000, fetch: recordingFetch });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0 on SIGTERM');
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => {
    mock.reset();
    sent.length = 0;
  });

  // One named test per cell (`up`, the upstream it reaches, names it in the table above).
  function cell(name, up, fn, options = {}) {
    it(name, options, async (t) => fn(t));
  }

  // Sends `spec` with client `c` to upstream `up`; returns the normalized answer, the body the
  // client sent, and the mock's one request record.
  async function exchange(c, up, spec) {
    const body = CLIENTS[c].build(spec, modelOf(up));
    const result = await withTimeout(CLIENTS[c].call(sdks[c], body), 20_000, `the ${c} call`);
    assert.equal(mock.requests.length, 1, 'one upstream request (no retries)');
    return { body, result, rec: mock.requests[0], sentRaw: sent[sent.length - 1]?.body };
  }

  // The mock received the spec in its own format: byte-identical but for model when the formats
  // match, else exactly the expected translation.
  function assertUpstreamBody(c, up, spec, rec, sentRaw) {
    assertUpstreamTransport(up, rec, Boolean(spec.stream));
    if (c === up.format) {
      const clientModel = `"model":${JSON.stringify(modelOf(up))}`;
      assert.ok(sentRaw?.includes(clientModel), 'the SDK body was recorded');
      assert.equal(rec.rawBody, sentRaw.replace(clientModel, `"model":${JSON.stringify(up.model)}`), 'pass-through: byte-identical except model');
      return;
    }
    const actual = up.format === 'gemini' ? normalizeGemini(rec.body) : rec.body;
    assert.deepEqual(actual, EXPECTED_UPSTREAM[up.format](spec));
  }

  function assertCommonHeaders(result, up, { dropped = null } = {}) {
    assert.equal(result.headers.get('x-switchyard-provider'), up.provider);
    assert.equal(result.headers.get('x-switchyard-model'), up.model);
    assert.equal(result.headers.get('x-switchyard-dropped-params'), dropped);
  }

  async function rawPost(c, body, extraHeaders = {}) {
    return fetch(`${gw.baseURL}${CLIENTS[c].path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...CLIENTS[c].rawHeaders(), ...extraHeaders },
      body: JSON.stringify(body),
    });
  }

  async function rawStream(c, body) {
    const res = await rawPost(c, body);
    assert.equal(res.status, 200, 'the stream starts');
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const { text } = await withTimeout(readBodySafely(res), 20_000, 'the raw stream');
    return { res, text, events: parseSse(text) };
  }

  const userTurn = (text = USER_TEXT, extra = {}) => ({ role: 'user', text, ...extra });

  // ---- the core matrix: client × upstream × stream × feature -----------------------------------

  for (const c of Object.keys(CLIENTS)) {
    for (const u of Object.keys(UPSTREAMS)) {
      const up = UPSTREAMS[u];
      for (const stream of [false, true]) {
        const mode = stream ? 'stream' : 'non-stream';
        describe(`${label(c)} client → ${label(u)} upstream (${up.provider}), ${mode}`, () => {
          cell('text: content, stop reason, usage; system prompt, max tokens, stream flags upstream', up, async () => {
            const spec = { system: SYSTEM, turns: [userTurn()], maxTokens: MAX_TOKENS, stream };
            const { result, rec, sentRaw } = await exchange(c, up, spec);
            assertUpstreamBody(c, up, spec, rec, sentRaw);
            assert.equal(result.text, `mock reply: ${USER_TEXT}`);
            assert.equal(result.text, replyTextFor(u, rec.body));
            assert.equal(result.finish, FINISH[c].stop);
            assert.deepEqual(result.toolCalls, []);
            assert.deepEqual(result.usage, EXPECTED_USAGE[c][u]);
            assertCommonHeaders(result, up);
          });

          cell('tools: the call comes back with name, id and arguments; its result goes back up', up, async () => {
            const first = { system: SYSTEM, turns: [userTurn('weather in Paris?')], tools: [WEATHER], toolChoice: 'auto', maxTokens: MAX_TOKENS, stream };
            const one = await exchange(c, up, first);
            assertUpstreamBody(c, up, first, one.rec, one.sentRaw);
            assert.equal(one.result.finish, FINISH[c].tool);
            assert.equal(one.result.toolCalls.length, 1);
            const [call] = one.result.toolCalls;
            assert.equal(call.name, 'get_weather');
            assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
            assert.match(call.id, /^[A-Za-z0-9_-]+$/, `a usable tool call id: ${call.id}`);
            assert.equal(one.result.text, '');
            assert.deepEqual(one.result.usage, EXPECTED_USAGE[c][u]);

            mock.reset();
            const second = {
              ...first,
              toolChoice: 'none',
              turns: [
                ...first.turns,
                { role: 'assistant', toolCalls: [{ id: call.id, name: call.name, args: JSON.parse(call.arguments) }] },
                { role: 'tool', id: call.id, name: call.name, content: TOOL_RESULT },
              ],
            };
            const two = await exchange(c, up, second);
            assertUpstreamBody(c, up, second, two.rec, two.sentRaw);
            assert.equal(two.result.finish, FINISH[c].stop);
            assert.equal(two.result.text, replyTextFor(u, two.rec.body));
            assert.deepEqual(two.result.toolCalls, []);
          });

          cell('parallel tools: two calls come back in order with distinct ids; both results go back in one turn', up, async () => {
            mock.enqueue({ reply: { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }, { name: 'get_time', arguments: '{"city":"Oslo"}' }] } });
            const first = { system: SYSTEM, turns: [userTurn('weather and time?')], tools: [WEATHER, TIME], toolChoice: 'auto', maxTokens: MAX_TOKENS, stream };
            const one = await exchange(c, up, first);
            assertUpstreamBody(c, up, first, one.rec, one.sentRaw);
            assert.equal(one.result.finish, FINISH[c].tool);
            const calls = one.result.toolCalls;
            assert.deepEqual(calls.map((t) => [t.name, JSON.parse(t.arguments)]), [['get_weather', { city: 'Paris' }], ['get_time', { city: 'Oslo' }]]);
            assert.notEqual(calls[0].id, calls[1].id, 'distinct ids');

            mock.reset();
            const second = {
              ...first,
              toolChoice: 'none',
              turns: [
                ...first.turns,
                { role: 'assistant', toolCalls: calls.map((t) => ({ id: t.id, name: t.name, args: JSON.parse(t.arguments) })) },
                { role: 'tool', id: calls[0].id, name: calls[0].name, content: TOOL_RESULT },
                { role: 'tool', id: calls[1].id, name: calls[1].name, content: '{"time":"12:00"}' },
              ],
            };
            const two = await exchange(c, up, second);
            assertUpstreamBody(c, up, second, two.rec, two.sentRaw);
            assert.equal(two.result.finish, FINISH[c].stop);
          });

          cell('image: inline base64 data reaches the provider as its inline image', up, async () => {
            const spec = { system: SYSTEM, turns: [userTurn('what is this?', { image: { b64: IMAGE_B64 } })], maxTokens: MAX_TOKENS, stream };
            const { result, rec, sentRaw } = await exchange(c, up, spec);
            assertUpstreamBody(c, up, spec, rec, sentRaw);
            assert.equal(result.text, 'mock reply: what is this?');
            assert.equal(result.finish, FINISH[c].stop);
          });

          if (u === 'gemini') {
            cell('image: a URL is refused with a 400 naming the field, in the client API\'s error shape', up, async () => {
              const spec = { system: SYSTEM, turns: [userTurn('what is this?', { image: { url: IMAGE_URL } })], maxTokens: MAX_TOKENS, stream };
              const body = CLIENTS[c].build(spec, modelOf(up));
              const error = await caught(CLIENTS[c].call(sdks[c], body));
              assert.ok(error instanceof CLIENTS[c].errorClass[400], `got ${error}`);
              assert.equal(error.status, 400);
              const errorBody = CLIENTS[c].errorBody(error);
              CLIENTS[c].assertErrorBody(errorBody, { status: 400 });
              // The client's own path to the image: OpenAI counts the system message, Anthropic's
              // system prompt is not in messages.
              const field = c === 'openai' ? 'messages[1].content[1].image_url' : 'messages[0].content[1].source';
              assert.ok(errorBody.error.message.includes(field), `the message names ${field}: ${errorBody.error.message}`);
              if (c === 'openai') assert.equal(errorBody.error.param, field);
              assert.equal(mock.requests.length, 0, 'nothing reaches the provider');
            });
          } else {
            cell('image: a URL is passed on as a URL', up, async () => {
              const spec = { system: SYSTEM, turns: [userTurn('what is this?', { image: { url: IMAGE_URL } })], maxTokens: MAX_TOKENS, stream };
              const { result, rec, sentRaw } = await exchange(c, up, spec);
              assertUpstreamBody(c, up, spec, rec, sentRaw);
              assert.equal(result.text, 'mock reply: what is this?');
            });
          }

          cell('JSON output: the provider gets its structured-output field; the JSON comes back as text', up, async () => {
            const spec = {
              system: SYSTEM,
              turns: [userTurn('weather as JSON')],
              json: { name: c === 'openai' ? 'weather' : undefined, schema: WEATHER_SCHEMA },
              maxTokens: MAX_TOKENS,
              stream,
            };
            mock.enqueue({ reply: { content: JSON_REPLY } });
            const { result, rec, sentRaw } = await exchange(c, up, spec);
            assertUpstreamBody(c, up, spec, rec, sentRaw);
            assert.deepEqual(JSON.parse(result.text), JSON.parse(JSON_REPLY));
            assert.equal(result.finish, FINISH[c].stop);
          });

          for (const status of [400, 401, 429, 500, 529]) {
            cell(`error ${status} from the provider: the client's error class and status, the provider's message, no foreign body`, up, async () => {
              const message = `${label(u)} provider says ${status} (matrix)`;
              mock.enqueue({ status, body: providerErrorBody(u, status, message) });
              const spec = { turns: [userTurn()], maxTokens: MAX_TOKENS, stream };
              const body = CLIENTS[c].build(spec, modelOf(up));
              const error = await caught(CLIENTS[c].call(sdks[c], body));
              const clientStatus = CLIENTS[c].clientStatus(status);
              assert.ok(error instanceof CLIENTS[c].errorClass[clientStatus], `expected ${CLIENTS[c].errorClass[clientStatus].name}, got ${error}`);
              assert.equal(error.status, clientStatus);
              assert.ok(error.message.includes(message), `the SDK's message carries the provider's: ${error.message}`);
              CLIENTS[c].assertErrorBody(CLIENTS[c].errorBody(error), { message, status });
              assert.ok(error.headers.get('x-switchyard-request-id'), 'errors carry the request id');
              assert.equal(mock.requests.length, 1, 'tried once');
            });
          }
        });
      }
    }
  }

  // ---- client-side errors that never reach a provider -----------------------------------------

  describe('the gateway\'s own 401', () => {
    for (const c of Object.keys(CLIENTS)) {
      it(`${label(c)} client with a wrong gateway key: 401 in its shape, nothing reaches a provider`, async () => {
        const sdk = c === 'openai'
          ? new OpenAI({ apiKey: WRONG_KEY, baseURL: gw.openaiBaseURL, maxRetries: 0 })
          : new Anthropic({ apiKey: WRONG_KEY, baseURL: gw.baseURL, maxRetries: 0 });
        const body = CLIENTS[c].build({ turns: [userTurn()], maxTokens: MAX_TOKENS }, modelOf(UPSTREAMS.openai));
        const error = await caught(CLIENTS[c].call(sdk, body));
        assert.ok(error instanceof CLIENTS[c].errorClass[401], `got ${error}`);
        assert.equal(error.status, 401);
        CLIENTS[c].assertErrorBody(CLIENTS[c].errorBody(error), { status: 401 });
        assert.equal(mock.requests.length, 0);
      });
    }
  });

  // ---- streams: framing, cost comment, pacing, mid-stream failures ------------------------------

  // The 'one …' text: many words, so many content chunks.
  const LONG_TEXT = 'one two three four five six seven eight nine ten';

  for (const c of Object.keys(CLIENTS)) {
    for (const u of Object.keys(UPSTREAMS)) {
      const up = UPSTREAMS[u];
      describe(`${label(c)} client → ${label(u)} upstream (${up.provider}), stream only`, () => {
        cell('raw framing: the cost comment comes just before the terminator', up, async () => {
          const body = CLIENTS[c].build({ system: SYSTEM, turns: [userTurn()], maxTokens: MAX_TOKENS, stream: true }, modelOf(up));
          const { res, text, events } = await rawStream(c, body);
          const requestId = res.headers.get('x-switchyard-request-id');
          const commentEvents = events.filter((e) => e.comments.some((x) => x.startsWith('switchyard ')));
          assert.equal(commentEvents.length, 1, `one cost comment: ${text}`);
          const [comment] = commentEvents;
          assert.equal(comment.data, null, 'the comment stands alone');
          const cost = JSON.parse(comment.comments[0].slice('switchyard '.length));
          assert.equal(cost.request_id, requestId);
          assert.ok(cost.cost_usd === null || typeof cost.cost_usd === 'number', `cost_usd is a number or null: ${comment.comments[0]}`);
          const position = events.indexOf(comment);
          assert.equal(position, events.length - 2, 'the comment is the next-to-last event');
          const last = events[events.length - 1];
          if (c === 'openai') {
            assert.equal(last.data, '[DONE]');
            assert.ok(text.endsWith('data: [DONE]\n\n'));
            for (const e of events) assert.equal(e.event, null, 'no event: lines for OpenAI clients');
          } else {
            assert.equal(last.event, 'message_stop');
            for (const e of events.filter((x) => x.data !== null)) {
              assert.equal(JSON.parse(e.data).type, e.event, 'every event names its type in event:');
            }
            const start = assertAnthropicEventOrder(events);
            // Real input tokens when the provider has told them by then (Anthropic, and Gemini's
            // first chunk); an OpenAI upstream tells them only at the end: an estimate, never 0.
            if (u === 'openai') assert.ok(start.usage.input_tokens > 0, 'message_start has an input estimate');
            else assert.equal(start.usage.input_tokens, EXPECTED_USAGE.anthropic[u].input_tokens, 'message_start has the real input tokens');
          }
          assert.equal(CLIENTS[c].contentOfRawEvents(events), `mock reply: ${USER_TEXT}`);
        });

        if (c === 'openai') {
          cell('no usage chunk unless the client asked; the provider is still asked for usage', up, async () => {
            const body = CLIENTS.openai.build({ turns: [userTurn()], maxTokens: MAX_TOKENS, stream: true }, modelOf(up));
            delete body.stream_options;
            const { events } = await rawStream('openai', body);
            const chunks = events.filter((e) => e.data !== null && e.data !== '[DONE]').map((e) => JSON.parse(e.data));
            for (const chunk of chunks) {
              assert.ok(chunk.choices.length > 0, 'no choices: [] usage chunk');
              // Pass-through keeps the provider's chunks as sent: `usage: null` (which OpenAI puts on
              // every chunk once usage is asked for) reads as absent (§1.4).
              if (u === 'openai') assert.equal(chunk.usage ?? null, null, 'no usage when the client did not ask');
              else assert.ok(!('usage' in chunk), 'no usage key when the client did not ask');
            }
            assert.equal(CLIENTS.openai.contentOfRawEvents(events), `mock reply: ${USER_TEXT}`);
            const rec = mock.requests[0];
            if (u === 'openai') assert.deepEqual(rec.body.stream_options, { include_usage: true });
            if (u === 'anthropic') assert.ok(!('stream_options' in rec.body));
          });
        }

        cell('pacing: the first content reaches the client before the provider has finished', up, async () => {
          mock.enqueue({ stream: { chunkDelayMs: 100 } });
          const body = CLIENTS[c].build({ turns: [userTurn(LONG_TEXT)], maxTokens: MAX_TOKENS, stream: true }, modelOf(up));
          let atFirstContent = null;
          const snapshot = () => {
            if (atFirstContent) return;
            const rec = mock.requests[0];
            atFirstContent = { chunksSent: rec.chunksSent, done: doneRequests.has(rec) };
          };
          let text = '';
          if (c === 'openai') {
            const s = await sdks.openai.chat.completions.create(body);
            for await (const chunk of s) {
              const piece = chunk.choices[0]?.delta?.content;
              if (piece) {
                snapshot();
                text += piece;
              }
            }
          } else {
            const s = sdks.anthropic.messages.stream(body);
            for await (const event of s) {
              if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
                snapshot();
                text += event.delta.text;
              }
            }
          }
          assert.equal(text, `mock reply: ${LONG_TEXT}`);
          assert.ok(atFirstContent, 'content arrived');
          assert.equal(atFirstContent.done, false, 'the provider was still streaming when the first content reached the client');
          assert.ok(atFirstContent.chunksSent < mock.requests[0].chunksSent, `the first content came after ${atFirstContent.chunksSent} of ${mock.requests[0].chunksSent} upstream events`);
        });

        // A break after some content: the connection dropped, or the provider's own error event.
        const FAILURES = {
          drop: {
            openai: { stream: { dropAfterChunks: 3 } },
            anthropic: { stream: { dropAfterChunks: 5 } },
            gemini: { stream: { dropAfterChunks: 2 } },
          },
          'error event': {
            openai: {
              headers: { 'content-type': 'text/event-stream' },
              rawBody: [
                { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
                { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'mock partial' }, logprobs: null, finish_reason: null }] },
                { error: { message: 'upstream broke mid-stream (matrix)', type: 'server_error', param: null, code: null } },
              ].map((x) => `data: ${JSON.stringify(x)}\n\n`).join(''),
            },
            anthropic: { reply: { streamError: { afterEvents: 5, type: 'overloaded_error', message: 'upstream broke mid-stream (matrix)' } } },
            gemini: { reply: { streamError: { afterEvents: 2, code: 503, status: 'UNAVAILABLE', message: 'upstream broke mid-stream (matrix)' } } },
          },
        };
        for (const [kind, behaviours] of Object.entries(FAILURES)) {
          cell(`mid-stream failure (${kind}): the stream ends with the client API's error event and the SDK throws`, up, async () => {
            const body = CLIENTS[c].build({ turns: [userTurn(LONG_TEXT)], maxTokens: MAX_TOKENS, stream: true }, modelOf(up));
            mock.enqueue(behaviours[u]);
            const { events } = await rawStream(c, body);
            const content = CLIENTS[c].contentOfRawEvents(events);
            assert.ok(content.length > 0, 'the content sent before the break was relayed');
            const error = CLIENTS[c].streamErrorOf(events);
            if (kind === 'error event') assert.equal(error.message, 'upstream broke mid-stream (matrix)');

            mock.enqueue(behaviours[u]);
            const sdkError = await caught(withTimeout(CLIENTS[c].call(sdks[c], body), 20_000, 'the broken stream'));
            assert.notEqual(sdkError.code, 'TEST_TIMEOUT', `the SDK throws: ${sdkError}`);
            assert.ok(sdkError instanceof (c === 'openai' ? OpenAI.APIError : Anthropic.APIError), `an SDK API error: ${sdkError}`);
          });
        }
      });
    }
  }

  // ---- finish reasons -------------------------------------------------------------------------

  describe('finish reasons (§6.8)', () => {
    const CASES = [
      { u: 'openai', reason: 'length', openai: 'length', anthropic: 'max_tokens' },
      { u: 'openai', reason: 'content_filter', openai: 'content_filter', anthropic: 'refusal' },
      { u: 'anthropic', reason: 'max_tokens', openai: 'length', anthropic: 'max_tokens' },
      { u: 'anthropic', reason: 'model_context_window_exceeded', openai: 'length', anthropic: 'model_context_window_exceeded' },
      { u: 'anthropic', reason: 'refusal', openai: 'content_filter', anthropic: 'refusal' },
      { u: 'anthropic', reason: 'stop_sequence', openai: 'stop', anthropic: 'stop_sequence', stop: ['END'] },
      { u: 'gemini', reason: 'MAX_TOKENS', openai: 'length', anthropic: 'max_tokens' },
      { u: 'gemini', reason: 'SAFETY', openai: 'content_filter', anthropic: 'refusal' },
      { u: 'gemini', reason: 'RECITATION', openai: 'content_filter', anthropic: 'refusal' },
      { u: 'gemini', reason: 'OTHER', openai: 'stop', anthropic: 'end_turn' },
    ];
    for (const { u, reason, stop, ...expected } of CASES) {
      const up = UPSTREAMS[u];
      for (const c of Object.keys(CLIENTS)) {
        for (const stream of [false, true]) {
          cell(`${label(c)} client ← ${label(u)} (${up.provider}) ${reason}, ${stream ? 'stream' : 'non-stream'} → ${expected[c]}`, up, async () => {
            mock.enqueue({ reply: { finishReason: reason } });
            const spec = { turns: [userTurn()], maxTokens: MAX_TOKENS, stop, stream };
            const { result, rec, sentRaw } = await exchange(c, up, spec);
            assertUpstreamBody(c, up, spec, rec, sentRaw);
            assert.equal(result.finish, expected[c]);
            assert.equal(result.text, `mock reply: ${USER_TEXT}`);
            if (c === 'anthropic') assert.equal(result.raw.stop_sequence, reason === 'stop_sequence' ? 'END' : null);
          });
        }
      }
    }
  });

  // ---- reasoning ------------------------------------------------------------------------------
  // Signed reasoning goes back to the provider that signed it, unmodified; never to another one
  // (wire-formats.md §6.7): an Anthropic signature is not Gemini base64, and a Gemini one is not an
  // Anthropic signature.

  describe('reasoning: signatures round-trip to their provider and never cross to another', () => {
    const GEMINI_SIGNATURE = 'CiQBmatrixThoughtSignature==';
    const signedCall = { reply: { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}', thoughtSignature: GEMINI_SIGNATURE }] } };

    // The first turn's answer, sent back as the assistant turn of a second turn (with the tool
    // result when it called one), to `next`.
    async function secondTurn(c, next, first, one) {
      const calls = one.result.toolCalls.map((t) => ({ id: t.id, name: t.name, args: JSON.parse(t.arguments) }));
      const turns = [...first.turns, { role: 'assistant', text: one.result.text || undefined, toolCalls: calls, thinking: one.result.thinking }];
      for (const call of calls) turns.push({ role: 'tool', id: call.id, name: call.name, content: TOOL_RESULT });
      if (calls.length === 0) turns.push(userTurn('and again'));
      mock.reset();
      const body = CLIENTS[c].build({ ...first, turns, toolChoice: first.tools ? 'none' : undefined }, modelOf(next));
      const result = await CLIENTS[c].call(sdks[c], body);
      return { result, rec: mock.requests[0] };
    }

    for (const stream of [false, true]) {
      const mode = stream ? 'stream' : 'non-stream';

      cell(`OpenAI client ← Anthropic (an) thinking, ${mode}: reasoning_content and signed thinking_blocks; sent back unmodified`, UPSTREAMS.anthropic, async () => {
        const first = { turns: [userTurn()], maxTokens: 3000, stream };
        const body = { ...CLIENTS.openai.build(first, modelOf(UPSTREAMS.anthropic)), reasoning_effort: 'low' };
        const result = await CLIENTS.openai.call(sdks.openai, body);
        assert.deepEqual(mock.requests[0].body.thinking, { type: 'enabled', budget_tokens: 1024 });
        assert.equal(result.reasoning, MOCK_THINKING);
        assert.deepEqual(result.thinking, [{ thinking: MOCK_THINKING, signature: MOCK_SIGNATURE }]);
        assert.equal(result.text, `mock reply: ${USER_TEXT}`);
        const two = await secondTurn('openai', UPSTREAMS.anthropic, first, { result });
        const assistant = two.rec.body.messages[1];
        assert.deepEqual(assistant.content[0], { type: 'thinking', thinking: MOCK_THINKING, signature: MOCK_SIGNATURE });
      });

      for (const c of Object.keys(CLIENTS)) {
        cell(`${label(c)} client ← Gemini (gm) signed call, ${mode}: the signature goes back to Gemini on its call`, UPSTREAMS.gemini, async () => {
          mock.enqueue(signedCall);
          const first = { turns: [userTurn('weather in Paris?')], tools: [WEATHER], maxTokens: MAX_TOKENS, stream };
          const one = await exchange(c, UPSTREAMS.gemini, first);
          assert.equal(one.result.toolCalls.length, 1);
          assert.equal(one.result.thinking.length, 1, 'the signature travels in a thinking block');
          const two = await secondTurn(c, UPSTREAMS.gemini, first, one);
          const model = two.rec.body.contents.find((x) => x.role === 'model');
          const callPart = model.parts.find((p) => p.functionCall);
          assert.equal(callPart.thoughtSignature, GEMINI_SIGNATURE, 'Gemini gets its own signature back on the call');
          assert.equal(two.result.headers.get('x-switchyard-dropped-params'), null);
        });

        const other = c === 'openai' ? UPSTREAMS.anthropic : UPSTREAMS.openai;
        cell(`${label(c)} client ← Gemini (gm) signed call, ${mode}, then → ${label(other.format)} (${other.provider}): the Gemini signature is dropped and listed`, UPSTREAMS.gemini, async () => {
          mock.enqueue(signedCall);
          const first = { turns: [userTurn('weather in Paris?')], tools: [WEATHER], maxTokens: MAX_TOKENS, stream };
          const one = await exchange(c, UPSTREAMS.gemini, first);
          const two = await secondTurn(c, other, first, one);
          const sentUp = JSON.stringify(two.rec.body);
          assert.ok(!sentUp.includes(GEMINI_SIGNATURE), `no Gemini signature reaches ${other.provider}: ${sentUp}`);
          if (other.format === 'anthropic') {
            const assistant = two.rec.body.messages.find((m) => m.role === 'assistant');
            assert.ok(!assistant.content.some((b) => b.type === 'thinking'), 'no thinking block without an Anthropic signature');
          }
          assert.equal(two.result.headers.get('x-switchyard-dropped-params'), 'messages[].content[].thinking');
          assert.equal(two.result.text, replyTextFor(other.format, two.rec.body));
        });
      }

      cell(`OpenAI client ← Anthropic (an) thinking, ${mode}, then → Gemini (gm): the Anthropic signature is not sent`, UPSTREAMS.gemini, async () => {
        const first = { turns: [userTurn()], maxTokens: 3000, stream };
        const body = { ...CLIENTS.openai.build(first, modelOf(UPSTREAMS.anthropic)), reasoning_effort: 'low' };
        const result = await CLIENTS.openai.call(sdks.openai, body);
        const two = await secondTurn('openai', UPSTREAMS.gemini, first, { result });
        const sentUp = JSON.stringify(two.rec.body);
        assert.ok(!sentUp.includes(MOCK_SIGNATURE), `no Anthropic signature reaches Gemini: ${sentUp}`);
        assert.equal(two.result.headers.get('x-switchyard-dropped-params'), 'messages[].content[].thinking');
      });
    }
  });

  // ---- Gemini's invalid key -------------------------------------------------------------------

  describe('Gemini answers a bad key with 400 API_KEY_INVALID: clients see a 401', () => {
    for (const c of Object.keys(CLIENTS)) {
      cell(`${label(c)} client → Gemini (gm): AuthenticationError 401 with Gemini's message`, UPSTREAMS.gemini, async () => {
        const message = 'API key not valid. Please pass a valid API key.';
        mock.enqueue({
          status: 400,
          body: geminiError(400, message, 'INVALID_ARGUMENT', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]),
        });
        const body = CLIENTS[c].build({ turns: [userTurn()], maxTokens: MAX_TOKENS }, modelOf(UPSTREAMS.gemini));
        const error = await caught(CLIENTS[c].call(sdks[c], body));
        assert.ok(error instanceof CLIENTS[c].errorClass[401], `got ${error}`);
        assert.equal(error.status, 401);
        CLIENTS[c].assertErrorBody(CLIENTS[c].errorBody(error), { message, status: 401 });
      });
    }
  });

  // ---- fields that do not map ------------------------------------------------------------------

  describe('dropped fields are listed in x-switchyard-dropped-params', () => {
    const CASES = [
      {
        c: 'openai', u: 'openai', extra: { seed: 7, store: false, service_tier: 'auto', user: 'user-123' }, dropped: null,
        check: (b) => assert.deepEqual([b.seed, b.store, b.service_tier, b.user], [7, false, 'auto', 'user-123']),
      },
      {
        c: 'openai', u: 'anthropic', extra: { seed: 7, store: false, service_tier: 'auto', user: 'user-123' }, dropped: ['seed', 'store', 'service_tier'],
        check: (b) => {
          for (const k of ['seed', 'store', 'service_tier', 'user']) assert.ok(!(k in b), `${k} is not sent`);
          assert.deepEqual(b.metadata, { user_id: 'user-123' }, 'user becomes metadata.user_id');
        },
      },
      {
        c: 'openai', u: 'gemini', extra: { seed: 7, store: false, user: 'user-123' }, dropped: ['store', 'user'],
        check: (b) => {
          assert.equal(b.generationConfig.seed, 7, 'seed becomes generationConfig.seed');
          for (const k of ['seed', 'store', 'user']) assert.ok(!(k in b), `${k} is not sent`);
        },
      },
      {
        c: 'anthropic', u: 'anthropic', extra: { top_k: 5, service_tier: 'auto', metadata: { user_id: 'user-123' } }, dropped: null,
        check: (b) => assert.deepEqual([b.top_k, b.service_tier, b.metadata], [5, 'auto', { user_id: 'user-123' }]),
      },
      {
        c: 'anthropic', u: 'openai', extra: { top_k: 5, service_tier: 'auto', metadata: { user_id: 'user-123' } }, dropped: ['service_tier', 'top_k'],
        check: (b) => {
          for (const k of ['top_k', 'service_tier', 'metadata']) assert.ok(!(k in b), `${k} is not sent`);
          assert.equal(b.user, 'user-123', 'metadata.user_id becomes user');
        },
      },
      {
        c: 'anthropic', u: 'gemini', extra: { top_k: 5, service_tier: 'auto', metadata: { user_id: 'user-123' } }, dropped: ['service_tier', 'metadata.user_id'],
        check: (b) => {
          assert.equal(b.generationConfig.topK, 5, 'top_k becomes generationConfig.topK');
          for (const k of ['top_k', 'service_tier', 'metadata']) assert.ok(!(k in b), `${k} is not sent`);
        },
      },
    ];
    for (const { c, u, extra, dropped, check } of CASES) {
      const up = UPSTREAMS[u];
      for (const stream of [false, true]) {
        cell(`${label(c)} client → ${label(u)} (${up.provider}), ${stream ? 'stream' : 'non-stream'}: ${Object.keys(extra).join(', ')} → ${dropped ? dropped.join(', ') : 'nothing dropped'}`, up, async () => {
          const body = { ...CLIENTS[c].build({ turns: [userTurn()], maxTokens: MAX_TOKENS, stream }, modelOf(up)), ...extra };
          const result = await CLIENTS[c].call(sdks[c], body);
          assert.equal(result.text, `mock reply: ${USER_TEXT}`);
          const header = result.headers.get('x-switchyard-dropped-params');
          assert.deepEqual(header === null ? null : header.split(',').sort(), dropped === null ? null : [...dropped].sort());
          check(mock.requests[0].body);
        });
      }
    }
  });

  describe('fields that cannot be honoured: 400 naming the field, nothing sent', () => {
    const PREFILL = { role: 'assistant', content: 'The weather is' };
    const CASES = [
      { c: 'openai', u: 'anthropic', extra: { n: 2 }, field: 'n' },
      { c: 'openai', u: 'anthropic', extra: { logprobs: true }, field: 'logprobs' },
      { c: 'openai', u: 'anthropic', extra: { logit_bias: { 50256: -100 } }, field: 'logit_bias' },
      { c: 'openai', u: 'gemini', extra: { n: 2 }, field: 'n' },
      { c: 'openai', u: 'gemini', extra: { logprobs: true }, field: 'logprobs' },
      { c: 'anthropic', u: 'openai', extra: { container: 'container_1' }, field: 'container' },
      { c: 'anthropic', u: 'openai', prefill: true, field: 'messages' },
      { c: 'anthropic', u: 'gemini', extra: { container: 'container_1' }, field: 'container' },
      { c: 'anthropic', u: 'gemini', prefill: true, field: 'messages' },
    ];
    for (const { c, u, extra = {}, prefill = false, field } of CASES) {
      const up = UPSTREAMS[u];
      const what = prefill ? 'a final assistant message (prefill)' : JSON.stringify(extra);
      cell(`${label(c)} client → ${label(u)} (${up.provider}): ${what} → 400 naming ${field}`, up, async () => {
        const body = { ...CLIENTS[c].build({ turns: [userTurn()], maxTokens: MAX_TOKENS }, modelOf(up)), ...extra };
        if (prefill) body.messages.push(PREFILL);
        const error = await caught(CLIENTS[c].call(sdks[c], body));
        assert.ok(error instanceof CLIENTS[c].errorClass[400], `got ${error}`);
        assert.equal(error.status, 400);
        const errorBody = CLIENTS[c].errorBody(error);
        CLIENTS[c].assertErrorBody(errorBody, { status: 400 });
        assert.ok(errorBody.error.message.startsWith(`${field}:`) || errorBody.error.message.includes(` ${field}`), `the message names ${field}: ${errorBody.error.message}`);
        if (c === 'openai') assert.equal(errorBody.error.param, field);
        assert.equal(mock.requests.length, 0, 'nothing reaches the provider');
      });
    }
  });

  describe('max tokens', () => {
    cell('OpenAI client → Anthropic (an) without a max: Anthropic gets its required max_tokens', UPSTREAMS.anthropic, async () => {
      const result = await CLIENTS.openai.call(sdks.openai, openaiRequest({ turns: [userTurn()] }, modelOf(UPSTREAMS.anthropic)));
      assert.equal(result.text, `mock reply: ${USER_TEXT}`);
      const { max_tokens: maxTokens } = mock.requests[0].body;
      assert.ok(Number.isInteger(maxTokens) && maxTokens > 0, `a positive max_tokens: ${maxTokens}`);
    });
    cell('OpenAI client → Gemini (gm) with the deprecated max_tokens: maxOutputTokens', UPSTREAMS.gemini, async () => {
      const body = { model: modelOf(UPSTREAMS.gemini), messages: [{ role: 'user', content: USER_TEXT }], max_tokens: 33 };
      await CLIENTS.openai.call(sdks.openai, body);
      assert.equal(mock.requests[0].body.generationConfig.maxOutputTokens, 33);
    });
  });

  // ---- count_tokens and models -----------------------------------------------------------------

  describe('count_tokens with the Anthropic SDK', () => {
    const params = (up) => ({ model: modelOf(up), system: SYSTEM, messages: [{ role: 'user', content: USER_TEXT }] });

    cell('an/ model: forwarded to the provider, which counts', UPSTREAMS.anthropic, async () => {
      const { data, response } = await sdks.anthropic.messages.countTokens(params(UPSTREAMS.anthropic)).withResponse();
      assert.equal(mock.requests.length, 1);
      const rec = mock.requests[0];
      assert.equal(rec.path, '/v1/messages/count_tokens');
      assert.equal(rec.headers['x-api-key'], AN_KEY);
      assert.equal(rec.body.model, UPSTREAMS.anthropic.model);
      assert.deepEqual(data, { input_tokens: anthropicTokenCount(rec.body) });
      assert.equal(response.headers.get('x-switchyard-token-count'), null, 'a real count is not marked estimated');
    });

    for (const u of ['openai', 'gemini']) {
      const up = UPSTREAMS[u];
      cell(`${up.provider}/ model: estimated by the gateway, marked so`, up, async () => {
        const { data, response } = await sdks.anthropic.messages.countTokens(params(up)).withResponse();
        assert.equal(response.headers.get('x-switchyard-token-count'), 'estimated');
        assert.deepEqual(Object.keys(data), ['input_tokens']);
        assert.ok(Number.isInteger(data.input_tokens) && data.input_tokens > 0, `a positive count: ${data.input_tokens}`);
        assert.equal(mock.requests.length, 0, 'nothing reaches the provider');
      });
    }
  });

  describe('models', () => {
    it('Anthropic SDK models.list: Anthropic\'s shape, every configured model', async () => {
      const models = [];
      for await (const model of sdks.anthropic.models.list()) models.push(model);
      const ids = models.map((m) => m.id);
      for (const up of Object.values(UPSTREAMS)) {
        assert.ok(ids.includes(modelOf(up)), `${modelOf(up)} is listed: ${ids}`);
      }
      for (const m of models) {
        assert.equal(m.type, 'model');
        assert.equal(typeof m.display_name, 'string');
        assert.ok(!Number.isNaN(Date.parse(m.created_at)), `created_at is a date: ${m.created_at}`);
        assert.ok(!('object' in m) && !('owned_by' in m), 'no OpenAI fields');
      }
      assert.equal(mock.requests.length, 0);
    });

    it('OpenAI SDK models.list: OpenAI\'s shape', async () => {
      const models = [];
      for await (const model of sdks.openai.models.list()) models.push(model);
      assert.ok(models.some((m) => m.id === modelOf(UPSTREAMS.openai)));
      for (const m of models) {
        assert.equal(m.object, 'model');
        assert.ok(!('type' in m), 'no Anthropic fields');
      }
    });
  });
});
