import { parseArgs } from 'node:util';
import { Assessor, type CommandAssessment, type DiffAssessment } from '../assessor';
import { loadEffectivePolicy } from '../policy/layering';
import type { Context, Reason } from '../risk/types';
import { CONTEXTS } from '../risk/types';
import { parseAssessLine, readLines } from './jsonlInput';
import { UsageError } from './usageError';

/** The contract's reason shape: rule, message, span (and file/line for diffs). Nothing else leaks out. */
function contractReason(r: Reason): Record<string, unknown> {
  return { rule: r.rule, message: r.message, ...(r.span ? { span: r.span } : {}), ...(r.file !== undefined ? { file: r.file } : {}), ...(r.line !== undefined ? { line: r.line } : {}) };
}

export function contractResult(a: CommandAssessment | DiffAssessment): Record<string, unknown> {
  return { score: a.score, level: a.level, decision: a.decision, reasons: a.reasons.map(contractReason) };
}

export interface AssessOptions {
  context: Context;
  policy?: string;
  workspace: string;
}

export function parseAssessArgs(argv: string[]): AssessOptions & { jsonl: boolean; positional: string[]; diff?: string; git: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      jsonl: { type: 'boolean', default: false },
      context: { type: 'string', default: 'sandbox' },
      policy: { type: 'string' },
      workspace: { type: 'string' },
      diff: { type: 'string' },
      git: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!(CONTEXTS as readonly string[]).includes(values.context ?? '')) throw new UsageError(`--context must be one of ${CONTEXTS.join(', ')}, got "${values.context}"`);
  return {
    jsonl: values.jsonl ?? false,
    context: values.context as Context,
    ...(values.policy ? { policy: values.policy } : {}),
    workspace: values.workspace ?? process.cwd(),
    positional: positionals,
    ...(values.diff !== undefined ? { diff: values.diff } : {}),
    git: values.git ?? false,
  };
}

export async function createAssessorFor(options: AssessOptions): Promise<Assessor> {
  const policy = loadEffectivePolicy({ workspace: options.workspace, ...(options.policy ? { policyFile: options.policy } : {}) });
  for (const note of policy.ignored) process.stderr.write(`airlock: policy: ${note}\n`);
  return Assessor.create({ policy, workspace: options.workspace });
}

/** `airlock assess --jsonl`: one JSON object per input line, same order, errors inline, never stops early. */
export async function runAssessJsonl(options: AssessOptions, input: AsyncIterable<Buffer | string>, write: (s: string) => void): Promise<number> {
  const assessor = await createAssessorFor(options);
  for await (const item of readLines(input)) {
    if ('error' in item) {
      write(JSON.stringify({ error: item.error }) + '\n');
      continue;
    }
    if (item.line.trim() === '') {
      write(JSON.stringify({ error: 'empty line: expected {"command": "..."} or {"diff": "..."}' }) + '\n');
      continue;
    }
    const parsed = parseAssessLine(item.line);
    if ('error' in parsed) {
      write(JSON.stringify({ error: parsed.error }) + '\n');
      continue;
    }
    try {
      if ('diff' in parsed) {
        write(JSON.stringify(contractResult(assessor.assessDiff(parsed.diff, { context: options.context }))) + '\n');
        continue;
      }
      const result = assessor.assessCommand(parsed.command, { context: options.context, ...(parsed.cwd ? { cwd: parsed.cwd } : {}) });
      write(JSON.stringify(contractResult(result)) + '\n');
    } catch (err) {
      // One bad line must not take the others down; the error says what failed.
      write(JSON.stringify({ error: `assessment failed: ${(err as Error).message}` }) + '\n');
    }
  }
  return 0;
}
