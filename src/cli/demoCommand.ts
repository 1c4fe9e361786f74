import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Assessor } from '../assessor';
import { combinePolicies } from '../policy/layering';
import type { Decision } from '../risk/types';
import { decisionBadge, paint, reveal, truncate, type Style } from './terminal';
import { UsageError } from './usageError';
import { replaySession } from './replay';
import { verifyAuditLog } from '../audit/verify';

interface SessionStep {
  session: string;
  step: number;
  command: string;
}

/** Where the shared corpus lives: next to the project (`../shared/corpus`), as CI lays it out. */
export function corpusDir(): string {
  const candidates = [process.env.AIRLOCK_CORPUS, join(process.cwd(), '..', 'shared', 'corpus'), join(__dirname, '..', '..', 'shared', 'corpus')].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(join(c, 'agent-sessions.jsonl')));
  if (!found) throw new UsageError(`cannot find the recorded sessions (agent-sessions.jsonl). Looked in: ${candidates.join(', ')}. Set AIRLOCK_CORPUS to the corpus folder.`);
  return found;
}

export function loadSessions(dir: string): Map<string, SessionStep[]> {
  const sessions = new Map<string, SessionStep[]>();
  for (const line of readFileSync(join(dir, 'agent-sessions.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const step = JSON.parse(line) as SessionStep;
    const list = sessions.get(step.session) ?? [];
    list.push(step);
    sessions.set(step.session, list);
  }
  for (const list of sessions.values()) list.sort((a, b) => a.step - b.step);
  return sessions;
}

/** A session worth watching: it has actions of every kind Airlock decides, and is not too long. */
const DEFAULT_SESSION = 'SWE-agent/mini-swe-agent:output/deepseek_bench1/django__django-11039/django__django-11039.traj.json';

export async function runDemo(argv: string[], write: (s: string) => void, style: Style): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { session: { type: 'string' }, workspace: { type: 'string', default: '/testbed' }, context: { type: 'string', default: 'sandbox' }, list: { type: 'boolean', default: false }, 'audit-log': { type: 'string' } }, strict: true });
  const sessions = loadSessions(corpusDir());
  if (values.list) {
    for (const [id, steps] of sessions) write(`${steps.length.toString().padStart(4)}  ${id}\n`);
    return 0;
  }
  const wanted = values.session ?? DEFAULT_SESSION;
  const id = [...sessions.keys()].find((k) => k === wanted || k.startsWith(wanted) || k.includes(wanted)) ?? (/^\d+$/.test(wanted) ? [...sessions.keys()][Number(wanted)] : undefined);
  const steps = id ? sessions.get(id) : undefined;
  if (!id || !steps) throw new UsageError(`no recorded session matches "${wanted}"; run \`npm run demo -- --list\` to see them`);
  if (values.context !== 'sandbox' && values.context !== 'host') throw new UsageError(`--context must be sandbox or host, got "${values.context}"`);
  // The recorded agent worked in /testbed (SWE-bench's checkout): that is its workspace.
  const assessor = await Assessor.create({ policy: combinePolicies(undefined, undefined), workspace: resolve(values.workspace ?? '/testbed') });
  const auditFile = values['audit-log'] ? resolve(values['audit-log']) : join(mkdtempSync(join(tmpdir(), 'airlock-demo-')), 'audit.jsonl');
  write(`${paint(style, 'bold', 'Airlock demo')}: replaying ${paint(style, 'cyan', id)}\n`);
  write(paint(style, 'dim', `${steps.length} actions a real agent ran, each through the broker (${values.context} context, default policy), a scripted person answering prompts.\nThe commands are not executed again: the sandbox that would run them is a later milestone.\n\n`));
  // 4–20 s of agent thinking between steps, as in a real session.
  const outcome = await replaySession(steps, assessor, auditFile, (i) => 4000 + ((i * 7919) % 16000));
  const counts: Record<Decision, number> = { auto: 0, batch: 0, ask: 0, deny: 0 };
  for (const { step, command, result } of outcome.results) {
    const d = result.decision ?? 'deny';
    counts[d]++;
    const first = reveal(command.trim().split('\n')[0] ?? '');
    const more = command.trim().includes('\n') ? paint(style, 'dim', ` (+${command.trim().split('\n').length - 1} lines)`) : '';
    write(`${String(step).padStart(3)} ${decisionBadge(style, d)} ${truncate(first, 70)}${more}\n`);
    const top = result.assessment?.reasons[0];
    if (top && d !== 'auto') write(`      ${paint(style, 'dim', `${top.rule}: ${truncate(reveal(top.message), 90)}${result.decidedBy ? ` — ${result.decidedBy}` : ''}`)}\n`);
  }
  const m = outcome.metrics;
  const total = steps.length;
  const prompts = m.promptsShown + m.batchesShown;
  write('\n' + paint(style, 'bold', 'Summary') + '\n');
  write(`  actions            ${total}\n`);
  write(`  ${decisionBadge(style, 'auto')} ran without a prompt   ${counts.auto}\n`);
  write(`  ${decisionBadge(style, 'batch')} batched for review    ${counts.batch} (in ${m.batchesShown} batch review${m.batchesShown === 1 ? '' : 's'})\n`);
  write(`  ${decisionBadge(style, 'ask')} asked one by one       ${counts.ask}\n`);
  write(`  ${decisionBadge(style, 'deny')} refused               ${counts.deny}\n`);
  if (outcome.learned.length) write(`  "always allow" rules saved for this workspace: ${outcome.learned.map((r) => `"${r}"`).join(', ')}\n`);
  write(`  prompts: ${prompts} (${m.promptsShown} asks + ${m.batchesShown} batch reviews) vs ${total} when asking for everything — ${total - prompts} saved (${total ? Math.round((100 * (total - prompts)) / total) : 0}%)\n`);
  if (m.medianDecideMs !== undefined) write(`  approval rate ${Math.round(100 * m.approvalRate)}%, median time to decide ${(m.medianDecideMs / 1000).toFixed(1)} s\n`);
  for (const w of m.warnings) write(`  ${paint(style, 'yellow', 'warning')}: ${w}\n`);
  const verified = verifyAuditLog(auditFile);
  write(`  audit log ${auditFile}: ${verified.ok ? paint(style, 'green', `${verified.records} records, chain verified`) : paint(style, 'red', `BROKEN at line ${verified.broken?.line}: ${verified.broken?.reason}`)}\n`);
  return verified.ok ? 0 : 1;
}
