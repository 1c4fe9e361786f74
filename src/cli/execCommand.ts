import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backendOf, policyFor, sessionFlags } from './commonFlags';
import { NobodyToAsk, type PersonPort } from '../broker/ports';
import { GrantPerson, takeGrant } from '../connectors/hook/grants';
import { UsageError } from './usageError';
import { TerminalPerson } from './terminalPerson';
import { openContainedSession, airlockStateRoot, agentScript } from './containedSession';
import { paint, type Style } from './terminal';
import { SandboxManager, sandboxSettings } from '../sandbox/sandboxManager';
import { classifyHost } from '../risk/shared/network';
import { shellQuote } from '../risk/shared/shellQuote';

/** Exit codes beyond the command's own: refused by policy or a person, and no containment. */
export const EXIT_REFUSED = 126;
export const EXIT_NO_SANDBOX = 125;

/** Joins argv into one shell command: a single argument is a shell line as written; several are quoted words. */
export function commandLine(words: string[]): string {
  if (words.length === 1) return words[0] ?? '';
  return words.map(shellQuote).join(' ');
}

export async function runExec(argv: string[], err: (s: string) => void, style: Style): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const words = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values } = parseArgs({ args: own, options: { backend: { type: 'string' }, workspace: { type: 'string', default: '.' }, policy: { type: 'string' }, 'audit-log': { type: 'string' }, timeout: { type: 'string' }, cwd: { type: 'string' }, grant: { type: 'string' } }, strict: true });
  if (words.length === 0) throw new UsageError('exec needs a command after --, e.g. `airlock exec -- npm test`');
  const workspace = resolve(values.workspace ?? '.');
  const policy = policyFor(workspace, values.policy);
  const timeout = values.timeout ? Number(values.timeout) : undefined;
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout is in seconds and must be positive, got "${values.timeout}"`);
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  let person: PersonPort = interactive ? new TerminalPerson(process.stdin, process.stderr, style) : new NobodyToAsk();
  if (values.grant !== undefined) {
    // A person approved this exact command elsewhere (Claude Code's prompt, through `airlock hook`).
    const grant = takeGrant(airlockStateRoot(), values.grant);
    if (!grant || grant.workspace !== workspace) {
      err(`airlock: the approval grant ${values.grant} is unknown, already used, expired or for another workspace, so the command did not run. Run it again and approve it when asked.\n`);
      return EXIT_REFUSED;
    }
    person = new GrantPerson(grant, person);
  }
  const t0 = Date.now();
  const session = await openContainedSession({
    workspace,
    policy,
    person,
    ...sessionFlags(values),
    batch: { windowMs: 0, maxSize: policy.batch.maxSize },
    executor: { ...(timeout ? { timeoutMs: timeout * 1000 } : {}), onStdout: (c) => process.stdout.write(c), onStderr: (c) => process.stderr.write(c) },
    onState: (s) => {
      if (s.state === 'starting') err(paint(style, 'dim', `airlock: ${s.step}${process.env.AIRLOCK_TIMING ? ` (+${Date.now() - t0} ms)` : ''}\n`));
    },
  });
  try {
    const command = commandLine(words);
    const result = await session.broker.submit({ kind: 'command', command, ...(values.cwd ? { cwd: values.cwd } : {}) }, { connector: 'cli', agent: 'airlock exec' });
    if (result.outcome === 'ran' || result.outcome === 'failed') {
      const staged = session.executor.lastStaged;
      if (staged) {
        if (staged.applied) err(paint(style, 'dim', `airlock: ${staged.files} changed file(s) applied to the workspace (${staged.decision})${staged.conflicts.length ? `; kept aside, changed in the workspace meanwhile: ${staged.conflicts.join(', ')}` : ''}\n`));
        else if (staged.keptAside) err(`airlock: the command's changes to ${staged.files} file(s) need review (${staged.decision}) and nobody could be asked here, so they were NOT applied.\n  Review: ${staged.keptAside}/changes.diff\n  Apply after review: git -C ${workspace} apply ${staged.keptAside}/changes.diff  (exact files: ${staged.keptAside}/files)\n`);
        else err(`airlock: the command's changes to ${staged.files} file(s) were not applied (${staged.decision ?? 'declined'}); the sandbox copy was reset\n`);
      }
      return result.exitCode ?? 1;
    }
    err(`airlock: ${result.message}\n`);
    return result.outcome === 'not-run' && /did not run it/.test(result.message) ? EXIT_NO_SANDBOX : EXIT_REFUSED;
  } finally {
    await session.close();
  }
}

export async function runSandbox(argv: string[], write: (s: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { workspace: { type: 'string', default: '.' }, backend: { type: 'string' }, policy: { type: 'string' } }, strict: true });
  const workspace = resolve(values.workspace ?? '.');
  const policy = policyFor(workspace, values.policy);
  const backend = backendOf(values.backend);
  const manager = new SandboxManager({ workspace, stateRoot: airlockStateRoot(), settings: sandboxSettings(policy, backend ? { backend } : undefined), agentPath: agentScript(), classifyHost, askUnlisted: () => Promise.resolve(false) });
  switch (sub) {
    case 'check': {
      // Starts the sandbox and runs the containment checks, then stops it (the container is kept for reuse).
      try {
        await manager.start();
        write(`sandbox ready: ${manager.state.state === 'ready' ? manager.state.describe : ''}; containment verified\n`);
        return 0;
      } catch (e) {
        write(`sandbox unavailable: ${(e as Error).message}\n`);
        return EXIT_NO_SANDBOX;
      } finally {
        await manager.stop(false);
      }
    }
    case 'down':
      await manager.destroy();
      write(`removed the sandbox for ${workspace} (container, network, firewall rules, staging copy)\n`);
      return 0;
    default:
      throw new UsageError('sandbox needs a subcommand: check | down');
  }
}
