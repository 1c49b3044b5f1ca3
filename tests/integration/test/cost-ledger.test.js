// True per-call cost and the ledger (issue 4; CONTRACT.md "Response headers", "Admin API", `switchyard
// spend`, "Token classes"). Every figure here is hand-computed from public list prices written below
// and compared exactly — as integer nano-dollars (BigInt) or exact decimal text, never as floats —
// against each place the gateway reports it: the x-switchyard-cost-usd header, the final SSE comment
// of a stream, the ledger's call and attempt rows (GET /admin/requests/{id}), the access log's
// cost_nanos, GET /admin/spend and `switchyard spend` in every format.
//
// The mock reports exact usage for every token class (prompt with cached and cache-written tokens,
// completion with reasoning tokens). OpenAI-format usage maps to the ledger's disjoint classes as
// input = prompt − cached − cache_write, cached_input = cached, output = completion (reasoning
// included), reasoning = the reasoning part of output, priced at the reasoning price (which equals the
// output price for these models) and never counted twice. One attempt's cost is
// sum(tokens × price per million) / 1e6, rounded half-even once.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, runSwitchyard, gatewaySkip, makeTempDir } from '../lib/gateway.js';
import { GATEWAY_KEY, GATEWAY_KEY_B, PROVIDER_KEY, WRONG_KEY, assertOpenAIErrorShape } from '../lib/fixtures.js';
import { deferred, parseSse, readBodySafely, withTimeout } from '../lib/util.js';
import { createPostgresDatabase, dropPostgresDatabases, postgresSkip } from '../lib/postgres.js';
import {
  TOKEN_CLASS_NAMES,
  ZERO_TOKENS,
  addTokens,
  adminGet,
  costNanos,
  ledgerRequest,
  moneyNanos,
  nanosToUsd,
  openaiUsage,
  parseMoneyJson,
  pollUntil,
  pricesUsd,
  tokenClasses,
  usdToNanos,
} from '../lib/ledger.js';

const ADMIN_KEY = 'sy-admin-Vt3ADMINsecretQw8Lp-end5';

// ---- public list prices, dollars per million tokens ---------------------------------------------
// OpenAI bills reasoning tokens as output tokens, so reasoning = output for its models.
const LIST = {
  // OpenAI gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output (openai.com/api/pricing;
  // LiteLLM gpt-4o-mini: input_cost_per_token 1.5e-07, cache_read 7.5e-08, output 6e-07).
  'openai/gpt-4o-mini': pricesUsd({ input: '0.15', cached_input: '0.075', output: '0.60', reasoning: '0.60' }),
  // OpenAI gpt-4o: $2.50 input, $1.25 cached input, $10.00 output (LiteLLM gpt-4o: 2.5e-06, 1.25e-06, 1e-05).
  'openai/gpt-4o': pricesUsd({ input: '2.50', cached_input: '1.25', output: '10.00', reasoning: '10.00' }),
  // OpenAI o3-mini (reasoning model): $1.10 input, $0.55 cached input, $4.40 output, reasoning billed
  // as output (LiteLLM o3-mini: 1.1e-06, 5.5e-07, 4.4e-06; data/price_catalog.json openai/o3-mini).
  'openai/o3-mini': pricesUsd({ input: '1.10', cached_input: '0.55', output: '4.40', reasoning: '4.40' }),
  // OpenAI o3 since its price cut of 2025-06-10: $2.00 input, $0.50 cached input, $8.00 output (it was
  // $10/$40 before; data/price_catalog.json openai/o3 has both periods). Calls made today pay the new one.
  'openai/o3': pricesUsd({ input: '2.00', cached_input: '0.50', output: '8.00', reasoning: '8.00' }),
  // Groq openai/gpt-oss-20b: $0.075 input, $0.0375 cached input, $0.30 output (LiteLLM
  // groq/openai/gpt-oss-20b: 7.5e-08, 3.75e-08, 3e-07). 37.5 nano-dollars per cached token: half-nano ties.
  'groq/openai/gpt-oss-20b': pricesUsd({ input: '0.075', cached_input: '0.0375', output: '0.30', reasoning: '0.30' }),
  // Groq llama-3.3-70b-versatile: $0.59 input, $0.79 output, no cached-input price (LiteLLM: 5.9e-07, 7.9e-07).
  'groq/llama-3.3-70b-versatile': pricesUsd({ input: '0.59', output: '0.79', reasoning: '0.79' }),
  // OpenRouter anthropic/claude-sonnet-4.5: $3 input, $0.30 cache read, $3.75 cache write, $15 output;
  // above 200k prompt tokens every token at $6 / $0.60 / $7.50 / $22.50 (LiteLLM
  // openrouter/anthropic/claude-sonnet-4.5: 3e-06, 3e-07, 3.75e-06, 1.5e-05, *_above_200k_tokens).
  'openrouter/anthropic/claude-sonnet-4.5': pricesUsd({ input: '3', cached_input: '0.30', cache_write_5m: '3.75', output: '15', reasoning: '15' }),
  'openrouter/anthropic/claude-sonnet-4.5 >200k': pricesUsd({ input: '6', cached_input: '0.60', cache_write_5m: '7.50', output: '22.50', reasoning: '22.50' }),
};

// ---- the usage each scripted call reports, and its cost worked out by hand ---------------------
// Each literal is checked against costNanos() too, so a slip in either the arithmetic or the helper
// shows up before any gateway figure is compared with it.
const CASES = {
  // 12345 prompt (2048 cached) → 10297 input; 4321 completion (1234 reasoning).
  // 10297×150 + 2048×75 + 3087×600 + 1234×600 = 1544550 + 153600 + 1852200 + 740400 = 4290750 n$
  mini: { price: 'openai/gpt-4o-mini', usage: { prompt: 12345, cached: 2048, completion: 4321, reasoning: 1234 }, nanos: 4_290_750n },
  // 5000 prompt (1024 cached) → 3976 input; 3000 completion (2500 reasoning).
  // 3976×1100 + 1024×550 + 500×4400 + 2500×4400 = 4373600 + 563200 + 2200000 + 11000000 = 18136800 n$
  o3mini: { price: 'openai/o3-mini', usage: { prompt: 5000, cached: 1024, completion: 3000, reasoning: 2500 }, nanos: 18_136_800n },
  // 3000 prompt (1280 cached) → 1720 input; 700 completion.
  // 1720×2500 + 1280×1250 + 700×10000 = 4300000 + 1600000 + 7000000 = 12900000 n$
  gpt4o: { price: 'openai/gpt-4o', usage: { prompt: 3000, cached: 1280, completion: 700, reasoning: 0 }, nanos: 12_900_000n },
  // 2000 prompt (1000 cached); 500 completion (400 reasoning), at the current (2025-06-10) price.
  // 1000×2000 + 1000×500 + 100×8000 + 400×8000 = 2000000 + 500000 + 800000 + 3200000 = 6500000 n$
  // (at the earlier $10/$2.50/$40 it would have been 10000000 + 500000 + 20000000 = 30500000 n$)
  o3: { price: 'openai/o3', usage: { prompt: 2000, cached: 1000, completion: 500, reasoning: 400 }, nanos: 6_500_000n },
  // 1001 prompt (1 cached) → 1000 input; 10 completion (4 reasoning).
  // 1000×75 + 1×37.5 + 6×300 + 4×300 = 75000 + 37.5 + 1800 + 1200 = 78037.5 → half-even 78038 n$
  ossTieUp: { price: 'groq/openai/gpt-oss-20b', usage: { prompt: 1001, cached: 1, completion: 10, reasoning: 4 }, nanos: 78_038n },
  // 1003 prompt (3 cached): 75000 + 112.5 + 1800 + 1200 = 78112.5 → half-even 78112 n$ (half-up: 78113;
  // rounding each cached token: 3×38 = 114 → 78114)
  ossTieDown: { price: 'groq/openai/gpt-oss-20b', usage: { prompt: 1003, cached: 3, completion: 10, reasoning: 4 }, nanos: 78_112n },
  // 1000 prompt, 100 completion, no cached tokens: the missing cached price does not matter.
  // 1000×590 + 100×790 = 590000 + 79000 = 669000 n$
  llama: { price: 'groq/llama-3.3-70b-versatile', usage: { prompt: 1000, cached: 0, completion: 100, reasoning: 0 }, nanos: 669_000n },
  // 10000 prompt (4000 cache reads, 2000 cache writes) → 4000 input; 1500 completion (500 reasoning).
  // 4000×3000 + 4000×300 + 2000×3750 + 1000×15000 + 500×15000
  //   = 12000000 + 1200000 + 7500000 + 15000000 + 7500000 = 43200000 n$
  sonnet: { price: 'openrouter/anthropic/claude-sonnet-4.5', usage: { prompt: 10000, cached: 4000, cacheWrite: 2000, completion: 1500, reasoning: 500 }, nanos: 43_200_000n },
  // 250000 prompt (100000 reads, 50000 writes) → 100000 input; over 200k, so every token at the tier.
  // 100000×6000 + 100000×600 + 50000×7500 + 1000×22500 + 1000×22500
  //   = 600000000 + 60000000 + 375000000 + 22500000 + 22500000 = 1080000000 n$ ($1.08)
  sonnetLong: { price: 'openrouter/anthropic/claude-sonnet-4.5 >200k', usage: { prompt: 250000, cached: 100000, cacheWrite: 50000, completion: 2000, reasoning: 1000 }, nanos: 1_080_000_000n },
  // Exactly 200000 prompt tokens is not above the threshold: 200000×3000 + 10×15000 = 600150000 n$
  sonnetAtTier: { price: 'openrouter/anthropic/claude-sonnet-4.5', usage: { prompt: 200000, cached: 0, completion: 10, reasoning: 0 }, nanos: 600_150_000n },
  // One more token is: 200001×6000 + 10×22500 = 1200006000 + 225000 = 1200231000 n$
  sonnetOverTier: { price: 'openrouter/anthropic/claude-sonnet-4.5 >200k', usage: { prompt: 200001, cached: 0, completion: 10, reasoning: 0 }, nanos: 1_200_231_000n },
};

