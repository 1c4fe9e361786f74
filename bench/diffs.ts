// Diff assessment time over the 798 real commits, with the bare diff parse as the same-run baseline, and a
// size sweep on synthetic diffs to show growth is linear. Usage: npm run bench:diffs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Assessor } from '../src/assessor';
import { combinePolicies } from '../src/policy/layering';
import { parseUnifiedDiff } from '../src/risk/diff/parseDiff';

function q(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const rows = readFileSync(join(process.cwd(), '..', 'shared', 'corpus', 'real-diffs.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { diff: string }).diff);
  const assessor = await Assessor.create({ policy: combinePolicies(undefined, undefined), workspace: '/work/repo', home: '/root' });
  for (const d of rows) assessor.assessDiff(d); // warm-up
  const samples = rows.map((d) => {
    let t = performance.now();
    parseUnifiedDiff(d);
    const parse = performance.now() - t;
    t = performance.now();
    assessor.assessDiff(d);
    return { lines: d.split('\n').length, parse, assess: performance.now() - t };
  });
  console.log(`# airlock diff benchmark — ${rows.length} real commits (real-diffs.jsonl), after warm-up (node ${process.version})`);
  console.log('');
  console.log('| diffs | count | parse p50 (baseline) | assess p50 | assess p99 | ratio p50 |');
  console.log('|---|---|---|---|---|---|');
  const buckets: [string, (n: number) => boolean][] = [['all', () => true], ['< 1,000 lines', (n) => n < 1000], ['≥ 1,000 lines', (n) => n >= 1000]];
  for (const [name, pick] of buckets) {
    const s = samples.filter((x) => pick(x.lines));
    const a = s.map((x) => x.assess).sort((x, y) => x - y);
    const p = s.map((x) => x.parse).sort((x, y) => x - y);
    console.log(`| ${name} | ${s.length} | ${q(p, 0.5).toFixed(3)} ms | ${q(a, 0.5).toFixed(3)} ms | ${q(a, 0.99).toFixed(2)} ms | ${(q(a, 0.5) / q(p, 0.5)).toFixed(1)}× |`);
  }
  console.log('');
  console.log('Size sweep (synthetic diffs of ordinary code, one file per 200 lines):');
  console.log('');
  console.log('| lines | assess | per 1,000 lines |');
  console.log('|---|---|---|');
  for (const size of [1_000, 10_000, 50_000, 100_000]) {
    const parts: string[] = [];
    for (let f = 0; f < size / 200; f++) {
      const body = Array.from({ length: 200 }, (_, i) => `+export const value${f}_${i} = compute(${i}, "item-${i}");`);
      parts.push(`diff --git a/src/mod${f}.ts b/src/mod${f}.ts\nnew file mode 100644\n--- /dev/null\n+++ b/src/mod${f}.ts\n@@ -0,0 +1,200 @@\n${body.join('\n')}`);
    }
    const diff = parts.join('\n') + '\n';
    const t = performance.now();
    assessor.assessDiff(diff);
    const ms = performance.now() - t;
    console.log(`| ${size.toLocaleString('en')} | ${ms.toFixed(1)} ms | ${((ms / size) * 1000).toFixed(2)} ms |`);
  }
}

void main();
