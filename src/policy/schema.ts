import { z } from 'zod';
import { CONTEXTS, DECISIONS, LEVELS } from '../risk/types';

/**
 * The single source of truth for `.airlock/policy.json`: TypeScript types are inferred from it, the JSON
 * Schema shipped for editor validation is generated from it at build time, and load errors come from it.
 * Every object is strict: a misspelt key is an error, never silently ignored (a typo must not loosen).
 */

const decision = z.enum(DECISIONS);
const level = z.enum(LEVELS);

const domainPattern = z
  .string()
  .regex(/^(\*\*?\.|\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/i, 'a domain such as "pypi.org", "*.example.com" (subdomains) or "**.example.com" (domain and subdomains)')
  .describe('Domain pattern: `example.com` (that host), `*.example.com` (subdomains), `**.example.com` (both).');

export const commandRuleSchema = z
  .object({
    match: z
      .string()
      .min(1)
      .describe('Program and leading arguments, matched argument by argument: "git show", "npm run test", "pytest **". `*` is one argument, `**` (last) any remaining; other globs match within one argument. Redirections and other commands on the same line are judged on their own.'),
    decision: decision.describe('What to do with commands this matches. Never lowers a decision below a rule\'s floor (secrets, push, publish, exfiltration, sandbox escape…).'),
    context: z.enum([...CONTEXTS, 'any']).default('any').describe('Where the rule applies.'),
    reason: z.string().optional().describe('Shown to the person and the agent when the rule decides.'),
  })
  .strict();

const thresholdsSchema = z
  .object({
    auto: z.number().int().min(0).max(100).describe('Highest score decided `auto`.'),
    batch: z.number().int().min(0).max(100).describe('Highest score decided `batch`.'),
    ask: z.number().int().min(0).max(100).describe('Highest score decided `ask`; above it, `deny`.'),
  })
  .strict()
  .refine((t) => t.auto <= t.batch && t.batch <= t.ask, { message: 'thresholds must satisfy auto <= batch <= ask' });

export const policySchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Policy format version. Always 1 for now.'),
    rules: z.array(commandRuleSchema).default([]).describe('Argument-aware command rules.'),
    ruleLevels: z
      .record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a rule id in kebab-case, e.g. "package-install"'), level)
      .default({})
      .describe('Override the level of a reason by its rule id (see docs/rules.md). A workspace policy may only raise levels.'),
    network: z
      .object({
        allow: z.array(domainPattern).default([]).describe('Domains reachable without asking, added to the defaults.'),
        deny: z.array(domainPattern).default([]).describe('Domains never reachable. Deny wins over allow.'),
        lockAllowlist: z.boolean().default(false).describe('Team policy only: ignore allow entries from workspace policies.'),
      })
      .strict()
      .default({ allow: [], deny: [], lockAllowlist: false }),
    thresholds: z
      .object({ sandbox: thresholdsSchema.optional(), host: thresholdsSchema.optional() })
      .strict()
      .default({})
      .describe('Score cut-offs per context. A workspace policy may only lower them (stricter).'),
    protectedPaths: z.array(z.string().min(1)).default([]).describe('Extra workspace globs whose changes always need review.'),
    secretPaths: z.array(z.string().min(1)).default([]).describe('Extra globs treated as secrets.'),
    sandbox: z
      .object({
        backend: z.enum(['devcontainer', 'bubblewrap']).optional().describe('Containment backend. There is no backend that runs on the host.'),
        mode: z.enum(['staged', 'direct']).optional().describe('staged: the sandbox works on a copy and changes come back through review; direct: the workspace is mounted read-write (faster, less safe).'),
        capabilities: z.array(z.string().regex(/^[A-Z_]+$/)).optional().describe('Linux capabilities to add back (all are dropped by default).'),
        memoryMb: z.number().int().min(64).optional(),
        cpus: z.number().positive().optional(),
        pids: z.number().int().min(16).optional(),
        forwardSshAgent: z.boolean().optional().describe('Forward the SSH agent into the sandbox (off by default).'),
      })
      .strict()
      .default({}),
    batch: z
      .object({
        windowMs: z.number().int().min(0).max(600_000).describe('How long batchable actions collect before review.'),
        maxSize: z.number().int().min(1).max(1000).describe('Largest batch shown at once.'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PolicyInput = z.input<typeof policySchema>;
export type Policy = z.output<typeof policySchema>;
export type CommandRule = z.output<typeof commandRuleSchema>;
export type Thresholds = { auto: number; batch: number; ask: number };

/** JSON Schema for editors (package.json `jsonValidation`), generated from the zod schema. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Airlock policy (.airlock/policy.json)' };
}
