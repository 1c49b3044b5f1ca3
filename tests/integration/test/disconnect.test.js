// A client that goes away cancels its upstream attempt: the provider sees its connection closed, so it
// stops generating. The mock's streamForever never ends by itself, so only the gateway can end it.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { PROVIDER_KEY, GATEWAY_KEY, openaiClient } from '../lib/fixtures.js';
import { withTimeout } from '../lib/util.js';

const CLOSE_WITHIN_MS = 5_000;

describe('client disconnects', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;
  let client;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        providers: { openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] } },
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

  const request = (text) => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: text }] });

  it('aborting a stream after its first chunk closes the upstream connection', async () => {
    mock.enqueue({ streamForever: { intervalMs: 50 } });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ ...request('forever'), stream: true }, { signal: controller.signal });
    let chunks = 0;
    await withTimeout(
      (async () => {
        try {
          for await (const chunk of stream) {
            chunks += 1;
            if (chunk.choices[0]?.delta?.content) {
              controller.abort();
              break;
            }
          }
        } catch (error) {
          if (!(error instanceof OpenAI.APIUserAbortError) && error.name !== 'AbortError') throw error;
        }
      })(),
      20_000,
      'the first content chunk',
    );
    assert.ok(chunks >= 1);
    const [rec] = await mock.waitForRequests(1);
    await withTimeout(rec.connectionClosed, CLOSE_WITHIN_MS, 'the mock to see the upstream connection closed');
    assert.equal(rec.aborted, true, 'the upstream response was cut short, not finished');
    assert.equal(rec.fault, null, 'the mock did not end it itself');
  });

  it('aborting a plain call while the provider is still thinking closes the upstream connection', async () => {
    mock.enqueue({ hang: true });
    const controller = new AbortController();
    const call = client.chat.completions.create(request('hang'), { signal: controller.signal }).catch((e) => e);
    const [rec] = await mock.waitForRequests(1);
    controller.abort();
    const error = await withTimeout(call, 10_000, 'the aborted call');
    assert.ok(error instanceof OpenAI.APIUserAbortError, `got ${error}`);
    await withTimeout(rec.connectionClosed, CLOSE_WITHIN_MS, 'the mock to see the upstream connection closed');
  });

  it('keeps serving after clients went away', async () => {
    const data = await client.chat.completions.create(request('still here'));
    assert.equal(data.choices[0].message.content, 'mock reply: still here');
    const stream = await client.chat.completions.create({ ...request('still streaming'), stream: true });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(content, 'mock reply: still streaming');
  });
});
