// The access log: one JSON line per call with the agreed fields, the key's name and never a key; and
// no secret anywhere in the gateway's output, across successful and failing calls.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { closedPort } from '../lib/util.js';
import {
  GATEWAY_KEY,
  GATEWAY_KEY_CORE,
  GATEWAY_KEY_B,
  GATEWAY_KEY_B_CORE,
  PROVIDER_KEY,
  PROVIDER_KEY_CORE,
  WRONG_KEY,
  WRONG_KEY_CORE,
  openaiClient,
  collectStream,
} from '../lib/fixtures.js';

// The key of a provider that refuses it (the provider's 401).
const REFUSED_PROVIDER_KEY_CORE = 'Vd2REFUSEDproviderKeyMm8';
const REFUSED_PROVIDER_KEY = `sk-refused-${REFUSED_PROVIDER_KEY_CORE}-end5`;
const SECRET_CORES = [PROVIDER_KEY_CORE, REFUSED_PROVIDER_KEY_CORE, GATEWAY_KEY_CORE, GATEWAY_KEY_B_CORE, WRONG_KEY_CORE];

const REQUIRED_FIELDS = [
  'request_id', 'key', 'method', 'path', 'provider', 'model', 'status', 'stream', 'latency_ms', 'attempts',
  'input_tokens', 'output_tokens',
];

