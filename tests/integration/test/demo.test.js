// `switchyard serve --demo` with no config: built-in simulated providers answer the OpenAI SDK, and
// say that they are simulated. Demo mode also has a route per feature over simulated models with
// seeded delays (src/demo/simulated_models.cc): demo-race (demo-fast beats demo-smart, which is
// cancelled), demo-race-json (demo-json's JSON beats demo-fast's plain text) and demo-hedge
// (demo-tail, hedged to demo-fast on its slow answers, one in ten), and demo-fallback (demo-down,
// always a 503, then demo-fast), demo-cached (a repeated question answered from the cache) and
// demo-semantic (a reworded one too, over the simulated embedder), and demo-ab (an A/B test of
// demo-smart against demo-fast, every call judged by the simulated demo-judge). The outcomes rest on the
// checks and on delays far apart (demo-fast 20-40 ms, demo-smart 120-180 ms, demo-tail 30-50 ms or
// 0.6-1 s against a 100 ms hedge), never on measuring time here.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { openaiClient, collectStream } from '../lib/fixtures.js';
import { withTimeout } from '../lib/util.js';
import { adminGet, costNanos, ledgerRequest, moneyNanos, pollUntil, pricesUsd, usdToNanos } from '../lib/ledger.js';

const ADMIN_KEY = 'sy-admin-Dm7DEMOadminKeyRt4Zx-end6';
// The simulated list prices of src/demo/simulated_models.cc, in dollars per million tokens.
const DEMO_FAST_PRICES = pricesUsd({ input: '0.10', output: '0.40', reasoning: '0.40' });

describe('demo mode', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let gw;
  let client;

  before(async () => {
    gw = await startGateway({ demo: true });
    // Demo mode has two public demo keys (README, quick start); without one a call is a 401.
    client = openaiClient(gw.openaiBaseURL, 'sy-demo-key-for-trying');
  });
  after(async () => {
    if (gw) assert.equal(await gw.stop(), 0);
  });

  it('answers demo/demo-fast, labelled as simulated', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo/demo-fast', messages: [{ role: 'user', content: 'hello demo' }] })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.match(data.choices[0].message.content, /\[simulated\]/);
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0, 'the demo reports usage');
    assert.equal(response.headers.get('x-switchyard-provider'), 'demo');
    assert.ok(response.headers.get('x-switchyard-request-id'));
  });

  it('streams demo/demo-fast', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo/demo-fast',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hello demo' }],
    });
    const got = await withTimeout(collectStream(stream), 20_000, 'the demo stream');
    assert.match(got.content, /\[simulated\]/);
    assert.equal(got.finishReason, 'stop');
    assert.equal(got.usageChunks.length, 1);
  });

  it('lists the demo models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    for (const model of ['demo-fast', 'demo-smart', 'demo-tail', 'demo-json', 'demo-down']) {
      assert.ok(ids.includes(`demo/${model}`), `demo/${model} in ${ids}`);
    }
  });

  it('names the demo models and routes when it starts', () => {
    assert.match(
      gw.stderr(),
      /demo mode: simulated providers, models demo\/demo-fast, demo\/demo-smart, demo\/demo-tail, demo\/demo-json, demo\/demo-down and demo\/demo-judge; routes demo-race, demo-race-json, demo-hedge, demo-fallback, demo-cached, demo-semantic, demo-guarded and demo-ab/,
    );
  });

  it('prices the simulated models: the cost header is their usage at the simulated list price', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo/demo-fast', messages: [{ role: 'user', content: 'what does it cost?' }] })
      .withResponse();
    const expected = costNanos(
      {
        input_tokens: data.usage.prompt_tokens,
        cached_input_tokens: 0,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: data.usage.completion_tokens,
        reasoning_tokens: 0,
      },
      DEMO_FAST_PRICES,
    );
    assert.ok(expected > 0n);
    assert.equal(usdToNanos(response.headers.get('x-switchyard-cost-usd')), expected);
  });

  it('demo/demo-json answers with a JSON object as its text', async () => {
    const data = await client.chat.completions.create({
      model: 'demo/demo-json',
      messages: [{ role: 'user', content: 'say "hi" in JSON' }],
    });
    const answer = JSON.parse(data.choices[0].message.content);
    assert.equal(answer.model, 'demo-json');
    assert.match(answer.answer, /^\[simulated\] .*say "hi" in JSON/);
  });

  it('streams demo/demo-json as the same JSON text', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo/demo-json',
      stream: true,
      messages: [{ role: 'user', content: 'stream it' }],
    });
    const got = await withTimeout(collectStream(stream), 20_000, 'the demo-json stream');
    assert.equal(JSON.parse(got.content).model, 'demo-json');
  });
});