const user = (text) => [{ role: 'user', content: text }];

// A raw POST /v1/chat/completions (the SDK hides SSE comments): { status, headers, id, text, error }.
async function post(gw, body, { key = GATEWAY_KEY, headers = {} } = {}) {
  const res = await withTimeout(
    fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
    20_000,
    'the gateway to answer',
  );
  const { text, error } = await withTimeout(readBodySafely(res), 20_000, 'the answer body');
  return { status: res.status, headers: res.headers, id: res.headers.get('x-switchyard-request-id'), text, error };
}

// The stream's cost comment: exactly one `: switchyard {...}` event, just before `data: [DONE]`.
// Returns { cost: BigInt nanos | null, requestId }.
function streamCost(text) {
  const events = parseSse(text);
  assert.equal(events[events.length - 1]?.data, '[DONE]', `the stream ends with [DONE]: ${JSON.stringify(text.slice(-300))}`);
  const withComment = events.filter((e) => e.comments.some((c) => c.startsWith('switchyard ')));
  assert.equal(withComment.length, 1, `one switchyard comment in the stream: ${JSON.stringify(text.slice(-600))}`);
  assert.equal(events.indexOf(withComment[0]), events.length - 2, 'the cost comment comes just before data: [DONE]');
  const comment = withComment[0].comments.find((c) => c.startsWith('switchyard '));
  const json = parseMoneyJson(comment.slice('switchyard '.length));
  assert.ok('cost_usd' in json, `the comment has cost_usd: ${comment}`);
  return { cost: moneyNanos(json.cost_usd, 'the comment cost_usd'), requestId: json.request_id };
}

function pickTokens(object) {
  return Object.fromEntries(TOKEN_CLASS_NAMES.map((name) => [name, object[name]]));
}

// An integer cost_nanos from the access log as BigInt (null stays null).
function logNanos(value, what) {
  if (value === null) return null;
  assert.ok(Number.isSafeInteger(value), `${what} is an integer number of nano-dollars: ${value}`);
  return BigInt(value);
}

const fmt = (nanos) => (nanos === null ? 'unknown' : `${nanos} n$ ($${nanosToUsd(nanos)})`);

