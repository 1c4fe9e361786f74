import type { Action } from './action';

/**
 * A whole-file write as a diff the diff rules can judge: the old content removed and the new added (so
 * removed tests and assertions are seen), or a new file when there was none.
 */
export function wholeFileDiff(path: string, content: string, before?: string): string {
  const split = (t: string) => {
    const l = t.split('\n');
    if (l.at(-1) === '') l.pop();
    return l;
  };
  const added = split(content);
  const removed = before === undefined ? [] : split(before);
  const header = before === undefined ? `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n` : `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n`;
  if (added.length === 0 && removed.length === 0) return header;
  const body = [...removed.map((l) => '-' + l), ...added.map((l) => '+' + l)].join('\n');
  return `${header}@@ -${removed.length ? 1 : 0},${removed.length} +${added.length ? 1 : 0},${added.length} @@\n${body}\n`;
}

/** The diff an edit or a whole-file write proposes (judged and shown the same way); undefined for other actions. */
export function proposedDiff(action: Action, readFile: (path: string) => string | undefined): string | undefined {
  if (action.kind === 'edit') return action.diff;
  if (action.kind === 'write') return wholeFileDiff(action.path, action.content, readFile(action.path));
  return undefined;
}
