import type { Node } from 'web-tree-sitter';
import { DYNAMIC, type Word } from './model';

/** Variables whose value Airlock knows for classification purposes, written symbolically. */
const KNOWN_VARIABLES: Record<string, string> = {
  HOME: '~',
  TMPDIR: '/tmp',
  TMP: '/tmp',
  TEMP: '/tmp',
};

export interface WordScope {
  /** Static values of variables assigned earlier in the same script. */
  variables: Map<string, string>;
  cwd: string | undefined;
}

const ANSI_C_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
};

function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs, (_m, esc: string) => {
    const head = esc[0];
    if (head === 'x' || head === 'u' || head === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    if (head === 'c') return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
    return ANSI_C_ESCAPES[esc] ?? `\\${esc}`;
  });
}

/** Unquoted word text: a backslash escapes the next character; a leading ~ means home. */
function unescapeBare(text: string): string {
  return text.replace(/\\(\n|.)/gs, (_m, ch: string) => (ch === '\n' ? '' : ch));
}

/** Inside double quotes only \$ \` \" \\ and \newline are escapes. */
function unescapeDouble(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_m, ch: string) => (ch === '\n' ? '' : ch));
}

function variableValue(name: string, scope: WordScope): string | undefined {
  if (scope.variables.has(name)) return scope.variables.get(name);
  if (name === 'PWD' && scope.cwd) return scope.cwd;
  return KNOWN_VARIABLES[name];
}

interface Piece {
  value: string;
  dynamic: boolean;
  substitution: boolean;
}

function evaluate(node: Node, scope: WordScope): Piece {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'variable_name':
    case 'test_operator':
    case 'regex':
    case 'extglob_pattern':
    case 'file_descriptor': {
      return { value: unescapeBare(node.text), dynamic: false, substitution: false };
    }
    case 'raw_string':
      return { value: node.text.slice(1, -1), dynamic: false, substitution: false };
    case 'ansi_c_string':
      return { value: decodeAnsiC(node.text.slice(2, -1)), dynamic: false, substitution: false };
    case 'string':
    case 'translated_string': {
      const inner = node.type === 'translated_string' ? node.namedChildren[0] : node;
      if (!inner) return { value: '', dynamic: false, substitution: false };
      // Text between the quotes that is not a child node is literal too (tree-sitter leaves some gaps).
      let value = '';
      let dynamic = false;
      let cursor = inner.startIndex + 1;
      const end = inner.endIndex - 1;
      for (const child of inner.namedChildren) {
        if (!child) continue;
        if (child.startIndex > cursor) value += unescapeDouble(textBetween(inner, cursor, child.startIndex));
        if (child.type === 'string_content') {
          value += unescapeDouble(child.text);
        } else {
          const p = evaluate(child, scope);
          value += p.value;
          dynamic ||= p.dynamic;
        }
        cursor = child.endIndex;
      }
      if (end > cursor) value += unescapeDouble(textBetween(inner, cursor, end));
      return { value, dynamic, substitution: false };
    }
    case 'simple_expansion':
    case 'expansion': {
      const nameNode = node.namedChildren.find((c) => c?.type === 'variable_name');
      const plain = nameNode && (node.type === 'simple_expansion' || node.text === `\${${nameNode.text}}`);
      if (plain && nameNode) {
        const known = variableValue(nameNode.text, scope);
        if (known !== undefined) return { value: known, dynamic: known.includes(DYNAMIC), substitution: false };
      }
      return { value: DYNAMIC, dynamic: true, substitution: false };
    }
    case 'concatenation': {
      let value = '';
      let dynamic = false;
      let substitution = true;
      for (const child of node.children) {
        if (!child) continue;
        const p = evaluate(child, scope);
        value += p.value;
        dynamic ||= p.dynamic;
        substitution &&= p.substitution;
      }
      return { value, dynamic, substitution };
    }
    case 'command_substitution': {
      // `$(echo rm)` is as static as the words it echoes: resolve it so the program is seen.
      const inner = node.namedChildren.filter((c) => c !== null);
      const only = inner.length === 1 ? inner[0] : undefined;
      if (only?.type === 'command') {
        const parts = only.namedChildren.filter((c) => c !== null);
        const name = parts[0]?.type === 'command_name' ? parts[0].text : '';
        const rest = parts.slice(1);
        if ((name === 'echo' || name === 'printf') && rest.every((p) => ['word', 'raw_string', 'string', 'number'].includes(p.type))) {
          const pieces = rest.map((p) => evaluate(p, scope));
          if (!pieces.some((p) => p.dynamic) && !pieces.some((p) => p.value.startsWith('-'))) return { value: pieces.map((p) => p.value).join(' '), dynamic: false, substitution: false };
        }
      }
      return { value: DYNAMIC, dynamic: true, substitution: true };
    }
    case 'process_substitution':
    case 'arithmetic_expansion':
      return { value: DYNAMIC, dynamic: true, substitution: node.type !== 'arithmetic_expansion' };
    case 'brace_expression':
      return { value: DYNAMIC, dynamic: true, substitution: false };
    default:
      // Anything the grammar adds later is treated as unknown rather than guessed at.
      return { value: node.childCount === 0 ? unescapeBare(node.text) : DYNAMIC, dynamic: node.childCount !== 0, substitution: false };
  }
}

function textBetween(node: Node, from: number, to: number): string {
  const base = node.startIndex;
  return node.text.slice(from - base, to - base);
}

export function wordOf(node: Node, scope: WordScope): Word {
  const piece = evaluate(node, scope);
  let value = piece.value;
  // Tilde expansion applies to an unquoted leading ~ only.
  if (node.type === 'word' || node.type === 'concatenation') {
    const raw = node.text;
    if (raw === '~' || raw.startsWith('~/')) value = '~' + value.slice(1);
  }
  return {
    text: node.text,
    value,
    dynamic: piece.dynamic,
    span: [node.startIndex, node.endIndex],
    ...(piece.substitution && piece.dynamic ? { substitutionOnly: true } : {}),
    ...(node.type === 'process_substitution' ? { processSubstitution: true } : {}),
  };
}

/** A word made from text the parser skipped (see extract.ts: recovered arguments). */
export function literalWord(text: string, start: number): Word {
  return { text, value: unescapeBare(text), dynamic: false, span: [start, start + text.length] };
}
