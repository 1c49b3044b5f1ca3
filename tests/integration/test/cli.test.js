// The command line: version, check-config (problems with their line; exit 2), and serve refusing an
// unsafe or broken setup. Exit codes: 0 ok, 2 bad usage or config, 1 runtime failure.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { runSwitchyard, startGateway, writeTempFile, gatewaySkip } from '../lib/gateway.js';

const GOOD_CONFIG = `# a valid config
listen: 127.0.0.1:8080
providers:
  openai:
    api_key: sk-test-not-a-real-key
    models: [gpt-4o-mini]
  local: { kind: openai, base_url: "http://127.0.0.1:11434/v1" }
keys:
  - { key: sy-test-key, name: team-a }
`;

// Line 6 has a key the config does not know.
const UNKNOWN_KEY_CONFIG = `# a config with a typo
listen: 127.0.0.1:8080
providers:
  openai:
    api_key: sk-test-not-a-real-key
    modles: [gpt-4o-mini]
`;

// Line 4 reads a variable that is not set.
const UNSET_VAR = 'SWITCHYARD_IT_SURELY_UNSET_VARIABLE_Q7';
const UNSET_VAR_CONFIG = `providers:
  openai:
    models: [gpt-4o-mini]
    api_key: \${${UNSET_VAR}}
`;

const output = (r) => `${r.stdout}\n${r.stderr}`;
const lineRef = (n) => new RegExp(`(line\\s*${n}\\b|:${n}\\b)`, 'i');

