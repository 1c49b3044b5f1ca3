// Starts and stops the real switchyard binary for a test.
//
//   const gw = await startGateway({ config: { providers: {...}, keys: [...] } });
//   ... OpenAI SDK with baseURL `${gw.baseURL}/v1` ...
//   const code = await gw.stop();               // SIGTERM, then the exit code
//   gw.accessLog()                              // parsed JSON lines of the access log
//
// The binary is $SWITCHYARD_BIN. When it is not set or does not exist, `gatewaySkip` is a message and
// the gateway suites skip themselves with it (they run whenever the binary is there).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

import { withTimeout, deferred } from './util.js';

const binEnv = process.env.SWITCHYARD_BIN;
export const SWITCHYARD_BIN = binEnv ? path.resolve(binEnv) : null;

function skipReason() {
  if (!SWITCHYARD_BIN) {
    return 'SWITCHYARD_BIN is not set: run with SWITCHYARD_BIN=/abs/path/to/build/switchyard to test the gateway';
  }
  try {
    fs.accessSync(SWITCHYARD_BIN, fs.constants.X_OK);
  } catch {
    return `SWITCHYARD_BIN=${SWITCHYARD_BIN} does not exist or is not executable: build it first (scripts/build.sh)`;
  }
  return false;
}

// false when the binary is there; else the reason to skip, for `describe(name, { skip: gatewaySkip })`.
export const gatewaySkip = skipReason();

// Seconds of patience for the binary: sanitizer builds start and answer more slowly.
export const START_TIMEOUT_MS = 20_000;
export const STOP_TIMEOUT_MS = 15_000;

