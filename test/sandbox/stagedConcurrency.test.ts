import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combinePolicies } from '../../src/policy/layering';
import { classifyHost } from '../../src/risk/shared/network';
import { SandboxManager, sandboxSettings } from '../../src/sandbox/sandboxManager';
import { makeWorkspace } from './containmentSuite';

// Real bubblewrap. An approved batch runs its commands at once; in staged mode each command's change set
// must still hold exactly what that command did, or a person would judge one command by another's changes.
test('concurrent staged commands each get exactly their own change set', { skip: process.getuid?.() !== 0 && 'bubblewrap backend runs as root here' }, async () => {
  const ws = makeWorkspace();
  const stateRoot = mkdtempSync(join(tmpdir(), 'airlock-state-'));
  const manager = new SandboxManager({ workspace: ws, stateRoot, settings: sandboxSettings(combinePolicies(undefined, undefined), { backend: 'bubblewrap' }), agentPath: join(__dirname, '..', '..', 'dist', 'sandbox-agent.js'), classifyHost, askUnlisted: () => Promise.resolve(false) });
  try {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((n) => manager.exec({ command: `sleep 0.$((RANDOM % 3)); echo ${n} > ${n}.txt`, timeoutMs: 10_000 })));
    results.forEach((r, i) => {
      const n = 'abcd'[i];
      assert.deepEqual(r.changes?.changes.map((c) => c.path), [`${n}.txt`]);
    });
  } finally {
    await manager.destroy();
    rmSync(ws, { recursive: true, force: true });
    rmSync(stateRoot, { recursive: true, force: true });
  }
});
