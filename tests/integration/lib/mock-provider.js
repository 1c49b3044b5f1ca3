// The project's fault-scriptable mock provider. It runs inside the test process on a loopback port,
// records every request, and answers in a provider's wire format (lib/mock/<format>.js) or as
// scripted by the test.
//
//   const mock = await startMock();            // http://127.0.0.1:PORT/v1
//   const tlsMock = await startMock({ tls: { key, cert } });   // https://127.0.0.1:PORT/v1 (PEM strings)
//   mock.enqueue({ status: 429, headers: { 'retry-after': '1' } });
//   ... the gateway calls mock.baseURL ...
//   mock.requests[0].body.model               // what the gateway sent
//   await mock.close();
//
// Formats: `formats` lists the wire formats served, by name or as format objects (default
// ['openai']); each named one takes its options from the option of the same name:
//   await startMock({ formats: ['openai', 'anthropic', 'gemini'], anthropic: { apiKey, models } });
//   openai     mock.baseURL (`${origin}/v1`): /v1/chat/completions, /v1/embeddings, /v1/models
//   anthropic  mock.origin (the SDK and the gateway append /v1/messages): /v1/messages[/count_tokens],
//              /v1/models in Anthropic's shape (lib/mock/anthropic.js)
//   gemini     `${mock.origin}/v1beta`: /v1beta/models/{model}:generateContent,
//              :streamGenerateContent, :countTokens, /v1beta/models (lib/mock/gemini.js)
// A request goes to the first format whose route takes it, trying first the formats that claim it
// (Anthropic: an anthropic-version or x-api-key header; Gemini: a /v1beta/ path), then the others
// in the listed order; so GET /v1/models answers in Anthropic's shape only to Anthropic clients.
// That format also shapes scripted error bodies, and the 404 for a path no format serves.
//
// Behaviours (enqueue(...) adds them FIFO; each request takes the first queued behaviour whose
// optional `path`/`method` match it and whose optional `match(rec)` predicate returns true — rec is
// the request record below, its body already parsed; with none queued the default behaviour, or
// the format's normal answer, applies). Fields combine; they are applied in this order:
//   delayMs: N                  wait N ms before the response head (cut short if the client goes away)
//   holdUntil: Promise          then wait until this promise settles (the test decides when to answer)
//   destroy: true               destroy the socket without answering (connection reset)
//   hang: true                  never answer; the connection stays open until the client closes it
//   rawBody: string|Buffer      answer these exact bytes (status default 200, content-type JSON unless
//                               `headers` say otherwise)
//   status: N, body: obj|str    answer this status and body (body defaults to the format's error body
//                               for N ≥ 400)
//   headers: {...}              extra response headers (also on normal answers)
//   reply: { content, toolCalls: [{name, arguments, id?}] | false, finishReason, usage (null: none),
//            model, extra,      change the normal answer (Anthropic and Gemini also read `thinking`
//            streamError }      and `streamError`; their module headers say how each field maps;
//                               OpenAI's streamError is { afterEvents = 1, ...error object fields }:
//                               that many chunks, then a `data: {"error": ...}` chunk, no [DONE])
//   stream: { chunkDelayMs, dropAfterChunks, endAfterChunks, stallAfterChunks }   pace or break a
//                               streamed answer (see lib/mock/sse.js)
//   streamForever: { intervalMs, maxMs, contentBytes }   a streamed answer (in any format) that
//                               sends a content chunk every intervalMs (0: back to back, yielding to
//                               the event loop between chunks) until the client goes away (maxMs,
//                               default 120 s, caps it); contentBytes pads each chunk's content to
//                               about that many bytes
//   label: string               copied to the request record, for the test's own bookkeeping
//   echoKey: true               echo mode, for a provider that leaks the key it was sent: every
//                               ECHO_KEY ('{{key}}') in the behaviour's strings (body, rawBody,
//                               headers, reply, object keys too) becomes the key of this request
//                               (keyOfRequest: Authorization Bearer, x-api-key, x-goog-api-key or
//                               ?key=); rec.behaviour holds the echoed behaviour
//
// Each request record: { id, method, url, path, query, headers (lower-case names), rawHeaders,
// rawBody (string), body (parsed JSON or undefined), bodyError, behaviour, connectionId, tls
// ({ protocol, servername } over TLS, else null), status, chunksSent, bytesSent, heldBack,
// backpressureCount, fault, aborted, done: Promise<{aborted}>, connectionClosed: Promise<void> }.
// `done` settles when the response has been sent in full or cut short; `aborted` is true when it was
// cut short (client gone, or a scripted drop); `connectionClosed` settles when the TCP connection that
// carried the request closes, whoever closed it.
// Streams (lib/mock/sse.js) count `bytesSent` (SSE bytes handed to res.write) and watch backpressure:
// when a write returns false and, once Node has tried to flush, bytes are still queued in the socket
// (the kernel's send buffer is full: the peer is not reading), `heldBack` turns true, backpressureCount
// goes up and 'backpressure' is emitted; 'drain' follows if the peer takes the bytes after all.
//
// Events: 'request' (rec, once its body has arrived), 'requestAborted' (rec), 'connection' ({id}),
// 'connectionClosed' ({id}), 'backpressure' ({ rec, bytesSent, writableLength }), 'drain' ({ rec,
// bytesSent }), 'frameWritten' ({ rec, n }: the n-th SSE frame of rec's stream reached the kernel), and with `tls`: 'tcpConnection' ({id}) for every accepted TCP connection and
// 'tlsClientError' ({ error }) for every failed handshake. Counters: connectionsOpened,
// connectionsClosed (with `tls` these count established TLS connections), tcpConnectionsOpened, and
// `tlsClientErrors` (the errors of failed handshakes, in order).

