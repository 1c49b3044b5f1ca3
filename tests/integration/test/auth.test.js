// Gateway keys: 401 without a valid one (Authorization: Bearer and x-api-key both work), /health
// without one, and the provider only ever sees its own key.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import {
  GATEWAY_KEY,
  GATEWAY_KEY_CORE,
  GATEWAY_KEY_B,
  GATEWAY_KEY_B_CORE,
  PROVIDER_KEY,
  WRONG_KEY,
  WRONG_KEY_CORE,
  openaiClient,
  expectOpenAIError,
  caught,
} from '../lib/fixtures.js';

describe('gateway keys', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        providers: { openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] } },
        keys: [
          { key: GATEWAY_KEY, name: 'team-a' },
          { key: GATEWAY_KEY_B, name: 'team-b' },
        ],
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

  const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'auth' }] });
  const post = (headers) =>
    fetch(`${gw.openaiBaseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  function assertProviderSawOnlyItsKey() {
    assert.ok(mock.requests.length > 0);
    for (const rec of mock.requests) {
      assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEY}`, 'the provider gets its own key as a bearer token');
      assert.ok(!('x-api-key' in rec.headers), 'the client\'s x-api-key header is not forwarded');
      for (const [name, value] of Object.entries(rec.headers)) {
        for (const core of [GATEWAY_KEY_CORE, GATEWAY_KEY_B_CORE]) {
          assert.ok(!String(value).includes(core), `gateway key leaked upstream in header ${name}`);
        }
      }
      assert.ok(!rec.rawBody.includes(GATEWAY_KEY_CORE) && !rec.rawBody.includes(GATEWAY_KEY_B_CORE));
    }
  }

  it('401 without a key', async () => {
    await expectOpenAIError(post({}), 401);
    assert.equal(mock.requests.length, 0);
  });

  it('401 with a wrong key, in either header, and the SDK sees AuthenticationError', async () => {
    await expectOpenAIError(post({ authorization: `Bearer ${WRONG_KEY}` }), 401);
    await expectOpenAIError(post({ 'x-api-key': WRONG_KEY }), 401);
    await expectOpenAIError(post({ authorization: 'Basic dXNlcjpwYXNz' }), 401);
    const error = await caught(openaiClient(gw.openaiBaseURL, WRONG_KEY).chat.completions.create(JSON.parse(body)));
    assert.ok(error instanceof OpenAI.AuthenticationError, `got ${error}`);
    assert.equal(error.status, 401);
    assert.ok(!error.message.includes(WRONG_KEY_CORE), 'the error does not echo the key');
    assert.equal(mock.requests.length, 0);
  });

  it('accepts a valid key as Authorization: Bearer (the OpenAI SDK)', async () => {
    const data = await openaiClient(gw.openaiBaseURL, GATEWAY_KEY).chat.completions.create(JSON.parse(body));
    assert.equal(data.choices[0].message.content, 'mock reply: auth');
    const second = await openaiClient(gw.openaiBaseURL, GATEWAY_KEY_B).chat.completions.create(JSON.parse(body));
    assert.equal(second.choices[0].message.content, 'mock reply: auth');
    assertProviderSawOnlyItsKey();
  });

  it('accepts a valid key as x-api-key', async () => {
    const res = await post({ 'x-api-key': GATEWAY_KEY_B });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).choices[0].message.content, 'mock reply: auth');
    assertProviderSawOnlyItsKey();
  });

  it('asks for a key on the other endpoints too', async () => {
    await expectOpenAIError(fetch(`${gw.openaiBaseURL}/models`, { headers: { authorization: `Bearer ${WRONG_KEY}` } }), 401);
    await expectOpenAIError(
      fetch(`${gw.openaiBaseURL}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/text-embedding-3-small', input: 'x' }),
      }),
      401,
    );
    const ok = await fetch(`${gw.openaiBaseURL}/models`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
    assert.equal(ok.status, 200);
    assert.equal(mock.requests.length, 0);
  });

  it('GET /health answers 200 without a key', async () => {
    const res = await fetch(`${gw.baseURL}/health`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  it('streams with a valid key, and the provider still sees only its own key', async () => {
    const stream = await openaiClient(gw.openaiBaseURL, GATEWAY_KEY).chat.completions.create({ ...JSON.parse(body), stream: true });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(content, 'mock reply: auth');
    assertProviderSawOnlyItsKey();
  });
});
