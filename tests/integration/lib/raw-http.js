// A raw TCP client for the tests that need exact bytes on the wire: malformed requests, pipelining,
// `Expect: 100-continue`, slow or stalling clients, and watching when the gateway closes a connection.
//
//   const conn = await rawConnect(gw.port);
//   conn.write(httpRequest({ method: 'GET', path: '/health' }));
//   const res = await conn.readResponse();     // { status, headers, body, rawHead, interim }
//   await conn.waitForClose(5_000);            // the gateway closed the connection
//   conn.destroy();
//
// Every wait is event-driven (data, end, close); the timeouts only turn a hang into a clear failure.
// Responses are parsed in order from one byte buffer, so pipelined answers come out one per call.
// Interim responses (1xx) are returned as their own responses, with `interim: true`.

import net from 'node:net';

import { deferred, withTimeout } from './util.js';

// The bytes of one HTTP/1.1 request. `body` (string or Buffer) gets a Content-Length unless the
// headers already say how the body is framed (content-length or transfer-encoding) or `noLength`.
export function httpRequest({ method = 'GET', path = '/', headers = {}, body, noLength = false, version = 'HTTP/1.1' } = {}) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const lines = [`${method} ${path} ${version}`];
  if (!('host' in lower)) lines.push('Host: 127.0.0.1');
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const bodyBuf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  if (body !== undefined && !noLength && !('content-length' in lower) && !('transfer-encoding' in lower)) {
    lines.push(`Content-Length: ${bodyBuf.length}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bodyBuf]);
}

// A JSON POST request's bytes.
export function jsonPost(path, value, headers = {}) {
  return httpRequest({ method: 'POST', path, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) });
}

// One chunk of a chunked body.
export function chunk(data) {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  return Buffer.concat([Buffer.from(`${buf.length.toString(16)}\r\n`, 'latin1'), buf, Buffer.from('\r\n', 'latin1')]);
}
export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

// Parses one response from the start of `buf`; null when it is not complete yet. `noBody` for the
// answer to a HEAD request.
function parseResponse(buf, { closed = false } = {}) {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const rawHead = buf.subarray(0, headEnd).toString('latin1');
  const [statusLine, ...headerLines] = rawHead.split('\r\n');
  const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const status = Number(m[2]);
  const headers = {};
  const headerList = [];
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed response header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headerList.push([name, value]);
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const start = headEnd + 4;
  const base = { version: m[1], status, reason: m[3] ?? '', headers, headerList, rawHead };
  if (status >= 100 && status < 200) return { response: { ...base, interim: true, body: '' }, used: start };
  if (status === 204 || status === 304) return { response: { ...base, interim: false, body: '' }, used: start };
  const te = (headers['transfer-encoding'] ?? '').toLowerCase();
  if (te.includes('chunked')) {
    let pos = start;
    const parts = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', pos);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.subarray(pos, lineEnd).toString('latin1').split(';')[0], 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size in a response');
      if (size === 0) {
        // No trailers are expected: the last chunk is followed by an empty line.
        const trailerEnd = buf.indexOf('\r\n', lineEnd + 2);
        if (trailerEnd < 0) return null;
        return { response: { ...base, interim: false, body: Buffer.concat(parts).toString('utf8') }, used: trailerEnd + 2 };
      }
      if (buf.length < lineEnd + 2 + size + 2) return null;
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      pos = lineEnd + 2 + size + 2;
    }
  }
  if ('content-length' in headers) {
    const length = Number(headers['content-length']);
    if (buf.length < start + length) return null;
    return { response: { ...base, interim: false, body: buf.subarray(start, start + length).toString('utf8') }, used: start + length };
  }
  // Delimited by the end of the connection.
  if (!closed) return null;
  return { response: { ...base, interim: false, body: buf.subarray(start).toString('utf8') }, used: buf.length };
}

// Connects to 127.0.0.1:port (from `localAddress` when given, e.g. 127.0.0.2 to be another client
// address). The returned object buffers everything received.
export async function rawConnect(port, host = '127.0.0.1', { localAddress } = {}) {
  const socket = net.connect({ port, host, ...(localAddress ? { localAddress } : {}) });
  socket.setNoDelay(true);
  const conn = {
    socket,
    buffer: Buffer.alloc(0), // received and not yet parsed into a response
    received: Buffer.alloc(0), // everything received, for diagnostics
    ended: false, // the peer sent FIN
    closed: false,
    error: null, // a socket error (e.g. ECONNRESET), kept instead of thrown
    connectedAt: 0,
    closedAt: 0,
    endedAt: 0,
  };
  const closed = deferred();
  let waiters = [];
  const wake = () => {
    const list = waiters;
    waiters = [];
    for (const w of list) w();
  };
  socket.on('data', (d) => {
    conn.buffer = Buffer.concat([conn.buffer, d]);
    conn.received = Buffer.concat([conn.received, d]);
    wake();
  });
  socket.on('end', () => {
    conn.ended = true;
    conn.endedAt = performance.now();
    wake();
  });
  socket.on('error', (error) => {
    conn.error = error;
    wake();
  });
  socket.on('close', () => {
    conn.closed = true;
    conn.closedAt = performance.now();
    closed.resolve();
    wake();
  });
  await withTimeout(
    new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }),
    5_000,
    `a TCP connection to 127.0.0.1:${port}`,
  );
  conn.connectedAt = performance.now();

  // Resolves when `check()` returns something other than undefined (re-checked on every event).
  function until(check, timeoutMs, what) {
    return withTimeout(
      new Promise((resolve, reject) => {
        const attempt = () => {
          let value;
          try {
            value = check();
          } catch (error) {
            reject(error);
            return;
          }
          if (value !== undefined) resolve(value);
          else waiters.push(attempt);
        };
        attempt();
      }),
      timeoutMs,
      what,
    );
  }

  conn.write = (data) =>
    new Promise((resolve) => {
      if (socket.destroyed) return resolve(false);
      socket.write(data, (error) => resolve(!error));
    });

  // The next complete response (interim 1xx responses included). Rejects when the connection ends
  // first, saying what had arrived.
  conn.readResponse = (timeoutMs = 10_000) =>
    until(
      () => {
        const parsed = parseResponse(conn.buffer, { closed: conn.ended || conn.closed });
        if (parsed) {
          conn.buffer = conn.buffer.subarray(parsed.used);
          const { response } = parsed;
          if (response.body && /^application\/json/.test(response.headers['content-type'] ?? '')) {
            try {
              response.json = JSON.parse(response.body);
            } catch {
              response.json = undefined;
            }
          }
          return response;
        }
        if (conn.ended || conn.closed) {
          throw new Error(
            `the connection ended before a complete response (error: ${conn.error?.code ?? 'none'}); received: ${JSON.stringify(conn.received.toString('latin1').slice(0, 500))}`,
          );
        }
        return undefined;
      },
      timeoutMs,
      'a response on the raw connection',
    );

  // Resolves once `text` has arrived (anywhere in what was received and not parsed yet).
  conn.waitForText = (text, timeoutMs = 10_000) =>
    until(
      () => {
        if (conn.buffer.includes(text)) return true;
        if (conn.ended || conn.closed) {
          throw new Error(`the connection ended before ${JSON.stringify(text)} arrived; received: ${JSON.stringify(conn.received.toString('latin1').slice(0, 500))}`);
        }
        return undefined;
      },
      timeoutMs,
      JSON.stringify(text),
    );

  // Resolves when the socket is fully closed (the peer closed it, or we destroyed it).
  conn.waitForClose = (timeoutMs = 10_000, what = 'the gateway to close the connection') => withTimeout(closed.promise, timeoutMs, what);
  conn.closedPromise = closed.promise;
  conn.destroy = () => socket.destroy();
  return conn;
}
