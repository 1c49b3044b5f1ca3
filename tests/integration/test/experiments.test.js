// A/B experiments end to end (issue 17; CONTRACT.md "Route shapes" `ab`, GET /admin/experiments):
// the split and its stickiness (per metadata user, else per gateway key); judging that never
// delays the client (the mock holds the shadow's answer until the client has its whole answer,
// plain and streamed); both orders judged, a disagreement a tie (a judge with position bias);
// invalid verdicts asked once more, then recorded and never counted; failed shadow and judge
// exchanges; the daily spend cap stopping judging, not serving (also across a restart); the
// results equal to a hand computation on a scripted set of outcomes; the verdict and the promotion
// (shares shifted, the decision stored with its evidence); results surviving a restart; pause,
// resume and stop; a new epoch on a change of shares, the old one still readable; streamed,
// tool-call and Anthropic-client answers judged on what the client got; score mode; the CLI.
//
// The mock (one OpenAI-format provider `mock`) answers every model from the request alone:
// model-a says "Plain answer to Q.", model-b "Sharp answer to Q!" (tool calls: model-b adds
// "units":"metric" to the arguments), and each judge model (judge-*) answers by a rule of its own
// (JUDGES below), reading the two answers out of the question the gateway asks it. Every test has
// an ab route of its own, so its experiment's counts are its own; the mock's requests are told
// apart by the client's question, which is unique per call.
// Nothing waits on the clock to decide an outcome: every wait polls the admin API, the ledger or
// the mock's records until a condition holds, with a generous bound that only turns a hang into a
// failure. "Nothing was judged" is checked after a later call of the same gateway has been judged
// in full (a sentinel): a judgement is decided when the call's answer is written, so one that
// should not have started would have reached the mock long before the sentinel's three exchanges.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startMock, MOCK_USAGE } from '../lib/mock-provider.js';
import { createOpenAIFormat, lastUserText, chosenTool } from '../lib/mock/openai.js';
import { startGateway, runSwitchyard, makeTempDir, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY, WEATHER_TOOL } from '../lib/fixtures.js';
import { adminGet, pollUntil, costNanos, moneyNanos, openaiUsage, pricesUsd, tokenClasses } from '../lib/ledger.js';
import { withTimeout, deferred, parseSse } from '../lib/util.js';

const ADMIN_KEY = 'sy-admin-Xp4EXPERIMENTadminKeyRt6-end9';
// Gateway keys for "without metadata, one variant per key".
const STICKY_KEYS = Array.from({ length: 6 }, (_, i) => ({ key: `sy-exp-k${i}-Wq8STICKYkeyNumber${i}Lm-end`, name: `sticky-${i}` }));

const A_MODEL = 'model-a';
const B_MODEL = 'model-b';
const JUDGE_MODELS = ['judge-first', 'judge-b', 'judge-garbage', 'judge-flaky', 'judge-script', 'judge-80', 'judge-score'];

// ---- what the variants answer ------------------------------------------------------------------

const aText = (q) => `Plain answer to ${q}.`;
const bText = (q) => `Sharp answer to ${q}!`;
const A_TOOL_ARGS = '{"city":"Paris"}';
const B_TOOL_ARGS = '{"city":"Paris","units":"metric"}';
const isB = (answer) => answer.startsWith('Sharp answer') || answer.includes('"units":"metric"');
const isA = (answer) => answer.startsWith('Plain answer') || (answer.includes('get_weather(') && !answer.includes('units'));

// ---- prices (USD per million tokens) and what each exchange costs --------------------------------

const A_PRICES = { input: '1', cached_input: '0.5', output: '4' };
const B_PRICES = { input: '0.5', cached_input: '0.25', output: '2' };
const JUDGE_PRICES = { input: '2', output: '10' };
const VARIANT_TOKENS = tokenClasses({
  prompt: MOCK_USAGE.prompt_tokens,
  cached: MOCK_USAGE.prompt_tokens_details.cached_tokens,
  completion: MOCK_USAGE.completion_tokens,
  reasoning: MOCK_USAGE.completion_tokens_details.reasoning_tokens,
});
// 8×1000 + 3×500 + 5×4000 + 2×4000 (reasoning at the output price) = 37 500 n$
const A_NANOS = costNanos(VARIANT_TOKENS, pricesUsd({ ...A_PRICES, reasoning: A_PRICES.output }));
// half of it: 18 750 n$
const B_NANOS = costNanos(VARIANT_TOKENS, pricesUsd({ ...B_PRICES, reasoning: B_PRICES.output }));
const JUDGE_USAGE_COUNTS = { prompt: 100, completion: 10 };
// 100×2000 + 10×10000 = 300 000 n$
const JUDGE_NANOS = costNanos(tokenClasses(JUDGE_USAGE_COUNTS), pricesUsd({ ...JUDGE_PRICES, reasoning: JUDGE_PRICES.output }));
const NANOS = { a: A_NANOS, b: B_NANOS };

// ---- the judge's question, as the mock gets it --------------------------------------------------

const textOf = (message) => (typeof message?.content === 'string'
  ? message.content
  : (message?.content ?? []).filter((p) => p.type === 'text').map((p) => p.text).join(''));

const PAIRWISE_RE = /^<request>\n([\s\S]*)\n<\/request>\n\nAnswer 1:\n<answer>\n([\s\S]*)\n<\/answer>\n\nAnswer 2:\n<answer>\n([\s\S]*)\n<\/answer>$/;
const SCORE_RE = /^<request>\n([\s\S]*)\n<\/request>\n\nAnswer:\n<answer>\n([\s\S]*)\n<\/answer>$/;

const isJudgeRec = (rec) => typeof rec.body?.model === 'string' && rec.body.model.startsWith('judge-');
const isVariantRec = (rec) => rec.body?.model === A_MODEL || rec.body?.model === B_MODEL;

// { system, user, request, answer1, answer2 } (pairwise) or { ..., answer } (score); the parts are
// null when the user message has neither shape.
function judgeQuestion(rec) {
  const messages = rec.body?.messages ?? [];
  const system = textOf(messages[0]);
  const user = textOf(messages[1]);
  const pair = PAIRWISE_RE.exec(user);
  const score = SCORE_RE.exec(user);
  return {
    system,
    user,
    roles: messages.map((m) => m.role),
    request: pair?.[1] ?? score?.[1] ?? null,
    answer1: pair?.[2] ?? null,
    answer2: pair?.[3] ?? null,
    answer: score?.[2] ?? null,
  };
}

// The client's question a mock request is about: a variant's last user text, or the one inside a
// judge's <request> fence.
function questionOf(rec) {
  if (isVariantRec(rec)) return lastUserText(rec.body.messages);
  if (isJudgeRec(rec)) {
    const m = /(?:^|\n)user: ([^\n]*)/.exec(judgeQuestion(rec).request ?? '');
    return m ? m[1] : null;
  }
  return null;
}
const requestsAbout = (mock, q) => mock.requests.filter((rec) => questionOf(rec) === q);

const verdict = (winner, reason = 'because') => JSON.stringify({ winner, reason });
const GARBAGE = 'Both answers look fine to me, honestly.';
// The winner's position ("1" or "2") of the answer `pick` chooses, "tie" when it picks neither.
function position(j, pick) {
  if (pick(j.answer1)) return '1';
  if (pick(j.answer2)) return '2';
  return 'tie';
}

// Per (question, order) seen by judge-flaky: its first answer is garbage, its retry a verdict.
const flakySeen = new Map();

