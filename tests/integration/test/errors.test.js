// Error answers: always {"error":{"message","type","param","code"}} with the right status, whether the
// gateway refuses the call itself or the provider fails. Checked with raw fetch (exact status, JSON
// shape) and with the OpenAI SDK (its APIError subclasses and .status).

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { startMock, openaiError } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { PROVIDER_KEY, openaiClient, expectOpenAIError, caught } from '../lib/fixtures.js';
import { closedPort, readBodySafely, withTimeout } from '../lib/util.js';

describe('errors', { skip: gatewaySkip, timeout: 180_000 }, () => {
  let mock;
  let gw;
  let client;

  before(async () => {
    mock = await startMock();
    const refusedPort = await closedPort();
    gw = await startGateway({
      config: {
        limits: { max_body: '64KiB' },
        providers: {
          openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini', 'shared-model'] },
          other: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-other-key', models: ['shared-model'] },
          down: { kind: 'openai', base_url: `http://127.0.0.1:${refusedPort}/v1`, api_key: 'sk-down-key', models: ['down-model'] },
          slow: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-slow-key', models: ['slow-model'], limits: { first_byte_ms: 300 } },
          stalling: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-stalling-key', models: ['stalling-model'], limits: { idle_ms: 300 } },
        },
      },
    });
    client = openaiClient(gw.openaiBaseURL, 'no-keys-configured');
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  const post = (body, { path = '/v1/chat/completions', headers = {} } = {}) =>
    fetch(`${gw.baseURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const chat = (model, text = 'hi') => ({ model, messages: [{ role: 'user', content: text }] });

  describe('refused by the gateway', () => {
    it('400 for a body that is not valid JSON', async () => {
      await expectOpenAIError(post('{"model": "openai/gpt-4o-mini", "messages": ['), 400);
      await expectOpenAIError(post(''), 400);
      assert.equal(mock.requests.length, 0, 'nothing reaches the provider');
    });

    it('400 for a JSON body that is not an object', async () => {
      await expectOpenAIError(post('[1, 2, 3]'), 400);
      await expectOpenAIError(post('"text"'), 400);
      assert.equal(mock.requests.length, 0);
    });

    it('400 for a missing model', async () => {
      await expectOpenAIError(post({ messages: [{ role: 'user', content: 'x' }] }), 400);
      const error = await caught(client.chat.completions.create({ messages: [{ role: 'user', content: 'x' }] }));
      assert.ok(error instanceof OpenAI.BadRequestError, `got ${error}`);
      assert.equal(error.status, 400);
      assert.equal(mock.requests.length, 0);
    });

    it('400 for missing messages', async () => {
      await expectOpenAIError(post({ model: 'openai/gpt-4o-mini' }), 400);
      const error = await caught(client.chat.completions.create({ model: 'openai/gpt-4o-mini' }));
      assert.ok(error instanceof OpenAI.BadRequestError, `got ${error}`);
      assert.equal(mock.requests.length, 0);
    });

    it('400 listing the candidates for an ambiguous bare model name', async () => {
      const { error } = await expectOpenAIError(post(chat('shared-model')), 400);
      assert.match(error.message, /openai\/shared-model/);
      assert.match(error.message, /other\/shared-model/);
      const sdkError = await caught(client.chat.completions.create(chat('shared-model')));
      assert.ok(sdkError instanceof OpenAI.BadRequestError, `got ${sdkError}`);
      assert.equal(mock.requests.length, 0);
    });

    it('404 for an unknown provider and for an unknown model', async () => {
      await expectOpenAIError(post(chat('nosuchprovider/gpt-4o-mini')), 404);
      await expectOpenAIError(post(chat('no-such-model-anywhere')), 404);
      const error = await caught(client.chat.completions.create(chat('nosuchprovider/gpt-4o-mini')));
      assert.ok(error instanceof OpenAI.NotFoundError, `got ${error}`);
      assert.equal(error.status, 404);
      const embedError = await caught(client.embeddings.create({ model: 'nosuchprovider/emb', input: 'x' }));
      assert.equal(embedError.status, 404);
      assert.equal(mock.requests.length, 0);
    });

    it('404 for an unknown path', async () => {
      await expectOpenAIError(post(chat('openai/gpt-4o-mini'), { path: '/v1/no-such-endpoint' }), 404);
      await expectOpenAIError(fetch(`${gw.baseURL}/no/such/path`), 404);
      assert.equal(mock.requests.length, 0);
    });

    it('413 for a body over limits.max_body, while a body under it passes', async () => {
      const under = await client.chat.completions.create(chat('openai/gpt-4o-mini', 'u'.repeat(32 * 1024)));
      assert.equal(under.choices[0].message.content.length, 'mock reply: '.length + 32 * 1024);
      mock.reset();

      await expectOpenAIError(post(chat('openai/gpt-4o-mini', 'x'.repeat(96 * 1024))), 413);
      const error = await caught(client.chat.completions.create(chat('openai/gpt-4o-mini', 'y'.repeat(96 * 1024))));
      assert.ok(error instanceof OpenAI.APIError, `got ${error}`);
      assert.equal(error.status, 413);
      assert.equal(mock.requests.length, 0);
    });
  });

  describe('provider failures', () => {
    it('429 keeps its status and the provider\'s message', async () => {
      mock.enqueue(
        { status: 429, headers: { 'retry-after': '1' }, body: openaiError('Rate limit reached for test', { type: 'requests', code: 'rate_limit_exceeded' }) },
        { status: 429, headers: { 'retry-after': '1' }, body: openaiError('Rate limit reached for test', { type: 'requests', code: 'rate_limit_exceeded' }) },
      );
      const { error, headers } = await expectOpenAIError(post(chat('openai/gpt-4o-mini')), 429);
      assert.match(error.message, /Rate limit reached for test/);
      assert.ok(headers.get('x-switchyard-request-id'), 'errors carry the request id too');

      const sdkError = await caught(client.chat.completions.create(chat('openai/gpt-4o-mini')));
      assert.ok(sdkError instanceof OpenAI.RateLimitError, `got ${sdkError}`);
      assert.equal(sdkError.status, 429);
      assert.match(sdkError.message, /Rate limit reached for test/);
      assert.equal(mock.requests.length, 2, 'a plain call is tried once');
    });

    it('500 and 503 keep their status and message', async () => {
      mock.enqueue(
        { status: 500, body: openaiError('The server had an error (test 500)', { type: 'server_error' }) },
        { status: 503, body: openaiError('Engine overloaded (test 503)', { type: 'server_error' }) },
      );
      const e500 = await caught(client.chat.completions.create(chat('openai/gpt-4o-mini')));
      assert.ok(e500 instanceof OpenAI.InternalServerError, `got ${e500}`);
      assert.equal(e500.status, 500);
      assert.match(e500.message, /test 500/);
      const { error } = await expectOpenAIError(post(chat('openai/gpt-4o-mini')), 503);
      assert.match(error.message, /test 503/);
    });

    it('a provider 400 keeps its status and message', async () => {
      mock.enqueue({ status: 400, body: openaiError("Invalid value for 'temperature' (test 400)", { param: 'temperature' }) });
      const { error } = await expectOpenAIError(post(chat('openai/gpt-4o-mini')), 400);
      assert.match(error.message, /test 400/);
    });

    it('a provider error whose body is not JSON still reaches the client in the OpenAI shape', async () => {
      mock.enqueue({ status: 500, rawBody: '<html><body>upstream exploded</body></html>', headers: { 'content-type': 'text/html' } });
      const { error } = await expectOpenAIError(post(chat('openai/gpt-4o-mini')), 500);
      assert.ok(!error.message.includes('<html>'), 'a raw HTML body is not passed off as the message');
    });

    it('502 when the provider refuses connections', async () => {
      const { headers } = await expectOpenAIError(post(chat('down/down-model')), 502);
      assert.ok(headers.get('x-switchyard-request-id'));
      const error = await caught(client.chat.completions.create(chat('down/down-model')));
      assert.ok(error instanceof OpenAI.APIError && !(error instanceof OpenAI.APIConnectionError), `got ${error}`);
      assert.equal(error.status, 502);
    });

    it('504 when the provider sends nothing within first_byte_ms, and the upstream connection is closed', async () => {
      mock.enqueue({ hang: true });
      const { error } = await expectOpenAIError(post(chat('slow/slow-model')), 504);
      assert.ok(error.message.length > 0);
      const [rec] = await mock.waitForRequests(1);
      await withTimeout(rec.connectionClosed, 5_000, 'the gateway to close the timed-out upstream connection');

      mock.enqueue({ delayMs: 5_000 });
      const sdkError = await caught(client.chat.completions.create(chat('slow/slow-model')));
      assert.ok(sdkError instanceof OpenAI.APIError && !(sdkError instanceof OpenAI.APIConnectionError), `got ${sdkError}`);
      assert.equal(sdkError.status, 504);
    });

    it('a stream that goes quiet for longer than idle_ms fails, and the upstream connection is closed', async () => {
      mock.enqueue({ stream: { stallAfterChunks: 2 } });
      const stream = await client.chat.completions.create({ ...chat('stalling/stalling-model', 'one two three'), stream: true });
      const seen = [];
      await assert.rejects(
        withTimeout(
          (async () => {
            for await (const chunk of stream) seen.push(chunk);
          })(),
          20_000,
          'the stalled stream',
        ),
        (error) => error.code !== 'TEST_TIMEOUT',
        'the SDK iteration throws once the gateway gives up on the silent provider',
      );
      assert.equal(seen.length, 2, 'the two chunks sent before the stall were relayed');
      const [rec] = await mock.waitForRequests(1);
      await withTimeout(rec.connectionClosed, 5_000, 'the gateway to close the idle upstream connection');
    });

    it('a stream that breaks upstream does not end as if complete', async () => {
      mock.enqueue({ stream: { dropAfterChunks: 3 } });
      const stream = await client.chat.completions.create({ ...chat('openai/gpt-4o-mini', 'one two three four five'), stream: true });
      const seen = [];
      await assert.rejects(
        withTimeout(
          (async () => {
            for await (const chunk of stream) seen.push(chunk);
          })(),
          20_000,
          'the broken stream',
        ),
        (error) => error.code !== 'TEST_TIMEOUT',
        'the SDK iteration throws (an error event or a cut connection), it does not end cleanly',
      );
      assert.ok(seen.length >= 1, 'the chunks sent before the break were relayed');
      assert.equal(seen[0].choices[0].delta.role, 'assistant');

      mock.enqueue({ stream: { dropAfterChunks: 3 } });
      const res = await post({ ...chat('openai/gpt-4o-mini', 'one two three four five'), stream: true });
      assert.equal(res.status, 200);
      const { text } = await withTimeout(readBodySafely(res), 20_000, 'the raw broken stream');
      assert.ok(!text.includes('data: [DONE]'), 'no [DONE] after a broken stream');
    });
  });
});
