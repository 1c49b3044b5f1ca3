// Issue 11 defect 3: a provider that echoes the key it was sent everywhere it can must not get it
// to the client. The mock provider in echo mode (echoKey) writes each request's key into its error
// bodies (message, type, code, param, nested fields), its stream events (OpenAI error chunks,
// Anthropic `event: error`, Gemini error chunks), its response headers (retry-after, x-ratelimit-*,
// anthropic-ratelimit-*, an arbitrary one, the content type's parameters) and its answers' ids and
// model names. Each client API (OpenAI, Anthropic) is called against each upstream format (openai,
// anthropic, gemini), plain and streamed, succeeding and failing, over a raw socket: no byte the
// client receives — head and body — holds the key or its core.
//
// Content that the model itself produces (the assistant's text) is not the gateway's to redact, so
// the echo never goes there: only what a provider could leak outside the model's answer text.
//
// Also issue 11 defect 14 (one item): the provider's own rate-limit headers are not passed on.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startMock, ECHO_KEY, keyOfRequest } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY, PROVIDER_KEY_CORE } from '../lib/fixtures.js';
import { jsonPost, rawConnect } from '../lib/raw-http.js';

// One key per provider, each with the shared core; the Gemini one has no known key prefix, so only
// the exact-key redaction can catch it.
const KEYS = {
  openai: PROVIDER_KEY,
  anthropic: `sk-ant-${PROVIDER_KEY_CORE}-an`,
  gemini: `gm-${PROVIDER_KEY_CORE}-gm`,
};
const UPSTREAMS = {
  openai: { provider: 'oa', model: 'gpt-4o-mini' },
  anthropic: { provider: 'an', model: 'claude-sonnet-4-6' },
  gemini: { provider: 'gm', model: 'gemini-2.5-flash' },
};
const INBOUNDS = ['openai', 'anthropic'];
const E = ECHO_KEY;
const SAYS = `key Bearer ${E} revoked`;

// Every header a provider could send back with the key in it.
const ECHO_HEADERS = {
  'retry-after': E,
  'x-ratelimit-limit-requests': E,
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-reset-requests': E,
  'x-ratelimit-reset-tokens': `1s${E}`,
  'anthropic-ratelimit-requests-reset': E,
  'anthropic-ratelimit-tokens-remaining': E,
  'x-echo-key': E,
  [`x-${E}`]: '1',
};

// An error answer with the key in every field the format has, and in nested ones.
function errorBody(format) {
  if (format === 'openai') {
    return { error: { message: SAYS, type: E, code: E, param: E, nested: { key: E } }, key: E };
  }
  if (format === 'anthropic') {
    return { type: 'error', error: { type: E, message: SAYS, details: { key: E } }, request_id: E };
  }
  return {
    error: {
      code: 429,
      message: SAYS,
      status: E,
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: E, domain: E, metadata: { key: E } }],
    },
  };
}

// A successful answer's own fields (not the model's text) with the key in them.
function successReply(format) {
  const extra = format === 'gemini' ? { responseId: E } : { id: E, system_fingerprint: E };
  return { model: E, extra };
}

function streamError(format) {
  if (format === 'openai') return { afterEvents: 1, message: SAYS, type: E, code: E, param: E };
  if (format === 'anthropic') return { afterEvents: 1, type: E, message: SAYS };
  return { afterEvents: 1, code: 500, status: E, message: SAYS };
}

// The behaviour of one case at the mock.
function behaviour(format, outcome) {
  if (outcome === 'error') {
    return { echoKey: true, status: 429, body: errorBody(format), headers: ECHO_HEADERS };
  }
  const headers = { ...ECHO_HEADERS };
  const reply = successReply(format);
  if (outcome === 'stream-error') reply.streamError = streamError(format);
  if (outcome === 'success-plain') headers['content-type'] = `application/json; charset=utf-8; k="${E}"`;
  return { echoKey: true, reply, headers };
}

