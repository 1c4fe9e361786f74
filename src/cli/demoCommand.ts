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
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ContainedExecutor } from '../broker/containedExecutor';
import { SandboxManager, sandboxSettings } from '../sandbox/sandboxManager';
import { classifyHost } from '../risk/shared/network';
import { agentScript } from './containedSession';

/** A small git repository standing in for the agent's checkout, so its commands have somewhere real to run. */
function seedDemoWorkspace(dir: string): void {
  mkdirSync(join(dir, 'django', 'core', 'management', 'commands'), { recursive: true });
  writeFileSync(join(dir, 'README.rst'), 'Airlock demo workspace: stands in for the django checkout the recorded agent used.\n');
  writeFileSync(join(dir, 'django', '__init__.py'), "VERSION = (3, 0, 0, 'alpha', 0)\n");
  writeFileSync(join(dir, 'django', 'core', 'management', 'commands', 'sqlmigrate.py'), 'class Command:\n    output_transaction = True\n');
  try {
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, '-c', 'user.email=demo@airlock', '-c', 'user.name=demo', 'add', '-A']);
    execFileSync('git', ['-C', dir, '-c', 'user.email=demo@airlock', '-c', 'user.name=demo', 'commit', '-qm', 'demo workspace']);
  } catch {
    // git missing: the workspace is still a folder of files
  }
}

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
  const { values } = parseArgs({ args: argv, options: { session: { type: 'string' }, context: { type: 'string', default: 'sandbox' }, list: { type: 'boolean', default: false }, 'audit-log': { type: 'string' }, 'no-exec': { type: 'boolean', default: false }, backend: { type: 'string' } }, strict: true });
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
  const backend = values.backend === undefined ? undefined : values.backend === 'devcontainer' || values.backend === 'bubblewrap' ? values.backend : undefined;
  if (values.backend !== undefined && !backend) throw new UsageError(`--backend must be devcontainer or bubblewrap, got "${values.backend}"`);
  // The recorded agent worked in /testbed (SWE-bench's checkout). The demo gives it a fresh workspace of its
  // own and runs its commands there, with /testbed in them pointing at it.
  const demoRoot = mkdtempSync(join(tmpdir(), 'airlock-demo-'));
  const workspace = join(demoRoot, 'testbed');
  seedDemoWorkspace(workspace);
  const policy = combinePolicies(undefined, undefined);
  const assessor = await Assessor.create({ policy, workspace });
  const auditFile = values['audit-log'] ? resolve(values['audit-log']) : join(demoRoot, 'audit.jsonl');
  const rewritten = steps.map((s) => ({ ...s, command: s.command.split('/testbed').join(workspace) }));
  write(`${paint(style, 'bold', 'Airlock demo')}: replaying ${paint(style, 'cyan', id)}\n`);
  let executor: ContainedExecutor | undefined;
  if (!values['no-exec']) {
    const manager = new SandboxManager({
      workspace,
      stateRoot: join(demoRoot, 'state'),
      settings: sandboxSettings(policy, backend ? { backend } : undefined),
      agentPath: agentScript(),
      classifyHost,
      askUnlisted: () => Promise.resolve(false),
      onState: (st) => {
        if (st.state === 'starting') write(paint(style, 'dim', `  sandbox: ${st.step}\n`));
      },
    });
    try {
      await manager.start();
      executor = new ContainedExecutor(manager, { workspace, timeoutMs: 60_000, maxOutput: 256 * 1024 });
      write(paint(style, 'dim', `  sandbox: ready (${manager.state.state === 'ready' ? manager.state.describe : ''}), containment verified\n`));
    } catch (err) {
      await manager.destroy();
      write(`${paint(style, 'yellow', 'sandbox unavailable')}: ${(err as Error).message}\n${paint(style, 'dim', 'Showing the decisions only; nothing is executed. Run `sh scripts/sandbox-setup` (as root) to build the sandbox.')}\n`);
    }
  }
  write(paint(style, 'dim', `${steps.length} actions a real agent ran, each through the broker (${values.context} context, default policy), a scripted person answering prompts.\n${executor ? `Approved commands run in the sandbox on a fresh workspace (${workspace}); their file changes pass the diff gate.` : 'The commands are not executed (--no-exec or no sandbox).'}\n\n`));
  // 4–20 s of agent thinking between steps, as in a real session.
  let outcome;
  try {
    outcome = await replaySession(rewritten, assessor, auditFile, (i) => 4000 + ((i * 7919) % 16000), executor ? { executor } : {});
  } finally {
    await executor?.manager.destroy();
  }
  const counts: Record<Decision, number> = { auto: 0, batch: 0, ask: 0, deny: 0 };
  const executed = { ok: 0, failed: 0 };
  const stagedSets = { total: 0, reviewed: 0 };
  for (const { step, command, result } of outcome.results) {
    const d = result.decision ?? 'deny';
    counts[d]++;
    const first = reveal(command.trim().split('\n')[0] ?? '');
    const more = command.trim().includes('\n') ? paint(style, 'dim', ` (+${command.trim().split('\n').length - 1} lines)`) : '';
    write(`${String(step).padStart(3)} ${decisionBadge(style, d)} ${truncate(first, 70)}${more}\n`);
    const top = result.assessment?.reasons[0];
    if (top && d !== 'auto') write(`      ${paint(style, 'dim', `${top.rule}: ${truncate(reveal(top.message), 90)}${result.decidedBy ? ` — ${result.decidedBy}` : ''}`)}\n`);
    if (executor && result.exitCode !== undefined) {
      const out = (result.output ?? '').split('\n').filter((l) => l.trim());
      const staged = out.find((l) => l.startsWith('[airlock]'));
      if (result.exitCode === 0) executed.ok++;
      else executed.failed++;
      write(`      ${paint(style, result.exitCode === 0 ? 'green' : 'yellow', `exit ${result.exitCode}`)} ${paint(style, 'dim', truncate(reveal(out.find((l) => !l.startsWith('[airlock]')) ?? ''), 80))}\n`);
      if (staged) {
        stagedSets.total++;
        if (/after review|needs review|not applied \((ask|batch)/.test(staged)) stagedSets.reviewed++;
      }
      if (staged) write(`      ${paint(style, 'cyan', truncate(reveal(staged), 100))}\n`);
    }
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
  if (executor) write(`  executed in the sandbox: ${executed.ok + executed.failed} (${executed.ok} exit 0, ${executed.failed} non-zero: the demo workspace is not the agent's django checkout)\n`);
  if (executor) write(`  file changes made by commands (staged writes): ${stagedSets.total} change set(s), ${stagedSets.total - stagedSets.reviewed} applied automatically, ${stagedSets.reviewed} reviewed\n`);
  if (outcome.learned.length) write(`  "always allow" rules saved for this workspace: ${outcome.learned.map((r) => `"${r}"`).join(', ')}\n`);
  write(`  prompts: ${prompts} (${m.promptsShown} asks + ${m.batchesShown} batch reviews${stagedSets.reviewed ? `, ${stagedSets.reviewed} of them for staged file changes` : ''}) vs ${total} when asking for everything — ${total - prompts} saved (${total ? Math.round((100 * (total - prompts)) / total) : 0}%)\n`);
  if (m.medianDecideMs !== undefined) write(`  approval rate ${Math.round(100 * m.approvalRate)}%, median time to decide ${(m.medianDecideMs / 1000).toFixed(1)} s\n`);
  for (const w of m.warnings) write(`  ${paint(style, 'yellow', 'warning')}: ${w}\n`);
  const verified = verifyAuditLog(auditFile);
  write(`  audit log ${auditFile}: ${verified.ok ? paint(style, 'green', `${verified.records} records, chain verified`) : paint(style, 'red', `BROKEN at line ${verified.broken?.line}: ${verified.broken?.reason}`)}\n`);
  return verified.ok ? 0 : 1;
}
