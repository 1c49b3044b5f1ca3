// The Gemini (Google AI Studio, v1beta) wire format of the mock provider: generateContent,
// streamGenerateContent (SSE with alt=sse, else one JSON array), countTokens and models, answering
// as generativelanguage.googleapis.com does (shared/reference/wire-formats.md §4). The gateway's
// base URL for it is `${mock.origin}/v1beta`. Like lib/mock/openai.js, every answer is a pure
// function of the request and its sequence number, with helpers exported to compute it.
//
// Streams carry only the new parts in each `data:` chunk: the thought fragments, the text fragments
// (split like the OpenAI format's), then every functionCall whole in one chunk. Every chunk has
// usageMetadata; before the last it holds only the prompt side (running totals, never to be
// summed), and the last chunk has the finishReason and the full usage. Events end with CRLF CRLF
// and there is no terminator: EOF ends the stream.
//
// `reply` fields (see lib/mock-provider.js) as this format reads them:
//   content        text of the text part (default: geminiReplyText(body))
//   toolCalls      [{ name, args (object) | arguments (JSON text), id?, thoughtSignature? }] →
//                  functionCall parts, after the text part when `content` is given too; false: none
//   thinking       true / text: a thought part first; false: none (default: one when the request
//                  sets generationConfig.thinkingConfig.includeThoughts)
//   finishReason   the finishReason as is (default STOP, function calls included)
//   usage          usageMetadata (null: left out everywhere)
//   model, extra   modelVersion; extra top-level response keys (on the last stream chunk)
//   streamError    { afterEvents = 1, code = 500, status = 'INTERNAL', message }: a streamed answer
//                  sends that many chunks, then `data: {"error":{...}}` and ends

import { MOCK_TOOL_ARGUMENTS, contentFragments } from './openai.js';
import { MOCK_THINKING } from './anthropic.js';

// Prompt 11 (3 of them cached) and 5 candidate + 2 thought tokens: the same totals as the OpenAI
// format's MOCK_USAGE (candidates exclude thoughts; the total counts both).
export const MOCK_GEMINI_USAGE = Object.freeze({
  promptTokenCount: 11,
  candidatesTokenCount: 5,
  totalTokenCount: 18,
  cachedContentTokenCount: 3,
  thoughtsTokenCount: 2,
});

export const MOCK_FUNCTION_ARGS = Object.freeze(JSON.parse(MOCK_TOOL_ARGUMENTS));
export const DEFAULT_GEMINI_MODELS = Object.freeze(['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash']);

const STATUS_NAMES = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES = {
  400: 'Request contains an invalid argument. (mock)',
  403: 'The caller does not have permission (mock).',
  404: 'Requested entity was not found. (mock)',
  429: 'You exceeded your current quota, please check your plan and billing details. (mock)',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting (mock)',
  503: 'The model is overloaded. Please try again later. (mock)',
  504: 'Deadline expired before operation could complete. (mock)',
};

// A Gemini error body: {"error":{"code","message","status","details"?}}.
export function geminiError(code, message, status = STATUS_NAMES[code] ?? 'UNKNOWN', details) {
  const error = { code, message, status };
  if (details) error.details = details;
  return { error };
}

