import { describeCodePoint } from '../risk/command/analyzers/characters';
import type { Decision, Level } from '../risk/types';

export interface Style {
  color: boolean;
}

const CODES = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m', magenta: '\x1b[35m', cyan: '\x1b[36m', inverse: '\x1b[7m' } as const;

export function paint(style: Style, code: keyof typeof CODES, text: string): string {
  return style.color ? `${CODES[code]}${text}${CODES.reset}` : text;
}

export function decisionBadge(style: Style, d: Decision): string {
  const color = d === 'auto' ? 'green' : d === 'batch' ? 'cyan' : d === 'ask' ? 'yellow' : 'red';
  return paint(style, color, d.toUpperCase().padEnd(5));
}

export function levelText(style: Style, l: Level, score: number): string {
  const color = l === 'low' ? 'green' : l === 'medium' ? 'cyan' : l === 'high' ? 'yellow' : 'red';
  return paint(style, color, `${l} ${score}`);
}

/**
 * Makes every invisible or control character visible as ⟨U+XXXX NAME⟩, and newlines/tabs as ⏎/⇥, so what a
 * terminal shows is what the shell gets. Never used to hide: it only adds marks.
 */
export function reveal(text: string, opts: { keepNewlines?: boolean } = {}): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += opts.keepNewlines ? '\n' : '⏎';
    else if (ch === '\t') out += '⇥';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD\u061C\u2028\u2029]/u.test(ch) || (cp >= 0xe0000 && cp <= 0xe007f)) out += `⟨${describeCodePoint(cp)}⟩`;
    else out += ch;
  }
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
