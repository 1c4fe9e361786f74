import * as vscode from 'vscode';
import { applyPatch, parsePatch } from 'diff';

export const DIFF_SCHEME = 'airlock-diff';

/**
 * Before and after of a proposed change as read-only virtual documents, so VS Code's own diff editor shows
 * it (nothing is written to the workspace until the change is approved).
 */
export class DiffDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  /** Opens the diff of one file of a unified diff against the workspace's current content. */
  async open(key: string, diff: string, path: string, readFile: (p: string) => string | undefined): Promise<void> {
    const patch = parsePatch(diff).find((p) => [p.newFileName, p.oldFileName].some((n) => n?.replace(/^[ab]\//, '') === path));
    if (!patch) throw new Error(`${path} is not part of this change`);
    const oldName = patch.oldFileName && patch.oldFileName !== '/dev/null' ? patch.oldFileName.replace(/^[ab]\//, '') : undefined;
    const before = oldName ? (readFile(oldName) ?? '') : '';
    const after = patch.newFileName === '/dev/null' ? '' : applyPatch(before, patch);
    if (after === false) throw new Error(`the change no longer applies to ${path}: the file changed since it was proposed`);
    const mk = (side: string, text: string) => {
      const uri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${side}/${path}`, query: key });
      this.docs.set(uri.toString(), text);
      return uri;
    };
    await vscode.commands.executeCommand('vscode.diff', mk('before', before), mk('after', after), `${path} (proposed change, Airlock)`, { preview: true });
  }

  clear(key: string): void {
    for (const k of [...this.docs.keys()]) if (k.endsWith(`?${encodeURIComponent(key)}`) || k.endsWith(`?${key}`)) this.docs.delete(k);
  }
}
