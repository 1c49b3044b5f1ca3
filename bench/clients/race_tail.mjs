#!/usr/bin/env node
// Racing and hedging against a heavy latency tail (issue 13), side by side in one run: the real
// gateway in front of the project's mock provider (tests/integration/lib/mock-provider.js), whose
// answers take 15-25 ms, except 10% of them that take 20 times as long (a seeded PRNG: the same
// latencies in every run and for every row).
//
//   node bench/clients/race_tail.mjs --bin build/switchyard [--calls 300] [--concurrency 8]
//        [--cpu-calls 1000] [--seed 13] [--keep]
//
// Rows: `single` (one target), `race of 2` (two targets with independent tails), `hedge at p90`
// (the second target only when the first has not answered within its live p90, after a warm-up
// that gives the latency tracker its samples). For each: p50/p99 of the client's latency, upstream
// calls per call, and cost per call from the ledger (every attempt, losers included). Then the CPU
// of the gateway process (utime+stime from /proc/PID/stat) per 1000 calls for a 3-way race against a
// single call, and how long after the winner's answer each loser's upstream connection closed (the
// mock's close time against the time the winner's mock finished sending). Figures only: nothing here
// passes or fails on a number.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { startMock } from '../../tests/integration/lib/mock-provider.js';
import { mulberry32, quantile } from '../../tests/integration/lib/routing.js';

const ADMIN_KEY = 'sy-admin-bench-race-Rt7benchKEY';
const FAST_MS = [15, 25];
const TAIL_SHARE = 0.1;
const TAIL_FACTOR = 20;
const HEDGE_FLOOR_MS = 100;
// Usage every answer reports (no cached tokens: every class priced).
const USAGE = { prompt_tokens: 200, completion_tokens: 100, total_tokens: 300 };
const PRICE = { input: '1', cached_input: '0.5', output: '4' }; // USD per million tokens

function parseArgs(argv) {
  const args = { bin: 'build/switchyard', calls: 300, concurrency: 8, cpuCalls: 1000, seed: 13, keep: false };
  for (let i = 2; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (key === 'keep') {
      args.keep = true;
      continue;
    }
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = typeof args[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return args;
}

// The seeded latency of each answer of one target, in arrival order.
function latencies(seed, count) {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const fast = FAST_MS[0] + random() * (FAST_MS[1] - FAST_MS[0]);
    return Math.round(random() < TAIL_SHARE ? fast * TAIL_FACTOR : fast);
  });
}

// A mock target: its queue holds `count` answers with the seeded latencies. Records, per request,
// when it arrived, when the mock finished answering and when its connection closed.
async function startTarget(name) {
  const mock = await startMock();
  const t = { name, mock, records: [] };
  mock.on('request', (rec) => {
    const entry = { rec, text: rec.body?.messages?.[0]?.content, arrivedAt: performance.now(), doneAt: null, closedAt: null };
    t.records.push(entry);
    rec.done.then(({ aborted }) => {
      if (!aborted) entry.doneAt = performance.now();
    });
    rec.connectionClosed.then(() => {
      entry.closedAt = performance.now();
    });
  });
  t.load = (seed, count, fixedMs) => {
    mock.reset();
    t.records = [];
    const delays = fixedMs === undefined ? latencies(seed, count) : Array(count).fill(fixedMs);
    mock.enqueue(...delays.map((delayMs) => ({ delayMs, reply: { content: `answer from ${name}`, usage: USAGE } })));
    mock.setDefaultBehaviour({ reply: { content: `answer from ${name}`, usage: USAGE } });
  };
  return t;
}

function startGateway(bin, config, dir) {
  const file = path.join(dir, 'switchyard.yaml');
  fs.writeFileSync(file, JSON.stringify(config, null, 1)); // JSON is YAML
  const child = spawn(bin, ['serve', '--config', file, '--listen', '127.0.0.1:0'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (m) resolve({ child, origin: m[1].replace(/\/$/, ''), stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`switchyard exited (${code}) before listening:\n${stderr}`)));
  });
}

