import type { CommandAssessment } from '../assessor';
import { decisionBadge, levelText, paint, reveal, type Style } from './terminal';

/** A readable report of one assessment: the command with each reason's span underlined. */
export function formatReport(command: string, a: CommandAssessment, style: Style): string {
  const lines: string[] = [];
  lines.push(`${decisionBadge(style, a.decision)} ${levelText(style, a.level, a.score)}`);
  lines.push('');
  const shown = reveal(command, { keepNewlines: true });
  lines.push(...shown.split('\n').map((l) => '  ' + paint(style, 'bold', l)));
  lines.push('');
  if (a.reasons.length === 0) lines.push('  ' + paint(style, 'dim', 'nothing risky found: every part is a read, a contained build/test step, or a workspace write'));
  for (const r of a.reasons) {
    const where = r.span ? `  ${paint(style, 'dim', `[${r.span[0]}-${r.span[1]}]`)} ${paint(style, 'magenta', reveal(command.slice(r.span[0], Math.min(r.span[1], r.span[0] + 60))))}` : '';
    lines.push(`  ${levelText(style, r.level, r.score).padEnd(style.color ? 22 : 12)} ${paint(style, 'bold', r.rule)}: ${reveal(r.message)}${where}`);
  }
  for (const n of a.policyNotes) lines.push('  ' + paint(style, 'dim', `policy: ${n}`));
  return lines.join('\n') + '\n';
}
