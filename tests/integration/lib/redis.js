// A throwaway redis-server on loopback, started by a test itself (Debian's redis-server, installed
// by scripts/install-deps.sh): no persistence, its own temp dir, a free port. The governance's
// shared-state tests start one, point two gateways at it, and kill it to see the gateways' choice
// when it is gone.
//
//   const redis = await startRedis();     // redis.url: redis://127.0.0.1:PORT
//   await redis.kill();                   // SIGKILL, as an outage would
//   await redis.restart();                // again on the same port, empty
//   await redis.stop();
//
// `redisSkip` is a reason to skip when there is no redis-server binary.

import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';

import { makeTempDir } from './gateway.js';
import { withTimeout } from './util.js';

function findServer() {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const SERVER = findServer();
export const redisSkip = SERVER ? false : 'redis-server is not installed (scripts/install-deps.sh installs it)';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on 127.0.0.1:${port}`);
}

export async function startRedis() {
  const dir = makeTempDir('switchyard-redis-');
  const port = await freePort();
  let child = null;
  let stderr = '';
  async function start() {
    child = spawn(SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    await waitForPort(port);
  }
  async function end(signal) {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await withTimeout(exited, 10_000, 'redis-server to exit');
  }
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stderr: () => stderr,
    kill: () => end('SIGKILL'),
    restart: start,
    stop: () => end('SIGTERM'),
  };
}
