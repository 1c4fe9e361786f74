import type { Finding } from '../types';
import type { FileDiff } from './parseDiff';
import { addedLines, removedLines } from './parseDiff';
import { fileFinding } from './finding';
import { isDocPath, isTestPath } from './pathRules';

const TEST_CASE = /^\s*(async\s+)?def\s+test_\w*|^\s*(it|test|specify)\s*\(\s*['"`]|^\s*func\s+Test\w*\s*\(|^\s*#\[test\]|^\s*@Test\b|^\s*fn\s+test_\w*|^\s*test\s*\(\s*['"`]|^\s*(it|test)\.(each|concurrent)/;
const SKIP = /\b(it|test|describe|context|suite|specify)\.(skip|todo)\b|\bx(it|describe|test|context)\s*\(|@pytest\.mark\.(skip|skipif|xfail)\b|@unittest\.(skip|skipIf|skipUnless|expectedFailure)\b|\bpytest\.skip\s*\(|\bself\.skipTest\s*\(|#\[ignore\]|@Ignore\b|@Disabled\b|\bt\.Skip(Now|f)?\s*\(|\bskip\s*:\s*true\b|\btest\.failing\b/;
const ASSERTION = /\bassert\w*\b|\bexpect\s*\(|\.should\b|\bshould\.|\bt\.(is|not|deepEqual|notDeepEqual|true|false|throws|throwsAsync|notThrows|equal|same|like|regex|snapshot)\b|\bself\.assert\w+|\bXCTAssert\w*|\brequire\.\w+\s*\(|\bassert_(eq|ne)!\s*\(/;
const TRIVIAL = /\bassert\s+True\b|\bassert\s+1\s*==\s*1\b|expect\s*\(\s*true\s*\)\s*\.to(Be|Equal)\s*\(\s*true\s*\)|\bt\.pass\s*\(|assert\.ok\s*\(\s*true\s*\)|\bassertTrue\s*\(\s*True\s*\)|\.toBeDefined\s*\(\s*\)|\.toBeTruthy\s*\(\s*\)|\|\|\s*true\s*\)?\s*;?\s*$/;
const STRICT = /==|!=|\btoBe\(|\btoEqual\(|\btoStrictEqual\(|assertEqual|assertEquals|assert_eq!|assert_ne!|\bt\.(is|deepEqual|same)\(|deepStrictEqual|strictEqual|assertThat\(.*\bis\(|\.to\.(equal|eql|deep)/;
const WEAK = /is not None|\btoBeDefined\(|\btoBeTruthy\(|\btoBeFalsy\(|assertIsNotNone|assertTrue\(|\bassert\.ok\(|\bt\.truthy\(|\.to\.exist|\.to\.be\.ok|^\s*assert\s+\w+\s*$|\bnot\.toThrow\(/;
/** Test runner configuration that leaves tests out. */
const CONFIG_EXCLUDES = /addopts.*(-k\s*["']?not\b|--deselect|--ignore)|--deselect|testPathIgnorePatterns|modulePathIgnorePatterns|\bexclude\s*:\s*\[|norecursedirs|--ignore-glob|collect_ignore/;
const TEST_CONFIG = /(^|\/)(pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml|conftest\.py|jest\.config\.[cm]?[jt]s|vitest\.config\.[cm]?[jt]s|\.mocharc(\.[a-z]+)?|karma\.conf\.js|package\.json|\.nycrc(\.json)?)$/;
const TEST_DETECTION = /PYTEST_CURRENT_TEST|["']pytest["']\s+in\s+sys\.modules|sys\.modules\.get\(\s*["']pytest|JEST_WORKER_ID|process\.env\.VITEST\b|import\.meta\.vitest|process\.env\.NODE_ENV\s*={2,3}\s*["']test["']|["']test["']\s*={2,3}\s*process\.env\.NODE_ENV|\btesting\.Testing\(\)|flag\.Lookup\(\s*"test\.v"\)|Rails\.env\.test\?|isRunningUnderTest|IS_TESTING|__UNDER_TEST__/;
const CODE = /\.(m?[jt]sx?|cjs|py|rb|go|rs|java|kt|php|cs|swift|c|cc|cpp|h)$/;

/** Assertion text with literals blanked: equal skeletons with different literals mean an expectation changed. */
function skeleton(line: string): string {
  return line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, 'S').replace(/\b\d+(\.\d+)?\b/g, 'N').replace(/\s+/g, ' ').trim();
}

export function testTamperingFindings(files: FileDiff[]): Finding[] {
  const out: Finding[] = [];
  const codeTouched = files.some((f) => CODE.test(f.path) && !isTestPath(f.path) && !isDocPath(f.path));
  for (const f of files) {
    if (TEST_CONFIG.test(f.path)) for (const l of addedLines(f)) if (CONFIG_EXCLUDES.test(l.text)) out.push(fileFinding('test-skipped', `test configuration leaves tests out: ${l.text.trim().slice(0, 80)}`, f, l));
    const test = isTestPath(f.path);
    if (!test) {
      if (CODE.test(f.path)) for (const l of addedLines(f)) if (TEST_DETECTION.test(l.text)) out.push(fileFinding('test-detection', 'production code checks whether it runs under a test', f, l));
      continue;
    }
    // Removing a feature removes its tests: with code changes in the same diff that is reviewed in a batch;
    // tests removed while no code changes is the tampering pattern and asks.
    const removal = codeTouched ? 'test-removed-with-code' : 'test-deleted';
    if (f.status === 'deleted') {
      out.push(fileFinding(removal, `deletes the test file ${f.path}`, f));
      continue;
    }
    const added = addedLines(f);
    const removed = removedLines(f);
    const removedCases = removed.filter((l) => TEST_CASE.test(l.text));
    const addedCases = added.filter((l) => TEST_CASE.test(l.text));
    if (removedCases.length > addedCases.length) {
      out.push(fileFinding(removal, `removes ${removedCases.length - addedCases.length} test case(s)`, f, removedCases[0]));
    }
    const newSide = f.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'del'));
    for (const l of added) {
      if (!SKIP.test(l.text)) continue;
      // A skip under a runtime condition (short mode, platform, missing service) is ordinary; reviewed in a batch.
      const before = newSide[newSide.indexOf(l) - 1];
      const conditional = before && /^\s*if\b.*(testing\.Short\(\)|Getenv|GOOS|runtime\.|platform|sys\.platform|os\.name|CI\b|shutil\.which|importlib|find_spec)/.test(before.text);
      out.push(fileFinding(conditional ? 'test-skipped-conditional' : 'test-skipped', `skips tests${conditional ? ' under a condition' : ''}: ${l.text.trim().slice(0, 80)}`, f, l));
    }
    const strictRemoved = removed.filter((l) => STRICT.test(l.text)).length;
    const strictAdded = added.filter((l) => STRICT.test(l.text)).length;
    const weakAdded = added.filter((l) => WEAK.test(l.text) && !STRICT.test(l.text));
    if (strictRemoved > strictAdded && weakAdded.length > 0) out.push(fileFinding('test-assertion-removed', `replaces exact assertions with weaker ones: ${weakAdded[0]?.text.trim().slice(0, 80)}`, f, weakAdded[0]));
    for (const l of added) if (TRIVIAL.test(l.text) && ASSERTION.test(l.text)) out.push(fileFinding('test-assertion-removed', `an assertion that cannot fail: ${l.text.trim().slice(0, 80)}`, f, l));
    const removedAsserts = removed.filter((l) => ASSERTION.test(l.text));
    const addedAsserts = added.filter((l) => ASSERTION.test(l.text));
    // Net loss of assertions with no new test cases to account for it.
    if (removedAsserts.length > addedAsserts.length + 2 && removedAsserts.length >= 2 * Math.max(1, addedAsserts.length) && removedCases.length === 0) {
      out.push(fileFinding('test-assertion-removed', `removes ${removedAsserts.length - addedAsserts.length} assertion(s)`, f, removedAsserts[0]));
    }
    if (!codeTouched) {
      const before = new Map(removedAsserts.map((l) => [skeleton(l.text), l.text.trim()]));
      const changed = addedAsserts.find((l) => before.has(skeleton(l.text)) && before.get(skeleton(l.text)) !== l.text.trim());
      if (changed) out.push(fileFinding('test-expectation-changed', `changes an expected value while no code under test changes: ${changed.text.trim().slice(0, 80)}`, f, changed));
    }
  }
  return out;
}
