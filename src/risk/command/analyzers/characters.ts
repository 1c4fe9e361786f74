import type { Finding } from '../../types';

/**
 * Characters that make text display differently from what the shell receives. Each run of them becomes
 * one finding whose message names every code point, so a reviewer sees them even where a UI would not.
 */
const DECEPTIVE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E\u2028\u2029\u{E0000}-\u{E007F}\u001B\u0000-\u0008\u000B\u000C\u000E-\u001A\u001C-\u001F\u007F\u0080-\u009F]|\r(?!\n)/gu;

const NAMES: Record<number, string> = {
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING', 0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE', 0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK',
  0x061c: 'ARABIC LETTER MARK', 0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER', 0x2060: 'WORD JOINER', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN', 0x1b: 'ESCAPE (ANSI sequence)', 0x0d: 'CARRIAGE RETURN', 0x7f: 'DELETE', 0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR', 0x08: 'BACKSPACE', 0x00: 'NUL',
};

export function describeCodePoint(cp: number): string {
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[cp] ?? (cp >= 0xe0000 && cp <= 0xe007f ? 'TAG CHARACTER' : cp < 0x20 || (cp >= 0x80 && cp < 0xa0) ? 'CONTROL CHARACTER' : 'INVISIBLE CHARACTER');
  return `${hex} ${name}`;
}

export function deceptiveCharacterFindings(text: string): Finding[] {
  const out: Finding[] = [];
  let current: { start: number; end: number; names: Set<string> } | undefined;
  for (const m of text.matchAll(DECEPTIVE)) {
    const at = m.index ?? 0;
    const cp = m[0].codePointAt(0) ?? 0;
    if (current && at === current.end) {
      current.end = at + m[0].length;
      current.names.add(describeCodePoint(cp));
      continue;
    }
    if (current) out.push(toFinding(current));
    current = { start: at, end: at + m[0].length, names: new Set([describeCodePoint(cp)]) };
  }
  if (current) out.push(toFinding(current));
  return out;
}

function toFinding(run: { start: number; end: number; names: Set<string> }): Finding {
  return { rule: 'deceptive-characters', message: `hidden characters at offset ${run.start}: ${[...run.names].join(', ')}`, span: [run.start, run.end] };
}

/** Letters outside ASCII in a program name: Cyrillic "е" in "gіt" looks like Latin but runs something else. */
export function hasConfusableLetters(name: string): boolean {
  return /[^\x00-\x7F]/.test(name) && /\p{L}/u.test(name.replace(/[\x00-\x7F]/g, ''));
}
