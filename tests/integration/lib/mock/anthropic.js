// The Anthropic wire format of the mock provider: the Messages API (plain and streamed, with
// thinking and tool_use blocks), count_tokens and models, answering as api.anthropic.com does
// (shared/reference/wire-formats.md §3). Like lib/mock/openai.js, every answer is a pure function of
// the request (and of its sequence number, which the ids carry), so tests can compute the expected
// values with the helpers exported here.
//
// The stream is derived from the very message the plain call answers, so that an SDK's accumulated
// final message equals the plain answer: message_start (the message with no content yet), for each
// block content_block_start / deltas / content_block_stop (a ping after the first start), then
// message_delta (stop reason, cumulative usage) and message_stop.
//
// `reply` fields (see lib/mock-provider.js) as this format reads them:
//   content        text of a text block (default: anthropicReplyText(body))
//   toolCalls      [{ name, input (object) | arguments (JSON text), id? }] → tool_use blocks, after the
//                  text block when `content` is given too; false: no tool call even with tools
//   thinking       true / text: a thinking block first; false: none (default: a block when the
//                  request enables thinking)
//   finishReason   the stop_reason as is (default tool_use or end_turn)
//   usage          the message usage (null: the usage key is left out everywhere, a broken answer)
//   model, extra   the model echoed; extra top-level message keys (also in message_start)
//   streamError    { afterEvents = 1, type = 'overloaded_error', message = 'Overloaded' }: a streamed
//                  answer sends that many events, then `event: error` and ends (a 200 that fails)

import {
  MOCK_TOOL_ARGUMENTS,
  MOCK_TOOL_ARGUMENT_FRAGMENTS,
  contentFragments,
  lastUserText,
} from './openai.js';

export const ANTHROPIC_VERSION = '2023-06-01';

// Input 6 + cache write 2 + cache read 3 = 11 prompt tokens, and 7 output tokens: the same totals as
// the OpenAI format's MOCK_USAGE, so that translated usage can be checked against either.
export const MOCK_ANTHROPIC_USAGE = Object.freeze({
  input_tokens: 6,
  cache_creation_input_tokens: 2,
  cache_read_input_tokens: 3,
  cache_creation: Object.freeze({ ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 0 }),
  output_tokens: 7,
  service_tier: 'standard',
  inference_geo: 'not_available',
});

export const MOCK_THINKING = 'The user wants the mock reply.';
// Opaque, as a real signature is; only its exact round trip matters.
export const MOCK_SIGNATURE = 'EqQBCkYIBhgCKkBtb2NrLXNpZ25hdHVyZS1mb3ItdGVzdHM=';
export const DEFAULT_ANTHROPIC_MODELS = Object.freeze(['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-5']);
export const MOCK_MODEL_CREATED_AT = '2025-09-29T00:00:00Z';

const DEFAULT_ERRORS = {
  400: ['invalid_request_error', 'Invalid request (mock).'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API (mock).'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource (mock).'],
  404: ['not_found_error', 'Not found (mock).'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes (mock).'],
  429: ['rate_limit_error', 'Number of requests has exceeded your per-minute rate limit (mock).'],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timed out (mock).'],
  529: ['overloaded_error', 'Overloaded'],
};

// An Anthropic error body: {"type":"error","error":{"type","message"},"request_id"}.
export function anthropicError(type, message, requestId) {
  const body = { type: 'error', error: { type, message } };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}

// The default error body for a status; other 4xx are invalid_request_error, other 5xx api_error.
export function anthropicErrorBody(status, message, requestId) {
  const [type, defMessage] = DEFAULT_ERRORS[status] ?? (status >= 500 ? ['api_error', `HTTP ${status} (mock).`] : ['invalid_request_error', `HTTP ${status} (mock).`]);
  return anthropicError(type, message ?? defMessage, requestId);
}

export function anthropicRequestId(requestNumber) {
  return `req_mock_${requestNumber}`;
}

// The default reply text: "mock reply: " and the last user message's text (its text blocks joined
// with a space; Anthropic text blocks have the same {type:"text",text} shape as OpenAI text parts).
export function anthropicReplyText(body) {
  return `mock reply: ${lastUserText(body?.messages)}`;
}

// Which tool the default reply calls: none without custom tools or with tool_choice none; the named
// one for {type:"tool",name}; else (auto, any, absent) the first tool.
export function anthropicChosenTool(body) {
  const tools = Array.isArray(body?.tools)
    ? body.tools.filter((t) => t && typeof t.name === 'string' && (t.type === undefined || t.type === 'custom'))
    : [];
  if (tools.length === 0) return null;
  const choice = body.tool_choice;
  if (choice?.type === 'none') return null;
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name) ?? null;
  return tools[0];
}