import http from 'node:http';
import https from 'node:https';
import { EventEmitter } from 'node:events';

import { createOpenAIFormat } from './mock/openai.js';
import { createAnthropicFormat } from './mock/anthropic.js';
import { createGeminiFormat } from './mock/gemini.js';
import { SseWriter } from './mock/sse.js';
import { deferred, pause, withTimeout } from './util.js';

const CONNECTION_ID = Symbol('mock.connectionId');
const CONNECTION_CLOSED = Symbol('mock.connectionClosed');

const BEHAVIOUR_KEYS = new Set([
  'path', 'method', 'match', 'label', 'delayMs', 'holdUntil', 'destroy', 'hang', 'rawBody', 'status', 'body', 'headers',
  'reply', 'stream', 'streamForever', 'echoKey',
]);

// The placeholder an echoKey behaviour replaces with the request's provider key.
export const ECHO_KEY = '{{key}}';

// The provider key a request carried, in whichever of the formats' places it came ('' if none).
export function keyOfRequest(rec) {
  const bearer = /^Bearer (.+)$/i.exec(rec.headers.authorization ?? '');
  return bearer?.[1] ?? rec.headers['x-api-key'] ?? rec.headers['x-goog-api-key'] ?? rec.query.key ?? '';
}

// `behaviour` with every ECHO_KEY in its strings replaced by `key` (promises and buffers kept).
function echoKeyIn(value, key) {
  if (typeof value === 'string') return value.replaceAll(ECHO_KEY, key);
  if (Array.isArray(value)) return value.map((item) => echoKeyIn(item, key));
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || typeof value.then === 'function') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [echoKeyIn(k, key), echoKeyIn(v, key)]));
}
const STREAM_KEYS = new Set(['chunkDelayMs', 'dropAfterChunks', 'endAfterChunks', 'stallAfterChunks']);
const STREAM_FOREVER_KEYS = new Set(['intervalMs', 'maxMs', 'contentBytes']);

const FORMAT_FACTORIES = { openai: createOpenAIFormat, anthropic: createAnthropicFormat, gemini: createGeminiFormat };

// `formats` entries are names (built with the option of the same name) or ready format objects.
function resolveFormats(options) {
  return (options.formats ?? ['openai']).map((format) => {
    if (typeof format !== 'string') return format;
    const factory = FORMAT_FACTORIES[format];
    if (!factory) throw new TypeError(`unknown mock format: ${format} (known: ${Object.keys(FORMAT_FACTORIES).join(', ')})`);
    return factory(options[format] ?? {});
  });
}

