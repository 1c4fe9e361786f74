/** One run of text in a preview: plain, or a character made visible (with what it is), with the rules pointing at it. */
export interface Segment {
  text: string;
  invisible?: string;
  rules?: string[];
}

const NAMES: Record<number, string> = {
  0x09: 'TAB', 0x0d: 'CARRIAGE RETURN', 0x1b: 'ESCAPE (ANSI)', 0x7f: 'DELETE', 0xad: 'SOFT HYPHEN', 0x061c: 'ARABIC LETTER MARK', 0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER', 0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR', 0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x2060: 'WORD JOINER', 0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** Characters a person cannot see, or that change how the rest looks: each gets a visible mark. */
function invisibleName(cp: number, ch: string, atLineStart: boolean, next: string | undefined): string | undefined {
  if (ch === '\n') return undefined;
  if (ch === '\t') return atLineStart ? undefined : 'TAB';
  if (ch === '\r' && next === '\n') return undefined;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) return NAMES[cp] ?? `CONTROL U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (NAMES[cp]) return NAMES[cp];
  if ((cp >= 0x2061 && cp <= 0x2064) || (cp >= 0xe0000 && cp <= 0xe007f)) return `INVISIBLE U+${cp.toString(16).toUpperCase()}`;
  return undefined;
}

/**
 * Splits text for display: invisible and deceptive characters become marked segments (never dropped), and
 * the spans that reasons point at carry their rule ids. Spans are UTF-16 offsets, as the assessor reports them.
 */
export function revealSegments(text: string, spans: { start: number; end: number; rule: string }[] = []): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let lineStart = true;
  const rulesAt = (at: number) => spans.filter((s) => at >= s.start && at < s.end).map((s) => s.rule);
  const push = (seg: Segment) => {
    const last = out[out.length - 1];
    if (last && !last.invisible && !seg.invisible && (last.rules ?? []).join() === (seg.rules ?? []).join()) last.text += seg.text;
    else out.push(seg);
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const rules = rulesAt(i);
    const name = invisibleName(cp, ch, lineStart, text[i + ch.length]);
    const seg: Segment = name ? { text: ch === '\t' ? '⇥' : `⟨${name}⟩`, invisible: name } : { text: ch };
    if (rules.length) seg.rules = [...new Set(rules)];
    push(seg);
    lineStart = ch === '\n' || (lineStart && (ch === '\t' || ch === ' '));
    i += ch.length;
  }
  return out;
}
