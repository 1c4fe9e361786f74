import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Assessor } from '../assessor';
import { combinePolicies } from '../policy/layering';
import type { Decision } from '../risk/types';
import { decisionBadge, paint, reveal, truncate, type Style } from './terminal';
import { UsageError } from './usageError';

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
  const { values } = parseArgs({ args: argv, options: { session: { type: 'string' }, workspace: { type: 'string', default: '/testbed' }, context: { type: 'string', default: 'sandbox' }, list: { type: 'boolean', default: false } }, strict: true });
  const sessions = loadSessions(corpusDir());
  if (values.list) {
    for (const [id, steps] of sessions) write(`${steps.length.toString().padStart(4)}  ${id}\n`);
    return 0;
  }
  const wanted = values.session ?? DEFAULT_SESSION;
  const id = [...sessions.keys()].find((k) => k === wanted || k.startsWith(wanted) || k.includes(wanted)) ?? (/^\d+$/.test(wanted) ? [...sessions.keys()][Number(wanted)] : undefined);
  const steps = id ? sessions.get(id) : undefined;
  if (!id || !steps) throw new UsageError(`no recorded session matches "${wanted}"; run \`npm run demo -- --list\` to see them`);
  const context = values.context === 'host' ? 'host' : 'sandbox';
  // The recorded agent worked in /testbed (SWE-bench's checkout); that is its workspace.
  const assessor = await Assessor.create({ policy: combinePolicies(undefined, undefined), workspace: resolve(values.workspace ?? '/testbed') });
  write(`${paint(style, 'bold', 'Airlock demo')}: replaying ${paint(style, 'cyan', id)}\n`);
  write(paint(style, 'dim', `${steps.length} actions an agent really ran, assessed in the ${context} context with the default policy\n\n`));
  const counts: Record<Decision, number> = { auto: 0, batch: 0, ask: 0, deny: 0 };
  for (const s of steps) {
    const a = assessor.assessCommand(s.command, { context });
    counts[a.decision]++;
    const first = reveal(s.command.trim().split('\n')[0] ?? '');
    const more = s.command.trim().includes('\n') ? paint(style, 'dim', ` (+${s.command.trim().split('\n').length - 1} lines)`) : '';
    const top = a.reasons[0];
    write(`${String(s.step).padStart(3)} ${decisionBadge(style, a.decision)} ${truncate(first, 70)}${more}\n`);
    if (top && a.decision !== 'auto') write(`      ${paint(style, 'dim', `${top.rule}: ${truncate(reveal(top.message), 100)}`)}\n`);
  }
  const total = steps.length;
  const prompts = counts.ask + (counts.batch > 0 ? 1 : 0);
  write('\n' + paint(style, 'bold', 'Summary') + '\n');
  write(`  actions            ${total}\n`);
  write(`  ${decisionBadge(style, 'auto')} ran without a prompt   ${counts.auto}\n`);
  write(`  ${decisionBadge(style, 'batch')} one review for all    ${counts.batch}\n`);
  write(`  ${decisionBadge(style, 'ask')} asked one by one       ${counts.ask}\n`);
  write(`  ${decisionBadge(style, 'deny')} refused               ${counts.deny}\n`);
  write(`  prompts: ${prompts} with Airlock vs ${total} when asking for everything — ${total - prompts} saved (${total ? Math.round((100 * (total - prompts)) / total) : 0}%)\n`);
  return 0;
}
