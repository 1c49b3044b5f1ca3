// The routing engine (issue 5): loadbalance (weights, stickiness, failover), cheapest (catalog
// prices and capabilities), fastest (live latency), conditional (rules on metadata, inbound API,
// tools, stream), health (circuit breaker, 429 cool-down, and both off), and the per-call
// x-switchyard-route header (a route name or an inline route). README "Routes", CONTRACT.md
// "Route shapes".
//
// Deterministic: the gateway's routing draws come from SWITCHYARD_RANDOM_SEED with `threads: 1`
// (one worker, one generator, calls made one after another), and assertions are about which
// targets were tried in which order — never about how long anything took. Where the latency-based
// strategy may explore, the test counts picks instead of asserting an exact sequence.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock, openaiError } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { WEATHER_TOOL, assertOpenAIErrorShape } from '../lib/fixtures.js';
import { adminGet, ledgerRequest } from '../lib/ledger.js';
import {
  chat,
  post,
  providerOf,
  logLine,
  attemptsOf,
  providersTried,
  assertRequestCounts,
} from '../lib/routing.js';

const SEED = '20240611';
const answerFrom = (name) => `answer from ${name}`;

// Mocks by name, each answering with its own text; `reset()` forgets requests and behaviours.
async function startMocks(names, options = {}) {
  const mocks = {};
  for (const name of names) mocks[name] = await startMock(options[name] ?? {});
  return mocks;
}
function resetMocks(mocks) {
  for (const [name, mock] of Object.entries(mocks)) {
    mock.reset();
    mock.setDefaultBehaviour({ reply: { content: answerFrom(name) } });
  }
}
async function closeAll(gw, mocks) {
  try {
    if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0');
  } finally {
    await gw?.kill().catch(() => {});
    for (const mock of Object.values(mocks)) await mock.close();
  }
}

