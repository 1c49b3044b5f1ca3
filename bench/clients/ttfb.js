#!/usr/bin/env node
// Open-loop paced client for streamed rows: sends requests at a fixed rate whatever the answers do
// (unlike wrk, a slow answer does not delay the next request), and measures for each one the time to
// the first body byte (the first SSE event) and to the end of the stream.
//
//   node ttfb.js --url URL --body FILE [--headers FILE] --rate R --duration S [--max-sockets N]
//
// Prints one JSON line: sent, ok, errors, achieved rate, TTFB and total p50/p99 in microseconds.
// The client's own overhead (Node's HTTP parser, timers: tens of microseconds) is in every row alike.
'use strict';
const fs = require('fs');
const http = require('http');

function parseArgs(argv) {
  const args = { rate: 200, duration: 10, maxSockets: 256, headers: '' };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    args[key] = argv[i + 1];
  }
  for (const k of ['rate', 'duration', 'maxSockets']) args[k] = Number(args[k]);
  return args;
}

function readHeaders(file) {
  const headers = { 'content-type': 'application/json' };
  if (!file) return headers;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([^:]+):\s*(.*?)\s*$/);
    if (m) headers[m[1].toLowerCase()] = m[2];
  }
  return headers;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]);
}

function main() {
  const args = parseArgs(process.argv);
  const url = new URL(args.url);
  const body = fs.readFileSync(args.body);
  const headers = readHeaders(args.headers);
  headers['content-length'] = String(body.length);
  const agent = new http.Agent({ keepAlive: true, maxSockets: args.maxSockets });
  const ttfb = [];
  const total = [];
  let sent = 0;
  let errors = 0;
  let inFlight = 0;
  const errorKinds = {};

  function fail(kind) {
    errors += 1;
    errorKinds[kind] = (errorKinds[kind] || 0) + 1;
  }

  function one() {
    sent += 1;
    inFlight += 1;
    const t0 = process.hrtime.bigint();
    let done = false;
    const finish = () => { if (!done) { done = true; inFlight -= 1; } };
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST',
      headers, agent,
    }, (res) => {
      let first = true;
      res.on('data', () => {
        if (first) { first = false; ttfb.push(Number(process.hrtime.bigint() - t0) / 1000); }
      });
      res.on('end', () => {
        if (res.statusCode === 200 && !first) total.push(Number(process.hrtime.bigint() - t0) / 1000);
        else fail(`status ${res.statusCode}`);
        finish();
      });
      res.on('error', (e) => { fail(e.code || 'response error'); finish(); });
    });
    req.on('error', (e) => { fail(e.code || 'request error'); finish(); });
    req.end(body);
  }

  // Fixed schedule: request k is due at start + k/rate; each tick sends every request now due.
  const start = process.hrtime.bigint();
  const intervalNs = 1e9 / args.rate;
  const endNs = BigInt(Math.round(args.duration * 1e9));
  let due = 0;
  const tick = setInterval(() => {
    const elapsed = process.hrtime.bigint() - start;
    if (elapsed >= endNs) {
      clearInterval(tick);
      drain(elapsed);
      return;
    }
    const shouldHaveSent = Math.floor(Number(elapsed) / intervalNs) + 1;
    while (due < shouldHaveSent) { due += 1; one(); }
  }, 1);

  function drain(elapsedNs) {
    const deadline = Date.now() + 10000;
    const wait = setInterval(() => {
      if (inFlight > 0 && Date.now() < deadline) return;
      clearInterval(wait);
      ttfb.sort((a, b) => a - b);
      total.sort((a, b) => a - b);
      const out = {
        sent, ok: total.length, errors, error_kinds: errorKinds, unfinished: inFlight,
        rate: Number((sent / (Number(elapsedNs) / 1e9)).toFixed(1)),
        ttfb_p50_us: percentile(ttfb, 50), ttfb_p99_us: percentile(ttfb, 99),
        total_p50_us: percentile(total, 50), total_p99_us: percentile(total, 99),
      };
      process.stdout.write(JSON.stringify(out) + '\n');
      agent.destroy();
      process.exit(0);
    }, 20);
  }
}

main();
