import { readFileSync } from 'node:fs';
import type { AuditEntry } from './record';
import { TOO_FAST_MS } from '../approvals/fatigue';

export interface AuditStats {
  actions: Record<string, number>;
  asksShown: number;
  batchesShown: number;
  approvals: number;
  rejections: number;
  approvalRate: number;
  medianDecideMs: number | undefined;
  promptsPer100: number;
  fastHighRiskApprovals: number;
  sessions: number;
}

/**
 * Fatigue figures over everything the audit log holds (every session, overall), computed from the
 * tamper-evident record itself rather than from counters that could drift from it.
 */
export function auditStats(file: string): AuditStats {
  const entries = readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l) as AuditEntry];
    } catch {
      return [];
    }
  });
  const actions: Record<string, number> = {};
  const level = new Map<string, string>();
  const batches = new Map<string, number | undefined>();
  const sessions = new Set<string>();
  let asks = 0;
  let approvals = 0;
  let rejections = 0;
  let fast = 0;
  const times: number[] = [];
  for (const e of entries) {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'action' && !d.invalid) {
      const a = d.assessment as { decision?: string; level?: string } | undefined;
      const decision = a?.decision ?? 'unknown';
      actions[decision] = (actions[decision] ?? 0) + 1;
      if (e.actionId && a?.level) level.set(e.actionId, a.level);
      if (typeof d.agent === 'string') sessions.add(d.agent);
    }
    if (e.type !== 'decision') continue;
    const by = String(d.decidedBy ?? '');
    if (by === 'policy' || by === 'timeout' || d.cancelled) continue;
    const approved = d.state === 'approved';
    const ms = typeof d.decideMs === 'number' ? d.decideMs : undefined;
    if (typeof d.batchId === 'string') {
      if (!batches.has(d.batchId)) {
        batches.set(d.batchId, ms);
        if (ms !== undefined) times.push(ms);
        if (approved) approvals++;
        else rejections++;
      }
      continue;
    }
    asks++;
    if (approved) approvals++;
    else rejections++;
    if (ms !== undefined) times.push(ms);
    const l = e.actionId ? level.get(e.actionId) : undefined;
    if (approved && ms !== undefined && ms < TOO_FAST_MS && (l === 'high' || l === 'critical')) fast++;
  }
  const total = Object.values(actions).reduce((a, b) => a + b, 0);
  const sorted = times.sort((a, b) => a - b);
  const reviews = approvals + rejections;
  return {
    actions,
    asksShown: asks,
    batchesShown: batches.size,
    approvals,
    rejections,
    approvalRate: reviews ? approvals / reviews : 0,
    medianDecideMs: sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined,
    promptsPer100: total ? (100 * (asks + batches.size)) / total : 0,
    fastHighRiskApprovals: fast,
    sessions: sessions.size,
  };
}
