// Starts the VS Code server (from the npm package code-server, under Node 24) and opens the workbench in Debian's
// Chromium with the extension under development: the recipe in ../shared/docs/TESTING.md. Shared by the
// extension-host tests and the browser tests; always stops what it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'airlock-test');
export const NODE24 = join(CACHE, 'node24', 'node_modules', 'node', 'bin', 'node');
export const SERVER_MAIN = join(CACHE, 'server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const CHROMIUM = '/usr/bin/chromium';

export function workbenchAvailable(): string | undefined {
  for (const [what, path] of [['Node 24', NODE24], ['the VS Code server', SERVER_MAIN], ['Chromium', CHROMIUM]] as const) {
    if (!existsSync(path)) return `${what} is missing (${path}); run sh scripts/vscode-test-setup`;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => done(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, server: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the VS Code server exited (${server.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the VS Code server did not answer at ${url} in ${timeoutMs} ms:\n${log()}`);
}

export interface Workbench {
  url: string;
  port: number;
  serverLog(): string;
  stop(): Promise<void>;
}

/** Starts a server for `folder` with its own user data (settings given), env passed to the extension host. */
export async function startServer(o: { folder: string; settings: Record<string, unknown>; env: Record<string, string>; testsPath?: string; extensionPath?: string }): Promise<Workbench> {
  const data = mkdtempSync(join(tmpdir(), 'airlock-vscode-data-'));
  mkdirSync(join(data, 'data', 'User'), { recursive: true });
  mkdirSync(join(data, 'data', 'Machine'), { recursive: true });
  writeFileSync(join(data, 'data', 'User', 'settings.json'), JSON.stringify(o.settings));
  writeFileSync(join(data, 'data', 'Machine', 'settings.json'), JSON.stringify(o.settings));
  const port = await freePort();
  let log = '';
  const server = spawn(NODE24, [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver', '--server-data-dir', data, '--user-data-dir', join(data, 'data'), '--extensions-dir', join(data, 'extensions')], {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  server.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, server, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  const ext = resolve(o.extensionPath ?? '.');
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(ext)], ...(o.testsPath ? [['extensionTestsPath', remote(resolve(o.testsPath))]] : []), ['skipWelcome', 'true']];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return { url, port, serverLog: () => log, stop };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
