// Governance end to end (CONTRACT.md "Governance"): virtual keys through the admin API and the CLI,
// hard and soft budgets that hold under concurrency, rate limits with the gateway's own headers,
// allowed models, the audit log, spend that survives a restart, a revocation seen by a second
// gateway on the same ledger, and rate limits and budgets shared by two gateways through a real
// redis-server (started here on loopback), which is then killed. Refusals come in each client API's shape and never reach the mock.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip, runSwitchyard, makeTempDir } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY, expectOpenAIError, openaiClient } from '../lib/fixtures.js';
import { adminGet, moneyNanos, pollUntil } from '../lib/ledger.js';
import { startRedis, redisSkip } from '../lib/redis.js';

const ADMIN_KEY = 'admin-key-for-governance-tests';
// $1000 per million output tokens, inputs free: each mock answer (7 output tokens) costs $0.007,
// and a call that asks for max_tokens 7 reserves exactly that.
const PRICES = {
  'openai/gpt-4o-mini': { input: 0, cached_input: 0, output: 1000 },
  'anthropic/claude-3-5-haiku-latest': { input: 0, cached_input: 0, cache_write_5m: 0, cache_write_1h: 0, output: 1000 },
};
const CALL = { model: 'openai/gpt-4o-mini', max_tokens: 7, messages: [{ role: 'user', content: 'budget' }] };

function baseConfig(mock, extra = {}) {
  return {
    admin_key: ADMIN_KEY,
    providers: {
      openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini', 'text-embedding-3-small'] },
      anthropic: { base_url: mock.origin, api_key: PROVIDER_KEY, models: ['claude-3-5-haiku-latest'] },
    },
    prices: PRICES,
    ...extra,
  };
}

async function admin(gw, method, pathName, body) {
  const res = await fetch(`${gw.baseURL}${pathName}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text, headers: res.headers };
}

function chat(gw, key, body = CALL, headers = {}) {
  return fetch(`${gw.openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });
}

function messages(gw, key, body) {
  return fetch(`${gw.baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body ?? { model: 'anthropic/claude-3-5-haiku-latest', max_tokens: 7, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function anthropicError(res, status) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  const body = JSON.parse(text);
  assert.equal(body.type, 'error');
  return body.error;
}

describe('governance: virtual keys', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  before(async () => {
    mock = await startMock({ formats: ['openai', 'anthropic'] });
    gw = await startGateway({ config: baseConfig(mock) });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  it('creates a key that works, shows its secret once and lists it without one', async () => {
    const created = await admin(gw, 'POST', '/admin/keys', { name: 'app', team: 'search', tags: { env: 'test' } });
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.key, /^sy-[0-9A-Za-z]{43}$/);
    assert.match(created.json.id, /^key_[0-9a-f]{16}$/);
    assert.equal(created.json.prefix, created.json.key.slice(0, 9));
    const res = await chat(gw, created.json.key);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(mock.requests.length, 1);
    const listed = await admin(gw, 'GET', '/admin/keys');
    assert.equal(listed.status, 200);
    assert.ok(!listed.text.includes(created.json.key), 'the listing holds no secret');
    const mine = listed.json.data.find((k) => k.id === created.json.id);
    assert.equal(mine.name, 'app');
    assert.equal(mine.team, 'search');
    assert.equal(mine.key, undefined);
    const shown = await admin(gw, 'GET', `/admin/keys/${created.json.id}`);
    assert.equal(shown.status, 200);
    assert.equal(typeof shown.json.spent_usd, 'number');
    assert.ok(!shown.text.includes(created.json.key));
  });

  it('refuses calls without a key once a key exists', async () => {
    const res = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CALL),
    });
    assert.equal(res.status, 401);
    assert.equal(mock.requests.length, 0);
  });

  it('rotate stops the old secret at once; revoke stops the key at once', async () => {
    const created = (await admin(gw, 'POST', '/admin/keys', { name: 'rotating' })).json;
    const rotated = await admin(gw, 'POST', `/admin/keys/${created.id}/rotate`);
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.json.key, created.key);
    assert.equal((await chat(gw, created.key)).status, 401);
    assert.equal((await chat(gw, rotated.json.key)).status, 200);
    const revoked = await admin(gw, 'DELETE', `/admin/keys/${created.id}`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.ok(revoked.json.revoked_at);
    const { error } = await expectOpenAIError(chat(gw, rotated.json.key), 401);
    assert.match(error.message, /revoked/);
    assert.ok(!error.message.includes(rotated.json.key));
  });

  it('a key reaches only its models: 403 in each API\'s shape, upstream not called', async () => {
    const key = (await admin(gw, 'POST', '/admin/keys', { name: 'openai-only', models: ['openai/*'] })).json.key;
    assert.equal((await chat(gw, key)).status, 200);
    mock.reset();
    const { error } = await expectOpenAIError(
      chat(gw, key, { model: 'anthropic/claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'x' }] }),
      403,
    );
    assert.equal(error.code, 'permission_denied');
    const anthropic = await anthropicError(await messages(gw, key), 403);
    assert.equal(anthropic.type, 'permission_error');
    const embeddings = await fetch(`${gw.openaiBaseURL}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'anthropic/claude-3-5-haiku-latest', input: 'x' }),
    });
    assert.equal(embeddings.status, 403);
    assert.equal(mock.requests.length, 0, 'no refused call reached the provider');
    const models = await (await fetch(`${gw.openaiBaseURL}/models`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.ok(models.data.every((m) => m.id.startsWith('openai/')), JSON.stringify(models.data.map((m) => m.id)));
  });

  it('rejects bad key fields with a 400 naming them', async () => {
    for (const [body, says] of [
      [{ name: 'x', colour: 'red' }, /unknown field 'colour'/],
      [{ team: 'x' }, /needs a name/],
      [{ name: 'x', budget: { usd: -1 } }, /budget\.usd/],
      [{ name: 'x', limits: { rpm: 0 } }, /limits\.rpm/],
    ]) {
      const res = await admin(gw, 'POST', '/admin/keys', body);
      assert.equal(res.status, 400, res.text);
      assert.match(res.json.error.message, says);
    }
    assert.equal((await admin(gw, 'PATCH', '/admin/keys/key_0000000000000000', { team: 'x' })).status, 404);
    const noAdmin = await fetch(`${gw.baseURL}/admin/keys`, { method: 'POST', body: '{"name":"x"}' });
    assert.equal(noAdmin.status, 401);
  });

  it('keeps every admin action in the audit log, without secrets', async () => {
    const created = (await admin(gw, 'POST', '/admin/keys', { name: 'audited' })).json;
    await admin(gw, 'PATCH', `/admin/keys/${created.id}`, { team: 'ops' });
    await admin(gw, 'DELETE', `/admin/keys/${created.id}`);
    const audit = await admin(gw, 'GET', '/admin/audit?limit=1000');
    assert.equal(audit.status, 200, audit.text);
    const mine = audit.json.data.filter((e) => e.target === created.id);
    assert.deepEqual(mine.map((e) => e.action), ['key.create', 'key.update', 'key.revoke']);
    assert.equal(mine[1].before.team, '');
    assert.equal(mine[1].after.team, 'ops');
    assert.equal(mine[0].actor, 'admin-api');
    assert.ok(!audit.text.includes(created.key), 'no secret in the audit log');
  });
});

