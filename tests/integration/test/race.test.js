// Racing (issue 13; CONTRACT.md "Route shapes", "Admin API"): every target of a `race` route starts
// at once, the first acceptable answer wins and every other attempt is cancelled — its upstream
// connection closed before the client has the end of the answer — and priced in the ledger.
//
// Each target is a mock of its own (lib/race.js), so which target a request reached never depends
// on arrival order. Answers are gated with holdUntil promises that the test settles (a target held
// with a promise that never settles can only end by the gateway closing it); nothing waits on the
// clock except the deadline cases, where the gateway's own clock is what is tested. Order is checked
// in an event log: requests arriving at each mock, each mock seeing its connection closed, and the
// client's end of the answer.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, WEATHER_TOOL, assertOpenAIErrorShape, caught } from '../lib/fixtures.js';
import { costNanos, moneyNanos, pricesUsd, usdToNanos } from '../lib/ledger.js';
import { parseSse, withTimeout } from '../lib/util.js';
import {
  ADMIN_KEY,
  SDKS,
  answerOf,
  attemptAt,
  closeTargets,
  eventLog,
  fetchWithEnd,
  framesWritten,
  held,
  ledgerCall,
  modelOf,
  nextAnswered,
  providersOf,
  rawStream,
  resetTargets,
  startTargets,
} from '../lib/race.js';

// USD per million tokens. c's output is dear, so that a race capped by max_cost_usd cannot afford it.
// Every token class the mocks report is priced (their usage has cache reads, and Anthropic's cache writes).
const PRICES = {
  a: { input: '1', cached_input: '0.5', cache_write_5m: '1.25', output: '2' },
  b: { input: '1', cached_input: '0.5', cache_write_5m: '1.25', output: '2' },
  c: { input: '1', cached_input: '0.5', cache_write_5m: '1.25', output: '100' },
};
const pricesConfig = () => Object.fromEntries(Object.entries(PRICES).map(([n, p]) => [modelOf(n), p]));
const priceOf = (name) => pricesUsd({ ...PRICES[name], reasoning: PRICES[name].output });
const TOKEN_CLASSES = ['input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens'];
const tokensOf = (attempt) => Object.fromEntries(TOKEN_CLASSES.map((k) => [k, attempt[k]]));

const race = (targets, more = {}) => ({ strategy: 'race', targets: targets.map(modelOf), ...more });
// The deadline of the cap cases: long next to an instant answer, short for the suite.
const CAP_DEADLINE_MS = 800;

const SCHEMA_FORMAT = {
  type: 'json_schema',
  json_schema: {
    name: 'count',
    strict: true,
    schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false },
  },
};

// An OpenAI chat call with fetch: { status, headers, json, text }.
async function post(gw, model, text, extra = {}) {
  const res = await withTimeout(
    fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: text }], ...extra }),
    }),
    20_000,
    `the call to ${model}`,
  );
  const body = await res.text();
  let json = null;
  try {
    json = JSON.parse(body);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text: body };
}

