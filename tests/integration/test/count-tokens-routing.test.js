// count_tokens on routes that mix wire formats (issue 11, defect 1). The gateway forwards
// /v1/messages/count_tokens only to an Anthropic-format target; a step at any other target is
// answered with the gateway's estimate (x-switchyard-token-count: estimated), recorded as an attempt,
// with no upstream call. This used to be decided by the route's first written target only, while
// the attempts were picked by wire format alone: a fallback from an Anthropic target to an OpenAI
// one ran a translated chat attempt on a request never decoded, and the process died (SIGSEGV).
// The same holds whatever puts the OpenAI step first: loadbalance's draw or an open breaker.
//
// Deterministic: loadbalance draws from SWITCHYARD_RANDOM_SEED with one worker; the breaker opens
// after one counted failure, with a cool-off far longer than the test.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { post, logLine, attemptsOf } from '../lib/routing.js';

const COUNT_PATH = '/v1/messages/count_tokens';
const countBody = (model) => ({
  model,
  system: 'be brief',
  messages: [{ role: 'user', content: 'how many tokens is this?' }],
});
const ANTHROPIC_HEADERS = { 'anthropic-version': '2023-06-01' };

describe('count_tokens across wire formats', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let an;  // an Anthropic-format provider
  let oa;  // an OpenAI-format provider
  let gw;

  before(async () => {
    an = await startMock({ formats: ['anthropic'] });
    oa = await startMock({ formats: ['openai'] });
    gw = await startGateway({
      config: {
        threads: 1,
        health: { failures: 1, cool_off_ms: 3_600_000 },
        providers: {
          an: { kind: 'anthropic', base_url: an.origin, api_key: 'sk-ant-count-key' },
          oa: { kind: 'openai', base_url: oa.baseURL, api_key: 'sk-oa-count-key' },
          an2: { kind: 'anthropic', base_url: an.origin, api_key: 'sk-ant-count-key' },
        },
        routes: {
          fallback: { strategy: 'fallback', targets: ['an/claude-a', 'oa/gpt-b'] },
          heavy_openai: {
            strategy: 'loadbalance',
            targets: [{ model: 'an/claude-lb', weight: 1 }, { model: 'oa/gpt-lb', weight: 1000000 }],
          },
          breaker: { strategy: 'fallback', targets: ['an2/claude-open', 'oa/gpt-c'] },
        },
      },
      env: { SWITCHYARD_RANDOM_SEED: '20261207' },
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0: it is still alive');
    } finally {
      await gw?.kill().catch(() => {});
      await an?.close();
      await oa?.close();
    }
  });
  beforeEach(() => {
    an.reset();
    oa.reset();
  });

  // A count_tokens call answered by the gateway's estimate, with nothing sent to the OpenAI mock.
  function assertEstimated(res) {
    assert.equal(res.status, 200, `the call succeeded: ${res.text}`);
    assert.equal(res.headers.get('x-switchyard-token-count'), 'estimated');
    assert.deepEqual(Object.keys(res.json), ['input_tokens']);
    assert.ok(Number.isInteger(res.json.input_tokens) && res.json.input_tokens > 0, res.text);
    assert.equal(oa.requests.length, 0, 'nothing reaches the OpenAI-format provider');
  }

  it('fallback [anthropic answers 500, openai]: the openai step answers the estimate; the gateway lives on', async () => {
    an.enqueue({ status: 500 });
    const res = await post(gw, countBody('fallback'), ANTHROPIC_HEADERS, COUNT_PATH);
    assertEstimated(res);
    assert.equal(res.headers.get('x-switchyard-provider'), 'oa');
    assert.equal(res.headers.get('x-switchyard-attempts'), '2');
    assert.equal(an.requests.length, 1);
    assert.equal(an.requests[0].path, COUNT_PATH);
    const line = await logLine(gw, res);
    assert.deepEqual(attemptsOf(line), [
      ['primary', 'an', 'claude-a', 'upstream_error'],
      ['fallback', 'oa', 'gpt-b', 'success'],
    ]);
    // Still serving: the next call goes to an Anthropic target (not an/claude-a, whose breaker that
    // 500 opened), which counts.
    const next = await post(gw, countBody('an/claude-next'), ANTHROPIC_HEADERS, COUNT_PATH);
    assert.equal(next.status, 200, next.text);
    assert.equal(next.headers.get('x-switchyard-token-count'), null, 'a real count is not marked');
    assert.equal(an.requests.length, 2);
    assert.equal(an.requests[1].body.model, 'claude-next');
  });

  it('loadbalance picking the openai step first: the estimate, with no upstream call', async () => {
    for (let i = 0; i < 5; i += 1) {
      const res = await post(gw, countBody('heavy_openai'), ANTHROPIC_HEADERS, COUNT_PATH);
      assertEstimated(res);
      assert.equal(res.headers.get('x-switchyard-provider'), 'oa', `call ${i}`);
    }
    assert.equal(an.requests.length, 0, 'the Anthropic target was never first');
  });

  it('an open breaker moving the openai step first: the estimate, with no upstream call', async () => {
    // One 500 on a chat call opens an2's breaker (failures: 1); the call itself falls back.
    an.enqueue({ status: 500 });
    const chat = await post(gw, { model: 'breaker', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
      ANTHROPIC_HEADERS, '/v1/messages');
    assert.equal(chat.status, 200, chat.text);
    assert.equal(chat.headers.get('x-switchyard-provider'), 'oa', 'the chat call fell back (translated)');
    an.reset();
    oa.reset();
    const res = await post(gw, countBody('breaker'), ANTHROPIC_HEADERS, COUNT_PATH);
    assertEstimated(res);
    assert.equal(an.requests.length, 0, 'the open target is not tried first');
    const line = await logLine(gw, res);
    assert.deepEqual(attemptsOf(line), [['primary', 'oa', 'gpt-c', 'success']]);
  });
});
