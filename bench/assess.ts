// Assessment throughput and latency over the real agent corpus, with the bare parser as the baseline
// measured in the same run. Usage: npm run bench [-- --rounds N]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Assessor } from '../src/assessor';
import { loadShellParser } from '../src/risk/command/parser';
import { combinePolicies } from '../src/policy/layering';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Number(values.rounds));

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const commands = readFileSync(join(process.cwd(), '..', 'shared', 'corpus', 'agent-commands.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { command: string }).command);

  const coldStart = performance.now();
  const parser = await loadShellParser();
  const assessor = await Assessor.create({ policy: combinePolicies(undefined, undefined), workspace: '/testbed', home: '/root' });
  const firstReady = performance.now() - coldStart;

  // Warm-up: one full pass of each, so the JIT and caches settle before timing.
  for (const c of commands) {
    parser.parse(c).delete();
    assessor.assessCommand(c);
  }

  const parseTimes: number[] = [];
  const assessTimes: number[] = [];
  const sizes: number[] = [];
  let parseTotal = 0;
  let assessTotal = 0;
  for (let r = 0; r < rounds; r++) {
    for (const c of commands) {
      let t = performance.now();
      parser.parse(c).delete();
      const p = performance.now() - t;
      t = performance.now();
      assessor.assessCommand(c);
      const a = performance.now() - t;
      parseTotal += p;
      assessTotal += a;
      if (r === rounds - 1) {
        parseTimes.push(p);
        assessTimes.push(a);
        sizes.push(c.length);
      }
    }
  }
  const sortedA = [...assessTimes].sort((x, y) => x - y);
  const sortedP = [...parseTimes].sort((x, y) => x - y);
  const n = commands.length * rounds;
  const small = assessTimes.filter((_, i) => (sizes[i] ?? 0) <= 200).sort((x, y) => x - y);
  const large = assessTimes.filter((_, i) => (sizes[i] ?? 0) > 2000).sort((x, y) => x - y);

  console.log(`# airlock assess benchmark — ${commands.length} commands from agent-commands.jsonl × ${rounds} rounds (node ${process.version})`);
  console.log('');
  console.log(`parser start-up (wasm compile + grammar load, reported separately): ${parser.startupMs.toFixed(1)} ms; first assessor ready after ${firstReady.toFixed(1)} ms`);
  console.log('');
  console.log('| measure | bare parse (baseline) | full assessment | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| throughput | ${Math.round(n / (parseTotal / 1000))} cmd/s | ${Math.round(n / (assessTotal / 1000))} cmd/s | ${(assessTotal / parseTotal).toFixed(2)}× |`);
  console.log(`| p50 | ${fmt(quantile(sortedP, 0.5))} | ${fmt(quantile(sortedA, 0.5))} | ${(quantile(sortedA, 0.5) / quantile(sortedP, 0.5)).toFixed(2)}× |`);
  console.log(`| p99 | ${fmt(quantile(sortedP, 0.99))} | ${fmt(quantile(sortedA, 0.99))} | ${(quantile(sortedA, 0.99) / quantile(sortedP, 0.99)).toFixed(2)}× |`);
  console.log(`| max | ${fmt(sortedP.at(-1) ?? 0)} | ${fmt(sortedA.at(-1) ?? 0)} | |`);
  console.log('');
  console.log(`commands ≤ 200 chars (${small.length}): p50 ${fmt(quantile(small, 0.5))}, p99 ${fmt(quantile(small, 0.99))}`);
  console.log(`commands > 2000 chars (${large.length}): p50 ${fmt(quantile(large, 0.5))}, p99 ${fmt(quantile(large, 0.99))}`);
}

void main();
