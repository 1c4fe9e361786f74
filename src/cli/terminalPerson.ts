import { createInterface } from 'node:readline/promises';
import type { PersonPort, ReviewAnswer, ReviewItem, ReviewRequest } from '../broker/ports';
import { describeAction } from '../approvals/action';
import { decisionBadge, levelText, paint, reveal, type Style } from './terminal';

/**
 * A person at a terminal: each review is printed (exact content, invisible characters revealed, reasons)
 * and answered y/N on the terminal. Anything but "y" declines: a stray Enter must never approve.
 */
export class TerminalPerson implements PersonPort {
  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    private readonly style: Style,
  ) {}

  private show(item: ReviewItem): void {
    const a = item.assessment;
    const w = (s: string) => this.output.write(s);
    w(`\n${decisionBadge(this.style, a.decision)} ${levelText(this.style, a.level, a.score)}  ${paint(this.style, 'bold', item.connector ?? 'agent')}${item.agent ? ` (${reveal(item.agent)})` : ''}\n`);
    if (item.action.kind === 'edit') {
      const lines = item.action.diff.split('\n');
      w(lines.slice(0, 80).map((l) => '  ' + reveal(l)).join('\n') + (lines.length > 80 ? `\n  … ${lines.length - 80} more lines` : '') + '\n');
    } else w(`  ${reveal(item.action.kind === 'write' ? `${describeAction(item.action)} (${item.action.content.length} chars)` : describeAction(item.action))}\n`);
    for (const r of a.reasons.slice(0, 5)) w(`  - ${r.rule}: ${reveal(r.message)}${r.file ? ` (${r.file}${r.line ? `:${r.line}` : ''})` : ''}\n`);
  }

  private async yes(question: string): Promise<boolean> {
    const rl = createInterface({ input: this.input, output: this.output, terminal: false });
    try {
      const answer = await rl.question(question);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }

  async review(request: ReviewRequest): Promise<ReviewAnswer> {
    if (request.kind === 'ask') {
      this.show(request.item);
      const approve = await this.yes('Approve this? [y/N] ');
      return { kind: 'ask', approve, hash: request.item.hash, by: 'terminal' };
    }
    this.output.write(`\n${paint(this.style, 'bold', `Batch of ${request.items.length}`)}: ${request.groups.map((g) => g.title).join('; ')}\n`);
    for (const item of request.items) this.show(item);
    const approve = await this.yes(`Approve all ${request.items.length}? [y/N] `);
    return { kind: 'batch', approve, hashes: Object.fromEntries(request.items.map((i) => [i.id, i.hash])), by: 'terminal' };
  }
}
