// Exact money and ledger helpers for the cost tests (test/cost-ledger.test.js).
//
// Money is never a float here: list prices are written as decimal text ('0.15' dollars per million
// tokens), turned into integer nano-dollars per million tokens (BigInt), and a cost is
// sum(tokens × price) / 1e6 rounded half-even once, as the gateway promises (DESIGN.md "Money").
// Dollar amounts the gateway sends as JSON numbers are read back as their exact source text
// (parseMoneyJson) and compared as integer nano-dollars.
//
//   const p = pricesUsd({ input: '0.15', cached_input: '0.075', output: '0.60', reasoning: '0.60' });
//   const u = { prompt: 12345, cached: 2048, completion: 4321, reasoning: 1234 };
//   mock.enqueue({ reply: { usage: openaiUsage(u) } });
//   costNanos(tokenClasses(u), p)   // 4290750n
//   usdToNanos('0.00429075')        // 4290750n

import assert from 'node:assert/strict';

import { withTimeout } from './util.js';

export const NANOS_PER_USD = 1_000_000_000n;
const TOKENS_PER_MILLION = 1_000_000n;

// Exact decimal text (optionally with an exponent, as a JSON number may have) → BigInt nano-dollars.
// Throws when the text is not a number or is not a whole number of nano-dollars.
export function usdToNanos(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(String(text));
  if (!m) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  let digits = BigInt(whole + fraction);
  const scale = Number(exponent) - fraction.length + 9; // power of ten that turns digits into nanos
  if (scale >= 0) {
    digits *= 10n ** BigInt(scale);
  } else {
    const divisor = 10n ** BigInt(-scale);
    if (digits % divisor !== 0n) throw new Error(`${text} is not a whole number of nano-dollars`);
    digits /= divisor;
  }
  return sign === '-' ? -digits : digits;
}