export function geminiErrorBody(status, message) {
  return geminiError(status, message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status} (mock).`);
}

const INVALID_KEY_DETAILS = [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_INVALID',
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  },
];

// The text of the last user content (role "user" or unset): its text parts joined with a space.
export function lastGeminiUserText(contents) {
  if (!Array.isArray(contents)) return '';
  for (let i = contents.length - 1; i >= 0; i -= 1) {
    const c = contents[i];
    if (!c || (c.role !== undefined && c.role !== 'user')) continue;
    if (!Array.isArray(c.parts)) return '';
    return c.parts
      .filter((p) => p && typeof p.text === 'string' && !p.thought)
      .map((p) => p.text)
      .join(' ');
  }
  return '';
}

export function geminiReplyText(body) {
  return `mock reply: ${lastGeminiUserText(body?.contents)}`;
}

// Which function the default reply calls: none without declarations or in mode NONE; in mode ANY
// with allowedFunctionNames the first allowed one; else the first declaration.
export function geminiChosenFunction(body) {
  const declarations = (Array.isArray(body?.tools) ? body.tools : []).flatMap((t) => t?.functionDeclarations ?? []);
  if (declarations.length === 0) return null;
  const config = body.toolConfig?.functionCallingConfig ?? {};
  if (config.mode === 'NONE') return null;
  if (config.mode === 'ANY' && Array.isArray(config.allowedFunctionNames)) {
    return declarations.find((d) => config.allowedFunctionNames.includes(d.name)) ?? null;
  }
  return declarations[0];
}

function thoughtsRequested(body) {
  return body?.generationConfig?.thinkingConfig?.includeThoughts === true;
}

// What countTokens answers: the words of the system instruction and of every content's text parts,
// at least 1.
export function geminiTokenCount(body) {
  const contents = [body?.systemInstruction, ...(Array.isArray(body?.contents) ? body.contents : [])];
  const text = contents.flatMap((c) => (Array.isArray(c?.parts) ? c.parts : [])).map((p) => (typeof p?.text === 'string' ? p.text : '')).join(' ');
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

// "gemini-2.5-flash" → "Gemini 2.5 Flash".
export function geminiDisplayName(id) {
  return id
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(' ');
}

export function geminiModelInfo(id) {
  return {
    name: `models/${id}`,
    version: '001',
    displayName: geminiDisplayName(id),
    description: `${geminiDisplayName(id)} (mock)`,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  };
}

function functionCallPart(call) {
  const functionCall = { name: call.name, args: call.args ?? JSON.parse(call.arguments ?? '{}') };
  if (call.id !== undefined) functionCall.id = call.id;
  const part = { functionCall };
  if (call.thoughtSignature !== undefined) part.thoughtSignature = call.thoughtSignature;
  return part;
}

// The parts of the answer: an optional thought part, the text part (unless the turn only calls
// functions), then the functionCall parts.
export function geminiParts(body, reply = {}) {
  let calls;
  if (reply.toolCalls !== undefined) {
    calls = reply.toolCalls || [];
  } else {
    const fn = reply.content !== undefined ? null : geminiChosenFunction(body);
    calls = fn ? [{ name: fn.name, args: MOCK_FUNCTION_ARGS }] : [];
  }
  const thinking = reply.thinking ?? thoughtsRequested(body);
  const parts = [];
  if (thinking) parts.push({ text: typeof thinking === 'string' ? thinking : MOCK_THINKING, thought: true });
  if (reply.content !== undefined || calls.length === 0) parts.push({ text: reply.content ?? geminiReplyText(body) });
  return [...parts, ...calls.map(functionCallPart)];
}

export function geminiResponseId(requestNumber) {
  return `mock-response-${requestNumber}`;
}

function responseOf(candidate, { usage, model, responseId }) {
  const response = { candidates: [{ ...candidate, index: 0 }] };
  if (usage) response.usageMetadata = usage;
  return Object.assign(response, { modelVersion: model, responseId });
}

// The GenerateContentResponse a (non-streamed) generateContent answers, for a request body, the
// model named in the path, the behaviour's `reply` and the request's sequence number (rec.id).
export function geminiResponse(body, model, reply = {}, requestNumber = 1) {
  const usage = reply.usage === undefined ? MOCK_GEMINI_USAGE : reply.usage;
  const candidate = { content: { parts: geminiParts(body, reply), role: 'model' }, finishReason: reply.finishReason ?? 'STOP' };
  const meta = { usage, model: reply.model ?? model, responseId: geminiResponseId(requestNumber) };
  return Object.assign(responseOf(candidate, meta), reply.extra ?? {});
}

// Before the last chunk only the prompt side of the usage is known.
function runningUsage(usage) {
  const running = { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount };
  if (usage.cachedContentTokenCount !== undefined) running.cachedContentTokenCount = usage.cachedContentTokenCount;
  return running;
}

// The chunks that stream `response` (from geminiResponse()): each holds only new parts.
export function geminiStreamChunks(response) {
  const { candidates: [candidate], usageMetadata: usage, modelVersion: model, responseId, ...extra } = response;
  const groups = [];
  const calls = [];
  for (const part of candidate.content.parts) {
    if (part.functionCall) calls.push(part);
    else if (part.text === '') groups.push([part]);
    else groups.push(...contentFragments(part.text).map((text) => [{ ...part, text }]));
  }
  if (calls.length > 0) groups.push(calls);
  return groups.map((parts, i) => {
    const last = i === groups.length - 1;
    const chunk = { content: { parts, role: 'model' } };
    if (last) chunk.finishReason = candidate.finishReason;
    const meta = { usage: usage && (last ? usage : runningUsage(usage)), model, responseId };
    return last ? Object.assign(responseOf(chunk, meta), extra) : responseOf(chunk, meta);
  });
}

// ---- the format module --------------------------------------------------------------------------

export function createGeminiFormat(options = {}) {
  const models = options.models ?? DEFAULT_GEMINI_MODELS;
  const apiKey = options.apiKey; // when set, requests must carry it in x-goog-api-key (or ?key=)

  function errorBody(status, message) {
    return geminiErrorBody(status, message);
  }

  function fail(ctx, body) {
    ctx.json(body.error.code, body);
  }

  // No key: 403; a wrong key: 400 API_KEY_INVALID (the API has no 401).
  function keyError({ headers, query }) {
    if (apiKey === undefined) return null;
    const given = headers['x-goog-api-key'] ?? query.key;
    if (given === undefined) {
      return geminiError(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    if (given !== apiKey) return geminiError(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT', INVALID_KEY_DETAILS);
    return null;
  }

  function bodyError({ body, bodyError: parseError }, method) {
    if (parseError) return geminiError(400, `Invalid JSON payload received. (mock: ${parseError})`);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return geminiError(400, 'Invalid JSON payload received. Expected an object. (mock)');
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      const request = method === 'countTokens' ? 'CountTokensRequest' : 'GenerateContentRequest';
      return geminiError(400, `* ${request}.contents: contents is not specified\n`);
    }
    return null;
  }

  async function generate(ctx, model, method) {
    const error = keyError(ctx.rec) ?? bodyError(ctx.rec, method);
    if (error) return fail(ctx, error);
    const reply = ctx.behaviour.reply ?? {};
    const response = geminiResponse(ctx.rec.body, model, reply, ctx.rec.id);
    if (method === 'generateContent') return ctx.json(200, response, ctx.behaviour.headers);
    // Without alt=sse the stream endpoint answers all its chunks as one JSON array.
    if (ctx.rec.query.alt !== 'sse') return ctx.json(200, geminiStreamChunks(response), ctx.behaviour.headers);

    const forever = ctx.behaviour.streamForever;
    const sse = ctx.sse(forever ? {} : (ctx.behaviour.stream ?? {}));
    sse.start(ctx.behaviour.headers);
    const send = (value) => sse.send(`data: ${JSON.stringify(value)}\r\n\r\n`);
    if (forever) return streamForever(ctx, sse, send, response);
    let chunks = geminiStreamChunks(response);
    if (reply.streamError) {
      const { afterEvents = 1, code = 500, status, message } = reply.streamError;
      chunks = [...chunks.slice(0, afterEvents), geminiError(code, message ?? DEFAULT_MESSAGES[code] ?? `HTTP ${code} (mock).`, status)];
    }
    for (const chunk of chunks) {
      if (!(await send(chunk))) return;
    }
    sse.end();
  }

  // Text chunks a tick at a time until the client goes away (or maxMs passes), then a MAX_TOKENS
  // finish with the usage.
  async function streamForever(ctx, sse, send, response) {
    const { usageMetadata: usage, modelVersion: model, responseId } = response;
    const meta = { usage: usage && runningUsage(usage), model, responseId };
    for await (const text of ctx.ticks(ctx.behaviour.streamForever)) {
      if (!(await send(responseOf({ content: { parts: [{ text }], role: 'model' } }, meta)))) return;
    }
    if (ctx.signal.aborted) return;
    const finish = { content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'MAX_TOKENS' };
    if (!(await send(responseOf(finish, { ...meta, usage })))) return;
    sse.end();
  }

  function countTokens(ctx) {
    const error = keyError(ctx.rec) ?? bodyError(ctx.rec, 'countTokens');
    if (error) return fail(ctx, error);
    const totalTokens = geminiTokenCount(ctx.rec.body);
    ctx.json(200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] }, ctx.behaviour.headers);
  }

  // Page tokens are opaque to clients; here they are the next index.
  function listModels(ctx) {
    const error = keyError(ctx.rec);
    if (error) return fail(ctx, error);
    const pageSize = Math.min(1000, Math.max(1, Number.parseInt(ctx.rec.query.pageSize ?? '50', 10) || 50));
    const from = Number.parseInt(ctx.rec.query.pageToken ?? '0', 10) || 0;
    const body = { models: models.slice(from, from + pageSize).map(geminiModelInfo) };
    if (from + pageSize < models.length) body.nextPageToken = String(from + pageSize);
    ctx.json(200, body, ctx.behaviour.headers);
  }

  function getModel(ctx, id) {
    const error = keyError(ctx.rec) ?? (models.includes(id) ? null : geminiError(404, `models/${id} is not found for API version v1beta (mock).`));
    if (error) return fail(ctx, error);
    ctx.json(200, geminiModelInfo(id), ctx.behaviour.headers);
  }

  const GENERATE_METHODS = new Set(['generateContent', 'streamGenerateContent']);

  function route(rec) {
    const { method, path } = rec;
    if (method === 'GET' && path === '/v1beta/models') return listModels;
    const m = /^\/v1beta\/models\/([^/:]+)(?::(\w+))?$/.exec(path);
    if (!m) return null;
    const model = decodeURIComponent(m[1]);
    if (method === 'GET' && m[2] === undefined) return (ctx) => getModel(ctx, model);
    if (method === 'POST' && GENERATE_METHODS.has(m[2])) return (ctx) => generate(ctx, model, m[2]);
    if (method === 'POST' && m[2] === 'countTokens') return countTokens;
    return null;
  }

  function claims(rec) {
    return rec.path.startsWith('/v1beta/');
  }

  return { name: 'gemini', route, claims, errorBody };
}
