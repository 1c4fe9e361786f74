import type { CommandAssessment, DiffAssessment } from '../assessor';
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

/** A diff's report: the decision, then each file with its findings beside the lines they are about. */
export function formatDiffReport(a: DiffAssessment, style: Style): string {
  const lines: string[] = [`${decisionBadge(style, a.decision)} ${levelText(style, a.level, a.score)}  ${a.files.length} file(s)`, ''];
  const byFile = new Map<string, DiffAssessment['reasons']>();
  for (const r of a.reasons) byFile.set(r.file ?? '', [...(byFile.get(r.file ?? '') ?? []), r]);
  for (const f of a.files) {
    const reasons = byFile.get(f.path) ?? [];
    byFile.delete(f.path);
    const stats = f.binary ? 'binary' : `+${f.added} -${f.removed}`;
    lines.push(`  ${paint(style, 'bold', reveal(f.path))} ${paint(style, 'dim', `${f.status}${f.oldPath ? ` from ${reveal(f.oldPath)}` : ''}, ${stats}`)}`);
    for (const r of reasons.sort((x, y) => (x.line ?? 0) - (y.line ?? 0))) {
      const where = r.line !== undefined ? `${r.side === 'old' ? '-' : '+'}${r.line}` : 'file';
      lines.push(`    ${paint(style, 'dim', where.padStart(6))}  ${levelText(style, r.level, r.score)}  ${paint(style, 'bold', r.rule)}: ${reveal(r.message)}`);
    }
  }
  for (const [file, reasons] of byFile) for (const r of reasons) lines.push(`  ${file ? reveal(file) + ': ' : ''}${levelText(style, r.level, r.score)}  ${paint(style, 'bold', r.rule)}: ${reveal(r.message)}`);
  for (const n of a.policyNotes) lines.push('  ' + paint(style, 'dim', `policy: ${n}`));
  return lines.join('\n') + '\n';
}