describe('access log and secrets', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let strictMock;
  let gw;
  let exitCode;
  let lines;
  const calls = []; // { name, status, requestId, ... } in the order made

  before(async () => {
    mock = await startMock();
    strictMock = await startMock({ openai: { apiKey: 'sk-the-only-key-this-mock-takes' } });
    const refusedPort = await closedPort();
    gw = await startGateway({
      config: {
        providers: {
          openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini', 'text-embedding-3-small'] },
          refusing: { kind: 'openai', base_url: strictMock.baseURL, api_key: REFUSED_PROVIDER_KEY, models: ['refused-model'] },
          down: { kind: 'openai', base_url: `http://127.0.0.1:${refusedPort}/v1`, api_key: PROVIDER_KEY, models: ['down-model'] },
        },
        keys: [
          { key: GATEWAY_KEY, name: 'team-a' },
          { key: GATEWAY_KEY_B, name: 'team-b' },
        ],
      },
    });
    const clientA = openaiClient(gw.openaiBaseURL, GATEWAY_KEY);
    const chat = (model, text = 'log me') => ({ model, messages: [{ role: 'user', content: text }] });
    const raw = async (name, headers, body, path = '/v1/chat/completions') => {
      const res = await fetch(`${gw.baseURL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      calls.push({ name, status: res.status, requestId: res.headers.get('x-switchyard-request-id'), text });
    };
    const sdk = async (name, fn) => {
      try {
        const { data, response } = await fn().withResponse();
        if (typeof data?.[Symbol.asyncIterator] === 'function') await collectStream(data);
        calls.push({ name, status: response.status, requestId: response.headers.get('x-switchyard-request-id'), text: '' });
      } catch (error) {
        calls.push({ name, status: error.status, requestId: error.headers?.get('x-switchyard-request-id') ?? null, text: error.message });
      }
    };

    await sdk('ok', () => clientA.chat.completions.create(chat('openai/gpt-4o-mini')));
    await sdk('ok-stream', () => clientA.chat.completions.create({ ...chat('openai/gpt-4o-mini'), stream: true }));
    await raw('ok-team-b', { 'x-api-key': GATEWAY_KEY_B }, chat('openai/gpt-4o-mini'));
    await raw('wrong-key', { authorization: `Bearer ${WRONG_KEY}` }, chat('openai/gpt-4o-mini'));
    await raw('no-key', {}, chat('openai/gpt-4o-mini'));
    await sdk('upstream-401', () => clientA.chat.completions.create(chat('refusing/refused-model')));
    mock.enqueue({ status: 500 });
    await sdk('upstream-500', () => clientA.chat.completions.create(chat('openai/gpt-4o-mini')));
    await sdk('unknown-model', () => clientA.chat.completions.create(chat('nosuch/model')));
    await sdk('refused-connection', () => clientA.chat.completions.create(chat('down/down-model')));
    await sdk('embeddings', () => clientA.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'x' }));

    exitCode = await gw.stop(); // a graceful stop drains the log writer
    lines = gw.accessLog();
  });
  after(async () => {
    await gw?.kill();
    await mock?.close();
    await strictMock?.close();
  });

  const call = (name) => calls.find((c) => c.name === name);
  const lineOf = (name) => {
    const c = call(name);
    assert.ok(c.requestId, `${name}: the answer carries x-switchyard-request-id`);
    const matching = lines.filter((l) => l.request_id === c.requestId);
    assert.equal(matching.length, 1, `${name}: exactly one access log line has request_id ${c.requestId}`);
    return matching[0];
  };

  it('the calls got the statuses this test expects', () => {
    assert.deepEqual(
      calls.map((c) => [c.name, c.status]),
      [
        ['ok', 200],
        ['ok-stream', 200],
        ['ok-team-b', 200],
        ['wrong-key', 401],
        ['no-key', 401],
        ['upstream-401', 401],
        ['upstream-500', 500],
        ['unknown-model', 404],
        ['refused-connection', 502],
        ['embeddings', 200],
      ],
    );
    assert.equal(exitCode, 0);
  });

  it('writes one JSON line per call, each with the request id its answer carried', () => {
    for (const c of calls) lineOf(c.name);
    assert.equal(lines.length, calls.length, `one line per call:\n${gw.accessLogText()}`);
    const ids = new Set();
    for (const line of lines) {
      assert.equal(typeof line.request_id, 'string');
      assert.ok(line.request_id.length > 0);
      ids.add(line.request_id);
      assert.equal(line.method, 'POST');
      assert.ok(['/v1/chat/completions', '/v1/embeddings'].includes(line.path), line.path);
      assert.equal(typeof line.status, 'number');
      assert.equal(typeof line.stream, 'boolean');
      assert.equal(typeof line.latency_ms, 'number');
      assert.ok(line.latency_ms >= 0);
    }
    assert.equal(ids.size, lines.length, 'request ids are unique');
  });

  it('logs a served call with its key name, provider, model, attempts and tokens', () => {
    const line = lineOf('ok');
    for (const field of REQUIRED_FIELDS) assert.ok(field in line, `field ${field} in ${JSON.stringify(line)}`);
    assert.equal(line.key, 'team-a');
    assert.equal(line.method, 'POST');
    assert.equal(line.path, '/v1/chat/completions');
    assert.equal(line.provider, 'openai');
    assert.equal(line.model, 'gpt-4o-mini');
    assert.equal(line.status, 200);
    assert.equal(line.stream, false);
    assert.equal(line.attempts, 1);
    // Token classes as in the ledger (CONTRACT.md): input_tokens are the uncached prompt tokens
    // (11 prompt − 3 cached), output_tokens every billed output token (reasoning included).
    assert.equal(line.input_tokens, 8);
    assert.equal(line.output_tokens, 7);
  });

  it('logs a streamed call with stream: true and the usage it asked upstream for', () => {
    const line = lineOf('ok-stream');
    assert.equal(line.stream, true);
    assert.equal(line.status, 200);
    assert.equal(line.key, 'team-a');
    assert.equal(line.input_tokens, 8);
    assert.equal(line.output_tokens, 7);
  });

  it('names the key that was used, whichever header carried it', () => {
    assert.equal(lineOf('ok-team-b').key, 'team-b');
    assert.equal(lineOf('embeddings').key, 'team-a');
    assert.equal(lineOf('embeddings').path, '/v1/embeddings');
  });

  it('logs refused and failed calls with their status', () => {
    for (const name of ['wrong-key', 'no-key']) {
      const line = lineOf(name);
      assert.equal(line.status, 401);
      assert.ok(!['team-a', 'team-b'].includes(line.key), `${name}: no key name for an unauthenticated call`);
    }
    const upstream401 = lineOf('upstream-401');
    assert.equal(upstream401.status, 401);
    assert.equal(upstream401.provider, 'refusing');
    assert.equal(upstream401.key, 'team-a');
    assert.equal(lineOf('upstream-500').status, 500);
    assert.equal(lineOf('upstream-500').provider, 'openai');
    assert.equal(lineOf('unknown-model').status, 404);
    assert.equal(lineOf('refused-connection').status, 502);
    assert.equal(lineOf('refused-connection').provider, 'down');
  });

  it('never writes a key to the access log, stdout or stderr, nor into an answer', () => {
    const outputs = { 'access log': gw.accessLogText(), stdout: gw.stdout(), stderr: gw.stderr() };
    for (const [where, text] of Object.entries(outputs)) {
      for (const core of SECRET_CORES) assert.ok(!text.includes(core), `a key leaked into the ${where}`);
    }
    for (const c of calls) {
      for (const core of SECRET_CORES) assert.ok(!c.text.includes(core), `a key leaked into the answer of ${c.name}`);
    }
  });

  it('the refusing provider really saw its (refused) key and the other provider its own', () => {
    assert.equal(strictMock.requests.length, 1);
    assert.equal(strictMock.requests[0].headers.authorization, `Bearer ${REFUSED_PROVIDER_KEY}`);
    for (const rec of mock.requests) assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEY}`);
  });
});
