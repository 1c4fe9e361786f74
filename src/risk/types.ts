/** Shared vocabulary of the risk layer. Pure data: no I/O, no vscode, no sandbox. */

export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export const DECISIONS = ['auto', 'batch', 'ask', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

export const CONTEXTS = ['sandbox', 'host'] as const;
export type Context = (typeof CONTEXTS)[number];

/** Half-open [start, end) offsets into the assessed text, in UTF-16 code units (JS string indices). */
export type Span = [number, number];

/** One thing an analyzer noticed. Its weight comes from the rule catalog, never from the caller. */
export interface Finding {
  rule: string;
  message: string;
  span?: Span;
  /** Index of the simple command it belongs to; undefined for whole-input findings (e.g. parse errors). */
  commandIndex?: number;
  /** File the finding refers to (diff findings). */
  file?: string;
  /** 1-based line in the new file (added/context lines) or the old file (removed lines). */
  line?: number;
  side?: 'old' | 'new';
}

export interface Reason {
  rule: string;
  message: string;
  span?: Span;
  level: Level;
  score: number;
  file?: string;
  line?: number;
  side?: 'old' | 'new';
}

export interface Assessment {
  score: number;
  level: Level;
  decision: Decision;
  reasons: Reason[];
  /** Policy notes that explain the decision (rules that matched, rules ignored because they loosen). */
  policyNotes: string[];
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function decisionRank(decision: Decision): number {
  return DECISIONS.indexOf(decision);
}

export function maxDecision(a: Decision, b: Decision): Decision {
  return decisionRank(a) >= decisionRank(b) ? a : b;
}

export function maxLevel(a: Level, b: Level): Level {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/** Score bands: a level owns a fixed range so scores and levels never disagree. */
export const LEVEL_BANDS: Record<Level, [number, number]> = {
  low: [0, 24],
  medium: [25, 49],
  high: [50, 79],
  critical: [80, 100],
};

export function levelOfScore(score: number): Level {
  for (const level of LEVELS) {
    const [, hi] = LEVEL_BANDS[level];
    if (score <= hi) return level;
  }
  return 'critical';
}
