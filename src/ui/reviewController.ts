import * as vscode from 'vscode';
import type { BrokerResult } from '../broker/broker';
import type { NetworkRules } from '../risk/shared/network';
import type { SandboxState } from '../sandbox/sandboxManager';
import { DiffDocuments, DIFF_SCHEME } from './diffDocuments';
import { PendingReviews, type PendingReview } from './pendingReviews';
import type { RecentDecision } from './reviewModel';
import { titleOf } from './actionTitle';
import { engine } from '../engineLoader';
import { ReviewView } from './reviewView';
import { proposedDiff } from '../approvals/wholeFileDiff';
import type { FromWebview } from './webviewProtocol';
import type { Action } from '../approvals/action';

/**
 * Owns what the person sees: the pending reviews, recent decisions, the panel, diff documents and the digest
 * of automatic actions. The broker and connectors feed it; the panel and commands answer through it.
 */
export class ReviewController implements vscode.Disposable {
  readonly pending = new PendingReviews();
  readonly view: ReviewView;
  private readonly diffs = new DiffDocuments();
  private readonly recent: RecentDecision[] = [];
  private sandbox: SandboxState = { state: 'stopped' };
  private network: NetworkRules = { allow: [], deny: [] };
  private readonly disposables: vscode.Disposable[] = [];
  private digest: { count: number; timer?: ReturnType<typeof setTimeout> } = { count: 0 };

  constructor(
    extensionUri: vscode.Uri,
    private readonly o: { log: vscode.LogOutputChannel; readFile(path: string): string | undefined; onSandbox?(s: SandboxState): void },
  ) {
    this.view = new ReviewView(extensionUri, (m) => void this.intent(m), o.log);
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(ReviewView.id, this.view, { webviewOptions: { retainContextWhenHidden: true } }),
      vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this.diffs),
      { dispose: this.pending.onChange(() => this.refresh()).dispose },
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
    this.refresh();
  }

  setSandbox(s: SandboxState): void {
    this.sandbox = s;
    this.refresh();
  }

  setNetwork(n: NetworkRules): void {
    this.network = n;
    this.refresh();
  }

  /** A connector's result: recent decisions, and the digest of what ran without a prompt. */
  recordResult(action: Action, r: BrokerResult): void {
    const a = r.assessment;
    this.recent.unshift({ title: titleOf(action), decision: r.decision ?? 'invalid', outcome: r.outcome, ...(r.decidedBy ? { by: r.decidedBy } : {}), at: Date.now(), level: a?.level ?? 'low', score: a?.score ?? 0 });
    this.recent.length = Math.min(this.recent.length, 50);
    if (r.decision === 'auto' && vscode.workspace.getConfiguration('airlock').get<string>('notifications') === 'asks-and-digest') {
      // One quiet summary after a burst of automatic actions, never a notification per action.
      this.digest.count++;
      if (this.digest.timer) clearTimeout(this.digest.timer);
      this.digest.timer = setTimeout(() => {
        const n = this.digest.count;
        this.digest = { count: 0 };
        void vscode.window.showInformationMessage(`Airlock ran ${n} low-risk action${n === 1 ? '' : 's'} automatically in the sandbox.`, 'Show').then((p) => p && this.view.reveal());
      }, 5000);
    }
    this.refresh();
  }

  notifyAsk(review: PendingReview): void {
    if (review.request.kind !== 'ask' || vscode.workspace.getConfiguration('airlock').get<string>('notifications') === 'none') return;
    const { action, assessment: a } = review.request.item;
    void vscode.window.showWarningMessage(`Airlock (${a.level} ${a.score}): ${titleOf(action).slice(0, 120)} — ${a.reasons[0]?.message ?? 'needs your review'}`, 'Approve', 'Reject', 'Show').then((pick) => {
      if (pick === 'Show') return this.view.reveal();
      if (pick) this.pending.answer(review.id, pick === 'Approve', 'person (notification)');
    });
  }

  private refresh(): void {
    const s = this.sandbox;
    const detail = s.state === 'ready' ? s.describe : s.state === 'failed' ? s.reason : s.state === 'starting' ? s.step : 'starts with the first command';
    const pending = this.pending.list();
    const base = { trusted: vscode.workspace.isTrusted, sandbox: { state: s.state, detail }, recent: this.recent.slice(0, 30) };
    // Previews need the engine (diff parser, host rules); with nothing to review the panel does not.
    this.view.update(pending.length ? engine().buildViewModel({ ...base, pending, network: this.network, readFile: this.o.readFile }) : { ...base, reviews: [] });
    void vscode.commands.executeCommand('setContext', 'airlock.pendingReviews', this.pending.list().length);
  }

  /** What the panel asked for, already validated; ids that are no longer pending are ignored. */
  async intent(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'approve':
      case 'reject':
        this.pending.answer(m.reviewId, m.type === 'approve', 'person (Airlock panel)');
        return;
      case 'openDiff':
        return this.openDiff(m.reviewId, m.itemId, m.path);
      case 'openPolicy':
        await vscode.commands.executeCommand('airlock.openPolicy');
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'ready':
        return;
    }
  }

  async openDiff(reviewId: string, itemId: string, path: string): Promise<void> {
    const r = this.pending.get(reviewId)?.request;
    const item = r?.kind === 'ask' ? r.item : r?.items.find((i) => i.id === itemId);
    if (!item || item.id !== itemId) return void vscode.window.showWarningMessage('Airlock: that review was already answered.');
    const diff = proposedDiff(item.action, this.o.readFile);
    if (!diff) return;
    try {
      await this.diffs.open(`${reviewId}-${itemId}`, diff, path, this.o.readFile);
    } catch (err) {
      void vscode.window.showErrorMessage(`Airlock: ${(err as Error).message}`);
    }
  }

  dispose(): void {
    if (this.digest.timer) clearTimeout(this.digest.timer);
    this.pending.declineAll('extension', 'the editor closed');
    for (const d of this.disposables) d.dispose();
  }
}
