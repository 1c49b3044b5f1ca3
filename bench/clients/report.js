#!/usr/bin/env node
// Prints bench/run's table from the raw results in its temp dir: results.jsonl (one line per row),
// meta.json, and when present streams.json (open-streams test) and micro.json (Google Benchmark).
//
//   node report.js TMPDIR
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
const readJson = (name) => {
  const file = path.join(dir, name);
  return fs.existsSync(file) && fs.statSync(file).size > 0 ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};
const meta = readJson('meta.json');
const rows = fs.readFileSync(path.join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const streams = readJson('streams.json');
const micro = readJson('micro.json');

// --- formatting ----------------------------------------------------------------------------------

const dash = '-';
const us = (v) => {
  if (v === null || v === undefined || Number.isNaN(v)) return dash;
  const a = Math.abs(v);
  if (a < 1000) return `${Math.round(v)}us`;
  if (a < 1e6) return `${(v / 1000).toFixed(a < 1e4 ? 2 : 1)}ms`;
  return `${(v / 1e6).toFixed(2)}s`;
};
const signedUs = (v) => (v === null || v === undefined ? dash : (v >= 0 ? '+' : '') + us(v));
const int = (v) => (v === null || v === undefined ? dash : Math.round(v).toLocaleString('en-US'));
const mib = (kb) => (kb ? `${(kb / 1024).toFixed(1)} MiB` : dash);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x` : dash);
const ns = (seconds) => {
  const n = seconds * 1e9;
  return n < 1000 ? `${n.toFixed(0)} ns` : n < 1e6 ? `${(n / 1000).toFixed(2)} us` : `${(n / 1e6).toFixed(2)} ms`;
};

function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const last = header.length - 1;
  const line = (cells) => cells.map((c, i) => (i < 2 || i === last ? String(c).padEnd(i === last ? 0 : widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

// --- figures per row -----------------------------------------------------------------------------

const rps = (w) => (w && w.duration_us ? w.requests / (w.duration_us / 1e6) : null);
const errors = (w) => (w ? w.errors_connect + w.errors_read + w.errors_write + w.errors_status + w.errors_timeout : 0);
const find = (scenario, row) => rows.find((r) => r.scenario === scenario && r.row === row);

for (const r of rows) {
  r.rps = rps(r.saturated);
  r.pacedRps = rps(r.paced);
  r.cpuPer10k = r.saturated && r.saturated.requests ? (r.cpu_ticks / meta.clk_tck) / r.saturated.requests * 1e4 : null;
  r.errors = errors(r.saturated) + errors(r.paced) + (r.ttfb ? r.ttfb.errors : 0);
}
// The floor each scenario's added latency is measured from (fallback has no direct row of its own).
const floorOf = (scenario) => find(scenario, 'direct') || (scenario === 'fallback' ? find('chat', 'direct') : null);
for (const r of rows) {
  const floor = floorOf(r.scenario);
  r.added = floor && r.row !== 'direct' && r.paced && floor.paced ? r.paced.p50_us - floor.paced.p50_us : null;
}

const header = ['scenario', 'row', 'req/s', 'p99@c64', `p50@${meta.rate}/s`, `p99@${meta.rate}/s`, '+p50',
  'TTFB p50', 'TTFB p99', 'CPU s/10k', 'peak RSS', 'errors', 'vs proxy', 'vs Portkey', 'vs before', 'notes'];
const body = [];
let lastScenario = null;
for (const r of rows) {
  const proxy = find(r.scenario, 'nginx-proxy');
  const portkey = find(r.scenario, 'portkey');
  const notes = [];
  const before = find(r.scenario, 'switchyard-before');  // bench/run --baseline REV
  const ungoverned = find(r.scenario, 'switchyard');
  if (r.row === 'switchyard-governed' && ungoverned) notes.push(`${ratio(r.rps, ungoverned.rps)} of the switchyard row's req/s`);
  if (r.row === 'switchyard-guarded' && ungoverned) notes.push(`${ratio(r.rps, ungoverned.rps)} of the switchyard row's req/s`);
  if (r.probe && r.probe.requests) notes.push(`failing target tried on ${(100 * r.fail_hits / r.probe.requests).toFixed(0)}% of calls`);
  if (r.pacedRps && r.pacedRps < 0.9 * meta.rate) notes.push(`paced run reached ${int(r.pacedRps)}/s`);
  body.push([
    r.scenario === lastScenario ? '' : r.scenario, r.row, int(r.rps), us(r.saturated && r.saturated.p99_us),
    us(r.paced && r.paced.p50_us), us(r.paced && r.paced.p99_us), r.row === 'direct' ? dash : signedUs(r.added),
    r.ttfb ? us(r.ttfb.ttfb_p50_us) : dash, r.ttfb ? us(r.ttfb.ttfb_p99_us) : dash,
    r.cpuPer10k === null ? dash : r.cpuPer10k.toFixed(2), mib(r.peak_rss_kb), int(r.errors),
    r.row === 'switchyard' && proxy ? ratio(r.rps, proxy.rps) : dash,
    r.row === 'switchyard' && portkey ? ratio(r.rps, portkey.rps) : dash,
    r.row === 'switchyard' && before ? ratio(r.rps, before.rps) : dash,
    notes.join('; '),
  ]);
  lastScenario = r.scenario;
}

