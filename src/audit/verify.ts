import { existsSync, readFileSync } from 'node:fs';
import { entryHash, GENESIS, type AuditEntry } from './record';

export interface VerifyResult {
  ok: boolean;
  records: number;
  /** The first record that does not verify, with its line and why. */
  broken?: { line: number; seq?: number; reason: string };
  warnings: string[];
}

/**
 * Checks every record's hash and its link to the previous one, the sequence numbers, and the chain head
 * kept beside the log. Names the first broken record. A partial last line (an interrupted write) is a
 * warning, not a break: it never held a committed record.
 */
export function verifyAuditLog(file: string): VerifyResult {
  if (!existsSync(file)) return { ok: false, records: 0, broken: { line: 0, reason: `no audit log at ${file}` }, warnings: [] };
  const text = readFileSync(file, 'utf8');
  const warnings: string[] = [];
  let body = text;
  if (text.length > 0 && !text.endsWith('\n')) {
    body = text.slice(0, text.lastIndexOf('\n') + 1);
    warnings.push('the last line is incomplete (an interrupted write); it is not part of the chain');
  }
  const lines = body.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = GENESIS;
  let seq = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let e: AuditEntry;
    try {
      e = JSON.parse(lines[i] ?? '') as AuditEntry;
    } catch {
      return { ok: false, records: i, broken: { line, reason: 'not valid JSON' }, warnings };
    }
    if (e.seq !== seq + 1) return { ok: false, records: i, broken: { line, seq: e.seq, reason: `sequence ${e.seq} follows ${seq} (records missing or reordered)` }, warnings };
    if (e.prev !== prev) return { ok: false, records: i, broken: { line, seq: e.seq, reason: 'its link to the previous record does not match (a record before it was changed, removed or inserted)' }, warnings };
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash) return { ok: false, records: i, broken: { line, seq: e.seq, reason: 'its content does not match its hash (the record was edited)' }, warnings };
    prev = hash;
    seq = e.seq;
  }
  const headFile = `${file}.head`;
  if (!existsSync(headFile)) warnings.push('no chain head file; truncation of the last records cannot be ruled out');
  else {
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as { seq: number; hash: string };
    if (head.seq > seq) return { ok: false, records: seq, broken: { line: lines.length + 1, seq: seq + 1, reason: `the chain head says ${head.seq} records, the log has ${seq}: records were cut off the end` }, warnings };
    if (head.seq === seq && head.hash !== prev) return { ok: false, records: seq, broken: { line: lines.length, seq, reason: 'the last record does not match the chain head' }, warnings };
    if (head.seq < seq - 1) warnings.push(`the chain head (${head.seq}) is behind the log (${seq})`);
  }
  return { ok: true, records: seq, warnings };
}
