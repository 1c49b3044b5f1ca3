// Inline routes are capped (issue 11, defect 8): an x-switchyard-route object with more targets
// than limits.max_inline_route_targets, or nesting deeper than limits.max_route_depth through the
// configured routes it names, is a 400 in the client's API shape naming the header — before any
// upstream call. It used to make one upstream call per target (2,900 for 2,900 targets).

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { assertOpenAIErrorShape, caught } from '../lib/fixtures.js';
import { chat, post } from '../lib/routing.js';

const inline = (targets) => ({ 'x-switchyard-route': JSON.stringify({ strategy: 'fallback', targets }) });

describe('inline route limits', { skip: gatewaySkip, timeout: 60_000 }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        limits: { max_inline_route_targets: 3, max_route_depth: 2 },
        providers: { a: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-limits-a' } },
        routes: { leaf: { targets: ['a/m1'] }, outer: { targets: ['leaf'] } },
      },
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => {
    mock.reset();
    // Every target fails, so that a call that is not refused tries each of them.
    mock.setDefaultBehaviour({ status: 500 });
  });

  it('more targets than max_inline_route_targets: 400 naming the header, no upstream call', async () => {
    for (const count of [4, 2900]) {
      const targets = Array.from({ length: count }, (_, i) => `a/m${i}`);
      const res = await post(gw, chat('anything'), inline(targets));
      assert.equal(res.status, 400, res.text.slice(0, 300));
      assertOpenAIErrorShape(res.json);
      assert.match(res.json.error.message, /^x-switchyard-route: the inline route lists \d+ targets; at most 3/);
      assert.equal(res.json.error.param, 'x-switchyard-route');
      assert.equal(mock.requests.length, 0, `${count} targets: nothing went upstream`);
    }
  });

  it('within the cap: every target is tried', async () => {
    const res = await post(gw, chat('anything'), inline(['a/m1', 'a/m2', 'a/m3']));
    assert.equal(res.status, 500, res.text);
    assert.equal(mock.requests.length, 3);
  });

  it('nesting deeper than max_route_depth through a configured route: 400, no upstream call', async () => {
    const ok = await post(gw, chat('anything'), inline(['leaf']));
    assert.equal(ok.status, 500, 'inline -> leaf is 2 deep: allowed, and tried');
    mock.reset();
    mock.setDefaultBehaviour({ status: 500 });
    const res = await post(gw, chat('anything'), inline(['outer']));
    assert.equal(res.status, 400, res.text);
    assert.match(res.json.error.message, /nests routes 3 deep \(inline -> outer -> leaf\); limits\.max_route_depth is 2/);
    assert.equal(mock.requests.length, 0);
  });
});

