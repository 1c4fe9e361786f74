import { z } from 'zod';

/** One line of `airlock assess --jsonl` input. Anything else gets an `error` line of its own. */
export const assessLineSchema = z.union([
  z.object({ command: z.string(), cwd: z.string().optional() }).strict(),
  z.object({ diff: z.string(), cwd: z.string().optional() }).strict(),
]);
export type AssessLine = z.infer<typeof assessLineSchema>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a byte stream into lines and decodes each strictly: a line that is not valid UTF-8 is reported
 * as such instead of being "repaired" into something other than what the agent sent.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<{ line: string } | { error: string }> {
  let pending = Buffer.alloc(0);
  const decode = (bytes: Buffer): { line: string } | { error: string } => {
    try {
      return { line: utf8.decode(bytes).replace(/\r$/, '') };
    } catch {
      return { error: 'the line is not valid UTF-8; re-encode it as UTF-8 (JSON escapes such as \\u00e9 are fine)' };
    }
  };
  for await (const chunk of input) {
    pending = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    let nl = pending.indexOf(10);
    while (nl >= 0) {
      yield decode(pending.subarray(0, nl));
      pending = pending.subarray(nl + 1);
      nl = pending.indexOf(10);
    }
  }
  if (pending.length > 0) yield decode(pending);
}

export function parseAssessLine(line: string): AssessLine | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  const parsed = assessLineSchema.safeParse(value);
  if (!parsed.success) {
    return { error: 'expected {"command": "..."} or {"diff": "..."} with an optional "cwd" and no other keys' };
  }
  return parsed.data;
}
