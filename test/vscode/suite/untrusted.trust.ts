// Inside the extension host, in a workspace that is not trusted: nothing runs, and the agent is told why.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

suite('workspace trust', () => {
  test('in an untrusted workspace the tools refuse and nothing runs', async () => {
    const ext = vscode.extensions.getExtension('airlock-dev.airlock');
    await ext?.activate();
    assert.equal(vscode.workspace.isTrusted, false);
    const r = await vscode.lm.invokeTool('airlock_run', { input: { command: 'touch untrusted-marker' }, toolInvocationToken: undefined });
    const text = r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, /not trusted/);
    assert.equal(existsSync(join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', 'untrusted-marker')), false);
  });
});