describe('race', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let targets;
  let log;
  let gw;
  const sdks = {};

  before(async () => {
    targets = await startTargets({ a: 'openai', b: 'anthropic', c: 'openai' });
    log = eventLog(targets);
    gw = await startGateway({
      config: {
        admin_key: ADMIN_KEY,
        providers: providersOf(targets),
        keys: [{ key: GATEWAY_KEY, name: 'racer' }],
        prices: pricesConfig(),
        health: { enabled: false },
        routes: {
          'race-ab': race(['a', 'b']),
          'race-json': race(['a', 'b'], { accept: { json: true } }),
          'race-tool': race(['a', 'b'], { accept: { tool_call: true } }),
          'race-min': race(['a', 'b'], { accept: { min_length: 20 } }),
          'race-regex': race(['a', 'b'], { accept: { regex: 'ANSWER: [0-9]+' } }),
          'race-schema': race(['a', 'c'], { accept: { json_schema: true } }),
          'race-cap': race(['a', 'b', 'c'], { max_parallel: 2, retry: { deadline_ms: CAP_DEADLINE_MS } }),
          'race-cost': race(['a', 'b', 'c'], { max_cost_usd: 0.005, retry: { deadline_ms: CAP_DEADLINE_MS } }),
          'race-deadline': race(['a', 'b'], { retry: { deadline_ms: 300 } }),
          'step-fb': { strategy: 'fallback', targets: [modelOf('a'), modelOf('b')] },
          'race-nested': { strategy: 'race', targets: ['step-fb', modelOf('c')] },
        },
      },
    });
    // The SDKs' fetch marks 'client end' when an answer's last byte arrives.
    const marking = fetchWithEnd(() => log.markClientEnd());
    sdks.openai = SDKS.openai.client(gw, marking);
    sdks.anthropic = SDKS.anthropic.client(gw, marking);
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0');
    } finally {
      await gw?.kill().catch(() => {});
      if (targets) await closeTargets(targets);
    }
  });
  beforeEach(() => {
    resetTargets(targets);
    log.reset();
  });

  // The fastest answer wins, in both client APIs, whichever wire format the winner speaks; the
  // loser's connection is closed before the client has the end of the answer; the loser is a
  // cancelled `race` attempt priced from its prompt estimate, and the call's cost includes it.
  for (const api of ['openai', 'anthropic']) {
    for (const [winner, loser] of [['a', 'b'], ['b', 'a']]) {
      it(`${api} client: ${winner} (${winner === 'a' ? 'openai' : 'anthropic'} format) answers first and wins; ${loser} is cancelled`, async () => {
        targets[loser].mock.enqueue(held());
        const answer = await withTimeout(SDKS[api].call(sdks[api], 'race-ab', `race ${api} ${winner}`), 20_000, 'the race');
        await log.clientEnded; // marked when the answer's last byte arrived
        assert.equal(answer.text, answerOf(winner));
        assert.equal(answer.headers.get('x-switchyard-provider'), winner);
        assert.equal(answer.headers.get('x-switchyard-model'), `model-${winner}`);
        assert.equal(answer.headers.get('x-switchyard-attempts'), '2', 'both attempts started');
        assert.equal(answer.headers.get('x-switchyard-route'), 'race-ab');
        log.assertBefore(`${loser} request`, 'client end');
        log.assertBefore(`${loser} closed`, 'client end');
        const { aborted } = await withTimeout(targets[loser].mock.requests[0].done, 5_000, 'the loser\'s end at its mock');
        assert.equal(aborted, true, 'the loser was cut off, not answered');
        assert.equal(targets[winner].mock.requests.length, 1);

        const id = answer.headers.get('x-switchyard-request-id');
        const call = await ledgerCall(gw.baseURL, id, 2);
        const where = JSON.stringify(call);
        assert.equal(call.status, 200, where);
        assert.equal(call.provider, winner, where);
        assert.equal(call.attempts.length, 2, where);
        const won = attemptAt(call, winner);
        const lost = attemptAt(call, loser);
        assert.equal(won.status, 200, where);
        assert.equal(lost.kind, 'race', where);
        assert.equal(lost.status, 'cancelled', where);
        assert.equal(lost.estimated, true, 'a cancelled attempt is priced from an estimate');
        assert.ok(lost.input_tokens > 0, `the prompt estimate: ${where}`);
        assert.equal(lost.output_tokens, 0, `nothing came back from the loser: ${where}`);
        assert.equal(moneyNanos(lost.cost_usd), costNanos(tokensOf(lost), priceOf(loser)), `the estimate at ${loser}'s price`);
        assert.equal(moneyNanos(won.cost_usd), costNanos(tokensOf(won), priceOf(winner)));
        assert.ok(moneyNanos(lost.cost_usd) > 0n);
        assert.equal(moneyNanos(call.cost_usd), moneyNanos(won.cost_usd) + moneyNanos(lost.cost_usd), 'the call\'s cost includes the loser');
        if (api === 'openai') {
          const header = usdToNanos(answer.headers.get('x-switchyard-cost-usd') ?? 'missing');
          assert.ok(header >= moneyNanos(won.cost_usd) && header <= moneyNanos(call.cost_usd), `x-switchyard-cost-usd ${header} covers the winner`);
        }
      });
    }
  }

  // accept: a faster answer that fails the check loses to a slower one that passes. The slower
  // target is released only once the faster one has sent its whole answer. The slower one speaks
  // Anthropic's format (the check reads the translated answer), but for the schema case: both
  // OpenAI, so that the schema reaches both targets as the client wrote it.
  const ACCEPT_CASES = [
    { route: 'race-json', check: 'json', fast: { content: 'plain text, not JSON' }, slow: { content: '{"answer": 42}' } },
    { route: 'race-min', check: 'min_length', fast: { content: 'too short' }, slow: { content: 'an answer long enough to pass' } },
    { route: 'race-regex', check: 'regex', fast: { content: 'no number here' }, slow: { content: 'ANSWER: 42' } },
    {
      route: 'race-tool',
      check: 'tool_call',
      fast: { content: 'I will not call a tool', toolCalls: false },
      slow: { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      extra: { tools: [WEATHER_TOOL] },
    },
    {
      route: 'race-schema',
      check: 'json_schema',
      fast: { content: '{"n": "seven"}' },
      slow: { content: '{"n": 7}' },
      slowTarget: 'c',
      extra: { response_format: SCHEMA_FORMAT },
    },
  ];
  for (const c of ACCEPT_CASES) {
    it(`accept ${c.check}: a faster answer that fails it loses to a slower one that passes`, async () => {
      const slow = c.slowTarget ?? 'b';
      const fastDone = nextAnswered(targets.a.mock);
      targets.a.mock.enqueue({ reply: c.fast });
      targets[slow].mock.enqueue({ holdUntil: fastDone, reply: c.slow });
      const res = await post(gw, c.route, `accept ${c.check}`, c.extra);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('x-switchyard-provider'), slow, 'the slower, acceptable answer wins');
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      const message = res.json.choices[0].message;
      if (c.check === 'tool_call') {
        assert.equal(message.tool_calls?.[0]?.function?.name, 'get_weather', res.text);
      } else {
        assert.equal(message.content, c.slow.content);
      }
      assert.equal(targets.a.mock.requests[0].aborted, false, 'the faster answer was received in full');
      const call = await ledgerCall(gw.baseURL, res.headers.get('x-switchyard-request-id'), 2);
      const lost = attemptAt(call, 'a');
      assert.equal(lost.kind, 'race', JSON.stringify(call));
      assert.match(lost.reason ?? '', new RegExp(`^${c.check}:`), `the loser's row says why: ${JSON.stringify(lost)}`);
      assert.equal(attemptAt(call, slow).status, 200);
      if (c.extra?.response_format) assert.deepEqual(targets.a.mock.requests[0].body.response_format, c.extra.response_format, 'the schema reached the target');
    });
  }

  it('none acceptable: 502, x-should-retry false, x-switchyard-race names each target and its reason', async () => {
    targets.a.mock.enqueue({ reply: { content: 'not json from a' } });
    targets.b.mock.enqueue({ reply: { content: 'not json from b' } });
    const res = await post(gw, 'race-json', 'nobody passes');
    assert.equal(res.status, 502, res.text);
    assertOpenAIErrorShape(res.json);
    assert.equal(res.headers.get('x-should-retry'), 'false');
    const verdict = res.headers.get('x-switchyard-race');
    assert.ok(verdict, 'x-switchyard-race is set');
    for (const name of ['a', 'b']) assert.match(verdict, new RegExp(`${name}/model-${name}[^,;]*json:`), `${name} and its reason in: ${verdict}`);
    assert.doesNotMatch(verdict, /sk-race-/, 'no provider key in the header');

    // The Anthropic client gets the same refusal in its own shape.
    targets.a.mock.enqueue({ reply: { content: 'still not json' } });
    targets.b.mock.enqueue({ reply: { content: 'nor this' } });
    const error = await caught(SDKS.anthropic.call(sdks.anthropic, 'race-json', 'nobody passes either'));
    assert.equal(error.status, 502, String(error));
    assert.equal(error.error?.type, 'error', `the Anthropic error shape: ${JSON.stringify(error.error)}`);
    assert.equal(typeof error.error?.error?.message, 'string');
    assert.equal(error.headers.get('x-should-retry'), 'false');
    assert.match(error.headers.get('x-switchyard-race') ?? '', /a\/model-a.*json:/);
  });

  // A streamed race is one clean stream: the loser had already sent its head and first events (no
  // text yet) when the winner was released; nothing of the loser reaches the client.
  it('openai stream: one clean stream from the winner, one [DONE], the cost comment just before it', async () => {
    const loserStarted = framesWritten(targets.b.mock, 1);
    targets.b.mock.enqueue({ reply: { content: 'bravo never seen' }, stream: { stallAfterChunks: 2 } });
    targets.a.mock.enqueue({ holdUntil: loserStarted, reply: { content: 'alpha streams this whole answer' } });
    const res = await rawStream(gw, 'openai', 'race-ab', 'stream race');
    await log.settle();
    log.push('client end');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'a');
    const events = parseSse(res.text);
    const data = events.filter((e) => e.data !== null);
    assert.equal(data.filter((e) => e.data === '[DONE]').length, 1, 'exactly one [DONE]');
    assert.equal(data[data.length - 1].data, '[DONE]', '[DONE] ends the stream');
    const chunks = data.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data));
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1, `every chunk from one stream: ${res.text}`);
    assert.equal(chunks.filter((c) => c.choices?.[0]?.delta?.role).length, 1, 'one role chunk: the loser\'s never shows');
    const content = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
    assert.equal(content, 'alpha streams this whole answer');
    const doneAt = events.findIndex((e) => e.data === '[DONE]');
    const commentAt = events.findIndex((e) => e.comments.some((line) => line.startsWith('switchyard ')));
    assert.equal(commentAt, doneAt - 1, `the cost comment just before [DONE]: ${res.text}`);
    log.assertBefore('b closed', 'client end');
    const call = await ledgerCall(gw.baseURL, res.headers.get('x-switchyard-request-id'), 2);
    assert.equal(attemptAt(call, 'b').status, 'cancelled', JSON.stringify(call));
  });

  it('anthropic stream: one message_start, one message_stop, the winner\'s text only, the cost comment before message_stop', async () => {
    const loserStarted = framesWritten(targets.a.mock, 1);
    targets.a.mock.enqueue({ reply: { content: 'alpha never seen' }, stream: { stallAfterChunks: 1 } });
    targets.b.mock.enqueue({ holdUntil: loserStarted, reply: { content: 'bravo streams the answer' } });
    const res = await rawStream(gw, 'anthropic', 'race-ab', 'anthropic stream race');
    await log.settle();
    log.push('client end');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'b');
    const events = parseSse(res.text);
    const named = events.filter((e) => e.event !== null);
    assert.equal(named.filter((e) => e.event === 'message_start').length, 1, 'one message_start');
    assert.equal(named.filter((e) => e.event === 'message_stop').length, 1, 'one message_stop');
    assert.equal(named[named.length - 1].event, 'message_stop');
    const text = named
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => JSON.parse(e.data).delta)
      .filter((d) => d.type === 'text_delta')
      .map((d) => d.text)
      .join('');
    assert.equal(text, 'bravo streams the answer');
    const stopAt = events.findIndex((e) => e.event === 'message_stop');
    const commentAt = events.findIndex((e) => e.comments.some((line) => line.startsWith('switchyard ')));
    assert.ok(commentAt >= 0 && commentAt < stopAt, `the cost comment before message_stop: ${res.text}`);
    log.assertBefore('a closed', 'client end');
  });

  it('stream with accept json: the faster plain stream loses; the JSON stream is held until it passes, then relayed whole', async () => {
    const fastDone = nextAnswered(targets.a.mock);
    const slowDone = nextAnswered(targets.b.mock);
    slowDone.then(() => log.push('b answered in full'));
    targets.a.mock.enqueue({ reply: { content: 'plain words streamed fast' } });
    // b's frames come 30 ms apart: a relay that did not hold the stream would pass the first on
    // long before b had finished.
    targets.b.mock.enqueue({ holdUntil: fastDone, reply: { content: '{"answer": "streamed json"}' }, stream: { chunkDelayMs: 30 } });
    const res = await rawStream(gw, 'openai', 'race-json', 'stream json race', { onFirstBody: () => log.push('client first body') });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'b');
    const data = parseSse(res.text).filter((e) => e.data !== null);
    assert.equal(data.filter((e) => e.data === '[DONE]').length, 1);
    const chunks = data.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data));
    assert.equal(chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join(''), '{"answer": "streamed json"}');
    assert.equal(chunks.filter((c) => c.choices?.[0]?.delta?.role).length, 1);
    log.assertBefore('b answered in full', 'client first body');
    const call = await ledgerCall(gw.baseURL, res.headers.get('x-switchyard-request-id'), 2);
    assert.match(attemptAt(call, 'a').reason ?? '', /^json:/, JSON.stringify(call));
  });

  // Caps: held targets never answer, the third would answer at once. Had a third attempt started, it
  // would win; capped, the call runs into its deadline with the third never called.
  for (const [route, why] of [['race-cap', 'max_parallel 2'], ['race-cost', 'max_cost_usd: only the first two fit']]) {
    it(`${why}: exactly two of three targets get a request`, async () => {
      targets.a.mock.enqueue(held());
      targets.b.mock.enqueue(held());
      const res = await post(gw, route, `capped by ${why}`, { max_tokens: 100 });
      assert.equal(res.status, 504, `the deadline, not the third target: ${res.status} ${res.text}`);
      assertOpenAIErrorShape(res.json);
      assert.equal(targets.c.mock.requests.length, 0, 'the third target never got a request');
      assert.equal(targets.a.mock.requests.length, 1);
      assert.equal(targets.b.mock.requests.length, 1);
      await log.settle();
      log.push('client end');
      log.assertBefore('a closed', 'client end');
      log.assertBefore('b closed', 'client end');
    });
  }

  it('retry.deadline_ms bounds the whole race: both held, the deadline error, both connections closed', async () => {
    targets.a.mock.enqueue(held());
    targets.b.mock.enqueue(held());
    const res = await post(gw, 'race-deadline', 'too slow, both');
    await log.settle();
    log.push('client end');
    assert.equal(res.status, 504, res.text);
    assertOpenAIErrorShape(res.json);
    log.assertBefore('a closed', 'client end');
    log.assertBefore('b closed', 'client end');
  });

  for (const api of ['openai', 'anthropic']) {
    it(`${api} client disconnects: every racer is cancelled and the call is recorded as 499`, async () => {
      const arrived = Promise.all([targets.a.mock.waitForRequests(1), targets.b.mock.waitForRequests(1)]);
      targets.a.mock.enqueue(held());
      targets.b.mock.enqueue(held());
      const controller = new AbortController();
      const call = SDKS[api].call(sdks[api], 'race-ab', `abandon ${api}`, { signal: controller.signal }).catch((e) => e);
      await arrived;
      controller.abort();
      const error = await withTimeout(call, 10_000, 'the aborted call');
      assert.ok(error instanceof SDKS[api].abortError, `got ${error}`);
      await withTimeout(targets.a.mock.requests[0].connectionClosed, 5_000, 'a closed');
      await withTimeout(targets.b.mock.requests[0].connectionClosed, 5_000, 'b closed');
      const lines = await gw.waitForAccessLog((all) => all.some((l) => l.route === 'race-ab' && l.status === 499));
      const line = lines.find((l) => l.route === 'race-ab' && l.status === 499);
      const recorded = await ledgerCall(gw.baseURL, line.request_id, 2);
      assert.equal(recorded.status, 499, JSON.stringify(recorded));
      for (const attempt of recorded.attempts) assert.equal(attempt.status, 'cancelled', JSON.stringify(recorded));
    });
  }

  it('nesting: a race whose target is a fallback route (500, then an answer) beats a held target', async () => {
    targets.a.mock.enqueue({ status: 500 });
    targets.c.mock.enqueue(held());
    const res = await post(gw, 'race-nested', 'nested race');
    await log.settle();
    log.push('client end');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices[0].message.content, answerOf('b'));
    assert.equal(res.headers.get('x-switchyard-provider'), 'b');
    assert.equal(res.headers.get('x-switchyard-attempts'), '3', 'a (500), b and c');
    log.assertBefore('c closed', 'client end');
    const call = await ledgerCall(gw.baseURL, res.headers.get('x-switchyard-request-id'), 3);
    const where = JSON.stringify(call);
    assert.equal(attemptAt(call, 'a').status, 500, where);
    assert.equal(attemptAt(call, 'b').status, 200, where);
    assert.equal(attemptAt(call, 'c').status, 'cancelled', where);
    assert.equal(attemptAt(call, 'c').kind, 'race', where);
  });
});

