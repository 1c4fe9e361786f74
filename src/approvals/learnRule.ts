import type { Action } from './action';
import type { CommandRule } from '../policy/schema';
import { normalizeModuleRun } from '../policy/ruleMatch';

/**
 * "Always allow this" as an argument-aware rule: the program and its subcommand (`pip install`, `git commit`,
 * `npm run build`), never a bare program. Whatever a rule allows is still judged word by word: `pip install`
 * does not cover `pip install git+https://…` (its own floor asks), nor redirections or other commands on the
 * line. The person sees the exact rule before it is saved (see the broker).
 */
export function proposeRule(action: Action, words: { value: string; dynamic: boolean }[]): CommandRule | { refused: string } {
  if (action.kind !== 'command') return { refused: 'only commands can be allowed by a rule; edits and network requests are judged each time' };
  if (words.length === 0) return { refused: 'the command has no program to match' };
  if (words.some((w) => w.dynamic)) return { refused: 'part of the command is only known at run time, so no rule can match it safely' };
  const kept: string[] = [];
  // `python -m pip install x` is `pip install x` (rule matching normalises the same way).
  const argv = normalizeModuleRun(words);
  for (const [i, w] of argv.entries()) {
    const v = i === 0 ? (w.value.split('/').pop() ?? w.value) : w.value;
    if (i > 0 && (v.startsWith('-') || v.includes('/') || /[*?[\]{}"'\s]/.test(v))) break;
    kept.push(v);
    // Program + subcommand, plus the script name for runners (`npm run build`).
    if (kept.length >= (['run', 'exec', 'x'].includes(kept[1] ?? '') ? 3 : 2)) break;
  }
  // A rule that is only a program name would allow everything that program can do.
  if (kept.length < 2 && argv.length > 1) return { refused: `a rule for all of "${kept[0]}" would be too broad; allow it case by case` };
  return { match: kept.join(' '), decision: 'auto', context: 'sandbox', reason: 'allowed by a person ("always allow this")' };
}