const out = [];
const v = meta.versions;
out.push(`switchyard side-by-side bench${meta.quick ? ' (--quick: short runs, noisy figures)' : ''}`);
out.push(`machine: ${meta.nproc} cores (nproc); wrk and clients on cpu ${meta.load_cpus}, servers on cpu ${meta.server_cpus}; ulimit -n ${meta.nofile}`);
out.push(`versions: ${v.switchyard}; nginx ${v.nginx}; wrk ${v.wrk}; node ${v.node}; @portkey-ai/gateway ${v.portkey} (@hono/node-server ${v.hono_node_server})`);
out.push(`runs: ${meta.duration}s each; req/s and p99@c64 from wrk -t2 -c64; p50/p99 at ~${meta.rate}/s from wrk -t1 -c${meta.paced_connections} paced by delay() (closed loop with think time);`);
out.push(`      TTFB from an open-loop Node client at ${meta.rate}/s; +p50 = p50 over the direct row's; CPU and peak RSS of the row's own server process during the c64 run`);
out.push('');
if (rows.length) out.push(table(header, body));

// --- targets (issue 6): printed, never pass/fail ---------------------------------------------------

const targets = [];
const check = (what, reading, ok) => targets.push([what, reading, ok === null ? dash : ok ? 'met' : 'missed']);
const sy = (s) => find(s, 'switchyard');
for (const s of ['chat', 'stream']) {
  if (sy(s) && find(s, 'nginx-proxy')) {
    const r = sy(s).rps / find(s, 'nginx-proxy').rps;
    check(`${s}: req/s >= 0.8x nginx proxy_pass`, `${r.toFixed(2)}x`, r >= 0.8);
  }
}
if (sy('translate') && find('translate', 'nginx-proxy')) {
  const r = sy('translate').rps / find('translate', 'nginx-proxy').rps;
  check('translate: req/s >= 0.5x nginx proxy_pass', `${r.toFixed(2)}x`, r >= 0.5);
}
if (sy('chat') && find('chat', 'nginx-proxy') && sy('chat').added !== null && find('chat', 'nginx-proxy').added !== null) {
  const d = sy('chat').added - find('chat', 'nginx-proxy').added;
  check('chat: added p50 within 10us of nginx proxy_pass', `${signedUs(sy('chat').added)} vs ${signedUs(find('chat', 'nginx-proxy').added)} (${signedUs(d)})`, d <= 10);
  const a = sy('chat').paced.p99_us;
  const b = find('chat', 'nginx-proxy').paced.p99_us;
  check(`chat: p99@${meta.rate}/s no worse than nginx proxy_pass`, `${us(a)} vs ${us(b)}`, a <= b);
}
if (sy('chat') && find('chat', 'portkey')) {
  const r = sy('chat').rps / find('chat', 'portkey').rps;
  const a = sy('chat').saturated.p99_us;
  const b = find('chat', 'portkey').saturated.p99_us;
  check('chat: >= 50x Portkey req/s at better p99 (c64)', `${r.toFixed(0)}x, p99 ${us(a)} vs ${us(b)}`, r >= 50 && a < b);
}
if (meta.switchyard_idle_rss_kb) {
  check('idle RSS <= 20 MB', mib(meta.switchyard_idle_rss_kb), meta.switchyard_idle_rss_kb * 1024 <= 20e6);
}
if (streams) {
  const held = streams.result.gateway_held;
  const n = streams.result.first_bytes;
  // Fewer than asked (the descriptor limit): the figure for 10,000 from the per-stream slope.
  const before = streams.result.gateway_before.rss_mib;
  const at10k = n > 0 ? before + (held.rss_mib - before) * (10000 / n) : null;
  const reading = `${held.rss_mib} MiB with ${int(n)} open` + (n !== 10000 && at10k ? ` (~${at10k.toFixed(0)} MiB at 10,000 by slope)` : '');
  check('10,000 open streams in <= 300 MB', reading, at10k === null ? null : at10k * 1.048576 <= 300);
}
if (targets.length) {
  out.push('', 'targets (issue 6; printed, not pass/fail)');
  out.push(table(['target', 'reading', ''], targets));
}