// Each judge model's rule: (parsed question, rec) → its answer text.
const JUDGES = {
  // Position bias: always the first answer, whatever it is.
  'judge-first': () => verdict('1', 'the first one reads better'),
  // Prefers model-b's answer, in either position.
  'judge-b': (j) => verdict(position(j, isB)),
  'judge-garbage': () => GARBAGE,
  'judge-flaky': (j) => {
    const seen = flakySeen.get(j.user) ?? 0;
    flakySeen.set(j.user, seen + 1);
    return seen === 0 ? GARBAGE : verdict(position(j, isB));
  },
  // The question says what to answer: expect=b (B in both orders), a, tie, split (always the
  // second answer: the orders disagree) or invalid (garbage).
  'judge-script': (j) => {
    const expect = /expect=(\w+)/.exec(j.request ?? '')?.[1];
    if (expect === 'b') return verdict(position(j, isB));
    if (expect === 'a') return verdict(position(j, isA));
    if (expect === 'tie') return verdict('tie');
    if (expect === 'split') return verdict('2');
    return GARBAGE;
  },
  // Prefers B on four questions in five (#0..#3 of each five), A on the fifth, in both orders.
  'judge-80': (j) => {
    const n = Number(/#(\d+)/.exec(j.request ?? '')?.[1] ?? 0);
    return verdict(position(j, n % 5 === 4 ? isA : isB));
  },
  // Score mode: B's answers 8 or 9, A's 5 or 6 (by the parity of the question's number).
  'judge-score': (j) => {
    const n = Number(/#(\d+)/.exec(j.request ?? '')?.[1] ?? 0);
    const answer = j.answer ?? '';
    return JSON.stringify({ score: (isB(answer) ? 8 : 5) + (n % 2), reason: 'scored' });
  },
};

// The mock's OpenAI format, answering each model as above. A queued behaviour's own `reply`
// fields still win (none of the tests below needs that), and its holdUntil/delay apply as ever.
function experimentFormat() {
  const base = createOpenAIFormat({ apiKey: PROVIDER_KEY, models: [A_MODEL, B_MODEL, ...JUDGE_MODELS] });
  function replyFor(rec) {
    const { body } = rec;
    if (rec.method !== 'POST' || rec.path !== '/v1/chat/completions' || !body || typeof body !== 'object') return null;
    if (body.model === A_MODEL || body.model === B_MODEL) {
      const b = body.model === B_MODEL;
      const tool = chosenTool(body);
      if (tool) return { toolCalls: [{ name: tool.function.name, arguments: b ? B_TOOL_ARGS : A_TOOL_ARGS }] };
      const q = lastUserText(body.messages);
      return { content: b ? bText(q) : aText(q) };
    }
    const judge = JUDGES[body.model];
    if (!judge) return null;
    return { content: judge(judgeQuestion(rec), rec), usage: openaiUsage(JUDGE_USAGE_COUNTS) };
  }
  return {
    ...base,
    route(rec) {
      const handler = base.route(rec);
      const reply = handler ? replyFor(rec) : null;
      if (!reply) return handler;
      return (ctx) => handler({ ...ctx, behaviour: { ...ctx.behaviour, reply: { ...reply, ...(ctx.behaviour.reply ?? {}) } } });
    },
  };
}

// ---- config --------------------------------------------------------------------------------------

const VARIANTS = [
  { name: 'a', target: `mock/${A_MODEL}`, share: 50 },
  { name: 'b', target: `mock/${B_MODEL}`, share: 50 },
];

// An ab route: a/b 50/50, sticky per metadata user; judged by `judge` (none: not judged) on every
// call unless `judge` says otherwise.
function abRoute({ judge, promote } = {}) {
  const route = { strategy: 'ab', variants: structuredClone(VARIANTS), sticky: 'user' };
  if (judge) {
    const { model, ...rest } = judge;
    route.judge = { model: `mock/${model}`, sample: 1, max_tokens: 64, timeout_ms: 10_000, ...rest };
  }
  if (promote) route.promote = { ...promote };
  return route;
}

function gatewayConfig(mock, ledgerPath, routes) {
  const prices = {
    [`mock/${A_MODEL}`]: A_PRICES,
    [`mock/${B_MODEL}`]: B_PRICES,
  };
  for (const judge of JUDGE_MODELS) prices[`mock/${judge}`] = { ...JUDGE_PRICES };
  return {
    threads: 2,
    admin_key: ADMIN_KEY,
    keys: [{ key: GATEWAY_KEY, name: 'team-a' }, ...STICKY_KEYS],
    providers: {
      mock: { kind: 'openai', base_url: mock.baseURL, api_key: PROVIDER_KEY, models: [A_MODEL, B_MODEL, ...JUDGE_MODELS] },
    },
    prices,
    ledger: { backend: 'sqlite', path: ledgerPath },
    experiments: { refresh_ms: 200 },
    routes,
  };
}

const MAIN_ROUTES = {
  split: abRoute(),
  held: abRoute({ judge: { model: 'judge-b' } }),
  bias: abRoute({ judge: { model: 'judge-first' } }),
  prefer: abRoute({ judge: { model: 'judge-b' } }),
  garbage: abRoute({ judge: { model: 'judge-garbage' } }),
  flaky: abRoute({ judge: { model: 'judge-flaky' } }),
  failing: abRoute({ judge: { model: 'judge-b' } }),
  capped: abRoute({ judge: { model: 'judge-b', max_usd: '0.0001' } }),
  sentinel: abRoute({ judge: { model: 'judge-b' } }),
  stats: abRoute({ judge: { model: 'judge-script' } }),
  promo: abRoute({ judge: { model: 'judge-80' }, promote: { enabled: true, to: 'winner', keep_sample: 0.25 } }),
  streams: abRoute({ judge: { model: 'judge-b' } }),
  messages: abRoute({ judge: { model: 'judge-b' } }),
  scored: abRoute({ judge: { model: 'judge-score', mode: 'score', rubric: 'Be sharp.' } }),
};

// ---- helpers -------------------------------------------------------------------------------------

// One chat call through the gateway: { status, variant ('a' | 'b' from x-switchyard-model),
// model, requestId, text, json, content (a stream's text), events (a stream's SSE events) }.
async function call(gw, route, q, { user, key = GATEWAY_KEY, metadata, stream = false, tools } = {}) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const meta = metadata ?? (user !== undefined ? { user } : undefined);
  if (meta) headers['x-switchyard-metadata'] = JSON.stringify(meta);
  const body = { model: route, messages: [{ role: 'user', content: q }] };
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  if (tools) body.tools = tools;
  const res = await withTimeout(
    fetch(`${gw.baseURL}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) }),
    15_000,
    `the head of the answer to ${q}`,
  );
  const text = await withTimeout(res.text(), 15_000, `the whole answer to ${q}`);
  const model = res.headers.get('x-switchyard-model') ?? '';
  const out = {
    status: res.status,
    model,
    variant: model.endsWith(A_MODEL) ? 'a' : model.endsWith(B_MODEL) ? 'b' : null,
    requestId: res.headers.get('x-switchyard-request-id'),
    text,
    json: null,
    content: null,
    events: null,
  };
  if (stream) {
    out.events = parseSse(text).filter((e) => e.data !== null);
    out.content = out.events
      .filter((e) => e.data !== '[DONE]')
      .map((e) => JSON.parse(e.data).choices?.[0]?.delta?.content ?? '')
      .join('');
  } else {
    try {
      out.json = JSON.parse(text);
    } catch {
      out.json = null;
    }
  }
  assert.equal(out.status, 200, `${route} "${q}": ${out.status} ${text.slice(0, 400)}`);
  assert.ok(out.variant, `x-switchyard-model names a variant's model: ${model}`);
  return out;
}

const servedText = (variant, q) => (variant === 'a' ? aText(q) : bText(q));

async function report(gw, route, query = '') {
  const r = await adminGet(gw.baseURL, `/admin/experiments/${route}${query}`, ADMIN_KEY);
  assert.equal(r.status, 200, `GET /admin/experiments/${route}${query}: ${r.status} ${r.text}`);
  return r.json;
}

async function waitReport(gw, route, predicate, what, { timeoutMs = 10_000 } = {}) {
  let last = null;
  return pollUntil(
    async () => {
      last = await report(gw, route);
      return predicate(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 25, what: `${route}: ${what}`, describe: () => JSON.stringify(last) },
  );
}

// Pairwise judgements recorded so far, valid or not.
const recorded = (rep) => rep.pairs[0].judged + rep.pairs[0].invalid;
const waitRecorded = (gw, route, n) => waitReport(gw, route, (rep) => recorded(rep) >= n, `${n} pairwise judgement(s) recorded`);

async function post(gw, pathname) {
  const res = await withTimeout(
    fetch(`${gw.baseURL}${pathname}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
    10_000,
    `POST ${pathname}`,
  );
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

// The ledger's row of a call once it has at least `attempts` attempts (late ones included).
async function ledgerRow(gw, requestId, attempts = 1) {
  assert.ok(requestId, 'the answer names its request id');
  let last = null;
  return pollUntil(
    async () => {
      last = await adminGet(gw.baseURL, `/admin/requests/${encodeURIComponent(requestId)}`, ADMIN_KEY);
      return last.status === 200 && last.json.attempts.length >= attempts ? last.json : undefined;
    },
    { what: `${attempts} attempt(s) of ${requestId} in the ledger`, describe: () => `${last?.status} ${last?.text}` },
  );
}

const kinds = (row) => [...row.attempts].sort((x, y) => x.n - y.n).map((a) => a.kind);
const variantOf = (rep, name) => rep.variants.find((v) => v.name === name);
const other = (variant) => (variant === 'a' ? 'b' : 'a');
const modelOfVariant = (variant) => (variant === 'a' ? A_MODEL : B_MODEL);

// The judged row: the call's own attempt, the shadow at the other variant and `judges` judge
// attempts, numbered on from the call's; each priced; the call's cost is their sum.
function assertJudgedRow(row, served, { judges, epoch, shadow = true }) {
  const where = JSON.stringify(row.attempts);
  const sorted = [...row.attempts].sort((x, y) => x.n - y.n);
  assert.deepEqual(sorted.map((a) => a.n), sorted.map((_, i) => i + 1), `attempts numbered 1..N: ${where}`);
  const expectedKinds = ['primary', ...(shadow ? ['shadow'] : []), ...Array(judges).fill('judge')];
  assert.deepEqual(sorted.map((a) => a.kind), expectedKinds, where);
  assert.equal(row.variant, served, "the call row's variant");
  if (epoch) assert.equal(row.epoch, epoch, "the call row's epoch");
  assert.equal(sorted[0].model, modelOfVariant(served), where);
  assert.equal(moneyNanos(sorted[0].cost_usd), NANOS[served], `the served attempt's cost: ${where}`);
  let total = NANOS[served];
  if (shadow) {
    assert.equal(sorted[1].model, modelOfVariant(other(served)), `the shadow goes to the other variant: ${where}`);
    assert.equal(sorted[1].provider, 'mock');
    assert.equal(moneyNanos(sorted[1].cost_usd), NANOS[other(served)], `the shadow's cost: ${where}`);
    total += NANOS[other(served)];
  }
  for (const judge of sorted.filter((a) => a.kind === 'judge')) {
    assert.ok(judge.model.startsWith('judge-'), where);
    assert.equal(moneyNanos(judge.cost_usd), JUDGE_NANOS, `a judge attempt's cost: ${where}`);
    total += JUDGE_NANOS;
  }
  assert.equal(moneyNanos(row.cost_usd), total, `the call's cost includes its shadow and judge attempts: ${where}`);
}

// Wilson's 95% interval, as the report rounds it (4 decimals).
function wilson(successes, trials) {
  const z = 1.959963984540054;
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const round = (x) => Math.round(x * 1e4) / 1e4;
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}
const round4 = (x) => Math.round(x * 1e4) / 1e4;

// ---- the tests -------------------------------------------------------------------------------------

describe('experiments (ab routes)', { skip: gatewaySkip, timeout: 180_000 }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock({ formats: [experimentFormat()] });
    const dir = makeTempDir('switchyard-exp-');
    gw = await startGateway({ config: gatewayConfig(mock, path.join(dir, 'ledger.db'), MAIN_ROUTES) });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, `the gateway exits 0 on SIGTERM; stderr:\n${gw.stderr()}`);
    } finally {
      await mock?.close();
    }
  });

  describe('split and stickiness', () => {
    it('many users: both variants served, near the 50/50 shares; one user always gets one variant; the row records variant and epoch', async () => {
      const rep0 = await report(gw, 'split');
      assert.equal(rep0.route, 'split');
      assert.equal(rep0.status, 'running');
      assert.deepEqual(rep0.shares, { a: 50, b: 50 });
      assert.equal(rep0.judge, null, 'a route without judge: judges none');
      assert.match(rep0.epoch, /^e[0-9a-f]{12}$/);

      const first = new Map();
      const counts = { a: 0, b: 0 };
      const USERS = 80;
      for (let i = 0; i < USERS; i += 1) {
        const user = `user-${i}`;
        const res = await call(gw, 'split', `split question ${i}`, { user });
        assert.equal(res.json.choices[0].message.content, servedText(res.variant, `split question ${i}`), 'the answer is the served model\'s');
        first.set(user, res);
        counts[res.variant] += 1;
      }
      // The assignment is a hash of the user: with 80 users at 50/50 each side gets 40 ± 4.5 (1 sd).
      assert.ok(counts.a >= 24 && counts.b >= 24, `both variants get roughly their share of 80 users: ${JSON.stringify(counts)}`);

      // The same user, again: the same variant, every time.
      for (let i = 0; i < 12; i += 1) {
        const user = `user-${i}`;
        for (let k = 0; k < 2; k += 1) {
          const res = await call(gw, 'split', `again ${i}.${k}`, { user });
          assert.equal(res.variant, first.get(user).variant, `${user} keeps variant ${first.get(user).variant}`);
          counts[res.variant] += 1;
        }
      }

      const row = await ledgerRow(gw, first.get('user-0').requestId);
      assert.equal(row.variant, first.get('user-0').variant);
      assert.equal(row.epoch, rep0.epoch);
      assert.deepEqual(kinds(row), ['primary'], 'no judge: no late attempts');

      const rep = await waitReport(gw, 'split', (r) => variantOf(r, 'a').calls + variantOf(r, 'b').calls >= USERS + 24, 'every call counted');
      assert.equal(variantOf(rep, 'a').calls, counts.a);
      assert.equal(variantOf(rep, 'b').calls, counts.b);
      assert.equal(variantOf(rep, 'a').judged, 0);
      assert.equal(variantOf(rep, 'b').judged, 0);
    });

    it('without x-switchyard-metadata (or without its user), each gateway key sticks to one variant', async () => {
      const seen = {};
      for (const { key, name } of STICKY_KEYS) {
        const plain = await call(gw, 'split', `key question ${name}`, { key });
        const again = await call(gw, 'split', `key question ${name} again`, { key });
        const otherMeta = await call(gw, 'split', `key question ${name} team`, { key, metadata: { team: 'x' } });
        assert.equal(again.variant, plain.variant, `${name}: same variant on its next call`);
        assert.equal(otherMeta.variant, plain.variant, `${name}: metadata without "user" still sticks per key`);
        seen[name] = plain.variant;
      }
      // Six keys at 50/50: not all on one side (a fixed hash, so this holds or fails every time).
      assert.ok(Object.values(seen).includes('a') && Object.values(seen).includes('b'), `keys spread over both variants: ${JSON.stringify(seen)}`);
    });
  });

  describe('judging off the client path', () => {
    it('the shadow is held at the mock until the client has its whole answer; the judgement comes after', async () => {
      const q = 'held question #1';
      const release = deferred();
      const events = [];
      const onRequest = (rec) => {
        if (questionOf(rec) === q) events.push(`${isJudgeRec(rec) ? 'judge' : 'variant'} request ${rec.body.model}`);
      };
      mock.on('request', onRequest);
      try {
        // The second variant request about q is the shadow (the first is the served call).
        mock.enqueue({
          label: 'held shadow',
          match: (rec) => isVariantRec(rec) && questionOf(rec) === q && mock.requests.some((r) => isVariantRec(r) && questionOf(r) === q),
          holdUntil: release.promise,
        });
        const res = await call(gw, 'held', q, { user: 'holder' });
        events.push('client has its answer');
        assert.equal(res.json.choices[0].message.content, servedText(res.variant, q));

        const shadow = await pollUntil(() => mock.requests.find((r) => r.label === 'held shadow'), { what: 'the shadow request at the mock' });
        assert.equal(shadow.body.model, modelOfVariant(other(res.variant)), 'the shadow asks the other variant');
        assert.notEqual(shadow.body.stream, true, 'the shadow is not streamed');
        assert.deepEqual(shadow.body.messages, requestsAbout(mock, q)[0].body.messages, 'the shadow is the same request');
        // While the shadow is held nothing can be judged: no judge call, nothing recorded.
        assert.equal(requestsAbout(mock, q).filter(isJudgeRec).length, 0, 'no judge call before the shadow answered');
        const before = await report(gw, 'held');
        assert.equal(recorded(before), 0, 'no judgement yet');
        const early = await ledgerRow(gw, res.requestId);
        assert.deepEqual(kinds(early), ['primary'], "the call's row has only its own attempt so far");

        events.push('shadow released');
        release.resolve();
        const rep = await waitRecorded(gw, 'held', 1);
        events.push('judgement recorded');
        assert.equal(rep.pairs[0].b_wins, 1, 'judge-b prefers b');
        const row = await ledgerRow(gw, res.requestId, 4);
        assertJudgedRow(row, res.variant, { judges: 2, epoch: rep.epoch });
      } finally {
        release.resolve();
        mock.off('request', onRequest);
      }
      // The served request came first; the client had its answer before the shadow was let go; both
      // judge calls came after that, and the judgement was recorded last.
      const at = (e) => events.indexOf(e);
      assert.equal(events[0].startsWith('variant request'), true, events.join(' | '));
      assert.ok(at('client has its answer') < at('shadow released'), events.join(' | '));
      const judges = events.map((e, i) => [e, i]).filter(([e]) => e.startsWith('judge request'));
      assert.equal(judges.length, 2, events.join(' | '));
      for (const [, i] of judges) assert.ok(i > at('shadow released') && i < at('judgement recorded'), events.join(' | '));
    });
  });

  describe('both orders', () => {
    it('a judge that always answers "1" (position bias): every outcome is a tie; it saw A first, then B first, anonymised', async () => {
      const served = [];
      for (let i = 0; i < 6; i += 1) {
        const q = `bias question #${i}`;
        served.push({ q, ...(await call(gw, 'bias', q, { user: `bias-user-${i}` })) });
      }
      const rep = await waitRecorded(gw, 'bias', served.length);
      assert.deepEqual(
        (({ a, b, judged, invalid, b_wins, a_wins, ties, b_win_rate }) => ({ a, b, judged, invalid, b_wins, a_wins, ties, b_win_rate }))(rep.pairs[0]),
        { a: 'a', b: 'b', judged: 6, invalid: 0, b_wins: 0, a_wins: 0, ties: 6, b_win_rate: 0.5 },
      );
      for (const name of ['a', 'b']) {
        const v = variantOf(rep, name);
        assert.deepEqual([v.judged, v.wins, v.losses, v.ties, v.win_rate], [6, 0, 0, 6, 0.5], `${name}: ${JSON.stringify(v)}`);
      }
      for (const { q, variant, requestId } of served) {
        const judges = requestsAbout(mock, q).filter(isJudgeRec);
        assert.equal(judges.length, 2, `two judge calls for ${q}`);
        const [first, second] = judges.map(judgeQuestion);
        assert.equal(first.answer1, aText(q), `${q}: the first order shows A as Answer 1 (served ${variant}): ${first.user}`);
        assert.equal(first.answer2, bText(q));
        assert.equal(second.answer1, bText(q), `${q}: the second order shows B as Answer 1: ${second.user}`);
        assert.equal(second.answer2, aText(q));
        for (const j of [first, second]) {
          assert.deepEqual(j.roles, ['system', 'user']);
          assert.equal(j.request, `user: ${q}\n`, 'the request, fenced');
          assert.match(j.system, /"winner"/, 'the system prompt asks for {"winner": ...}');
          assert.match(j.system, /"1" \| "2" \| "tie"/);
        }
        for (const rec of judges) {
          assert.equal(rec.body.model, 'judge-first');
          assert.equal(rec.body.temperature, 0);
          assert.equal(rec.body.max_completion_tokens ?? rec.body.max_tokens, 64, 'judge.max_tokens');
          assert.notEqual(rec.body.stream, true);
          for (const name of [A_MODEL, B_MODEL, 'mock/']) assert.ok(!rec.rawBody.includes(name), `the judge is not told model names (${name}): ${rec.rawBody}`);
        }
        assertJudgedRow(await ledgerRow(gw, requestId, 4), variant, { judges: 2, epoch: rep.epoch });
      }
      assert.ok(served.some((s) => s.variant === 'a') && served.some((s) => s.variant === 'b'), `both variants served: ${served.map((s) => s.variant)}`);
    });

    it("a judge that prefers model-b's answer in either position: b wins every comparison", async () => {
      for (let i = 0; i < 5; i += 1) await call(gw, 'prefer', `prefer question #${i}`, { user: `prefer-user-${i}` });
      const rep = await waitRecorded(gw, 'prefer', 5);
      const pair = rep.pairs[0];
      assert.deepEqual([pair.judged, pair.b_wins, pair.a_wins, pair.ties, pair.invalid, pair.b_win_rate], [5, 5, 0, 0, 0, 1], JSON.stringify(pair));
      const a = variantOf(rep, 'a');
      const b = variantOf(rep, 'b');
      assert.deepEqual([b.wins, b.losses, b.ties, b.win_rate], [5, 0, 0, 1], JSON.stringify(b));
      assert.deepEqual([a.wins, a.losses, a.ties, a.win_rate], [0, 5, 0, 0], JSON.stringify(a));
      // Both orders asked, each answered for model-b's answer: "2" with A first, "1" with B first.
      for (let i = 0; i < 5; i += 1) {
        const judges = requestsAbout(mock, `prefer question #${i}`).filter(isJudgeRec).map(judgeQuestion);
        assert.deepEqual(judges.map((j) => [isA(j.answer1), isB(j.answer2)]), [[true, true], [false, false]]);
      }
    });
  });

  describe('invalid verdicts', () => {
    it('garbage twice in the first order: 2 judge calls, the second order not asked, recorded invalid, counted in no win, loss or tie', async () => {
      const served = [];
      for (let i = 0; i < 3; i += 1) {
        const q = `garbage question #${i}`;
        served.push({ q, ...(await call(gw, 'garbage', q, { user: `garbage-user-${i}` })) });
      }
      const rep = await waitRecorded(gw, 'garbage', 3);
      const pair = rep.pairs[0];
      assert.deepEqual([pair.invalid, pair.judged, pair.b_wins, pair.a_wins, pair.ties, pair.b_win_rate], [3, 0, 0, 0, 0, null], JSON.stringify(pair));
      for (const name of ['a', 'b']) {
        const v = variantOf(rep, name);
        assert.deepEqual([v.judged, v.wins, v.losses, v.ties, v.win_rate, v.win_rate_ci], [0, 0, 0, 0, null, null], JSON.stringify(v));
      }
      for (const { q, variant, requestId } of served) {
        const judges = requestsAbout(mock, q).filter(isJudgeRec);
        // Asked twice (the retry is the same question again); without the first order's verdict
        // the outcome can only be invalid, so the other order is not asked nor paid for.
        assert.equal(judges.length, 2, `${q}: asked twice, in the first order only`);
        assert.equal(judges[1].rawBody, judges[0].rawBody);
        assert.equal(judgeQuestion(judges[0]).answer1, aText(q));
        assertJudgedRow(await ledgerRow(gw, requestId, 4), variant, { judges: 2, epoch: rep.epoch });
      }
    });

    it('garbage once, then a verdict: the retry counts (b wins), 4 judge calls in all', async () => {
      const served = [];
      for (let i = 0; i < 2; i += 1) {
        const q = `flaky question #${i}`;
        served.push({ q, ...(await call(gw, 'flaky', q, { user: `flaky-user-${i}` })) });
      }
      const rep = await waitRecorded(gw, 'flaky', 2);
      assert.deepEqual([rep.pairs[0].judged, rep.pairs[0].b_wins, rep.pairs[0].invalid], [2, 2, 0], JSON.stringify(rep.pairs[0]));
      for (const { q, variant, requestId } of served) {
        assert.equal(requestsAbout(mock, q).filter(isJudgeRec).length, 4);
        assertJudgedRow(await ledgerRow(gw, requestId, 6), variant, { judges: 4, epoch: rep.epoch });
      }
    });
  });

  describe('failed exchanges', () => {
    it('a shadow or a judge that fails: the judgement is recorded failed (invalid in the results), its attempts kept', async () => {
      const second = (q) => (rec) => isVariantRec(rec) && questionOf(rec) === q && mock.requests.some((r) => isVariantRec(r) && questionOf(r) === q);
      // The shadow of the first call answers 500; the first judge call of the second answers 503.
      mock.enqueue(
        { label: 'failed shadow', match: second('failing question #0'), status: 500 },
        { label: 'failed judge', match: (rec) => isJudgeRec(rec) && questionOf(rec) === 'failing question #1', status: 503 },
      );
      const shadowFails = await call(gw, 'failing', 'failing question #0', { user: 'failing-user-0' });
      const judgeFails = await call(gw, 'failing', 'failing question #1', { user: 'failing-user-1' });
      const rep = await waitRecorded(gw, 'failing', 2);
      const pair = rep.pairs[0];
      assert.deepEqual([pair.invalid, pair.judged, pair.b_wins, pair.a_wins, pair.ties], [2, 0, 0, 0, 0], `failed judgements are no evidence: ${JSON.stringify(pair)}`);

      const row0 = await ledgerRow(gw, shadowFails.requestId, 2);
      assert.deepEqual(kinds(row0), ['primary', 'shadow'], `no judge without the shadow's answer: ${JSON.stringify(row0.attempts)}`);
      const shadow = row0.attempts.find((a) => a.kind === 'shadow');
      assert.equal(shadow.status, 500, JSON.stringify(shadow));
      assert.equal(shadow.model, modelOfVariant(other(shadowFails.variant)));
      assert.deepEqual(requestsAbout(mock, 'failing question #0').filter(isJudgeRec), [], 'the judge was not asked');

      const row1 = await ledgerRow(gw, judgeFails.requestId, 3);
      assert.deepEqual(kinds(row1), ['primary', 'shadow', 'judge'], `a judge that fails is not asked the other order: ${JSON.stringify(row1.attempts)}`);
      assert.equal(row1.attempts.find((a) => a.kind === 'judge').status, 503);
      assert.equal(requestsAbout(mock, 'failing question #1').filter(isJudgeRec).length, 1);
      // Both calls were served as usual.
      for (const [res, q] of [[shadowFails, 'failing question #0'], [judgeFails, 'failing question #1']]) {
        assert.equal(res.json.choices[0].message.content, servedText(res.variant, q));
      }
    });
  });

  describe('the spend cap', () => {
    it('judge.max_usd: after the first judgement no more shadow or judge calls; serving goes on', async () => {
      const first = await call(gw, 'capped', 'capped question #0', { user: 'capped-user-0' });
      const rep1 = await waitRecorded(gw, 'capped', 1);
      assert.equal(rep1.judge.max_usd, 0.0001);
      // One judgement costs a shadow and two judge calls, well over $0.0001.
      assertJudgedRow(await ledgerRow(gw, first.requestId, 4), first.variant, { judges: 2, epoch: rep1.epoch });

      const later = [];
      for (let i = 1; i <= 5; i += 1) {
        const q = `capped question #${i}`;
        const res = await call(gw, 'capped', q, { user: `capped-user-${i}` });
        assert.equal(res.json.choices[0].message.content, servedText(res.variant, q), 'still served');
        later.push({ q, ...res });
      }
      // A sentinel: a call of another experiment, judged. Each capped call's judging would have been
      // started when its answer was written, before the sentinel was even sent.
      const sentinel = await call(gw, 'sentinel', 'sentinel question #0', { user: 'sentinel-user' });
      await ledgerRow(gw, sentinel.requestId, 4);

      const rep = await waitReport(gw, 'capped', (r) => variantOf(r, 'a').calls + variantOf(r, 'b').calls === 6, 'six calls counted');
      assert.equal(recorded(rep), 1, `one judgement only: ${JSON.stringify(rep.pairs)}`);
      for (const { q, variant, requestId } of later) {
        assert.deepEqual(requestsAbout(mock, q).map((r) => r.body.model), [modelOfVariant(variant)], `${q}: only the served call reached the mock`);
        const row = await ledgerRow(gw, requestId);
        assert.deepEqual(kinds(row), ['primary']);
        assert.equal(moneyNanos(row.cost_usd), NANOS[variant]);
      }
    });
  });

  describe('statistics', () => {
    it('calls, judged, wins, losses, ties, win rates, intervals and costs equal a hand computation', async () => {
      // 5 b, 2 a, 2 tie, 1 split (the orders disagree: a tie), 1 invalid.
      const script = ['b', 'a', 'b', 'tie', 'split', 'b', 'invalid', 'a', 'b', 'tie', 'b'];
      const calls = { a: 0, b: 0 };
      for (const [i, expect] of script.entries()) {
        const res = await call(gw, 'stats', `stats question #${i} expect=${expect}`, { user: `stats-user-${i}` });
        calls[res.variant] += 1;
      }
      const rep = await waitRecorded(gw, 'stats', script.length);
      const bWins = 5;
      const aWins = 2;
      const ties = 3;
      const judged = bWins + aWins + ties;
      assert.deepEqual(
        (({ judged: j, invalid, b_wins, a_wins, ties: t, b_win_rate, ci }) => ({ judged: j, invalid, b_wins, a_wins, ties: t, b_win_rate, ci }))(rep.pairs[0]),
        {
          judged,
          invalid: 1,
          b_wins: bWins,
          a_wins: aWins,
          ties,
          b_win_rate: round4((bWins + ties / 2) / judged), // 0.65
          ci: wilson(bWins + ties / 2, judged),
        },
      );
      const expected = {
        a: { wins: aWins, losses: bWins, rate: (aWins + ties / 2) / judged },
        b: { wins: bWins, losses: aWins, rate: (bWins + ties / 2) / judged },
      };
      for (const name of ['a', 'b']) {
        const v = variantOf(rep, name);
        const e = expected[name];
        assert.equal(v.target, `mock/model-${name}`);
        assert.equal(v.calls, calls[name], `${name}: calls`);
        assert.equal(v.judged, judged, `${name}: judged (every valid comparison involves both)`);
        assert.equal(v.wins, e.wins, `${name}: wins`);
        assert.equal(v.losses, e.losses, `${name}: losses`);
        assert.equal(v.ties, ties, `${name}: ties`);
        assert.equal(v.win_rate, round4(e.rate), `${name}: win rate`);
        assert.deepEqual(v.win_rate_ci, wilson(e.wins + ties / 2, judged), `${name}: 95% Wilson interval`);
        assert.equal(v.mean_score, null);
        assert.equal(v.error_rate, 0);
        // The served attempts only: shadow and judge calls are the experiment's spend.
        assert.equal(v.cost_per_call_usd, Number(NANOS[name]) / 1e9, `${name}: cost per call`);
        assert.equal(typeof v.latency_ms.p50, 'number', JSON.stringify(v.latency_ms));
        assert.equal(typeof v.latency_ms.p95, 'number');
        assert.ok(v.latency_ms.p95 >= v.latency_ms.p50);
      }
      assert.equal(rep.pairs[0].decision, 'undecided', `10 judgements at 0.65 decide nothing yet: ${rep.verdict}`);
      assert.match(rep.verdict, /not enough evidence/i);
    });
  });

  describe('verdict and promotion', () => {
    it('a judge preferring b in 4 of 5 comparisons: b is not worse, and better; promotion shifts every call to b and is recorded', async () => {
      const firstVariant = new Map();
      let rep = null;
      let n = 0;
      while (n < 60) {
        for (let k = 0; k < 5; k += 1, n += 1) {
          const res = await call(gw, 'promo', `promo question #${n}`, { user: `promo-user-${n}` });
          firstVariant.set(`promo-user-${n}`, res.variant);
        }
        const made = n;
        rep = await waitReport(gw, 'promo', (r) => recorded(r) >= made || r.promotion !== null, `${made} judgements`);
        if (rep.pairs[0].better === 'b' || rep.promotion !== null) break;
      }
      assert.equal(rep.pairs[0].decision, 'not_worse', `after ${n} calls: ${JSON.stringify(rep.pairs[0])} ${rep.verdict}`);
      assert.equal(rep.pairs[0].better, 'b', rep.verdict);
      assert.match(rep.verdict, /^b is not worse than a \(margin 5 points\)/, rep.verdict);
      assert.match(rep.verdict, /50% less cost per call/, 'b costs half of a per call');

      // The registry's refresh (every 200 ms) decides the promotion.
      const promoted = await waitReport(gw, 'promo', (r) => r.promotion !== null, 'the promotion', { timeoutMs: 8_000 });
      assert.deepEqual(promoted.shares, { a: 0, b: 1 }, JSON.stringify(promoted));
      assert.equal(promoted.promotion.to, 'b', JSON.stringify(promoted.promotion));
      // The decision is stored with its evidence.
      const evidence = promoted.promotion;
      assert.match(evidence.verdict, /^b is not worse than a/, JSON.stringify(evidence));
      assert.ok(evidence.judged >= 10 && evidence.judged <= recorded(promoted), JSON.stringify(evidence));
      assert.equal(evidence.pairs.length, 1);
      assert.deepEqual([evidence.pairs[0].a, evidence.pairs[0].b, evidence.pairs[0].decision], ['a', 'b', 'not_worse'], JSON.stringify(evidence));
      assert.equal(evidence.pairs[0].b_wins + evidence.pairs[0].a_wins + evidence.pairs[0].ties, evidence.judged);
      assert.equal(promoted.judge.sample, 0.25, 'promote.keep_sample is the judging sample from now on');
      assert.equal(promoted.status, 'running');

      // Users that were on a: now on b, like everyone.
      const wereOnA = [...firstVariant].filter(([, v]) => v === 'a').map(([user]) => user).slice(0, 4);
      assert.ok(wereOnA.length > 0);
      for (const user of [...wereOnA, 'promo-new-user-1', 'promo-new-user-2']) {
        const res = await call(gw, 'promo', `after promotion ${user}`, { user });
        assert.equal(res.variant, 'b', `${user} is served by the promoted variant`);
      }
      // Stopped after a promotion: every call to the promoted variant, not the control.
      const stopped = await post(gw, '/admin/experiments/promo/stop');
      assert.equal(stopped.status, 200, stopped.text);
      assert.equal(stopped.json.status, 'stopped');
      for (const user of wereOnA.slice(0, 2)) {
        assert.equal((await call(gw, 'promo', `stopped ${user}`, { user })).variant, 'b');
      }
      assert.equal((await post(gw, '/admin/experiments/promo/resume')).json.status, 'running');
    });
  });

  describe('streams and tool calls', () => {
    it('a streamed call is judged on the text it streamed (the shadow held until the stream has ended)', async () => {
      const q = 'stream question #0';
      const release = deferred();
      mock.enqueue({
        label: 'held stream shadow',
        match: (rec) => isVariantRec(rec) && questionOf(rec) === q && mock.requests.some((r) => isVariantRec(r) && questionOf(r) === q),
        holdUntil: release.promise,
      });
      let res;
      try {
        res = await call(gw, 'streams', q, { user: 'stream-user', stream: true });
        assert.equal(res.events.at(-1).data, '[DONE]', 'the whole stream arrived');
        assert.equal(res.content, servedText(res.variant, q));
        const served = requestsAbout(mock, q)[0];
        assert.equal(served.body.stream, true, 'the served call was streamed');
        const shadow = await pollUntil(() => mock.requests.find((r) => r.label === 'held stream shadow'), { what: 'the shadow request' });
        assert.notEqual(shadow.body.stream, true, 'the shadow is not streamed');
        assert.equal(shadow.body.model, modelOfVariant(other(res.variant)));
      } finally {
        release.resolve();
      }
      const rep = await waitRecorded(gw, 'streams', 1);
      const judges = requestsAbout(mock, q).filter(isJudgeRec).map(judgeQuestion);
      assert.equal(judges.length, 2);
      // The served answer as it streamed, and the shadow's whole answer.
      assert.deepEqual([judges[0].answer1, judges[0].answer2], [aText(q), bText(q)]);
      assert.equal(rep.pairs[0].b_wins, 1);
      const row = await ledgerRow(gw, res.requestId, 4);
      assert.equal(row.stream, true);
      assertJudgedRow(row, res.variant, { judges: 2, epoch: rep.epoch });
    });

    it('tool-call answers are judged on their calls and arguments, streamed or not', async () => {
      const cases = [
        { q: 'tool question #1', stream: false },
        { q: 'tool question #2', stream: true },
      ];
      for (const [i, c] of cases.entries()) {
        const res = await call(gw, 'streams', c.q, { user: `tool-user-${i}`, stream: c.stream, tools: [WEATHER_TOOL] });
        const rep = await waitRecorded(gw, 'streams', 2 + i);
        const judges = requestsAbout(mock, c.q).filter(isJudgeRec).map(judgeQuestion);
        assert.equal(judges.length, 2, `${c.q}: two judge calls`);
        assert.equal(judges[0].request, `(tools offered: get_weather)\nuser: ${c.q}\n`, judges[0].user);
        assert.equal(judges[0].answer1, `[tool call] get_weather(${A_TOOL_ARGS})`, `A's tool call (served ${res.variant}): ${judges[0].user}`);
        assert.equal(judges[0].answer2, `[tool call] get_weather(${B_TOOL_ARGS})`, judges[0].user);
        assert.equal(judges[1].answer1, `[tool call] get_weather(${B_TOOL_ARGS})`);
        assert.equal(rep.pairs[0].b_wins, 2 + i, 'the judge preferred the metric call');
        assertJudgedRow(await ledgerRow(gw, res.requestId, 4), res.variant, { judges: 2, epoch: rep.epoch });
      }
    });
  });

  describe('an Anthropic client', () => {
    it('a /v1/messages call (streamed and not) to an ab route is split and judged like any other', async () => {
      for (const [i, stream] of [false, true].entries()) {
        const q = `messages question #${i}`;
        const res = await withTimeout(
          fetch(`${gw.baseURL}/v1/messages`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-api-key': GATEWAY_KEY,
              'anthropic-version': '2023-06-01',
              'x-switchyard-metadata': JSON.stringify({ user: `messages-user-${i}` }),
            },
            body: JSON.stringify({ model: 'messages', max_tokens: 100, stream, messages: [{ role: 'user', content: q }] }),
          }),
          15_000,
          `the answer to ${q}`,
        );
        const text = await withTimeout(res.text(), 15_000, `the body of ${q}`);
        assert.equal(res.status, 200, text);
        const model = res.headers.get('x-switchyard-model') ?? '';
        const variant = model.endsWith(A_MODEL) ? 'a' : 'b';
        const served = requestsAbout(mock, q)[0];
        assert.equal(served.body.model, modelOfVariant(variant), 'served by the variant the header names');
        const content = stream
          ? parseSse(text).filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data).delta.text ?? '').join('')
          : JSON.parse(text).content.filter((b) => b.type === 'text').map((b) => b.text).join('');
        assert.equal(content, servedText(variant, q));
        const rep = await waitRecorded(gw, 'messages', i + 1);
        assert.equal(rep.pairs[0].b_wins, i + 1);
        const judges = requestsAbout(mock, q).filter(isJudgeRec).map(judgeQuestion);
        assert.deepEqual(judges.map((j) => [j.answer1, j.answer2]), [[aText(q), bText(q)], [bText(q), aText(q)]]);
        assertJudgedRow(await ledgerRow(gw, res.headers.get('x-switchyard-request-id'), 4), variant, { judges: 2, epoch: rep.epoch });
      }
    });
  });

  describe('score mode', () => {
    it('one judge call per sampled call, no shadow; mean_score per variant', async () => {
      const scores = { a: [], b: [] };
      const served = [];
      for (let i = 0; i < 6; i += 1) {
        const q = `score question #${i}`;
        const res = await call(gw, 'scored', q, { user: `score-user-${i}` });
        scores[res.variant].push((res.variant === 'b' ? 8 : 5) + (i % 2));
        served.push({ q, ...res });
      }
      const rep = await waitReport(gw, 'scored', (r) => variantOf(r, 'a').judged + variantOf(r, 'b').judged >= 6, 'six scores');
      assert.equal(rep.judge.mode, 'score');
      assert.deepEqual(rep.pairs, [], 'score mode has no pairs');
      for (const name of ['a', 'b']) {
        const v = variantOf(rep, name);
        const list = scores[name];
        assert.equal(v.judged, list.length, `${name}: judged`);
        assert.equal(v.mean_score, list.length ? Math.round((list.reduce((x, y) => x + y, 0) / list.length) * 1e3) / 1e3 : null, `${name}: mean score of ${list}`);
        assert.deepEqual([v.wins, v.losses, v.ties], [0, 0, 0]);
      }
      assert.match(rep.verdict, /^Score mode/);
      for (const { q, variant, requestId } of served) {
        const about = requestsAbout(mock, q);
        assert.deepEqual(about.map((r) => r.body.model), [modelOfVariant(variant), 'judge-score'], `${q}: the served call, then one judge call`);
        const j = judgeQuestion(about[1]);
        assert.equal(j.answer, servedText(variant, q), j.user);
        assert.equal(j.request, `user: ${q}\n`);
        assert.match(j.system, /Be sharp\./, 'the rubric is in the prompt');
        assert.match(j.system, /"score"/);
        assertJudgedRow(await ledgerRow(gw, requestId, 2), variant, { judges: 1, shadow: false, epoch: rep.epoch });
      }
    });
  });

  describe('the CLI', () => {
    it('switchyard experiments show stats --config FILE prints the variants table; --format json has the API\'s numbers', async () => {
      const api = await report(gw, 'stats');
      const table = await runSwitchyard(['experiments', 'show', 'stats', '--config', gw.configPath]);
      assert.equal(table.code, 0, `${table.stdout}\n${table.stderr}`);
      const lines = table.stdout.split('\n');
      const header = lines.findIndex((l) => /^VARIANT\s+TARGET\s+SHARE\s+CALLS\s+JUDGED\s+WINS\s+LOSSES\s+TIES/.test(l));
      assert.ok(header >= 0, `a variants table:\n${table.stdout}`);
      for (const [i, name] of ['a', 'b'].entries()) {
        const cells = lines[header + 1 + i].trim().split(/\s{2,}/);
        const v = variantOf(api, name);
        assert.deepEqual(cells.slice(0, 8), [name, `mock/model-${name}`, '50', String(v.calls), String(v.judged), String(v.wins), String(v.losses), String(v.ties)], lines[header + 1 + i]);
      }
      assert.match(table.stdout, /verdict: /);

      const json = await runSwitchyard(['experiments', 'show', 'stats', '--config', gw.configPath, '--format', 'json']);
      assert.equal(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout);
      const pick = (rep) => rep.variants.map(({ name, calls, judged, wins, losses, ties, win_rate }) => ({ name, calls, judged, wins, losses, ties, win_rate }));
      assert.deepEqual(pick(parsed), pick(api));
      assert.deepEqual(parsed.pairs, api.pairs);

      const list = await runSwitchyard(['experiments', 'list', '--config', gw.configPath]);
      assert.equal(list.code, 0, list.stderr);
      for (const route of ['stats', 'split', 'promo']) assert.match(list.stdout, new RegExp(`^${route}\\s`, 'm'), list.stdout);
    });
  });
});

