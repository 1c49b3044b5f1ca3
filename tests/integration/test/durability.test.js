// Ledger durability (issue 11 defect 9; CONTRACT.md "Ledger durability"). With `durability: strict`
// a call's ledger row is committed before the last byte of its answer leaves the gateway, so a
// kill -9 under load loses no call whose client got a complete answer. The test needs no timing
// luck: it counts the calls that were answered in full before the kill (by their request ids) and
// then looks each one up in the ledger the killed gateway left behind. With strict this holds
// whenever the kill lands; only the number of calls cut off by it varies.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip, makeTempDir } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY } from '../lib/fixtures.js';
import { withTimeout } from '../lib/util.js';
import { adminGet, openaiUsage } from '../lib/ledger.js';

const ADMIN_KEY = 'sy-admin-Dr4DURABLEsecretKm2Zx-end6';
const CONCURRENCY = 16;
const KILL_AFTER = 120; // answered calls before the kill

describe('ledger durability: strict', { skip: gatewaySkip }, () => {
  let mock;
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock?.close();
  });
  beforeEach(() => {
    mock.reset();
    mock.setDefaultBehaviour({ reply: { usage: openaiUsage({ prompt: 10, completion: 5 }) } });
  });

  const config = (ledgerPath) => ({
    admin_key: ADMIN_KEY,
    providers: { openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY } },
    keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
    ledger: { backend: 'sqlite', path: ledgerPath, durability: 'strict' },
  });

  // One call, plain or streamed. Answered: the status was 200 and the whole body arrived (a
  // stream up to its end marker and the end of the body); anything else is not an answer.
  async function call(gw, i) {
    const stream = i % 2 === 1;
    try {
      const res = await fetch(`${gw.openaiBaseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: `call ${i}` }],
          ...(stream ? { stream: true } : {}),
        }),
      });
      const text = await res.text();
      const complete = stream ? text.includes('data: [DONE]') && !text.includes('"error"') : JSON.parse(text).choices !== undefined;
      return { answered: res.status === 200 && complete, id: res.headers.get('x-switchyard-request-id') };
    } catch {
      return { answered: false, id: null }; // cut off by the kill
    }
  }

  it('kill -9 under load: every call answered in full is in the ledger', async () => {
    const ledgerPath = path.join(makeTempDir(), 'ledger.db');
    const gw = await startGateway({ config: config(ledgerPath) });
    const answered = [];
    let killed = false;
    let reader = null;
    try {
      // CONCURRENCY clients, each calling again as soon as its call ends, until the kill; the kill
      // comes once KILL_AFTER calls have been answered, with the others in flight.
      let next = 0;
      const client = async () => {
        while (!killed) {
          const result = await call(gw, next++);
          if (!result.answered) continue;
          answered.push(result.id);
          if (answered.length >= KILL_AFTER && !killed) {
            killed = true;
            gw.process.kill('SIGKILL');
          }
        }
      };
      await withTimeout(Promise.all(Array.from({ length: CONCURRENCY }, client)), 60_000, 'the load and the kill');
      const exit = await withTimeout(gw.exited, 10_000, 'the killed gateway to exit');
      assert.equal(exit.signal, 'SIGKILL');
      assert.ok(answered.length >= KILL_AFTER);

      // A fresh gateway on the ledger the killed one left: every answered call has its row.
      reader = await startGateway({ config: config(ledgerPath) });
      const missing = [];
      for (const id of answered) {
        const got = await adminGet(reader.baseURL, `/admin/requests/${encodeURIComponent(id)}`, ADMIN_KEY);
        if (got.status !== 200) {
          missing.push(id);
          continue;
        }
        assert.equal(got.json.status, 200, got.text);
        assert.equal(got.json.attempts.length, 1, got.text);
      }
      assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered calls are missing from the ledger`);
      assert.equal(await reader.stop(), 0);
    } finally {
      if (!killed) gw.process.kill('SIGKILL');
      await reader?.stop().catch(() => {});
    }
  });
});
