import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combinePolicies } from '../../src/policy/layering';
import { classifyHost } from '../../src/risk/shared/network';
import { SandboxManager, sandboxSettings } from '../../src/sandbox/sandboxManager';
import { makeWorkspace } from './containmentSuite';

// Real bubblewrap. Direct mode works in the person's folder as it is, so a folder the sandbox user cannot
// write must stop the start with a reason, not fail later on every command with a bare EACCES.
test('direct mode refuses to start when the sandbox user cannot work in the workspace', { skip: process.getuid?.() !== 0 && 'the uid drop is only done as root' }, async () => {
  const ws = makeWorkspace();
  chmodSync(ws, 0o700);
  const stateRoot = mkdtempSync(join(tmpdir(), 'airlock-state-'));
  const settings = { ...sandboxSettings(combinePolicies(undefined, undefined), { backend: 'bubblewrap' }), mode: 'direct' as const };
  const manager = new SandboxManager({ workspace: ws, stateRoot, settings, agentPath: join(__dirname, '..', '..', 'dist', 'sandbox-agent.js'), classifyHost, askUnlisted: () => Promise.resolve(false) });
  try {
    await assert.rejects(manager.start(), (err: Error) => {
      assert.match(err.message, /direct mode: the workspace .* is not readable and writable by the sandbox user \(uid 1000\)/);
      assert.match(err.message, /staged mode/);
      return true;
    });
    assert.equal(manager.state.state, 'failed');
  } finally {
    await manager.destroy();
    rmSync(ws, { recursive: true, force: true });
    rmSync(stateRoot, { recursive: true, force: true });
  }
});
