// The heavy half of the extension — the assessor (shell parser, rules), policy loading, the broker and the
// sandbox, the review model — bundled apart (dist/engine.js) and loaded on first use, so activation stays cheap.
export { Assessor } from './assessor';
export { loadEffectivePolicy } from './policy/layering';
export { PolicyError } from './policy/load';
export { openContainedSession } from './cli/containedSession';
export { buildViewModel } from './ui/reviewModel';
export { readWorkspaceText } from './broker/workspaceEdits';
