// A fresh PostgreSQL database per gateway run, for the tests that check the PostgreSQL ledger.
//
//   bash scripts/with-postgres.sh bash -c 'cd tests/integration && node --test ...'
//
// scripts/with-postgres.sh starts a throwaway server and exports SWITCHYARD_TEST_POSTGRES_URL
// (postgresql://postgres@127.0.0.1:PORT/switchyard_test). When it is not set, `postgresSkip` is a
// message and the PostgreSQL variants of the suites skip themselves with it.
//
//   const url = createPostgresDatabase();   // that URL with a new, empty database of its own
//   ... ledger: { backend: 'postgres', url } ...
//   dropPostgresDatabases();                // drops every database made here (e.g. in after())
//
// Databases are made with `createdb` from $PG_BIN (default: the newest /usr/lib/postgresql/*/bin,
// as scripts/with-postgres.sh picks it; else the one on PATH), connecting with the URL's host, port,
// user and password. The gateway creates its ledger tables in the database it is given.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL || null;

// false when a server is there; else the reason to skip, for `describe(name, { skip: postgresSkip })`.
export const postgresSkip = POSTGRES_URL
  ? false
  : 'SWITCHYARD_TEST_POSTGRES_URL is not set: run under scripts/with-postgres.sh to test the PostgreSQL ledger';

function pgTool(name) {
  if (process.env.PG_BIN) return path.join(process.env.PG_BIN, name);
  const root = '/usr/lib/postgresql';
  let versions = [];
  try {
    versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', name)));
  } catch {
    // no Debian layout: use PATH
  }
  versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return versions.length ? path.join(root, versions[versions.length - 1], 'bin', name) : name;
}

// The client tools' connection arguments and environment for POSTGRES_URL (without its database).
function connection() {
  const url = new URL(POSTGRES_URL);
  const args = ['-h', url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', '-p', url.port || '5432'];
  if (url.username) args.push('-U', decodeURIComponent(url.username));
  const env = { ...process.env };
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  return { args, env };
}

function runTool(name, args) {
  const { args: conn, env } = connection();
  try {
    execFileSync(pgTool(name), [...conn, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (error) {
    const stderr = error.stderr ? error.stderr.toString() : '';
    throw new Error(`${name} ${args.join(' ')} failed: ${error.message}${stderr ? `\n${stderr}` : ''}`);
  }
}

const created = [];
let counter = 0;

// Creates an empty database and returns POSTGRES_URL pointing at it instead.
export function createPostgresDatabase() {
  if (postgresSkip) throw new Error(postgresSkip);
  counter += 1;
  const name = `switchyard_it_${process.pid}_${Date.now().toString(36)}_${counter}`;
  runTool('createdb', [name]);
  created.push(name);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

// Drops the databases createPostgresDatabase() made (call once their gateways have exited).
// Failures are ignored: the throwaway server goes away anyway.
export function dropPostgresDatabases() {
  while (created.length) {
    const name = created.pop();
    try {
      runTool('dropdb', ['--if-exists', name]);
    } catch {
      // still in use or already gone
    }
  }
}