function thinkingRequested(body) {
  return body?.thinking?.type === 'enabled' || body?.thinking?.type === 'adaptive';
}

function words(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

function textOf(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b) => b && b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text)
    .join(' ');
}

// What count_tokens answers: the words of the system prompt and of every message's text, at least 1.
export function anthropicTokenCount(body) {
  const texts = [textOf(body?.system), ...(Array.isArray(body?.messages) ? body.messages.map((m) => textOf(m?.content)) : [])];
  return Math.max(1, texts.reduce((n, t) => n + words(t), 0));
}

// "claude-sonnet-4-6" → "Claude Sonnet 4.6".
export function anthropicDisplayName(id) {
  const parts = id.split('-');
  const version = [];
  while (parts.length > 1 && /^\d+$/.test(parts[parts.length - 1])) version.unshift(parts.pop());
  const name = parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
  return version.length > 0 ? `${name} ${version.join('.')}` : name;
}

export function anthropicModelInfo(id) {
  return {
    type: 'model',
    id,
    display_name: anthropicDisplayName(id),
    created_at: MOCK_MODEL_CREATED_AT,
    max_input_tokens: 200000,
    max_tokens: 64000,
    capabilities: null,
  };
}

function toolUseBlock(call, requestNumber, i) {
  const input = call.input ?? JSON.parse(call.arguments ?? '{}');
  return { type: 'tool_use', id: call.id ?? `toolu_mock${requestNumber}_${i}`, name: call.name, input };
}

// The message a (non-streamed) call answers, for a request body, the behaviour's `reply` and the
// request's sequence number (rec.id).
export function anthropicMessage(body, reply = {}, requestNumber = 1) {
  let toolCalls;
  if (reply.toolCalls !== undefined) {
    toolCalls = reply.toolCalls || [];
  } else {
    const tool = reply.content !== undefined ? null : anthropicChosenTool(body);
    toolCalls = tool ? [{ name: tool.name, arguments: MOCK_TOOL_ARGUMENTS }] : [];
  }
  const thinking = reply.thinking ?? thinkingRequested(body);
  const content = [];
  if (thinking) {
    content.push({ type: 'thinking', thinking: typeof thinking === 'string' ? thinking : MOCK_THINKING, signature: MOCK_SIGNATURE });
  }
  if (reply.content !== undefined || toolCalls.length === 0) {
    content.push({ type: 'text', text: reply.content ?? anthropicReplyText(body) });
  }
  toolCalls.forEach((call, i) => content.push(toolUseBlock(call, requestNumber, i)));

  const stopReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn');
  const message = {
    model: reply.model ?? body.model,
    id: `msg_mock_${requestNumber}`,
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? (body.stop_sequences?.[0] ?? null) : null,
    stop_details: null,
  };
  const usage = reply.usage === undefined ? MOCK_ANTHROPIC_USAGE : reply.usage;
  if (usage !== null) message.usage = usage;
  return Object.assign(message, reply.extra ?? {});
}

// message_start carries the input side of the usage and a small output count; the output total
// comes with message_delta.
function startUsage(usage) {
  const start = { ...usage, output_tokens: Math.min(1, usage.output_tokens ?? 0) };
  delete start.output_tokens_details;
  delete start.server_tool_use;
  return start;
}

// message_delta repeats the cumulative counters; cache_creation, service_tier and inference_geo
// exist only in message_start (§3.4).
const DELTA_USAGE_KEYS = ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'output_tokens', 'server_tool_use', 'output_tokens_details'];

function deltaUsage(usage) {
  return Object.fromEntries(DELTA_USAGE_KEYS.filter((k) => k in usage).map((k) => [k, usage[k]]));
}

