import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Assessor } from './assessor';
import type { EffectivePolicy } from './policy/layering';
import { engine } from './engineLoader';
import type { Context } from './risk/types';
import { defaultAuditLogPath } from './audit/location';
import { verifyAuditLog } from './audit/verify';
import { formatTimeline } from './audit/timeline';
import { openOrCreatePolicy } from './ui/policyFile';
import { announce } from './connectors/presence';
import { registerLmTools } from './connectors/lmTools';
import { registerMcpProvider } from './connectors/mcpProvider';
import { EditorPerson } from './ui/editorPerson';
import { SandboxStatus } from './ui/sandboxStatus';
import { ReviewController } from './ui/reviewController';
import { ReviewView } from './ui/reviewView';
import type { ContainedSession } from './cli/containedSession';
import { HookBridge } from './connectors/hookBridge';
import { reviewFromHook } from './connectors/hookReview';
import { airlockStateRoot } from './stateRoot';
import { fromWebviewSchema } from './ui/webviewProtocol';
import { describeAction } from './approvals/action';

const AUDIT_SCHEME = 'airlock-audit';

/**
 * Composition root: the editor's broker (over the contained executor), the review panel and status bar,
 * the connectors (LM tools, MCP provider, the hook bridge). Activation is lazy and cheap: the shell parser,
 * the broker and the sandbox start on first use, not at start-up.
 */
let activateMs = 0;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  try {
    activateIn(context);
  } finally {
    activateMs = performance.now() - started;
  }
}

