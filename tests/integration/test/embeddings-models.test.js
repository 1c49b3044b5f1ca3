// Embeddings (float and the SDK's default base64) and the model list through the gateway.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock, mockEmbedding, embeddingToBase64 } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY, openaiClient } from '../lib/fixtures.js';

describe('embeddings and models through the gateway', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  let client;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        providers: {
          openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini', 'text-embedding-3-small'] },
          local: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-local-key', models: ['nomic-embed-text', 'llama-local'] },
        },
        keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
      },
    });
    client = openaiClient(gw.openaiBaseURL);
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  it('decodes the SDK default (base64) embeddings to the provider\'s vectors', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: ['the quick brown fox', 'jumps'] })
      .withResponse();
    assert.equal(data.object, 'list');
    assert.equal(data.data.length, 2);
    assert.deepEqual(data.data[0].embedding, mockEmbedding('the quick brown fox'));
    assert.deepEqual(data.data[1].embedding, mockEmbedding('jumps'));
    assert.deepEqual(data.usage, { prompt_tokens: 5, total_tokens: 5 });
    assert.equal(response.headers.get('x-switchyard-provider'), 'openai');
    assert.equal(response.headers.get('x-switchyard-model'), 'text-embedding-3-small');
    assert.ok(response.headers.get('x-switchyard-request-id'));

    const rec = mock.requests[0];
    assert.equal(rec.path, '/v1/embeddings');
    assert.equal(rec.body.model, 'text-embedding-3-small');
    assert.equal(rec.body.encoding_format, 'base64', 'the SDK asked for base64 and the provider got that request');
    assert.deepEqual(rec.body.input, ['the quick brown fox', 'jumps']);
    assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEY}`);
  });

  it('passes encoding_format float, dimensions, user and unknown fields through', async () => {
    const sent = {
      model: 'openai/text-embedding-3-small',
      input: 'hello',
      encoding_format: 'float',
      dimensions: 4,
      user: 'u-7',
      foo_future: { x: 1 },
    };
    const data = await client.embeddings.create(sent);
    assert.deepEqual(data.data[0].embedding, mockEmbedding('hello', 4));
    assert.deepEqual(mock.requests[0].body, { ...sent, model: 'text-embedding-3-small' });
  });

  it('returns base64 text unchanged when the client asks for base64 explicitly', async () => {
    const res = await fetch(`${gw.openaiBaseURL}/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/text-embedding-3-small', input: 'raw', encoding_format: 'base64' }),
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.data[0].embedding, embeddingToBase64(mockEmbedding('raw')));
  });

  it('accepts token-id inputs and a bare model name', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'nomic-embed-text', input: [[1, 2, 3], [4]], encoding_format: 'float' })
      .withResponse();
    assert.deepEqual(data.data.map((d) => d.embedding), [mockEmbedding([1, 2, 3]), mockEmbedding([4])]);
    assert.equal(response.headers.get('x-switchyard-provider'), 'local');
    assert.equal(mock.requests[0].body.model, 'nomic-embed-text');
  });

  it('lists every configured model as provider/model in the OpenAI shape', async () => {
    const res = await fetch(`${gw.openaiBaseURL}/models`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.object, 'list');
    for (const m of body.data) {
      assert.equal(m.object, 'model');
      assert.equal(typeof m.id, 'string');
    }
    assert.deepEqual(
      body.data.map((m) => m.id).sort(),
      ['local/llama-local', 'local/nomic-embed-text', 'openai/gpt-4o-mini', 'openai/text-embedding-3-small'],
    );

    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids.sort(), body.data.map((m) => m.id).sort(), 'the SDK reads the same list');
  });
});
