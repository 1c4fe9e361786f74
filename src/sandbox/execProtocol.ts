import { z } from 'zod';

/**
 * Frames on the exec channel, one JSON object a line. The host sends requests; the agent inside the sandbox
 * answers. Everything from the sandbox is untrusted (a command may have tampered with what it can reach),
 * so the host parses every frame with these schemas and caps their size.
 */
export const MAX_FRAME_BYTES = 1 << 20;

export type HostFrame =
  | { t: 'run'; id: number; cmd: string; cwd: string; env: Record<string, string>; timeoutMs: number; maxOutput: number; stdin?: string }
  | { t: 'stdin'; id: number; data: string }
  | { t: 'stdin-end'; id: number }
  | { t: 'signal'; id: number; signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL' }
  | { t: 'probe'; id: number; kind: 'tcp' | 'dns' | 'http'; host: string; port?: number; path?: string; timeoutMs: number };

export const agentFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), pid: z.number().int(), uid: z.number().int(), node: z.string().max(64) }),
  z.object({ t: z.literal('out'), id: z.number().int(), fd: z.union([z.literal(1), z.literal(2)]), data: z.string().max(MAX_FRAME_BYTES) }),
  z.object({
    t: z.literal('exit'),
    id: z.number().int(),
    code: z.number().int().nullable(),
    signal: z.string().max(16).nullable(),
    timedOut: z.boolean(),
    truncated: z.boolean(),
    durationMs: z.number(),
  }),
  z.object({ t: z.literal('probe'), id: z.number().int(), ok: z.boolean(), detail: z.string().max(4096) }),
  z.object({ t: z.literal('error'), id: z.number().int().nullable(), message: z.string().max(4096) }),
]);

export type AgentFrame = z.infer<typeof agentFrameSchema>;
