// The OpenAI wire format of the mock provider: Chat Completions (plain and streamed, with tool calls),
// embeddings and models, answering as api.openai.com does (shared/reference/wire-formats.md §1, §2).
// Everything it answers is a pure function of the request, so tests can compute the expected values
// with the helpers exported here.
//
// A format module exports a factory that returns { name, route(rec), errorBody(status, message) }:
// route() picks the handler for a recorded request (or null when the path is not this format's), and
// errorBody() is this format's error shape, used for scripted `{ status }` behaviours.

import { pause } from '../util.js';

export const MOCK_USAGE = Object.freeze({
  prompt_tokens: 11,
  completion_tokens: 7,
  total_tokens: 18,
  prompt_tokens_details: Object.freeze({ cached_tokens: 3 }),
  completion_tokens_details: Object.freeze({ reasoning_tokens: 2 }),
});

export const MOCK_CREATED = 1760000000;
export const MOCK_TOOL_ARGUMENTS = '{"city":"Paris"}';
// The two fragments the tool-call arguments are streamed in.
export const MOCK_TOOL_ARGUMENT_FRAGMENTS = Object.freeze(['{"city":', '"Paris"}']);
export const DEFAULT_MODELS = Object.freeze(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']);
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

const DEFAULT_ERRORS = {
  400: ['Invalid request (mock).', 'invalid_request_error', null],
  401: [
    'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    'invalid_request_error',
    'invalid_api_key',
  ],
  403: ['Country, region, or territory not supported (mock).', 'request_forbidden', 'unsupported_country_region_territory'],
  404: ['The model does not exist or you do not have access to it (mock).', 'invalid_request_error', 'model_not_found'],
  408: ['Request timed out (mock).', 'timeout', null],
  409: ['Conflict (mock).', 'invalid_request_error', null],
  413: ['Request too large (mock).', 'invalid_request_error', null],
  422: ['Unprocessable entity (mock).', 'invalid_request_error', null],
  429: [
    'Rate limit reached for test model in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
    'requests',
    'rate_limit_exceeded',
  ],
  500: ['The server had an error while processing your request. Sorry about that! (mock)', 'server_error', null],
  502: ['Bad gateway (mock).', 'server_error', null],
  503: ['The engine is currently overloaded, please try again later. (mock)', 'server_error', null],
  504: ['Gateway timeout (mock).', 'server_error', null],
};

// An OpenAI error body: {"error":{"message","type","param","code"}}.
export function openaiError(message, { type = 'invalid_request_error', param = null, code = null } = {}) {
  return { error: { message, type, param, code } };
}

export function defaultErrorBody(status, message) {
  const [defMessage, type, code] = DEFAULT_ERRORS[status] ?? [`HTTP ${status} (mock).`, 'server_error', null];
  return openaiError(message ?? defMessage, { type, code });
}

// The text of the last user message: a string content as is, text parts joined with a space.
export function lastUserText(messages) {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i];
    if (!m || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content
        .filter((p) => p && p.type === 'text' && typeof p.text === 'string')
        .map((p) => p.text)
        .join(' ');
    }
    return '';
  }
  return '';
}

// The default reply text for a request body.
export function mockReplyText(body) {
  return `mock reply: ${lastUserText(body?.messages)}`;
}

// Splits reply text into the content fragments of a stream: at each whitespace, keeping it, so that
// the fragments concatenate to the text ("mock reply: hi" → ["mock", " reply:", " hi"]).
export function contentFragments(text) {
  if (text === '') return [];
  return text.split(/(?=\s)/);
}

// Which tool the default reply calls: none when there are no function tools or tool_choice is
// "none"; the named one for {type:"function",function:{name}}; else the first function tool.
export function chosenTool(body) {
  const tools = Array.isArray(body?.tools) ? body.tools.filter((t) => t && t.type === 'function' && t.function) : [];
  if (tools.length === 0) return null;
  const choice = body.tool_choice;
  if (choice === 'none') return null;
  if (choice && typeof choice === 'object' && choice.type === 'function' && choice.function?.name) {
    return tools.find((t) => t.function.name === choice.function.name) ?? null;
  }
  return tools[0];
}