// Configured routes are compiled at startup with the nesting limit the config sets (issue 12): a
// chain as deep as limits.max_route_depth allows is served. The resolver's own guard used to be a
// fixed 8 levels, so a 10-deep chain passed check-config and then failed every call with a 400.
describe('configured routes as deep as max_route_depth', { skip: gatewaySkip, timeout: 60_000 }, () => {
  let mock;
  let gw;
  const depth = 10;

  before(async () => {
    mock = await startMock();
    // Outermost first, so that no route is compiled before the one it names: the whole chain is
    // planned in one go.
    const routes = {};
    for (let i = depth; i >= 2; i--) routes[`r${i}`] = { targets: [`r${i - 1}`] };
    routes.r1 = { targets: [{ model: 'a/deep-model', params: { temperature: 0.25 } }] };
    gw = await startGateway({
      config: {
        limits: { max_route_depth: depth + 1 },
        providers: { a: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-limits-deep' } },
        routes,
      },
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  it(`a ${depth}-deep chain of routes answers, with the innermost target's params`, async () => {
    const res = await post(gw, chat(`r${depth}`));
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.headers.get('x-switchyard-route'), `r${depth}`);
    assert.equal(mock.requests.length, 1);
    assert.equal(mock.requests[0].body.model, 'deep-model');
    assert.equal(mock.requests[0].body.temperature, 0.25);
  });

  it('an inline route through the whole chain is within the limit too', async () => {
    const res = await post(gw, chat('anything'), inline([`r${depth}`]));
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(mock.requests.length, 1);
  });
});

// Race and hedge routes sent inline (issue 13) are held to the config's rules: max_parallel within
// routing.max_parallel_attempts, a hedge's delay, at least two targets, the keys of each strategy
// only on it, and a race's targets within limits.max_inline_route_targets. Each is a 400 in the
// client's API shape naming the field, seen through the official SDKs, before any upstream call.
describe('inline race and hedge routes', { skip: gatewaySkip, timeout: 60_000 }, () => {
  let mock;
  let gw;
  let openai;
  let anthropic;
  const route = (shape) => ({ headers: { 'x-switchyard-route': JSON.stringify(shape) } });
  const cases = [
    [{ strategy: 'race', targets: ['a/m1', 'a/m2', 'a/m3'], max_parallel: 3 },
      /x-switchyard-route\.max_parallel must be an integer from 1 to 2, routing\.max_parallel_attempts \(got '3'\)/],
    [{ strategy: 'hedge', targets: ['a/m1', 'a/m2'] },
      /route 'inline' uses strategy hedge and needs delay_ms or delay \(p50, p75, p90, p95, p99\)/],
    [{ strategy: 'hedge', targets: ['a/m1', 'a/m2'], delay: 'p42' },
      /x-switchyard-route\.delay must be one of p50\|p75\|p90\|p95\|p99 \(got 'p42'\)/],
    [{ strategy: 'race', targets: ['a/m1'] },
      /route 'inline' uses strategy race, which needs at least 2 targets \(it has 1\)/],
    [{ strategy: 'race', targets: ['a/m1', 'a/m2'], delay_ms: 100 },
      /x-switchyard-route\.delay_ms is only for strategy hedge/],
    [{ strategy: 'race', targets: ['a/m1', 'a/m2'], max_cost_usd: 0 },
      /x-switchyard-route\.max_cost_usd must be a positive amount of USD/],
    [{ strategy: 'fallback', targets: ['a/m1', 'a/m2'], max_parallel: 2 },
      /x-switchyard-route\.max_parallel is only for strategy race or hedge/],
    [{ strategy: 'race', targets: ['a/m1', 'a/m2', 'a/m3', 'a/m4'] },
      /the inline route lists 4 targets; at most 3 are allowed/],
  ];

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        limits: { max_inline_route_targets: 3 },
        routing: { max_parallel_attempts: 2 },
        providers: { a: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-limits-race' } },
      },
    });
    openai = new OpenAI({ apiKey: 'unused', baseURL: gw.openaiBaseURL, maxRetries: 0, timeout: 20_000 });
    anthropic = new Anthropic({ apiKey: 'unused', baseURL: gw.baseURL, maxRetries: 0, timeout: 20_000 });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  it('OpenAI SDK: each bad race or hedge shape is a 400 naming x-switchyard-route', async () => {
    for (const [shape, message] of cases) {
      const error = await caught(openai.chat.completions.create(
        { model: 'anything', messages: [{ role: 'user', content: 'race me' }] }, route(shape)));
      assert.ok(error instanceof OpenAI.BadRequestError, `${JSON.stringify(shape)}: ${error}`);
      assert.equal(error.param, 'x-switchyard-route');
      assert.match(error.message, /^400 x-switchyard-route: /);
      assert.match(error.message, message, JSON.stringify(shape));
    }
    assert.equal(mock.requests.length, 0, 'nothing went upstream');
  });

  it('Anthropic SDK: the same problems in the Anthropic error shape', async () => {
    for (const [shape, message] of cases) {
      const error = await caught(anthropic.messages.create(
        { model: 'anything', max_tokens: 16, messages: [{ role: 'user', content: 'race me' }] }, route(shape)));
      assert.ok(error instanceof Anthropic.BadRequestError, `${JSON.stringify(shape)}: ${error}`);
      assert.equal(error.error?.type, 'error');
      assert.equal(error.error?.error?.type, 'invalid_request_error');
      assert.match(error.error.error.message, /^x-switchyard-route: /);
      assert.match(error.error.error.message, message, JSON.stringify(shape));
    }
    assert.equal(mock.requests.length, 0, 'nothing went upstream');
  });
});
