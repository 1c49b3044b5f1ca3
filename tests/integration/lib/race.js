// Helpers for the racing and hedging tests (test/race.test.js, test/hedge.test.js): one mock
// provider per target (so that which target a request reached never depends on arrival order), an
// ordered log of what happened where, the ledger's record of a call once its late attempts are in,
// and the two official SDKs pointed at the gateway.
//
//   const targets = await startTargets({ a: 'openai', b: 'anthropic' });
//   const log = eventLog(targets);          // 'a request', 'a closed', ... as they happen
//   targets.b.mock.enqueue({ holdUntil: never.promise });
//   ... call the gateway ...; await log.settle(); log.push('client end');
//   log.assertBefore('b closed', 'client end');

import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

import { startMock } from './mock-provider.js';
import { GATEWAY_KEY } from './fixtures.js';
import { ledgerRequest, pollUntil, adminGet } from './ledger.js';
import { deferred, withTimeout } from './util.js';

export const ADMIN_KEY = 'sy-admin-race-Vn3ADMINraceKeyQ8';

// The provider/model of target `name` (its provider is named after it: x-switchyard-provider).
export const modelOf = (name) => `${name}/model-${name}`;
export const answerOf = (name) => `answer from ${name}`;

// One mock per target name, in the given wire format ('openai' or 'anthropic'). Each target has
// `mock`, `format` and `provider` (its entry for the config's providers:). Default answers carry the
// target's name: answerOf(name).
export async function startTargets(formats) {
  const targets = {};
  for (const [name, format] of Object.entries(formats)) {
    const mock = await startMock({ formats: [format] });
    const base = format === 'anthropic' ? mock.origin : mock.baseURL;
    targets[name] = { name, format, mock, provider: { kind: format, base_url: base, api_key: `sk-race-${name}-Hw5PROVIDERkey` } };
  }
  resetTargets(targets);
  return targets;
}

export function providersOf(targets) {
  return Object.fromEntries(Object.values(targets).map((t) => [t.name, t.provider]));
}

// Forgets requests and behaviours; every target answers with its own text again.
export function resetTargets(targets) {
  for (const t of Object.values(targets)) {
    t.mock.reset();
    t.mock.setDefaultBehaviour({ reply: { content: answerOf(t.name) } });
  }
}

export async function closeTargets(targets) {
  for (const t of Object.values(targets)) await t.mock.close();
}

// An ordered log of events: `NAME request` when a request reaches target NAME's mock, `NAME closed`
// when the connection that carried one of this log's requests is ended by the gateway (FIN or
// reset, whichever the mock sees first), and whatever the test pushes. `reset()` starts a new log
// (between tests); sockets that carried no request since are not watched.
export function eventLog(targets) {
  const log = {
    events: [],
    watched: new WeakSet(),
    push(event) {
      log.events.push(event);
    },
    reset() {
      log.events = [];
      log.watched = new WeakSet();
    },
    count(event) {
      return log.events.filter((e) => e === event).length;
    },
    // Node delivers the events of two sockets that became readable together in one poll, in an order
    // of its own; the gateway's order of sending is only visible once that poll has been handled.
    // Two turns of the event loop (not a timer) cover it: what reached this process's sockets before
    // the event being recorded has been seen by then.
    async settle() {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    },
    // Records 'client end' once the event loop has settled (above), for a response body read to its
    // end just now (fetchWithEnd); `clientEnded` resolves when it is in the log.
    markClientEnd() {
      const events = log.events; // a mark still settling when the next test starts stays in its own log
      log.clientEnded = log.settle().then(() => events.push('client end'));
    },
    clientEnded: Promise.resolve(),
    assertBefore(first, second) {
      const i = log.events.indexOf(first);
      const j = log.events.indexOf(second);
      assert.ok(i >= 0, `"${first}" happened: ${JSON.stringify(log.events)}`);
      assert.ok(j >= 0, `"${second}" happened: ${JSON.stringify(log.events)}`);
      assert.ok(i < j, `"${first}" before "${second}": ${JSON.stringify(log.events)}`);
    },
  };
  for (const t of Object.values(targets)) {
    t.mock.server.on('request', (req) => {
      log.push(`${t.name} request`);
      const socket = req.socket;
      if (log.watched.has(socket)) return;
      log.watched.add(socket);
      const events = log.events;
      let seen = false;
      const ended = () => {
        if (seen || events !== log.events) return;
        seen = true;
        log.push(`${t.name} closed`);
      };
      socket.once('end', ended);
      socket.once('error', ended);
      socket.once('close', ended);
    });
  }
  return log;
}

// A promise that never settles while the test runs: a target held with it answers only if the
// gateway never closes its connection (then the test times out, which is the failure).
export const held = () => ({ holdUntil: deferred().promise });

