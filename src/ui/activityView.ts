import * as vscode from 'vscode';
import type { CommandAssessment } from '../assessor';

interface Entry {
  command: string;
  result: CommandAssessment;
  at: Date;
}

const ICONS: Record<string, string> = { auto: 'pass', batch: 'layers', ask: 'question', deny: 'error' };

/** The Airlock view: recent assessments and, under each, the reasons with their rule ids. */
export class ActivityView implements vscode.TreeDataProvider<Entry | CommandAssessment['reasons'][number]> {
  private readonly entries: Entry[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  add(command: string, result: CommandAssessment): void {
    this.entries.unshift({ command, result, at: new Date() });
    this.entries.length = Math.min(this.entries.length, 50);
    this.changed.fire();
  }

  getChildren(element?: Entry | CommandAssessment['reasons'][number]): (Entry | CommandAssessment['reasons'][number])[] {
    if (!element) return this.entries;
    return 'result' in element ? element.result.reasons : [];
  }

  getTreeItem(element: Entry | CommandAssessment['reasons'][number]): vscode.TreeItem {
    if ('result' in element) {
      const item = new vscode.TreeItem(element.command.split('\n')[0] ?? '', element.result.reasons.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = `${element.result.decision} · ${element.result.level} ${element.result.score}`;
      item.iconPath = new vscode.ThemeIcon(ICONS[element.result.decision] ?? 'circle-outline');
      item.tooltip = new vscode.MarkdownString().appendCodeblock(element.command, 'shellscript');
      item.accessibilityInformation = { label: `${element.result.decision}, ${element.result.level} risk ${element.result.score}: ${element.command}` };
      return item;
    }
    const item = new vscode.TreeItem(`${element.rule}: ${element.message}`);
    item.description = `${element.level} ${element.score}`;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
