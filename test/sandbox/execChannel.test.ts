import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ExecChannel, ChannelClosed } from '../../src/sandbox/execChannel';

// The protocol, end to end, with the real agent bundle run as a plain child process (no sandbox: these
// tests are about the channel; the containment suites run the same agent inside the sandboxes).
const AGENT = join(__dirname, '..', '..', 'dist', 'sandbox-agent.js');
let channel: ExecChannel;

before(async () => {
  channel = new ExecChannel(spawn(process.execPath, [AGENT], { stdio: ['pipe', 'pipe', 'pipe'] }), 'test');
  await channel.ready;
});
after(() => channel.close());

test('stdout, stderr, exit code, working directory and environment', async () => {
  const r = await channel.run({ command: 'echo out; echo err >&2; pwd; echo "$AIRLOCK_T"; exit 3', cwd: tmpdir(), env: { AIRLOCK_T: 'set' } });
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout.toString(), `out\n${tmpdir()}\nset\n`);
  assert.equal(r.stderr.toString(), 'err\n');
});

test('output streams as it is produced', async () => {
  const chunks: string[] = [];
  await channel.run({ command: 'echo one; sleep 0.2; echo two', cwd: tmpdir(), onStdout: (c) => chunks.push(c.toString()) });
  assert.deepEqual(chunks, ['one\n', 'two\n']);
});

test('stdin is delivered, binary-safe', async () => {
  const r = await channel.run({ command: 'od -An -tx1', cwd: tmpdir(), stdin: Buffer.from([0, 255, 10]) });
  assert.match(r.stdout.toString(), /00 ff 0a/);
});

test('a timeout stops the command and everything it started', async () => {
  const t = Date.now();
  const r = await channel.run({ command: 'sleep 30 & sleep 30; echo never', cwd: tmpdir(), timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.ok(Date.now() - t < 5000);
  assert.doesNotMatch(r.stdout.toString(), /never/);
});

test('an abort signal stops the command', async () => {
  const ac = new AbortController();
  const p = channel.run({ command: 'sleep 30', cwd: tmpdir(), signal: ac.signal });
  setTimeout(() => ac.abort(), 100);
  const r = await p;
  assert.equal(r.signal, 'SIGTERM');
  assert.equal(r.exitCode, 143);
});

test('output beyond the cap is counted as truncated, not buffered', async () => {
  const r = await channel.run({ command: 'head -c 3000000 /dev/zero', cwd: tmpdir(), maxOutput: 1000 });
  assert.equal(r.stdout.length, 1000);
  assert.equal(r.truncated, true);
  assert.equal(r.exitCode, 0);
});

test('commands run concurrently on one channel, each with its own result', async () => {
  const [a, b] = await Promise.all([channel.run({ command: 'sleep 0.2; echo a', cwd: tmpdir() }), channel.run({ command: 'echo b', cwd: tmpdir() })]);
  assert.equal(a.stdout.toString(), 'a\n');
  assert.equal(b.stdout.toString(), 'b\n');
});

test('a missing working directory is an error, not a silent run elsewhere', async () => {
  await assert.rejects(channel.run({ command: 'pwd', cwd: '/nonexistent/airlock' }), /could not start/);
});

test('a malformed frame from the sandbox closes the channel and fails what was pending', async () => {
  const liar = new ExecChannel(spawn(process.execPath, ['-e', 'console.log(JSON.stringify({t:"ready",pid:1,uid:1000,node:"x"})); process.stdin.once("data", () => console.log("{\\"t\\":\\"exit\\",\\"id\\":\\"1; rm -rf\\"}")); setTimeout(()=>{}, 5000)'], { stdio: ['pipe', 'pipe', 'pipe'] }), 'liar');
  await liar.ready;
  await assert.rejects(liar.run({ command: 'true', cwd: '/' }), ChannelClosed);
  assert.equal(liar.alive, false);
  liar.close();
});

test('when the agent dies, pending commands fail with why', async () => {
  const dying = new ExecChannel(spawn(process.execPath, [AGENT], { stdio: ['pipe', 'pipe', 'pipe'] }), 'dying');
  const ready = await dying.ready;
  const p = dying.run({ command: 'sleep 10', cwd: '/' });
  process.kill(ready.pid, 'SIGKILL');
  await assert.rejects(p, /exec channel ended/);
});
