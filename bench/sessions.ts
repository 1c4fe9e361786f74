// Replays all 324 recorded agent sessions through the broker (scripted person, virtual clock with a
// realistic pace between steps) and reports prompts per 100 actions: asks plus batch reviews, overall and
// for the worst decile of sessions, against asking for everything (100). Usage: npm run bench:sessions
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assessor } from '../src/assessor';
import { combinePolicies } from '../src/policy/layering';
import { corpusDir, loadSessions } from '../src/cli/demoCommand';
import { replaySession } from '../src/cli/replay';
import { verifyAuditLog } from '../src/audit/verify';

/** Agent think-and-act time between steps: 4–20 s, deterministic per step. */
function pace(i: number): number {
  return 4000 + ((i * 7919) % 16000);
}

async function main(): Promise<void> {
  const sessions = loadSessions(corpusDir());
  const dir = mkdtempSync(join(tmpdir(), 'airlock-sessions-'));
  const rows: { id: string; actions: number; prompts: number; asks: number; batches: number; learned: number }[] = [];
  const started = performance.now();
  let verified = 0;
  for (const [n, [id, steps]] of [...sessions].entries()) {
    const assessor = await Assessor.create({ policy: combinePolicies(undefined, undefined), workspace: '/testbed', home: '/root' });
    const file = join(dir, `s${n}.jsonl`);
    const out = await replaySession(steps, assessor, file, pace);
    if (verifyAuditLog(file).ok) verified++;
    rows.push({ id, actions: steps.length, prompts: out.metrics.promptsShown + out.metrics.batchesShown, asks: out.metrics.promptsShown, batches: out.metrics.batchesShown, learned: out.learned.length });
  }
  rmSync(dir, { recursive: true, force: true });
  const actions = rows.reduce((a, r) => a + r.actions, 0);
  const prompts = rows.reduce((a, r) => a + r.prompts, 0);
  const rates = rows.map((r) => (100 * r.prompts) / r.actions).sort((a, b) => b - a);
  const decile = rates.slice(0, Math.ceil(rates.length / 10));
  const asks = rows.reduce((a, r) => a + r.asks, 0);
  const batches = rows.reduce((a, r) => a + r.batches, 0);
  console.log(`# session replay — ${rows.length} sessions, ${actions} actions, through the broker (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log('');
  console.log('| measure | Airlock | ask for everything |');
  console.log('|---|---|---|');
  console.log(`| prompts per 100 actions, overall | ${((100 * prompts) / actions).toFixed(2)} (${asks} asks + ${batches} batch reviews) | 100 |`);
  console.log(`| prompts per 100 actions, worst decile (mean of the ${decile.length} worst sessions) | ${(decile.reduce((a, b) => a + b, 0) / decile.length).toFixed(2)} | 100 |`);
  console.log(`| worst single session | ${rates[0]?.toFixed(2)} | 100 |`);
  console.log(`| median session | ${rates[Math.floor(rates.length / 2)]?.toFixed(2)} | 100 |`);
  console.log('');
  console.log(`"always allow" rules the scripted person saved: ${rows.reduce((a, r) => a + r.learned, 0)}; audit logs verified: ${verified}/${rows.length}`);
}

void main();