// routing.max_parallel_attempts caps a race that sets no max_parallel of its own.
describe('race: routing.max_parallel_attempts', { skip: gatewaySkip, timeout: 60_000 }, () => {
  let targets;
  let gw;

  before(async () => {
    targets = await startTargets({ a: 'openai', b: 'openai', c: 'openai' });
    gw = await startGateway({
      config: {
        providers: providersOf(targets),
        routing: { max_parallel_attempts: 2 },
        routes: { wide: race(['a', 'b', 'c'], { retry: { deadline_ms: CAP_DEADLINE_MS } }) },
      },
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0');
    } finally {
      await gw?.kill().catch(() => {});
      if (targets) await closeTargets(targets);
    }
  });

  it('a race of three under a global cap of two starts two', async () => {
    targets.a.mock.enqueue(held());
    targets.b.mock.enqueue(held());
    const res = await withTimeout(
      fetch(`${gw.openaiBaseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'wide', messages: [{ role: 'user', content: 'globally capped' }] }),
      }),
      20_000,
      'the capped race',
    );
    const text = await res.text();
    assert.equal(res.status, 504, `the deadline, not the third target: ${text}`);
    assert.equal(targets.c.mock.requests.length, 0, 'the third target never got a request');
    assert.deepEqual([targets.a.mock.requests.length, targets.b.mock.requests.length], [1, 1]);
  });
});
