import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What an agent asks to do, validated at the broker's door. Unknown fields are not errors (agents send
 * extras), but they are stripped and reported: a model-supplied `risk`, `safe` or `sandbox: false` never
 * reaches the decision.
 */
export const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), command: z.string(), cwd: z.string().optional() }),
  z.object({ kind: z.literal('edit'), diff: z.string() }),
  z.object({ kind: z.literal('write'), path: z.string().min(1), content: z.string() }),
  z.object({ kind: z.literal('read'), path: z.string().min(1) }),
  z.object({ kind: z.literal('network'), host: z.string().min(1), port: z.number().int().min(1).max(65535).optional(), command: z.string().optional() }),
]);

export type Action = z.infer<typeof actionSchema>;

export interface ParsedAction {
  action: Action;
  /** Fields the caller sent that play no part in the decision (logged). */
  ignoredFields: string[];
}

const KNOWN = new Set(['kind', 'command', 'cwd', 'diff', 'path', 'content', 'host', 'port']);

export function parseAction(input: unknown): ParsedAction {
  const parsed = actionSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`not a valid action: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const ignoredFields = input && typeof input === 'object' ? Object.keys(input).filter((k) => !KNOWN.has(k)) : [];
  return { action: parsed.data, ignoredFields };
}

/** The identity of exactly what a person saw: any change to the action gives a different hash. */
export function contentHash(action: Action): string {
  const canonical = JSON.stringify(
    action.kind === 'command'
      ? ['command', action.command, action.cwd ?? '']
      : action.kind === 'edit'
        ? ['edit', action.diff]
        : action.kind === 'write'
          ? ['write', action.path, action.content]
          : action.kind === 'read'
            ? ['read', action.path]
            : ['network', action.host, action.port ?? 0, action.command ?? ''],
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'command':
      return action.command;
    case 'edit':
      return `edit (${action.diff.split('\n').filter((l) => l.startsWith('+++ ') || l.startsWith('diff --git')).length || 1} file(s))`;
    case 'write':
      return `write ${action.path}`;
    case 'read':
      return `read ${action.path}`;
    case 'network':
      return `connect to ${action.host}${action.port ? `:${action.port}` : ''}`;
  }
}
