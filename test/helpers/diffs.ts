import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAssessor } from './assessor';
import type { Decision } from '../../src/risk/types';

export interface FileSpec {
  path: string;
  add?: string[];
  del?: string[];
  ctx?: string[];
  status?: 'added' | 'deleted' | 'modified';
  mode?: string;
  oldMode?: string;
}

/** Builds a git-style unified diff: one hunk per file, context first, then removals, then additions. */
export function makeDiff(...files: FileSpec[]): string {
  return files
    .map((f) => {
      const add = f.add ?? [];
      const del = f.del ?? [];
      const ctx = f.ctx ?? [];
      const header = [`diff --git a/${f.path} b/${f.path}`];
      if (f.status === 'added') header.push(`new file mode ${f.mode ?? '100644'}`);
      else if (f.status === 'deleted') header.push(`deleted file mode ${f.oldMode ?? '100644'}`);
      else if (f.mode && f.oldMode) header.push(`old mode ${f.oldMode}`, `new mode ${f.mode}`);
      header.push('index 1111111..2222222' + (f.status ? '' : ` ${f.mode ?? '100644'}`));
      header.push(f.status === 'added' ? '--- /dev/null' : `--- a/${f.path}`, f.status === 'deleted' ? '+++ /dev/null' : `+++ b/${f.path}`);
      const oldCount = ctx.length + del.length;
      const newCount = ctx.length + add.length;
      const hunk = `@@ -${oldCount ? 1 : 0},${oldCount} +${newCount ? 1 : 0},${newCount} @@`;
      return [...header, hunk, ...ctx.map((l) => ' ' + l), ...del.map((l) => '-' + l), ...add.map((l) => '+' + l)].join('\n');
    })
    .join('\n') + '\n';
}

export type DiffRow = [name: string, diff: string, expected: Decision, rule?: string];

export function diffTable(name: string, rows: DiffRow[]): void {
  for (const [why, diff, expected, rule] of rows) {
    test(`${name}: ${why}`, async () => {
      const r = (await defaultAssessor()).assessDiff(diff);
      const detail = `${why} → ${r.decision} (${r.score}); ${r.reasons.map((x) => `${x.rule}@${x.file}:${x.line ?? '-'} ${x.message}`).join(' | ') || 'no reasons'}`;
      assert.equal(r.decision, expected, detail);
      if (rule) assert.ok(r.reasons.some((x) => x.rule === rule), `expected rule ${rule}: ${detail}`);
    });
  }
}
