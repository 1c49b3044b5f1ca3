// Routes (`routes:` with strategy single and fallback) and retries (`retry:`), README "Configuration"
// and CONTRACT.md "Route shapes". Three separate mock providers (a, b, c) answer with their own text,
// so every answer says where it came from, and each test checks that each mock got exactly the
// requests it expected. Faults are scripted per mock; `down` is a closed port (connection refused)
// and `slow` is mock a behind a 300 ms first_byte_ms. Mock `oa` is the provider `openai`, so that its
// targets are catalog models with known context windows (gpt-4o and gpt-4o-mini 128k, gpt-4.1 ~1M).

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startMock, openaiError } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { openaiClient, collectStream, assertOpenAIErrorShape, caught } from '../lib/fixtures.js';
import { closedPort, withTimeout } from '../lib/util.js';

const KEYS = { a: 'sk-route-a-provider-key', b: 'sk-route-b-provider-key', c: 'sk-route-c-provider-key' };
const answerFrom = (name) => `answer from ${name}`;
// The call deadline of the deadline routes: long enough for a quick fallback, short for a test.
const DEADLINE_MS = 1500;

describe('routes: single, fallback, retry', { skip: gatewaySkip, timeout: 180_000 }, () => {
  const mocks = {};
  let gw;
  let client;

  before(async () => {
    for (const name of ['a', 'b', 'c', 'oa']) mocks[name] = await startMock();
    const refusedPort = await closedPort();
    gw = await startGateway({
      config: {
        // These tests fail the same targets over and over to check the order of attempts; circuit
        // breakers would (rightly) start skipping them. Health has its own tests (routing.test.js).
        health: { enabled: false },
        providers: {
          a: { kind: 'openai', base_url: mocks.a.baseURL, api_key: KEYS.a, models: ['model-a'] },
          b: { kind: 'openai', base_url: mocks.b.baseURL, api_key: KEYS.b },
          c: { kind: 'openai', base_url: mocks.c.baseURL, api_key: KEYS.c },
          down: { kind: 'openai', base_url: `http://127.0.0.1:${refusedPort}/v1`, api_key: 'sk-down' },
          slow: { kind: 'openai', base_url: mocks.a.baseURL, api_key: KEYS.a, limits: { first_byte_ms: 300 } },
          openai: { base_url: mocks.oa.baseURL, api_key: 'sk-route-openai-provider-key' },
        },
        routes: {
          fb: { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'] },
          'fb-down': { strategy: 'fallback', targets: ['down/model-d', 'b/model-b'] },
          'fb-slow': { strategy: 'fallback', targets: ['slow/model-s', 'b/model-b'] },
          retry503: { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'], retry: { attempts: 2, on: [503] } },
          'retry-default': { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'], retry: { attempts: 2 } },
          solo: { strategy: 'single', targets: ['a/model-a'] },
          tuned: { strategy: 'single', targets: [{ model: 'a/model-a', params: { temperature: 0.1 } }] },
          inner: { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'] },
          outer: { strategy: 'fallback', targets: ['inner', 'c/model-c'] },
          'single-over-fallback': { strategy: 'single', targets: ['inner'] },
          'inner-retry': { strategy: 'single', targets: ['a/model-a'], retry: { attempts: 2, on: [503] } },
          'outer-retry': { strategy: 'fallback', targets: ['inner-retry', 'b/model-b'] },
          'tuned-nested': { strategy: 'fallback', targets: [{ model: 'inner', params: { temperature: 0.1 } }] },
          'to-down': { strategy: 'fallback', targets: ['b/model-b', 'down/model-d'] },
          'to-slow': { strategy: 'fallback', targets: ['b/model-b', 'slow/model-s'] },
          'fb-deadline': { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'], retry: { deadline_ms: DEADLINE_MS } },
          'retry-deadline': { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'], retry: { attempts: 3, on: [503], deadline_ms: DEADLINE_MS } },
          'ctx-grow': { strategy: 'fallback', targets: ['openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/gpt-4.1'] },
          'ctx-shrink': { strategy: 'fallback', targets: ['openai/gpt-4.1', 'openai/gpt-4o'] },
          'ctx-unknown': { strategy: 'fallback', targets: ['a/model-a', 'openai/gpt-4.1'] },
        },
      },
    });
    client = openaiClient(gw.openaiBaseURL, 'no-keys-configured');
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0');
    } finally {
      await gw?.kill().catch(() => {});
      for (const mock of Object.values(mocks)) await mock.close();
    }
  });
  beforeEach(() => {
    for (const [name, mock] of Object.entries(mocks)) {
      mock.reset();
      mock.setDefaultBehaviour({ reply: { content: answerFrom(name) } });
    }
  });

  const chat = (model, text = 'route me', extra = {}) => ({ model, messages: [{ role: 'user', content: text }], ...extra });

  // A raw POST: { status, headers, body (parsed JSON or null), text }.
  async function post(body, headers = {}) {
    const res = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  // Exactly this many requests at each mock (missing names: none).
  function assertRequestCounts(expected) {
    const got = Object.fromEntries(Object.entries(mocks).map(([name, mock]) => [name, mock.requests.length]));
    const want = Object.fromEntries(Object.keys(mocks).map((name) => [name, expected[name] ?? 0]));
    assert.deepEqual(got, want, 'requests received by each mock provider');
  }

  async function logLine(requestId) {
    assert.ok(requestId, 'the answer carries x-switchyard-request-id');
    const lines = await gw.waitForAccessLog((all) => all.some((l) => l.request_id === requestId));
    return lines.find((l) => l.request_id === requestId);
  }

  function assertAttempts(line, expected) {
    assert.equal(line.attempts, expected.length, `attempts in ${JSON.stringify(line)}`);
    assert.deepEqual(
      line.attempt_log.map((a) => [a.kind, a.provider, a.outcome]),
      expected,
      'attempt_log: [kind, provider, outcome]',
    );
  }

  describe('fallback', () => {
    it('a 500 from the first target: the second target answers, with headers and log saying so', async () => {
      mocks.a.enqueue({ status: 500, body: openaiError('first target broke (test)', { type: 'server_error' }) });
      const res = await post(chat('fb', 'fall back please', { temperature: 0.4 }));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-switchyard-provider'), 'b');
      assert.equal(res.headers.get('x-switchyard-model'), 'model-b');
      assert.equal(res.headers.get('x-switchyard-route'), 'fb');
      assertRequestCounts({ a: 1, b: 1 });
      assert.equal(mocks.a.requests[0].body.model, 'model-a');
      assert.deepEqual(mocks.b.requests[0].body, chat('model-b', 'fall back please', { temperature: 0.4 }), 'b gets the same call with its own model');
      assert.equal(mocks.a.requests[0].headers.authorization, `Bearer ${KEYS.a}`);
      assert.equal(mocks.b.requests[0].headers.authorization, `Bearer ${KEYS.b}`);

      const line = await logLine(res.headers.get('x-switchyard-request-id'));
      assert.equal(line.status, 200);
      assert.equal(line.route, 'fb');
      assert.equal(line.provider, 'b');
      assert.equal(line.model, 'model-b');
      assertAttempts(line, [
        ['primary', 'a', 'upstream_error'],
        ['fallback', 'b', 'success'],
      ]);
      assert.equal(line.attempt_log[0].status, 500);
      assert.equal(line.attempt_log[1].status, 200);
    });

    it('the first target answering: one attempt, the second target untouched', async () => {
      const res = await post(chat('fb'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('a'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '1');
      assert.equal(res.headers.get('x-switchyard-provider'), 'a');
      assert.equal(res.headers.get('x-switchyard-route'), 'fb');
      assertRequestCounts({ a: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [['primary', 'a', 'success']]);
    });

    // CONTRACT.md: fallback moves on for 401/402/403, 404, 408, 409, 429, 5xx and 529.
    for (const status of [401, 402, 403, 404, 408, 409, 429, 500, 502, 503, 504, 529]) {
      it(`moves on after a ${status} from the first target`, async () => {
        mocks.a.enqueue({ status, body: openaiError(`status ${status} from a (test)`, { type: 'server_error' }) });
        const res = await post(chat('fb'));
        assert.equal(res.status, 200, `a ${status} falls back: ${res.text}`);
        assert.equal(res.json.choices[0].message.content, answerFrom('b'));
        assert.equal(res.headers.get('x-switchyard-attempts'), '2');
        assert.equal(res.headers.get('x-switchyard-provider'), 'b');
        assertRequestCounts({ a: 1, b: 1 });
        const line = await logLine(res.headers.get('x-switchyard-request-id'));
        assertAttempts(line, [
          ['primary', 'a', 'upstream_error'],
          ['fallback', 'b', 'success'],
        ]);
        assert.equal(line.attempt_log[0].status, status);
      });
    }

    it('moves on when the first target refuses the connection', async () => {
      const res = await post(chat('fb-down'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-switchyard-provider'), 'b');
      assert.equal(res.headers.get('x-switchyard-route'), 'fb-down');
      assertRequestCounts({ b: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'down', 'connect_error'],
        ['fallback', 'b', 'success'],
      ]);
    });

    it('moves on when the first target sends nothing within first_byte_ms, closing that connection', async () => {
      mocks.a.enqueue({ hang: true });
      const res = await post(chat('fb-slow'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-switchyard-provider'), 'b');
      assertRequestCounts({ a: 1, b: 1 });
      assert.equal(mocks.a.requests[0].body.model, 'model-s');
      await withTimeout(mocks.a.requests[0].connectionClosed, 5_000, 'the gateway to close the timed-out connection');
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'slow', 'timeout'],
        ['fallback', 'b', 'success'],
      ]);
    });

    // Never for 400, 413 or 422: the request itself is at fault, another target would refuse it too.
    for (const status of [400, 413, 422]) {
      it(`does not move on after a ${status}: the client gets it with the provider's message`, async () => {
        const message = `status ${status} from a: bad field 'foo' (test)`;
        mocks.a.enqueue({ status, body: openaiError(message, { param: 'foo' }) });
        const res = await post(chat('fb'));
        assert.equal(res.status, status, res.text);
        const error = assertOpenAIErrorShape(res.json);
        assert.equal(error.message, message);
        assert.equal(res.headers.get('x-switchyard-attempts'), '1');
        assert.equal(res.headers.get('x-switchyard-route'), 'fb');
        assertRequestCounts({ a: 1 });
        const line = await logLine(res.headers.get('x-switchyard-request-id'));
        assert.equal(line.status, status);
        assertAttempts(line, [['primary', 'a', 'upstream_error']]);
      });
    }

    it('all targets failing: the client gets the last target\'s status and message, with x-should-retry: false', async () => {
      mocks.a.enqueue({ status: 503, body: openaiError('first target overloaded (test)', { type: 'server_error' }) });
      mocks.b.enqueue({ status: 500, body: openaiError('last target broke (test)', { type: 'server_error' }) });
      const res = await post(chat('fb'));
      assert.equal(res.status, 500, res.text);
      const error = assertOpenAIErrorShape(res.json);
      assert.equal(error.message, 'last target broke (test)');
      assert.equal(res.headers.get('x-should-retry'), 'false');
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-switchyard-route'), 'fb');
      assertRequestCounts({ a: 1, b: 1 });
      const line = await logLine(res.headers.get('x-switchyard-request-id'));
      assert.equal(line.status, 500);
      assertAttempts(line, [
        ['primary', 'a', 'upstream_error'],
        ['fallback', 'b', 'upstream_error'],
      ]);
    });

    it('all targets failing, the last with 529: the client gets 503 with its message; the SDK does not retry on top', async () => {
      mocks.a.enqueue({ status: 500 });
      mocks.b.enqueue({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded (test 529)' } } });
      // An SDK that would retry twice on its own: x-should-retry: false must stop it.
      const retryingClient = openaiClient(gw.openaiBaseURL, 'no-keys-configured', { maxRetries: 2 });
      const error = await caught(retryingClient.chat.completions.create(chat('fb')));
      assert.ok(error instanceof OpenAI.InternalServerError, `got ${error}`);
      assert.equal(error.status, 503);
      assert.match(error.message, /Overloaded \(test 529\)/);
      assert.equal(error.headers.get('x-should-retry'), 'false');
      assertRequestCounts({ a: 1, b: 1 });
    });

    it('a timeout, then a 503: the client gets the last target\'s 503', async () => {
      mocks.a.enqueue({ hang: true });
      mocks.b.enqueue({ status: 503, body: openaiError('b overloaded after a timed out (test)', { type: 'server_error' }) });
      const res = await post(chat('fb-slow'));
      assert.equal(res.status, 503, res.text);
      assert.equal(assertOpenAIErrorShape(res.json).message, 'b overloaded after a timed out (test)');
      assert.equal(res.headers.get('x-should-retry'), 'false');
      assertRequestCounts({ a: 1, b: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'slow', 'timeout'],
        ['fallback', 'b', 'upstream_error'],
      ]);
    });

    it('a 500, then a refused connection: the client gets 502 (the last target\'s failure), with x-should-retry: false', async () => {
      mocks.b.enqueue({ status: 500 });
      const res = await post(chat('to-down'));
      assert.equal(res.status, 502, res.text);
      assertOpenAIErrorShape(res.json);
      assert.equal(res.headers.get('x-should-retry'), 'false');
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assertRequestCounts({ b: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'b', 'upstream_error'],
        ['fallback', 'down', 'connect_error'],
      ]);
    });

    it('a 500, then a first-byte timeout: the client gets 504 (the last target\'s failure), with x-should-retry: false', async () => {
      mocks.b.enqueue({ status: 500 });
      mocks.a.enqueue({ hang: true });
      const res = await post(chat('to-slow'));
      assert.equal(res.status, 504, res.text);
      assertOpenAIErrorShape(res.json);
      assert.equal(res.headers.get('x-should-retry'), 'false');
      assertRequestCounts({ a: 1, b: 1 });
      await withTimeout(mocks.a.requests[0].connectionClosed, 5_000, 'the gateway to close the timed-out connection');
    });
  });

  describe('retry', () => {
    it('retries the same target for a status in retry.on, then succeeds: kinds [primary, retry]', async () => {
      mocks.a.enqueue({ status: 503 });
      const res = await post(chat('retry503'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('a'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-switchyard-provider'), 'a');
      assert.equal(res.headers.get('x-switchyard-route'), 'retry503');
      assertRequestCounts({ a: 2 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'a', 'upstream_error'],
        ['retry', 'a', 'success'],
      ]);
    });

    it('does not retry a status outside retry.on (500), but falls back', async () => {
      mocks.a.enqueue({ status: 500 });
      const res = await post(chat('retry503'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assertRequestCounts({ a: 1, b: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'a', 'upstream_error'],
        ['fallback', 'b', 'success'],
      ]);
    });

    it('retry.attempts counts every try of one target: two 503s, then the next target', async () => {
      mocks.a.enqueue({ status: 503 }, { status: 503 });
      const res = await post(chat('retry503'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '3');
      assertRequestCounts({ a: 2, b: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'a', 'upstream_error'],
        ['retry', 'a', 'upstream_error'],
        ['fallback', 'b', 'success'],
      ]);
    });

    it('retries a 429 with retry-after: 0 (default retry.on)', async () => {
      mocks.a.enqueue({ status: 429, headers: { 'retry-after': '0' } });
      const res = await post(chat('retry-default'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('a'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-switchyard-provider'), 'a');
      assertRequestCounts({ a: 2 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'a', 'upstream_error'],
        ['retry', 'a', 'success'],
      ]);
    });

    // gateway/retry_decision.cc ShouldRetry(): the provider's retry-after is honoured when it is at most 2 s;
    // "a longer wait is better spent on another target". Retrying the same provider ~100 ms after it
    // asked for 7 s is neither.
    it('a 429 asking for a longer wait (retry-after: 7) is not retried early on the same target: the route moves on',
      async () => {
        mocks.a.enqueue({ status: 429, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': '7' } });
        const res = await post(chat('retry-default'));
        assert.equal(res.status, 200, res.text);
        assertRequestCounts({ a: 1, b: 1 });
        assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      });

    it('a plain provider/model call that gets a 429 passes on its status, message and retry-after', async () => {
      const message = 'Rate limit reached for model-a (test): try again in 7s';
      mocks.a.enqueue({ status: 429, headers: { 'retry-after': '7' }, body: openaiError(message, { type: 'requests', code: 'rate_limit_exceeded' }) });
      const res = await post(chat('a/model-a'));
      assert.equal(res.status, 429, res.text);
      assert.equal(assertOpenAIErrorShape(res.json).message, message);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(res.headers.get('x-switchyard-attempts'), '1');
      assert.equal(res.headers.get('x-switchyard-route'), null, 'no route for a provider/model call');
      assertRequestCounts({ a: 1 });

      mocks.a.enqueue({ status: 429, headers: { 'retry-after': '7' }, body: openaiError(message, { type: 'requests', code: 'rate_limit_exceeded' }) });
      const error = await caught(client.chat.completions.create(chat('a/model-a')));
      assert.ok(error instanceof OpenAI.RateLimitError, `got ${error}`);
      assert.equal(error.headers.get('retry-after'), '7');
      assert.match(error.message, /Rate limit reached for model-a \(test\)/);
    });

    it('a single route does not fall back anywhere: its one target\'s 503 reaches the client', async () => {
      mocks.a.enqueue({ status: 503, body: openaiError('solo target overloaded (test)', { type: 'server_error' }) });
      const res = await post(chat('solo'));
      assert.equal(res.status, 503, res.text);
      assert.equal(assertOpenAIErrorShape(res.json).message, 'solo target overloaded (test)');
      assert.equal(res.headers.get('x-switchyard-route'), 'solo');
      assert.equal(res.headers.get('x-switchyard-attempts'), '1');
      assertRequestCounts({ a: 1 });
    });
  });

  describe('call deadline (retry.deadline_ms)', () => {
    it('a hanging first target is cut at the deadline: 504, and the second target is never tried', async () => {
      const events = [];
      const onA = () => events.push('a received');
      const onB = () => events.push('b received');
      mocks.a.on('request', onA);
      mocks.b.on('request', onB);
      mocks.a.enqueue({ hang: true });
      try {
        const started = Date.now();
        const res = await post(chat('fb-deadline'));
        const elapsed = Date.now() - started;
        events.push(`client got ${res.status}`);
        assert.equal(res.status, 504, res.text);
        const error = assertOpenAIErrorShape(res.json);
        assert.match(error.message, /deadline_ms \(1500 ms\)/);
        // Generous margins: the call ends near the deadline, never long after (a's own total_ms is 600 s).
        assert.ok(elapsed >= DEADLINE_MS - 200, `ended after ${elapsed} ms, not before the deadline`);
        assert.ok(elapsed < DEADLINE_MS + 8_000, `ended after ${elapsed} ms, near the ${DEADLINE_MS} ms deadline`);
        await withTimeout(mocks.a.requests[0].connectionClosed, 5_000, 'the gateway to close the cut connection');
        assert.deepEqual(events, ['a received', 'client got 504'], 'order of events');
        assertRequestCounts({ a: 1 });
        assert.equal(res.headers.get('x-switchyard-attempts'), '1');
        const line = await logLine(res.headers.get('x-switchyard-request-id'));
        assert.equal(line.status, 504);
        assertAttempts(line, [['primary', 'a', 'timeout']]);
      } finally {
        mocks.a.off('request', onA);
        mocks.b.off('request', onB);
      }
    });

    it('within the deadline, fallback works as usual', async () => {
      mocks.a.enqueue({ status: 500 });
      const res = await post(chat('fb-deadline'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('b'));
      assertRequestCounts({ a: 1, b: 1 });
    });

    it('neither a retry nor the fallback starts after an attempt cut at the deadline', async () => {
      mocks.a.enqueue({ hang: true }, { hang: true }, { hang: true });
      const res = await post(chat('retry-deadline'));
      assert.equal(res.status, 504, res.text);
      assert.match(assertOpenAIErrorShape(res.json).message, /deadline_ms/);
      assertRequestCounts({ a: 1 });
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [['primary', 'a', 'timeout']]);
      mocks.a.reset();  // the unused hangs
    });
  });

  describe('context-length fallback', () => {
    const tooLong = () => ({
      status: 400,
      body: openaiError("This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. (test)", {
        param: 'messages', code: 'context_length_exceeded',
      }),
    });

    it('moves on to a later target with a larger window, skipping one no larger', async () => {
      mocks.oa.enqueue(tooLong());
      const res = await post(chat('ctx-grow'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('oa'));
      assert.deepEqual(mocks.oa.requests.map((r) => r.body.model), ['gpt-4o', 'gpt-4.1'],
        'gpt-4o-mini (the same 128k window) is skipped');
      assertRequestCounts({ oa: 2 });
      assert.equal(res.headers.get('x-switchyard-model'), 'gpt-4.1');
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'openai', 'upstream_error'],
        ['fallback', 'openai', 'success'],
      ]);
    });

    it('does not move on to a smaller window: the client gets the 400', async () => {
      mocks.oa.enqueue(tooLong());
      const res = await post(chat('ctx-shrink'));
      assert.equal(res.status, 400, res.text);
      const error = assertOpenAIErrorShape(res.json);
      assert.equal(error.code, 'context_length_exceeded');
      assert.deepEqual(mocks.oa.requests.map((r) => r.body.model), ['gpt-4.1']);
      assertRequestCounts({ oa: 1 });
    });

    it('does not move on when the failed target\'s window is unknown', async () => {
      mocks.a.enqueue(tooLong());
      const res = await post(chat('ctx-unknown'));
      assert.equal(res.status, 400, res.text);
      assertRequestCounts({ a: 1 });
    });

    it('a plain 400 still does not move on, even to a larger window', async () => {
      mocks.oa.enqueue({ status: 400, body: openaiError("Invalid 'messages' (test)", { param: 'messages', code: 'invalid_value' }) });
      const res = await post(chat('ctx-grow'));
      assert.equal(res.status, 400, res.text);
      assertRequestCounts({ oa: 1 });
    });
  });

  describe('streams', () => {
    it('falls back before the first byte: a 500 on a stream request, then the second target\'s whole stream', async () => {
      mocks.a.enqueue({ status: 500 });
      const { data: stream, response } = await client.chat.completions.create({ ...chat('fb', 'stream me'), stream: true }).withResponse();
      assert.equal(response.headers.get('x-switchyard-attempts'), '2');
      assert.equal(response.headers.get('x-switchyard-provider'), 'b');
      assert.equal(response.headers.get('x-switchyard-route'), 'fb');
      const got = await withTimeout(collectStream(stream), 20_000, 'the fallback stream');
      assert.equal(got.content, answerFrom('b'));
      assert.equal(got.finishReason, 'stop');
      assertRequestCounts({ a: 1, b: 1 });
      assert.equal(mocks.b.requests[0].body.stream, true);
      assertAttempts(await logLine(response.headers.get('x-switchyard-request-id')), [
        ['primary', 'a', 'upstream_error'],
        ['fallback', 'b', 'success'],
      ]);
    });

    it('falls back when the first stream breaks before any event reached the client', async () => {
      mocks.a.enqueue({ stream: { dropAfterChunks: 0 } }); // the head, then a dropped connection
      const { data: stream, response } = await client.chat.completions.create({ ...chat('fb', 'stream me'), stream: true }).withResponse();
      assert.equal(response.headers.get('x-switchyard-provider'), 'b');
      const got = await withTimeout(collectStream(stream), 20_000, 'the fallback stream');
      assert.equal(got.content, answerFrom('b'));
      assertRequestCounts({ a: 1, b: 1 });
    });

    it('does not go elsewhere once the stream has started: a drop mid-way raises in the SDK, the second target gets nothing', async () => {
      // Frames: the role chunk, "answer", then the connection drops.
      mocks.a.enqueue({ stream: { dropAfterChunks: 2 }, reply: { content: answerFrom('a') } });
      const { data: stream, response } = await client.chat.completions.create({ ...chat('fb', 'stream me'), stream: true }).withResponse();
      assert.equal(response.headers.get('x-switchyard-provider'), 'a');
      const seen = [];
      await assert.rejects(
        withTimeout(
          (async () => {
            for await (const chunk of stream) seen.push(chunk);
          })(),
          20_000,
          'the broken stream',
        ),
        (error) => error.code !== 'TEST_TIMEOUT',
        'the SDK iteration throws',
      );
      assert.ok(seen.length >= 1, 'the chunks before the drop were relayed');
      assert.equal(seen.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'answer', 'only a\'s first words');
      assertRequestCounts({ a: 1 });
      const line = await logLine(response.headers.get('x-switchyard-request-id'));
      assertAttempts(line, [['primary', 'a', 'stream_error']]);
    });
  });

  describe('targets', () => {
    it('route params override the client\'s fields; the provider gets the model without its prefix', async () => {
      const res = await post(chat('tuned', 'tune me', { temperature: 0.9, top_p: 0.5 }));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('x-switchyard-route'), 'tuned');
      assertRequestCounts({ a: 1 });
      const { body } = mocks.a.requests[0];
      assert.equal(body.temperature, 0.1, 'the route\'s temperature wins');
      assert.equal(body.model, 'model-a');
      assert.equal(body.top_p, 0.5, 'fields the route does not set pass unchanged');
      assert.deepEqual(body.messages, chat('x', 'tune me').messages);

      const sdkRes = await client.chat.completions.create(chat('tuned', 'tune me too', { temperature: 0.9 }));
      assert.equal(sdkRes.choices[0].message.content, answerFrom('a'));
      assert.equal(mocks.a.requests[1].body.temperature, 0.1);
    });

    it('a route whose target is another route: the inner route\'s targets are tried, then the outer\'s next one', async () => {
      mocks.a.enqueue({ status: 500 });
      mocks.b.enqueue({ status: 502 });
      const res = await post(chat('outer'));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.choices[0].message.content, answerFrom('c'));
      assert.equal(res.headers.get('x-switchyard-attempts'), '3');
      assert.equal(res.headers.get('x-switchyard-provider'), 'c');
      assert.equal(res.headers.get('x-switchyard-route'), 'outer');
      assertRequestCounts({ a: 1, b: 1, c: 1 });
      assert.equal(mocks.c.requests[0].body.model, 'model-c');
      assertAttempts(await logLine(res.headers.get('x-switchyard-request-id')), [
        ['primary', 'a', 'upstream_error'],
        ['fallback', 'b', 'upstream_error'],
        ['fallback', 'c', 'success'],
      ]);

      const direct = await post(chat('outer'));
      assert.equal(direct.json.choices[0].message.content, answerFrom('a'));
      assert.equal(direct.headers.get('x-switchyard-route'), 'outer');
    });

    it('a single route over a fallback route keeps the inner route\'s fallback',
      async () => {
        mocks.a.enqueue({ status: 500, body: openaiError('inner first target broke (test)', { type: 'server_error' }) });
        const res = await post(chat('single-over-fallback'));
        assert.equal(res.status, 200, `the inner fallback route should have tried b: ${res.status} ${res.text}`);
        assert.equal(res.json.choices[0].message.content, answerFrom('b'));
        assertRequestCounts({ a: 1, b: 1 });
      });

    it('a nested route keeps its own retry policy',
      async () => {
        mocks.a.enqueue({ status: 503 });
        const res = await post(chat('outer-retry'));
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.choices[0].message.content, answerFrom('a'), 'inner-retry retries a before outer-retry moves on to b');
        assertRequestCounts({ a: 2 });
      });

    it('params on a target that names another route reach the provider',
      async () => {
        const res = await post(chat('tuned-nested', 'tune the inner route', { temperature: 0.9 }));
        assert.equal(res.status, 200, res.text);
        assertRequestCounts({ a: 1 });
        assert.equal(mocks.a.requests[0].body.temperature, 0.1, 'the outer target\'s params apply to the inner route\'s targets');
      });

    it('GET /v1/models lists the route names next to the providers\' models', async () => {
      const list = await client.models.list();
      const ids = [];
      for await (const model of list) ids.push(model.id);
      for (const route of ['fb', 'fb-down', 'fb-slow', 'retry503', 'retry-default', 'solo', 'tuned', 'inner', 'outer', 'single-over-fallback', 'inner-retry', 'outer-retry', 'to-down', 'to-slow', 'tuned-nested']) {
        assert.ok(ids.includes(route), `route ${route} is listed: ${ids.join(', ')}`);
      }
      assert.ok(ids.includes('a/model-a'), 'provider models are listed too');
      assertRequestCounts({});
    });
  });
});
