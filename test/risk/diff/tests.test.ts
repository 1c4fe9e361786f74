import { diffTable, makeDiff } from '../../helpers/diffs';

diffTable('test tampering', [
  ['deleting a test file with no code change asks', makeDiff({ path: 'tests/test_parser.py', del: ['def test_parse():', '    assert parse("1") == 1'], status: 'deleted' }), 'ask', 'test-deleted'],
  ['deleting tests together with the code they test is batched', makeDiff({ path: 'tests/test_legacy.py', del: ['def test_legacy():', '    assert legacy() == 1'], status: 'deleted' }, { path: 'src/legacy.py', del: ['def legacy():', '    return 1'], status: 'deleted' }), 'batch', 'test-removed-with-code'],
  ['removing test cases asks', makeDiff({ path: 'test/math.test.js', ctx: ['import { add } from "../src/math";'], del: ['test("adds", () => {', '  expect(add(1, 2)).toBe(3);', '});'] }), 'ask', 'test-deleted'],
  ['adding a test is fine', makeDiff({ path: 'test/math.test.js', ctx: ['import { add } from "../src/math";'], add: ['test("adds negatives", () => {', '  expect(add(-1, -2)).toBe(-3);', '});'] }), 'auto'],
  ['it.skip asks', makeDiff({ path: 'test/api.test.ts', ctx: ['describe("api", () => {'], add: ['  it.skip("handles errors", async () => {'], del: ['  it("handles errors", async () => {'] }), 'ask', 'test-skipped'],
  ['xit asks', makeDiff({ path: 'spec/user_spec.js', ctx: ['describe("user", function () {'], add: ['  xit("validates", function () {'], del: ['  it("validates", function () {'] }), 'ask', 'test-skipped'],
  ['@pytest.mark.skip asks', makeDiff({ path: 'tests/test_io.py', ctx: ['import pytest'], add: ['@pytest.mark.skip(reason="flaky")'] }), 'ask', 'test-skipped'],
  ['#[ignore] asks', makeDiff({ path: 'tests/integration.rs', ctx: ['#[test]'], add: ['#[ignore]'] }), 'ask', 'test-skipped'],
  ['t.Skip asks', makeDiff({ path: 'pkg/server_test.go', ctx: ['func TestServe(t *testing.T) {'], add: ['\tt.Skip("later")'] }), 'ask', 'test-skipped'],
  ['a test named "skip" is fine', makeDiff({ path: 'test/skip.test.js', ctx: ['import { skipWhitespace } from "../src/lexer";'], add: ['test("skipWhitespace skips spaces", () => {', '  expect(skipWhitespace("  a")).toBe("a");', '});'] }), 'auto'],
  ['changing an expected value with no code change asks', makeDiff({ path: 'tests/test_price.py', ctx: ['def test_total():'], del: ['    assert total([1, 2]) == 3'], add: ['    assert total([1, 2]) == 4'] }), 'ask', 'test-expectation-changed'],
  ['changing an expected value together with the code is fine', makeDiff({ path: 'tests/test_price.py', ctx: ['def test_total():'], del: ['    assert total([1, 2]) == 3'], add: ['    assert total([1, 2]) == 4'] }, { path: 'src/price.py', ctx: ['def total(xs):'], del: ['    return sum(xs)'], add: ['    return sum(xs) + 1'] }), 'auto'],
  ['removing assertions asks', makeDiff({ path: 'test/user.test.ts', ctx: ['test("user", () => {'], del: ['  expect(u.name).toBe("a");', '  expect(u.age).toBe(3);', '  expect(u.email).toContain("@");', '  expect(u.active).toBe(true);'] }), 'ask', 'test-assertion-removed'],
  ['an assertion that cannot fail asks', makeDiff({ path: 'tests/test_auth.py', ctx: ['def test_login():'], del: ['    assert login("a", "b") is not None'], add: ['    assert True'] }), 'ask', 'test-assertion-removed'],
  ['production code detecting tests asks', makeDiff({ path: 'src/payment.py', ctx: ['def charge(amount):'], add: ['    if "PYTEST_CURRENT_TEST" in os.environ:', '        return True'] }), 'ask', 'test-detection'],
  ['a test helper reading the same variable is fine', makeDiff({ path: 'tests/conftest.py', ctx: ['import os'], add: ['NAME = os.environ.get("PYTEST_CURRENT_TEST")'] }), 'auto'],
]);

diffTable('diff size and shape', [
  ['mass deletion asks', makeDiff({ path: 'src/big.js', del: Array.from({ length: 900 }, (_, i) => `const v${i} = ${i};`), ctx: ['// keep'] }), 'ask', 'mass-deletion'],
  ['a minified bundle asks', makeDiff({ path: 'public/app.min.js', add: ['!function(){var a=1;}();'], status: 'added' }), 'ask', 'generated-blob'],
  ['a 5000-character line asks', makeDiff({ path: 'src/data.js', add: ['export const d = "' + 'x'.repeat(5000) + '";'], ctx: ['// data'] }), 'ask', 'generated-blob'],
  ['a binary change asks', 'diff --git a/logo.png b/logo.png\nindex 1111111..2222222 100644\nBinary files a/logo.png and b/logo.png differ\n', 'ask', 'binary-change'],
  ['an ordinary bug fix with its test is auto', makeDiff({ path: 'src/math.js', ctx: ['export function add(a, b) {'], del: ['  return a - b;'], add: ['  return a + b;'] }, { path: 'test/math.test.js', ctx: ['import { add } from "../src/math";'], add: ['test("adds", () => expect(add(1, 2)).toBe(3));'] }), 'auto'],
  ['a rename is auto', 'diff --git a/src/old.ts b/src/new.ts\nsimilarity index 100%\nrename from src/old.ts\nrename to src/new.ts\n', 'auto'],
  ['a new module is auto', makeDiff({ path: 'src/util/slug.ts', add: ['export const slug = (s: string) => s.toLowerCase().replace(/\\s+/g, "-");'], status: 'added' }), 'auto'],
  ['a docs change is auto', makeDiff({ path: 'README.md', ctx: ['# Project'], add: ['Run `npm test` to test.'] }), 'auto'],
  ['a CSS change is auto', makeDiff({ path: 'styles/main.css', ctx: ['body {'], add: ['  margin: 0;'] }), 'auto'],
  ['making a script executable is batched', 'diff --git a/scripts/run.sh b/scripts/run.sh\nold mode 100644\nnew mode 100755\n', 'batch', 'executable-added'],
  ['an edit outside the workspace asks', makeDiff({ path: '../other/file.js', add: ['x'], ctx: ['y'] }), 'ask', 'write-outside-workspace'],
]);

diffTable('diff size and shape: near misses', [
  ['a small deletion is fine', makeDiff({ path: 'src/old.js', del: Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`), ctx: ['// keep'] }), 'auto'],
  ['a long but reviewable line is fine', makeDiff({ path: 'src/data.js', add: ['export const d = "' + 'x'.repeat(300) + '";'], ctx: ['// data'] }), 'auto'],
  ['replacing an assertion with an equivalent one is fine', makeDiff({ path: 'test/user.test.ts', ctx: ['test("user", () => {'], del: ['  expect(u.name).toEqual("a");'], add: ['  expect(u.name).toBe("a");'] }, { path: 'src/user.ts', ctx: ['export class User {'], add: ['  // note'] }), 'auto'],
  ['a new file that is not executable is fine', makeDiff({ path: 'scripts/run.sh', add: ['echo hi'], status: 'added' }), 'auto'],
]);