describe('experiments: a restart, pause, resume and stop', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  let config;

  before(async () => {
    mock = await startMock({ formats: [experimentFormat()] });
    const dir = makeTempDir('switchyard-exp-restart-');
    config = gatewayConfig(mock, path.join(dir, 'ledger.db'), {
      trial: abRoute({ judge: { model: 'judge-b' } }),
      capped: abRoute({ judge: { model: 'judge-b', max_usd: '0.0001' } }),
    });
    gw = await startGateway({ config });
  });
  after(async () => {
    try {
      if (gw) await gw.stop();
    } finally {
      await mock?.close();
    }
  });

  it('the results are read back from the ledger after a restart; pause keeps the split and judges nothing; stop sends every call to a', async () => {
    const users = new Map();
    for (let i = 0; i < 6; i += 1) {
      const res = await call(gw, 'trial', `restart question #${i}`, { user: `trial-user-${i}` });
      users.set(`trial-user-${i}`, res.variant);
    }
    const before = await waitRecorded(gw, 'trial', 6);
    assert.equal(before.pairs[0].b_wins, 6);
    // Today's judging spend is in the ledger: a capped experiment judged once stays capped.
    await call(gw, 'capped', 'capped before restart', { user: 'capped-user' });
    await waitRecorded(gw, 'capped', 1);
    assert.equal(await gw.stop(), 0, 'a clean stop');

    gw = await startGateway({ config });
    const cappedAfterRestart = await call(gw, 'capped', 'capped after restart', { user: 'capped-user' });
    const afterRestart = await report(gw, 'trial');
    assert.equal(afterRestart.epoch, before.epoch, 'the same epoch');
    assert.deepEqual(afterRestart.variants, before.variants, 'the per-variant numbers survive');
    assert.deepEqual(afterRestart.pairs, before.pairs, 'the pair survives');
    assert.equal(afterRestart.verdict, before.verdict);
    assert.deepEqual(afterRestart.epochs.map((e) => e.epoch), [before.epoch]);
    const byEpoch = await report(gw, 'trial', `?epoch=${before.epoch}`);
    assert.deepEqual(byEpoch.variants, before.variants);
    const list = await adminGet(gw.baseURL, '/admin/experiments', ADMIN_KEY);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.data.map((e) => [e.name, e.epoch, e.status]), [['trial', before.epoch, 'running'], ['capped', list.json.data[1]?.epoch, 'running']]);

    assert.equal((await adminGet(gw.baseURL, '/admin/experiments/trial', null)).status, 401, 'the admin key is needed');
    assert.equal((await adminGet(gw.baseURL, '/admin/experiments/no-such-route', ADMIN_KEY)).status, 404);
    assert.equal((await adminGet(gw.baseURL, '/admin/experiments/trial?epoch=e000000000000', ADMIN_KEY)).status, 404, 'an unknown epoch');
    assert.equal((await post(gw, '/admin/experiments/trial/explode')).status, 404, 'an unknown action');
    assert.equal((await post(gw, '/admin/experiments/no-such-route/pause')).status, 404);

    const userOnA = [...users].find(([, v]) => v === 'a')?.[0];
    const userOnB = [...users].find(([, v]) => v === 'b')?.[0];
    assert.ok(userOnA && userOnB, `six users cover both variants: ${JSON.stringify([...users])}`);

    // Paused: the split is kept, nothing is judged.
    const paused = await post(gw, '/admin/experiments/trial/pause');
    assert.equal(paused.status, 200, paused.text);
    assert.equal(paused.json.status, 'paused');
    const pausedCalls = [];
    for (const user of [userOnA, userOnB]) {
      const q = `paused question ${user}`;
      const res = await call(gw, 'trial', q, { user });
      assert.equal(res.variant, users.get(user), `${user} keeps its variant while paused`);
      pausedCalls.push({ q, ...res });
    }
    assert.equal((await report(gw, 'trial')).status, 'paused');

    // Resumed: judged again (and, being after the paused calls, a sentinel for them).
    const resumed = await post(gw, '/admin/experiments/trial/resume');
    assert.equal(resumed.json.status, 'running', resumed.text);
    const judgedAgain = await call(gw, 'trial', 'resumed question #1', { user: userOnB });
    await ledgerRow(gw, judgedAgain.requestId, 4);
    const rep = await waitRecorded(gw, 'trial', 7);
    assert.equal(recorded(rep), 7, 'the paused calls were not judged');
    // (The judged call above is also the sentinel for the capped call made after the restart.)
    assert.deepEqual(requestsAbout(mock, 'capped after restart').map((r) => r.body.model), [modelOfVariant(cappedAfterRestart.variant)], 'the cap held across the restart');
    assert.equal(recorded(await report(gw, 'capped')), 1);
    for (const { q, variant, requestId } of pausedCalls) {
      assert.deepEqual(requestsAbout(mock, q).map((r) => r.body.model), [modelOfVariant(variant)], `${q}: no shadow, no judge`);
      assert.deepEqual(kinds(await ledgerRow(gw, requestId)), ['primary']);
    }

    // Stopped: every call to the control.
    const stopped = await post(gw, '/admin/experiments/trial/stop');
    assert.equal(stopped.json.status, 'stopped', stopped.text);
    const stoppedQuestions = [];
    for (const user of [userOnA, userOnB, 'trial-new-user']) {
      const q = `stopped question ${user}`;
      const res = await call(gw, 'trial', q, { user });
      assert.equal(res.variant, 'a', `${user} goes to the control while stopped`);
      stoppedQuestions.push(q);
    }
    const stoppedReport = await report(gw, 'trial');
    assert.equal(stoppedReport.status, 'stopped');
    assert.ok(stoppedReport.shares.a > 0 && stoppedReport.shares.b === 0, `the shares in force send everything to a: ${JSON.stringify(stoppedReport.shares)}`);

    // Resumed after a stop: the configured split again (and the judged call is the sentinel for
    // the stopped ones, which nothing judged).
    assert.equal((await post(gw, '/admin/experiments/trial/resume')).json.status, 'running');
    const back = await call(gw, 'trial', 'back question', { user: userOnB });
    assert.equal(back.variant, 'b', `${userOnB} is back on b`);
    assert.deepEqual((await report(gw, 'trial')).shares, { a: 50, b: 50 });
    await ledgerRow(gw, back.requestId, 4);
    for (const q of stoppedQuestions) {
      assert.deepEqual(requestsAbout(mock, q).map((r) => r.body.model), [A_MODEL], `${q}: nothing judged while stopped`);
    }

    // A change to the variants (the shares here) starts a new epoch; the old one stays readable.
    // 6 + 2 paused + 1 resumed + 3 stopped + 1 back = 13 calls; judged: 6 + the resumed + the back one.
    const final = await waitReport(gw, 'trial', (r) => variantOf(r, 'a').calls + variantOf(r, 'b').calls === 13 && recorded(r) === 8, '13 calls, 8 judgements');
    assert.equal(await gw.stop(), 0);
    const changed = structuredClone(config);
    changed.routes.trial.variants[0].share = 60;
    changed.routes.trial.variants[1].share = 40;
    gw = await startGateway({ config: changed });
    const fresh = await report(gw, 'trial');
    assert.notEqual(fresh.epoch, before.epoch, 'new shares, new epoch');
    assert.deepEqual(fresh.shares, { a: 60, b: 40 });
    assert.equal(fresh.status, 'running');
    assert.deepEqual(fresh.variants.map((v) => [v.name, v.calls, v.judged]), [['a', 0, 0], ['b', 0, 0]], 'the new epoch starts from nothing');
    assert.deepEqual(new Set(fresh.epochs.map((e) => e.epoch)), new Set([fresh.epoch, before.epoch]), JSON.stringify(fresh.epochs));
    const old = await report(gw, 'trial', `?epoch=${before.epoch}`);
    assert.equal(old.epoch, before.epoch);
    assert.deepEqual(old.shares, { a: 50, b: 50 });
    assert.deepEqual(old.variants, final.variants, "the old epoch's results, unchanged");
    assert.deepEqual(old.pairs, final.pairs);
  });
});
