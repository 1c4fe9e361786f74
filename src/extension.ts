import * as vscode from 'vscode';
import { Assessor } from './assessor';
import { loadEffectivePolicy } from './policy/layering';
import { PolicyError } from './policy/load';
import type { Context } from './risk/types';
import { ActivityView } from './ui/activityView';
import { defaultAuditLogPath } from './audit/location';
import { verifyAuditLog } from './audit/verify';
import { openOrCreatePolicy } from './ui/policyFile';
import { announce } from './connectors/presence';
import { registerLmTools } from './connectors/lmTools';
import { registerMcpProvider } from './connectors/mcpProvider';
import { PendingReviews } from './ui/pendingReviews';
import { EditorPerson } from './ui/editorPerson';
import { SandboxStatus } from './ui/sandboxStatus';
import { openContainedSession, type ContainedSession } from './cli/containedSession';
import { describeAction } from './approvals/action';
import { HookBridge } from './connectors/hookBridge';
import { reviewFromHook } from './connectors/hookReview';
import { join } from 'node:path';
import { airlockStateRoot } from './stateRoot';

/**
 * Composition root: wires the assessment core to VS Code and nothing else. Activation is lazy (a view or
 * a command) and cheap: the shell parser loads on the first assessment, not at start-up.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  const view = new ActivityView();
  context.subscriptions.push(log, view, vscode.window.registerTreeDataProvider('airlock.activity', view));

  let assessor: Promise<Assessor> | undefined;
  const folder = () => vscode.workspace.workspaceFolders?.[0];
  // For `airlock status`: the file goes when the extension host does.
  const presence = announce(airlockStateRoot(), { kind: 'extension', workspace: folder()?.uri.fsPath ?? '' });
  context.subscriptions.push({ dispose: () => presence.dispose() });

  // The one path for agents in the editor: a broker over the contained executor, reviews answered here.
  const pending = new PendingReviews();
  const status = new SandboxStatus(pending);
  context.subscriptions.push(status);
  const person = new EditorPerson(pending, {
    isTrusted: () => vscode.workspace.isTrusted,
    notify: (review) => {
      if (review.request.kind !== 'ask') return;
      const { action, assessment: a } = review.request.item;
      const what = describeAction(action).split('\n')[0] ?? '';
      void vscode.window.showWarningMessage(`Airlock (${a.level} ${a.score}): ${what.slice(0, 120)} — ${a.reasons[0]?.message ?? ''}`, 'Approve', 'Reject').then((pick) => {
        if (pick) pending.answer(review.id, pick === 'Approve', 'person (notification)');
      });
    },
  });
  let session: Promise<ContainedSession> | undefined;
  const getSession = (): Promise<ContainedSession> => {
    session ??= (async () => {
      const root = folder()?.uri.fsPath;
      if (!root) throw new Error('Airlock needs an open folder to contain an agent in');
      const teamFile = vscode.workspace.getConfiguration('airlock').get<string>('teamPolicyPath') || undefined;
      const policy = loadEffectivePolicy({ workspace: root, ...(teamFile ? { teamFile } : {}) });
      return openContainedSession({
        workspace: root,
        policy,
        person,
        onState: (s) => {
          status.setSandbox(s);
          if (s.state === 'starting') log.info(`sandbox: ${s.step}`);
          if (s.state === 'failed') log.error(`sandbox: ${s.reason}`);
          if (s.state === 'ready') log.info(`sandbox ready: ${s.describe}`);
        },
      });
    })();
    session.catch(() => (session = undefined));
    return session;
  };
  // Hooks (Claude Code's PreToolUse) put their reviews here while the editor is open on this folder.
  const root = folder()?.uri.fsPath;
  if (root) {
    const bridge = new HookBridge(join(airlockStateRoot(), 'bridge'), (r) => reviewFromHook(person, r));
    bridge.listen().then(
      () => presence.setBridge({ socket: bridge.socket, token: bridge.token }),
      (err: unknown) => log.warn(`the approval bridge for hooks did not start (${(err as Error).message}); hooks will ask in the agent's own prompt`),
    );
    context.subscriptions.push({ dispose: () => bridge.close() });
  }

  context.subscriptions.push(
    ...registerLmTools({ broker: async () => (await getSession()).broker, isTrusted: () => vscode.workspace.isTrusted }),
    ...registerMcpProvider(context, () => folder()?.uri.fsPath),
    vscode.commands.registerCommand('airlock.approve', (id?: string) => pending.answer(typeof id === 'string' ? id : undefined, true, 'person (command)')),
    vscode.commands.registerCommand('airlock.reject', (id?: string) => pending.answer(typeof id === 'string' ? id : undefined, false, 'person (command)')),
    vscode.commands.registerCommand('airlock._pendingReviews', () => pending.list().map((r) => ({ id: r.id, kind: r.request.kind, summary: r.request.kind === 'ask' ? describeAction(r.request.item.action) : r.request.items.map((i) => describeAction(i.action)).join('; ') }))),
    { dispose: () => pending.declineAll('extension', 'the editor closed') },
    { dispose: () => void session?.then((s) => s.close()).catch(() => undefined) },
  );
  const getAssessor = (): Promise<Assessor> => {
    assessor ??= (async () => {
      const root = folder()?.uri.fsPath ?? process.cwd();
      const teamFile = vscode.workspace.getConfiguration('airlock').get<string>('teamPolicyPath') || undefined;
      const policy = loadEffectivePolicy({ workspace: root, ...(teamFile ? { teamFile } : {}) });
      for (const note of policy.ignored) log.warn(`policy: ${note}`);
      log.info(`policy loaded (team: ${policy.sources.team ?? 'none'}, workspace: ${policy.sources.workspace ?? 'defaults'})`);
      return Assessor.create({ policy, workspace: root });
    })();
    assessor.catch(() => (assessor = undefined));
    return assessor;
  };
  // A changed policy file takes effect on the next assessment.
  const watcher = vscode.workspace.createFileSystemWatcher('**/.airlock/policy.json');
  const reset = () => {
    assessor = undefined;
    log.info('policy file changed; it will be reloaded');
  };
  context.subscriptions.push(watcher, watcher.onDidChange(reset), watcher.onDidCreate(reset), watcher.onDidDelete(reset));

  context.subscriptions.push(
    vscode.commands.registerCommand('airlock.showApprovals', () => vscode.commands.executeCommand('airlock.activity.focus')),
    vscode.commands.registerCommand('airlock.openPolicy', async () => {
      const f = folder();
      if (!f) return void vscode.window.showWarningMessage('Airlock: open a folder first; the policy lives in its .airlock/policy.json.');
      await openOrCreatePolicy(f);
    }),
    vscode.commands.registerCommand('airlock.verifyAuditLog', async () => {
      const file = defaultAuditLogPath(folder()?.uri.fsPath ?? process.cwd());
      const r = verifyAuditLog(file);
      for (const w of r.warnings) log.warn(`audit: ${w}`);
      if (r.ok) {
        log.info(`audit log ${file}: ${r.records} records, chain intact`);
        return void vscode.window.showInformationMessage(`Airlock: audit log intact (${r.records} records).`);
      }
      if (r.records === 0 && r.broken?.reason.startsWith('no audit log')) return void vscode.window.showInformationMessage(`Airlock: no audit log for this workspace yet (${file}).`);
      log.error(`audit log ${file} broken at line ${r.broken?.line}: ${r.broken?.reason}`);
      void vscode.window.showErrorMessage(`Airlock: the audit log was altered at line ${r.broken?.line}: ${r.broken?.reason}`, 'Show log').then((p) => p && log.show());
    }),
    vscode.commands.registerCommand('airlock.assessCommand', async (commandArg?: string, contextArg?: Context) => {
      const command = commandArg ?? (await vscode.window.showInputBox({ prompt: 'Command to assess', placeHolder: 'e.g. curl https://example.com/install.sh | sh' }));
      if (command === undefined) return undefined;
      try {
        const setting = vscode.workspace.getConfiguration('airlock').get<Context>('defaultContext') ?? 'sandbox';
        const result = (await getAssessor()).assessCommand(command, { context: contextArg ?? setting });
        view.add(command, result);
        log.info(`${result.decision} (${result.level} ${result.score}) ${JSON.stringify(command)} ${result.reasons.map((r) => r.rule).join(', ')}`);
        return result;
      } catch (err) {
        const message = err instanceof PolicyError ? err.message : `Airlock could not assess the command: ${(err as Error).message}`;
        log.error(message);
        void vscode.window.showErrorMessage(message.split('\n')[0] ?? message, 'Show log').then((pick) => pick && log.show());
        throw err;
      }
    }),
  );
}

export function deactivate(): void {}
