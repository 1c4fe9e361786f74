import { describeAction, type Action } from '../approvals/action';
import { revealSegments } from './revealSegments';

/** A one-line title with every invisible or direction-changing character shown as a mark (titles are read first). */
export function titleOf(action: Action): string {
  const raw = action.kind === 'command' ? (action.command.split('\n')[0] ?? '') : describeAction(action);
  return revealSegments(raw)
    .map((s) => s.text)
    .join('');
}
