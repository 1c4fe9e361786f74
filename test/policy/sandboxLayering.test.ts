import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combinePolicies } from '../../src/policy/layering';
import { parsePolicy } from '../../src/policy/load';

const p = (sandbox: Record<string, unknown>) => parsePolicy(JSON.stringify({ version: 1, sandbox }), 'policy.json');

// A workspace policy comes with the repository; it must not be able to loosen the sandbox it runs in.
const rows: [string, Record<string, unknown> | undefined, Record<string, unknown>, Record<string, unknown>, boolean][] = [
  ['defaults: staged, no capabilities, no SSH agent', undefined, {}, { mode: 'staged', capabilities: [], forwardSshAgent: false }, false],
  ['workspace asks for direct mode: ignored', undefined, { mode: 'direct' }, { mode: 'staged' }, true],
  ['workspace adds a capability: ignored', undefined, { capabilities: ['SYS_ADMIN'] }, { capabilities: [] }, true],
  ['workspace forwards the SSH agent: ignored', undefined, { forwardSshAgent: true }, { forwardSshAgent: false }, true],
  ['workspace raises memory above the default: ignored', undefined, { memoryMb: 65536 }, { memoryMb: undefined }, true],
  ['workspace lowers memory: kept', undefined, { memoryMb: 512 }, { memoryMb: 512 }, false],
  ['team switches to direct mode: honoured', { mode: 'direct' }, {}, { mode: 'direct' }, false],
  ['team direct, workspace staged: the stricter wins', { mode: 'direct' }, { mode: 'staged' }, { mode: 'staged' }, false],
  ['team adds a capability: honoured', { capabilities: ['NET_ADMIN'] }, {}, { capabilities: ['NET_ADMIN'] }, false],
  ['team raises pids, workspace lowers: the lower wins', { pids: 4096 }, { pids: 100 }, { pids: 100 }, false],
  ['workspace raises above the team: ignored', { pids: 1000 }, { pids: 5000 }, { pids: 1000 }, true],
  ['workspace chooses bubblewrap: kept (no weaker than devcontainer)', undefined, { backend: 'bubblewrap' }, { backend: 'bubblewrap' }, false],
];

for (const [why, team, workspace, expected, noted] of rows) {
  test(`sandbox layering: ${why}`, () => {
    const eff = combinePolicies(team ? p(team) : undefined, p(workspace));
    for (const [k, v] of Object.entries(expected)) assert.deepEqual((eff.sandbox as unknown as Record<string, unknown>)[k], v, k);
    assert.equal(eff.ignored.some((i) => i.startsWith('workspace sandbox.')), noted, eff.ignored.join('; '));
  });
}
