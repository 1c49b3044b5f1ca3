// The response cache end to end (CONTRACT.md "Cache (exact and semantic)"), through the official
// SDKs: an opted-in identical call never reaches the mock; every answer-changing parameter is a
// miss; ttl, refresh, per-key isolation and `scope: shared`; a stored JSON answer replayed as a
// stream and the reverse, in both client APIs; errors and tool calls not stored; the memory bound
// under a flood of large entries; the ledger's cache attempt with the spend it saved; two gateways
// sharing one real redis-server, which is then killed and restarted; semantic hits and near-misses
// with the mock's deterministic test embedder.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, GATEWAY_KEY_B, PROVIDER_KEY, WEATHER_TOOL, collectStream, openaiClient } from '../lib/fixtures.js';
import { adminGet, moneyNanos, pollUntil, usdToNanos } from '../lib/ledger.js';
import { startRedis, redisSkip } from '../lib/redis.js';

const ADMIN_KEY = 'admin-key-for-cache-tests';
const PRICES = {
  'openai/gpt-4o-mini': { input: 0, cached_input: 0, output: 1000 }, // 7 output tokens: $0.007
  'openai/test-embedder': { input: 1, cached_input: 0, output: 0 },
};

function config(mock, extra = {}) {
  return {
    admin_key: ADMIN_KEY,
    keys: [
      { key: GATEWAY_KEY, name: 'team-a' },
      { key: GATEWAY_KEY_B, name: 'team-b' },
    ],
    providers: {
      openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini', 'test-embedder'] },
    },
    prices: PRICES,
    routes: {
      faq: { targets: ['openai/gpt-4o-mini'], cache: { mode: 'exact', ttl_s: 600 } },
      shared: { targets: ['openai/gpt-4o-mini'], cache: { mode: 'exact', scope: 'shared' } },
      tools: { targets: ['openai/gpt-4o-mini'], cache: { mode: 'exact', tools: true } },
      plain: { targets: ['openai/gpt-4o-mini'] },
    },
    ...extra,
  };
}

const ASK = (question, extra = {}) => ({ model: 'faq', max_tokens: 50, messages: [{ role: 'user', content: question }], ...extra });

async function chat(client, body, headers = {}) {
  const { data, response } = await client.chat.completions.create(body, { headers }).withResponse();
  return { data, headers: response.headers };
}

async function ledgerCall(gw, requestId) {
  return pollUntil(async () => {
    const res = await adminGet(gw.baseURL, `/admin/requests/${requestId}`, ADMIN_KEY);
    return res.status === 200 ? res.json : undefined;
  }, { what: `the ledger row of ${requestId}` });
}

