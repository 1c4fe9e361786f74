import { z } from 'zod';

/** Everything the review panel shows, sent from the extension; the webview validates it before rendering. */
const segment = z.object({ text: z.string(), invisible: z.string().optional(), rules: z.array(z.string()).optional() });
const reason = z.object({ rule: z.string(), message: z.string(), level: z.string(), file: z.string().optional(), line: z.number().optional() });
const diffLine = z.object({ kind: z.enum(['add', 'del', 'ctx', 'hunk', 'note']), oldLine: z.number().optional(), newLine: z.number().optional(), segments: z.array(segment), findings: z.array(reason) });
const diffFile = z.object({ path: z.string(), status: z.string(), binary: z.boolean(), lines: z.array(diffLine), findings: z.array(reason), canOpen: z.boolean() });
const actionView = z.object({
  id: z.string(),
  kind: z.enum(['command', 'edit', 'write', 'read', 'network']),
  title: z.string(),
  level: z.string(),
  score: z.number(),
  decision: z.string(),
  reasons: z.array(reason),
  agent: z.string().optional(),
  connector: z.string().optional(),
  command: z.object({ segments: z.array(segment), cwd: z.string(), env: z.array(z.string()), sandbox: z.array(z.string()) }).optional(),
  files: z.array(diffFile).optional(),
});
export const reviewViewModelSchema = z.object({
  trusted: z.boolean(),
  sandbox: z.object({ state: z.string(), detail: z.string() }),
  reviews: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['ask', 'batch']),
      title: z.string(),
      groups: z.array(z.object({ title: z.string(), count: z.number() })),
      items: z.array(actionView),
      waitingSince: z.number(),
    }),
  ),
  recent: z.array(z.object({ title: z.string(), decision: z.string(), outcome: z.string(), by: z.string().optional(), at: z.number(), level: z.string(), score: z.number() })),
});
export type ReviewViewModel = z.infer<typeof reviewViewModelSchema>;
export type ActionView = z.infer<typeof actionView>;
export type DiffFileView = z.infer<typeof diffFile>;

export const toWebviewSchema = z.object({ type: z.literal('model'), model: reviewViewModelSchema });
export type ToWebview = z.infer<typeof toWebviewSchema>;

/** What the webview may ask for. Anything else is dropped and logged: the webview is not trusted to invent actions. */
export const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('approve'), reviewId: z.string().max(100) }),
  z.object({ type: z.literal('reject'), reviewId: z.string().max(100) }),
  z.object({ type: z.literal('openDiff'), reviewId: z.string().max(100), itemId: z.string().max(100), path: z.string().max(4096) }),
  z.object({ type: z.literal('openPolicy') }),
  z.object({ type: z.literal('manageTrust') }),
]);
export type FromWebview = z.infer<typeof fromWebviewSchema>;
