import * as vscode from 'vscode';
import type { Broker, BrokerResult } from '../broker/broker';
import type { Action } from '../approvals/action';
import { callAirlockTool } from './tools/callTool';
import { actionFor } from './tools/callTool';
import { TOOLS, type ToolName } from './tools/toolDefinitions';
import { describeAction } from '../approvals/action';

export interface LmToolsHost {
  broker(): Promise<Broker>;
  isTrusted(): boolean;
  onResult?(action: Action, result: BrokerResult): void;
}

/**
 * Airlock's tools for VS Code's agents (Copilot agent mode and any chat participant). prepareInvocation never
 * returns VS Code confirmation messages: Airlock's decision replaces that prompt — auto runs at once, ask waits
 * for Airlock's own review (the view, a notification), deny is refused. A VS Code confirmation would be a
 * second, weaker gate that "always allow" settings can switch off.
 */
export function registerLmTools(host: LmToolsHost): vscode.Disposable[] {
  return TOOLS.map((tool) =>
    vscode.lm.registerTool<Record<string, unknown>>(tool.name, {
      async prepareInvocation(options) {
        if (!host.isTrusted()) return { invocationMessage: 'Airlock: this workspace is not trusted; nothing will run' };
        const parsed = tool.schema.safeParse(options.input ?? {});
        if (!parsed.success) return { invocationMessage: `Airlock: invalid ${tool.name} input` };
        const preview = (await host.broker()).preview(actionFor(tool.name as ToolName, parsed.data));
        if (!preview) return { invocationMessage: `Airlock: invalid ${tool.name} input` };
        const a = preview.assessment;
        const what = describeAction(preview.action).split('\n')[0] ?? '';
        const verb = { auto: 'running', batch: 'waiting for a batch review of', ask: 'waiting for your review of', deny: 'refusing' }[a.decision];
        return { invocationMessage: `Airlock (${a.level} ${a.score}): ${verb} ${what.length > 80 ? what.slice(0, 79) + '…' : what}` };
      },
      async invoke(options, token) {
        if (!host.isTrusted()) return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart('Airlock refused: this workspace is not trusted, so nothing runs in it. Ask the user to trust the workspace (Workspaces: Manage Workspace Trust).')]);
        const broker = await host.broker();
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const pending = callAirlockTool(broker, tool.name, options.input, { connector: 'vscode-lm', agent: 'VS Code chat', signal: abort.signal });
        const reply = await Promise.race([pending, new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)))]);
        if (!reply) return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart('Cancelled: the request was withdrawn before Airlock finished it.')]);
        if (reply.result && reply.action) host.onResult?.(reply.action, reply.result);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(reply.text)]);
      },
    }),
  );
}