// ---- embeddings ---------------------------------------------------------------------------------

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The deterministic embedding of one input item (a string, or an array of token ids), as float32
// values in [-1, 1). The float and base64 encodings carry exactly these values.
export function mockEmbedding(item, dimensions = DEFAULT_EMBEDDING_DIMENSIONS) {
  const key = typeof item === 'string' ? `s:${item}` : `t:${JSON.stringify(item)}`;
  const next = mulberry32(fnv1a(key));
  const values = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i += 1) values[i] = next() * 2 - 1;
  return Array.from(values);
}

// The embedding as the API's base64 text: little-endian float32 bytes.
export function embeddingToBase64(values) {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer.toString('base64');
}

// ---- test-embedder: switchyard's own simulated embedding model --------------------------------
//
// For the model `test-embedder` the mock embeds text exactly as the C++ demo::SimulatedEmbedding
// (src/demo/simulated_embedder.{h,cc}) does, float for float, so a semantic-cache test can reason
// about which questions are near: words (runs of ASCII letters, digits and non-ASCII bytes, ASCII
// lower-cased) less stop words, feature-hashed (FNV-1a, then murmur3's finaliser) as words (weight
// 1), neighbouring word pairs (1/2) and letter triples of "^word$" (1/4) into signed buckets summed
// in double, scaled to unit length, rounded to float32. Bucket sums are sums of such weights, exact
// in any order, so JavaScript's doubles give the C++ floats bit for bit. Pinned by
// tests/unit/demo/simulated_embedder_test.cc — a change there is a change here:
//   simulatedEmbedding('How do I reset my password?', 8) =
//     [0.727606893, 0, 0.242535621, 0.242535621, 0.242535621, 0.485071242, 0, -0.242535621]
//   simulatedEmbedding('Convert 5 km to miles', 8) =
//     [0, 0.412081689, -0.412081689, 0, 0, -0.412081689, -0.686802804, -0.137360558]
//   simulatedEmbedding('', 8) = [0, 0, 0, 1, 0, 0, 0, 0]
//   simulatedEmbedding('How do I reset my password?') (256): [2] = -0.142857149, [16] = 0.571428597
export const TEST_EMBEDDER_MODEL = 'test-embedder';
export const TEST_EMBEDDER_DIMENSIONS = 256;

const SIMULATED_STOP_WORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'am',
  'do', 'does', 'did', 'i', 'me', 'my', 'we', 'our', 'you', 'your',
  'it', 'its', 'this', 'that', 'to', 'of', 'in', 'on', 'at', 'for',
  'with', 'by', 'as', 'and', 'or', 'can', 'could', 'would', 'should', 'will',
  'please', 'hi', 'hello', 'thanks', 'what', 'how', 's', 'll', 're', 've',
]);