describe('governance: budgets', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  before(async () => {
    mock = await startMock({ formats: ['openai', 'anthropic'] });
    gw = await startGateway({
      config: baseConfig(mock, {
        keys: [
          { key: GATEWAY_KEY, name: 'capped', budget: { usd: 0.35, period: 'day', mode: 'hard' } },
          { key: `${GATEWAY_KEY}-soft`, name: 'soft', budget: { usd: 0.01, period: 'day', mode: 'soft' } },
        ],
      }),
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

  it('200 concurrent calls against a hard budget with room for 50: at most 50 (+1) pass', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(gw, GATEWAY_KEY)));
    const ok = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 402);
    assert.ok(ok >= 49 && ok <= 51, `${ok} succeeded`);
    assert.equal(ok + refused.length, 200, results.map((r) => r.status).join(','));
    assert.equal(mock.requests.length, ok, 'a refused call never reaches the provider');
    const { error, headers } = await expectOpenAIError(chat(gw, GATEWAY_KEY), 402);
    assert.equal(error.type, 'insufficient_quota');
    assert.equal(error.code, 'budget_exceeded');
    assert.equal(headers.get('x-should-retry'), 'false');
    const anthropic = await anthropicError(await messages(gw, GATEWAY_KEY), 402);
    assert.equal(anthropic.type, 'billing_error');
    // The recorded spend passes the limit by at most one call's cost.
    const spend = await pollUntil(async () => {
      const r = await adminGet(gw.baseURL, '/admin/spend?group_by=key', ADMIN_KEY);
      const row = r.json?.rows?.find((x) => x.group === 'capped');
      return row && row.attempts >= ok ? row : undefined;
    }, { what: 'the capped key\'s spend in the ledger' });
    const spent = moneyNanos(spend.cost_usd);
    assert.ok(spent <= 357_000_000n, `spent ${spent} nano-dollars`);
    assert.ok(spent >= 343_000_000n, `spent ${spent} nano-dollars: every admitted call was counted`);
  });

  it('a soft budget alerts (a log line) and lets the call through', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await chat(gw, `${GATEWAY_KEY}-soft`)).status, 200);
    await pollUntil(() => Promise.resolve(/soft budget passed: the soft budget of key:config:soft/.test(gw.stderr()) || undefined), { what: 'the soft budget\'s log line' });
    const log = fs.readFileSync(gw.accessLogPath, 'utf8');
    assert.match(log, /"budget_alert":"key:config:soft day"/);
  });
});

