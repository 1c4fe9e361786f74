import { registerRules, type RuleSpec } from '../rules';

/** Reasons specific to proposed edits. Command rules (download-exec, reverse-shell, …) are reused for code in diffs. */
export const DIFF_RULES = {
  'diff-parse-error': { score: 60, floor: 'ask', category: 'diff', summary: 'The diff could not be parsed exactly; Airlock does not judge what it cannot read.' },
  'diff-too-large': { score: 60, floor: 'ask', category: 'diff', summary: 'The diff is larger than Airlock reads; a person reviews it.' },
  'ci-config': { score: 40, hostScore: 45, category: 'persistence', summary: 'Changes CI or automation configuration (workflows, pipelines, CODEOWNERS): reviewed.' },
  'ci-config-risky': { score: 65, floor: 'ask', category: 'persistence', summary: 'A CI change that widens what runs or what it can reach: new run steps that download, secrets, write permissions, pull_request_target, self-hosted runners, unpinned third-party actions.' },
  'codeowners-change': { score: 60, floor: 'ask', category: 'persistence', summary: 'Changes who must review code (CODEOWNERS).' },
  'devcontainer-config': { score: 65, floor: 'ask', category: 'sandbox-escape', summary: 'Changes the dev-environment or container definition (.devcontainer, Dockerfile, compose): it takes effect on the next rebuild, sandbox included.' },
  'editor-automation': { score: 65, floor: 'ask', category: 'persistence', summary: 'Changes editor automation: tasks, launch configurations, or settings that run programs or change interpreters and environment.' },
  'editor-autorun': { score: 80, floor: 'ask', category: 'persistence', summary: 'A task that runs by itself when the folder is opened (runOn: folderOpen).' },
  'git-internals': { score: 75, floor: 'ask', category: 'persistence', summary: 'Changes git internals or hook managers (.git/, .husky, pre-commit, .githooks): code that runs on git operations.' },
  'gitattributes-filter': { score: 65, floor: 'ask', category: 'persistence', summary: '.gitattributes assigns a filter/diff/merge driver, which runs a program on checkout or diff.' },
  'gitmodules-url': { score: 55, floor: 'ask', category: 'packages', summary: 'Adds or changes a submodule URL.' },
  'package-manager-config': { score: 60, floor: 'ask', category: 'packages', summary: 'Changes package manager configuration (.npmrc, .yarnrc, pip.conf, .pypirc): registries, tokens, scripts.' },
  'lockfile-url': { score: 60, floor: 'ask', category: 'packages', summary: 'A lockfile resolves a package from a host other than the registry.' },
  'install-script': { score: 65, floor: 'ask', category: 'packages', summary: 'Adds or changes code that runs at install or build time (package.json lifecycle scripts, setup.py, build.rs, binding.gyp).' },
  'dependency-change': { score: 30, hostScore: 40, category: 'packages', summary: 'Adds or changes dependencies from the registry.' },
  'dependency-url': { score: 60, floor: 'ask', category: 'packages', summary: 'A new dependency comes from a URL, git repository or local path instead of the registry.' },
  'build-script-change': { score: 30, hostScore: 40, category: 'packages', summary: 'Changes build or task scripts (package.json scripts, Makefile).' },
  'shell-startup': { score: 75, floor: 'ask', category: 'persistence', summary: 'Changes a shell start-up file or .envrc, which runs in every new shell.' },
  'secret-added': { score: 78, floor: 'ask', category: 'read', summary: 'Adds what looks like a credential (known key format or a high-entropy secret assignment).' },
  'secret-file': { score: 70, floor: 'ask', category: 'read', summary: 'Adds or changes a file that normally holds secrets (.env, keys, credentials).' },
  'encoded-code': { score: 78, floor: 'ask', category: 'evasion', summary: 'Runs code decoded from an encoded string (eval(Buffer.from(…,\'base64\')), exec(base64.b64decode(…))).' },
  'tls-disabled': { score: 55, floor: 'ask', category: 'network', summary: 'Turns off TLS certificate verification.' },
  'test-deleted': { score: 55, floor: 'ask', category: 'diff', summary: 'Deletes a test file or test cases.' },
  'test-removed-with-code': { score: 35, hostScore: 45, category: 'diff', summary: 'Removes tests in a change that also changes code: reviewed in a batch (deleting tests with no code change asks).' },
  'test-skipped': { score: 55, floor: 'ask', category: 'diff', summary: 'Skips or disables tests (.skip, xit, @pytest.mark.skip, #[ignore], @Disabled, t.Skip).' },
  'test-skipped-conditional': { score: 30, hostScore: 40, category: 'diff', summary: 'Skips a test under a runtime condition (short mode, platform, missing tool): reviewed in a batch.' },
  'test-expectation-changed': { score: 55, floor: 'ask', category: 'diff', summary: 'Changes expected values in tests while the code under test is untouched.' },
  'test-assertion-removed': { score: 55, floor: 'ask', category: 'diff', summary: 'Removes or loosens assertions.' },
  'test-detection': { score: 65, floor: 'ask', category: 'evasion', summary: 'Production code checks whether it runs under a test.' },
  'mass-deletion': { score: 55, floor: 'ask', category: 'delete', summary: 'Deletes a large amount of code.' },
  'generated-blob': { score: 50, floor: 'ask', category: 'diff', summary: 'Adds minified or generated content that cannot be reviewed line by line.' },
  'binary-change': { score: 50, floor: 'ask', category: 'diff', summary: 'Changes a binary file, which cannot be reviewed as text.' },
  'executable-added': { score: 30, hostScore: 45, category: 'execute', summary: 'Makes a file executable.' },
} as const satisfies Record<string, RuleSpec>;

export type DiffRuleId = keyof typeof DIFF_RULES;

registerRules(DIFF_RULES);