describe('cache: exact, in memory', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  let client;
  let clientB;
  let anthropic;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({ config: config(mock) });
    client = openaiClient(gw.openaiBaseURL);
    clientB = openaiClient(gw.openaiBaseURL, GATEWAY_KEY_B);
    anthropic = new Anthropic({ apiKey: GATEWAY_KEY, baseURL: gw.baseURL, maxRetries: 0, timeout: 20_000 });
  });
  after(async () => {
    await gw?.stop();
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  it('answers the second identical call from the cache, at $0, saving what the first cost', async () => {
    const first = await chat(client, ASK('what is the cache?'));
    assert.equal(first.headers.get('x-switchyard-cache'), 'miss');
    assert.equal(usdToNanos(first.headers.get('x-switchyard-cost-usd')), 7_000_000n);
    const second = await chat(client, ASK('what is the cache?'));
    assert.equal(second.headers.get('x-switchyard-cache'), 'hit');
    assert.equal(usdToNanos(second.headers.get('x-switchyard-cost-usd')), 0n);
    assert.equal(second.headers.get('x-switchyard-provider'), 'openai');
    assert.equal(mock.requests.length, 1, 'the hit never reached the provider');
    assert.equal(second.data.choices[0].message.content, first.data.choices[0].message.content);
    assert.equal(second.data.choices[0].finish_reason, 'stop');
    assert.deepEqual(second.data.usage.completion_tokens, first.data.usage.completion_tokens);

    const row = await ledgerCall(gw, second.headers.get('x-switchyard-request-id'));
    assert.equal(row.cache, 'hit');
    assert.equal(moneyNanos(row.cost_usd), 0n);
    assert.equal(row.attempts.length, 1);
    assert.equal(row.attempts[0].kind, 'cache');
    assert.equal(moneyNanos(row.attempts[0].saved_usd), 7_000_000n);
    const firstRow = await ledgerCall(gw, first.headers.get('x-switchyard-request-id'));
    assert.equal(firstRow.cache, 'miss');
    const spend = await pollUntil(async () => {
      const res = await adminGet(gw.baseURL, '/admin/spend?group_by=route', ADMIN_KEY);
      const faq = res.json?.rows?.find((r) => r.group === 'faq');
      return faq && moneyNanos(faq.saved_usd) >= 7_000_000n ? faq : undefined;
    }, { what: 'saved_usd in /admin/spend' });
    assert.ok(moneyNanos(spend.saved_usd) >= 7_000_000n);
  });

  it('says off when the call does not opt in, and never stores then', async () => {
    const body = { ...ASK('no opt in'), model: 'plain' };
    const a = await chat(client, body);
    const b = await chat(client, body);
    assert.equal(a.headers.get('x-switchyard-cache'), 'off');
    assert.equal(b.headers.get('x-switchyard-cache'), 'off');
    assert.equal(mock.requests.length, 2);
    // The header opts a call in on any route; `off` opts it out of its route's cache.
    await chat(client, body, { 'x-switchyard-cache': 'on' });
    const hit = await chat(client, body, { 'x-switchyard-cache': 'on' });
    assert.equal(hit.headers.get('x-switchyard-cache'), 'hit');
    const out = await chat(client, ASK('what is the cache?'), { 'x-switchyard-cache': 'off' });
    assert.equal(out.headers.get('x-switchyard-cache'), 'off');
    assert.equal(mock.requests.length, 4);
  });

  it('misses on every answer-changing parameter', async () => {
    const base = ASK('parameters');
    await chat(client, base);
    const variants = [
      { ...base, max_tokens: 51 },
      { ...base, temperature: 0.5 },
      { ...base, top_p: 0.3 },
      { ...base, stop: ['\n'] },
      { ...base, seed: 42 },
      { ...base, response_format: { type: 'json_object' } },
      { ...base, messages: [{ role: 'system', content: 'Answer in French.' }, ...base.messages] },
      { ...base, messages: [{ role: 'user', content: 'parameters!' }] },
      { ...base, tools: [WEATHER_TOOL], tool_choice: 'none' },
    ];
    for (const variant of variants) {
      const res = await chat(client, variant);
      assert.equal(res.headers.get('x-switchyard-cache'), 'miss', JSON.stringify(variant));
    }
    assert.equal(mock.requests.length, 1 + variants.length);
    // Fields that do not change the answer share the entry.
    const same = await chat(client, { ...base, user: 'someone', stream: false });
    assert.equal(same.headers.get('x-switchyard-cache'), 'hit');
  });

  it('expires an entry after its ttl, and refresh rewrites it', async () => {
    const body = ASK('short lived');
    await chat(client, body, { 'x-switchyard-cache-ttl': '1' });
    assert.equal((await chat(client, body)).headers.get('x-switchyard-cache'), 'hit');
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await chat(client, body)).headers.get('x-switchyard-cache'), 'miss');
    assert.equal(mock.requests.length, 2);
    mock.enqueue({ reply: { content: 'the refreshed answer' } });
    const refreshed = await chat(client, body, { 'x-switchyard-cache': 'refresh' });
    assert.equal(refreshed.headers.get('x-switchyard-cache'), 'miss');
    assert.equal(mock.requests.length, 3, 'refresh does not read');
    // The entry is written after the client has its answer: the next call may come first (a new
    // connection, another worker) and still read the old one. Every read is a hit, and the
    // refreshed answer is what it reads once the write has landed.
    const after = await pollUntil(async () => {
      const next = await chat(client, body);
      assert.equal(next.headers.get('x-switchyard-cache'), 'hit');
      return next.data.choices[0].message.content === 'the refreshed answer' ? next : undefined;
    }, { what: 'the refreshed entry' });
    assert.equal(after.data.choices[0].message.content, 'the refreshed answer');
    assert.equal(mock.requests.length, 3, 'only hits after the refresh');
  });

  it('keeps each gateway key to its own entries unless the route shares them', async () => {
    await chat(client, ASK('whose entry'));
    assert.equal((await chat(clientB, ASK('whose entry'))).headers.get('x-switchyard-cache'), 'miss');
    assert.equal(mock.requests.length, 2);
    const shared = { ...ASK('shared entry'), model: 'shared' };
    await chat(client, shared);
    assert.equal((await chat(clientB, shared)).headers.get('x-switchyard-cache'), 'hit');
    assert.equal(mock.requests.length, 3);
  });

  it('replays a stored answer as a stream and a stored stream as JSON (OpenAI SDK)', async () => {
    const body = ASK('stream me');
    const written = await chat(client, body);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } },
      { headers: {} }).withResponse();
    assert.equal(stream.response.headers.get('x-switchyard-cache'), 'hit');
    const collected = await collectStream(stream.data);
    assert.equal(collected.content, written.data.choices[0].message.content);
    assert.equal(collected.finishReason, 'stop');
    assert.equal(collected.usageChunks.length, 1);

    const streamFirst = ASK('written as a stream');
    const live = await collectStream(await client.chat.completions.create({ ...streamFirst, stream: true }));
    const replayed = await chat(client, streamFirst);
    assert.equal(replayed.headers.get('x-switchyard-cache'), 'hit');
    assert.equal(replayed.data.choices[0].message.content, live.content);
    assert.equal(mock.requests.length, 2);
  });

  it('answers an Anthropic client from an entry the OpenAI API wrote, JSON and streamed', async () => {
    const question = 'across apis';
    const written = await chat(client, ASK(question));
    const { data, response } = await anthropic.messages
      .create({ model: 'faq', max_tokens: 50, messages: [{ role: 'user', content: question }] })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-cache'), 'hit');
    assert.equal(data.content[0].text, written.data.choices[0].message.content);
    assert.equal(data.stop_reason, 'end_turn');
    const stream = anthropic.messages.stream({ model: 'faq', max_tokens: 50, messages: [{ role: 'user', content: question }] });
    const final = await stream.finalMessage();
    assert.equal(final.content[0].text, written.data.choices[0].message.content);
    assert.equal(mock.requests.length, 1);
  });

  it('never stores errors, and stores tool calls only where the route allows', async () => {
    mock.enqueue({ status: 500 });
    await assert.rejects(chat(client, ASK('an error')));
    const after = await chat(client, ASK('an error'));
    assert.equal(after.headers.get('x-switchyard-cache'), 'miss');
    assert.equal(mock.requests.length, 2);

    const toolCall = ASK('weather in Paris?', { tools: [WEATHER_TOOL] });
    await chat(client, toolCall);
    assert.equal((await chat(client, toolCall)).headers.get('x-switchyard-cache'), 'miss');
    const allowed = { ...toolCall, model: 'tools' };
    const first = await chat(client, allowed);
    assert.ok(first.data.choices[0].message.tool_calls?.length, 'the mock answered with a tool call');
    const hit = await chat(client, allowed);
    assert.equal(hit.headers.get('x-switchyard-cache'), 'hit');
    assert.equal(hit.data.choices[0].message.tool_calls[0].function.arguments,
      first.data.choices[0].message.tool_calls[0].function.arguments);
  });

  it('refuses a bad cache header with a 400 naming it', async () => {
    await assert.rejects(chat(client, ASK('bad header'), { 'x-switchyard-cache': 'maybe' }),
      (error) => error.status === 400 && /x-switchyard-cache/.test(error.message));
    await assert.rejects(chat(client, ASK('bad header'), { 'x-switchyard-cache-ttl': 'soon' }),
      (error) => error.status === 400 && /x-switchyard-cache-ttl/.test(error.message));
    await assert.rejects(
      anthropic.messages.create({ model: 'faq', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-switchyard-cache': 'maybe' } }),
      (error) => error.status === 400 && error.error?.type === 'error');
    assert.equal(mock.requests.length, 0);
  });
});

