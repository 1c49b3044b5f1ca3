// What a pass-through call does with an answer that is broken, oddly framed or absurd (issue 11,
// defects 5, 6, 7, the pass-through in-stream error of 3, and the whole-answer bound of 8): the
// client's bytes are checked raw (fetch, not an SDK, which would hide framing and comments) and the
// ledger's row of each call through GET /admin/requests/{id}.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import { startMock } from '../lib/mock-provider.js';
import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { GATEWAY_KEY, PROVIDER_KEY, assertOpenAIErrorShape } from '../lib/fixtures.js';
import { ledgerRequest } from '../lib/ledger.js';
import { parseSse, readBodySafely, withTimeout } from '../lib/util.js';

const ADMIN_KEY = 'sy-admin-Vt3ADMINsecretQw8Lp-end5';
const SSE = { 'content-type': 'text/event-stream' };
const chunk = (delta, finish = null, extra = {}) => ({
  id: 'chatcmpl-a', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra,
});
const data = (x) => `data: ${JSON.stringify(x)}\n\n`;
const user = [{ role: 'user', content: 'hello' }];

describe('broken, oddly framed and absurd answers', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let mock;
  let gw;

  before(async () => {
    mock = await startMock({ formats: ['openai', 'anthropic'] });
    gw = await startGateway({
      config: {
        admin_key: ADMIN_KEY,
        keys: [{ key: GATEWAY_KEY, name: 'team-a' }],
        providers: {
          openai: { base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'] },
          backup: { kind: 'openai', base_url: mock.baseURL, api_key: 'sk-backup-key-0123456789', models: ['gpt-4o-mini'] },
          small: { kind: 'openai', base_url: mock.baseURL, api_key: PROVIDER_KEY, models: ['gpt-4o-mini'], limits: { max_response_body: '4KiB' } },
          anthropic: { base_url: mock.origin, api_key: PROVIDER_KEY },
        },
        routes: { resilient: { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'backup/gpt-4o-mini'] } },
      },
    });
  });
  after(async () => {
    try {
      if (gw) assert.equal(await gw.stop(), 0);
    } finally {
      await mock?.close();
    }
  });
  beforeEach(() => mock.reset());

  async function post(path, body, headers = {}) {
    const res = await withTimeout(
      fetch(`${gw.baseURL}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
      20_000,
      'the gateway to answer',
    );
    const { text, error } = await withTimeout(readBodySafely(res), 20_000, 'the answer body');
    return { status: res.status, headers: res.headers, id: res.headers.get('x-switchyard-request-id'), text, error };
  }
  const chat = (body) => post('/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages: user, ...body });
  const messages = (body) =>
    post('/v1/messages', { model: 'anthropic/claude-haiku-4-5', max_tokens: 64, messages: user, ...body }, { 'anthropic-version': '2023-06-01' });
  const row = (id) => ledgerRequest(gw.baseURL, ADMIN_KEY, id);

  // ---- defect 7: SSE framing ---------------------------------------------------------------------
  it('a pass-through stream reaches the client byte for byte: multi-line data, id:, event:, retry:, comments, CRLF', async () => {
    const events = [
      `id: 1\r\nretry: 2500\r\ndata: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\r\n\r\n`,
      ': keep-alive from the provider\n\n',
      // One JSON chunk split over two data lines: joined with '\n', still one JSON text.
      `id: 2\nevent: message\ndata: {"id":"chatcmpl-a","object":"chat.completion.chunk","created":1,\ndata: "model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}\n\n`,
      data(chunk({}, 'stop')),
    ];
    const done = 'data: [DONE]\n\n';
    mock.enqueue({ headers: SSE, rawBody: events.join('') + done });
    const res = await chat({ stream: true });
    assert.equal(res.status, 200, res.text);
    const comment = res.text.match(/: switchyard \{[^\n]*\}\n\n/);
    assert.ok(comment, `the cost comment: ${JSON.stringify(res.text)}`);
    assert.equal(res.text.replace(comment[0], ''), events.join('') + done, 'every provider byte, in order, unchanged');
    assert.ok(res.text.endsWith(comment[0] + done), 'the cost comment just before [DONE]');
  });

  // ---- defect 3 (pass-through path): an in-stream error quoting the key ---------------------------
  it("a pass-through stream's error event does not carry the provider key to the client", async () => {
    const leak = { error: { message: `key Bearer ${PROVIDER_KEY} revoked`, type: `invalid ${PROVIDER_KEY}`, code: PROVIDER_KEY } };
    mock.enqueue({ headers: SSE, rawBody: data(chunk({ role: 'assistant', content: 'a' })) + data(leak) });
    const res = await chat({ stream: true });
    assert.ok(!res.text.includes(PROVIDER_KEY), `no key in the client's bytes: ${res.text}`);
    assert.match(res.text, /revoked/, 'the error event itself is relayed');
    assert.equal((await row(res.id)).attempts[0].status, 'stream_error');

    mock.enqueue({
      headers: SSE,
      rawBody: `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [], usage: { input_tokens: 5, output_tokens: 1 } } })}\n\n` +
        `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `x-api-key ${PROVIDER_KEY} is revoked` } })}\n\n`,
    });
    const anthropic = await messages({ stream: true });
    assert.ok(!anthropic.text.includes(PROVIDER_KEY), `no key in the Anthropic client's bytes: ${anthropic.text}`);
    assert.match(anthropic.text, /event: error/);
  });

  // ---- defect 6: broken answers ------------------------------------------------------------------
  for (const [what, rawBody, headers] of [
    ['truncated JSON', '{"id":"chatcmpl-t","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis', {}],
    ['plain text', 'upstream says hello', { 'content-type': 'text/plain' }],
    ['HTML', '<html><body>200 but broken</body></html>', { 'content-type': 'text/html' }],
  ]) {
    it(`a pass-through 200 whose body is ${what} is a 502 in the OpenAI shape, an upstream error with an unknown cost`, async () => {
      mock.enqueue({ rawBody, headers });
      const res = await chat({});
      assert.equal(res.status, 502, res.text);
      assertOpenAIErrorShape(JSON.parse(res.text));
      assert.equal(res.headers.get('x-switchyard-cost-usd'), null);
      const rec = await row(res.id);
      assert.equal(rec.status, 502);
      assert.equal(rec.attempts[0].status, 'upstream_error');
      assert.equal(rec.attempts[0].cost_usd, null, 'unknown, not $0');
      assert.equal(rec.cost_usd, null);
    });
  }

  it('a broken 200 comes before the commit point: a fallback route moves on to the next target', async () => {
    mock.enqueue({ rawBody: '{"id":"chatcmpl-t","choices":[' });
    const res = await chat({ model: 'resilient' });
    assert.equal(res.status, 200, res.text);
    assert.equal(JSON.parse(res.text).object, 'chat.completion');
    const rec = await row(res.id);
    assert.deepEqual(rec.attempts.map((a) => [a.provider, a.status]), [['openai', 'upstream_error'], ['backup', 200]]);
  });

  it('a pass-through stream that closes with no finish_reason and no [DONE] ends with an error event', async () => {
    mock.enqueue({ headers: SSE, rawBody: data(chunk({ role: 'assistant', content: '' })) + data(chunk({ content: 'partial' })) });
    const res = await chat({ stream: true });
    assert.equal(res.status, 200);
    const events = parseSse(res.text);
    const last = events.at(-1);
    assert.ok(last.data && JSON.parse(last.data).error, `the last event is an error: ${res.text}`);
    assert.ok(!res.text.includes('[DONE]'));
    const rec = await row(res.id);
    assert.equal(rec.attempts[0].status, 'stream_error');
  });

  it('a pass-through stream with a finish_reason but no [DONE] is still a whole answer', async () => {
    mock.enqueue({ headers: SSE, rawBody: data(chunk({ role: 'assistant', content: 'ok' })) + data(chunk({}, 'stop')) });
    const res = await chat({ stream: true });
    assert.ok(!/"error"/.test(res.text), res.text);
    assert.equal((await row(res.id)).attempts[0].status, 200);
  });

  it('an Anthropic pass-through stream that closes before message_stop and stop_reason ends with event: error', async () => {
    mock.enqueue({ reply: { content: 'a long enough answer' }, stream: { endAfterChunks: 3 } });
    const res = await messages({ stream: true });
    assert.equal(res.status, 200);
    const events = parseSse(res.text);
    assert.equal(events.at(-1).event, 'error', res.text);
    assert.equal((await row(res.id)).attempts[0].status, 'stream_error');
  });

  // ---- defect 8 (one item): the whole-answer bound -------------------------------------------------
  it('a whole answer larger than the provider\'s max_response_body is a 502 in the client\'s shape', async () => {
    mock.enqueue({ reply: { content: 'x'.repeat(8192) } });
    const res = await chat({ model: 'small/gpt-4o-mini' });
    assert.equal(res.status, 502, res.text);
    assertOpenAIErrorShape(JSON.parse(res.text));
    assert.match(JSON.parse(res.text).error.message, /larger than 4096 bytes/);
  });

  // ---- defect 5: absurd usage --------------------------------------------------------------------
  for (const [what, usage, why] of [
    ['1e30 tokens', { prompt_tokens: 10, completion_tokens: 1e30, total_tokens: 1e30 }, /a token count above 2\^31/],
    ['-5 tokens', { prompt_tokens: -5, completion_tokens: 3, total_tokens: -2 }, /a negative token count/],
    ['cached above the prompt', { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13, prompt_tokens_details: { cached_tokens: 50 } }, /cached tokens above the prompt/],
  ]) {
    it(`usage of ${what} is not billed: cost unknown, the attempt marked estimated with why`, async () => {
      mock.enqueue({ reply: { usage } });
      const res = await chat({});
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('x-switchyard-cost-usd'), null, 'no cost header: the cost is unknown');
      const rec = await row(res.id);
      const attempt = rec.attempts[0];
      assert.equal(attempt.cost_usd, null);
      assert.equal(attempt.estimated, true);
      assert.equal(rec.estimated, true);
      assert.match(attempt.reason, /implausible usage/);
      assert.match(attempt.reason, why);
      assert.ok(attempt.output_tokens <= 2 ** 31 && attempt.input_tokens >= 0, JSON.stringify(attempt));

      mock.enqueue({ headers: SSE, rawBody: data(chunk({ role: 'assistant', content: 'a' })) + data(chunk({}, 'stop')) + data(chunk({}, null, { choices: [], usage })) + 'data: [DONE]\n\n' });
      const streamed = await chat({ stream: true, stream_options: { include_usage: true } });
      assert.match(streamed.text, /: switchyard \{"cost_usd":null/);
      const streamedRow = await row(streamed.id);
      assert.equal(streamedRow.attempts[0].cost_usd, null);
      assert.match(streamedRow.attempts[0].reason, why);
    });
  }
});
