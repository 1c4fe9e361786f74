import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { policySchema, type Policy } from './schema';

/** A policy file that cannot be used, with where and why, in the `file:line:col: path: message` form editors link. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; column: number; path: string; message: string }[],
  ) {
    super(
      `Airlock policy ${file} is invalid and was not used:\n` +
        problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.path || '(root)'}: ${p.message}`).join('\n') +
        `\nFix the file (the schema is in dist/policy.schema.json) or remove it to use the defaults.`,
    );
    this.name = 'PolicyError';
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue, actual: unknown): string {
  const got = actual === undefined ? 'nothing' : JSON.stringify(actual)?.slice(0, 60);
  switch (issue.code) {
    case 'invalid_value':
      return `${actual === undefined ? 'missing; ' : ''}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${actual === undefined ? '' : `, got ${got}`}`;
    case 'invalid_type':
      return `expected ${issue.expected}, got ${actual === undefined ? 'nothing (the key is required)' : Array.isArray(actual) ? 'array' : actual === null ? 'null' : typeof actual}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (misspelt? unknown keys are refused so a typo cannot loosen the policy)`;
    default:
      return `${issue.message}${actual !== undefined && typeof actual !== 'object' ? `, got ${got}` : ''}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Parses and validates policy text. JSON with comments and trailing commas is accepted. */
export function parsePolicy(text: string, file: string): Policy {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    throw new PolicyError(
      file,
      (errors.length ? errors : [{ error: 0, offset: 0, length: 0 }]).slice(0, 5).map((e) => ({ ...lineColumn(text, e.offset), path: '', message: errors.length ? `JSON syntax: ${printParseErrorCode(e.error)}` : 'the file is empty' })),
    );
  }
  const value: unknown = nodeValue(tree);
  const result = policySchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 20).map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    let node: JsonNode | undefined = findNodeAtLocation(tree, path);
    if (issue.code === 'unrecognized_keys' && node?.type === 'object') {
      const prop = node.children?.find((c) => c.children?.[0]?.value === issue.keys[0]);
      node = prop ?? node;
    }
    // A missing key is reported at its parent object.
    for (let cut = path.length; !node && cut > 0; cut--) node = findNodeAtLocation(tree, path.slice(0, cut - 1));
    const position = lineColumn(text, node?.offset ?? 0);
    return { ...position, path: jsonPath(path), message: describeIssue(issue, valueAt(value, path)) };
  });
  throw new PolicyError(file, problems);
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

export function loadPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PolicyError(file, [{ line: 1, column: 1, path: '', message: `cannot read the file (${code ?? String(err)})` }]);
  }
  if (text.includes('\uFFFD')) {
    throw new PolicyError(file, [{ ...lineColumn(text, text.indexOf('\uFFFD')), path: '', message: 'the file is not valid UTF-8' }]);
  }
  return parsePolicy(text.replace(/^\uFEFF/, ''), file);
}
