import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combinePolicies } from '../../src/policy/layering';
import { classifyHost } from '../../src/risk/shared/network';
import { SandboxManager, sandboxSettings } from '../../src/sandbox/sandboxManager';
import { runCli } from '../../src/sandbox/dockerCli';
import { makeWorkspace } from './containmentSuite';

// Real Docker. Sandboxes are kept for reuse when a session ends; Docker has only about 30 address pools for
// networks, so a sandbox whose workspace folder is gone must give its network back before a new one is made.
test('a new devcontainer sandbox removes the sandboxes of workspace folders that no longer exist', async () => {
  const stateRoot = mkdtempSync(join(tmpdir(), 'airlock-state-'));
  const make = (workspace: string) => new SandboxManager({ workspace, stateRoot, settings: sandboxSettings(combinePolicies(undefined, undefined), { backend: 'devcontainer' }), agentPath: join(__dirname, '..', '..', 'dist', 'sandbox-agent.js'), classifyHost, askUnlisted: () => Promise.resolve(false) });
  const gone = makeWorkspace();
  const kept = makeWorkspace();
  const fresh = makeWorkspace();
  const first = make(gone);
  const second = make(kept);
  const third = make(fresh);
  try {
    await first.start();
    await first.stop(false);
    await second.start();
    await second.stop(false);
    const network = (m: SandboxManager) => runCli('docker', ['network', 'inspect', `airlock-${m.id}`]);
    assert.equal((await network(first)).code, 0, 'kept for reuse after the session');
    rmSync(gone, { recursive: true, force: true });
    await third.start();
    assert.notEqual((await network(first)).code, 0, 'the network of the deleted folder was removed');
    assert.equal((await runCli('docker', ['ps', '-aq', '--filter', `label=airlock.workspace=${first.id}`])).stdout.trim(), '', 'and its container');
    assert.equal((await network(second)).code, 0, 'a sandbox whose folder still exists is kept');
  } finally {
    for (const m of [first, second, third]) await m.destroy().catch(() => undefined);
    for (const ws of [gone, kept, fresh]) rmSync(ws, { recursive: true, force: true });
    rmSync(stateRoot, { recursive: true, force: true });
  }
});
