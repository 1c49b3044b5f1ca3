// Server-sent-event writer for the mock provider, shared by every wire format. It owns the pacing and
// the scripted stream faults, so that a format module only says which frames to send:
//   chunkDelayMs      wait this long before every frame after the first
//   dropAfterChunks   after this many frames, destroy the socket (no terminator, truncated body)
//   endAfterChunks    after this many frames, end the response cleanly (no terminator, but a complete body)
//   stallAfterChunks  after this many frames, send nothing more and keep the connection open
// A "frame" is one call to send(): one SSE event, including a terminator such as `data: [DONE]`.

import { pause } from '../util.js';

export class SseWriter {
  constructor(ctx, options = {}) {
    this.ctx = ctx;
    this.res = ctx.res;
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.dropAfterChunks = options.dropAfterChunks;
    this.endAfterChunks = options.endAfterChunks;
    this.stallAfterChunks = options.stallAfterChunks;
    this.sent = 0;
    this.stopped = false;
    this.started = false;
    this.lastWrite = Promise.resolve();
  }

  // Writes the response head. Extra headers come from the behaviour's `headers`.
  start(extraHeaders = {}) {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...this.ctx.baseHeaders,
      ...extraHeaders,
    });
    // Push the head out now, as real providers do, so that "first byte" means the head.
    this.res.flushHeaders();
  }

  get closed() {
    return this.ctx.signal.aborted;
  }

  // Sends one already-framed event (text ending in a blank line). Resolves true when written, false
  // when the stream was stopped by a scripted fault or by the client going away.
  async send(frame) {
    if (this.stopped || this.closed) return false;
    if (this.sent > 0 && this.chunkDelayMs > 0) {
      const ok = await pause(this.chunkDelayMs, this.ctx.signal);
      if (!ok || this.stopped) return false;
    }
    if (this.dropAfterChunks !== undefined && this.sent >= this.dropAfterChunks) {
      this.stopped = true;
      this.ctx.rec.fault = 'dropped';
      // Let what was written reach the kernel first, so that the client does get those frames.
      await Promise.race([this.lastWrite, pause(10_000, this.ctx.signal)]);
      this.res.socket?.destroy();
      return false;
    }
    if (this.endAfterChunks !== undefined && this.sent >= this.endAfterChunks) {
      this.stopped = true;
      this.ctx.rec.fault = 'ended';
      this.res.end();
      return false;
    }
    if (this.stallAfterChunks !== undefined && this.sent >= this.stallAfterChunks) {
      this.stopped = true;
      this.ctx.rec.fault = 'stalled';
      return false; // the connection stays open until the client (or mock.close) ends it
    }
    let written;
    this.lastWrite = new Promise((resolve) => {
      written = resolve;
    });
    const n = this.sent + 1;
    const flushed = this.res.write(frame, () => {
      written();
      // For tests that release one answer once another's stream has begun (test/race.test.js).
      this.ctx.mock.emit('frameWritten', { rec: this.ctx.rec, n });
    });
    this.sent += 1;
    this.ctx.rec.chunksSent = this.sent;
    this.ctx.rec.bytesSent += Buffer.byteLength(frame);
    if (!flushed) await this.#waitForDrain();
    return !this.closed;
  }

  // Waits for 'drain' (or the end of the response). A write returning false alone does not mean the
  // peer stopped reading (one frame above the high-water mark is enough, and http corks the socket
  // until the next tick), so once Node has had its turn to flush, bytes still queued in the socket
  // mean the kernel refused them: that is reported as backpressure.
  async #waitForDrain() {
    const { rec, mock } = this.ctx;
    let drained = false;
    let check = null;
    await new Promise((resolve) => {
      const done = () => {
        drained = true;
        if (check) clearImmediate(check);
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
      check = setImmediate(() => {
        check = null;
        const queued = this.res.socket?.writableLength ?? 0;
        if (drained || this.closed || queued === 0) return;
        rec.heldBack = true;
        rec.backpressureCount += 1;
        mock.emit('backpressure', { rec, bytesSent: rec.bytesSent, writableLength: queued });
      });
    });
    if (rec.heldBack && !this.closed) {
      rec.heldBack = false;
      mock.emit('drain', { rec, bytesSent: rec.bytesSent });
    }
  }

  // `data: <json>` framing (OpenAI, Gemini).
  data(value) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return this.send(`data: ${text}\n\n`);
  }

  // `event: <name>` + `data: <json>` framing (Anthropic).
  event(name, value) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return this.send(`event: ${name}\ndata: ${text}\n\n`);
  }

  end() {
    if (this.stopped || this.closed) return;
    this.stopped = true;
    this.res.end();
  }
}