describe('cache: the memory bound', { skip: gatewaySkip, timeout: 120_000 }, () => {
  it('holds max_bytes under a flood of large entries', async () => {
    const mock = await startMock();
    const gw = await startGateway({ config: config(mock, { cache: { max_bytes: '256KiB', max_entry_bytes: '64KiB' } }) });
    try {
      const client = openaiClient(gw.openaiBaseURL);
      // Text that does not compress (entries are deflated when that pays): a seeded generator's letters.
      let seed = 12345;
      const noise = (n) => Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return String.fromCharCode(97 + (seed >> 16) % 26);
      }).join('');
      for (let i = 0; i < 80; i += 1) {
        mock.enqueue({ reply: { content: `${i} ${noise(20_000)}` } });
        await chat(client, ASK(`large ${i}`));
      }
      const stats = await adminGet(gw.baseURL, '/admin/cache', ADMIN_KEY);
      assert.equal(stats.status, 200, stats.text);
      assert.equal(stats.json.backend, 'memory');
      assert.ok(stats.json.bytes <= 256 * 1024, `bytes ${stats.json.bytes}`);
      assert.ok(stats.json.evictions > 0, stats.text);
      assert.equal(stats.json.writes, 80);
      // The latest entry is still there; the first was evicted.
      assert.equal((await chat(client, ASK('large 79'))).headers.get('x-switchyard-cache'), 'hit');
      assert.equal((await chat(client, ASK('large 0'))).headers.get('x-switchyard-cache'), 'miss');
      const metrics = await (await fetch(`${gw.baseURL}/metrics`)).text();
      assert.match(metrics, /switchyard_cache_lookups_total\{result="hit"\} 1/);
      assert.match(metrics, /switchyard_cache_evictions_total [1-9]/);
    } finally {
      await gw.stop();
      await mock.close();
    }
  });
});