describe('command line', { skip: gatewaySkip, timeout: 120_000 }, () => {
  it('version prints "switchyard" and exits 0', async () => {
    const r = await runSwitchyard(['version']);
    assert.equal(r.code, 0, output(r));
    assert.match(r.stdout, /switchyard/);
  });

  it('check-config accepts a good file with exit 0', async () => {
    const file = writeTempFile('good.yaml', GOOD_CONFIG);
    const r = await runSwitchyard(['check-config', file]);
    assert.equal(r.code, 0, output(r));
    assert.match(output(r), /\bok\b|valid/i);
  });

  it('check-config names the line of an unknown key and exits 2', async () => {
    const file = writeTempFile('typo.yaml', UNKNOWN_KEY_CONFIG);
    const r = await runSwitchyard(['check-config', file]);
    assert.equal(r.code, 2, output(r));
    assert.match(output(r), lineRef(6), `the problem names line 6:\n${output(r)}`);
    assert.match(output(r), /modles/, 'the problem names the unknown key');
  });

  it('check-config names the line of an unset ${VAR} and exits 2, and accepts ${VAR:-default}', async () => {
    const env = { [UNSET_VAR]: undefined };
    const bad = await runSwitchyard(['check-config', writeTempFile('unset.yaml', UNSET_VAR_CONFIG)], { env });
    assert.equal(bad.code, 2, output(bad));
    assert.match(output(bad), lineRef(4), output(bad));
    assert.match(output(bad), new RegExp(UNSET_VAR));

    const withDefault = UNSET_VAR_CONFIG.replace(`\${${UNSET_VAR}}`, `\${${UNSET_VAR}:-sk-default}`);
    const good = await runSwitchyard(['check-config', writeTempFile('default.yaml', withDefault)], { env });
    assert.equal(good.code, 0, output(good));
  });

  // Race and hedge routes (issue 13): check-config reads them with the same loader as serve, so every
  // problem of their keys is printed with its line.
  it('check-config names each bad race or hedge key with its line and exits 2', async () => {
    const file = writeTempFile('race.yaml', `providers:
  openai: { api_key: sk-test-not-a-real-key }
routing: { max_parallel_attempts: 2 }
routes:
  quick:
    strategy: race
    targets: [ openai/a, openai/b, openai/c ]
    max_parallel: 3
    max_cost_usd: 0.0000000001
    delay: p90
  tail:
    strategy: hedge
    targets: [ openai/a, openai/b ]
  plain:
    strategy: fallback
    targets: [ openai/a, openai/b ]
    accept: { non_empty: true }
`);
    const r = await runSwitchyard(['check-config', file]);
    assert.equal(r.code, 2, output(r));
    const expected = [
      [8, /routes\.quick\.max_parallel must be an integer from 1 to 2, routing\.max_parallel_attempts \(got '3'\)/],
      [9, /routes\.quick\.max_cost_usd must be a positive amount of USD/],
      [10, /routes\.quick\.delay is only for strategy hedge/],
      [11, /route 'tail' uses strategy hedge and needs delay_ms or delay/],
      [17, /routes\.plain\.accept is only for strategy race or hedge/],
    ];
    for (const [line, message] of expected) {
      assert.match(r.stderr, new RegExp(`:${line}: ${message.source}`), `line ${line}:\n${output(r)}`);
    }
    assert.equal(r.stderr.trim().split('\n').length, expected.length, output(r));
  });

  // A one-character gateway key can be guessed: refused at load (check-config and serve alike) with
  // its line, never quoted; a key of 8 to 15 characters is accepted with a warning at start-up.
  it('check-config and serve refuse a gateway key shorter than 8 characters with its line, exit 2', async () => {
    const file = writeTempFile('short-key.yaml', 'providers:\n  openai: { api_key: sk-test-not-a-real-key }\nkeys:\n  - { key: Q, name: team-a }\n');
    for (const args of [['check-config', file], ['serve', '--config', file, '--listen', '127.0.0.1:0']]) {
      const r = await runSwitchyard(args);
      assert.equal(r.code, 2, `${args[0]}: ${output(r)}`);
      assert.match(output(r), /:4: keys\[0\] \('team-a'\) is shorter than 8 characters/, `${args[0]} names line 4:\n${output(r)}`);
      assert.doesNotMatch(output(r), /\bQ\b/, 'the key is not quoted');
    }
  });

  it('serve warns at start-up about a gateway key shorter than 16 characters, naming it by its name', async () => {
    const gw = await startGateway({ configYaml: 'providers:\n  openai: { api_key: sk-test-not-a-real-key }\nkeys:\n  - { key: sy-12chars, name: team-a }\n' });
    try {
      assert.match(gw.stderr(), /gateway key 'team-a' is shorter than 16 characters/);
      assert.doesNotMatch(gw.stderr(), /sy-12chars/);
    } finally {
      assert.equal(await gw.stop(), 0);
    }
  });

  it('check-config exits 2 for a file that does not exist', async () => {
    const r = await runSwitchyard(['check-config', '/nonexistent/switchyard-it/config.yaml']);
    assert.equal(r.code, 2, output(r));
    assert.ok(r.stderr.trim().length > 0, 'says why on stderr');
  });

  it('an unknown command exits 2', async () => {
    const r = await runSwitchyard(['no-such-command']);
    assert.equal(r.code, 2, output(r));
  });

  it('serve refuses a non-loopback address when no keys are configured', async () => {
    const file = writeTempFile('nokeys.yaml', 'providers:\n  openai: { api_key: sk-test-not-a-real-key }\n');
    const r = await runSwitchyard(['serve', '--config', file, '--listen', '0.0.0.0:0'], { timeoutMs: 20_000 });
    assert.equal(r.timedOut, false, `serve should refuse to start, but it ran:\n${output(r)}`);
    assert.notEqual(r.code, 0, output(r));
    assert.ok(!/listening on/i.test(r.stderr), 'it never listened');
    assert.match(r.stderr, /keys?\b/i, `the message mentions keys:\n${r.stderr}`);
  });

  it('serve with a broken config exits 2 without listening', async () => {
    const file = writeTempFile('typo.yaml', UNKNOWN_KEY_CONFIG);
    const r = await runSwitchyard(['serve', '--config', file, '--listen', '127.0.0.1:0'], { timeoutMs: 20_000 });
    assert.equal(r.timedOut, false, output(r));
    assert.equal(r.code, 2, output(r));
    assert.ok(!/listening on/i.test(r.stderr));
  });

  it('serve on loopback without keys starts, and exits 0 on SIGTERM', async () => {
    const gw = await startGateway({ configYaml: 'providers:\n  openai: { api_key: sk-test-not-a-real-key }\n' });
    try {
      const res = await fetch(`${gw.baseURL}/health`);
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    } finally {
      assert.equal(await gw.stop(), 0);
    }
  });
});
