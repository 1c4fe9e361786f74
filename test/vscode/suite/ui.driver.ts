// Inside the extension host, alongside the browser test: submits a batch and two asks through the LM tools,
// waits while the browser test clicks through them in the real panel, and checks what happened.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const ws = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const sync = process.env.AIRLOCK_UI_SYNC ?? '';
const text = (r: vscode.LanguageModelToolResult) => r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
const invoke = async (name: string, input: object) => text(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 240_000): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(200)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

suite('ui driver', () => {
  test('the person clicks through a batch and two asks in the panel', async () => {
    await vscode.extensions.getExtension('airlock-dev.airlock')?.activate();
    await vscode.commands.executeCommand('airlock.showApprovals');
    for (const d of ['build', 'dist', 'out']) {
      mkdirSync(join(ws(), d), { recursive: true });
      writeFileSync(join(ws(), d, 'bundle.js'), 'x\n');
    }
    const batch = ['build', 'dist', 'out'].map((d) => invoke('airlock_run', { command: `rm -rf ${d}` }));
    await waitFor(async () => ((await vscode.commands.executeCommand('airlock._pendingReviews')) as unknown[]).length === 1, 'the batch');
    const push = invoke('airlock_run', { command: 'git push --force origin main && echo "deployed \u202Egnp.exe"' });
    const workflow = invoke('airlock_apply_edit', { path: '.github/workflows/release.yml', content: 'name: release\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: someone/npm-publish-action@main\n        with:\n          token: ${{ secrets.NPM_TOKEN }}\n' });
    await waitFor(async () => ((await vscode.commands.executeCommand('airlock._pendingReviews')) as unknown[]).length === 3, 'three reviews');
    writeFileSync(join(sync, 'ready'), '');
    await waitFor(() => existsSync(join(sync, 'light')), 'the dark screenshot');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
    await sleep(1500);
    writeFileSync(join(sync, 'light-ready'), '');
    // The browser now approves the batch with a click, rejects the push with a click, the workflow with the keyboard.
    for (const r of await Promise.all(batch)) assert.match(r, /decided by person \(Airlock panel\)\. ran in the sandbox, exit code 0/);
    for (const d of ['build', 'dist', 'out']) assert.equal(existsSync(join(ws(), d)), false, d);
    assert.match(await push, /did not approve/);
    assert.match(await workflow, /did not approve/);
    assert.equal(existsSync(join(ws(), '.github', 'workflows', 'release.yml')), false);
  });
});
