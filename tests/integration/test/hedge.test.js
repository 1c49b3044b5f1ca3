// Hedged requests (issue 13; CONTRACT.md "Route shapes"): a `hedge` route starts its first target;
// the next starts only when the first has not answered (its first byte, for a stream) within
// `delay_ms`, or within the first target's live latency quantile (`delay: p90`, `delay_ms` the
// floor while too few samples exist). The first acceptable answer wins; the other is cancelled.
//
// One mock per target (lib/race.js). A first target that must be hedged is held with a promise that
// never settles, so the only way the call can end is the hedge winning; one that must not be hedged
// answers at once while delay_ms is a minute, so a second request could only come from a hedge that
// ignored its delay.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY } from '../lib/fixtures.js';
import { parseSse, withTimeout } from '../lib/util.js';
import {
  ADMIN_KEY,
  SDKS,
  answerOf,
  attemptAt,
  closeTargets,
  eventLog,
  fetchWithEnd,
  held,
  ledgerCall,
  modelOf,
  providersOf,
  rawStream,
  resetTargets,
  startTargets,
} from '../lib/race.js';

const hedge = (targets, more) => ({ strategy: 'hedge', targets: targets.map(modelOf), ...more });
const NEVER_MS = 60_000; // a hedge delay no test waits for
// Calls that give the p90 route's first target its latency samples (more than the tracker's minimum).
const WARM_UP_CALLS = 100;

describe('hedge', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let targets;
  let log;
  let gw;
  const sdks = {};

  before(async () => {
    targets = await startTargets({ a: 'openai', b: 'anthropic', p: 'openai', q: 'openai' });
    log = eventLog(targets);
    gw = await startGateway({
      config: {
        admin_key: ADMIN_KEY,
        providers: providersOf(targets),
        keys: [{ key: GATEWAY_KEY, name: 'hedger' }],
        health: { enabled: false },
        routes: {
          'hedge-quick': hedge(['a', 'b'], { delay_ms: 50 }),
          'hedge-never': hedge(['a', 'b'], { delay_ms: NEVER_MS }),
          'hedge-stream': hedge(['a', 'b'], { delay_ms: 300 }),
          'hedge-p90': hedge(['p', 'q'], { delay: 'p90', delay_ms: NEVER_MS }),
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

  for (const api of ['openai', 'anthropic']) {
    it(`${api} client: the first target held past delay_ms, the second starts and wins; the ledger shows attempt 2 of kind hedge`, async () => {
      targets.a.mock.enqueue(held());
      const answer = await withTimeout(SDKS[api].call(sdks[api], 'hedge-quick', `hedge ${api}`), 20_000, 'the hedged call');
      await log.clientEnded; // marked when the answer's last byte arrived
      assert.equal(answer.text, answerOf('b'));
      assert.equal(answer.headers.get('x-switchyard-provider'), 'b');
      assert.equal(answer.headers.get('x-switchyard-model'), 'model-b');
      assert.equal(answer.headers.get('x-switchyard-attempts'), '2');
      log.assertBefore('a request', 'b request');
      log.assertBefore('a closed', 'client end');
      const call = await ledgerCall(gw.baseURL, answer.headers.get('x-switchyard-request-id'), 2);
      const where = JSON.stringify(call);
      const byN = [...call.attempts].sort((x, y) => x.n - y.n);
      assert.deepEqual(byN.map((x) => [x.n, x.provider]), [[1, 'a'], [2, 'b']], where);
      assert.equal(byN[1].kind, 'hedge', where);
      assert.equal(byN[1].status, 200, where);
      assert.equal(byN[0].status, 'cancelled', where);
      assert.equal(byN[0].estimated, true, where);
    });
  }

  it('the first target answers at once: with delay_ms a minute the second never gets a request', async () => {
    for (let i = 0; i < 5; i += 1) {
      const answer = await SDKS.openai.call(sdks.openai, 'hedge-never', `no hedge ${i}`);
      assert.equal(answer.text, answerOf('a'));
      assert.equal(answer.headers.get('x-switchyard-attempts'), '1');
    }
    assert.equal(targets.a.mock.requests.length, 5);
    assert.equal(targets.b.mock.requests.length, 0, 'no hedge was started');
  });

  // The first byte is what counts for a stream: a first target whose head and first chunk come at
  // once, and whose whole stream takes several times delay_ms, is never hedged.
  it('stream: a first byte within delay_ms means no hedge, however long the rest takes', async () => {
    // role, three words, finish, usage, [DONE]: 7 frames 150 ms apart, 900 ms in all.
    targets.a.mock.enqueue({ reply: { content: 'one two three' }, stream: { chunkDelayMs: 150 } });
    const res = await rawStream(gw, 'openai', 'hedge-stream', 'slow but started');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'a');
    const data = parseSse(res.text).filter((e) => e.data !== null && e.data !== '[DONE]').map((e) => JSON.parse(e.data));
    assert.equal(data.map((c) => c.choices?.[0]?.delta?.content ?? '').join(''), 'one two three');
    assert.ok(targets.a.mock.requests[0].chunksSent >= 6, 'the stream took at least five chunk delays, 750 ms: past delay_ms');
    assert.equal(targets.b.mock.requests.length, 0, 'no hedge once the first byte had come');
  });

  it('stream: a first target with no first byte within delay_ms is hedged; the client gets one clean stream from the second', async () => {
    targets.a.mock.enqueue(held());
    const res = await rawStream(gw, 'anthropic', 'hedge-quick', 'hedged stream');
    await log.settle();
    log.push('client end');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-switchyard-provider'), 'b');
    const events = parseSse(res.text).filter((e) => e.event !== null);
    assert.equal(events.filter((e) => e.event === 'message_start').length, 1);
    assert.equal(events.filter((e) => e.event === 'message_stop').length, 1);
    log.assertBefore('a closed', 'client end');
  });

  // delay: p90 follows the first target's live latency: once it has answered quickly many times, its
  // p90 is a few milliseconds and a held call is hedged soon — not after the minute-long floor
  // (delay_ms), which holds only while samples are few (the unit tests move the latency with an
  // injected clock).
  it('delay: p90 — a held call is hedged at the first target\'s own p90, not at the delay_ms floor', async () => {
    for (let i = 0; i < WARM_UP_CALLS; i += 1) {
      const answer = await SDKS.openai.call(sdks.openai, 'hedge-p90', `warm up ${i}`);
      // A warm-up call slower than p's p90 is hedged, and q may then answer first.
      assert.ok(['p', 'q'].includes(answer.headers.get('x-switchyard-provider')));
    }
    // Once p has enough samples its p90 is a millisecond or two: the one call in ten slower than
    // that is hedged, as a p90 hedge should be. Those hedges are q's requests so far.
    const hedgedWhileWarm = targets.q.mock.requests.length;
    assert.ok(hedgedWhileWarm < WARM_UP_CALLS / 2, `at most a tail of the warm-up calls is hedged (${hedgedWhileWarm})`);
    targets.p.mock.enqueue(held());
    const answer = await withTimeout(SDKS.openai.call(sdks.openai, 'hedge-p90', 'now slow'), 20_000, 'the call hedged at p90 (not the 60 s floor)');
    assert.equal(answer.text, answerOf('q'));
    assert.equal(answer.headers.get('x-switchyard-attempts'), '2');
    const call = await ledgerCall(gw.baseURL, answer.headers.get('x-switchyard-request-id'), 2);
    assert.equal(attemptAt(call, 'q').kind, 'hedge', JSON.stringify(call));
  });
});