// The ticks of a `streamForever` answer: one every intervalMs (0: back to back, yielding to the
// event loop in between) until the client goes away or maxMs (default 120 s, a safety net) passes;
// contentBytes pads each to about that many bytes.
async function* foreverTicks(forever, signal) {
  const intervalMs = forever.intervalMs ?? 50;
  const maxMs = forever.maxMs ?? 120_000;
  const padding = forever.contentBytes > 0 ? 'x'.repeat(forever.contentBytes) : '';
  const started = Date.now();
  for (let i = 0; Date.now() - started < maxMs; i += 1) {
    if (intervalMs > 0) {
      if (!(await pause(intervalMs, signal))) return;
    } else {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) return;
    }
    const tick = `tick ${i} `;
    yield padding ? tick + padding.slice(tick.length) : tick;
  }
}

function checkBehaviour(b) {
  if (!b || typeof b !== 'object') throw new TypeError('mock behaviour must be an object');
  for (const key of Object.keys(b)) {
    if (!BEHAVIOUR_KEYS.has(key)) throw new TypeError(`unknown mock behaviour field: ${key}`);
  }
  if (b.match !== undefined && typeof b.match !== 'function') throw new TypeError('mock behaviour match must be a function (rec) => boolean');
  if (b.stream) {
    for (const key of Object.keys(b.stream)) {
      if (!STREAM_KEYS.has(key)) throw new TypeError(`unknown mock stream field: ${key}`);
    }
  }
  if (b.streamForever) {
    for (const key of Object.keys(b.streamForever)) {
      if (!STREAM_FOREVER_KEYS.has(key)) throw new TypeError(`unknown mock streamForever field: ${key}`);
    }
  }
  return b;
}

export class MockProvider extends EventEmitter {
  constructor(options = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.formats = resolveFormats(options);
    this.requests = [];
    this.queue = [];
    this.defaultBehaviour = null;
    this.connectionsOpened = 0;
    this.connectionsClosed = 0;
    this.sockets = new Set();
    this.nextRequestId = 1;
    this.nextConnectionId = 1;
    this.closing = null;
    this.tls = options.tls ?? null;
    this.tcpConnectionsOpened = 0;
    this.tlsClientErrors = [];
    this.tcpSockets = new Set();
    const serverOptions = { keepAliveTimeout: options.keepAliveTimeoutMs ?? 65_000 };
    if (this.tls) {
      // The TLS server's own 'secureConnection' carries the HTTP session; the raw TCP sockets are
      // tracked too, so that close() also ends connections still in (or stuck in) the handshake.
      this.server = https.createServer({ ...serverOptions, ...this.tls });
      this.server.on('connection', (socket) => this.#onTcpConnection(socket));
      this.server.on('secureConnection', (socket) => this.#onConnection(socket));
      this.server.on('tlsClientError', (error) => {
        this.tlsClientErrors.push(error);
        this.emit('tlsClientError', { error });
      });
    } else {
      this.server = http.createServer(serverOptions);
      this.server.on('connection', (socket) => {
        this.tcpConnectionsOpened += 1;
        this.#onConnection(socket);
      });
    }
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
    this.server.on('request', (req, res) => {
      this.#onRequest(req, res).catch((error) => {
        // A bug in the mock itself: answer 599 so that it is visible, and keep serving.
        if (!res.headersSent) {
          res.writeHead(599, { 'content-type': 'text/plain' });
          res.end(`mock provider error: ${error.stack}`);
        } else {
          res.destroy();
        }
        this.emit('mockError', error);
      });
    });
  }

