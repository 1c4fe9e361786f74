// Inside the extension host: the Airlock panel receives what agents submit, a batch is approved from the
// panel (an intent delivered exactly as the webview sends it), the native diff editor opens on a proposed change.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const ws = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const text = (r: vscode.LanguageModelToolResult) => r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
const invoke = async (name: string, input: object) => text(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
interface PanelModel {
  reviews: { id: string; kind: string; title: string; groups: { title: string; count: number }[]; items: { id: string; title: string; files?: { path: string; lines: { findings: unknown[] }[] }[]; command?: { segments: { invisible?: string }[] } }[] }[];
  recent: { title: string; decision: string }[];
}
async function panel(until: (m: PanelModel) => boolean): Promise<PanelModel> {
  for (let i = 0; i < 600; i++) {
    const s = (await vscode.commands.executeCommand('airlock._reviewPanel')) as { ready: boolean; model?: PanelModel };
    if (s.ready && s.model && until(s.model)) return s.model;
    await sleep(100);
  }
  throw new Error('the panel never showed what was expected');
}

suite('review panel', () => {
  test('the panel opens and is rendered by the webview', async () => {
    await vscode.commands.executeCommand('airlock.showApprovals');
    await panel(() => true);
  });

  test('batchable actions arrive as one batch in the panel; approving it from the panel runs them all', async () => {
    for (const d of ['build', 'dist', 'out']) mkdirSync(join(ws(), d), { recursive: true });
    for (const d of ['build', 'dist', 'out']) writeFileSync(join(ws(), d, 'artifact.txt'), 'x\n');
    const runs = ['build', 'dist', 'out'].map((d) => invoke('airlock_run', { command: `rm -rf ${d}` }));
    const m = await panel((x) => x.reviews.some((r) => r.kind === 'batch' && r.items.length === 3));
    const batch = m.reviews.find((r) => r.kind === 'batch');
    assert.ok(batch);
    assert.match(batch.groups.map((g) => `${g.count} ${g.title}`).join(), /3 /);
    assert.equal(await vscode.commands.executeCommand('airlock._panelIntent', { type: 'approve', reviewId: batch.id }), true);
    const outputs = await Promise.all(runs);
    for (const r of outputs) assert.match(r, /ran in the sandbox, exit code 0/);
    for (const d of ['build', 'dist', 'out']) assert.equal(existsSync(join(ws(), d)), false, `${d} removed after approval:\n${outputs.join('\n---\n')}`);
    const after = await panel((x) => x.reviews.length === 0);
    assert.ok(after.recent.filter((r) => r.title.startsWith('rm -rf')).length >= 3);
  });

  test('a malformed intent from the webview is dropped', async () => {
    assert.equal(await vscode.commands.executeCommand('airlock._panelIntent', { type: 'approve' }), false);
    assert.equal(await vscode.commands.executeCommand('airlock._panelIntent', { type: 'run', command: 'id' }), false);
  });

  test('a proposed edit is previewed with its findings beside the lines, and opens in the native diff editor', async () => {
    const workflow = 'name: ci\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: someone/deploy-action@main\n';
    const result = invoke('airlock_apply_edit', { path: '.github/workflows/ci.yml', content: workflow });
    const m = await panel((x) => x.reviews.some((r) => r.items.some((i) => i.title.includes('ci.yml'))));
    const review = m.reviews.find((r) => r.items.some((i) => i.title.includes('ci.yml')));
    const item = review?.items.find((i) => i.title.includes('ci.yml'));
    assert.ok(review && item?.files?.[0]);
    assert.ok(item.files[0].lines.some((l) => l.findings.length > 0), 'a finding sits beside the line it is about');
    await vscode.commands.executeCommand('airlock._panelIntent', { type: 'openDiff', reviewId: review.id, itemId: item.id, path: '.github/workflows/ci.yml' });
    let diffTab: vscode.Tab | undefined;
    for (let i = 0; i < 50 && !diffTab; i++, await sleep(100)) diffTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'airlock-diff');
    assert.ok(diffTab, 'the diff editor opened');
    const input = diffTab.input as vscode.TabInputTextDiff;
    assert.match((await vscode.workspace.openTextDocument(input.modified)).getText(), /someone\/deploy-action@main/);
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), '');
    await vscode.commands.executeCommand('airlock._panelIntent', { type: 'reject', reviewId: review.id });
    assert.match(await result, /did not approve|refused/);
    assert.equal(existsSync(join(ws(), '.github', 'workflows', 'ci.yml')), false);
  });

  test('invisible characters in a command are marked in the preview, never hidden', async () => {
    const result = invoke('airlock_run', { command: 'echo safe \u202Ecod.sh; git push --force origin main' });
    const m = await panel((x) => x.reviews.some((r) => r.items.some((i) => i.command?.segments.some((s) => s.invisible))));
    const review = m.reviews.find((r) => r.items.some((i) => i.command?.segments.some((s) => s.invisible)));
    assert.ok(review?.items[0]?.command?.segments.some((s) => s.invisible === 'RIGHT-TO-LEFT OVERRIDE'));
    await vscode.commands.executeCommand('airlock._panelIntent', { type: 'reject', reviewId: review?.id });
    await result;
  });

  test('the audit timeline opens', async () => {
    await vscode.commands.executeCommand('airlock.showAuditTimeline');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'airlock-audit');
    assert.match(doc?.getText() ?? '', /rm -rf build/);
  });
});
