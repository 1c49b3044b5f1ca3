// Small helpers shared by the mock, the gateway launcher and the tests. Nothing here waits on the wall
// clock to decide an outcome: timeouts only turn a hang into a clear failure.

import net from 'node:net';

// Resolves or rejects like `promise`, but rejects with a clear message (and code 'TEST_TIMEOUT') when
// `ms` pass first.
export function withTimeout(promise, ms, what = 'operation') {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${ms} ms waiting for ${what}`);
      error.code = 'TEST_TIMEOUT';
      reject(error);
    }, ms);
  });
  return Promise.race([Promise.resolve(promise), guard]).finally(() => clearTimeout(timer));
}

// A promise with its resolve/reject exposed.
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// Waits `ms`, or less when `signal` aborts (then resolves false). Used by the mock to pace its own
// output (scripted delays), never by tests to wait for a condition.
export function pause(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      resolve(false);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// A loopback port on which nothing listens (bound, then closed), for "connection refused" cases.
export async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Reads a fetch Response body as text; returns { text, error } so that a body cut off mid-way (a
// dropped connection) can be inspected instead of only throwing.
export async function readBodySafely(response) {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
    return { text, error: null };
  } catch (error) {
    return { text, error };
  }
}

// Splits an SSE body into events: [{ event, data, comments: [...] }]. Accepts LF, CRLF and CR.
export function parseSse(text) {
  const events = [];
  const blocks = text.split(/\r\n\r\n|\n\n|\r\r/);
  for (const block of blocks) {
    if (block.trim() === '') continue;
    const event = { event: null, data: null, comments: [], lines: [] };
    const dataLines = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      event.lines.push(line);
      if (line.startsWith(':')) {
        event.comments.push(line.slice(1).trimStart());
      } else if (line.startsWith('data:')) {
        dataLines.push(line.slice(5).replace(/^ /, ''));
      } else if (line.startsWith('event:')) {
        event.event = line.slice(6).trim();
      }
    }
    if (dataLines.length > 0) event.data = dataLines.join('\n');
    events.push(event);
  }
  return events;
}
