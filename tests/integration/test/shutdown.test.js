// Graceful shutdown: on SIGTERM the gateway stops accepting connections, lets in-flight calls (plain
// and streamed) finish, and exits 0. Each test starts its own gateway, since it ends it.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { PROVIDER_KEY, GATEWAY_KEY, openaiClient, collectStream } from '../lib/fixtures.js';
import { withTimeout, deferred } from '../lib/util.js';
import { rawConnect, jsonPost } from '../lib/raw-http.js';

// Resolves with the error code of one TCP connection attempt ('ok' when it was accepted).
function tryConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('ok');
    });
    socket.once('error', (error) => resolve(error.code));
  });
}

// Attempts connections until one is refused; fails if none is within `ms` (a condition wait, bounded).
async function untilRefused(port, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const outcome = await tryConnect(port);
    if (outcome === 'ECONNREFUSED') return;
    if (Date.now() > deadline) assert.fail(`new connections were still ${outcome} ${ms} ms after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('graceful shutdown', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  const config = () => ({
    providers: { openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] } },
    keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
  });

  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  it('finishes a slow in-flight call after SIGTERM, exits 0, then refuses connections', async (t) => {
    const gw = await startGateway({ config: config() });
    t.after(() => gw.kill());
    const client = openaiClient(gw.openaiBaseURL);
    mock.enqueue({ delayMs: 1500 });
    const call = client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }] });
    await mock.waitForRequests(1);
    gw.process.kill('SIGTERM');
    const data = await withTimeout(call, 15_000, 'the in-flight call');
    assert.equal(data.choices[0].message.content, 'mock reply: slow');
    assert.equal(await gw.waitForExit(15_000), 0, 'exit code 0 after a graceful shutdown');
    assert.equal(await tryConnect(gw.port), 'ECONNREFUSED');
  });

  it('stops accepting new connections while it drains', async (t) => {
    const gw = await startGateway({ config: config() });
    t.after(() => gw.kill());
    const client = openaiClient(gw.openaiBaseURL);
    const release = deferred();
    mock.enqueue({ holdUntil: release.promise });
    const call = client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'held' }] });
    await mock.waitForRequests(1);
    gw.process.kill('SIGTERM');
    try {
      await untilRefused(gw.port, 5_000);
      assert.equal(gw.exitInfo, null, 'still running: the held call is in flight');
    } finally {
      release.resolve();
    }
    const data = await withTimeout(call, 15_000, 'the in-flight call');
    assert.equal(data.choices[0].message.content, 'mock reply: held');
    assert.equal(await gw.waitForExit(15_000), 0);
  });

  // A request that has fully arrived when the drain starts but has not started (here: pipelined
  // behind a call held at the provider) must not go upstream to be cut off by the drain: it gets a
  // 503 in its API's shape with Connection: close, and the provider never sees it. The order of
  // events is the test's: the first call is held until the gateway refuses new connections (the
  // drain has begun), and only then released.
  it('answers 503 with Connection: close to a request that arrived but had not started, sending it nowhere', async (t) => {
    const gw = await startGateway({ config: { ...config(), threads: 1 } });
    t.after(() => gw.kill());
    const release = deferred();
    mock.enqueue({ holdUntil: release.promise });
    const conn = await rawConnect(gw.port);
    t.after(() => conn.destroy());
    const auth = { Authorization: `Bearer ${GATEWAY_KEY}` };
    const body = (text) => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: text }] });
    await conn.write(jsonPost('/v1/chat/completions', body('held'), auth));
    await mock.waitForRequests(1);
    await conn.write(jsonPost('/v1/chat/completions', body('pipelined behind it'), auth));
    gw.process.kill('SIGTERM');
    try {
      await untilRefused(gw.port, 5_000);
    } finally {
      release.resolve();
    }
    const first = await conn.readResponse(15_000);
    assert.equal(first.status, 200, first.body);
    assert.equal(first.json.choices[0].message.content, 'mock reply: held');
    const second = await conn.readResponse(15_000);
    assert.equal(second.status, 503, `${second.rawHead}\n${second.body}`);
    assert.equal((second.headers.connection ?? '').toLowerCase(), 'close');
    assert.ok(second.json?.error?.message, `an OpenAI-shaped error: ${second.body}`);
    await conn.waitForClose(15_000);
    assert.equal(await gw.waitForExit(15_000), 0);
    assert.deepEqual(mock.requests.map((r) => r.body.messages[0].content), ['held'], 'the second never went upstream');
  });

  it('finishes an in-flight stream after SIGTERM', async (t) => {
    const gw = await startGateway({ config: config() });
    t.after(() => gw.kill());
    const client = openaiClient(gw.openaiBaseURL);
    mock.enqueue({ stream: { chunkDelayMs: 200 } });
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'one two three' }],
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await withTimeout(iterator.next(), 15_000, 'the first chunk');
    assert.equal(first.done, false);
    gw.process.kill('SIGTERM');
    const rest = await withTimeout(collectStream({ [Symbol.asyncIterator]: () => iterator }), 15_000, 'the rest of the stream');
    assert.equal(rest.content, 'mock reply: one two three');
    assert.equal(rest.finishReason, 'stop');
    assert.equal(await gw.waitForExit(15_000), 0);
  });
});
