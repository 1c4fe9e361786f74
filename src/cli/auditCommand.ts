import { parseArgs } from 'node:util';
import { defaultAuditLogPath } from '../audit/location';
import { formatTimeline } from '../audit/timeline';
import { verifyAuditLog } from '../audit/verify';
import { UsageError } from './usageError';

/** `airlock audit verify [FILE]` (exit 1 on a broken chain) and `airlock audit show [FILE]`. */
export function runAudit(argv: string[], write: (s: string) => void, writeErr: (s: string) => void): number {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, limit: { type: 'string' } }, allowPositionals: true, strict: true });
  const file = positionals[0] ?? defaultAuditLogPath(values.workspace ?? process.cwd());
  if (sub === 'verify') {
    const r = verifyAuditLog(file);
    for (const w of r.warnings) writeErr(`airlock: warning: ${w}\n`);
    if (r.ok) {
      write(`audit log ${file}: ${r.records} records, chain intact\n`);
      return 0;
    }
    writeErr(`airlock: audit log ${file} is broken at line ${r.broken?.line}${r.broken?.seq !== undefined ? ` (record ${r.broken.seq})` : ''}: ${r.broken?.reason}\n`);
    writeErr(`airlock: ${r.records} records before it verify; treat everything from that record on as untrusted.\n`);
    return 1;
  }
  if (sub === 'show') {
    try {
      write(formatTimeline(file, values.limit ? { limit: Number(values.limit) } : {}));
    } catch (err) {
      throw new UsageError(`cannot read the audit log ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return 0;
  }
  throw new UsageError(`airlock audit takes "verify" or "show", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
}