describe('governance: rate limits', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: baseConfig(mock, { keys: [{ key: GATEWAY_KEY, name: 'limited', limits: { rpm: 3 } }] }),
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });

  it('counts requests exactly under concurrency; the 429 says when to retry', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => chat(gw, GATEWAY_KEY)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    const ok = results.find((r) => r.status === 200);
    assert.equal(ok.headers.get('x-ratelimit-limit-requests'), '3');
    assert.match(ok.headers.get('x-ratelimit-remaining-requests'), /^[0-2]$/);
    const limited = results.find((r) => r.status === 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.match(limited.headers.get('x-ratelimit-reset-requests'), /^\d+(\.\d+)?(ms|s)$|^\d+m\d+s$/);
    const body = await limited.json();
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.equal(mock.requests.length, 3);
  });
});

describe('governance: a model\'s own rate limit', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  before(async () => {
    mock = await startMock({ formats: ['openai', 'anthropic'] });
    gw = await startGateway({
      config: baseConfig(mock, {
        governance: { limits: { 'model:openai/gpt-4o-mini': { rpm: 2 } } },
        routes: { spill: { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'] } },
      }),
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });

  it('once it is used up, a call to the model is a 429 and a route moves on, nothing sent', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await chat(gw, 'unused', { ...CALL, model: 'spill' })).status, 200);
    assert.equal(mock.requests.length, 2);
    const spilled = await chat(gw, 'unused', { ...CALL, model: 'spill' });
    assert.equal(spilled.status, 200);
    assert.equal(spilled.headers.get('x-switchyard-model'), 'claude-3-5-haiku-latest');
    assert.equal(mock.requests.length, 3, 'the limited attempt was not sent');
    const record = await pollUntil(async () => {
      const r = await adminGet(gw.baseURL, `/admin/requests/${spilled.headers.get('x-switchyard-request-id')}`, ADMIN_KEY);
      return r.status === 200 ? r.json : undefined;
    }, { what: 'the spilled call in the ledger' });
    assert.equal(record.attempts[0].status, 'rate_limited');
    assert.equal(record.attempts[1].model, 'claude-3-5-haiku-latest');
    const direct = await chat(gw, 'unused');
    assert.equal(direct.status, 429);
    assert.ok(Number(direct.headers.get('retry-after')) >= 1);
    assert.equal(mock.requests.length, 3);
  });
});

describe('governance: across restarts and instances', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  const gateways = [];
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    try {
      for (const gw of gateways) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });

  it('spend survives a restart; a revocation on one gateway reaches the other on the same ledger', async () => {
    const dir = makeTempDir();
    const ledger = { backend: 'sqlite', path: path.join(dir, 'ledger.db') };
    const config = baseConfig(mock, { ledger, governance: { refresh_ms: 100 } });
    const a = await startGateway({ config });
    gateways.push(a);
    const created = (await admin(a, 'POST', '/admin/keys', { name: 'shared', budget: { usd: 0.02, period: 'month' } })).json;
    assert.equal((await chat(a, created.key)).status, 200);
    assert.equal((await chat(a, created.key)).status, 200);
    // $0.014 spent: a third call, which may cost up to $0.007, would pass the $0.02.
    assert.equal(await a.stop(), 0);
    gateways.pop();

    const b = await startGateway({ config });
    const c = await startGateway({ config });
    gateways.push(b, c);
    const refused = await chat(b, created.key);
    assert.equal(refused.status, 402, 'the key is known and its spend before the restart still counts');
    // c started before b's last call; it sees the key and revocations through the ledger.
    const again = await admin(c, 'POST', '/admin/keys', { name: 'second' });
    assert.equal((await chat(c, again.json.key)).status, 200);
    await pollUntil(async () => ((await chat(b, again.json.key)).status === 200) || undefined, { what: 'the key made on c to work on b' });
    assert.equal((await admin(c, 'DELETE', `/admin/keys/${again.json.id}`)).status, 200);
    assert.equal((await chat(c, again.json.key)).status, 401, 'revoked at once where it was revoked');
    await pollUntil(async () => ((await chat(b, again.json.key)).status === 401) || undefined, { timeoutMs: 2_000, what: 'b to refuse the revoked key within a second or two' });
  });

  it('switchyard keys works on the database with no gateway, and through a running one', async () => {
    const dir = makeTempDir();
    const configPath = path.join(dir, 'switchyard.yaml');
    fs.writeFileSync(configPath, `admin_key: ${ADMIN_KEY}\nlisten: 127.0.0.1:1\nledger: { path: ${path.join(dir, 'ledger.db')} }\n`);
    const created = await runSwitchyard(['keys', '--config', configPath, 'create', '--name', 'cli-key', '--team', 'ops', '--budget-usd', '5', '--rpm', '60']);
    assert.equal(created.code, 0, created.stderr);
    const secret = created.stdout.trim();
    assert.match(secret, /^sy-[0-9A-Za-z]{43}$/);
    assert.match(created.stderr, /shown once/);
    const listed = await runSwitchyard(['keys', '--config', configPath, 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /cli-key/);
    assert.ok(!listed.stdout.includes(secret));
    const id = /(key_[0-9a-f]{16})/.exec(listed.stdout)[1];
    const json = await runSwitchyard(['keys', '--config', configPath, '--format', 'json', 'show', id]);
    assert.equal(JSON.parse(json.stdout).limits.rpm, 60);
    assert.equal((await runSwitchyard(['keys', '--config', configPath, 'show', 'key_nope'])).code, 2);

    const gw = await startGateway({ config: { admin_key: ADMIN_KEY, ledger: { path: path.join(dir, 'ledger.db') }, providers: baseConfig(mock).providers } });
    gateways.push(gw);
    assert.equal((await chat(gw, secret, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).status, 200);
    const revoked = await runSwitchyard(['keys', '--config', configPath, '--url', gw.baseURL, 'revoke', id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await chat(gw, secret)).status, 401, 'revoked through the running gateway: at once');
    const audit = await admin(gw, 'GET', '/admin/audit');
    const actors = audit.json.data.filter((e) => e.target === id).map((e) => `${e.action}:${e.actor}`);
    assert.deepEqual(actors, ['key.create:cli', 'key.revoke:admin-api']);
  });
});