function activateIn(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  const folder = () => vscode.workspace.workspaceFolders?.[0];
  const root = folder()?.uri.fsPath;
  const config = () => vscode.workspace.getConfiguration('airlock');
  const presence = announce(airlockStateRoot(), { kind: 'extension', workspace: root ?? '' });
  context.subscriptions.push(log, { dispose: () => presence.dispose() });

  const loadPolicy = (): EffectivePolicy => {
    if (!root) throw new Error('Airlock needs an open folder');
    const teamFile = config().get<string>('teamPolicyPath') || undefined;
    const policyFile = config().get<string>('policyFile') || undefined;
    const policy = engine().loadEffectivePolicy({ workspace: root, ...(teamFile ? { teamFile } : {}), ...(policyFile ? { policyFile: join(root, policyFile) } : {}) });
    for (const note of policy.ignored) log.warn(`policy: ${note}`);
    log.info(`policy loaded (team: ${policy.sources.team ?? 'none'}, workspace: ${policy.sources.workspace ?? 'defaults'})`);
    return policy;
  };

  const reviews = new ReviewController(context.extensionUri, { log, readFile: (p) => (root ? engine().readWorkspaceText(root, p) : undefined) });
  const status = new SandboxStatus(reviews.pending);
  context.subscriptions.push(reviews, status);
  const person = new EditorPerson(reviews.pending, { isTrusted: () => vscode.workspace.isTrusted, notify: (r) => reviews.notifyAsk(r) });

  // The one path for agents in the editor. Started on first use; a changed policy starts a fresh one.
  let session: Promise<ContainedSession> | undefined;
  const getSession = (): Promise<ContainedSession> => {
    session ??= (async () => {
      if (!root) throw new Error('Airlock needs an open folder to contain an agent in');
      const policy = loadPolicy();
      reviews.setNetwork(policy.network);
      const windowMs = config().get<number | null>('batchWindowMs') ?? policy.batch.windowMs;
      return engine().openContainedSession({
        workspace: root,
        policy,
        person,
        batch: { windowMs, maxSize: policy.batch.maxSize },
        onState: (s) => {
          status.setSandbox(s);
          reviews.setSandbox(s);
          if (s.state === 'starting') log.info(`sandbox: ${s.step}`);
          if (s.state === 'failed') log.error(`sandbox: ${s.reason}`);
          if (s.state === 'ready') log.info(`sandbox ready: ${s.describe}`);
        },
      });
    })();
    session.catch((err: unknown) => {
      log.error(`Airlock could not start: ${(err as Error).message}`);
      session = undefined;
    });
    return session;
  };
  let assessor: Promise<Assessor> | undefined;
  const getAssessor = (): Promise<Assessor> => {
    assessor ??= engine().Assessor.create({ policy: loadPolicy(), workspace: root ?? process.cwd() });
    assessor.catch(() => (assessor = undefined));
    return assessor;
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/.airlock/policy.json');
  const reset = () => {
    assessor = undefined;
    const old = session;
    session = undefined;
    void old?.then((s) => s.close()).catch(() => undefined);
    log.info('policy file changed; it will be reloaded');
  };
  context.subscriptions.push(watcher, watcher.onDidChange(reset), watcher.onDidCreate(reset), watcher.onDidDelete(reset));

  // Hooks (Claude Code's PreToolUse) put their reviews here while the editor is open on this folder.
  if (root) {
    const bridge = new HookBridge(join(airlockStateRoot(), 'bridge'), (r) => reviewFromHook(person, r));
    bridge.listen().then(
      () => presence.setBridge({ socket: bridge.socket, token: bridge.token }),
      (err: unknown) => log.warn(`the approval bridge for hooks did not start (${(err as Error).message}); hooks will ask in the agent's own prompt`),
    );
    context.subscriptions.push({ dispose: () => bridge.close() });
  }

  const auditFile = () => defaultAuditLogPath(root ?? process.cwd());
  context.subscriptions.push(
    ...registerLmTools({ broker: async () => (await getSession()).broker, isTrusted: () => vscode.workspace.isTrusted, onResult: (a, r) => reviews.recordResult(a, r) }),
    ...registerMcpProvider(context, () => root),
    vscode.workspace.registerTextDocumentContentProvider(AUDIT_SCHEME, { provideTextDocumentContent: () => formatTimeline(auditFile(), { limit: 2000 }) }),
    vscode.commands.registerCommand('airlock.showApprovals', () => vscode.commands.executeCommand(`${ReviewView.id}.focus`)),
    vscode.commands.registerCommand('airlock.approve', (id?: unknown) => reviews.pending.answer(typeof id === 'string' ? id : undefined, true, 'person (command)')),
    vscode.commands.registerCommand('airlock.reject', (id?: unknown) => reviews.pending.answer(typeof id === 'string' ? id : undefined, false, 'person (command)')),
    vscode.commands.registerCommand('airlock.openDiff', (reviewId: string, itemId: string, path: string) => reviews.openDiff(reviewId, itemId, path)),
    vscode.commands.registerCommand('airlock.showAuditTimeline', async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: AUDIT_SCHEME, path: '/Airlock audit timeline', query: String(Date.now()) }));
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    // For the extension-host tests: what the panel was sent, and an intent delivered exactly as the webview's would be.
    vscode.commands.registerCommand('airlock._pendingReviews', () =>
      reviews.pending.list().map((r) => {
        const items = r.request.kind === 'ask' ? [r.request.item] : r.request.items;
        return { id: r.id, kind: r.request.kind, summary: items.map((i) => describeAction(i.action)).join('; '), items: items.map((i) => i.id) };
      }),
    ),
    vscode.commands.registerCommand('airlock._activation', () => ({ activateMs })),
    vscode.commands.registerCommand('airlock._reviewPanel', () => ({ ready: reviews.view.ready, model: reviews.view.lastPosted })),
    vscode.commands.registerCommand('airlock._panelIntent', (raw: unknown) => {
      const parsed = fromWebviewSchema.safeParse(raw);
      if (!parsed.success) return false;
      void reviews.intent(parsed.data);
      return true;
    }),
    vscode.commands.registerCommand('airlock.openPolicy', async () => {
      const f = folder();
      if (!f) return void vscode.window.showWarningMessage('Airlock: open a folder first; the policy lives in its .airlock/policy.json.');
      await openOrCreatePolicy(f);
    }),
    vscode.commands.registerCommand('airlock.verifyAuditLog', async () => {
      const file = auditFile();
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
      const command = commandArg ?? (await vscode.window.showInputBox({ prompt: 'Command to assess (nothing runs)', placeHolder: 'e.g. curl https://example.com/install.sh | sh' }));
      if (command === undefined) return undefined;
      try {
        const setting = config().get<Context>('defaultContext') ?? 'sandbox';
        const result = (await getAssessor()).assessCommand(command, { context: contextArg ?? setting });
        reviews.recordResult({ kind: 'command', command }, { outcome: 'not-run', decision: result.decision, decidedBy: 'assessed only', message: '', assessment: result });
        log.info(`${result.decision} (${result.level} ${result.score}) ${JSON.stringify(command)} ${result.reasons.map((r) => r.rule).join(', ')}`);
        return result;
      } catch (err) {
        const message = err instanceof engine().PolicyError ? err.message : `Airlock could not assess the command: ${(err as Error).message}`;
        log.error(message);
        void vscode.window.showErrorMessage(message.split('\n')[0] ?? message, 'Show log').then((pick) => pick && log.show());
        throw err;
      }
    }),
    { dispose: () => void session?.then((s) => s.close()).catch(() => undefined) },
  );
}

export function deactivate(): void {}