// The partial_json fragments of a tool input: an empty first fragment, as the API sends, then the
// JSON in two halves (the default input in MOCK_TOOL_ARGUMENT_FRAGMENTS).
export function inputJsonFragments(input) {
  const json = JSON.stringify(input);
  if (json === MOCK_TOOL_ARGUMENTS) return ['', ...MOCK_TOOL_ARGUMENT_FRAGMENTS];
  const mid = Math.floor(json.length / 2);
  return ['', json.slice(0, mid), json.slice(mid)];
}

const PING = ['ping', '{"type": "ping"}'];

function blockStart(block) {
  if (block.type === 'text') return { type: 'text', text: '' };
  if (block.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  if (block.type === 'tool_use') return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  return block; // other blocks arrive whole in their start event
}

function blockDeltas(block) {
  if (block.type === 'text') return contentFragments(block.text).map((text) => ({ type: 'text_delta', text }));
  if (block.type === 'thinking') {
    return [
      ...contentFragments(block.thinking).map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: block.signature },
    ];
  }
  if (block.type === 'tool_use') return inputJsonFragments(block.input).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
  return [];
}

function messageStart(message) {
  const start = { ...message, content: [], stop_reason: null, stop_sequence: null, stop_details: null };
  if (message.usage) start.usage = startUsage(message.usage);
  return ['message_start', { type: 'message_start', message: start }];
}

function messageEnd(message) {
  const delta = { type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: null } };
  if (message.usage) delta.usage = deltaUsage(message.usage);
  return [['message_delta', delta], ['message_stop', { type: 'message_stop' }]];
}

const blockEvent = (type, index, fields) => ['content_block_' + type, { type: 'content_block_' + type, index, ...fields }];

// The [event name, data] pairs that stream `message` (from anthropicMessage()).
export function anthropicStreamEvents(message) {
  const events = [messageStart(message)];
  message.content.forEach((block, index) => {
    events.push(blockEvent('start', index, { content_block: blockStart(block) }));
    if (index === 0) events.push(PING);
    for (const delta of blockDeltas(block)) events.push(blockEvent('delta', index, { delta }));
    events.push(blockEvent('stop', index, {}));
  });
  if (message.content.length === 0) events.push(PING);
  events.push(...messageEnd(message));
  return events;
}

// ---- the format module --------------------------------------------------------------------------

