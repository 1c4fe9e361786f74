import type { Span } from '../types';

/** A shell word after static evaluation: what it says when that can be known without running anything. */
export interface Word {
  /** Exactly as written in the command. */
  text: string;
  /**
   * The value with quotes removed and escapes resolved. Known variables are substituted ($HOME → ~);
   * parts that cannot be known (other expansions, substitutions) appear as DYNAMIC.
   */
  value: string;
  /** True when some part of the value is unknown until run time. */
  dynamic: boolean;
  span: Span;
  /** True when the word came from a command or process substitution only (e.g. `$(cat x)`). */
  substitutionOnly?: boolean;
  /** Set for `<(…)` / `>(…)` arguments. */
  processSubstitution?: boolean;
}

/** Marker for unknown parts of a word's value. */
export const DYNAMIC = '\u{FFFC}';

export type RedirectOp = '>' | '>>' | '>|' | '&>' | '&>>' | '<' | '<>' | '>&' | '<&' | '<<' | '<<-' | '<<<';

export interface Redirect {
  op: RedirectOp;
  fd?: number;
  target?: Word;
  /** Here-document or here-string content. */
  body?: { text: string; span: Span; expands: boolean };
  span: Span;
}

export type Origin = 'top' | 'command-substitution' | 'process-substitution' | 'inline-script' | 'wrapped';

export interface PipelineSlot {
  id: number;
  stage: number;
  stages: number;
}

/** One simple command: the unit every analyzer judges. Wrapped commands appear again, unwrapped. */
export interface SimpleCommand {
  index: number;
  argv: Word[];
  assignments: { name: string; value?: Word; span: Span }[];
  redirects: Redirect[];
  span: Span;
  pipeline?: PipelineSlot;
  origin: Origin;
  /** Index of the command that contains this one (wrapper, substitution host or `sh -c` host). */
  parent?: number;
  /** How the parent runs it: the wrapper's name (`sudo`, `xargs`, `find -exec`, `sh -c`, …). */
  via?: string;
  background: boolean;
  /** Working directory known statically at this point (after `cd`), or undefined when unknown. */
  cwd: string | undefined;
  /** True when this command's name is a compound's body of a function definition (runs only if called). */
  inFunction?: string;
  /** True when more arguments arrive at run time from stdin (the command an `xargs` runs). */
  stdinArgs?: boolean;
  /**
   * The code this command runs when Airlock saw it being written earlier in the same input (a heredoc
   * saved to a file then run, `echo … | python`): judged as if it had been passed inline.
   */
  scriptContent?: { text: string; span: Span };
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** Spans the parser could not make sense of. Any of them makes the whole input uncertain. */
  errors: Span[];
  /** Function names defined in the script, with the names their bodies call (for recursion checks). */
  functions: Map<string, { span: Span; calls: string[]; background: boolean; piped: boolean }>;
  /** Files the input writes with content Airlock could read (heredocs, echo), by resolved path. */
  written: Map<string, { text: string; span: Span }>;
}

export function commandName(cmd: SimpleCommand): string | undefined {
  return cmd.argv[0]?.value;
}

/** The program's base name (`/usr/bin/git` → `git`), or undefined when it is dynamic. */
export function programName(cmd: SimpleCommand): string | undefined {
  const first = cmd.argv[0];
  if (!first || first.dynamic) return undefined;
  const slash = first.value.lastIndexOf('/');
  return slash >= 0 ? first.value.slice(slash + 1) : first.value;
}
