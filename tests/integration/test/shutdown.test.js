// Graceful shutdown: on SIGTERM the gateway stops accepting connections, lets in-flight calls (plain
// and streamed) finish, and exits 0. Each test starts its own gateway, since it ends it.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { PROVIDER_KEY, GATEWAY_KEY, openaiClient, collectStream } from '../lib/fixtures.js';
import { withTimeout, deferred } from '../lib/util.js';

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