// BigInt nano-dollars → the shortest exact decimal text ("0.00429075", "1.08", "0").
export function nanosToUsd(nanos) {
  const n = BigInt(nanos);
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  const whole = magnitude / NANOS_PER_USD;
  const fraction = (magnitude % NANOS_PER_USD).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

// numerator / divisor (both ≥ 0), ties to the even quotient.
export function divideHalfEven(numerator, divisor) {
  const quotient = numerator / divisor;
  const twiceRemainder = (numerator % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

// List prices in dollars per million tokens (decimal text) → nano-dollars per million tokens (BigInt).
// Classes: input, cached_input, cache_write_5m, cache_write_1h, output, reasoning.
export function pricesUsd(list) {
  const out = {};
  for (const [name, usd] of Object.entries(list)) out[name] = usdToNanos(usd);
  return out;
}

// The usage object an OpenAI-compatible provider reports for these counts. `cacheWrite` is the
// prompt_tokens_details.cache_write_tokens that OpenRouter reports for Anthropic models.
export function openaiUsage({ prompt, cached = 0, cacheWrite = 0, completion, reasoning = 0 }) {
  const promptDetails = { cached_tokens: cached };
  if (cacheWrite > 0) promptDetails.cache_write_tokens = cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

// The ledger's disjoint token classes (CONTRACT.md "Token classes") for OpenAI-format counts: the
// prompt's cached and cache-written tokens are taken out of input; output keeps its reasoning part.
export function tokenClasses({ prompt, cached = 0, cacheWrite = 0, completion, reasoning = 0 }) {
  return {
    input_tokens: prompt - cached - cacheWrite,
    cached_input_tokens: cached,
    cache_write_tokens: cacheWrite,
    cache_write_1h_tokens: 0,
    output_tokens: completion,
    reasoning_tokens: reasoning,
  };
}

export const ZERO_TOKENS = Object.freeze(tokenClasses({ prompt: 0, completion: 0 }));
export const TOKEN_CLASS_NAMES = Object.freeze(Object.keys(ZERO_TOKENS));

// Sums token classes.
export function addTokens(...all) {
  const total = { ...ZERO_TOKENS };
  for (const t of all) for (const name of TOKEN_CLASS_NAMES) total[name] += t[name];
  return total;
}

// One attempt's cost in BigInt nano-dollars: every class once (reasoning at the reasoning price,
// the rest of output at the output price), one half-even rounding. null when a class that has
// tokens has no price (unknown, never $0).
export function costNanos(classes, prices) {
  const parts = [
    [classes.input_tokens, prices.input],
    [classes.cached_input_tokens, prices.cached_input],
    [classes.cache_write_tokens, prices.cache_write_5m],
    [classes.cache_write_1h_tokens, prices.cache_write_1h],
    [classes.output_tokens - classes.reasoning_tokens, prices.output],
    [classes.reasoning_tokens, prices.reasoning],
  ];
  let numerator = 0n;
  for (const [tokens, price] of parts) {
    if (tokens === 0) continue;
    if (price === undefined) return null;
    numerator += BigInt(tokens) * price;
  }
  return divideHalfEven(numerator, TOKENS_PER_MILLION);
}

// JSON.parse, except that the value of every "cost_usd" member that is a JSON number becomes
// { $number: '<its exact source text>' }, so that no dollar amount passes through a double.
export function parseMoneyJson(text) {
  const marked = text.replace(
    /"(cost_usd|saved_usd)"(\s*):(\s*)(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (_, key, s1, s2, number) => `"${key}"${s1}:${s2}{"$number":"${number}"}`,
  );
  return JSON.parse(marked);
}

// A cost_usd value from parseMoneyJson: its source text, or null for JSON null. Fails for anything
// else (a string, a missing member): the contract says a JSON number or null.
export function moneyText(value, what = 'cost_usd') {
  if (value === null) return null;
  assert.ok(value && typeof value === 'object' && typeof value.$number === 'string', `${what} is a JSON number or null, got ${JSON.stringify(value)}`);
  return value.$number;
}

// A cost_usd value as BigInt nano-dollars (null stays null), checking that it is plain decimal text
// with at most 9 decimals (CONTRACT.md).
export function moneyNanos(value, what = 'cost_usd') {
  const text = moneyText(value, what);
  if (text === null) return null;
  assert.match(text, /^-?\d+(\.\d{1,9})?$/, `${what} is a plain decimal with at most 9 decimals: ${text}`);
  return usdToNanos(text);
}

// Waits until `probe()` returns something other than undefined, polling every `intervalMs`; fails
// with `what` (and the last value seen, via `describe`) after `timeoutMs`.
export async function pollUntil(probe, { timeoutMs = 10_000, intervalMs = 25, what = 'a condition', describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await withTimeout(probe(), timeoutMs, what);
    if (last !== undefined && last !== false) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `; last: ${describe()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// GET an admin endpoint: { status, headers, text, json (parseMoneyJson, null if not JSON) }.
// `adminKey` null sends no Authorization header.
export async function adminGet(baseURL, pathAndQuery, adminKey) {
  const headers = adminKey === null ? {} : { authorization: `Bearer ${adminKey}` };
  const res = await withTimeout(fetch(`${baseURL}${pathAndQuery}`, { headers }), 10_000, `GET ${pathAndQuery}`);
  const text = await withTimeout(res.text(), 10_000, `the body of GET ${pathAndQuery}`);
  let json = null;
  try {
    json = parseMoneyJson(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// The ledger's record of one call (GET /admin/requests/{id}), waiting for the batched writer to
// commit it (404 until then).
export async function ledgerRequest(baseURL, adminKey, requestId, { timeoutMs = 10_000 } = {}) {
  let last = null;
  return pollUntil(
    async () => {
      last = await adminGet(baseURL, `/admin/requests/${encodeURIComponent(requestId)}`, adminKey);
      if (last.status === 200) return last.json;
      assert.equal(last.status, 404, `GET /admin/requests/${requestId}: ${last.status} ${last.text}`);
      return undefined;
    },
    { timeoutMs, what: `request ${requestId} in the ledger`, describe: () => `${last?.status} ${last?.text}` },
  );
}
