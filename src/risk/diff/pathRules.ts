import picomatch from 'picomatch';
import type { DiffRuleId } from './rules';
import type { CommandRuleId } from '../rules';

interface PathRule {
  rule: DiffRuleId | CommandRuleId;
  globs: string[];
  what: string;
}

/** Paths whose change matters whatever the content; globs match the workspace-relative path. */
export const PATH_RULES: PathRule[] = [
  { rule: 'policy-tamper', what: "Airlock's own policy", globs: ['.airlock', '.airlock/**'] },
  { rule: 'codeowners-change', what: 'code ownership', globs: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] },
  { rule: 'ci-config', what: 'CI configuration', globs: ['.github/workflows/**', '.github/actions/**', '.gitlab-ci.yml', '.gitlab/**/*.yml', '.circleci/**', 'azure-pipelines.yml', '.azure-pipelines/**', 'Jenkinsfile', '**/Jenkinsfile', '.travis.yml', 'bitbucket-pipelines.yml', '.buildkite/**', '.drone.yml', 'appveyor.yml', '.woodpecker/**', '.woodpecker.yml', 'cloudbuild.yaml', 'cloudbuild.yml', '.github/dependabot.yml', '.github/renovate.json', 'renovate.json'] },
  { rule: 'devcontainer-config', what: 'the dev container / image definition', globs: ['.devcontainer/**', '.devcontainer.json', '**/Dockerfile', '**/Dockerfile.*', '**/*.dockerfile', '**/Containerfile', '**/docker-compose*.y?(a)ml', '**/compose.y?(a)ml', '**/compose.*.y?(a)ml'] },
  { rule: 'git-internals', what: 'git internals or hooks', globs: ['.git/**', '.husky/**', '.githooks/**', '.pre-commit-config.yaml', 'lefthook.y?(a)ml', '.lefthook.y?(a)ml', '.simple-git-hooks.json', '.git-hooks/**'] },
  { rule: 'package-manager-config', what: 'package manager configuration', globs: ['**/.npmrc', '**/.yarnrc', '**/.yarnrc.yml', '**/.pypirc', '**/pip.conf', '**/.pip/**', '**/bunfig.toml', '**/.cargo/config', '**/.cargo/config.toml', '**/nuget.config', '**/.gemrc', '**/.condarc'] },
  { rule: 'shell-startup', what: 'shell start-up files', globs: ['**/.bashrc', '**/.bash_profile', '**/.profile', '**/.zshrc', '**/.zshenv', '**/.zprofile', '**/.envrc', '**/.config/fish/**'] },
  { rule: 'install-script', what: 'install-time code', globs: ['**/setup.py', '**/build.rs', '**/binding.gyp', '**/*.gemspec', '**/extconf.rb', '**/install.sh', '**/postinstall.*', '**/preinstall.*'] },
  { rule: 'secret-file', what: 'a secrets file', globs: ['**/.env', '**/.env.!(example|sample|template|dist|defaults)', '**/*.pem', '**/*.key', '**/id_rsa*', '**/id_ed25519*', '**/credentials.json', '**/*.p12', '**/*.pfx', '**/.netrc', '**/.git-credentials', '**/*.tfstate'] },
];

const compiled = PATH_RULES.map((r) => ({ ...r, test: picomatch(r.globs, { dot: true }) }));

export function pathRulesFor(path: string, extraProtected: readonly string[] = []): PathRule[] {
  const hits: PathRule[] = compiled.filter((r) => r.test(path));
  if (extraProtected.length > 0 && picomatch([...extraProtected], { dot: true })(path)) hits.push({ rule: 'write-protected', what: 'a path the policy protects', globs: [...extraProtected] });
  return hits;
}

const TEST_PATH = picomatch(['**/test/**', '**/tests/**', '**/__tests__/**', '**/spec/**', '**/specs/**', '**/testing/**', '**/*_test.*', '**/test_*.*', '**/*.test.*', '**/*.spec.*', '**/*Test.java', '**/*Tests.java', '**/*Test.kt', '**/*_spec.rb', '**/conftest.py', 'test/**', 'tests/**', 'spec/**', 'test.*', '**/test-d/**', '**/*.test-d.ts'], { dot: true, ignore: ['**/fixtures/**', '**/__fixtures__/**', '**/testdata/**'] });

export function isTestPath(path: string): boolean {
  return TEST_PATH(path);
}

const DOC_PATH = /\.(md|mdx|rst|txt|adoc)$|^docs?\//i;
export function isDocPath(path: string): boolean {
  return DOC_PATH.test(path);
}