// Racing and hedging over the simulated models, with the ledger read through the admin API (demo
// mode itself has no admin key: this config adds one).
describe('demo mode: racing and hedging', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let gw;
  let client;

  before(async () => {
    gw = await startGateway({ demo: true, config: { admin_key: ADMIN_KEY } });
    client = openaiClient(gw.openaiBaseURL, 'sy-demo-key-for-trying');
  });
  after(async () => {
    if (gw) assert.equal(await gw.stop(), 0);
  });

  // The call's ledger record once `want(attempts)` holds: a race's loser is appended to the call when
  // it ends, which may be after the answer.
  async function ledgerWhen(requestId, want, what) {
    let last = null;
    return pollUntil(
      async () => {
        last = await ledgerRequest(gw.baseURL, ADMIN_KEY, requestId);
        return want(last.attempts) ? last : undefined;
      },
      { what, describe: () => JSON.stringify(last) },
    );
  }

  it('demo-fallback: demo-down answers 503, demo-fast answers the call', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo-fallback', messages: [{ role: 'user', content: 'fall back' }] })
      .withResponse();
    assert.match(data.choices[0].message.content, /^\[simulated\] This is demo-fast/);
    assert.equal(response.headers.get('x-switchyard-model'), 'demo-fast');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');
    const record = await ledgerRequest(gw.baseURL, ADMIN_KEY, response.headers.get('x-switchyard-request-id'));
    assert.deepEqual(
      record.attempts.map((a) => [a.kind, a.model, a.status]),
      [
        ['primary', 'demo-down', 503],
        ['fallback', 'demo-fast', 200],
      ],
    );
  });

  it('demo-cached: the second identical call is a cache hit at $0 that saved what the first cost', async () => {
    const ask = () => client.chat.completions
      .create({ model: 'demo-cached', max_tokens: 50, messages: [{ role: 'user', content: 'What is a gateway?' }] })
      .withResponse();
    const first = await ask();
    assert.equal(first.response.headers.get('x-switchyard-cache'), 'miss');
    const cost = usdToNanos(first.response.headers.get('x-switchyard-cost-usd'));
    assert.ok(cost > 0n);
    const second = await ask();
    assert.equal(second.response.headers.get('x-switchyard-cache'), 'hit');
    assert.equal(usdToNanos(second.response.headers.get('x-switchyard-cost-usd')), 0n);
    assert.equal(second.data.choices[0].message.content, first.data.choices[0].message.content);
    const record = await ledgerRequest(gw.baseURL, ADMIN_KEY, second.response.headers.get('x-switchyard-request-id'));
    assert.equal(record.attempts[0].kind, 'cache');
    assert.equal(moneyNanos(record.attempts[0].saved_usd), cost);
  });

  it('demo-semantic: a reworded question is a semantic hit; a different one is not', async () => {
    const ask = (content) => client.chat.completions
      .create({ model: 'demo-semantic', max_tokens: 50, messages: [{ role: 'user', content }] })
      .withResponse();
    const first = await ask('How do I rotate my API key?');
    assert.equal(first.response.headers.get('x-switchyard-cache'), 'miss');
    const reworded = await ask('how do I rotate my api key');
    assert.equal(reworded.response.headers.get('x-switchyard-cache'), 'semantic-hit');
    assert.ok(Number(reworded.response.headers.get('x-switchyard-cache-similarity')) >= 0.8);
    assert.equal(reworded.data.choices[0].message.content, first.data.choices[0].message.content);
    const other = await ask('What does the ledger record?');
    assert.equal(other.response.headers.get('x-switchyard-cache'), 'miss');
  });

  it('demo-ab: users split between demo-smart and demo-fast, each call judged after its answer', async () => {
    const served = new Map();
    for (let i = 0; i < 12; i += 1) {
      const user = `demo-user-${i}`;
      const { data, response } = await client.chat.completions
        .create({ model: 'demo-ab', messages: [{ role: 'user', content: `Question ${i}` }] },
          { headers: { 'x-switchyard-metadata': JSON.stringify({ user }) } })
        .withResponse();
      assert.match(data.choices[0].message.content, /\[simulated\]/);
      served.set(response.headers.get('x-switchyard-request-id'), response.headers.get('x-switchyard-model'));
    }
    assert.deepEqual(new Set(served.values()), new Set(['demo-smart', 'demo-fast']), 'both variants serve');
    // Every call is judged (sample 1): its shadow (the other model) and two judge calls, both orders.
    for (const [requestId, model] of served) {
      const record = await ledgerWhen(requestId, (attempts) => attempts.length === 4, `${requestId} judged`);
      assert.deepEqual(record.attempts.map((a) => a.kind), ['primary', 'shadow', 'judge', 'judge']);
      assert.equal(record.attempts[1].model, model === 'demo-smart' ? 'demo-fast' : 'demo-smart');
      assert.equal(record.attempts[2].model, 'demo-judge');
      assert.equal(record.variant, model === 'demo-smart' ? 'smart' : 'fast');
    }
    const report = await adminGet(gw.baseURL, '/admin/experiments/demo-ab', ADMIN_KEY);
    assert.equal(report.status, 200, report.text);
    assert.equal(report.json.route, 'demo-ab');
    assert.ok(report.json.pairs[0].judged + report.json.pairs[0].invalid >= 12, report.text);
    assert.match(report.json.verdict, /evidence|not worse|worse/);
  });

  it('demo-race: demo-fast wins, demo-smart is cancelled and recorded as a race attempt', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo-race', messages: [{ role: 'user', content: 'race!' }] })
      .withResponse();
    assert.match(data.choices[0].message.content, /^\[simulated\] This is demo-fast/);
    assert.equal(response.headers.get('x-switchyard-provider'), 'demo');
    assert.equal(response.headers.get('x-switchyard-model'), 'demo-fast');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');
    assert.equal(response.headers.get('x-switchyard-route'), 'demo-race');

    const requestId = response.headers.get('x-switchyard-request-id');
    const record = await ledgerWhen(
      requestId,
      (attempts) => attempts.length === 2,
      'both racers of demo-race in the ledger',
    );
    assert.equal(record.model, 'demo-fast');
    const winner = record.attempts.find((a) => a.model === 'demo-fast');
    const loser = record.attempts.find((a) => a.model === 'demo-smart');
    assert.ok(winner && loser, JSON.stringify(record.attempts));
    assert.equal(winner.kind, 'race');
    assert.equal(winner.status, 200);
    assert.equal(loser.kind, 'race');
    assert.equal(loser.status, 'cancelled');
    assert.equal(loser.provider, 'demo');
    // Priced from what it had used when cancelled (the prompt, estimated): the ledger shows what the
    // race cost over a single call.
    assert.ok(moneyNanos(loser.cost_usd, 'the loser cost_usd') > 0n, JSON.stringify(loser));
    assert.equal(loser.estimated, true);
  });

  it('demo-race-json: the slower demo-json wins on accept json over demo-fast\'s plain text', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo-race-json', messages: [{ role: 'user', content: 'JSON please' }] })
      .withResponse();
    assert.equal(JSON.parse(data.choices[0].message.content).model, 'demo-json');
    assert.equal(response.headers.get('x-switchyard-model'), 'demo-json');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');

    const record = await ledgerWhen(
      response.headers.get('x-switchyard-request-id'),
      (attempts) => attempts.length === 2,
      'both racers of demo-race-json in the ledger',
    );
    const fast = record.attempts.find((a) => a.model === 'demo-fast');
    assert.ok(fast, JSON.stringify(record.attempts));
    assert.equal(fast.kind, 'race');
    assert.equal(fast.status, 200, 'demo-fast answered, first, and its answer was refused');
  });

  it('demo-hedge: demo-tail answers alone when quick; its slow answers are hedged to demo-fast', async () => {
    // demo-tail's first twenty answers in this fresh gateway hold exactly two slow ones (one in each
    // block of ten, seeded).
    const calls = [];
    for (let i = 0; i < 20; i += 1) {
      const { data, response } = await client.chat.completions
        .create({ model: 'demo-hedge', messages: [{ role: 'user', content: `hedge ${i}` }] })
        .withResponse();
      assert.match(data.choices[0].message.content, /\[simulated\]/);
      calls.push({
        model: response.headers.get('x-switchyard-model'),
        attempts: Number(response.headers.get('x-switchyard-attempts')),
        requestId: response.headers.get('x-switchyard-request-id'),
      });
    }
    const unhedged = calls.filter((c) => c.model === 'demo-tail' && c.attempts === 1);
    const hedged = calls.filter((c) => c.model === 'demo-fast' && c.attempts === 2);
    assert.ok(unhedged.length >= 1, `some quick answers of demo-tail were not hedged: ${JSON.stringify(calls)}`);
    assert.ok(hedged.length >= 1, `the slow answers were hedged to demo-fast: ${JSON.stringify(calls)}`);
    assert.ok(unhedged.length > hedged.length, `most answers need no hedge: ${JSON.stringify(calls)}`);

    const record = await ledgerWhen(
      hedged[0].requestId,
      (attempts) => attempts.length === 2,
      'both attempts of a hedged call in the ledger',
    );
    const tail = record.attempts.find((a) => a.model === 'demo-tail');
    const fast = record.attempts.find((a) => a.model === 'demo-fast');
    assert.ok(tail && fast, JSON.stringify(record.attempts));
    assert.equal(fast.kind, 'hedge');
    assert.equal(fast.status, 200);
    assert.equal(tail.status, 'cancelled');
  });

  it('refuses a call without a demo key, and names both keys when it starts', async () => {
    const res = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-needs-no-key' },
      body: JSON.stringify({ model: 'demo/demo-fast', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(res.status, 401);
    assert.match(gw.stderr(), /demo keys sy-demo-key-for-trying and sy-demo-tiny-budget-key \(a \$0\.002 daily budget\)/);
  });

  it('demo-tiny runs into its budget: a 402 after a few demo-smart calls', async () => {
    const tiny = openaiClient(gw.openaiBaseURL, 'sy-demo-tiny-budget-key', { maxRetries: 0 });
    const statuses = [];
    for (let i = 0; i < 8; i += 1) {
      try {
        await tiny.chat.completions.create({ model: 'demo/demo-smart', max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] });
        statuses.push(200);
      } catch (error) {
        statuses.push(error.status);
        if (error.status === 402) {
          assert.equal(error.code, 'budget_exceeded');
          assert.match(error.message, /budget of key:config:demo-tiny/);
        }
      }
    }
    const firstRefusal = statuses.indexOf(402);
    assert.ok(firstRefusal >= 2 && firstRefusal <= 6, `a few calls pass, then 402: ${statuses}`);
    assert.ok(statuses.slice(firstRefusal).every((s) => s === 402), `${statuses}`);
  });
});