describe('cache: shared through redis', { skip: gatewaySkip || redisSkip, timeout: 120_000 }, () => {
  it('lets two gateways share entries, and goes on uncached while redis is down', async () => {
    const mock = await startMock();
    const redis = await startRedis();
    const shared = { cache: { backend: 'redis', url: redis.url } };
    const gw1 = await startGateway({ config: config(mock, shared) });
    const gw2 = await startGateway({ config: config(mock, shared) });
    try {
      const c1 = openaiClient(gw1.openaiBaseURL);
      const c2 = openaiClient(gw2.openaiBaseURL);
      const written = await chat(c1, ASK('two gateways'));
      assert.equal(written.headers.get('x-switchyard-cache'), 'miss');
      const hit = await chat(c2, ASK('two gateways'));
      assert.equal(hit.headers.get('x-switchyard-cache'), 'hit');
      assert.equal(hit.data.choices[0].message.content, written.data.choices[0].message.content);
      assert.equal(mock.requests.length, 1);

      await redis.kill();
      const down = await chat(c1, ASK('two gateways'));
      assert.equal(down.headers.get('x-switchyard-cache'), 'miss', 'answered, uncached');
      assert.equal(mock.requests.length, 2);
      const metrics = await (await fetch(`${gw1.baseURL}/metrics`)).text();
      assert.match(metrics, /switchyard_cache_up\{backend="redis"\} 0/);
      assert.match(metrics, /switchyard_cache_errors_total\{reason="unavailable"\} [1-9]/);

      await redis.restart();
      await pollUntil(async () => {
        const res = await chat(c1, ASK('after the restart'));
        return res.headers.get('x-switchyard-cache') === 'miss' || undefined;
      }, { what: 'a call after redis came back' });
      const again = await pollUntil(async () => {
        const res = await chat(c2, ASK('after the restart'));
        return res.headers.get('x-switchyard-cache') === 'hit' ? res : undefined;
      }, { timeoutMs: 15_000, intervalMs: 300, what: 'a shared hit once redis is back' });
      assert.equal(again.headers.get('x-switchyard-cache'), 'hit');
    } finally {
      await gw1.stop();
      await gw2.stop();
      await redis.stop();
      await mock.close();
    }
  });
});