function fnv1aBytes(hash, bytes) {
  let h = hash;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function murmurMix(hash) {
  let h = hash >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

// The words of `text` as byte arrays (ASCII lower-cased).
function simulatedWords(text) {
  const words = [];
  let word = [];
  for (let c of Buffer.from(text, 'utf8')) {
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c >= 0x80) {
      word.push(c);
    } else if (word.length > 0) {
      words.push(word);
      word = [];
    }
  }
  if (word.length > 0) words.push(word);
  return words;
}

// demo::SimulatedEmbedding, ported: `dims` float32 values of unit length ([] when dims is 0).
export function simulatedEmbedding(text, dims = TEST_EMBEDDER_DIMENSIONS) {
  if (dims === 0) return [];
  const words = simulatedWords(text);
  let content = words.filter((w) => !SIMULATED_STOP_WORDS.has(Buffer.from(w).toString('latin1')));
  if (content.length === 0) content = words;
  const sums = new Float64Array(dims);
  const add = (kind, first, second, weight) => {
    let h = fnv1aBytes(0x811c9dc5, [kind.charCodeAt(0)]);
    h = fnv1aBytes(h, first);
    if (second.length > 0) h = fnv1aBytes(fnv1aBytes(h, [0x20]), second);
    const mixed = murmurMix(h);
    sums[mixed % dims] += mixed >>> 31 ? -weight : weight;
  };
  if (content.length === 0) add('e', [], [], 1);
  content.forEach((word, i) => {
    add('w', word, [], 1);
    if (i + 1 < content.length) add('b', word, content[i + 1], 0.5);
    const marked = [0x5e, ...word, 0x24]; // ^word$
    for (let j = 0; j + 3 <= marked.length; j += 1) add('c', marked.slice(j, j + 3), [], 0.25);
  });
  let squares = 0;
  for (const sum of sums) squares += sum * sum;
  const norm = Math.sqrt(squares);
  const unit = new Float32Array(dims);
  if (norm === 0) unit[0] = 1;
  else for (let i = 0; i < dims; i += 1) unit[i] = sums[i] / norm;
  return Array.from(unit);
}

// Normalises `input` to a list of items; null when it is not a valid shape.
export function embeddingItems(input) {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return null;
  if (input.every((x) => typeof x === 'string')) return input;
  if (input.every((x) => Number.isInteger(x))) return [input];
  if (input.every((x) => Array.isArray(x) && x.every((y) => Number.isInteger(y)))) return input;
  return null;
}

// Token count the mock reports: whitespace-separated words of a string (at least 1), or the number
// of token ids.
export function mockEmbeddingTokens(items) {
  let total = 0;
  for (const item of items) {
    if (typeof item === 'string') total += Math.max(1, item.split(/\s+/).filter(Boolean).length);
    else total += item.length;
  }
  return total;
}

// ---- the format module --------------------------------------------------------------------------

export function createOpenAIFormat(options = {}) {
  const models = options.models ?? DEFAULT_MODELS;
  const apiKey = options.apiKey; // when set, requests must carry `Authorization: Bearer <apiKey>`

  function errorBody(status, message) {
    return defaultErrorBody(status, message);
  }

  function checkAuth(ctx) {
    if (apiKey === undefined) return true;
    if (ctx.rec.headers.authorization === `Bearer ${apiKey}`) return true;
    ctx.json(401, defaultErrorBody(401));
    return false;
  }

  function requireJson(ctx) {
    const { rec } = ctx;
    if (rec.bodyError) {
      ctx.json(400, openaiError(`We could not parse the JSON body of your request. (mock: ${rec.bodyError})`));
      return null;
    }
    if (!rec.body || typeof rec.body !== 'object' || Array.isArray(rec.body)) {
      ctx.json(400, openaiError('The request body must be a JSON object. (mock)'));
      return null;
    }
    return rec.body;
  }

  async function chatCompletions(ctx) {
    if (!checkAuth(ctx)) return;
    const body = requireJson(ctx);
    if (!body) return;
    if (typeof body.model !== 'string' || body.model === '') {
      ctx.json(400, openaiError('you must provide a model parameter', { param: 'model' }));
      return;
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      ctx.json(400, openaiError("Missing required parameter: 'messages'.", { param: 'messages', code: 'missing_required_parameter' }));
      return;
    }
    const reply = ctx.behaviour.reply ?? {};
    const model = reply.model ?? body.model;
    const n = Number.isInteger(body.n) && body.n > 0 ? body.n : 1;
    const id = `chatcmpl-mock-${ctx.rec.id}`;
    let toolCalls;
    if (reply.toolCalls !== undefined) {
      toolCalls = reply.toolCalls || null;
    } else {
      const tool = reply.content !== undefined ? null : chosenTool(body);
      toolCalls = tool ? [{ name: tool.function.name, arguments: MOCK_TOOL_ARGUMENTS }] : null;
    }
    if (toolCalls) {
      toolCalls = toolCalls.map((c, i) => ({ id: c.id ?? `call_mock${ctx.rec.id}_${i}`, name: c.name, arguments: c.arguments ?? '{}' }));
    }
    const content = toolCalls ? null : (reply.content ?? mockReplyText(body));
    const finishReason = reply.finishReason ?? (toolCalls ? 'tool_calls' : 'stop');
    const usage = reply.usage === undefined ? MOCK_USAGE : reply.usage;

    if (body.stream === true) {
      await streamChat(ctx, { body, id, model, n, content, toolCalls, finishReason, usage });
      return;
    }

    const choices = [];
    for (let index = 0; index < n; index += 1) {
      const message = { role: 'assistant', content, refusal: null };
      if (toolCalls) {
        message.tool_calls = toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        }));
      }
      choices.push({ index, message, logprobs: null, finish_reason: finishReason });
    }
    const response = {
      id,
      object: 'chat.completion',
      created: MOCK_CREATED,
      model,
      choices,
      system_fingerprint: 'fp_mock',
      service_tier: 'default',
    };
    if (usage !== null) response.usage = usage;
    Object.assign(response, reply.extra ?? {});
    ctx.json(200, response, ctx.behaviour.headers);
  }

  // The exact framing of §1.4: first chunk with the role (and the first tool-call fragment in a
  // tool turn), content or argument fragments, a finish chunk per choice, the usage chunk only when
  // stream_options.include_usage is true, then `data: [DONE]`.
  async function streamChat(ctx, { body, id, model, n, content, toolCalls, finishReason, usage }) {
    const includeUsage = body.stream_options?.include_usage === true;
    const forever = ctx.behaviour.streamForever;
    const sse = ctx.sse(forever ? {} : (ctx.behaviour.stream ?? {}));
    sse.start(ctx.behaviour.headers);
    const chunk = (choices) => {
      const c = { id, object: 'chat.completion.chunk', created: MOCK_CREATED, model, system_fingerprint: 'fp_mock', choices };
      if (includeUsage) c.usage = null;
      return c;
    };
    const choice = (index, delta, finish = null) => ({ index, delta, logprobs: null, finish_reason: finish });

    if (forever) {
      const intervalMs = forever.intervalMs ?? 50;
      const maxMs = forever.maxMs ?? 120_000; // a safety net: the stream ends by itself after this
      const padding = forever.contentBytes > 0 ? 'x'.repeat(forever.contentBytes) : '';
      const started = Date.now();
      if (!(await sse.data(chunk([choice(0, { role: 'assistant', content: '', refusal: null })])))) return;
      for (let i = 0; Date.now() - started < maxMs; i += 1) {
        if (intervalMs > 0) {
          if (!(await pause(intervalMs, ctx.signal))) return;
        } else {
          // Back to back, but let I/O (and the client going away) in between.
          await new Promise((resolve) => setImmediate(resolve));
          if (ctx.signal.aborted) return;
        }
        const tick = `tick ${i} `;
        const content = padding ? tick + padding.slice(tick.length) : tick;
        if (!(await sse.data(chunk([choice(0, { content })])))) return;
      }
      if (!(await sse.data(chunk([choice(0, {}, 'length')])))) return;
      if (!(await sse.data('[DONE]'))) return;
      sse.end();
      return;
    }

    const streamError = ctx.behaviour.reply?.streamError;
    if (streamError) {
      // A 200 that fails: afterEvents chunks of the answer, then an error chunk, and no [DONE].
      const { afterEvents = 1, ...error } = streamError;
      const chunks = [chunk([choice(0, { role: 'assistant', content: '', refusal: null })])];
      for (const fragment of contentFragments(content ?? '')) chunks.push(chunk([choice(0, { content: fragment })]));
      for (const c of chunks.slice(0, afterEvents)) {
        if (!(await sse.data(c))) return;
      }
      if (!(await sse.data({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null, ...error } }))) return;
      sse.end();
      return;
    }

    for (let index = 0; index < n; index += 1) {
      if (toolCalls) {
        const first = toolCalls[0];
        const firstDelta = {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: first.id, type: 'function', function: { name: first.name, arguments: '' } }],
          refusal: null,
        };
        if (!(await sse.data(chunk([choice(index, firstDelta)])))) return;
        for (let t = 0; t < toolCalls.length; t += 1) {
          const call = toolCalls[t];
          if (t > 0) {
            const open = { tool_calls: [{ index: t, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] };
            if (!(await sse.data(chunk([choice(index, open)])))) return;
          }
          for (const fragment of argumentFragments(call.arguments)) {
            const delta = { tool_calls: [{ index: t, function: { arguments: fragment } }] };
            if (!(await sse.data(chunk([choice(index, delta)])))) return;
          }
        }
      } else {
        if (!(await sse.data(chunk([choice(index, { role: 'assistant', content: '', refusal: null })])))) return;
        for (const fragment of contentFragments(content)) {
          if (!(await sse.data(chunk([choice(index, { content: fragment })])))) return;
        }
      }
      if (!(await sse.data(chunk([choice(index, {}, finishReason)])))) return;
    }
    if (includeUsage && usage !== null) {
      const last = { id, object: 'chat.completion.chunk', created: MOCK_CREATED, model, system_fingerprint: 'fp_mock', choices: [], usage };
      if (!(await sse.data(last))) return;
    }
    if (!(await sse.data('[DONE]'))) return;
    sse.end();
  }

  function argumentFragments(args) {
    if (args === MOCK_TOOL_ARGUMENTS) return MOCK_TOOL_ARGUMENT_FRAGMENTS;
    if (args.length < 2) return [args];
    const mid = Math.floor(args.length / 2);
    return [args.slice(0, mid), args.slice(mid)];
  }

  function embeddings(ctx) {
    if (!checkAuth(ctx)) return;
    const body = requireJson(ctx);
    if (!body) return;
    if (typeof body.model !== 'string' || body.model === '') {
      ctx.json(400, openaiError('you must provide a model parameter', { param: 'model' }));
      return;
    }
    const items = embeddingItems(body.input);
    if (!items) {
      ctx.json(400, openaiError("'input' is a required property and must be a string or array.", { param: 'input' }));
      return;
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      ctx.json(400, openaiError(`'${format}' is not one of ['float', 'base64'] - 'encoding_format'`, { param: 'encoding_format' }));
      return;
    }
    // test-embedder: text as the C++ simulated embedder embeds it (token ids as before).
    const simulated = body.model === TEST_EMBEDDER_MODEL;
    const defaultDims = simulated ? TEST_EMBEDDER_DIMENSIONS : DEFAULT_EMBEDDING_DIMENSIONS;
    const dims = Number.isInteger(body.dimensions) && body.dimensions > 0 ? body.dimensions : defaultDims;
    const tokens = mockEmbeddingTokens(items);
    const data = items.map((item, index) => {
      const values = simulated && typeof item === 'string' ? simulatedEmbedding(item, dims) : mockEmbedding(item, dims);
      return { object: 'embedding', index, embedding: format === 'base64' ? embeddingToBase64(values) : values };
    });
    ctx.json(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }, ctx.behaviour.headers);
  }

  function modelObject(id) {
    return { id, object: 'model', created: MOCK_CREATED, owned_by: 'mock' };
  }

  function listModels(ctx) {
    if (!checkAuth(ctx)) return;
    ctx.json(200, { object: 'list', data: models.map(modelObject) }, ctx.behaviour.headers);
  }

  function getModel(ctx, id) {
    if (!checkAuth(ctx)) return;
    if (!models.includes(id)) {
      ctx.json(404, openaiError(`The model '${id}' does not exist`, { param: 'model', code: 'model_not_found' }));
      return;
    }
    ctx.json(200, modelObject(id), ctx.behaviour.headers);
  }

  function route(rec) {
    const { method, path } = rec;
    if (method === 'POST' && path === '/v1/chat/completions') return chatCompletions;
    if (method === 'POST' && path === '/v1/embeddings') return embeddings;
    if (method === 'GET' && path === '/v1/models') return listModels;
    const m = /^\/v1\/models\/(.+)$/.exec(path);
    if (method === 'GET' && m) return (ctx) => getModel(ctx, decodeURIComponent(m[1]));
    return null;
  }

  return { name: 'openai', route, errorBody };
}
