import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { HookBridge, type BridgeRequest } from '../../src/connectors/hookBridge';
import { reviewFromHook } from '../../src/connectors/hookReview';
import { announce } from '../../src/connectors/presence';
import type { PersonPort, ReviewRequest } from '../../src/broker/ports';
import { makeWorkspace } from '../sandbox/containmentSuite';

// The MCP server with an "editor" open on its workspace: its reviews go through the bridge (the same code the
// extension runs, `reviewFromHook`) to a person, asks and batches alike; the answer is checked against what was sent.
let ws: string;
let state: string;
let client: Client;
let bridge: HookBridge;
let presence: { dispose(): void };
const seen: BridgeRequest['review'][] = [];
const shown: ReviewRequest[] = [];
let approve = true;

const person: PersonPort = {
  review(r) {
    shown.push(r);
    return Promise.resolve(r.kind === 'ask' ? { kind: 'ask', approve, hash: r.item.hash, by: 'person (panel)' } : { kind: 'batch', approve, hashes: Object.fromEntries(r.items.map((i) => [i.id, i.hash])), by: 'person (panel)' });
  },
};

async function call(command: string): Promise<string> {
  const r = (await client.callTool({ name: 'airlock_run', arguments: { command } })) as { content: { text?: string }[] };
  return r.content.map((c) => c.text ?? '').join('');
}

before(async () => {
  ws = makeWorkspace();
  state = mkdtempSync(join(tmpdir(), 'airlock-mcp-bridge-'));
  const stateRoot = join(state, 'airlock');
  bridge = new HookBridge(join(stateRoot, 'bridge'), (r) => {
    seen.push(r);
    return reviewFromHook(person, r);
  });
  await bridge.listen();
  presence = announce(stateRoot, { kind: 'extension', workspace: ws, bridge: { socket: bridge.socket, token: bridge.token } });
  client = new Client({ name: 'bridge-test-client', version: '2.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [resolve('dist/cli.js'), 'mcp', '--workspace', ws, '--backend', 'bubblewrap', '--audit-log', join(state, 'audit.jsonl')], env: { ...(process.env as Record<string, string>), XDG_STATE_HOME: state }, stderr: 'pipe' }));
});

after(async () => {
  await client?.close();
  presence?.dispose();
  bridge?.close();
  rmSync(ws, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

test('an ask from the MCP server is answered in the editor: approved, it runs', async () => {
  approve = true;
  const r = await call('git push --force origin main 2>/dev/null; touch approved-in-editor');
  assert.match(r, /decided by person \(panel\) \(Airlock in VS Code\)/);
  assert.equal(existsSync(join(ws, 'approved-in-editor')), true);
  const last = seen.at(-1);
  assert.equal(last?.tool, 'mcp');
  assert.equal(last?.agent, 'bridge-test-client 2.0.0');
  assert.equal(shown.at(-1)?.kind, 'ask');
});

test('declined in the editor, it does not run', async () => {
  approve = false;
  const r = await call('git push --force origin main 2>/dev/null; touch declined-in-editor');
  assert.match(r, /did not approve/);
  assert.equal(existsSync(join(ws, 'declined-in-editor')), false);
});

test('a batch from the MCP server arrives in the editor as one batch review', async () => {
  approve = true;
  for (const d of ['build', 'dist']) {
    mkdirSync(join(ws, d), { recursive: true });
    writeFileSync(join(ws, d, 'x.js'), 'x\n');
  }
  const before = shown.length;
  const results = await Promise.all([call('rm -rf build'), call('rm -rf dist')]);
  for (const r of results) assert.match(r, /ran in the sandbox, exit code 0/);
  const batch = shown.slice(before).find((r) => r.kind === 'batch');
  assert.ok(batch && batch.kind === 'batch');
  assert.equal(batch.items.length, 2);
  assert.match(batch.groups[0]?.title ?? '', /2 deletions of build output/);
  assert.equal(existsSync(join(ws, 'build')), false);
});
