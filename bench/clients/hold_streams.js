#!/usr/bin/env node
// Opens N streaming requests against a gateway whose upstream sends one event and then stays silent,
// holds them all open, and reports how many got their first byte and what the gateway's process
// looks like with all of them open (RSS, peak RSS, open file descriptors).
//
//   node hold_streams.js --url URL --body FILE --streams N --pid GATEWAY_PID
//                        [--in-flight 200] [--first-byte-timeout-ms 20000] [--settle-ms 2000]
//
// Each stream has its own connection (HTTP/1.1: one open response per connection). At most
// --in-flight connections wait for their first byte at a time, so that the gateway's listen backlog
// is not what fails. Prints one JSON line, then closes everything.
'use strict';
const fs = require('fs');
const http = require('http');

function parseArgs(argv) {
  const args = { streams: 10000, inFlight: 200, firstByteTimeoutMs: 20000, settleMs: 2000 };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    args[key] = argv[i + 1];
  }
  for (const k of ['streams', 'inFlight', 'firstByteTimeoutMs', 'settleMs', 'pid']) args[k] = Number(args[k]);
  return args;
}

// VmRSS / VmHWM in MiB and the number of open fds of a process.
function processFigures(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) || [0, 0])[1]);
  let fds = null;
  try { fds = fs.readdirSync(`/proc/${pid}/fd`).length; } catch { /* not ours to read */ }
  return { rss_mib: +(kb('VmRSS') / 1024).toFixed(1), hwm_mib: +(kb('VmHWM') / 1024).toFixed(1), fds };
}

function main() {
  const args = parseArgs(process.argv);
  const url = new URL(args.url);
  const body = fs.readFileSync(args.body);
  const requests = [];
  const outcomes = {};
  let started = 0;
  let waiting = 0;   // started, no first byte or failure yet
  let firstBytes = 0;
  const t0 = Date.now();
  const before = processFigures(args.pid);

  function outcome(kind) { outcomes[kind] = (outcomes[kind] || 0) + 1; }

  function open() {
    started += 1;
    waiting += 1;
    let settled = false;
    const settle = (kind) => {
      if (settled) return;
      settled = true;
      waiting -= 1;
      outcome(kind);
      if (kind === 'first byte') firstBytes += 1;
      pump();
    };
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    }, (res) => {
      if (res.statusCode !== 200) {
        settle(`status ${res.statusCode}`);
        res.resume();
        return;
      }
      res.once('data', () => settle('first byte'));
      res.on('error', () => {});
    });
    req.setTimeout(args.firstByteTimeoutMs, () => { if (!settled) { settle('no first byte (timeout)'); req.destroy(); } });
    req.on('error', (e) => settle(e.code || 'error'));
    req.end(body);
    requests.push(req);
  }

  // Keeps up to --in-flight connections waiting for their first byte until N were started.
  function pump() {
    while (started < args.streams && waiting < args.inFlight) open();
    if (started >= args.streams && waiting === 0 && !pump.finished) {
      pump.finished = true;
      setTimeout(report, args.settleMs);
    }
  }

  function report() {
    const held = processFigures(args.pid);
    const out = {
      streams: args.streams, first_bytes: firstBytes, outcomes, open_seconds: (Date.now() - t0) / 1000,
      gateway_before: before, gateway_held: held,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
    for (const req of requests) req.destroy();
    setTimeout(() => process.exit(0), 200);
  }

  pump();
}

main();