// ---------------------------------------------------------------------------------------------
describe('routing: loadbalance', { skip: gatewaySkip, timeout: 240_000 }, () => {
  const mocks = {};
  const SPLIT = { strategy: 'loadbalance', targets: [{ model: 'a/model-a', weight: 7 }, { model: 'b/model-b', weight: 3 }] };
  const config = () => ({
    threads: 1,
    providers: {
      a: { kind: 'openai', base_url: mocks.a.baseURL, api_key: 'sk-lb-a' },
      b: { kind: 'openai', base_url: mocks.b.baseURL, api_key: 'sk-lb-b' },
    },
    routes: {
      split: SPLIT,
      sticky: { ...SPLIT, sticky: 'user' },
    },
  });
  let gw;

  before(async () => {
    Object.assign(mocks, await startMocks(['a', 'b']));
  });
  after(() => closeAll(gw, mocks));
  beforeEach(() => resetMocks(mocks));

  // `count` calls to `route`, one after another: the provider of each, in order.
  async function sequence(target, count, headers = () => ({})) {
    const picks = [];
    for (let i = 0; i < count; i += 1) picks.push(providerOf(await post(target, chat('split', `call ${i}`), headers(i))));
    return picks;
  }
  const tally = (picks) => picks.reduce((acc, p) => ({ ...acc, [p]: (acc[p] ?? 0) + 1 }), {});

  it('weights 7:3 split 1000 calls within bounds, and the same seed replays the same sequence', async () => {
    const runs = [];
    for (const seed of [SEED, SEED, '777']) {
      const g = await startGateway({ config: config(), env: { SWITCHYARD_RANDOM_SEED: seed } });
      try {
        resetMocks(mocks);
        const picks = await sequence(g, 1000);
        assert.deepEqual(
          { a: mocks.a.requests.length, b: mocks.b.requests.length },
          { a: picks.filter((p) => p === 'a').length, b: picks.filter((p) => p === 'b').length },
          'each call reached exactly the provider its header names, once',
        );
        runs.push(picks);
      } finally {
        assert.equal(await g.stop(), 0);
      }
    }
    const counts = tally(runs[0]);
    console.log(`loadbalance 7:3 over 1000 calls, seed ${SEED}: ${JSON.stringify(counts)}; seed 777: ${JSON.stringify(tally(runs[2]))}`);
    // 700 expected; the binomial standard deviation is 14.5, so ±60 is over four of them.
    assert.ok(Math.abs(counts.a - 700) <= 60, `a got ${counts.a} of 1000 (expected 700 ± 60)`);
    assert.equal(counts.a + counts.b, 1000);
    assert.deepEqual(runs[1], runs[0], 'the same seed gives the same sequence of targets');
    assert.notDeepEqual(runs[2], runs[0], 'another seed gives another sequence');
    const other = tally(runs[2]);
    assert.ok(Math.abs(other.a - 700) <= 60, `seed 777: a got ${other.a} of 1000`);
  });

  describe('on one gateway', () => {
    before(async () => {
      gw = await startGateway({ config: config(), env: { SWITCHYARD_RANDOM_SEED: SEED } });
    });

    it('sticky by metadata user: one user always lands on the same target; 200 users spread over both', async () => {
      const route = (user) => ({ 'x-switchyard-metadata': JSON.stringify({ user }) });
      const sticky = async (user) => providerOf(await post(gw, chat('sticky', 'hi'), route(user)));
      for (const user of ['alice', 'bob']) {
        const picks = [];
        for (let i = 0; i < 50; i += 1) picks.push(await sticky(user));
        assert.equal(new Set(picks).size, 1, `${user} always lands on one target: ${JSON.stringify(tally(picks))}`);
      }
      const first = new Map();
      for (let i = 0; i < 200; i += 1) first.set(`user-${i}`, await sticky(`user-${i}`));
      for (const [user, provider] of first) assert.equal(await sticky(user), provider, `${user} keeps its target`);
      const spread = tally([...first.values()]);
      console.log(`sticky loadbalance 7:3 over 200 users: ${JSON.stringify(spread)}`);
      assert.ok(spread.a > 0 && spread.b > 0, `both targets get users: ${JSON.stringify(spread)}`);
      // 140 expected (standard deviation 6.5).
      assert.ok(spread.a >= 110 && spread.a <= 170, `a got ${spread.a} of 200 users`);
      // A call without the key is placed at random, as an unsticky one.
      const loose = await sequence(gw, 40);
      assert.deepEqual(new Set(loose), new Set(['a', 'b']), 'calls without metadata go to both');
    });

    it('a failing pick (503) falls over to the other target within the same call', async () => {
      mocks.a.setDefaultBehaviour({ status: 503, body: openaiError('a is overloaded (test)', { type: 'server_error' }) });
      const lines = [];
      for (let i = 0; i < 20; i += 1) {
        const res = await post(gw, chat('split', `fail over ${i}`));
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.choices[0].message.content, answerFrom('b'));
        assert.equal(res.headers.get('x-switchyard-route'), 'split');
        lines.push(await logLine(gw, res));
      }
      const viaA = lines.filter((l) => l.attempts === 2);
      for (const line of viaA) {
        assert.deepEqual(attemptsOf(line), [
          ['primary', 'a', 'model-a', 'upstream_error'],
          ['fallback', 'b', 'model-b', 'success'],
        ]);
      }
      for (const line of lines.filter((l) => l.attempts !== 2)) {
        assert.deepEqual(attemptsOf(line), [['primary', 'b', 'model-b', 'success']]);
      }
      assert.ok(viaA.length > 0, 'some calls picked the failing target first');
      assert.equal(mocks.a.requests.length, viaA.length, 'a got exactly the calls that picked it first');
      assert.equal(mocks.b.requests.length, 20);
    });

    it('when every target fails, each is tried once and the client gets the last error', async () => {
      mocks.a.setDefaultBehaviour({ status: 503, body: openaiError('a down (test)', { type: 'server_error' }) });
      mocks.b.setDefaultBehaviour({ status: 502, body: openaiError('b down (test)', { type: 'server_error' }) });
      const res = await post(gw, chat('split', 'nobody home'));
      assert.ok(res.status === 502 || res.status === 503, res.text);
      assertOpenAIErrorShape(res.json);
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-should-retry'), 'false');
      const line = await logLine(gw, res);
      const tried = providersTried(line);
      assert.deepEqual([...tried].sort(), ['a', 'b']);
      assert.match(res.json.error.message, tried[1] === 'a' ? /a down/ : /b down/, 'the last error reaches the client');
      assertRequestCounts(mocks, { a: 1, b: 1 });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Catalog prices and capabilities (data/price_catalog.json), per million tokens:
//   openai/gpt-5-nano                                  in 0.05  out 0.40  window 272000  out ≤ 128000  tools, vision
//   groq/meta-llama/llama-4-scout-17b-16e-instruct     in 0.11  out 0.34  window 131072  out ≤ 8192    tools, vision
//   fireworks/accounts/fireworks/models/
//     llama-v3p2-11b-vision-instruct                   in 0.20  out 0.20  window 16384   out ≤ 16384   vision, NO tools
//     gpt-oss-20b                                      in 0.07  out 0.30  window 131072  out ≤ 32768   tools, NO vision
// Expected cost = estimated prompt × input + (max_tokens or 1000) × output.
describe('routing: cheapest', { skip: gatewaySkip, timeout: 120_000 }, () => {
  const mocks = {};
  let gw;
  const NANO = 'gpt-5-nano';
  const SCOUT = 'meta-llama/llama-4-scout-17b-16e-instruct';
  const VISION_NO_TOOLS = 'accounts/fireworks/models/llama-v3p2-11b-vision-instruct';
  const TOOLS_NO_VISION = 'accounts/fireworks/models/gpt-oss-20b';

  before(async () => {
    Object.assign(mocks, await startMocks(['openai', 'groq', 'fireworks']));
    gw = await startGateway({
      config: {
        threads: 1,
        // Some checks fail every target to see the whole order; the breaker must not reorder them.
        health: { enabled: false },
        providers: {
          openai: { base_url: mocks.openai.baseURL, api_key: 'sk-cheap-openai' },
          groq: { base_url: mocks.groq.baseURL, api_key: 'sk-cheap-groq' },
          fireworks: { base_url: mocks.fireworks.baseURL, api_key: 'sk-cheap-fireworks', limits: { first_byte_ms: 1000 } },
        },
        routes: {
          // Written most expensive first, so that the strategy visibly reorders.
          thrifty: { strategy: 'cheapest', targets: [`openai/${NANO}`, `groq/${SCOUT}`, `fireworks/${VISION_NO_TOOLS}`] },
          'thrifty-vision': { strategy: 'cheapest', targets: [`openai/${NANO}`, `fireworks/${TOOLS_NO_VISION}`] },
        },
      },
    });
  });
  after(() => closeAll(gw, mocks));
  beforeEach(() => resetMocks(mocks));

  // The first choice (the only mock that got the successful call, with its model), then — with
  // every mock failing — the whole order from the access log.
  async function assertOrder(body, expected, headers = {}) {
    const ok = await post(gw, body, headers);
    assert.equal(providerOf(ok), expected[0][0], `first choice: ${JSON.stringify(expected[0])}`);
    assert.equal(ok.headers.get('x-switchyard-model'), expected[0][1]);
    assert.equal(ok.headers.get('x-switchyard-attempts'), '1');
    assertRequestCounts(mocks, { [expected[0][0]]: 1 });
    assert.equal(mocks[expected[0][0]].requests[0].body.model, expected[0][1]);

    for (const mock of Object.values(mocks)) {
      mock.reset();
      mock.setDefaultBehaviour({ status: 503, body: openaiError('busy (test)', { type: 'server_error' }) });
    }
    const failed = await post(gw, body, headers);
    assert.equal(failed.status, 503, failed.text);
    const line = await logLine(gw, failed);
    assert.deepEqual(line.attempt_log.map((a) => [a.provider, a.model]), expected, 'the order of attempts');
    assertRequestCounts(mocks, Object.fromEntries(expected.map(([p]) => [p, expected.filter(([q]) => q === p).length])));
  }

  it('a plain request goes to the cheapest target', async () => {
    await assertOrder(chat('thrifty', 'Hello'), [
      ['fireworks', VISION_NO_TOOLS],
      ['groq', SCOUT],
      ['openai', NANO],
    ]);
  });

  it('a request with tools goes to the cheapest target with tools (the one without comes last)', async () => {
    await assertOrder(chat('thrifty', 'Weather?', { tools: [WEATHER_TOOL] }), [
      ['groq', SCOUT],
      ['openai', NANO],
      ['fireworks', VISION_NO_TOOLS],
    ]);
  });

  it('a request with an image goes to the cheapest target with vision', async () => {
    const image = {
      model: 'thrifty-vision',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
    };
    await assertOrder(chat('thrifty-vision', 'Describe nothing'), [
      ['fireworks', TOOLS_NO_VISION],
      ['openai', NANO],
    ]);
    resetMocks(mocks);
    await assertOrder(image, [
      ['openai', NANO],
      ['fireworks', TOOLS_NO_VISION],
    ]);
  });

  it('an inline base64 image counts as an image, not as its bytes: it still fits a small window', async () => {
    // 100 KB of base64 would be ~25000 tokens at four bytes each, past fireworks' 16384 window
    // with max_tokens 8000; as an image (~1600 tokens) it fits, and fireworks is cheapest.
    const pixels = Buffer.alloc(75_000, 7).toString('base64');
    const body = {
      model: 'thrifty',
      max_tokens: 8000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${pixels}` } }] }],
    };
    await assertOrder(body, [
      ['fireworks', VISION_NO_TOOLS],
      ['groq', SCOUT],
      ['openai', NANO],
    ]);
  });

  it('max_tokens beyond a target\'s output limit or window moves it behind those that fit', async () => {
    // 10000: fits fireworks (16384) but not groq (8192): fireworks 0.2×10000 < openai 0.4×10000.
    await assertOrder(chat('thrifty', 'Write a lot', { max_tokens: 10_000 }), [
      ['fireworks', VISION_NO_TOOLS],
      ['openai', NANO],
      ['groq', SCOUT],
    ]);
    resetMocks(mocks);
    // 20000: only openai fits; the two that do not follow by cost (fireworks 4000 < groq 6800).
    await assertOrder(chat('thrifty', 'Write even more', { max_tokens: 20_000 }), [
      ['openai', NANO],
      ['fireworks', VISION_NO_TOOLS],
      ['groq', SCOUT],
    ]);
  });

  it('each kind of fault at the cheapest target falls over to the next cheapest, once', async () => {
    const faults = [
      ['500', { status: 500 }, 'upstream_error'],
      ['529', { status: 529 }, 'upstream_error'],
      ['429 retry-after 1', { status: 429, headers: { 'retry-after': '1' } }, 'upstream_error'],
      ['reset', { destroy: true }, null],
      ['timeout', { hang: true }, 'timeout'],
    ];
    for (const [name, behaviour, outcome] of faults) {
      for (const stream of [false, true]) {
        resetMocks(mocks);
        mocks.fireworks.enqueue(behaviour);
        // A reset before any byte of the answer on a reused keep-alive connection looks exactly
        // like a connection the server closed while idle: the upstream client re-sends once on a
        // fresh connection, inside the same attempt. Reset that one too.
        if (name === 'reset') mocks.fireworks.enqueue(behaviour);
        const res = await post(gw, chat('thrifty', `fault ${name}`, { stream }));
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        assert.equal(res.headers.get('x-switchyard-provider'), 'groq', name);
        if (name === 'reset') {
          assert.ok([1, 2].includes(mocks.fireworks.requests.length), `reset: ${mocks.fireworks.requests.length} requests`);
          assertRequestCounts(mocks, { fireworks: mocks.fireworks.requests.length, groq: 1 });
        } else {
          assertRequestCounts(mocks, { fireworks: 1, groq: 1 }, `${name}, stream ${stream}: one try each`);
        }
        const line = await logLine(gw, res);
        assert.deepEqual(providersTried(line), ['fireworks', 'groq'], name);
        if (outcome) assert.equal(line.attempt_log[0].outcome, outcome, name);
        if (stream) assert.match(res.text, /data: \[DONE\]/);
      }
    }
    // A stream that breaks before its first byte reached the client falls over too.
    resetMocks(mocks);
    mocks.fireworks.enqueue({ stream: { dropAfterChunks: 0 } });
    const dropped = await post(gw, chat('thrifty', 'drop early', { stream: true }));
    assert.equal(dropped.headers.get('x-switchyard-provider'), 'groq');
    assertRequestCounts(mocks, { fireworks: 1, groq: 1 });
    // After the first byte has gone to the client, a break ends the stream with an error event:
    // no other target is tried.
    resetMocks(mocks);
    mocks.fireworks.enqueue({ stream: { dropAfterChunks: 2 } });
    const broken = await post(gw, chat('thrifty', 'drop late', { stream: true }));
    assert.equal(broken.status, 200);
    assert.equal(broken.headers.get('x-switchyard-provider'), 'fireworks');
    assert.match(broken.text, /"error"/, 'the stream ends with an error event');
    assert.doesNotMatch(broken.text, /data: \[DONE\]/);
    assertRequestCounts(mocks, { fireworks: 1 });
    const line = await logLine(gw, broken);
    assert.deepEqual(attemptsOf(line), [['primary', 'fireworks', VISION_NO_TOOLS, 'stream_error']]);
  });

  it('a prompt longer than the small windows goes to the large-window target', async () => {
    // ~150000 estimated tokens (four bytes each): over 131072 and 16384, within 272000.
    const long = 'lorem ipsum dolor sit amet '.repeat(600_000 / 27);
    await assertOrder(chat('thrifty', long), [
      ['openai', NANO],
      ['groq', SCOUT],
      ['fireworks', VISION_NO_TOOLS],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('routing: fastest', { skip: gatewaySkip, timeout: 120_000 }, () => {
  const mocks = {};
  let gw;

  before(async () => {
    Object.assign(mocks, await startMocks(['a', 'b']));
    gw = await startGateway({
      config: {
        threads: 1,
        providers: {
          a: { kind: 'openai', base_url: mocks.a.baseURL, api_key: 'sk-fast-a' },
          b: { kind: 'openai', base_url: mocks.b.baseURL, api_key: 'sk-fast-b' },
        },
        routes: {
          snappy: { strategy: 'fastest', targets: ['a/model-a', 'b/model-b'] },
          mixed: { strategy: 'fastest', targets: ['a/model-a2', 'b/model-b2'] },
        },
      },
      env: { SWITCHYARD_RANDOM_SEED: SEED },
    });
  });
  after(() => closeAll(gw, mocks));

  const slow = (name, delayMs) => mocks[name].setDefaultBehaviour({ delayMs, reply: { content: answerFrom(name) } });
  // The gateway learns an attempt's latency just after the client has its answer; the call's
  // access-log line is written after that, so waiting for it orders the next decision after it.
  const answeredBy = async (res) => {
    await logLine(gw, res);
    return providerOf(res);
  };
  const call = async (i) => answeredBy(await post(gw, chat('snappy', `how fast ${i}`)));

  it('measures each target first, then prefers the fast one, and moves when the latencies swap', async () => {
    resetMocks(mocks);
    slow('a', 300);
    slow('b', 0);
    // Unmeasured targets go first, in written order: each gets measured once.
    assert.deepEqual([await call(0), await call(1)], ['a', 'b'], 'each target is measured first');
    const settled = [];
    for (let i = 0; i < 10; i += 1) settled.push(await call(`settled ${i}`));
    const toFast = settled.filter((p) => p === 'b').length;
    console.log(`fastest (a 300 ms, b 0 ms): ${settled.join(' ')}`);
    // Exploration sends ~5% of calls to the slower target first.
    assert.ok(toFast >= 8, `the fast target got ${toFast} of 10 calls: ${settled.join(' ')}`);

    // Swap: a becomes fast, b very slow. b's average climbs with its slow answers until a is
    // faster again; within a few calls the choice moves.
    slow('a', 0);
    slow('b', 600);
    const moving = [];
    for (let i = 0; i < 10 && !moving.includes('a'); i += 1) moving.push(await call(`moving ${i}`));
    console.log(`fastest after the swap (a 0 ms, b 600 ms): ${moving.join(' ')}`);
    assert.ok(moving.includes('a'), `the choice moved to a within 10 calls: ${moving.join(' ')}`);
    const after = [];
    for (let i = 0; i < 10; i += 1) after.push(await call(`after ${i}`));
    const toA = after.filter((p) => p === 'a').length;
    assert.ok(toA >= 8, `a (now fast) got ${toA} of the next 10 calls: ${after.join(' ')}`);
  });

  it('streams are judged by time to first token and plain calls by total time, each apart', async () => {
    resetMocks(mocks);
    // a: plain answers at once; streams start at once (first content after 100 ms) but take
    // ~700 ms in all. b: 400 ms before anything, then everything at once.
    mocks.a.setDefaultBehaviour({ stream: { chunkDelayMs: 100 }, reply: { content: answerFrom('a') } });
    slow('b', 400);
    const mixed = async (i, stream) => {
      const res = await post(gw, chat('mixed', `mixed ${i}`, { stream }));
      if (stream) assert.match(res.text, /data: \[DONE\]/);
      return answeredBy(res);
    };
    assert.deepEqual([await mixed(0, false), await mixed(1, false)], ['a', 'b'], 'plain: each measured once');
    assert.deepEqual([await mixed(2, true), await mixed(3, true)], ['a', 'b'], 'streams: each measured once');
    const streams = [];
    for (let i = 0; i < 6; i += 1) streams.push(await mixed(`s${i}`, true));
    assert.ok(streams.filter((p) => p === 'a').length >= 5, `streams go to a (first token sooner): ${streams.join(' ')}`);
    // a's long streams must not make its plain answers look slow.
    const plain = [];
    for (let i = 0; i < 10; i += 1) plain.push(await mixed(`p${i}`, false));
    console.log(`fastest, mixed: streams ${streams.join(' ')}; plain calls afterwards ${plain.join(' ')}`);
    assert.ok(plain.filter((p) => p === 'a').length >= 8, `plain calls still go to a (fastest whole answer): ${plain.join(' ')}`);
  });
});

// ---------------------------------------------------------------------------------------------
describe('routing: conditional', { skip: gatewaySkip, timeout: 120_000 }, () => {
  const mocks = {};
  let gw;

  before(async () => {
    Object.assign(mocks, await startMocks(['pro', 'anth', 'tools', 'stream', 'dflt'], { anth: { formats: ['anthropic'] } }));
    gw = await startGateway({
      config: {
        health: { enabled: false },
        providers: {
          pro: { kind: 'openai', base_url: mocks.pro.baseURL, api_key: 'sk-c-pro' },
          anth: { kind: 'anthropic', base_url: mocks.anth.origin, api_key: 'sk-c-anth' },
          tools: { kind: 'openai', base_url: mocks.tools.baseURL, api_key: 'sk-c-tools' },
          stream: { kind: 'openai', base_url: mocks.stream.baseURL, api_key: 'sk-c-stream' },
          dflt: { kind: 'openai', base_url: mocks.dflt.baseURL, api_key: 'sk-c-dflt' },
        },
        routes: {
          pick: {
            strategy: 'conditional',
            conditions: [
              { when: { metadata: { tier: 'pro' } }, target: 'pro/model-pro' },
              { when: { inbound: 'anthropic' }, target: 'anth/claude-haiku-4-5' },
              { when: { has_tools: true }, target: 'tools/model-tools' },
              { when: { stream: true, metadata: { beta: true } }, target: 'stream/model-stream' },
            ],
            default: 'dflt/model-default',
          },
        },
      },
    });
  });
  after(() => closeAll(gw, mocks));
  beforeEach(() => resetMocks(mocks));

  async function expectTarget(res, provider, model) {
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), provider);
    assert.equal(res.headers.get('x-switchyard-model'), model);
    assert.equal(res.headers.get('x-switchyard-route'), 'pick');
    assertRequestCounts(mocks, { [provider]: 1 });
    const line = await logLine(gw, res);
    assert.equal(line.route, 'pick');
    assert.deepEqual(attemptsOf(line), [['primary', provider, model, 'success']]);
  }
  const meta = (m) => ({ 'x-switchyard-metadata': JSON.stringify(m) });

  it('no rule matches: the default target', async () => {
    await expectTarget(await post(gw, chat('pick')), 'dflt', 'model-default');
    resetMocks(mocks);
    await expectTarget(await post(gw, chat('pick'), meta({ tier: 'free' })), 'dflt', 'model-default');
  });

  it('a metadata rule, and the first matching rule wins over later ones', async () => {
    await expectTarget(await post(gw, chat('pick'), meta({ tier: 'pro' })), 'pro', 'model-pro');
    resetMocks(mocks);
    await expectTarget(await post(gw, chat('pick', 'x', { tools: [WEATHER_TOOL] }), meta({ tier: 'pro' })), 'pro', 'model-pro');
  });

  it('has_tools', async () => {
    await expectTarget(await post(gw, chat('pick', 'Weather?', { tools: [WEATHER_TOOL] })), 'tools', 'model-tools');
    resetMocks(mocks);
    await expectTarget(await post(gw, chat('pick', 'No tools', { tools: [] })), 'dflt', 'model-default');
  });

  it('stream together with a boolean metadata value', async () => {
    const streamed = await post(gw, chat('pick', 'stream me', { stream: true }), meta({ beta: true }));
    await expectTarget(streamed, 'stream', 'model-stream');
    assert.match(streamed.text, /data: \[DONE\]/);
    resetMocks(mocks);
    await expectTarget(await post(gw, chat('pick', 'not streamed'), meta({ beta: true })), 'dflt', 'model-default');
    resetMocks(mocks);
    await expectTarget(await post(gw, chat('pick', 'no beta', { stream: true }), meta({ beta: false })), 'dflt', 'model-default');
  });

  it('inbound: an Anthropic-format client goes to the Anthropic target', async () => {
    const res = await post(
      gw,
      { model: 'pick', max_tokens: 64, messages: [{ role: 'user', content: 'Hello from Anthropic' }] },
      { 'anthropic-version': '2023-06-01' },
      '/v1/messages',
    );
    await expectTarget(res, 'anth', 'claude-haiku-4-5');
    assert.equal(res.json.type, 'message');
    assert.equal(mocks.anth.requests[0].path, '/v1/messages');
    assert.equal(mocks.anth.requests[0].body.model, 'claude-haiku-4-5');
  });

  it('the picked target failing is the answer: conditional never falls over to another rule', async () => {
    mocks.dflt.enqueue({ status: 503, body: openaiError('default down (test)', { type: 'server_error' }) });
    const res = await post(gw, chat('pick'));
    assert.equal(res.status, 503, res.text);
    assertOpenAIErrorShape(res.json);
    assert.match(res.json.error.message, /default down/);
    assertRequestCounts(mocks, { dflt: 1 });
  });
});

// ---------------------------------------------------------------------------------------------
describe('routing: health', { skip: gatewaySkip, timeout: 120_000 }, () => {
  const mocks = {};
  const gateways = [];
  const providers = () => ({
    a: { kind: 'openai', base_url: mocks.a.baseURL, api_key: 'sk-h-a' },
    b: { kind: 'openai', base_url: mocks.b.baseURL, api_key: 'sk-h-b' },
    anth: { kind: 'anthropic', base_url: mocks.anth.origin, api_key: 'sk-h-anth' },
    anth2: { kind: 'anthropic', base_url: mocks.anth2.origin, api_key: 'sk-h-anth2' },
  });
  // One fallback route [a/NAME, b/model-b] per scenario: each has its own health key (a/NAME).
  const routes = (...names) => Object.fromEntries(names.map((n) => [n, { strategy: 'fallback', targets: [`a/${n}`, 'b/model-b'] }]));
  async function gateway(health, ...names) {
    const extra = { 'anth-limited': { strategy: 'fallback', targets: ['anth/claude-haiku-4-5', 'anth2/claude-haiku-4-5'] } };
    const gw = await startGateway({ config: { health, providers: providers(), routes: { ...routes(...names), ...extra } } });
    gateways.push(gw);
    return gw;
  }
  const fail500 = () => ({ status: 500, body: openaiError('a broke (test)', { type: 'server_error' }) });

  before(async () => {
    Object.assign(mocks, await startMocks(['a', 'b', 'anth', 'anth2'], { anth: { formats: ['anthropic'] }, anth2: { formats: ['anthropic'] } }));
  });
  after(async () => {
    try {
      for (const gw of gateways) assert.equal(await gw.stop(), 0);
    } finally {
      for (const gw of gateways) await gw.kill().catch(() => {});
      for (const mock of Object.values(mocks)) await mock.close();
    }
  });
  beforeEach(() => resetMocks(mocks));

  // One call to `route`: the providers tried, in order.
  async function tried(gw, route) {
    const res = await post(gw, chat(route));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'b');
    return providersTried(await logLine(gw, res));
  }

  it('circuit breaker: three 500s in a row open it; the next calls go to b, and a gets nothing', async () => {
    const gw = await gateway({ failures: 3, cool_off_ms: 600_000 }, 'breaker');
    mocks.a.enqueue(fail500(), fail500(), fail500());
    for (let i = 0; i < 3; i += 1) assert.deepEqual(await tried(gw, 'breaker'), ['a', 'b'], `call ${i + 1}`);
    assert.deepEqual(await tried(gw, 'breaker'), ['b'], 'call 4: a is open and not tried');
    assert.deepEqual(await tried(gw, 'breaker'), ['b'], 'call 5 too');
    assertRequestCounts(mocks, { a: 3, b: 5 });
  });

  it('a 429 with retry-after: 120 cools a down: the next call goes to b first', async () => {
    const gw = await gateway({ failures: 3, cool_off_ms: 600_000 }, 'cooling', 'cool0', 'other');
    mocks.a.enqueue({ status: 429, headers: { 'retry-after': '120' } });
    assert.deepEqual(await tried(gw, 'cooling'), ['a', 'b'], 'the 429 falls over at once (120 s is too long to wait)');
    assert.deepEqual(await tried(gw, 'cooling'), ['b'], 'a is cooling down');
    assertRequestCounts(mocks, { a: 1, b: 2 });
    // The cool-down is per target (provider/model): another model at a is still tried first.
    resetMocks(mocks);
    const res = await post(gw, chat('other'));
    assert.equal(res.headers.get('x-switchyard-provider'), 'a');
    // retry-after: 0 asks for no wait at all: no cool-down.
    resetMocks(mocks);
    mocks.a.enqueue({ status: 429, headers: { 'retry-after': '0' } });
    assert.deepEqual(await tried(gw, 'cool0'), ['a', 'b']);
    const again = await post(gw, chat('cool0'));
    assert.equal(again.headers.get('x-switchyard-provider'), 'a', 'retry-after 0: a is tried first again');
  });

  it('a retry-after given as an HTTP-date cools a down until that date, and not at all when it is past', async () => {
    const gw = await gateway({ failures: 3, cool_off_ms: 600_000 }, 'dated', 'past');
    // Already past: no cool-down, a is tried first on the next call.
    mocks.a.enqueue({ status: 429, headers: { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' } });
    assert.deepEqual(await tried(gw, 'past'), ['a', 'b']);
    const next = await post(gw, chat('past'));
    assert.equal(next.headers.get('x-switchyard-provider'), 'a', 'a date in the past asks for no wait');
    // Three seconds ahead (at least two, given the date's whole seconds): cooling until then.
    resetMocks(mocks);
    mocks.a.enqueue({ status: 429, headers: { 'retry-after': new Date(Date.now() + 3000).toUTCString() } });
    assert.deepEqual(await tried(gw, 'dated'), ['a', 'b']);
    assert.deepEqual(await tried(gw, 'dated'), ['b'], 'cooling until the date');
    await new Promise((resolve) => setTimeout(resolve, 3500)); // past the date: a lower bound only
    const after = await post(gw, chat('dated'));
    assert.equal(after.headers.get('x-switchyard-provider'), 'a', 'after the date, a is tried first again');
  });

  it('a 429 without retry-after cools a down until its exhausted rate limit resets', async () => {
    const gw = await gateway({ failures: 3, cool_off_ms: 600_000 }, 'requests-out', 'tokens-back');
    // OpenAI-style: requests exhausted for 2 minutes (tokens would reset at once, but are not out).
    mocks.a.enqueue({
      status: 429,
      headers: {
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '2m0s',
        'x-ratelimit-remaining-tokens': '9000',
        'x-ratelimit-reset-tokens': '5ms',
      },
    });
    assert.deepEqual(await tried(gw, 'requests-out'), ['a', 'b']);
    assert.deepEqual(await tried(gw, 'requests-out'), ['b'], 'cooling for the requests limit');
    // The exhausted limit has already reset: no cool-down.
    resetMocks(mocks);
    mocks.a.enqueue({ status: 429, headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '0s' } });
    assert.deepEqual(await tried(gw, 'tokens-back'), ['a', 'b']);
    assert.equal((await post(gw, chat('tokens-back'))).headers.get('x-switchyard-provider'), 'a');

    // Anthropic: RFC 3339 reset times.
    resetMocks(mocks);
    const inTwoMinutes = new Date(Date.now() + 120_000).toISOString();
    mocks.anth.enqueue({
      status: 429,
      headers: { 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': inTwoMinutes },
    });
    const messages = { model: 'anth-limited', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
    const anthropic = (body) => post(gw, body, { 'anthropic-version': '2023-06-01' }, '/v1/messages');
    const first = await anthropic(messages);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(providersTried(await logLine(gw, first)), ['anth', 'anth2']);
    const second = await anthropic(messages);
    assert.deepEqual(providersTried(await logLine(gw, second)), ['anth2'], 'anth is cooling');
    assertRequestCounts(mocks, { anth: 1, anth2: 2 });
  });

  it('error rate: at error_rate_percent over min_calls calls in the window, the breaker opens', async () => {
    const gw = await gateway({ failures: 1000, error_rate_percent: 50, min_calls: 4, window_ms: 600_000, cool_off_ms: 600_000 }, 'rate');
    // a: ok, 500, ok, 500 -> 2 failures in 4 calls = 50%.
    mocks.a.enqueue({}, fail500(), {}, fail500());
    const order = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await post(gw, chat('rate'));
      assert.equal(res.status, 200, res.text);
      order.push(providersTried(await logLine(gw, res)));
    }
    assert.deepEqual(order, [['a'], ['a', 'b'], ['a'], ['a', 'b']]);
    assert.deepEqual(await tried(gw, 'rate'), ['b'], 'the breaker is open');
    assertRequestCounts(mocks, { a: 4, b: 3 });
  });

  it('half-open after cool_off: one probe; its success closes the breaker, its failure re-opens it', async () => {
    const gw = await gateway({ failures: 2, cool_off_ms: 1000 }, 'probe-ok', 'probe-fail');
    for (const route of ['probe-ok', 'probe-fail']) {
      mocks.a.enqueue(fail500(), fail500());
      assert.deepEqual(await tried(gw, route), ['a', 'b']);
      assert.deepEqual(await tried(gw, route), ['a', 'b']);
      assert.deepEqual(await tried(gw, route), ['b'], `${route}: open`);
    }
    // Wait out the cool-off (a lower bound only: afterwards both breakers are half-open).
    await new Promise((resolve) => setTimeout(resolve, 1300));
    resetMocks(mocks);
    const probe = await post(gw, chat('probe-ok'));
    assert.equal(probe.headers.get('x-switchyard-provider'), 'a', 'the probe goes to a, and a answers');
    await logLine(gw, probe);  // its success is recorded before the next call is routed
    const closed = await post(gw, chat('probe-ok'));
    assert.equal(closed.headers.get('x-switchyard-provider'), 'a', 'closed again: a first');

    mocks.a.enqueue(fail500());
    assert.deepEqual(await tried(gw, 'probe-fail'), ['a', 'b'], 'the probe fails');
    assert.deepEqual(await tried(gw, 'probe-fail'), ['b'], 'open again for another cool_off');
  });

  it('health disabled: a is always tried first, whatever it answered before', async () => {
    const gw = await gateway({ enabled: false }, 'nohealth');
    mocks.a.enqueue(fail500(), fail500(), fail500(), fail500(), { status: 429, headers: { 'retry-after': '120' } });
    for (let i = 0; i < 6; i += 1) {
      const res = await post(gw, chat('nohealth'));
      assert.equal(res.status, 200, res.text);
      assert.equal(providersTried(await logLine(gw, res))[0], 'a', `call ${i + 1} tries a first`);
    }
    assert.equal(mocks.a.requests.length, 6);
  });
});

// ---------------------------------------------------------------------------------------------
describe('routing: x-switchyard-route (a route name or an inline route per call)', { skip: gatewaySkip, timeout: 120_000 }, () => {
  const mocks = {};
  const ADMIN_KEY = 'sy-admin-routing-test-key';
  let gw;

  before(async () => {
    Object.assign(mocks, await startMocks(['a', 'b', 'anth'], { anth: { formats: ['anthropic'] } }));
    gw = await startGateway({
      config: {
        threads: 1,
        admin_key: ADMIN_KEY,
        health: { enabled: false },
        providers: {
          a: { kind: 'openai', base_url: mocks.a.baseURL, api_key: 'sk-x-a', models: ['model-a'] },
          b: { kind: 'openai', base_url: mocks.b.baseURL, api_key: 'sk-x-b' },
          anth: { kind: 'anthropic', base_url: mocks.anth.origin, api_key: 'sk-x-anth' },
        },
        routes: {
          fb: { strategy: 'fallback', targets: ['a/model-a', 'b/model-b'] },
          'only-b': { strategy: 'single', targets: ['b/model-b'] },
          'by-model': {
            strategy: 'conditional',
            conditions: [{ when: { model: 'smart' }, target: 'a/model-a' }],
            default: 'b/model-b',
          },
        },
      },
      env: { SWITCHYARD_RANDOM_SEED: SEED },
    });
  });
  after(() => closeAll(gw, mocks));
  beforeEach(() => resetMocks(mocks));

  const header = (value) => ({ 'x-switchyard-route': typeof value === 'string' ? value : JSON.stringify(value) });

  it('a route name: that route runs, whatever the body\'s model says', async () => {
    const res = await post(gw, chat('model-a', 'by name'), header('only-b'));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices[0].message.content, answerFrom('b'));
    assert.equal(res.headers.get('x-switchyard-route'), 'only-b');
    assertRequestCounts(mocks, { b: 1 });
    assert.equal(mocks.b.requests[0].body.model, 'model-b');
    const line = await logLine(gw, res);
    assert.equal(line.route, 'only-b');
    assert.equal(line.requested_model, 'model-a');
    const ledger = await ledgerRequest(gw.baseURL, ADMIN_KEY, res.headers.get('x-switchyard-request-id'));
    assert.equal(ledger.route, 'only-b');
  });

  it('with the route in the header, a conditional route can pick by the body\'s model', async () => {
    const smart = await post(gw, chat('smart'), header('by-model'));
    assert.equal(providerOf(smart), 'a');
    assert.equal(mocks.a.requests[0].body.model, 'model-a');
    const other = await post(gw, chat('quick'), header('by-model'));
    assert.equal(providerOf(other), 'b');
    assertRequestCounts(mocks, { a: 1, b: 1 });
  });

  it('an inline fallback route: its targets in its order, recorded as route "inline"', async () => {
    mocks.b.enqueue({ status: 503, body: openaiError('b busy (test)', { type: 'server_error' }) });
    const res = await post(
      gw,
      chat('no-such-model', 'inline'),
      header({ strategy: 'fallback', targets: ['b/model-x', { model: 'a/model-y', params: { temperature: 0.3 } }] }),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices[0].message.content, answerFrom('a'));
    assert.equal(res.headers.get('x-switchyard-route'), 'inline');
    assert.equal(res.headers.get('x-switchyard-attempts'), '2');
    assertRequestCounts(mocks, { a: 1, b: 1 });
    assert.equal(mocks.b.requests[0].body.model, 'model-x');
    assert.equal(mocks.a.requests[0].body.model, 'model-y');
    assert.equal(mocks.a.requests[0].body.temperature, 0.3, 'the inline target\'s params apply');
    const line = await logLine(gw, res);
    assert.equal(line.route, 'inline');
    assert.deepEqual(attemptsOf(line), [
      ['primary', 'b', 'model-x', 'upstream_error'],
      ['fallback', 'a', 'model-y', 'success'],
    ]);
    const ledger = await ledgerRequest(gw.baseURL, ADMIN_KEY, res.headers.get('x-switchyard-request-id'));
    assert.equal(ledger.route, 'inline');
    const spend = await adminGet(gw.baseURL, '/admin/spend?group_by=route', ADMIN_KEY);
    assert.equal(spend.status, 200, spend.text);
    assert.ok(spend.json.rows.some((r) => r.group === 'inline'), `spend by route has "inline": ${spend.text}`);
  });

  it('an inline route may name a configured route as a target, and use any strategy', async () => {
    mocks.a.enqueue({ status: 500 });
    const res = await post(gw, chat('whatever'), header({ strategy: 'single', targets: ['fb'] }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'b');
    assertRequestCounts(mocks, { a: 1, b: 1 });

    resetMocks(mocks);
    const sticky = { strategy: 'loadbalance', sticky: 'user', targets: [{ model: 'a/m', weight: 1 }, { model: 'b/m', weight: 1 }] };
    const picks = new Set();
    for (let i = 0; i < 10; i += 1) {
      const r = await post(gw, chat('x'), { ...header(sticky), 'x-switchyard-metadata': '{"user":"carol"}' });
      picks.add(providerOf(r));
    }
    assert.equal(picks.size, 1, 'sticky by user through an inline route');
  });

  it('the Anthropic endpoint honours the header too', async () => {
    const res = await post(
      gw,
      { model: 'not-a-route', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
      { 'anthropic-version': '2023-06-01', ...header({ targets: ['anth/claude-haiku-4-5'] }) },
      '/v1/messages',
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'anth');
    assert.equal(res.headers.get('x-switchyard-route'), 'inline');
    assert.equal(mocks.anth.requests[0].body.model, 'claude-haiku-4-5');
  });

  it('a bad header is a 400 naming it, in the client\'s API shape, before any attempt', async () => {
    const cases = [
      ['{"targets": [', /x-switchyard-route: not valid JSON/],
      [JSON.stringify({ targets: ['nope/model'] }), /provider 'nope'/],
      [JSON.stringify({ strategy: 'fallback', targets: [] }), /non-empty list of targets/],
      [JSON.stringify({ strategy: 'sideways', targets: ['a/m'] }), /strategy/],
      [JSON.stringify({ targets: ['a/m'], colour: 'blue' }), /colour/],
      ['no-such-route', /'no-such-route' is not a configured route/],
    ];
    for (const [value, message] of cases) {
      const res = await post(gw, chat('fb'), { 'x-switchyard-route': value });
      assert.equal(res.status, 400, `${value}: ${res.text}`);
      const error = assertOpenAIErrorShape(res.json);
      assert.equal(error.param, 'x-switchyard-route');
      assert.match(error.message, /x-switchyard-route/);
      assert.match(error.message, message);
    }
    const anthropic = await post(
      gw,
      { model: 'fb', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
      { 'anthropic-version': '2023-06-01', 'x-switchyard-route': '{bad json' },
      '/v1/messages',
    );
    assert.equal(anthropic.status, 400, anthropic.text);
    assert.equal(anthropic.json.type, 'error');
    assert.equal(anthropic.json.error.type, 'invalid_request_error');
    assert.match(anthropic.json.error.message, /x-switchyard-route/);
    assertRequestCounts(mocks, {});
  });
});
