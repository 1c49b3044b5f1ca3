// TLS to providers. The test makes its own certificate authority with `openssl`, serves the mock over
// HTTPS with a certificate from it, and points the gateway at the CA with SSL_CERT_FILE (the gateway
// uses OpenSSL's default verify paths). The gateway must verify the chain and the host name (SNI and
// host name verification are on), keep provider keys out of its errors, and reuse TLS connections.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip, makeTempDir } from '../lib/gateway.js';
import { makeCertificateAuthority, issueServerCertificate } from '../lib/certs.js';
import { GATEWAY_KEY, PROVIDER_KEY, PROVIDER_KEY_CORE, openaiClient, collectStream, expectOpenAIError } from '../lib/fixtures.js';
import { withTimeout } from '../lib/util.js';

const user = (text) => [{ role: 'user', content: text }];
const TLS_ERROR = /TLS|handshake|certificate/i;

// The gateway's environment: only our CA file, and an empty CA directory, so that nothing from the
// system store plays a part.
function caEnv(caFile) {
  return { SSL_CERT_FILE: caFile, SSL_CERT_DIR: makeTempDir('switchyard-empty-certdir-') };
}

function post(gw, body) {
  return fetch(`${gw.openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

// Resolves with the next failed handshake the mock sees (or one it saw already, past `seen`).
function nextTlsClientError(mock, seen) {
  if (mock.tlsClientErrors.length > seen) return Promise.resolve(mock.tlsClientErrors[seen]);
  return new Promise((resolve) => mock.once('tlsClientError', ({ error }) => resolve(error)));
}

function assertNoKeyIn(text, what) {
  assert.ok(!text.includes(PROVIDER_KEY_CORE), `${what} must not contain the provider key: ${text}`);
}

describe('TLS to providers', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let ca;
  let otherCa;
  let goodCert;
  let wrongNameCert;

  before(() => {
    ca = makeCertificateAuthority('switchyard test CA');
    otherCa = makeCertificateAuthority('unrelated test CA');
    goodCert = issueServerCertificate(ca, { san: 'IP:127.0.0.1,DNS:localhost', name: 'good' });
    wrongNameCert = issueServerCertificate(ca, { san: 'DNS:example.com', commonName: 'example.com', name: 'wrong-name' });
  });

  describe('with the provider\'s CA trusted (SSL_CERT_FILE)', () => {
    let secure; // 127.0.0.1 and localhost in its certificate
    let pooled; // the same certificate; a mock of its own so that its connection count starts at zero
    let wrongName; // a certificate from the trusted CA, for example.com only
    let gw;
    let client;

    before(async () => {
      secure = await startMock({ tls: { key: goodCert.key, cert: goodCert.cert } });
      pooled = await startMock({ tls: { key: goodCert.key, cert: goodCert.cert } });
      wrongName = await startMock({ tls: { key: wrongNameCert.key, cert: wrongNameCert.cert } });
      gw = await startGateway({
        env: caEnv(ca.certPath),
        config: {
          threads: 1, // one worker, so one connection pool: connection reuse does not depend on the kernel's pick
          providers: {
            secure: { kind: 'openai', base_url: secure.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] },
            byname: { kind: 'openai', base_url: `https://localhost:${secure.port}/v1`, api_key: PROVIDER_KEY, models: ['gpt-4o'] },
            pooled: { kind: 'openai', base_url: pooled.baseURL, api_key: PROVIDER_KEY, models: ['pooled-model'] },
            wrongname: { kind: 'openai', base_url: wrongName.baseURL, api_key: PROVIDER_KEY, models: ['wrong-model'] },
          },
          keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
        },
      });
      client = openaiClient(gw.openaiBaseURL);
    });
    after(async () => {
      try {
        if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0 on SIGTERM');
      } finally {
        await Promise.all([secure?.close(), pooled?.close(), wrongName?.close()]);
      }
    });
    beforeEach(() => {
      secure.reset();
      pooled.reset();
      wrongName.reset();
    });

    it('answers a plain call from an https provider (127.0.0.1 as an IP SAN)', async () => {
      const data = await client.chat.completions.create({ model: 'secure/gpt-4o-mini', messages: user('over tls') });
      assert.equal(data.choices[0].message.content, 'mock reply: over tls');
      assert.equal(secure.requests.length, 1, 'the mock received the request');
      const rec = secure.requests[0];
      assert.ok(rec.tls, 'the request came over TLS');
      assert.match(rec.tls.protocol, /^TLSv1\.[23]$/);
      assert.equal(rec.path, '/v1/chat/completions');
      assert.equal(rec.body.model, 'gpt-4o-mini');
      assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEY}`);
      assert.equal(secure.tlsClientErrors.length, 0, 'no failed handshakes');
    });

    it('streams from an https provider', async () => {
      const stream = await client.chat.completions.create({ model: 'secure/gpt-4o-mini', stream: true, messages: user('stream over tls') });
      const got = await withTimeout(collectStream(stream), 20_000, 'the stream');
      assert.equal(got.content, 'mock reply: stream over tls');
      assert.equal(got.finishReason, 'stop');
      assert.equal(secure.requests.length, 1, 'the mock received the request');
      assert.ok(secure.requests[0].tls, 'the request came over TLS');
      assert.equal(secure.requests[0].body.stream, true);
    });

    it('verifies a host name against the DNS SAN and sends it as SNI (https://localhost)', async () => {
      const data = await client.chat.completions.create({ model: 'byname/gpt-4o', messages: user('by name') });
      assert.equal(data.choices[0].message.content, 'mock reply: by name');
      assert.equal(secure.requests.length, 1);
      assert.equal(secure.requests[0].tls.servername, 'localhost', 'SNI names the host of base_url');
      assert.equal(secure.requests[0].headers.host, `localhost:${secure.port}`);
    });

    it('refuses a certificate from the trusted CA that names another host: 502, no request reaches the provider', async () => {
      const seen = wrongName.tlsClientErrors.length;
      for (const stream of [false, true]) {
        const { error } = await expectOpenAIError(
          post(gw, { model: 'wrongname/wrong-model', stream, messages: user('wrong name') }),
          502,
        );
        assert.match(error.message, TLS_ERROR, `the message says what failed: ${error.message}`);
        assertNoKeyIn(JSON.stringify(error), 'the error');
      }
      assert.equal(wrongName.requests.length, 0, 'no HTTP request reached the mock');
      assert.ok(wrongName.tcpConnectionsOpened >= 2, 'the gateway did connect');
      assert.equal(wrongName.connectionsOpened, 0, 'but no TLS session was established');
      const serverSide = await withTimeout(nextTlsClientError(wrongName, seen), 5_000, 'the mock to see the failed handshake');
      assert.ok(serverSide instanceof Error);
    });

    it('reuses one TLS connection for sequential calls (keep-alive)', async () => {
      const contents = [];
      for (let i = 0; i < 3; i += 1) {
        const data = await client.chat.completions.create({ model: 'pooled/pooled-model', messages: user(`keep-alive ${i}`) });
        contents.push(data.choices[0].message.content);
      }
      assert.deepEqual(contents, ['mock reply: keep-alive 0', 'mock reply: keep-alive 1', 'mock reply: keep-alive 2']);
      assert.equal(pooled.requests.length, 3);
      const ids = pooled.requests.map((r) => r.connectionId);
      assert.deepEqual(ids, [ids[0], ids[0], ids[0]], `all three calls on one connection (connection ids ${ids})`);
      assert.equal(pooled.tcpConnectionsOpened, 1, 'one TCP connection');
      assert.equal(pooled.connectionsOpened, 1, 'one TLS handshake');
      assert.equal(pooled.connectionsClosed, 0, 'and it is still open');
      assert.equal(pooled.tlsClientErrors.length, 0);
    });

    it('reuses the TLS connection after a streamed call too', async () => {
      const first = pooled.connectionsOpened;
      const stream = await client.chat.completions.create({ model: 'pooled/pooled-model', stream: true, messages: user('streamed') });
      assert.equal((await withTimeout(collectStream(stream), 20_000, 'the stream')).content, 'mock reply: streamed');
      const data = await client.chat.completions.create({ model: 'pooled/pooled-model', messages: user('after the stream') });
      assert.equal(data.choices[0].message.content, 'mock reply: after the stream');
      assert.equal(pooled.requests.length, 2);
      assert.equal(pooled.requests[1].connectionId, pooled.requests[0].connectionId, 'the call after the stream used the same connection');
      assert.equal(pooled.connectionsOpened, first, 'no new TLS handshake');
    });
  });

  describe('without the provider\'s CA', () => {
    let mock;
    let gw;

    before(async () => {
      mock = await startMock({ tls: { key: goodCert.key, cert: goodCert.cert } });
      gw = await startGateway({
        env: caEnv(otherCa.certPath), // a real CA file, just not the one that signed the mock's certificate
        config: {
          providers: { secure: { kind: 'openai', base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] } },
          keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
        },
      });
    });
    after(async () => {
      try {
        if (gw) assert.equal(await gw.stop(), 0, 'the gateway exits 0 on SIGTERM');
      } finally {
        await mock?.close();
      }
    });

    it('fails a plain call and a stream with 502 in the OpenAI error shape, naming TLS and not the key', async () => {
      const seen = mock.tlsClientErrors.length;
      for (const stream of [false, true]) {
        const { error } = await expectOpenAIError(post(gw, { model: 'secure/gpt-4o-mini', stream, messages: user('untrusted') }), 502);
        assert.match(error.message, TLS_ERROR, `the message says what failed: ${error.message}`);
        assertNoKeyIn(JSON.stringify(error), 'the error');
      }
      assert.equal(mock.requests.length, 0, 'no HTTP request reached the mock');
      assert.ok(mock.tcpConnectionsOpened >= 2, 'the gateway did connect');
      assert.equal(mock.connectionsOpened, 0, 'but no TLS session was established');
      const serverSide = await withTimeout(nextTlsClientError(mock, seen), 5_000, 'the mock to see the failed handshake');
      assert.ok(serverSide instanceof Error);
    });

    it('fails the same way through the SDK (APIError with status 502)', async () => {
      const client = openaiClient(gw.openaiBaseURL);
      const error = await client.chat.completions.create({ model: 'secure/gpt-4o-mini', messages: user('sdk') }).catch((e) => e);
      assert.equal(error?.status, 502, `got ${error}`);
      assert.match(error.error?.message ?? '', TLS_ERROR);
      assertNoKeyIn(String(error.message), 'the SDK error');
    });

    it('keeps the provider key out of the gateway\'s logs', async () => {
      assertNoKeyIn(gw.stderr(), 'stderr');
      assertNoKeyIn(gw.stdout(), 'stdout');
      assertNoKeyIn(gw.accessLogText(), 'the access log');
    });
  });
});
