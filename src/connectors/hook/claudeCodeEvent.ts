import { z } from 'zod';

/** Claude Code's PreToolUse hook input (JSON on stdin). Unknown fields are allowed: Claude Code adds them over time. */
export const preToolUseSchema = z.looseObject({
  hook_event_name: z.literal('PreToolUse'),
  session_id: z.string().optional(),
  cwd: z.string().optional(),
  tool_name: z.string().min(1),
  tool_input: z.record(z.string(), z.unknown()),
  tool_use_id: z.string().optional(),
});
export type PreToolUse = z.infer<typeof preToolUseSchema>;

export const bashInput = z.looseObject({ command: z.string() });
export const writeInput = z.looseObject({ file_path: z.string().min(1), content: z.string() });
const oneEdit = z.looseObject({ old_string: z.string(), new_string: z.string(), replace_all: z.boolean().optional() });
export const editInput = oneEdit.extend({ file_path: z.string().min(1) });
export const multiEditInput = z.looseObject({ file_path: z.string().min(1), edits: z.array(oneEdit).min(1) });
export const notebookEditInput = z.looseObject({ notebook_path: z.string().min(1), new_source: z.string().optional() });
export const readInput = z.looseObject({ file_path: z.string().min(1) });
export const searchInput = z.looseObject({ path: z.string().optional(), pattern: z.string().optional() });
export const webFetchInput = z.looseObject({ url: z.string().min(1) });

/** The documented decision output (exit code 0, JSON on stdout). */
export interface HookDecision {
  hookSpecificOutput: {
    hookEventName: 'PreToolUse';
    permissionDecision: 'allow' | 'deny' | 'ask';
    permissionDecisionReason: string;
    updatedInput?: Record<string, unknown>;
  };
}
