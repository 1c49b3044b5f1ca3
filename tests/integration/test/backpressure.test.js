// A client that stops reading a stream. The gateway relays with backpressure (it reads the next
// upstream chunk only once the previous write to the client has completed), so a stalled client must
// stall the provider too: the mock's writes get held back in its socket, the bytes in flight stay
// bounded by the socket buffers, and the gateway's memory does not grow. When the client finally goes
// away, the upstream connection is closed.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY, openaiClient, collectStream } from '../lib/fixtures.js';
import { deferred, withTimeout } from '../lib/util.js';

const MiB = 1024 * 1024;
const CHUNK_CONTENT_BYTES = 16 * 1024;
// What may be in flight once everything is full: the mock's socket buffer, the gateway's receive
// buffer from the mock, one chunk inside the gateway, its send buffer to the client and the client's
// receive buffer, plus Node's own stream buffers. On Linux loopback that measured 8-13 MiB (two send
// buffers full at tcp_wmem's 4 MiB maximum, plus an autotuned receive buffer of ~2 MiB), so the bound
// leaves room for hosts with larger buffers. A gateway that kept reading upstream never lets the mock
// stall at all (it then fails on the wait below) and passes this bound within a couple of seconds.
const MAX_IN_FLIGHT_BYTES = 32 * MiB;
const MAX_RSS_GROWTH_BYTES = 64 * MiB;
// How long the mock must stay held back, with no drain at all, to count as stalled.
const QUIET_MS = 1_000;

function rssBytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  assert.ok(m, `VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

// Resolves once `rec` has been held back (a write queued in its socket) with no drain for QUIET_MS:
// the provider is stalled. Each drain restarts the quiet period; withTimeout bounds the whole wait.
function stalled(mock, rec) {
  const result = deferred();
  let timer = null;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      cleanup();
      result.resolve({ bytesSent: rec.bytesSent, drainsWhileWaiting });
    }, QUIET_MS);
  };
  let drainsWhileWaiting = 0;
  const onBackpressure = (e) => {
    if (e.rec === rec) arm();
  };
  const onDrain = (e) => {
    if (e.rec !== rec) return;
    drainsWhileWaiting += 1;
    clearTimeout(timer);
    timer = null;
  };
  const onClosed = () => {
    cleanup();
    result.reject(new Error('the upstream connection closed while waiting for the provider to stall'));
  };
  function cleanup() {
    clearTimeout(timer);
    mock.off('backpressure', onBackpressure);
    mock.off('drain', onDrain);
  }
  mock.on('backpressure', onBackpressure);
  mock.on('drain', onDrain);
  rec.connectionClosed.then(onClosed);
  if (rec.heldBack) arm();
  return result.promise;
}

describe('backpressure: a client that stops reading', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock();
    gw = await startGateway({
      config: {
        providers: { openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] } },
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
  beforeEach(() => mock.reset());

  it('stalls the provider, keeps bytes and memory bounded, and closes upstream when the client leaves', async (t) => {
    // Warm up (first-use allocations, the upstream pool), so that the RSS baseline is fair.
    const warm = await openaiClient(gw.openaiBaseURL).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'warm up' }],
    });
    assert.equal((await withTimeout(collectStream(warm), 20_000, 'the warm-up stream')).content, 'mock reply: warm up');
    mock.reset();
    const rssBefore = rssBytes(gw.process.pid);

    mock.enqueue({ streamForever: { intervalMs: 0, contentBytes: CHUNK_CONTENT_BYTES, maxMs: 60_000 } });
    const body = JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'flood' }] });
    const req = http.request(`${gw.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const clientError = deferred();
    req.on('error', (error) => clientError.resolve(error));
    const firstData = deferred();
    let res;
    let clientBytes = 0;
    try {
      req.on('response', (response) => {
        res = response;
        res.on('error', () => {}); // destroying the request below errors the response: expected
        res.on('data', (chunk) => {
          clientBytes += chunk.length;
          if (!res.isPaused()) {
            res.pause(); // stop reading, right after the first bytes
            firstData.resolve();
          }
        });
      });
      req.end(body);
      await withTimeout(Promise.race([firstData.promise, clientError.promise.then((e) => Promise.reject(e))]), 20_000, 'the first bytes of the stream');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'], /^text\/event-stream/);

      const [rec] = await mock.waitForRequests(1);
      const stall = await withTimeout(stalled(mock, rec), 30_000, `the provider to be held back for ${QUIET_MS} ms without a drain`).catch((error) => {
        error.message += ` (the mock wrote ${(rec.bytesSent / MiB).toFixed(1)} MiB meanwhile: the gateway kept reading upstream?)`;
        throw error;
      });

      // The provider is stalled: it has been unable to write for a while, and what it got out is bounded.
      assert.equal(rec.heldBack, true, 'the mock is still waiting for its socket to drain');
      assert.ok(rec.backpressureCount >= 1);
      assert.equal(rec.bytesSent, stall.bytesSent, 'no progress during the quiet period');
      assert.ok(
        rec.bytesSent < MAX_IN_FLIGHT_BYTES,
        `the mock wrote ${(rec.bytesSent / MiB).toFixed(1)} MiB while the client read nothing: the gateway kept reading upstream`,
      );
      assert.equal(rec.aborted, false, 'the upstream response is still open');
      const rssGrowth = rssBytes(gw.process.pid) - rssBefore;
      assert.ok(
        rssGrowth < MAX_RSS_GROWTH_BYTES,
        `the gateway's RSS grew by ${(rssGrowth / MiB).toFixed(1)} MiB while the client was stalled`,
      );
      t.diagnostic(
        `stalled: mock wrote ${rec.bytesSent} bytes in ${rec.chunksSent} chunks (held back ${rec.backpressureCount}x, ` +
          `${stall.drainsWhileWaiting} drain(s) before the stall), client read ${clientBytes} bytes, gateway RSS +${(rssGrowth / MiB).toFixed(1)} MiB`,
      );
      // What the client has actually taken is a small part of it.
      assert.ok(clientBytes < rec.bytesSent, `client read ${clientBytes} bytes, the mock wrote ${rec.bytesSent}`);

      // The client goes away: the gateway's pending write fails, and it must close the upstream connection.
      req.destroy();
      await withTimeout(rec.connectionClosed, 5_000, 'the mock to see the upstream connection closed');
      assert.deepEqual(await withTimeout(rec.done, 5_000, 'the upstream response to end'), { aborted: true });
      assert.equal(rec.fault, null, 'the mock did not end the stream itself');
    } finally {
      req.destroy();
    }

    // And the gateway keeps serving.
    const data = await openaiClient(gw.openaiBaseURL).chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'still here' }],
    });
    assert.equal(data.choices[0].message.content, 'mock reply: still here');
  });
});
