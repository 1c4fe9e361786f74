import { createHash } from 'node:crypto';

/** What one audit record says. Free-form details go in `data`; the envelope fields are fixed. */
export interface AuditRecord {
  type: 'action' | 'decision' | 'execution' | 'network' | 'policy' | 'note';
  actionId?: string;
  data: Record<string, unknown>;
}

/** One line of the log: the record plus its place in the chain. */
export interface AuditEntry extends AuditRecord {
  seq: number;
  ts: string;
  prev: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

/** Keys sorted at every level, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const { seq, ts, prev, type, actionId, data } = e;
  return createHash('sha256').update(canonicalJson({ seq, ts, prev, type, actionId, data })).digest('hex');
}