describe('cache: semantic, shared through redis', { skip: gatewaySkip || redisSkip, timeout: 120_000 }, () => {
  it('answers a paraphrase on one gateway from the answer another gateway stored', async () => {
    const mock = await startMock();
    const redis = await startRedis();
    const shared = {
      cache: { backend: 'redis', url: redis.url, semantic: { embedding_model: 'openai/test-embedder', threshold: 0.8 } },
    };
    const gw1 = await startGateway({ config: config(mock, shared) });
    const gw2 = await startGateway({ config: config(mock, shared) });
    try {
      const sem = { 'x-switchyard-cache': 'semantic' };
      const written = await chat(openaiClient(gw1.openaiBaseURL), ASK('How do I reset my password?'), sem);
      assert.equal(written.headers.get('x-switchyard-cache'), 'miss');
      // The vector travels on the redis stream; gw2's follower adds it to gw2's own index.
      await pollUntil(async () => {
        const stats = await adminGet(gw2.baseURL, '/admin/cache', ADMIN_KEY);
        return stats.json?.semantic?.vectors === 1 || undefined;
      }, { what: "gw1's vector in gw2's index" });
      const chats = () => mock.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
      const reused = await chat(openaiClient(gw2.openaiBaseURL), ASK('how do i reset my password'), sem);
      assert.equal(reused.headers.get('x-switchyard-cache'), 'semantic-hit');
      assert.equal(reused.data.choices[0].message.content, written.data.choices[0].message.content);
      assert.equal(chats(), 1, 'the paraphrase did not reach the chat model');
    } finally {
      await gw1.stop();
      await gw2.stop();
      await redis.stop();
      await mock.close();
    }
  });
});

describe('cache: semantic, with the mock test embedder', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  let client;
  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: config(mock, { cache: { semantic: { embedding_model: 'openai/test-embedder', threshold: 0.8 } } }),
    });
    client = openaiClient(gw.openaiBaseURL);
  });
  after(async () => {
    await gw?.stop();
    await mock?.close();
  });

  it('reuses the answer to a paraphrase, and not to a near miss', async () => {
    const sem = { 'x-switchyard-cache': 'semantic' };
    const first = await chat(client, ASK('How do I reset my password?'), sem);
    assert.equal(first.headers.get('x-switchyard-cache'), 'miss');
    const chats = () => mock.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const embeddings = () => mock.requests.filter((r) => r.path.endsWith('/embeddings')).length;
    assert.equal(chats(), 1);
    assert.equal(embeddings(), 1);

    const paraphrase = await chat(client, ASK('how do i reset my password'), sem);
    assert.equal(paraphrase.headers.get('x-switchyard-cache'), 'semantic-hit');
    const similarity = Number(paraphrase.headers.get('x-switchyard-cache-similarity'));
    assert.ok(similarity >= 0.8 && similarity <= 1, `similarity ${similarity}`);
    assert.equal(paraphrase.data.choices[0].message.content, first.data.choices[0].message.content);
    assert.equal(chats(), 1, 'the paraphrase did not reach the chat model');

    const nearMiss = await chat(client, ASK('Which plans include priority support?'), sem);
    assert.equal(nearMiss.headers.get('x-switchyard-cache'), 'miss');
    assert.equal(chats(), 2);

    // A stricter threshold on the call turns the paraphrase into a miss.
    const strict = await chat(client, ASK('how do I reset my password on the mobile app'),
      { ...sem, 'x-switchyard-cache-threshold': '0.999' });
    assert.equal(strict.headers.get('x-switchyard-cache'), 'miss');

    const row = await ledgerCall(gw, paraphrase.headers.get('x-switchyard-request-id'));
    assert.equal(row.cache, 'semantic-hit');
    assert.deepEqual(row.attempts.map((a) => a.kind), ['embedding', 'cache']);
    assert.match(row.attempts[1].reason, /similarity [01]\.\d{4}/);
    assert.ok(moneyNanos(row.cost_usd) > 0n, 'the embedding is priced');
  });

  it('never matches across system prompts', async () => {
    const sem = { 'x-switchyard-cache': 'semantic' };
    const support = (q, system) => ({ ...ASK(q), messages: [{ role: 'system', content: system }, { role: 'user', content: q }] });
    await chat(client, support('Where is my order?', 'You are the support bot.'), sem);
    const other = await chat(client, support('Where is my order?', 'You are the sales bot.'), sem);
    assert.equal(other.headers.get('x-switchyard-cache'), 'miss');
  });
});