  async listen() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = this.server.address().port;
    this.origin = `${this.tls ? 'https' : 'http'}://${this.host}:${this.port}`;
    this.baseURL = `${this.origin}/v1`;
    return this;
  }

  // Queues behaviours, consumed one per matching request, first in first out.
  enqueue(...behaviours) {
    for (const b of behaviours) this.queue.push(checkBehaviour(b));
    return this;
  }

  // The behaviour for every request that finds no queued one (null: the format's normal answer).
  setDefaultBehaviour(behaviour) {
    this.defaultBehaviour = behaviour === null ? null : checkBehaviour(behaviour);
    return this;
  }

  // Forgets recorded requests, queued behaviours and the default behaviour. Keeps the same
  // `requests` array object.
  reset() {
    this.requests.length = 0;
    this.queue.length = 0;
    this.defaultBehaviour = null;
    return this;
  }

  get lastRequest() {
    return this.requests[this.requests.length - 1];
  }

  // Resolves with the requests once at least `count` have been recorded.
  waitForRequests(count, { timeoutMs = 10_000 } = {}) {
    if (this.requests.length >= count) return Promise.resolve(this.requests);
    const wait = new Promise((resolve) => {
      const onRequest = () => {
        if (this.requests.length >= count) {
          this.off('request', onRequest);
          resolve(this.requests);
        }
      };
      this.on('request', onRequest);
    });
    return withTimeout(wait, timeoutMs, `${count} request(s) at the mock provider (have ${this.requests.length})`);
  }

  // Closes the listener and every connection, answered or not.
  close() {
    if (!this.closing) {
      this.closing = new Promise((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections?.();
        for (const socket of this.sockets) socket.destroy();
        for (const socket of this.tcpSockets) socket.destroy();
      });
    }
    return this.closing;
  }

  #onTcpConnection(socket) {
    const id = this.tcpConnectionsOpened + 1;
    this.tcpConnectionsOpened = id;
    this.tcpSockets.add(socket);
    socket.on('close', () => this.tcpSockets.delete(socket));
    this.emit('tcpConnection', { id });
  }

  #onConnection(socket) {
    const id = this.nextConnectionId++;
    const closed = deferred();
    socket[CONNECTION_ID] = id;
    socket[CONNECTION_CLOSED] = closed.promise;
    this.sockets.add(socket);
    this.connectionsOpened += 1;
    this.emit('connection', { id });
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.connectionsClosed += 1;
      closed.resolve();
      this.emit('connectionClosed', { id });
    });
  }

  #takeBehaviour(rec) {
    const i = this.queue.findIndex(
      (b) => (b.path === undefined || b.path === rec.path) && (b.method === undefined || b.method === rec.method)
        && (b.match === undefined || Boolean(b.match(rec))),
    );
    if (i >= 0) return this.queue.splice(i, 1)[0];
    return this.defaultBehaviour ?? {};
  }

  async #onRequest(req, res) {
    const url = new URL(req.url, 'http://mock.invalid');
    const abort = new AbortController();
    const done = deferred();
    const rec = {
      id: this.nextRequestId++,
      method: req.method,
      url: req.url,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      rawBody: '',
      body: undefined,
      bodyError: null,
      behaviour: null,
      label: undefined,
      connectionId: req.socket[CONNECTION_ID],
      tls: req.socket.encrypted ? { protocol: req.socket.getProtocol(), servername: req.socket.servername || null } : null,
      status: null,
      chunksSent: 0,
      bytesSent: 0,
      heldBack: false,
      backpressureCount: 0,
      fault: null,
      aborted: false,
      done: done.promise,
      connectionClosed: req.socket[CONNECTION_CLOSED],
    };
    res.on('close', () => {
      rec.aborted = !res.writableFinished;
      if (rec.aborted) {
        abort.abort();
        this.emit('requestAborted', rec);
      }
      done.resolve({ aborted: rec.aborted });
    });

    const chunks = [];
    try {
      for await (const chunk of req) chunks.push(chunk);
    } catch {
      return; // the client went away while sending the body
    }
    const raw = Buffer.concat(chunks);
    rec.rawBody = raw.toString('utf8');
    if (raw.length > 0) {
      try {
        rec.body = JSON.parse(rec.rawBody);
      } catch (error) {
        rec.bodyError = error.message;
      }
    }
    const taken = this.#takeBehaviour(rec);
    const behaviour = taken.echoKey ? echoKeyIn(taken, keyOfRequest(rec)) : taken;
    rec.behaviour = behaviour;
    rec.label = behaviour.label;
    this.requests.push(rec);
    this.emit('request', rec);

    const { format, handler } = this.#route(rec);
    const baseHeaders = { 'x-request-id': `req_mock_${rec.id}`, ...format.headers?.(rec) };
    const ctx = {
      req,
      res,
      rec,
      mock: this,
      behaviour,
      signal: abort.signal,
      baseHeaders,
      json: (status, body, headers = {}) => {
        rec.status = status;
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', ...baseHeaders, ...headers });
        res.end(text);
      },
      sse: (options) => {
        rec.status = 200;
        return new SseWriter(ctx, options);
      },
      ticks: (forever) => foreverTicks(forever, abort.signal),
    };

    if (behaviour.delayMs > 0) {
      if (!(await pause(behaviour.delayMs, abort.signal))) return;
    }
    if (behaviour.holdUntil) {
      const gone = new Promise((resolve) => {
        if (abort.signal.aborted) resolve();
        abort.signal.addEventListener('abort', resolve, { once: true });
      });
      await Promise.race([Promise.resolve(behaviour.holdUntil).catch(() => {}), gone]);
      if (abort.signal.aborted) return;
    }
    if (behaviour.destroy) {
      rec.fault = 'destroyed';
      req.socket.destroy();
      return;
    }
    if (behaviour.hang) {
      rec.fault = 'hang';
      return; // mock.close() or the client ends it
    }
    if (behaviour.rawBody !== undefined) {
      rec.status = behaviour.status ?? 200;
      res.writeHead(rec.status, { 'content-type': 'application/json', ...baseHeaders, ...(behaviour.headers ?? {}) });
      res.end(behaviour.rawBody);
      return;
    }
    if (behaviour.status !== undefined || behaviour.body !== undefined) {
      const status = behaviour.status ?? 200;
      let body = behaviour.body;
      if (body === undefined) body = status >= 400 ? format.errorBody(status, undefined, rec) : {};
      ctx.json(status, body, behaviour.headers ?? {});
      return;
    }
    if (handler) {
      await handler(ctx);
      return;
    }
    ctx.json(404, format.errorBody(404, `Unknown path: ${rec.method} ${rec.path} (mock)`, rec));
  }

  // The format that answers `rec` and its handler (null when no format serves the path; the format
  // then only shapes the 404). Formats that claim the request are tried first.
  #route(rec) {
    const claimed = this.formats.filter((f) => f.claims?.(rec));
    const ordered = [...claimed, ...this.formats.filter((f) => !claimed.includes(f))];
    for (const format of ordered) {
      const handler = format.route(rec);
      if (handler) return { format, handler };
    }
    return { format: ordered[0], handler: null };
  }
}

