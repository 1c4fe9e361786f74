import * as vscode from 'vscode';
import { join } from 'node:path';

// VS Code 1.101 added MCP server definition providers; the extension supports older hosts, so the API is
// reached through this narrow shape and only used when present.
interface McpApi {
  registerMcpServerDefinitionProvider?(id: string, provider: { provideMcpServerDefinitions(): unknown[] }): vscode.Disposable;
}
type StdioDefinitionCtor = new (label: string, command: string, args: string[], env?: Record<string, string>, version?: string) => unknown;

/** Offers `airlock mcp` for the open folder to VS Code's MCP support, so any MCP-capable chat can use Airlock's tools. */
export function registerMcpProvider(context: vscode.ExtensionContext, folder: () => string | undefined): vscode.Disposable[] {
  const lm = vscode.lm as unknown as McpApi;
  const Ctor = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinitionCtor }).McpStdioServerDefinition;
  if (!lm.registerMcpServerDefinitionProvider || !Ctor) return [];
  return [
    lm.registerMcpServerDefinitionProvider('airlock.mcp', {
      provideMcpServerDefinitions: () => {
        const ws = folder();
        if (!ws) return [];
        // The extension host's own binary runs the CLI (Electron needs ELECTRON_RUN_AS_NODE to act as Node).
        return [new Ctor('Airlock', process.execPath, [join(context.extensionPath, 'dist', 'cli.js'), 'mcp', '--workspace', ws], { ELECTRON_RUN_AS_NODE: '1' }, '0.1.0')];
      },
    }),
  ];
}