describe('governance: state shared in Redis', { skip: gatewaySkip || redisSkip, timeout: 120_000 }, () => {
  let mock;
  let redis;
  const gateways = [];
  const LIMITED = `${GATEWAY_KEY}-limited`;
  const BUDGETED = `${GATEWAY_KEY}-budgeted`;
  before(async () => {
    mock = await startMock();
    redis = await startRedis();
    const config = baseConfig(mock, {
      state: { backend: 'redis', url: redis.url },
      keys: [
        { key: LIMITED, name: 'limited', limits: { rpm: 6 } },
        { key: BUDGETED, name: 'budgeted', budget: { usd: 0.035, period: 'total', mode: 'hard' } },
      ],
    });
    gateways.push(await startGateway({ config }), await startGateway({ config }));
  });
  after(async () => {
    try {
      for (const gw of gateways) assert.equal(await gw.stop(), 0);
    } finally {
      await redis?.stop();
      await mock?.close();
    }
  });

  it('a rate limit is exact across two gateways', async () => {
    const [a, b] = gateways;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => chat(i % 2 ? a : b, LIMITED)));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429]);
  });

  it('a hard budget holds across two gateways', async () => {
    const [a, b] = gateways;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => chat(i % 2 ? a : b, BUDGETED)));
    const ok = results.filter((r) => r.status === 200).length;
    assert.equal(ok, 5, results.map((r) => r.status).join(','));
    assert.equal((await chat(a, BUDGETED)).status, 402);
    assert.equal((await chat(b, BUDGETED)).status, 402);
  });

  it('with Redis gone: rate limits fail open, budgets fail closed, and the metrics say so', async () => {
    const [a] = gateways;
    await redis.kill();
    const limited = await chat(a, LIMITED);
    assert.equal(limited.status, 200, 'rate limits fail open');
    const budgeted = await chat(a, BUDGETED);
    assert.equal(budgeted.status, 503, 'budgets fail closed');
    assert.match((await budgeted.json()).error.message, /budgets fail closed/);
    const metrics = await (await fetch(`${a.baseURL}/metrics`)).text();
    assert.match(metrics, /switchyard_state_up 0/);
    assert.match(metrics, /switchyard_state_unreachable_total\{decision="admitted"\} [1-9]/);
    assert.match(metrics, /switchyard_state_unreachable_total\{decision="refused"\} [1-9]/);
    assert.match(a.stderr(), /counter store is unreachable/);
    // Back: an empty Redis again (no persistence), so the limited key has its minute anew.
    await redis.restart();
    await pollUntil(async () => ((await chat(a, LIMITED)).status === 200 && /switchyard_state_up 1/.test(await (await fetch(`${a.baseURL}/metrics`)).text())) || undefined, { timeoutMs: 15_000, what: 'the gateway to use Redis again' });
  });
});
