// Helpers for the routing and chaos tests (test/routing.test.js, test/chaos.test.js): a seeded
// PRNG for the tests' own random choices, raw calls that return what the client saw, and the
// access-log line of a call with its attempts.

import assert from 'node:assert/strict';

// mulberry32: a small, fast, seeded 32-bit PRNG. Returns a function giving floats in [0, 1).
// The tests draw their own random choices (faults, stream or not) from it, so that a run can be
// replayed exactly with the same seed.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// An OpenAI chat body.
export const chat = (model, text = 'route me', extra = {}) => ({ model, messages: [{ role: 'user', content: text }], ...extra });

// A raw POST to the gateway: { status, headers, json (parsed, or null), text }.
export async function post(gw, body, headers = {}, path = '/v1/chat/completions') {
  const res = await fetch(`${gw.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
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

// The provider that answered (x-switchyard-provider), failing loudly when the call failed.
export function providerOf(res) {
  assert.equal(res.status, 200, `the call succeeded: ${res.text}`);
  const provider = res.headers.get('x-switchyard-provider');
  assert.ok(provider, 'the answer names its provider');
  return provider;
}

// The access-log line of the call that answered with `res` (or with this request id).
export async function logLine(gw, resOrId) {
  const requestId = typeof resOrId === 'string' ? resOrId : resOrId.headers.get('x-switchyard-request-id');
  assert.ok(requestId, 'the answer carries x-switchyard-request-id');
  const lines = await gw.waitForAccessLog((all) => all.some((l) => l.request_id === requestId));
  return lines.find((l) => l.request_id === requestId);
}

// [kind, provider, model, outcome] of each attempt of an access-log line.
export const attemptsOf = (line) => line.attempt_log.map((a) => [a.kind, a.provider, a.model, a.outcome]);

// The providers tried, in order.
export const providersTried = (line) => line.attempt_log.map((a) => a.provider);

// The number of requests each mock received, by name.
export function requestCounts(mocks) {
  return Object.fromEntries(Object.entries(mocks).map(([name, mock]) => [name, mock.requests.length]));
}

// Exactly this many requests at each mock (names left out: none).
export function assertRequestCounts(mocks, expected, what = 'requests received by each mock provider') {
  const want = Object.fromEntries(Object.keys(mocks).map((name) => [name, expected[name] ?? 0]));
  assert.deepEqual(requestCounts(mocks), want, what);
}

// The value at quantile q (0..1) of an array of numbers (nearest rank).
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}
