// Per-command overhead of contained exec against a plain spawn and a `docker exec` CLI call, all measured in
// this run on this machine; staged-writes change detection on a 10,000-file workspace; sandbox cold start
// and warm reuse. Usage: npm run bench:exec [-- --runs N]   (needs the sandbox: sh scripts/sandbox-setup)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { combinePolicies } from '../src/policy/layering';
import { classifyHost } from '../src/risk/shared/network';
import { SandboxManager, sandboxSettings } from '../src/sandbox/sandboxManager';
import { StagedWorkspace } from '../src/sandbox/stagedWorkspace';
import { docker } from '../src/sandbox/dockerCli';
import type { BackendName } from '../src/sandbox/backend';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const RUNS = Math.max(10, Number(values.runs));
const AGENT = join(__dirname, '..', 'dist', 'sandbox-agent.js');

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

async function time(n: number, f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(5, n); i++) await f(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

function plain(cmd: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('/bin/sh', ['-c', cmd], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.resume();
    c.stderr.resume();
    c.on('error', reject);
    c.on('close', () => resolve());
  });
}

function makeWorkspace(files: number): string {
  const ws = mkdtempSync(join(tmpdir(), 'airlock-bench-ws-'));
  const perDir = 50;
  for (let d = 0; d < files / perDir; d++) {
    const dir = join(ws, 'src', `m${Math.floor(d / 20)}`, `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < perDir; f++) writeFileSync(join(dir, `f${f}.ts`), `export const v${f} = ${d};\n`);
  }
  return ws;
}

interface Row {
  what: string;
  p50: number;
  p99: number;
  n: number;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const add = (what: string, xs: number[]) => rows.push({ what, p50: q(xs, 0.5), p99: q(xs, 0.99), n: xs.length });
  const ws = makeWorkspace(200);
  mkdirSync(join(ws, '.git'));
  const policy = combinePolicies(undefined, undefined);
  const typical = ['true', 'git status --short', 'node -e 0', 'python3 -c pass'];
  // git status needs a repository; a tiny one keeps it about the exec path, not git.
  await plain('git init -q . && git add -A && git -c user.email=b@b -c user.name=b commit -qm x', ws);

  for (const cmd of typical) add(`plain spawn: ${cmd}`, await time(cmd === 'true' ? RUNS : 50, () => plain(cmd, ws)));

  const starts: Record<string, number> = {};
  for (const backend of ['devcontainer', 'bubblewrap'] as BackendName[]) {
    const stateRoot = mkdtempSync(join(tmpdir(), 'airlock-bench-state-'));
    const make = () => new SandboxManager({ workspace: ws, stateRoot, settings: sandboxSettings(policy, { backend }), agentPath: AGENT, classifyHost, askUnlisted: () => Promise.resolve(false) });
    let manager = make();
    let t = performance.now();
    const running = await manager.start();
    starts[`${backend} cold start (to containment verified)`] = performance.now() - t;
    if (backend === 'devcontainer') {
      await manager.stop(false);
      manager = make();
      t = performance.now();
      await manager.start();
      starts['devcontainer warm reuse (existing container, new session)'] = performance.now() - t;
    }
    const channel = (await manager.start()).channel;
    for (const cmd of typical) add(`${backend} channel: ${cmd}`, await time(cmd === 'true' ? RUNS : 50, () => channel.run({ command: cmd, cwd: running.workspaceFolder })));
    if (backend === 'devcontainer') {
      const id = (await docker(['ps', '-q', '--filter', `label=airlock.workspace=${manager.id}`])).split('\n')[0] ?? '';
      for (const cmd of typical) add(`docker exec CLI: ${cmd}`, await time(cmd === 'true' ? 30 : 15, () => new Promise<void>((resolve) => spawn('docker', ['exec', '-u', 'airlock', '-w', running.workspaceFolder, id, 'sh', '-c', cmd], { stdio: 'ignore' }).on('close', () => resolve()))));
    }
    await manager.destroy();
    rmSync(stateRoot, { recursive: true, force: true });
  }

  // Staged writes: what a command costs on top of its run (sync the person's edits in, collect its changes).
  const big = makeWorkspace(10_000);
  const state = mkdtempSync(join(tmpdir(), 'airlock-bench-staged-'));
  const staged = new StagedWorkspace(big, join(state, 'copy'), state);
  const tPrepare = performance.now();
  staged.prepare();
  starts['staged copy of a 10,000-file workspace (first start)'] = performance.now() - tPrepare;
  add('staged detection, 10,000 files, command changed nothing', await time(100, async () => {
    await staged.syncIn();
    await staged.collect();
  }));
  let k = 0;
  add('staged detection, 10,000 files, command changed 1 file', await time(100, async () => {
    await staged.syncIn();
    writeFileSync(join(staged.copy, 'src', 'm3', 'd70', 'f7.ts'), `export const v = ${k++};\n`);
    const set = await staged.collect();
    await staged.revert(set);
  }));
  staged.dispose();
  rmSync(state, { recursive: true, force: true });
  rmSync(big, { recursive: true, force: true });
  rmSync(ws, { recursive: true, force: true });

  const base = rows.find((r) => r.what === 'plain spawn: true');
  console.log(`Per-command latency (ms), ${RUNS} runs for \`true\`, 50 for the others (15–30 for docker exec), in one run:\n`);
  console.log('| what | p50 | p99 | p50 vs plain spawn |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) {
    const plainSame = rows.find((x) => x.what === `plain spawn: ${r.what.split(': ')[1]}`) ?? base;
    console.log(`| ${r.what} | ${ms(r.p50)} | ${ms(r.p99)} | ${plainSame && r.what.includes(':') && !r.what.startsWith('staged') ? `${(r.p50 / plainSame.p50).toFixed(2)}×` : ''} |`);
  }
  console.log('\n| one-off | ms |\n|---|---:|');
  for (const [k2, v] of Object.entries(starts)) console.log(`| ${k2} | ${v.toFixed(0)} |`);
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