async function chat(gw, model, text) {
  const started = performance.now();
  const res = await fetch(`${gw.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: 'user', content: text }] }),
  });
  const body = await res.text();
  const endedAt = performance.now();
  if (res.status !== 200) throw new Error(`${model}: ${res.status} ${body}`);
  return {
    text,
    ms: endedAt - started,
    endedAt,
    id: res.headers.get('x-switchyard-request-id'),
    provider: res.headers.get('x-switchyard-provider'),
    attempts: Number(res.headers.get('x-switchyard-attempts')),
  };
}

// `count` calls to `model`, `concurrency` at a time.
async function run(gw, model, count, concurrency, label) {
  const results = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      results.push(await chat(gw, model, `${label} call ${i}`));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

// The ledger's cost of a call once it holds all its attempts (losers may be written after the answer).
async function ledgerCost(gw, call) {
  for (let tries = 0; tries < 200; tries += 1) {
    const res = await fetch(`${gw.origin}/admin/requests/${call.id}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    if (res.status === 200) {
      const record = await res.json();
      if (record.attempts.length >= call.attempts) return record.cost_usd;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`call ${call.id} never reached the ledger with ${call.attempts} attempts`);
}

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}
// Waits until the process has used no CPU for 200 ms (the ledger writer commits after the answers).
async function quietCpu(pid) {
  let last = cpuSeconds(pid);
  for (let i = 0; i < 50; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = cpuSeconds(pid);
    if (now === last) return now;
    last = now;
  }
  return last;
}

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