export function createAnthropicFormat(options = {}) {
  const models = options.models ?? DEFAULT_ANTHROPIC_MODELS;
  const apiKey = options.apiKey; // when set, requests must carry it in x-api-key (or Authorization: Bearer)

  function errorBody(status, message, rec) {
    return anthropicErrorBody(status, message, rec && anthropicRequestId(rec.id));
  }

  function fail(ctx, [status, type, message]) {
    ctx.json(status, anthropicError(type, message, anthropicRequestId(ctx.rec.id)));
  }

  // The key, then the version header: every endpoint checks both before it reads the body.
  function headerError({ headers }) {
    if (apiKey !== undefined) {
      const given = headers['x-api-key'] ?? headers.authorization?.replace(/^Bearer /, '');
      if (given === undefined) return [401, 'authentication_error', 'x-api-key header is required'];
      if (given !== apiKey) return [401, 'authentication_error', 'invalid x-api-key'];
    }
    if (!headers['anthropic-version']) return [400, 'invalid_request_error', 'anthropic-version: header is required'];
    return null;
  }

  function bodyError({ body, bodyError: parseError }, required) {
    if (parseError) return [400, 'invalid_request_error', `The request body is not valid JSON (mock: ${parseError})`];
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [400, 'invalid_request_error', 'The request body must be a JSON object (mock).'];
    const missing = required.find((field) => body[field] === undefined);
    if (missing) return [400, 'invalid_request_error', `${missing}: Field required`];
    if (!Array.isArray(body.messages) || body.messages.length === 0) return [400, 'invalid_request_error', 'messages: at least one message is required'];
    return null;
  }

  function forcedToolError(body) {
    const forced = body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool';
    return forced && thinkingRequested(body) ? [400, 'invalid_request_error', 'Thinking may not be enabled when tool_choice forces tool use.'] : null;
  }

  async function messages(ctx) {
    const error = headerError(ctx.rec) ?? bodyError(ctx.rec, ['model', 'max_tokens', 'messages']) ?? forcedToolError(ctx.rec.body);
    if (error) return fail(ctx, error);
    const { body } = ctx.rec;
    const reply = ctx.behaviour.reply ?? {};
    const message = anthropicMessage(body, reply, ctx.rec.id);
    if (body.stream !== true) return ctx.json(200, message, ctx.behaviour.headers);

    const forever = ctx.behaviour.streamForever;
    const sse = ctx.sse(forever ? {} : (ctx.behaviour.stream ?? {}));
    sse.start(ctx.behaviour.headers);
    if (forever) return streamForever(ctx, sse, message);
    let events = anthropicStreamEvents(message);
    if (reply.streamError) {
      const { afterEvents = 1, type = 'overloaded_error', message: text = 'Overloaded' } = reply.streamError;
      events = [...events.slice(0, afterEvents), ['error', { type: 'error', error: { type, message: text } }]];
    }
    await sendEvents(sse, events);
  }

  async function sendEvents(sse, events, { end = true } = {}) {
    for (const [name, data] of events) {
      if (!(await sse.event(name, data))) return false;
    }
    if (end) sse.end();
    return true;
  }

  // One text block that grows a tick at a time until the client goes away (or maxMs passes), then
  // ends as a max_tokens stop.
  async function streamForever(ctx, sse, message) {
    const head = [messageStart(message), blockEvent('start', 0, { content_block: { type: 'text', text: '' } }), PING];
    if (!(await sendEvents(sse, head, { end: false }))) return;
    for await (const text of ctx.ticks(ctx.behaviour.streamForever)) {
      if (!(await sse.event(...blockEvent('delta', 0, { delta: { type: 'text_delta', text } })))) return;
    }
    if (ctx.signal.aborted) return;
    await sendEvents(sse, [blockEvent('stop', 0, {}), ...messageEnd({ ...message, stop_reason: 'max_tokens', stop_sequence: null })]);
  }

  function countTokens(ctx) {
    const error = headerError(ctx.rec) ?? bodyError(ctx.rec, ['model', 'messages']);
    if (error) return fail(ctx, error);
    ctx.json(200, { input_tokens: anthropicTokenCount(ctx.rec.body) }, ctx.behaviour.headers);
  }

  // Cursor pagination as the API does it: limit (default 20), then after_id or before_id.
  function listModels(ctx) {
    const error = headerError(ctx.rec);
    if (error) return fail(ctx, error);
    const { limit: limitText, after_id: afterId, before_id: beforeId } = ctx.rec.query;
    const limit = Math.min(1000, Math.max(1, Number.parseInt(limitText ?? '20', 10) || 20));
    const from = afterId === undefined ? 0 : models.indexOf(afterId) + 1;
    const to = beforeId === undefined ? models.length : Math.max(0, models.indexOf(beforeId));
    const backwards = beforeId !== undefined;
    const page = backwards ? models.slice(Math.max(from, to - limit), to) : models.slice(from, Math.min(to, from + limit));
    ctx.json(200, {
      data: page.map(anthropicModelInfo),
      has_more: page.length < to - from,
      first_id: page[0] ?? null,
      last_id: page[page.length - 1] ?? null,
    }, ctx.behaviour.headers);
  }

  function getModel(ctx, id) {
    const error = headerError(ctx.rec) ?? (models.includes(id) ? null : [404, 'not_found_error', `model: ${id}`]);
    if (error) return fail(ctx, error);
    ctx.json(200, anthropicModelInfo(id), ctx.behaviour.headers);
  }

  function route(rec) {
    const { method, path } = rec;
    if (method === 'POST' && path === '/v1/messages') return messages;
    if (method === 'POST' && path === '/v1/messages/count_tokens') return countTokens;
    if (method === 'GET' && path === '/v1/models') return listModels;
    const m = /^\/v1\/models\/(.+)$/.exec(path);
    if (method === 'GET' && m) return (ctx) => getModel(ctx, decodeURIComponent(m[1]));
    return null;
  }

  // Both OpenAI and Anthropic clients call GET /v1/models; the Anthropic headers decide (§0).
  function claims(rec) {
    return rec.headers['anthropic-version'] !== undefined || rec.headers['x-api-key'] !== undefined;
  }

  // The API names its request id `request-id` (the SDK reads it into error.requestID).
  function headers(rec) {
    return { 'request-id': anthropicRequestId(rec.id) };
  }

  return { name: 'anthropic', route, claims, headers, errorBody };
}
