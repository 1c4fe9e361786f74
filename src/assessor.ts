import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { analyzeCommand, type RiskEnvironment } from './risk/command/analyzeCommand';
import { analyzeDiff } from './risk/diff/analyzeDiff';
import type { FileDiff } from './risk/diff/parseDiff';
import { loadShellParser, type ShellParser } from './risk/command/parser';
import type { ParsedScript } from './risk/command/model';
import type { Assessment, Context, Finding } from './risk/types';
import { classifyHost } from './risk/shared/network';
import { decide, type DecideCommand } from './policy/decide';
import type { EffectivePolicy } from './policy/layering';
import { shellQuote } from './risk/shared/shellQuote';

/** Longest command Airlock reads; longer ones are not read in part and called safe. */
export const MAX_COMMAND_LENGTH = 1_000_000;

export interface AssessorOptions {
  policy: EffectivePolicy;
  /** Workspace root: where "inside the workspace" begins. */
  workspace: string;
  home?: string;
}

/** A diff's assessment with the files it touches, for previews. */
export interface DiffAssessment extends Assessment {
  files: { path: string; oldPath?: string; status: FileDiff['status']; added: number; removed: number; binary: boolean }[];
}

export interface CommandAssessment extends Assessment {
  /** The simple commands found, for presenters (spans into the original text). */
  commands: ParsedScript['commands'];
}

/**
 * The assessment core as one object: parser loaded once, policy fixed. Everything a connector, the CLI
 * or the UI needs to score a proposed command goes through `assessCommand` — there is no other scorer.
 */
export class Assessor {
  private constructor(
    private readonly parser: ShellParser,
    readonly options: AssessorOptions,
  ) {}

  static async create(options: AssessorOptions): Promise<Assessor> {
    return new Assessor(await loadShellParser(), { ...options, workspace: resolve(options.workspace) });
  }

  get parserStartupMs(): number {
    return this.parser.startupMs;
  }

  assessCommand(command: string, opts: { context?: Context; cwd?: string } = {}): CommandAssessment {
    const context = opts.context ?? 'sandbox';
    const { policy, workspace } = this.options;
    if (command.length > MAX_COMMAND_LENGTH) {
      const findings: Finding[] = [{ rule: 'parse-error', message: `the command is ${command.length} characters long; Airlock reads at most ${MAX_COMMAND_LENGTH}` }];
      return { ...decide(findings, [], context, policy), commands: [] };
    }
    const env = this.environment();
    const cwd = opts.cwd ? resolve(workspace, opts.cwd) : workspace;
    let analysis: ReturnType<typeof analyzeCommand>;
    try {
      analysis = analyzeCommand(command, this.parser, env, cwd);
    } catch (err) {
      // Fail closed: a command too large or too deeply nested to analyse is not guessed at.
      if (!(err instanceof RangeError)) throw err;
      const findings: Finding[] = [{ rule: 'parse-error', message: `the command is too deeply nested for Airlock to analyse (${err.message})` }];
      return { ...decide(findings, [], context, policy), commands: [] };
    }
    const { findings, script } = analysis;
    const unique = dedupe(findings);
    const commands: DecideCommand[] = script.commands.map((c) => {
      const first = c.argv[0];
      const last = c.argv[c.argv.length - 1];
      return { index: c.index, argv: c.argv, ...(first && last ? { argvSpan: [first.span[0], last.span[1]] as [number, number] } : {}) };
    });
    return { ...decide(unique, commands, context, policy), commands: script.commands };
  }

  /** Scores a unified diff: path rules, content rules, test tampering, size and shape, embedded commands. */
  assessDiff(diff: string, opts: { context?: Context } = {}): DiffAssessment {
    const context = opts.context ?? 'sandbox';
    const env = this.environment();
    const judge = (command: string) => analyzeCommand(command, this.parser, env, env.paths.workspace).findings;
    const { findings, files } = analyzeDiff(diff, env, judge);
    const summary = files.map((f) => {
      const lines = f.hunks.flatMap((h) => h.lines);
      return { path: f.path, ...(f.oldPath && f.oldPath !== f.path ? { oldPath: f.oldPath } : {}), status: f.status, added: lines.filter((l) => l.kind === 'add').length, removed: lines.filter((l) => l.kind === 'del').length, binary: f.binary };
    });
    return { ...decide(dedupe(findings), [], context, this.options.policy), files: summary };
  }

  /**
   * A file an agent asks to read through a tool: judged exactly as `cat -- PATH` would be (secrets, outside the
   * workspace, the home directory, account and host lists), so a tool is never a quieter way to read than a shell.
   */
  assessRead(path: string, opts: { context?: Context } = {}): Assessment {
    const { commands: _commands, ...assessment } = this.assessCommand(`cat -- ${shellQuote(path)}`, opts);
    // Spans point into the synthetic command, which nobody sees; the message already names the path.
    return { ...assessment, reasons: assessment.reasons.map(({ span: _span, ...r }) => r) };
  }

  /** A connection the egress proxy saw to a host: allowlisted runs, unlisted is batched, the rest per rule. */
  assessNetwork(host: string, opts: { context?: Context; command?: string } = {}): Assessment {
    const context = opts.context ?? 'sandbox';
    const dest = classifyHost(host, this.options.policy.network);
    const via = opts.command ? ` (made by ${JSON.stringify(opts.command.slice(0, 80))})` : '';
    const rule = { allowlisted: 'network-allowlisted', local: 'network-local', unlisted: 'network-request', unknown: 'network-unknown', 'ip-literal': 'network-ip-literal', metadata: 'network-metadata', denied: 'network-denied' }[dest.kind];
    return decide([{ rule, message: `connection to ${dest.host}${via}: ${dest.kind === 'unlisted' ? 'not on the allowlist' : dest.kind}` }], [], context, this.options.policy);
  }

  private environment(): RiskEnvironment {
    const { policy, workspace } = this.options;
    return {
      paths: { workspace, home: this.options.home ?? homedir(), secretGlobs: policy.secretPaths, protectedGlobs: policy.protectedPaths },
      network: policy.network,
    };
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.span?.join(',') ?? ''}|${f.file ?? ''}|${f.line ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