async function main() {
  const args = parseArgs(process.argv);
  const bin = path.resolve(args.bin);
  fs.accessSync(bin, fs.constants.X_OK);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-race-'));
  const names = ['t1', 't2', 'h1', 'h2', 'z1', 'z2', 'z3'];
  const targets = {};
  for (const name of names) targets[name] = await startTarget(name);
  const model = (name) => `${name}/model`;
  const config = {
    threads: 1,
    access_log: 'off',
    admin_key: ADMIN_KEY,
    ledger: { backend: 'sqlite', path: path.join(dir, 'ledger.db') },
    health: { enabled: false },
    providers: Object.fromEntries(names.map((n) => [n, { kind: 'openai', base_url: targets[n].mock.baseURL, api_key: `sk-bench-${n}` }])),
    prices: Object.fromEntries(names.map((n) => [model(n), PRICE])),
    routes: {
      single: { strategy: 'single', targets: [model('t1')] },
      race2: { strategy: 'race', targets: [model('t1'), model('t2')] },
      'warm-h1': { strategy: 'single', targets: [model('h1')] },
      hedge90: { strategy: 'hedge', targets: [model('h1'), model('h2')], delay: 'p90', delay_ms: HEDGE_FLOOR_MS },
      'single-z': { strategy: 'single', targets: [model('z1')] },
      race3: { strategy: 'race', targets: [model('z1'), model('z2'), model('z3')] },
    },
  };
  const gw = await startGateway(bin, config, dir);
  const { calls, concurrency, seed } = args;
  const queued = calls * 2 + 100;
  try {
    // Latency rows: the first target of every row sees the same latencies (seed), the second its own.
    targets.t1.load(seed, queued);
    const single = await run(gw, 'single', calls, concurrency, 'single');
    targets.t1.load(seed, queued);
    targets.t2.load(seed + 1, queued);
    const race = await run(gw, 'race2', calls, concurrency, 'race');
    const raceRecords = { t1: targets.t1.records, t2: targets.t2.records };
    targets.h1.load(seed + 2, queued);
    await run(gw, 'warm-h1', 200, concurrency, 'warm-up'); // the tracker's samples for h1's p90
    targets.h1.load(seed, queued);
    targets.h2.load(seed + 1, queued);
    const hedge = await run(gw, 'hedge90', calls, concurrency, 'hedge');

    const rows = [];
    for (const [label, results] of [['single', single], ['race of 2', race], ['hedge at p90', hedge]]) {
      const costs = await mapLimit(results, 8, (call) => ledgerCost(gw, call));
      const ms = results.map((r) => r.ms);
      rows.push({
        label,
        p50: quantile(ms, 0.5),
        p99: quantile(ms, 0.99),
        upstream: results.reduce((s, r) => s + r.attempts, 0) / results.length,
        cost: costs.reduce((s, c) => s + Number(c), 0) / results.length,
      });
    }

    // CPU: a 3-way race (z1 answers at once, z2 and z3 after 20 ms: both cancelled) against a single call.
    const cpu = {};
    for (const [label, route] of [['single', 'single-z'], ['3-way race', 'race3']]) {
      targets.z1.load(seed, 0, 0);
      targets.z2.load(seed, args.cpuCalls + 100, 20);
      targets.z3.load(seed, args.cpuCalls + 100, 20);
      await run(gw, route, 50, concurrency, `${route} warm-up`);
      const before = await quietCpu(gw.child.pid);
      await run(gw, route, args.cpuCalls, concurrency, route);
      const after = await quietCpu(gw.child.pid);
      cpu[label] = ((after - before) * 1000) / args.cpuCalls;
    }

    // When each loser's connection closed, against the end of the winner's answer at its mock.
    const afterWin = [];
    const afterClient = [];
    let losers = 0;
    let finished = 0;
    for (const call of race) {
      const entry = (name) => raceRecords[name].find((e) => e.text === call.text);
      const winner = entry(call.provider);
      const loser = entry(call.provider === 't1' ? 't2' : 't1');
      if (!winner || !loser) continue;
      losers += 1;
      if (loser.closedAt === null || loser.doneAt !== null) {
        finished += 1; // it answered before it could be cancelled; its connection went back to the pool
        continue;
      }
      afterWin.push(loser.closedAt - winner.doneAt);
      afterClient.push(loser.closedAt - call.endedAt);
    }

    const base = rows[0];
    console.log(`race/hedge on a heavy tail: ${calls} calls per row, ${concurrency} at a time, seed ${seed}; ` +
      `upstream ${FAST_MS[0]}-${FAST_MS[1]} ms, ${TAIL_SHARE * 100}% of answers ${TAIL_FACTOR}x slower; ` +
      `hedge floor ${HEDGE_FLOOR_MS} ms until the tracker has samples (200 warm-up calls)`);
    console.log(`${pad('row', 14)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('p99 vs single', 15)}${lpad('upstream calls/call', 21)}${lpad('cost/call USD', 16)}${lpad('cost vs single', 16)}`);
    for (const r of rows) {
      console.log(
        `${pad(r.label, 14)}${lpad(f1(r.p50), 9)}${lpad(f1(r.p99), 9)}${lpad(`${(r.p99 / base.p99).toFixed(2)}x`, 15)}` +
          `${lpad(r.upstream.toFixed(2), 21)}${lpad(r.cost.toFixed(9), 16)}${lpad(`${(r.cost / base.cost).toFixed(2)}x`, 16)}`,
      );
    }
    console.log(`gateway CPU per 1000 calls (utime+stime, threads: 1): single ${cpu.single.toFixed(3)} s, ` +
      `3-way race ${cpu['3-way race'].toFixed(3)} s (${(cpu['3-way race'] / cpu.single).toFixed(2)}x)`);
    console.log(`race of 2, the loser's upstream connection closed ${f1(quantile(afterWin, 0.5))} ms (p50), ` +
      `${f1(Math.max(...afterWin))} ms (max) after the winner's mock finished its answer; ` +
      `${f1(quantile(afterClient, 0.5))} ms (p50) after the client had it (negative: before); ` +
      `${afterWin.length} of ${losers} losers cancelled, ${finished} had finished first`);
  } finally {
    gw.child.kill('SIGTERM');
    await new Promise((resolve) => gw.child.once('exit', resolve));
    for (const t of Object.values(targets)) await t.mock.close();
    if (args.keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench/race: ${error.stack ?? error}`);
  process.exit(1);
});