// Resolves with the next request at `mock` once it has been answered in full.
export function nextAnswered(mock) {
  return new Promise((resolve) => {
    mock.once('request', (rec) => rec.done.then(() => resolve(rec)));
  });
}

// Resolves with the next request at `mock` once its first `frames` SSE frames reached the kernel.
export function framesWritten(mock, frames = 1) {
  return new Promise((resolve) => {
    const onFrame = ({ rec, n }) => {
      if (n < frames) return;
      mock.off('frameWritten', onFrame);
      resolve(rec);
    };
    mock.on('frameWritten', onFrame);
  });
}

// The ledger's call `requestId` once it has at least `attempts` attempts (a race's losers may be
// appended after the answer).
export async function ledgerCall(baseURL, requestId, attempts) {
  await ledgerRequest(baseURL, ADMIN_KEY, requestId);
  let last = null;
  return pollUntil(
    async () => {
      last = await adminGet(baseURL, `/admin/requests/${encodeURIComponent(requestId)}`, ADMIN_KEY);
      assert.equal(last.status, 200, last.text);
      return last.json.attempts.length >= attempts ? last.json : undefined;
    },
    { what: `${attempts} attempts of ${requestId} in the ledger`, describe: () => last?.text },
  );
}

// The attempt of `rec` (a ledger call) at provider `name`.
export function attemptAt(call, name) {
  const found = call.attempts.filter((a) => a.provider === name);
  assert.equal(found.length, 1, `one attempt at ${name}: ${JSON.stringify(call.attempts)}`);
  return found[0];
}

// A fetch for the SDKs that calls onEnd() the moment a response body has been read to its end, before
// the SDK parses it: the client's "end of the answer" without the SDK's own time after it.
export function fetchWithEnd(onEnd) {
  return async (url, init) => {
    const res = await fetch(url, init);
    if (!res.body) {
      onEnd();
      return res;
    }
    const reader = res.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) {
          onEnd();
          controller.close();
          return;
        }
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

// The two client APIs through their official SDKs. `call(gw, model, text, options)` answers
// { text, headers, toolCalls, finishReason } for a plain call; `stream(...)` drains a streamed one
// and returns { text, headers, events }.
export const SDKS = {
  openai: {
    client: (gw, fetchFn = fetch) => new OpenAI({ apiKey: GATEWAY_KEY, baseURL: gw.openaiBaseURL, maxRetries: 0, timeout: 20_000, fetch: fetchFn }),
    async call(sdk, model, text, { extra = {}, signal } = {}) {
      const { data, response } = await sdk.chat.completions
        .create({ model, messages: [{ role: 'user', content: text }], ...extra }, { signal })
        .withResponse();
      const message = data.choices[0].message;
      return { text: message.content ?? '', headers: response.headers, toolCalls: message.tool_calls ?? [], finishReason: data.choices[0].finish_reason };
    },
    abortError: OpenAI.APIUserAbortError,
  },
  anthropic: {
    client: (gw, fetchFn = fetch) => new Anthropic({ apiKey: GATEWAY_KEY, baseURL: gw.baseURL, maxRetries: 0, timeout: 20_000, fetch: fetchFn }),
    async call(sdk, model, text, { extra = {}, signal } = {}) {
      const { data, response } = await sdk.messages
        .create({ model, max_tokens: 256, messages: [{ role: 'user', content: text }], ...extra }, { signal })
        .withResponse();
      const texts = data.content.filter((b) => b.type === 'text').map((b) => b.text);
      return { text: texts.join(''), headers: response.headers, toolCalls: data.content.filter((b) => b.type === 'tool_use'), finishReason: data.stop_reason };
    },
    abortError: Anthropic.APIUserAbortError,
  },
};

// A raw streamed call in either client API: { status, headers, text (the whole body), firstBodyAt }
// with `onFirstBody()` called when the first body bytes arrive.
export async function rawStream(gw, api, model, text, { onFirstBody = () => {}, extra = {} } = {}) {
  const openai = api === 'openai';
  const res = await withTimeout(
    fetch(`${gw.baseURL}${openai ? '/v1/chat/completions' : '/v1/messages'}`, {
      method: 'POST',
      headers: openai
        ? { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' }
        : { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream: true, ...(openai ? {} : { max_tokens: 256 }), messages: [{ role: 'user', content: text }], ...extra }),
    }),
    20_000,
    `the ${api} stream's head`,
  );
  const decoder = new TextDecoder();
  let body = '';
  let first = true;
  await withTimeout(
    (async () => {
      for await (const chunk of res.body) {
        if (first) {
          first = false;
          onFirstBody();
        }
        body += decoder.decode(chunk, { stream: true });
      }
    })(),
    20_000,
    `the ${api} stream's end`,
  );
  return { status: res.status, headers: res.headers, text: body };
}
