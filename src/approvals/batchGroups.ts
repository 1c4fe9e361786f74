import type { QueueItem } from './queue';

export interface BatchGroup {
  key: string;
  title: string;
  itemIds: string[];
}

/** Plain-language names for what a batch holds, by the rule that put each item there. */
const TITLES: Record<string, [singular: string, plural: string]> = {
  'package-install': ['dependency install from the registry', 'dependency installs from the registry'],
  'package-runner': ['package run from the registry', 'package runs from the registry'],
  'system-package-install': ['system package change', 'system package changes'],
  'package-remove': ['package removal', 'package removals'],
  'delete-build-output': ['deletion of build output', 'deletions of build output'],
  'delete-workspace-file': ['file deletion in the workspace', 'file deletions in the workspace'],
  'delete-unknown': ['deletion of a computed path', 'deletions of computed paths'],
  'git-commit': ['commit', 'commits'],
  'git-fetch': ['fetch from a remote', 'fetches from remotes'],
  'dependency-change': ['dependency change', 'dependency changes'],
  'ci-config': ['CI workflow change', 'CI workflow changes'],
  'build-script-change': ['build script change', 'build script changes'],
  'test-removed-with-code': ['test removal with its code', 'test removals with their code'],
  'executable-added': ['file made executable', 'files made executable'],
  'network-request': ['request to a new domain', 'requests to new domains'],
  'inline-code-shell': ['script running computed commands', 'scripts running computed commands'],
  'write-unknown': ['write to a computed path', 'writes to computed paths'],
  'tool-config': ['tool configuration change', 'tool configuration changes'],
  'env-dump': ['environment listing', 'environment listings'],
};

function groupKey(item: QueueItem): string {
  const top = item.assessment.reasons.find((r) => r.level === item.assessment.level) ?? item.assessment.reasons[0];
  return top?.rule ?? 'other';
}

/** Groups a batch by kind and effect: "3 dependency installs from the registry", "delete 4 build-output folders". */
export function groupBatch(items: QueueItem[]): BatchGroup[] {
  const groups = new Map<string, QueueItem[]>();
  for (const i of items) groups.set(groupKey(i), [...(groups.get(groupKey(i)) ?? []), i]);
  return [...groups].map(([key, members]) => {
    const [one, many] = TITLES[key] ?? [key.replace(/-/g, ' '), `${key.replace(/-/g, ' ')} actions`];
    return { key, title: `${members.length} ${members.length === 1 ? one : many}`, itemIds: members.map((m) => m.id) };
  });
}
