// Issue 11 defect 2: response header injection. A model name with CR/LF was echoed in
// x-switchyard-model (a real `X-Injected` header, and with a blank line a whole second response);
// an unknown body field's name with CR/LF did the same through x-switchyard-dropped-params. Read
// over a raw socket with `Connection: close`: the client gets exactly one response, and no header
// the client did not ask the gateway for.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY } from '../lib/fixtures.js';
import { jsonPost, rawConnect } from '../lib/raw-http.js';

const INJECTION = '\r\nX-Injected: 1';
const SECOND_RESPONSE = '\r\n\r\nHTTP/1.1 200 OK\r\nX-Injected: 2\r\nContent-Length: 0\r\n\r\n';

describe('header injection', { skip: gatewaySkip }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock({ formats: ['openai', 'anthropic'] });
    gw = await startGateway({
      config: {
        providers: {
          openai: { kind: 'openai', base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] },
          an: { kind: 'anthropic', base_url: mock.origin, api_key: PROVIDER_KEY, models: ['claude-sonnet-4-6'] },
        },
        keys: [{ key: GATEWAY_KEY, name: 'inject' }],
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await mock?.close();
  });

  // Sends one request with Connection: close and returns the one response and whatever followed it.
  async function exchange(path, body, headers) {
    const conn = await rawConnect(gw.port);
    try {
      await conn.write(jsonPost(path, body, { Connection: 'close', ...headers }));
      const res = await conn.readResponse(15_000);
      await conn.waitForClose(15_000);
      return { res, rest: conn.buffer.toString('latin1'), received: conn.received.toString('latin1') };
    } finally {
      conn.destroy();
    }
  }

  function assertNotInjected({ res, rest, received }) {
    assert.equal(rest, '', `bytes after the one response: ${JSON.stringify(rest)}`);
    assert.equal(res.headers['x-injected'], undefined, res.rawHead);
    assert.ok(!/\r\nX-Injected/i.test(received), JSON.stringify(received));
  }

  for (const [what, tail] of [['CR/LF', INJECTION], ['a blank line and a second response', SECOND_RESPONSE]]) {
    it(`a model name with ${what} is a 400 naming model (OpenAI client)`, async () => {
      const before = mock.requests.length;
      const out = await exchange(
        '/v1/chat/completions',
        { model: `openai/gpt-4o-mini${tail}`, messages: [{ role: 'user', content: 'hi' }] },
        { Authorization: `Bearer ${GATEWAY_KEY}` },
      );
      assertNotInjected(out);
      assert.equal(out.res.status, 400, out.received);
      assert.equal(out.res.json.error.param, 'model');
      assert.match(out.res.json.error.message, /model/);
      assert.equal(mock.requests.length, before, 'refused before any routing');
    });

    it(`a model name with ${what} is a 400 naming model (Anthropic client)`, async () => {
      const out = await exchange(
        '/v1/messages',
        { model: `an/claude-sonnet-4-6${tail}`, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
        { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' },
      );
      assertNotInjected(out);
      assert.equal(out.res.status, 400, out.received);
      assert.equal(out.res.json.type, 'error');
      assert.match(out.res.json.error.message, /model/);
    });
  }

  it('an unknown body field named with CR/LF is listed as dropped without making a header', async () => {
    for (const tail of [INJECTION, SECOND_RESPONSE]) {
      const out = await exchange(
        '/v1/chat/completions',
        { model: 'an/claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }], [`unknown_field${tail}`]: 1 },
        { Authorization: `Bearer ${GATEWAY_KEY}` },
      );
      assertNotInjected(out);
      assert.equal(out.res.status, 200, out.received);
      // The field is still named, with the control characters left out.
      assert.match(out.res.headers['x-switchyard-dropped-params'] ?? '', /^unknown_field/, out.res.rawHead);
    }
  });
});