// Starts a mock provider on 127.0.0.1, port 0. Options: { formats (names or format objects, default
// ['openai']), openai: { models, apiKey }, anthropic: { models, apiKey }, gemini: { models, apiKey },
// keepAliveTimeoutMs, tls: { key, cert, ...more tls.createServer options } (serve HTTPS) }.
export async function startMock(options = {}) {
  const mock = new MockProvider(options);
  await mock.listen();
  return mock;
}

export {
  MOCK_USAGE,
  MOCK_TOOL_ARGUMENTS,
  MOCK_TOOL_ARGUMENT_FRAGMENTS,
  DEFAULT_MODELS,
  DEFAULT_EMBEDDING_DIMENSIONS,
  openaiError,
  mockReplyText,
  contentFragments,
  mockEmbedding,
  embeddingToBase64,
  mockEmbeddingTokens,
} from './mock/openai.js';

export {
  ANTHROPIC_VERSION,
  MOCK_ANTHROPIC_USAGE,
  MOCK_THINKING,
  MOCK_SIGNATURE,
  DEFAULT_ANTHROPIC_MODELS,
  anthropicError,
  anthropicErrorBody,
  anthropicReplyText,
  anthropicChosenTool,
  anthropicTokenCount,
  anthropicModelInfo,
  anthropicMessage,
  anthropicStreamEvents,
} from './mock/anthropic.js';

export {
  MOCK_GEMINI_USAGE,
  MOCK_FUNCTION_ARGS,
  DEFAULT_GEMINI_MODELS,
  geminiError,
  geminiErrorBody,
  geminiReplyText,
  geminiChosenFunction,
  geminiTokenCount,
  geminiModelInfo,
  geminiResponse,
  geminiStreamChunks,
} from './mock/gemini.js';
