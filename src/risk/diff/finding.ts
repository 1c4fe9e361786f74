import type { Finding } from '../types';
import type { DiffRuleId } from './rules';
import type { CommandRuleId } from '../rules';
import type { DiffLine, FileDiff } from './parseDiff';

/** A finding tied to a file and, when it is about one line, that line (new side for additions). */
export function fileFinding(rule: DiffRuleId | CommandRuleId, message: string, file: FileDiff, line?: DiffLine): Finding {
  if (!line) return { rule, message, file: file.path };
  const side = line.kind === 'del' ? 'old' : 'new';
  const n = side === 'old' ? line.oldLine : line.newLine;
  return { rule, message, file: file.path, ...(n !== undefined ? { line: n } : {}), side };
}
