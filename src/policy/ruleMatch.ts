import picomatch from 'picomatch';

/** What rule matching needs of a simple command: its words, statically known or not. */
export interface MatchableCommand {
  argv: { value: string; dynamic: boolean }[];
}

const compiled = new Map<string, (argv: MatchableCommand['argv']) => boolean>();

/** Splits a pattern like `npm run "my script"` into tokens, honouring simple quotes. */
function tokens(pattern: string): string[] {
  const out: string[] = [];
  for (const m of pattern.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/**
 * Argument-aware matching: the pattern's words must match the command's first words one for one (a program
 * given as a path matches by its base name). `*` matches one argument, a final `**` any number; other glob
 * characters match within one argument. A word only known at run time never matches a literal, so a rule can
 * never approve something it could not see.
 */
export function compileRule(pattern: string): (argv: MatchableCommand['argv']) => boolean {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  const parts = normalizeModuleRun(tokens(pattern).map((value) => ({ value, dynamic: false }))).map((w) => w.value);
  const rest = parts.at(-1) === '**';
  const fixed = rest ? parts.slice(0, -1) : parts;
  const matchers = fixed.map((p) => (p === '*' ? () => true : /[*?[\]{}]/.test(p) ? picomatch(p, { dot: true }) : (v: string) => v === p));
  const fn = (raw: MatchableCommand['argv']): boolean => {
    const argv = normalizeModuleRun(raw);
    if (argv.length < fixed.length) return false;
    for (let i = 0; i < fixed.length; i++) {
      const word = argv[i];
      const m = matchers[i];
      if (!word || !m) return false;
      if (word.dynamic) return false;
      const value = i === 0 ? word.value.split('/').pop() ?? word.value : word.value;
      if (!m(value)) return false;
    }
    // Without a trailing `**`, extra arguments are allowed only when they are plain options/values the
    // pattern's author could expect: keep it simple and allow them; patterns are prefixes.
    return true;
  };
  compiled.set(pattern, fn);
  return fn;
}

/** `python -m pip install x` is `pip install x`: a rule about a tool covers it however it is started. */
export function normalizeModuleRun(argv: MatchableCommand['argv']): MatchableCommand['argv'] {
  const prog = argv[0];
  if (prog && !prog.dynamic && /^(python|pypy)(\d+(\.\d+)*)?$/.test(prog.value.split('/').pop() ?? '') && argv[1]?.value === '-m' && argv[2] && !argv[2].dynamic) return argv.slice(2);
  return argv;
}

export function ruleMatches(pattern: string, cmd: MatchableCommand): boolean {
  return cmd.argv.length > 0 && compileRule(pattern)(cmd.argv);
}
