import { z } from 'zod';

/**
 * The three tools every connector offers (VS Code LM tools, MCP, …), with one input schema each. Objects are
 * loose on purpose: extra fields a model adds ("safe": true, "sandbox": false, "risk": "low") are kept so the
 * broker can log them as ignored — they never reach a decision.
 */
export const runInput = z.looseObject({
  command: z.string().min(1).describe('The shell command line to run (sh -c), exactly as you would type it.'),
  cwd: z.string().optional().describe('Working directory, relative to the workspace root (default: the root).'),
});

export const applyEditInput = z
  .looseObject({
    diff: z.string().optional().describe('A unified diff against the workspace (git diff format, paths relative to the root).'),
    path: z.string().optional().describe('With content: a file to create or replace, relative to the workspace root.'),
    content: z.string().optional().describe('With path: the whole new content of the file.'),
  })
  .refine((v) => (v.diff !== undefined) !== (v.path !== undefined && v.content !== undefined) && !(v.diff !== undefined && (v.path !== undefined || v.content !== undefined)), {
    message: 'give either "diff", or "path" with "content", not both and not neither',
  });

export const readInput = z.looseObject({
  path: z.string().min(1).describe('A file or folder inside the workspace, relative to its root.'),
});

export type ToolName = 'airlock_run' | 'airlock_apply_edit' | 'airlock_read';

export interface ToolDefinition {
  name: ToolName;
  title: string;
  description: string;
  schema: z.ZodType<Record<string, unknown>>;
  /** The fields the tool uses; anything else the model sent is reported as ignored. */
  fields: readonly string[];
  readOnly: boolean;
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'airlock_run',
    title: 'Run a command (contained)',
    description:
      'Run a shell command in the workspace inside Airlock\'s sandbox: a hardened container on a copy of the workspace, whose only network access is an allowlisting proxy. Airlock scores the command first; low-risk commands run at once, others wait for a person or are refused with a reason. File changes the command makes reach the workspace only after the same review. Returns the exit code and output.',
    schema: runInput,
    fields: ['command', 'cwd'],
    readOnly: false,
  },
  {
    name: 'airlock_apply_edit',
    title: 'Edit files (reviewed)',
    description: 'Change files in the workspace: either a unified diff ("diff") or a whole file ("path" and "content"). Airlock scores the change (CI files, secrets, tests weakened, …) and applies it now, after a review, or refuses with a reason.',
    schema: applyEditInput,
    fields: ['diff', 'path', 'content'],
    readOnly: false,
  },
  {
    name: 'airlock_read',
    title: 'Read a file',
    description: 'Read a text file (or list a folder) inside the workspace. Secret and credential files, and anything outside the workspace, need a person\'s approval or are refused by policy.',
    schema: readInput,
    fields: ['path'],
    readOnly: true,
  },
];

export function toolNamed(name: string): ToolDefinition | undefined {
  return TOOLS.find((t) => t.name === name);
}