const tempDirs = [];
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
  if (!process.env.SWITCHYARD_KEEP_TMP) {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A fresh temporary directory, removed when the test process exits (kept with SWITCHYARD_KEEP_TMP=1).
export function makeTempDir(prefix = 'switchyard-it-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

// Writes `content` to `name` in a fresh temporary directory; returns the absolute path.
export function writeTempFile(name, content) {
  const file = path.join(makeTempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

// The config text to write: an object goes through YAML; `access_log` is added unless given.
function configText({ config, configYaml }, accessLogPath) {
  if (config !== undefined) {
    const copy = structuredClone(config);
    if (copy.access_log === undefined) copy.access_log = accessLogPath;
    return YAML.stringify(copy, { lineWidth: 0 });
  }
  let text = configYaml;
  if (!/^access_log\s*:/m.test(text)) text = `${text.replace(/\s*$/, '\n')}access_log: ${JSON.stringify(accessLogPath)}\n`;
  return text;
}

function trackOutput(child) {
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    out.stdout += d;
  });
  child.stderr.on('data', (d) => {
    out.stderr += d;
  });
  return out;
}

const LISTENING = /listening on http:\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/;

// Starts `switchyard serve`. Options:
//   config      a config object (written as YAML), or
//   configYaml  config text as is (access_log is appended unless it has one);
//               neither: serve without --config (e.g. with demo)
//   demo        add --demo
//   listen      the --listen address (default 127.0.0.1:0)
//   args        more arguments after the others
//   env         extra environment variables
//   maxFiles    run under `ulimit -n maxFiles` (soft and hard), as a small deployment would
// Resolves once stderr says "listening on http://HOST:PORT"; rejects if the process exits first or
// does not say so within START_TIMEOUT_MS.
export async function startGateway(options = {}) {
  if (gatewaySkip) throw new Error(gatewaySkip);
  const { demo = false, listen = '127.0.0.1:0', args = [], env = {} } = options;
  const dir = makeTempDir();
  const accessLogPath = path.join(dir, 'access.log');
  const argv = ['serve'];
  let configPath = null;
  if (options.config !== undefined || options.configYaml !== undefined) {
    configPath = path.join(dir, 'switchyard.yaml');
    fs.writeFileSync(configPath, configText(options, accessLogPath));
    argv.push('--config', configPath);
  }
  if (demo) argv.push('--demo');
  argv.push('--listen', listen, ...args);

  // `exec` keeps the pid: signals reach the gateway itself.
  const [command, commandArgs] = options.maxFiles
    ? ['sh', ['-c', `ulimit -n ${Number(options.maxFiles)} && exec "$0" "$@"`, SWITCHYARD_BIN, ...argv]]
    : [SWITCHYARD_BIN, argv];
  const child = spawn(command, commandArgs, {
    cwd: dir, // the default ledger (./switchyard-data/) lands in the temporary directory
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const out = trackOutput(child);
  const exit = deferred();
  let exitInfo = null;
  child.on('exit', (code, signal) => {
    exitInfo = { code, signal };
    liveChildren.delete(child);
    exit.resolve(exitInfo);
  });
  child.on('error', (error) => {
    exitInfo = { code: null, signal: null, error };
    liveChildren.delete(child);
    exit.resolve(exitInfo);
  });

  const listening = new Promise((resolve, reject) => {
    const check = () => {
      const m = LISTENING.exec(out.stderr);
      if (m) {
        child.stderr.off('data', check);
        resolve({ host: m[1], port: Number(m[2]) });
      }
    };
    child.stderr.on('data', check);
    check();
    exit.promise.then((info) =>
      reject(
        new Error(
          `switchyard ${argv.join(' ')} exited (code ${info.code}, signal ${info.signal}${info.error ? `, ${info.error.message}` : ''}) before listening.\nstderr:\n${out.stderr}\nstdout:\n${out.stdout}`,
        ),
      ),
    );
  });
  let address;
  try {
    address = await withTimeout(listening, START_TIMEOUT_MS, `"listening on http://..." from switchyard ${argv.join(' ')}`);
  } catch (error) {
    child.kill('SIGKILL');
    await withTimeout(exit.promise, 5_000, 'the killed gateway to exit').catch(() => {});
    if (/timed out/.test(error.message)) error.message += `\nstderr so far:\n${out.stderr}`;
    throw error;
  }

  const origin = `http://${address.host}:${address.port}`;

  async function waitForExit(timeoutMs = STOP_TIMEOUT_MS) {
    const info = await withTimeout(exit.promise, timeoutMs, 'switchyard to exit');
    return info.code;
  }

  let stopping = null;
  const gw = {
    baseURL: origin,
    openaiBaseURL: `${origin}/v1`,
    port: address.port,
    dir,
    configPath,
    accessLogPath,
    process: child,
    get exitInfo() {
      return exitInfo;
    },
    exited: exit.promise,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitForExit,
    // SIGTERM, then waits for the exit and returns its code (null when ended by a signal). If it has
    // not exited in time it is killed and stop() throws: a gateway must shut down promptly.
    stop({ timeoutMs = STOP_TIMEOUT_MS } = {}) {
      if (!stopping) {
        stopping = (async () => {
          if (exitInfo) return exitInfo.code;
          child.kill('SIGTERM');
          try {
            return await waitForExit(timeoutMs);
          } catch (error) {
            child.kill('SIGKILL');
            await withTimeout(exit.promise, 5_000, 'the killed gateway to exit').catch(() => {});
            throw new Error(`switchyard did not exit within ${timeoutMs} ms of SIGTERM; killed it.\nstderr:\n${out.stderr}`);
          }
        })();
      }
      return stopping;
    },
    // SIGKILL, for tests that do not care how it ends.
    async kill() {
      if (!exitInfo) child.kill('SIGKILL');
      await withTimeout(exit.promise, 5_000, 'the killed gateway to exit');
    },
    accessLogText() {
      try {
        return fs.readFileSync(accessLogPath, 'utf8');
      } catch (error) {
        if (error.code === 'ENOENT') return '';
        throw error;
      }
    },
    // The access log's complete lines, parsed; a line that is not JSON fails loudly. The gateway
    // writes the log through a stdio buffer, which a batch of lines can fill mid-line: the text
    // after the last newline may be a line still being written, and is left for the next read.
    accessLog() {
      const text = gw.accessLogText();
      return text
        .slice(0, text.lastIndexOf('\n') + 1)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line);
          } catch {
            throw new Error(`access log line is not JSON: ${line}`);
          }
        });
    },
    // Waits until `predicate(lines)` holds (the log may be written asynchronously after the answer).
    async waitForAccessLog(predicate, { timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = gw.accessLog();
        if (predicate(lines)) return lines;
        if (Date.now() > deadline) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for the access log; it has:\n${gw.accessLogText()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
  return gw;
}

// Runs the binary with `args` to completion: { code, signal, stdout, stderr, timedOut }. A run that
// takes longer than timeoutMs is killed (timedOut: true), so nothing hangs.
export async function runSwitchyard(args, { timeoutMs = START_TIMEOUT_MS, cwd, env = {} } = {}) {
  if (gatewaySkip) throw new Error(gatewaySkip);
  const child = spawn(SWITCHYARD_BIN, args, {
    cwd: cwd ?? makeTempDir(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const out = trackOutput(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const result = await new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  liveChildren.delete(child);
  return { ...result, stdout: out.stdout, stderr: out.stderr, timedOut };
}
