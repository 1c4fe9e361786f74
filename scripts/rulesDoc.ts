// Renders docs/rules.md from the rule catalog, so the documented ids and weights cannot drift from the code.
// `npm run docs` writes it; test/docs.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { RULES } from '../src/risk/rules';
import { levelOfScore } from '../src/risk/types';

export function renderRulesDoc(): string {
  const lines = [
    '# Rule ids',
    '',
    'Every reason Airlock gives names one of these ids. Use them in `ruleLevels` in a policy file to raise (or, in a',
    'team policy, lower) a rule\'s level. **Floor** is the least decision the rule allows anywhere: no policy rule,',
    'threshold or context goes below it. Scores map to levels as low 0–24, medium 25–49, high 50–79, critical 80–100,',
    'and, with the default thresholds, to auto / batch / ask / deny.',
    '',
    'Generated from `src/risk/rules.ts` by `npm run docs`.',
    '',
    '| rule | category | sandbox score | host score | floor | meaning |',
    '|---|---|---|---|---|---|',
  ];
  for (const [id, s] of Object.entries(RULES)) {
    lines.push(`| \`${id}\` | ${s.category} | ${s.score} (${levelOfScore(s.score)}) | ${s.hostScore ?? s.score} | ${s.floor ?? '—'} | ${s.summary.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  writeFileSync('docs/rules.md', renderRulesDoc());
  console.log('wrote docs/rules.md');
}
