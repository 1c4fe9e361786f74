import { readFileSync } from 'node:fs';
import type { AuditEntry } from './record';

/** A readable timeline: one line per record, grouped by action. */
export function formatTimeline(file: string, opts: { color?: boolean; limit?: number } = {}): string {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const entries: AuditEntry[] = [];
  for (const l of lines) {
    try {
      entries.push(JSON.parse(l) as AuditEntry);
    } catch {
      entries.push({ seq: -1, ts: '', prev: '', hash: '', type: 'note', data: { unreadable: l.slice(0, 60) } });
    }
  }
  const shown = opts.limit ? entries.slice(-opts.limit) : entries;
  const out: string[] = [];
  for (const e of shown) {
    const time = e.ts.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const id = e.actionId ? e.actionId.slice(0, 8) : '        ';
    const d = e.data as Record<string, unknown>;
    let what: string;
    switch (e.type) {
      case 'action': {
        const a = d.assessment as { decision?: string; level?: string; score?: number; reasons?: { rule: string }[] } | undefined;
        what = `${String(d.kind ?? '')} ${JSON.stringify(String(d.summary ?? '').slice(0, 70))} → ${a?.decision ?? '?'} (${a?.level ?? ''} ${a?.score ?? ''})${a?.reasons?.length ? ` [${a.reasons.slice(0, 3).map((r) => r.rule).join(', ')}]` : ''}${d.ignoredCallerFields ? ` ignored caller fields: ${(d.ignoredCallerFields as string[]).join(', ')}` : ''}`;
        break;
      }
      case 'decision':
        what = `${String(d.state)} by ${String(d.decidedBy)}${d.batchId ? ` in batch ${String(d.batchId).slice(0, 8)}` : ''}${d.stale ? ' (stale approval refused)' : ''}${typeof d.decideMs === 'number' ? ` after ${(d.decideMs / 1000).toFixed(1)} s` : ''}`;
        break;
      case 'execution':
        what = d.error ? `not run: ${String(d.error)}` : d.replayed ? 'not executed (replay of a recorded session)' : `exit ${String(d.exitCode)} in ${String(d.durationMs)} ms`;
        break;
      default:
        what = JSON.stringify(d).slice(0, 120);
    }
    out.push(`${String(e.seq).padStart(5)}  ${time}  ${id}  ${e.type.padEnd(9)} ${what}`);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