// --- open streams ----------------------------------------------------------------------------------

if (streams) {
  const r = streams.result;
  const outcomes = Object.entries(r.outcomes).map(([k, n]) => `${k}: ${int(n)}`).join(', ');
  out.push('', `open streams through switchyard (slow upstream: one event, then silence; ulimit -n ${streams.nofile})`);
  out.push(`  asked ${int(r.streams)}, first byte on ${int(r.first_bytes)} (${r.first_bytes === r.streams ? 'all' : 'NOT all'}); opened in ${r.open_seconds.toFixed(1)} s`);
  out.push(`  outcomes: ${outcomes}`);
  out.push(`  switchyard while held: RSS ${r.gateway_held.rss_mib} MiB, peak ${r.gateway_held.hwm_mib} MiB, ${int(r.gateway_held.fds)} fds` +
    ` (before: RSS ${r.gateway_before.rss_mib} MiB, ${int(r.gateway_before.fds)} fds)`);
  out.push(`  1 s after the clients closed: RSS ${mib(streams.after_close_rss_kb)}, ${int(streams.after_close_fds)} fds`);
  const perStream = r.first_bytes ? ((r.gateway_held.rss_mib - r.gateway_before.rss_mib) * 1024 / r.first_bytes).toFixed(1) : dash;
  out.push(`  about ${perStream} KiB per open stream; failed accepts logged: ${int(streams.accept_failures)}`);
  if (r.first_bytes < r.streams) {
    const room = Math.floor((streams.nofile - r.gateway_before.fds) / 2);
    out.push(`  limit: file descriptors. Each stream holds 2 in the gateway (client + upstream); ulimit -n ${streams.nofile}` +
      ` less the ${int(r.gateway_before.fds)} already open leaves room for about ${int(room)} streams.`);
    const past = [];
    const s502 = r.outcomes['status 502'] || 0;
    if (s502) past.push(`answered ${int(s502)} clients 502 (it accepted them but could not open their upstream connection)`);
    if (streams.accept_failures) past.push(`logged ${int(streams.accept_failures)} failed accepts (it retries every 50 ms; those clients wait in the backlog)`);
    const other = Object.entries(r.outcomes).filter(([k]) => k !== 'first byte' && k !== 'status 502');
    if (other.length) past.push(`left ${other.map(([k, n]) => `${int(n)} with ${k}`).join(', ')}`);
    if (past.length) out.push(`  Past it the gateway ${past.join('; ')}.`);
  }
}

// --- micro-benchmarks ------------------------------------------------------------------------------

if (micro && micro.benchmarks) {
  const mrows = micro.benchmarks.filter((b) => b.run_type !== 'aggregate').map((b) => {
    const scale = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 }[b.time_unit] || 1e-9;
    const extra = [];
    if (b.per_chunk !== undefined) extra.push(`${ns(b.per_chunk)}/chunk`);
    if (b.bytes_per_second) extra.push(`${(b.bytes_per_second / 1048576).toFixed(0)} MiB/s`);
    for (const k of ['p50_ns', 'p99_ns', 'rows_per_second']) if (b[k] !== undefined) extra.push(`${k} ${int(b[k])}`);
    return [b.name, ns(b.cpu_time * scale), int(b.iterations), extra.join(', ')];
  });
  out.push('', `micro-benchmarks (Google Benchmark, build-bench RelWithDebInfo; cpu time per iteration)`);
  out.push(table(['benchmark', 'time', 'iterations', ''], mrows));
}

process.stdout.write(out.join('\n') + '\n');