function request(inbound, model, stream) {
  if (inbound === 'openai') {
    return jsonPost('/v1/chat/completions', { model, stream, messages: [{ role: 'user', content: 'hi' }] }, { Authorization: `Bearer ${GATEWAY_KEY}` });
  }
  return jsonPost(
    '/v1/messages',
    { model, stream, max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
    { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' },
  );
}

// The cases: plain and streamed, a success and an error status; streams also fail in-stream.
const CASES = [];
for (const inbound of INBOUNDS) {
  for (const upstream of Object.keys(UPSTREAMS)) {
    for (const stream of [false, true]) {
      const outcomes = stream ? ['success', 'error', 'stream-error'] : ['success-plain', 'error'];
      for (const outcome of outcomes) CASES.push({ inbound, upstream, stream, outcome });
    }
  }
}

describe('a provider that echoes its key', { skip: gatewaySkip }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock({
      formats: ['openai', 'anthropic', 'gemini'],
      openai: { apiKey: KEYS.openai },
      anthropic: { apiKey: KEYS.anthropic },
      gemini: { apiKey: KEYS.gemini },
    });
    gw = await startGateway({
      config: {
        providers: {
          oa: { kind: 'openai', base_url: mock.baseURL, api_key: KEYS.openai, models: [UPSTREAMS.openai.model] },
          an: { kind: 'anthropic', base_url: mock.origin, api_key: KEYS.anthropic, models: [UPSTREAMS.anthropic.model] },
          gm: { kind: 'gemini', base_url: `${mock.origin}/v1beta`, api_key: KEYS.gemini, models: [UPSTREAMS.gemini.model] },
        },
        keys: [{ key: GATEWAY_KEY, name: 'echo' }],
        health: { enabled: false }, // the failing cases must not take a target out of the later ones
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await mock?.close();
  });

  for (const { inbound, upstream, stream, outcome } of CASES) {
    const passthrough = inbound === upstream;
    // NOTE for the merge: the pass-through stream cases (openai→openai, anthropic→anthropic,
    // streamed) also depend on the pass-through relay's own redaction of in-stream error events
    // (issue 11 defect 3, the "answers" branch: passthrough_attempt.cc and the stream taps).
    const name = `${inbound} client → ${upstream} upstream, ${stream ? 'streamed' : 'plain'}, ${outcome}${passthrough ? ' (pass-through)' : ''}`;
    it(name, async () => {
      const { provider, model } = UPSTREAMS[upstream];
      mock.enqueue(behaviour(upstream, outcome));
      const before = mock.requests.length;
      const conn = await rawConnect(gw.port);
      try {
        await conn.write(request(inbound, `${provider}/${model}`, stream));
        const res = await conn.readResponse(15_000);
        const received = conn.received.toString('latin1');

        // The echo happened: the mock got the key and put it into what it answered.
        assert.equal(mock.requests.length, before + 1, 'one upstream call');
        const rec = mock.requests[before];
        assert.equal(keyOfRequest(rec), KEYS[upstream]);
        assert.ok(JSON.stringify(rec.behaviour).includes(KEYS[upstream]), 'the mock echoed the key');

        if (outcome === 'error') assert.equal(res.status, 429, received.slice(0, 400));
        else assert.equal(res.status, 200, received.slice(0, 400));
        if (outcome === 'stream-error') assert.match(res.body, /error/, 'the client saw the stream fail');

        for (const secret of [KEYS[upstream], PROVIDER_KEY_CORE]) {
          assert.ok(!received.includes(secret), `the client received ${secret}:\n${received}`);
        }
        // The shared account's quota is not every tenant's business (defect 14).
        const names = res.headerList.map(([n]) => n);
        assert.deepEqual(names.filter((n) => /ratelimit/.test(n)), [], `provider rate-limit headers passed on: ${res.rawHead}`);
        assert.ok(!names.includes('x-echo-key'), 'an arbitrary provider header passed on');
        // A retry-after that is neither a number nor a date is dropped, not copied.
        assert.equal(res.headers['retry-after'], undefined, res.rawHead);
      } finally {
        conn.destroy();
      }
    });
  }

  // Without the key too: a number the provider wrote its own way comes out as whole seconds (a 400,
  // so that the gateway does not retry after it).
  it('a readable retry-after is written anew, not copied', async () => {
    mock.enqueue({ status: 400, headers: { 'retry-after': '1.5' } });
    const conn = await rawConnect(gw.port);
    try {
      await conn.write(request('openai', 'oa/gpt-4o-mini', false));
      const res = await conn.readResponse(15_000);
      assert.equal(res.status, 400, res.rawHead);
      assert.equal(res.headers['retry-after'], '2', res.rawHead);
    } finally {
      conn.destroy();
    }
  });

  it('the provider\'s own rate-limit headers are not passed on with an answer', async () => {
    const quota = {
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-tokens': '199990',
      'x-ratelimit-reset-tokens': '3ms',
      'anthropic-ratelimit-requests-remaining': '49',
    };
    for (const inbound of INBOUNDS) {
      mock.enqueue({ headers: quota });
      const conn = await rawConnect(gw.port);
      try {
        await conn.write(request(inbound, 'oa/gpt-4o-mini', false));
        const res = await conn.readResponse(15_000);
        assert.equal(res.status, 200, res.rawHead);
        assert.deepEqual(res.headerList.map(([n]) => n).filter((n) => /ratelimit/.test(n)), [], res.rawHead);
      } finally {
        conn.destroy();
      }
    }
  });
});
