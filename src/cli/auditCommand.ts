import { parseArgs } from 'node:util';
import { defaultAuditLogPath } from '../audit/location';
import { formatTimeline } from '../audit/timeline';
import { verifyAuditLog } from '../audit/verify';
import { auditStats } from '../audit/stats';
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
  if (sub === 'stats') {
    let s: ReturnType<typeof auditStats>;
    try {
      s = auditStats(file);
    } catch (err) {
      throw new UsageError(`cannot read the audit log ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    write(`actions: ${Object.entries(s.actions).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}\n`);
    write(`prompts: ${s.asksShown} asks + ${s.batchesShown} batch reviews = ${s.promptsPer100.toFixed(2)} per 100 actions\n`);
    write(`approval rate: ${(100 * s.approvalRate).toFixed(0)}% (${s.approvals} approved, ${s.rejections} not)\n`);
    write(`median time to decide: ${s.medianDecideMs === undefined ? 'n/a' : `${(s.medianDecideMs / 1000).toFixed(1)} s`}\n`);
    write(`high-risk approvals under 1 s: ${s.fastHighRiskApprovals}${s.fastHighRiskApprovals ? ' — too fast to have been read' : ''}\n`);
    return 0;
  }
  throw new UsageError(`airlock audit takes "verify", "show" or "stats", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
}
