// Cost of Anthropic and Gemini calls through the gateway (issue 4), pass-through and translated: the
// token classes these providers count differently — Anthropic's input excludes cache reads and both
// kinds of cache writes (5-minute and 1-hour, priced apart); Gemini's prompt includes its cached
// tokens and its thinking tokens are counted beside the candidates — each priced once at the
// catalog's list price. Every figure is worked out by hand below and compared exactly (BigInt
// nano-dollars) with the x-switchyard-cost-usd header, the stream's cost comment and the ledger.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY } from '../lib/fixtures.js';
import { costNanos, ledgerRequest, moneyNanos, pricesUsd, usdToNanos } from '../lib/ledger.js';

const ADMIN_KEY = 'sy-admin-Cf6ADMINformatsKey2Xr-end7';

// ---- list prices, dollars per million tokens (data/price_catalog.json, from LiteLLM) -----------
const LIST = {
  // Anthropic claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write,
  // $15 output (anthropic.com/pricing; LiteLLM claude-sonnet-4-5: 3e-06, 3e-07, 3.75e-06, 6e-06, 1.5e-05).
  sonnet: pricesUsd({ input: '3', cached_input: '0.30', cache_write_5m: '3.75', cache_write_1h: '6', output: '15', reasoning: '15' }),
  // Gemini gemini-2.5-flash: $0.30 input, $0.03 cached, $2.50 output, thinking billed as output
  // (ai.google.dev/pricing; LiteLLM gemini-2.5-flash: 3e-07, 3e-08, 2.5e-06).
  flash: pricesUsd({ input: '0.30', cached_input: '0.03', output: '2.50', reasoning: '2.50' }),
};

// Anthropic reports 1000 uncached input, 2000 cache reads, 300 + 400 cache writes (5 min, 1 h), 500 output.
// 1000×3000 + 2000×300 + 300×3750 + 400×6000 + 500×15000
//   = 3000000 + 600000 + 1125000 + 2400000 + 7500000 = 14625000 n$
const ANTHROPIC_USAGE = {
  input_tokens: 1000,
  cache_read_input_tokens: 2000,
  cache_creation_input_tokens: 700,
  cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 400 },
  output_tokens: 500,
};
const ANTHROPIC_CLASSES = {
  input_tokens: 1000, cached_input_tokens: 2000, cache_write_tokens: 300, cache_write_1h_tokens: 400,
  output_tokens: 500, reasoning_tokens: 0,
};
const ANTHROPIC_NANOS = 14_625_000n;

// Gemini reports a 10000-token prompt of which 4000 were cached, 1500 candidate tokens and 500
// thinking tokens: input 6000, cached 4000, output 2000 of which 500 reasoning.
// 6000×300 + 4000×30 + 1500×2500 + 500×2500 = 1800000 + 120000 + 3750000 + 1250000 = 6920000 n$
const GEMINI_USAGE = {
  promptTokenCount: 10000, cachedContentTokenCount: 4000, candidatesTokenCount: 1500,
  thoughtsTokenCount: 500, totalTokenCount: 12000,
};
const GEMINI_CLASSES = {
  input_tokens: 6000, cached_input_tokens: 4000, cache_write_tokens: 0, cache_write_1h_tokens: 0,
  output_tokens: 2000, reasoning_tokens: 500,
};
const GEMINI_NANOS = 6_920_000n;

const CALLS = [
  { name: 'Anthropic client → anthropic (pass-through)', api: 'anthropic', model: 'anthropic/claude-sonnet-4-5', usage: ANTHROPIC_USAGE, classes: ANTHROPIC_CLASSES, nanos: ANTHROPIC_NANOS },
  { name: 'OpenAI client → anthropic (translated)', api: 'openai', model: 'anthropic/claude-sonnet-4-5', usage: ANTHROPIC_USAGE, classes: ANTHROPIC_CLASSES, nanos: ANTHROPIC_NANOS },
  { name: 'OpenAI client → gemini (translated)', api: 'openai', model: 'gemini/gemini-2.5-flash', usage: GEMINI_USAGE, classes: GEMINI_CLASSES, nanos: GEMINI_NANOS },
  { name: 'Anthropic client → gemini (translated)', api: 'anthropic', model: 'gemini/gemini-2.5-flash', usage: GEMINI_USAGE, classes: GEMINI_CLASSES, nanos: GEMINI_NANOS },
];

function request(api, model, stream) {
  const messages = [{ role: 'user', content: `what does ${model} cost?` }];
  if (api === 'anthropic') {
    return {
      path: '/v1/messages',
      headers: { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' },
      body: { model, max_tokens: 256, messages, ...(stream ? { stream: true } : {}) },
    };
  }
  return {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    body: { model, messages, ...(stream ? { stream: true } : {}) },
  };
}

// The cost comment of a streamed answer, and what follows it: the stream's terminator.
function costComment(text) {
  const match = /^: switchyard (\{.*\})\n\n([\s\S]*)$/m.exec(text);
  assert.ok(match, `a cost comment in ${text}`);
  const parsed = JSON.parse(match[1].replace(/"cost_usd":([0-9.eE+-]+)/, '"cost_usd":"$1"'));
  return { cost: parsed.cost_usd === null ? null : usdToNanos(parsed.cost_usd), requestId: parsed.request_id, after: match[2] };
}

describe('cost of Anthropic and Gemini calls', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock({ formats: ['anthropic', 'gemini', 'openai'] });
    gw = await startGateway({
      config: {
        admin_key: ADMIN_KEY,
        providers: {
          anthropic: { base_url: mock.origin, api_key: PROVIDER_KEY },
          gemini: { base_url: `${mock.origin}/v1beta`, api_key: PROVIDER_KEY },
        },
        keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
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

  it('the hand-computed figures agree with an independent computation', () => {
    assert.equal(costNanos(ANTHROPIC_CLASSES, LIST.sonnet), ANTHROPIC_NANOS);
    assert.equal(costNanos(GEMINI_CLASSES, LIST.flash), GEMINI_NANOS);
  });

  for (const call of CALLS) {
    for (const stream of [false, true]) {
      it(`${call.name}${stream ? ', streamed' : ''}: priced exactly`, async () => {
        mock.enqueue({ reply: { usage: call.usage } });
        const { path, headers, body } = request(call.api, call.model, stream);
        const res = await fetch(`${gw.baseURL}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        assert.equal(res.status, 200, text);
        const id = res.headers.get('x-switchyard-request-id');
        if (stream) {
          const comment = costComment(text);
          assert.equal(comment.requestId, id);
          assert.equal(comment.cost, call.nanos, `stream comment: ${text}`);
          const terminator = call.api === 'anthropic' ? /^event: message_stop\n/ : /^data: \[DONE\]\n/;
          assert.match(comment.after, terminator, 'the comment comes just before the terminator');
        } else {
          assert.equal(usdToNanos(res.headers.get('x-switchyard-cost-usd')), call.nanos);
        }
        const rec = await ledgerRequest(gw.baseURL, ADMIN_KEY, id);
        assert.equal(rec.inbound, call.api);
        assert.equal(moneyNanos(rec.cost_usd), call.nanos);
        assert.equal(rec.attempts.length, 1);
        const [attempt] = rec.attempts;
        assert.equal(attempt.estimated, false);
        for (const [name, count] of Object.entries(call.classes)) {
          assert.equal(attempt[name], count, `${name} in ${JSON.stringify(attempt)}`);
        }
      });
    }
  }
});
