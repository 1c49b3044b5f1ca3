// `switchyard serve --demo` with no config: built-in simulated providers answer the OpenAI SDK, and
// say that they are simulated.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startGateway, gatewaySkip } from '../lib/gateway.js';
import { openaiClient, collectStream } from '../lib/fixtures.js';
import { withTimeout } from '../lib/util.js';

describe('demo mode', { skip: gatewaySkip, timeout: 120_000 }, () => {
  let gw;
  let client;

  before(async () => {
    gw = await startGateway({ demo: true });
    // No keys are configured in demo mode; the SDK insists on sending one, which must not matter.
    client = openaiClient(gw.openaiBaseURL, 'demo-needs-no-key');
  });
  after(async () => {
    if (gw) assert.equal(await gw.stop(), 0);
  });

  it('answers demo/demo-fast, labelled as simulated', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo/demo-fast', messages: [{ role: 'user', content: 'hello demo' }] })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.match(data.choices[0].message.content, /\[simulated\]/);
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0, 'the demo reports usage');
    assert.equal(response.headers.get('x-switchyard-provider'), 'demo');
    assert.ok(response.headers.get('x-switchyard-request-id'));
  });

  it('streams demo/demo-fast', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo/demo-fast',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hello demo' }],
    });
    const got = await withTimeout(collectStream(stream), 20_000, 'the demo stream');
    assert.match(got.content, /\[simulated\]/);
    assert.equal(got.finishReason, 'stop');
    assert.equal(got.usageChunks.length, 1);
  });

  it('lists the demo models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.ok(ids.includes('demo/demo-fast'), `demo/demo-fast in ${ids}`);
  });
});
