import * as vscode from 'vscode';

const TEMPLATE = {
  $schema: 'https://airlock.dev/policy.schema.json',
  version: 1,
  rules: [],
  network: { allow: [], deny: [] },
};

/** Opens `.airlock/policy.json`, creating a minimal valid one (validated by the contributed schema) if absent. */
export async function openOrCreatePolicy(folder: vscode.WorkspaceFolder): Promise<void> {
  const uri = vscode.Uri.joinPath(folder.uri, '.airlock', 'policy.json');
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.airlock'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(TEMPLATE, null, 2) + '\n'));
  }
  await vscode.window.showTextDocument(uri);
}
