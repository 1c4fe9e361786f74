import * as vscode from 'vscode';
import type { SandboxState } from '../sandbox/sandboxManager';
import type { PendingReviews } from './pendingReviews';

/** Status bar: the sandbox's state (with the reason when it failed) and how many reviews wait; a click opens the view. */
export class SandboxStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('airlock.status', vscode.StatusBarAlignment.Left, 50);
  private sandbox: SandboxState = { state: 'stopped' };
  private readonly sub: { dispose(): void };

  constructor(private readonly pending: PendingReviews) {
    this.item.name = 'Airlock';
    this.item.command = 'airlock.showApprovals';
    this.sub = pending.onChange(() => this.render());
    this.render();
    this.item.show();
  }

  setSandbox(s: SandboxState): void {
    this.sandbox = s;
    this.render();
  }

  private render(): void {
    const n = this.pending.list().length;
    const s = this.sandbox;
    const icon = s.state === 'ready' ? '$(shield)' : s.state === 'starting' ? '$(sync~spin)' : s.state === 'failed' ? '$(error)' : '$(circle-outline)';
    this.item.text = `${icon} Airlock${n ? ` · ${n} to review` : ''}`;
    const state = s.state === 'starting' ? `starting: ${s.step}` : s.state === 'failed' ? `failed: ${s.reason}` : s.state === 'ready' ? `ready: ${s.describe}` : 'not started (starts with the first command)';
    this.item.tooltip = `Airlock sandbox ${state}\n${n} review(s) waiting`;
    this.item.accessibilityInformation = { label: `Airlock: sandbox ${s.state}, ${n} reviews waiting`, role: 'button' };
    this.item.backgroundColor = s.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : n ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
