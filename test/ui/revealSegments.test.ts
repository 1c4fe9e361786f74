import { test } from 'node:test';
import assert from 'node:assert/strict';
import { revealSegments } from '../../src/ui/revealSegments';

const shown = (t: string) => revealSegments(t).map((s) => s.text).join('');
const marks = (t: string) => revealSegments(t).filter((s) => s.invisible).map((s) => s.invisible);

// Every character a person cannot see is marked, never dropped; ordinary text is untouched.
const cases: [string, string, (string | undefined)[]][] = [
  ['plain', 'ls -la', []],
  ['right-to-left override', 'echo \u202Egnp.exe', ['RIGHT-TO-LEFT OVERRIDE']],
  ['bidi isolates', 'a\u2066b\u2069', ['LEFT-TO-RIGHT ISOLATE', 'POP DIRECTIONAL ISOLATE']],
  ['zero-width space', 'rm\u200B -rf', ['ZERO WIDTH SPACE']],
  ['ANSI escape', 'echo \u001b[2Kclean', ['ESCAPE (ANSI)']],
  ['bare carriage return', 'safe\rrm -rf ~', ['CARRIAGE RETURN']],
  ['CRLF is a line end', 'a\r\nb', []],
  ['leading tab is indentation', '\tmake', []],
  ['tab after text is odd', 'curl\tx', ['TAB']],
  ['BOM and soft hyphen', '\uFEFFcurl\u00ADsh', ['ZERO WIDTH NO-BREAK SPACE', 'SOFT HYPHEN']],
  ['tag characters', 'x\u{E0041}', ['INVISIBLE U+E0041']],
  ['C1 control', 'a\u0085b', ['CONTROL U+0085']],
];
for (const [name, input, expected] of cases) {
  test(`reveal: ${name}`, () => {
    assert.deepEqual(marks(input), expected);
    if (expected.length === 0) assert.equal(shown(input), input);
    else assert.notEqual(shown(input), input);
  });
}

test('reveal: spans carry their rule ids, in UTF-16 offsets, across marks', () => {
  const segs = revealSegments('echo \u202Eabc && git push', [{ start: 13, end: 21, rule: 'git-push' }]);
  assert.equal(segs.filter((s) => s.rules?.includes('git-push')).map((s) => s.text).join(''), 'git push');
  assert.equal(segs.map((s) => s.text).join(''), 'echo ⟨RIGHT-TO-LEFT OVERRIDE⟩abc && git push');
});