describe('cost and ledger', { skip: gatewaySkip, timeout: 300_000 }, () => {
  it('the hand-computed figures agree with an independent computation', () => {
    for (const [name, c] of Object.entries(CASES)) {
      assert.equal(costNanos(tokenClasses(c.usage), LIST[c.price]), c.nanos, `case ${name}`);
    }
    assert.equal(usdToNanos('0.00429075'), 4_290_750n);
    assert.equal(usdToNanos('4.29075e-3'), 4_290_750n);
    assert.equal(nanosToUsd(1_080_000_000n), '1.08');
  });

  // ---------------------------------------------------------------------------------------------
  describe('every call priced exactly, in every place it is reported', () => {
    let mock;
    let gw;

    before(async () => {
      mock = await startMock();
      gw = await startGateway({
        config: {
          admin_key: ADMIN_KEY,
          providers: {
            openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY },
            groq: { base_url: mock.baseURL, api_key: 'gsk-cost-test-groq-key' },
            openrouter: { base_url: mock.baseURL, api_key: 'sk-or-cost-test-key' },
            acme: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-acme-cost-test-key' },
          },
          keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
          routes: {
            'fb-cost': { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'openai/gpt-4o'] },
            'fb-cost-stream': { strategy: 'fallback', targets: ['openai/gpt-4o', 'openai/o3-mini'] },
            'fb-acme': { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'acme/gpt-4o-mini'] },
            'retry-cost': { strategy: 'single', targets: ['openai/gpt-4o-mini'], retry: { attempts: 2, on: [503] } },
          },
        },
      });
    });
    after(async () => {
      try {
        if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0');
      } finally {
        await gw?.kill().catch(() => {});
        await mock?.close();
      }
    });
    beforeEach(() => mock.reset());

    // Makes one call whose attempts the mock answers as `script` says, then checks the cost in the
    // answer, in the ledger (call and attempts) and in the access log against `expect`:
    //   { nanos: BigInt | null, provider, model, attempts: [{ kind, provider, model, status, tokens, nanos }] }
    async function checkCall({ model, stream = false, script, expect, headers = {}, extraBody = {} }) {
      mock.enqueue(...script);
      const before = mock.requests.length;
      const res = await post(gw, { model, messages: user(`cost of ${model}`), ...(stream ? { stream: true } : {}), ...extraBody }, { headers });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.error, null);
      assert.ok(res.id, 'x-switchyard-request-id is set');
      assert.equal(res.headers.get('x-switchyard-attempts'), String(expect.attempts.length));
      assert.equal(mock.requests.length - before, expect.attempts.length, 'one upstream request per attempt');

      const header = res.headers.get('x-switchyard-cost-usd');
      if (stream) {
        assert.equal(header, null, 'no cost header on a stream (its cost is in the final comment)');
        const comment = streamCost(res.text);
        assert.equal(comment.requestId, res.id, 'the comment names the call');
        assert.equal(comment.cost, expect.nanos, `stream comment cost: got ${fmt(comment.cost)}, expected ${fmt(expect.nanos)}`);
      } else if (expect.nanos === null) {
        assert.equal(header, null, 'no x-switchyard-cost-usd when the price is unknown (never $0)');
      } else {
        assert.ok(header !== null, 'x-switchyard-cost-usd is set');
        assert.match(header, /^\d+(\.\d{1,9})?$/, 'plain decimal text with at most 9 decimals');
        assert.equal(usdToNanos(header), expect.nanos, `x-switchyard-cost-usd ${header}: expected ${fmt(expect.nanos)}`);
      }

      const rec = await ledgerRequest(gw.baseURL, ADMIN_KEY, res.id);
      assert.equal(rec.request_id, res.id);
      assert.equal(rec.status, 200);
      assert.equal(rec.key, 'team-a');
      assert.equal(rec.provider, expect.provider);
      assert.equal(rec.model, expect.model);
      assert.equal(rec.estimated, false);
      assert.equal(moneyNanos(rec.cost_usd, 'call cost_usd'), expect.nanos, `ledger call cost: ${JSON.stringify(rec.cost_usd)}, expected ${fmt(expect.nanos)}`);
      assert.equal(rec.attempts.length, expect.attempts.length, `attempts in ${JSON.stringify(rec)}`);
      expect.attempts.forEach((want, i) => {
        const got = rec.attempts[i];
        const where = `attempt ${i + 1} of ${JSON.stringify(rec)}`;
        assert.equal(got.n, i + 1, where);
        assert.equal(got.kind, want.kind, where);
        assert.equal(got.provider, want.provider, where);
        assert.equal(got.model, want.model, where);
        assert.equal(got.status, want.status, where);
        assert.deepEqual(pickTokens(got), want.tokens, `token classes, ${where}`);
        assert.equal(moneyNanos(got.cost_usd, 'attempt cost_usd'), want.nanos, `cost, ${where}`);
        assert.equal(got.estimated, false, where);
      });

      const lines = await gw.waitForAccessLog((all) => all.some((l) => l.request_id === res.id));
      const line = lines.find((l) => l.request_id === res.id);
      assert.equal(logNanos(line.cost_nanos, 'access log cost_nanos'), expect.nanos, `access log cost_nanos ${line.cost_nanos}`);
      assert.deepEqual(pickTokens(line), addTokens(...expect.attempts.map((a) => a.tokens)), 'access log tokens: the sum over attempts');
      assert.equal(line.attempt_log.length, expect.attempts.length);
      expect.attempts.forEach((want, i) => {
        assert.equal(logNanos(line.attempt_log[i].cost_nanos, `attempt ${i + 1} cost_nanos`), want.nanos, `access log attempt ${i + 1}`);
        assert.deepEqual(pickTokens(line.attempt_log[i]), want.tokens, `access log attempt ${i + 1} tokens`);
      });
      return { res, rec, line };
    }

    // A one-attempt call answered with the usage of CASES[name].
    function single(name, { stream = false, model, provider, upstream } = {}) {
      const c = CASES[name];
      const [defaultProvider, ...rest] = c.price.split(' ')[0].split('/');
      const prov = provider ?? defaultProvider;
      const up = upstream ?? rest.join('/');
      return {
        model: model ?? `${prov}/${up}`,
        stream,
        script: [{ reply: { usage: openaiUsage(c.usage) } }],
        expect: {
          nanos: c.nanos,
          provider: prov,
          model: up,
          attempts: [{ kind: 'primary', provider: prov, model: up, status: 200, tokens: tokenClasses(c.usage), nanos: c.nanos }],
        },
      };
    }

    it('gpt-4o-mini, plain: cached and reasoning tokens each priced once', async () => {
      await checkCall(single('mini'));
    });

    it('gpt-4o-mini, streamed: the same figure in the final SSE comment', async () => {
      const { res } = await checkCall(single('mini', { stream: true }));
      assert.equal(mock.requests[0].body.stream_options?.include_usage, true, 'the gateway asked upstream for usage');
      const chunks = parseSse(res.text).filter((e) => e.data && e.data !== '[DONE]').map((e) => JSON.parse(e.data));
      assert.ok(chunks.every((c) => !c.usage), 'the usage chunk the client did not ask for stays hidden');
    });

    it('a streamed call that asked for usage gets the usage chunk and the same cost', async () => {
      const c = single('mini', { stream: true });
      c.extraBody = { stream_options: { include_usage: true } };
      const { res } = await checkCall(c);
      const chunks = parseSse(res.text).filter((e) => e.data && e.data !== '[DONE]').map((e) => JSON.parse(e.data));
      assert.deepEqual(chunks[chunks.length - 1].usage, openaiUsage(CASES.mini.usage), 'the usage chunk comes through as the provider sent it');
    });

    it('o3-mini (reasoning model), plain and streamed: reasoning tokens at the reasoning price, not twice', async () => {
      await checkCall(single('o3mini'));
      await checkCall(single('o3mini', { stream: true }));
    });

    it('gpt-4o, plain', async () => {
      await checkCall(single('gpt4o'));
    });

    it('o3: a price changed on a date applies by the request\'s time (the 2025-06-10 price today)', async () => {
      await checkCall(single('o3'));
    });

    it('half-nano ties round half-even, once per attempt (groq openai/gpt-oss-20b, $0.0375/M cached)', async () => {
      await checkCall(single('ossTieUp'));
      await checkCall(single('ossTieDown'));
      await checkCall(single('ossTieDown', { stream: true }));
    });

    it('cache writes (OpenRouter prompt_tokens_details.cache_write_tokens) are their own class', async () => {
      await checkCall(single('sonnet'));
      await checkCall(single('sonnet', { stream: true }));
    });

    it('the long-context tier: above 200k prompt tokens every token at the tier price, at 200k not', async () => {
      await checkCall(single('sonnetLong'));
      await checkCall(single('sonnetAtTier'));
      await checkCall(single('sonnetOverTier'));
    });

    it('a model without a cached price: priced when it has no cached tokens, unknown when it has some', async () => {
      await checkCall(single('llama'));
      const usage = { prompt: 1000, cached: 100, completion: 100 };
      await checkCall({
        model: 'groq/llama-3.3-70b-versatile',
        script: [{ reply: { usage: openaiUsage(usage) } }],
        expect: {
          nanos: null,
          provider: 'groq',
          model: 'llama-3.3-70b-versatile',
          attempts: [{ kind: 'primary', provider: 'groq', model: 'llama-3.3-70b-versatile', status: 200, tokens: tokenClasses(usage), nanos: null }],
        },
      });
    });

    it('fallback: the failed first attempt is recorded with 0 tokens and $0; the call costs what the second did', async () => {
      const c = CASES.gpt4o;
      await checkCall({
        model: 'fb-cost',
        script: [{ status: 500 }, { reply: { usage: openaiUsage(c.usage) } }],
        expect: {
          nanos: c.nanos,
          provider: 'openai',
          model: 'gpt-4o',
          attempts: [
            { kind: 'primary', provider: 'openai', model: 'gpt-4o-mini', status: 500, tokens: ZERO_TOKENS, nanos: 0n },
            { kind: 'fallback', provider: 'openai', model: 'gpt-4o', status: 200, tokens: tokenClasses(c.usage), nanos: c.nanos },
          ],
        },
      });
    });

    it('retry: the retried attempt is recorded with 0 tokens and $0; the call costs what the retry did', async () => {
      const c = CASES.mini;
      await checkCall({
        model: 'retry-cost',
        script: [{ status: 503 }, { reply: { usage: openaiUsage(c.usage) } }],
        expect: {
          nanos: c.nanos,
          provider: 'openai',
          model: 'gpt-4o-mini',
          attempts: [
            { kind: 'primary', provider: 'openai', model: 'gpt-4o-mini', status: 503, tokens: ZERO_TOKENS, nanos: 0n },
            { kind: 'retry', provider: 'openai', model: 'gpt-4o-mini', status: 200, tokens: tokenClasses(c.usage), nanos: c.nanos },
          ],
        },
      });
    });

    it('fallback, streamed: the comment carries the whole call\'s cost', async () => {
      const c = CASES.o3mini;
      await checkCall({
        model: 'fb-cost-stream',
        stream: true,
        script: [{ status: 503 }, { reply: { usage: openaiUsage(c.usage) } }],
        expect: {
          nanos: c.nanos,
          provider: 'openai',
          model: 'o3-mini',
          attempts: [
            { kind: 'primary', provider: 'openai', model: 'gpt-4o', status: 503, tokens: ZERO_TOKENS, nanos: 0n },
            { kind: 'fallback', provider: 'openai', model: 'o3-mini', status: 200, tokens: tokenClasses(c.usage), nanos: c.nanos },
          ],
        },
      });
    });

    it('a provider under a custom name is unpriced: no header, cost_usd null, tokens still recorded', async () => {
      const usage = CASES.mini.usage;
      const expect = {
        nanos: null,
        provider: 'acme',
        model: 'gpt-4o-mini',
        attempts: [{ kind: 'primary', provider: 'acme', model: 'gpt-4o-mini', status: 200, tokens: tokenClasses(usage), nanos: null }],
      };
      const { rec } = await checkCall({ model: 'acme/gpt-4o-mini', script: [{ reply: { usage: openaiUsage(usage) } }], expect });
      assert.strictEqual(rec.cost_usd, null, 'the call cost_usd is JSON null');
      assert.strictEqual(rec.attempts[0].cost_usd, null, 'the attempt cost_usd is JSON null');
      await checkCall({ model: 'acme/gpt-4o-mini', stream: true, script: [{ reply: { usage: openaiUsage(usage) } }], expect });
    });

    it('a model the catalog lacks, at a known provider, is unpriced too', async () => {
      const usage = CASES.mini.usage;
      await checkCall({
        model: 'openai/gpt-imaginary-test-model',
        script: [{ reply: { usage: openaiUsage(usage) } }],
        expect: {
          nanos: null,
          provider: 'openai',
          model: 'gpt-imaginary-test-model',
          attempts: [{ kind: 'primary', provider: 'openai', model: 'gpt-imaginary-test-model', status: 200, tokens: tokenClasses(usage), nanos: null }],
        },
      });
    });

    it('a priced failed attempt then an unpriced answer: the call\'s cost is unknown, the attempts keep theirs', async () => {
      const usage = CASES.mini.usage;
      await checkCall({
        model: 'fb-acme',
        script: [{ status: 429 }, { reply: { usage: openaiUsage(usage) } }],
        expect: {
          nanos: null,
          provider: 'acme',
          model: 'gpt-4o-mini',
          attempts: [
            { kind: 'primary', provider: 'openai', model: 'gpt-4o-mini', status: 429, tokens: ZERO_TOKENS, nanos: 0n },
            { kind: 'fallback', provider: 'acme', model: 'gpt-4o-mini', status: 200, tokens: tokenClasses(usage), nanos: null },
          ],
        },
      });
    });

    it('embeddings are priced too (text-embedding-3-large, $0.13/M input)', async () => {
      // OpenAI text-embedding-3-large: $0.13 per million input tokens (LiteLLM: input_cost_per_token 1.3e-07).
      // The mock counts one token per word: 7 + 5 = 12 tokens; 12×130 = 1560 n$ = $0.00000156.
      const expected = 1_560n;
      assert.equal(costNanos(tokenClasses({ prompt: 12, completion: 0 }), pricesUsd({ input: '0.13' })), expected);
      const res = await withTimeout(
        fetch(`${gw.openaiBaseURL}/embeddings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'openai/text-embedding-3-large', input: ['one two three four five six seven', 'eight nine ten eleven twelve'] }),
        }),
        20_000,
        'the embeddings answer',
      );
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.usage.prompt_tokens, 12);
      const id = res.headers.get('x-switchyard-request-id');
      assert.equal(usdToNanos(res.headers.get('x-switchyard-cost-usd') ?? 'missing'), expected, `x-switchyard-cost-usd: ${res.headers.get('x-switchyard-cost-usd')}`);
      const rec = await ledgerRequest(gw.baseURL, ADMIN_KEY, id);
      assert.equal(moneyNanos(rec.cost_usd), expected);
      assert.deepEqual(pickTokens(rec.attempts[0]), { ...ZERO_TOKENS, input_tokens: 12 });
      assert.equal(moneyNanos(rec.attempts[0].cost_usd), expected);
      const lines = await gw.waitForAccessLog((all) => all.some((l) => l.request_id === id));
      assert.equal(logNanos(lines.find((l) => l.request_id === id).cost_nanos, 'cost_nanos'), expected);
    });

    // A stream cut short is priced from what arrived and marked estimated (issue 4). The estimate's
    // token counts are the gateway's own, so what is checked exactly is that the recorded tokens are
    // priced at list price and that every report of the figure agrees.
    async function checkEstimated(id, { status, attemptStatus }) {
      const rec = await ledgerRequest(gw.baseURL, ADMIN_KEY, id);
      const where = JSON.stringify(rec);
      assert.equal(rec.status, status, where);
      assert.equal(rec.estimated, true, where);
      assert.equal(rec.attempts.length, 1, where);
      const attempt = rec.attempts[0];
      assert.equal(attempt.status, attemptStatus, where);
      assert.equal(attempt.estimated, true, where);
      assert.ok(attempt.input_tokens > 0 && attempt.output_tokens > 0, `tokens estimated from what was sent and what arrived: ${where}`);
      const nanos = moneyNanos(attempt.cost_usd);
      assert.equal(nanos, costNanos(pickTokens(attempt), LIST['openai/gpt-4o-mini']), `the estimate priced at list price: ${where}`);
      assert.equal(moneyNanos(rec.cost_usd), nanos);
      const lines = await gw.waitForAccessLog((all) => all.some((l) => l.request_id === id));
      const line = lines.find((l) => l.request_id === id);
      assert.equal(logNanos(line.cost_nanos, 'access log cost_nanos'), nanos);
      assert.equal(line.attempt_log[0].estimated, true);
      assert.deepEqual(pickTokens(line), pickTokens(attempt));
    }

    it('a stream the client abandons: a cancelled attempt, priced from an estimate, marked estimated', async () => {
      mock.enqueue({ streamForever: { intervalMs: 10, maxMs: 60_000 } });
      const abort = new AbortController();
      const res = await withTimeout(
        fetch(`${gw.openaiBaseURL}/chat/completions`, {
          method: 'POST',
          signal: abort.signal,
          headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: user('abandon me') }),
        }),
        20_000,
        'the stream head',
      );
      assert.equal(res.status, 200);
      const id = res.headers.get('x-switchyard-request-id');
      const body = res.body.getReader();
      let text = '';
      while (!/tick 3 /.test(text)) {
        const { value, done } = await withTimeout(body.read(), 10_000, 'stream content');
        assert.ok(!done, 'the stream goes on');
        text += Buffer.from(value).toString('utf8');
      }
      abort.abort();
      await withTimeout(mock.requests[0].done, 10_000, 'the upstream stream to be closed');
      await checkEstimated(id, { status: 499, attemptStatus: 'cancelled' });
    });

    it('a stream the provider breaks off: a stream_error attempt, priced from an estimate, marked estimated', async () => {
      mock.enqueue({ stream: { dropAfterChunks: 3 } });
      const res = await post(gw, { model: 'openai/gpt-4o-mini', stream: true, messages: user('break off after a few words please') });
      assert.equal(res.status, 200);
      assert.ok(!/: switchyard /.test(res.text), 'no cost comment: the stream did not reach its end');
      await checkEstimated(res.id, { status: 200, attemptStatus: 'stream_error' });
    });
  });

  // ---------------------------------------------------------------------------------------------
  // The same checks for each ledger backend. Every gateway run gets a ledger of its own: a fresh SQLite
  // file, or a fresh database on the PostgreSQL server of scripts/with-postgres.sh (skipped without it).
  const LEDGER_BACKENDS = [
    { name: 'sqlite', skip: false, fresh: () => ({ backend: 'sqlite', path: path.join(makeTempDir(), 'ledger.db') }) },
    { name: 'postgres', skip: postgresSkip, fresh: () => ({ backend: 'postgres', url: createPostgresDatabase() }) },
  ];
  for (const backend of LEDGER_BACKENDS) describe(`no loss (${backend.name} ledger)`, { skip: backend.skip }, () => {
    let mock;
    let failing;

    // Every call reports this usage: 1000×150 + 200×75 + 200×600 + 100×600 = 150000 + 15000 + 120000
    // + 60000 = 345000 n$ on gpt-4o-mini.
    const USAGE = { prompt: 1200, cached: 200, completion: 300, reasoning: 100 };
    const PER_CALL = 345_000n;

    before(async () => {
      mock = await startMock();
      failing = await startMock();
    });
    after(async () => {
      await mock?.close();
      await failing?.close();
      if (backend.name === 'postgres') dropPostgresDatabases();
    });
    beforeEach(() => {
      mock.reset();
      mock.setDefaultBehaviour({ reply: { usage: openaiUsage(USAGE) } });
      failing.reset();
      failing.setDefaultBehaviour({ status: 503 });
    });

    const config = (extra = {}) => ({
      admin_key: ADMIN_KEY,
      // groq fails every call, and these tests count each fallback call's two attempts: with
      // health on, its breaker would open after a few failures and later calls would skip it.
      health: { enabled: false },
      providers: {
        openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY },
        groq: { base_url: failing.baseURL, api_key: 'gsk-cost-test-groq-key' },
      },
      keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
      routes: { 'fb-groq-first': { strategy: 'fallback', targets: ['groq/llama-3.3-70b-versatile', 'openai/gpt-4o-mini'] } },
      ...extra,
    });

    // Call i: every 4th through the fallback route (2 attempts), every 4th streamed, the rest plain.
    const callSpec = (i) => ({
      model: i % 4 === 1 ? 'fb-groq-first' : 'openai/gpt-4o-mini',
      stream: i % 4 === 2,
      attempts: i % 4 === 1 ? 2 : 1,
    });

    async function call(gw, i) {
      const spec = callSpec(i);
      const res = await post(gw, { model: spec.model, messages: user(`call ${i}`), ...(spec.stream ? { stream: true } : {}) });
      return { ...res, spec };
    }

    function sumRows(rows) {
      const total = { calls: 0, attempts: 0, tokens: { ...ZERO_TOKENS }, nanos: 0n, unpriced: 0 };
      for (const row of rows) {
        total.calls += row.calls;
        total.attempts += row.attempts;
        total.tokens = addTokens(total.tokens, pickTokens(row));
        total.nanos += moneyNanos(row.cost_usd, `cost_usd of ${row.group}`);
        total.unpriced += row.unpriced_attempts;
      }
      return total;
    }

    async function spendJson(gw, args = []) {
      const out = await runSwitchyard(['spend', '--config', gw.configPath, '--format', 'json', ...args], { cwd: gw.dir });
      assert.equal(out.code, 0, `switchyard spend exits 0: ${out.stderr}`);
      assert.equal(out.stderr, '');
      return parseMoneyJson(out.stdout);
    }

    it('200 concurrent calls: exactly 200 call rows with the right attempts, tokens and cost', async () => {
      const N = 200;
      // SQLite: the default ledger (./switchyard-data/ in the gateway's directory).
      const gw = await startGateway({ config: config(backend.name === 'sqlite' ? {} : { ledger: backend.fresh() }) });
      try {
        const results = await withTimeout(Promise.all(Array.from({ length: N }, (_, i) => call(gw, i))), 60_000, `${N} concurrent calls`);
        for (const r of results) {
          assert.equal(r.status, 200, r.text);
          assert.equal(r.error, null);
          assert.equal(r.headers.get('x-switchyard-attempts'), String(r.spec.attempts));
          if (r.spec.stream) assert.equal(streamCost(r.text).cost, PER_CALL);
          else assert.equal(usdToNanos(r.headers.get('x-switchyard-cost-usd')), PER_CALL);
        }
        const ids = new Set(results.map((r) => r.id));
        assert.equal(ids.size, N, 'every call has its own request id');
        const wantAttempts = results.reduce((n, r) => n + r.spec.attempts, 0);
        assert.equal(wantAttempts, 250);
        const wantTokens = addTokens(...Array.from({ length: N }, () => tokenClasses(USAGE)));

        // Before stopping: the admin API, once the batched writer has caught up (never more than N).
        let seen = null;
        const spend = await pollUntil(
          async () => {
            const r = await adminGet(gw.baseURL, '/admin/spend?group_by=key&format=json', ADMIN_KEY);
            assert.equal(r.status, 200, r.text);
            seen = r.text;
            const calls = r.json.rows.reduce((n, row) => n + row.calls, 0);
            assert.ok(calls <= N, `never more call rows than calls: ${r.text}`);
            return calls === N ? r.json : undefined;
          },
          { timeoutMs: 15_000, what: `${N} calls in /admin/spend`, describe: () => seen },
        );
        assert.equal(spend.rows.length, 1, spend.rows);
        assert.equal(spend.rows[0].group, 'team-a');
        assert.equal(spend.rows[0].attempts, wantAttempts);
        assert.deepEqual(pickTokens(spend.rows[0]), wantTokens);
        assert.equal(moneyNanos(spend.rows[0].cost_usd), PER_CALL * BigInt(N), 'the sum is exact: 200 × 345000 n$ = $0.069');
        assert.equal(spend.rows[0].unpriced_attempts, 0);

        for (const r of results) {
          const rec = await ledgerRequest(gw.baseURL, ADMIN_KEY, r.id);
          assert.equal(rec.attempts.length, r.spec.attempts, `attempts of ${r.id}`);
          assert.equal(moneyNanos(rec.cost_usd), PER_CALL);
          assert.equal(rec.stream, r.spec.stream);
        }

        assert.equal(await gw.stop(), 0, 'the gateway exits 0');

        // After the gateway has gone: the spend command reads the same ledger.
        const byKey = await spendJson(gw, ['--group-by', 'key']);
        assert.equal(byKey.group_by, 'key');
        assert.equal(byKey.rows.length, 1);
        assert.equal(byKey.rows[0].group, 'team-a');
        assert.equal(byKey.rows[0].calls, N);
        assert.equal(byKey.rows[0].attempts, wantAttempts);
        assert.deepEqual(pickTokens(byKey.rows[0]), wantTokens);
        assert.equal(moneyNanos(byKey.rows[0].cost_usd), PER_CALL * BigInt(N));

        // By model: each attempt under its own model; calls under the model that served them.
        const byModel = await spendJson(gw, ['--group-by', 'model']);
        const models = Object.fromEntries(byModel.rows.map((row) => [row.group, row]));
        assert.deepEqual(Object.keys(models).sort(), ['groq/llama-3.3-70b-versatile', 'openai/gpt-4o-mini']);
        assert.equal(models['openai/gpt-4o-mini'].calls, N);
        assert.equal(models['openai/gpt-4o-mini'].attempts, N);
        assert.equal(models['groq/llama-3.3-70b-versatile'].calls, 0, 'no call was served by groq');
        assert.equal(models['groq/llama-3.3-70b-versatile'].attempts, 50, 'its 50 failed attempts');
        assert.deepEqual(pickTokens(models['groq/llama-3.3-70b-versatile']), ZERO_TOKENS);
        assert.equal(moneyNanos(models['groq/llama-3.3-70b-versatile'].cost_usd), 0n);
        assert.equal(sumRows(byModel.rows).nanos, PER_CALL * BigInt(N));
      } finally {
        await gw.kill().catch(() => {});
      }
    });

    it('SIGTERM with 40 calls in flight: every answered call is in the ledger after exit', async () => {
      const ledger = backend.fresh();
      const gw = await startGateway({ config: config({ ledger }) });
      let reader = null;
      const release = deferred();
      try {
        const warm = [];
        for (let i = 0; i < 5; i += 1) warm.push(await call(gw, i));
        for (const r of warm) assert.equal(r.status, 200, r.text);

        // 40 calls held at the mock (fallback ones: at their second attempt), then SIGTERM.
        mock.setDefaultBehaviour({ reply: { usage: openaiUsage(USAGE) }, holdUntil: release.promise, stream: { chunkDelayMs: 5 } });
        const M = 40;
        const inFlight = Array.from({ length: M }, (_, i) => call(gw, 100 + i));
        await mock.waitForRequests(5 + M, { timeoutMs: 20_000 });
        gw.process.kill('SIGTERM');
        await pollUntil(() => /shutting down/.test(gw.stderr()) || undefined, { what: 'the gateway to begin shutting down', describe: () => gw.stderr() });
        release.resolve();
        const answered = await withTimeout(Promise.all(inFlight), 30_000, 'the in-flight calls');
        assert.equal(await gw.waitForExit(20_000), 0, 'exit 0 after a graceful shutdown');
        for (const r of answered) {
          assert.equal(r.status, 200, r.text);
          assert.equal(r.error, null, 'the answer arrived whole');
        }
        const all = [...warm, ...answered];
        const wantAttempts = all.reduce((n, r) => n + r.spec.attempts, 0);

        const spend = await spendJson(gw, ['--group-by', 'key']);
        assert.equal(spend.rows.length, 1);
        assert.equal(spend.rows[0].calls, all.length, `every answered call has its row: ${JSON.stringify(spend)}`);
        assert.equal(spend.rows[0].attempts, wantAttempts);
        assert.equal(moneyNanos(spend.rows[0].cost_usd), PER_CALL * BigInt(all.length));

        // Each answered request id, looked up in the same ledger by a fresh gateway.
        reader = await startGateway({ config: config({ ledger }) });
        for (const r of all) {
          const got = await adminGet(reader.baseURL, `/admin/requests/${encodeURIComponent(r.id)}`, ADMIN_KEY);
          assert.equal(got.status, 200, `request ${r.id} is in the ledger: ${got.text}`);
          assert.equal(got.json.status, 200);
          assert.equal(got.json.attempts.length, r.spec.attempts);
          assert.equal(moneyNanos(got.json.cost_usd), PER_CALL);
        }
        assert.equal(await reader.stop(), 0);
      } finally {
        release.resolve();
        await gw.kill().catch(() => {});
        await reader?.kill().catch(() => {});
      }
    });

    // What a call cut off at the end of the shutdown grace period must look like in the ledger: like a
    // call whose client went away (see 'a stream the client abandons' above) — its attempt recorded,
    // cancelled, priced from an estimate and marked estimated; never a call with no attempt at $0.
    function assertCutOffCall(rec, what) {
      const where = `${what}: ${JSON.stringify(rec)}`;
      assert.notEqual(rec.status, 0, `a real status, ${where}`);
      assert.equal(rec.provider, 'openai', where);
      assert.equal(rec.attempts.length, 1, `its upstream attempt is recorded, ${where}`);
      const attempt = rec.attempts[0];
      assert.ok(['cancelled', 'stream_error'].includes(attempt.status), `the attempt was cut off, ${where}`);
      assert.equal(attempt.estimated, true, where);
      assert.equal(rec.estimated, true, where);
      assert.ok(attempt.input_tokens > 0, `the prompt was sent, so it is billed, ${where}`);
      const nanos = moneyNanos(attempt.cost_usd);
      assert.equal(nanos, costNanos(pickTokens(attempt), LIST['openai/gpt-4o-mini']), `priced at list price, ${where}`);
      assert.equal(moneyNanos(rec.cost_usd), nanos, where);
    }

    // Starts a gateway with a 300 ms grace period on a ledger of its own; `run(gw)` makes the
    // call, SIGTERMs and returns its request id; then a second gateway reads that ledger.
    async function afterGraceExpiry(run) {
      const ledger = backend.fresh();
      const gw = await startGateway({ config: config({ shutdown_grace_ms: 300, ledger }) });
      let reader = null;
      try {
        const id = await run(gw);
        assert.equal(await gw.waitForExit(20_000), 0, 'exit 0 after the grace period');
        assert.match(gw.stderr(), /still busy after the grace period/, 'the call really outlived the grace period');
        reader = await startGateway({ config: config({ ledger }) });
        const got = await adminGet(reader.baseURL, `/admin/requests/${encodeURIComponent(id)}`, ADMIN_KEY);
        assert.equal(got.status, 200, `call ${id} is in the ledger: ${got.status} ${got.text}`);
        return got.json;
      } finally {
        await gw.kill().catch(() => {});
        if (reader) await reader.stop().catch(() => {});
      }
    }

    it(
      'a stream still running when the grace period ends (the client got its head and content) is in the ledger with its attempt',
      async () => {
        mock.setDefaultBehaviour({ streamForever: { intervalMs: 20, maxMs: 60_000 } });
        const rec = await afterGraceExpiry(async (gw) => {
          const res = await withTimeout(
            fetch(`${gw.openaiBaseURL}/chat/completions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: user('forever') }),
            }),
            20_000,
            'the stream head',
          );
          assert.equal(res.status, 200);
          const id = res.headers.get('x-switchyard-request-id');
          assert.ok(id);
          // Read until the client has content, then SIGTERM; the stream outlives the 300 ms grace.
          const body = res.body.getReader();
          const first = await withTimeout(body.read(), 10_000, 'the first chunk');
          assert.ok(!first.done && first.value.length > 0);
          gw.process.kill('SIGTERM');
          await withTimeout(
            (async () => {
              try {
                for (;;) if ((await body.read()).done) break;
              } catch {
                // cut off at the end of the grace period
              }
            })(),
            20_000,
            'the cut stream to end',
          );
          return id;
        });
        assert.equal(rec.stream, true);
        assertCutOffCall(rec, 'the stream cut off at shutdown');
      },
    );

    it(
      'a plain call still waiting upstream when the grace period ends is in the ledger with its attempt',
      async () => {
        mock.setDefaultBehaviour({ hang: true });
        const rec = await afterGraceExpiry(async (gw) => {
          const call = fetch(`${gw.openaiBaseURL}/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: user('never answered') }),
          }).then(
            (res) => res.text().then(() => res.status, () => res.status),
            (error) => error,
          );
          await mock.waitForRequests(1);
          gw.process.kill('SIGTERM');
          await withTimeout(call, 20_000, 'the abandoned call to end');
          // The client got no answer: the request id comes from the access log.
          const lines = await gw.waitForAccessLog((all) => all.length === 1, { timeoutMs: 20_000 });
          return lines[0].request_id;
        });
        assert.equal(rec.stream, false);
        assertCutOffCall(rec, 'the plain call abandoned at shutdown');
      },
    );
  });

  // ---------------------------------------------------------------------------------------------
  describe('spend: grouping, formats, reconciliation, the admin API', () => {
    let mock;
    let gw;
    const calls = []; // { name, key, tags, model, provider, upstream, route, usage, nanos, id, day }

    // The calls, made in order; the mock answers each with its usage.
    const PLAN = [
      { name: 'a-u1-mini', key: 'team-a', tags: { user: 'u1' }, model: 'openai/gpt-4o-mini', case: 'mini' },
      { name: 'a-u1-4o', key: 'team-a', tags: { user: 'u1', feature: 'search' }, model: 'openai/gpt-4o', case: 'gpt4o' },
      { name: 'a-u2-route-stream', key: 'team-a', tags: { user: 'u2' }, model: 'cheap', route: 'cheap', stream: true, case: 'mini' },
      { name: 'b-u2-o3mini', key: 'team-b', tags: { user: 'u2' }, model: 'openai/o3-mini', case: 'o3mini' },
      { name: 'b-none-mini', key: 'team-b', tags: null, model: 'openai/gpt-4o-mini', case: 'mini' },
      { name: 'b-u1-acme', key: 'team-b', tags: { user: 'u1' }, model: 'acme/gpt-4o-mini', case: 'mini', unpriced: true },
    ];

    before(async () => {
      mock = await startMock();
      gw = await startGateway({
        config: {
          admin_key: ADMIN_KEY,
          providers: {
            openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY },
            acme: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-acme-cost-test-key' },
          },
          keys: [
            { key: GATEWAY_KEY, name: 'team-a' },
            { key: GATEWAY_KEY_B, name: 'team-b' },
          ],
          routes: { cheap: { strategy: 'single', targets: ['openai/gpt-4o-mini'] } },
        },
      });
      for (const p of PLAN) {
        const c = CASES[p.case];
        mock.enqueue({ reply: { usage: openaiUsage(c.usage) } });
        const headers = p.tags ? { 'x-switchyard-metadata': JSON.stringify(p.tags) } : {};
        const res = await post(gw, { model: p.model, messages: user(p.name), ...(p.stream ? { stream: true } : {}) }, {
          key: p.key === 'team-a' ? GATEWAY_KEY : GATEWAY_KEY_B,
          headers,
        });
        assert.equal(res.status, 200, `${p.name}: ${res.text}`);
        const [provider, upstream] = p.model === 'cheap' ? ['openai', 'gpt-4o-mini'] : p.model.split('/');
        calls.push({ ...p, provider, upstream, tokens: tokenClasses(c.usage), nanos: p.unpriced ? null : c.nanos, id: res.id });
      }
      for (const c of calls) {
        const rec = await ledgerRequest(gw.baseURL, ADMIN_KEY, c.id);
        c.day = rec.time.slice(0, 10);
        assert.deepEqual(rec.metadata, c.tags, `the ledger keeps ${c.name}'s tags`);
        assert.equal(rec.key, c.key);
        assert.equal(rec.route ?? null, c.route ?? null);
      }
    });
    after(async () => {
      try {
        if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0');
      } finally {
        await gw?.kill().catch(() => {});
        await mock?.close();
      }
    });

    // The rows a grouping should give: ordered by group name, calls without the attribute last.
    function expectedRows(groupOf) {
      const groups = new Map();
      for (const c of calls) {
        const g = groupOf(c) ?? null;
        const row = groups.get(g) ?? { group: g, calls: 0, attempts: 0, tokens: { ...ZERO_TOKENS }, nanos: 0n, unpriced: 0 };
        row.calls += 1;
        row.attempts += 1;
        row.tokens = addTokens(row.tokens, c.tokens);
        if (c.nanos === null) row.unpriced += 1;
        else row.nanos += c.nanos;
        groups.set(g, row);
      }
      return [...groups.values()].sort((x, y) => {
        if (x.group === null) return 1;
        if (y.group === null) return -1;
        return x.group < y.group ? -1 : x.group > y.group ? 1 : 0;
      });
    }

    const GROUPINGS = {
      'tag:user': (c) => c.tags?.user,
      'tag:feature': (c) => c.tags?.feature,
      key: (c) => c.key,
      model: (c) => `${c.provider}/${c.upstream}`,
      provider: (c) => c.provider,
      route: (c) => c.route,
      day: (c) => c.day,
    };

    // Normalises JSON spend rows (from parseMoneyJson) for comparison with expectedRows().
    function normaliseJsonRows(rows) {
      return rows.map((row) => ({
        group: row.group,
        calls: row.calls,
        attempts: row.attempts,
        tokens: pickTokens(row),
        nanos: moneyNanos(row.cost_usd, `cost_usd of ${row.group}`),
        unpriced: row.unpriced_attempts,
      }));
    }

    // CSV or table text → the same normalised rows (table: without its TOTAL line, returned apart).
    function parseDelimited(text, format) {
      const lines = text.split('\n');
      assert.equal(lines.pop(), '', 'the output ends with a newline');
      const split = format === 'csv' ? (l) => l.split(',') : (l) => l.trim().split(/\s+/);
      const header = split(lines[0]);
      const noteLines = format === 'table' ? lines.filter((l) => l.startsWith('note:')) : [];
      const body = lines.slice(1).filter((l) => !l.startsWith('note:'));
      const rows = body.map((l) => {
        const cells = split(l);
        assert.equal(cells.length, header.length, `cells of ${JSON.stringify(l)} under ${JSON.stringify(lines[0])}`);
        return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
      });
      return { header, rows, noteLines };
    }

    function normaliseTextRow(row, groupColumn, format) {
      let group = row[groupColumn];
      if (format === 'csv' && group === '') group = null;
      if (format === 'table' && group === '(none)') group = null;
      return {
        group,
        calls: Number(row.calls),
        attempts: Number(row.attempts),
        tokens: Object.fromEntries(TOKEN_CLASS_NAMES.map((n) => [n, Number(row[n])])),
        nanos: usdToNanos(row.cost_usd),
        unpriced: Number(row.unpriced_attempts),
      };
    }

    async function spendCli(args) {
      const out = await runSwitchyard(['spend', '--config', gw.configPath, ...args], { cwd: gw.dir });
      return out;
    }

    for (const [groupBy, groupOf] of Object.entries(GROUPINGS)) {
      it(`--group-by ${groupBy}: json, csv and table from the command, json and csv from GET /admin/spend, all exact`, async () => {
        const want = expectedRows(groupOf);

        const json = await spendCli(['--group-by', groupBy, '--format', 'json']);
        assert.equal(json.code, 0, json.stderr);
        const parsed = parseMoneyJson(json.stdout);
        assert.equal(parsed.group_by, groupBy);
        assert.deepEqual(normaliseJsonRows(parsed.rows), want, `switchyard spend --group-by ${groupBy} --format json:\n${json.stdout}`);

        const csv = await spendCli(['--group-by', groupBy, '--format', 'csv']);
        assert.equal(csv.code, 0, csv.stderr);
        const csvParsed = parseDelimited(csv.stdout, 'csv');
        assert.deepEqual(csvParsed.header, ['group', 'calls', 'attempts', ...TOKEN_CLASS_NAMES, 'cost_usd', 'unpriced_attempts']);
        assert.deepEqual(csvParsed.rows.map((r) => normaliseTextRow(r, 'group', 'csv')), want, `csv:\n${csv.stdout}`);

        const table = await spendCli(['--group-by', groupBy]); // table is the default format
        assert.equal(table.code, 0, table.stderr);
        const tableParsed = parseDelimited(table.stdout, 'table');
        assert.deepEqual(tableParsed.header, [groupBy, 'calls', 'attempts', ...TOKEN_CLASS_NAMES, 'cost_usd', 'unpriced_attempts']);
        const tableRows = tableParsed.rows.map((r) => normaliseTextRow(r, groupBy, 'table'));
        const total = tableRows.pop();
        assert.equal(total.group, 'TOTAL');
        assert.deepEqual(tableRows, want, `table:\n${table.stdout}`);
        assert.equal(total.calls, calls.length);
        assert.equal(total.nanos, want.reduce((n, r) => n + r.nanos, 0n));
        assert.equal(total.unpriced, 1);
        assert.equal(tableParsed.noteLines.length, 1, 'a note says that one attempt had no known price');

        const api = await adminGet(gw.baseURL, `/admin/spend?group_by=${encodeURIComponent(groupBy)}&format=json`, ADMIN_KEY);
        assert.equal(api.status, 200, api.text);
        assert.match(api.headers.get('content-type') ?? '', /application\/json/);
        assert.deepEqual(normaliseJsonRows(api.json.rows), want, `GET /admin/spend?group_by=${groupBy}:\n${api.text}`);

        const apiCsv = await adminGet(gw.baseURL, `/admin/spend?group_by=${encodeURIComponent(groupBy)}&format=csv`, ADMIN_KEY);
        assert.equal(apiCsv.status, 200, apiCsv.text);
        assert.match(apiCsv.headers.get('content-type') ?? '', /text\/csv/);
        assert.equal(apiCsv.text, csv.stdout, 'the admin API and the command give the same CSV');
      });
    }

    it('the default grouping is by model; since/until select by the call\'s time', async () => {
      const def = await spendCli(['--format', 'json']);
      assert.equal(def.code, 0, def.stderr);
      assert.deepEqual(normaliseJsonRows(parseMoneyJson(def.stdout).rows), expectedRows(GROUPINGS.model));

      const future = new Date(Date.now() + 3_600_000).toISOString();
      const past = '2020-01-01T00:00:00Z';
      const none = await spendCli(['--since', future, '--format', 'json']);
      assert.equal(none.code, 0, none.stderr);
      assert.deepEqual(parseMoneyJson(none.stdout).rows, []);
      const all = await spendCli(['--since', past, '--until', future, '--format', 'json']);
      assert.deepEqual(normaliseJsonRows(parseMoneyJson(all.stdout).rows), expectedRows(GROUPINGS.model));
      const before = await adminGet(gw.baseURL, `/admin/spend?until=${encodeURIComponent(past)}`, ADMIN_KEY);
      assert.equal(before.status, 200, before.text);
      assert.deepEqual(before.json.rows, []);
    });

    it('--report reconcile: per day, provider and model, tokens of each class and dollars', async () => {
      const groups = new Map();
      for (const c of calls) {
        const k = `${c.day}|${c.provider}|${c.upstream}`;
        const row = groups.get(k) ?? { day: c.day, provider: c.provider, model: c.upstream, attempts: 0, tokens: { ...ZERO_TOKENS }, nanos: 0n, unpriced: 0 };
        row.attempts += 1;
        row.tokens = addTokens(row.tokens, c.tokens);
        if (c.nanos === null) row.unpriced += 1;
        else row.nanos += c.nanos;
        groups.set(k, row);
      }
      const want = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
      assert.equal(want.length, 4, 'acme/gpt-4o-mini, openai/gpt-4o, openai/gpt-4o-mini, openai/o3-mini');

      const json = await spendCli(['--report', 'reconcile', '--format', 'json']);
      assert.equal(json.code, 0, json.stderr);
      const rows = parseMoneyJson(json.stdout).rows.map((r) => ({
        day: r.day,
        provider: r.provider,
        model: r.model,
        attempts: r.attempts,
        tokens: pickTokens(r),
        nanos: moneyNanos(r.cost_usd),
        unpriced: r.unpriced_attempts,
      }));
      assert.deepEqual(rows, want, json.stdout);

      const csv = await spendCli(['--report', 'reconcile', '--format', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      const csvParsed = parseDelimited(csv.stdout, 'csv');
      assert.deepEqual(csvParsed.header, ['day', 'provider', 'model', 'attempts', ...TOKEN_CLASS_NAMES, 'cost_usd', 'unpriced_attempts']);
      assert.deepEqual(
        csvParsed.rows.map((r) => ({
          day: r.day,
          provider: r.provider,
          model: r.model,
          attempts: Number(r.attempts),
          tokens: Object.fromEntries(TOKEN_CLASS_NAMES.map((n) => [n, Number(r[n])])),
          nanos: usdToNanos(r.cost_usd),
          unpriced: Number(r.unpriced_attempts),
        })),
        want,
      );

      const table = await spendCli(['--report', 'reconcile']);
      assert.equal(table.code, 0, table.stderr);
      const lines = table.stdout.trimEnd().split('\n');
      assert.deepEqual(lines[0].trim().split(/\s+/), ['day', 'provider', 'model', 'attempts', ...TOKEN_CLASS_NAMES, 'cost_usd', 'unpriced_attempts']);
      for (const [i, row] of want.entries()) {
        const cells = lines[i + 1].trim().split(/\s+/);
        assert.deepEqual(cells.slice(0, 4), [row.day, row.provider, row.model, String(row.attempts)], lines[i + 1]);
        assert.equal(usdToNanos(cells[10]), row.nanos, lines[i + 1]);
      }
      const total = lines[want.length + 1].trim().split(/\s+/);
      assert.equal(total[0], 'TOTAL');
      assert.equal(usdToNanos(total[total.length - 2]), want.reduce((n, r) => n + r.nanos, 0n));
    });

    it('the admin API refuses a missing or wrong admin key, and a gateway key, with 401 in the OpenAI shape', async () => {
      const id = calls[0].id;
      for (const target of ['/admin/spend', '/admin/spend?group_by=key&format=csv', `/admin/requests/${id}`]) {
        for (const key of [null, WRONG_KEY, GATEWAY_KEY, `${ADMIN_KEY}x`, '']) {
          const res = await adminGet(gw.baseURL, target, key);
          assert.equal(res.status, 401, `GET ${target} with ${key === null ? 'no key' : `key ${JSON.stringify(key)}`}: ${res.text}`);
          assert.match(res.headers.get('content-type') ?? '', /application\/json/);
          assertOpenAIErrorShape(JSON.parse(res.text));
          assert.ok(!res.text.includes(ADMIN_KEY), 'the answer does not reveal the admin key');
        }
      }
    });

    it('bad options: 400 in the OpenAI error shape from the API, exit 2 with one sentence from the command', async () => {
      const bad = [
        ['group_by=bogus', 'group_by', ['--group-by', 'bogus']],
        ['group_by=tag:', 'group_by', ['--group-by', 'tag:']],
        ['format=xml', 'format', ['--format', 'xml']],
        ['since=yesterday', 'since', ['--since', 'yesterday']],
        ['since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'until', ['--since', '2026-02-01T00:00:00Z', '--until', '2026-01-01T00:00:00Z']],
      ];
      for (const [query, param, args] of bad) {
        const res = await adminGet(gw.baseURL, `/admin/spend?${query}`, ADMIN_KEY);
        assert.equal(res.status, 400, `GET /admin/spend?${query}: ${res.text}`);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        const error = assertOpenAIErrorShape(JSON.parse(res.text));
        assert.equal(error.param, param, `param of ${res.text}`);

        const out = await spendCli(args);
        assert.equal(out.code, 2, `switchyard spend ${args.join(' ')}: exit 2 (${out.stderr})`);
        assert.equal(out.stdout, '');
        assert.equal(out.stderr.trim().split('\n').length, 1, `one line: ${out.stderr}`);
      }
      const both = await spendCli(['--report', 'reconcile', '--group-by', 'key']);
      assert.equal(both.code, 2, both.stderr);
      const report = await spendCli(['--report', 'bogus']);
      assert.equal(report.code, 2, report.stderr);
    });

    it('GET /admin/requests/{id} of an unknown id: 404 in the OpenAI shape', async () => {
      const res = await adminGet(gw.baseURL, '/admin/requests/req_does_not_exist_0000', ADMIN_KEY);
      assert.equal(res.status, 404, res.text);
      assertOpenAIErrorShape(JSON.parse(res.text));
    });
  });

  it('without admin_key in the config the admin API answers 401', async () => {
    const mock = await startMock();
    const gw = await startGateway({ config: { providers: { openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY } }, keys: [{ key: GATEWAY_KEY, name: 'team-a' }] } });
    try {
      for (const key of [null, GATEWAY_KEY, ADMIN_KEY]) {
        const res = await adminGet(gw.baseURL, '/admin/spend', key);
        assert.equal(res.status, 401, res.text);
        assertOpenAIErrorShape(JSON.parse(res.text));
      }
    } finally {
      assert.equal(await gw.stop(), 0);
      await mock.close();
    }
  });
});
