import type { Finding } from '../types';
import type { DiffLine, FileDiff } from './parseDiff';
import { addedLines } from './parseDiff';
import { fileFinding } from './finding';
import { shellFindings, type CommandJudge } from './contentRules';
import { classifyHost, hostOf, type NetworkRules } from '../shared/network';

const LIFECYCLE = new Set(['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'prepublishOnly', 'prepack', 'postpack', 'preuninstall', 'uninstall', 'postuninstall', 'dependencies', 'preprepare', 'postprepare']);
const DEP_SECTIONS = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'bundledDependencies', 'bundleDependencies', 'overrides', 'resolutions', 'pnpm']);
const TOP_LEVEL_FIELDS = new Set(['name', 'version', 'description', 'main', 'module', 'types', 'typings', 'license', 'type', 'homepage', 'author', 'packageManager', 'private', 'sideEffects', 'browser', 'engines', 'node', 'npm', 'yarn', 'pnpm']);
const URL_SPEC = /^(git\+|git:|github:|gitlab:|bitbucket:|https?:|file:|link:|ssh:)|^[\w.-]+\/[\w.-]+(#.*)?$/;

/** For each new-side line of a JSON hunk, the chain of object keys it sits in, as far as the hunk shows. */
function jsonSections(file: FileDiff): Map<DiffLine, string[]> {
  const out = new Map<DiffLine, string[]>();
  for (const h of file.hunks) {
    const stack: string[] = [];
    for (const l of h.lines) {
      if (l.kind === 'del') continue;
      out.set(l, [...stack]);
      const open = /^\s*"([^"]+)"\s*:\s*[{[]\s*$/.exec(l.text);
      if (open?.[1]) stack.push(open[1]);
      else if (/^\s*[}\]],?\s*$/.test(l.text)) stack.pop();
    }
  }
  return out;
}

function packageJson(file: FileDiff, judge: CommandJudge): Finding[] {
  const out: Finding[] = [];
  const sections = jsonSections(file);
  let deps = false;
  for (const l of addedLines(file)) {
    const kv = /^\s*"([^"]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(l.text);
    if (!kv?.[1]) continue;
    const [key, value = ''] = [kv[1], kv[2]];
    const section = sections.get(l)?.at(-1);
    if (section === 'scripts' || (section === undefined && LIFECYCLE.has(key))) {
      const command = value.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      if (LIFECYCLE.has(key)) out.push(fileFinding('install-script', `adds or changes the "${key}" script, which runs on install: ${command.slice(0, 80)}`, file, l));
      else out.push(fileFinding('build-script-change', `changes the "${key}" script`, file, l));
      out.push(...shellFindings(command, file, l, judge, `script "${key}"`));
    } else if ((section && DEP_SECTIONS.has(section)) || (section === undefined && !TOP_LEVEL_FIELDS.has(key) && /^[\^~<>=*]|^\d|^latest$|^workspace:/.test(value))) {
      if (URL_SPEC.test(value) && !/^workspace:|^npm:/.test(value)) out.push(fileFinding('dependency-url', `dependency ${key} comes from ${value}, not the registry`, file, l));
      else deps = true;
    }
  }
  if (deps) out.push(fileFinding('dependency-change', 'changes dependencies from the registry', file));
  return out;
}

function requirementsLike(file: FileDiff): Finding[] {
  const out: Finding[] = [];
  let deps = false;
  for (const l of addedLines(file)) {
    const t = l.text.trim();
    if (!t || t.startsWith('#')) continue;
    if (/=>\s*(\.\.?\/|\/)|(^|\s)(git\+|hg\+|svn\+|https?:\/\/)|^-e\s|^--?(index-url|extra-index-url|trusted-host|find-links|f)\b|@\s*(git\+|https?:|file:)|\bgit\s*=\s*["']|\bpath\s*=\s*["']|\b(git|github|path):\s*["']/.test(t)) {
      out.push(fileFinding('dependency-url', `dependency from a URL, repository or local path: ${t.slice(0, 100)}`, file, l));
    } else if (/^[A-Za-z0-9_.-]+(\[.*\])?\s*(==|>=|~=|<=|!=|<|>|@|$|\s*=\s*["'{])|^gem\s+['"]|^require\s|^\s*[\w.-]+\/[\w.-]+\s+v\d/.test(t)) deps = true;
  }
  if (deps) out.push(fileFinding('dependency-change', 'changes dependencies', file));
  return out;
}

function lockfile(file: FileDiff, network: NetworkRules): Finding[] {
  const out: Finding[] = [];
  const hosts = new Set<string>();
  for (const l of addedLines(file)) {
    for (const m of l.text.matchAll(/\b(?:resolved|url|source|tarball|registry)["']?\s*[:=]\s*["']?(?:git\+)?([a-z]+:\/\/[^"'\s,]+)/gi)) {
      const host = m[1] ? hostOf(m[1]) : undefined;
      if (!host || hosts.has(host)) continue;
      const kind = classifyHost(host, network).kind;
      if (kind !== 'allowlisted' && !/^(registry\.npmjs\.org|registry\.yarnpkg\.com|pypi\.org|files\.pythonhosted\.org|github\.com|codeload\.github\.com|static\.crates\.io|index\.crates\.io|rubygems\.org)$/.test(host)) {
        hosts.add(host);
        out.push(fileFinding('lockfile-url', `resolves a package from ${host}`, file, l));
      }
    }
  }
  if (addedLines(file).length > 0 || file.status === 'deleted') out.push(fileFinding('dependency-change', 'changes the lockfile', file));
  return out;
}

const BUILTIN_DIFF_DRIVERS = /^(ada|bash|bibtex|cpp|csharp|css|dts|elixir|fortran|fountain|golang|html|java|kotlin|markdown|matlab|objc|pascal|perl|php|python|ruby|rust|scheme|tex)$/;

function gitattributes(file: FileDiff): Finding[] {
  const out: Finding[] = [];
  for (const l of addedLines(file)) {
    for (const m of l.text.matchAll(/\b(filter|diff|merge|textconv)=([\w.-]+)/g)) {
      const [, kind, driver = ''] = m;
      if (driver === 'lfs') continue; // git-lfs's own drivers
      if (kind === 'diff' && BUILTIN_DIFF_DRIVERS.test(driver)) continue;
      if (kind === 'merge' && /^(binary|union|text)$/.test(driver)) continue;
      out.push(fileFinding('gitattributes-filter', `${kind}=${driver} runs a configured program on checkout, diff or merge`, file, l));
    }
  }
  return out;
}

function gitmodules(file: FileDiff): Finding[] {
  return addedLines(file)
    .filter((l) => /^\s*url\s*=/.test(l.text))
    .map((l) => fileFinding('gitmodules-url', `submodule URL ${l.text.trim().replace(/^url\s*=\s*/, '')}`, file, l));
}

const RISKY_SETTING = /"(terminal\.integrated\.[^"]*|[^"]*\.(path|paths|executable|executablePath|command|commands|args|env|environment|shell|shellArgs|serverPath|binary|runtime|interpreter)|[^"]*(Path|Command|Executable|Interpreter)|python\.defaultInterpreterPath|git\.[^"]*|npm\.[^"]*|remote\.[^"]*|security\.[^"]*|task\.[^"]*|files\.associations|extensions\.[^"]*|go\.alternateTools|http\.proxy[^"]*)"\s*:/;

function vscodeFile(file: FileDiff): Finding[] {
  const out: Finding[] = [];
  const name = file.path.split('/').pop();
  for (const l of addedLines(file)) {
    if (/"runOn"\s*:\s*"folderOpen"/.test(l.text)) out.push(fileFinding('editor-autorun', 'a task that runs as soon as the folder is opened', file, l));
    else if (name === 'settings.json' && RISKY_SETTING.test(l.text)) out.push(fileFinding('editor-automation', `setting ${l.text.trim().slice(0, 80)} changes what programs the editor runs or with what environment`, file, l));
  }
  if ((name === 'tasks.json' || name === 'launch.json') && out.length === 0 && (addedLines(file).length > 0 || file.status === 'added')) {
    out.push(fileFinding('editor-automation', `changes ${file.path}, which defines programs the editor runs`, file));
  }
  return out;
}

/** A `uses:` line's action and ref, to tell a new third-party action from a version bump. */
function actionRef(text: string): { action: string; ref: string } | undefined {
  const m = /uses:\s*["']?([\w.-]+\/[\w./-]+)@([\w.-]+)/.exec(text);
  return m?.[1] && m[2] ? { action: m[1], ref: m[2] } : undefined;
}

function ciWorkflow(file: FileDiff, judge: CommandJudge): Finding[] {
  // The path rule already names the workflow file (ci-config); here only what the change adds.
  const out: Finding[] = [];
  const removedActions = new Set(file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'del').map((l) => actionRef(l.text)?.action).filter((a): a is string => !!a)));
  for (const h of file.hunks) {
    let runIndent = -1;
    for (const l of h.lines) {
      if (l.kind === 'del') continue;
      const indent = l.text.length - l.text.trimStart().length;
      const runBlock = /^\s*-?\s*run:\s*[|>][-+]?\s*$/.test(l.text);
      if (runBlock) {
        runIndent = indent;
        continue;
      }
      const inRun = runIndent >= 0 && indent > runIndent && l.text.trim() !== '';
      if (!inRun && l.text.trim() !== '') runIndent = -1;
      if (l.kind !== 'add') continue;
      const t = l.text;
      const single = /^\s*-?\s*run:\s*(.+)$/.exec(t);
      const command = single?.[1] && !/^[|>]/.test(single[1]) ? single[1] : inRun ? t.trim() : undefined;
      if (command) {
        out.push(...shellFindings(command, file, l, judge, `${file.path} run step`));
        if (/\$\{\{\s*github\.(event\.(issue|pull_request|comment|review|head_commit|commits)|head_ref)/.test(command)) out.push(fileFinding('ci-config-risky', 'a run step expands untrusted event text (script injection)', file, l));
      }
      if (/\bpull_request_target\b|\bworkflow_run\b/.test(t)) out.push(fileFinding('ci-config-risky', `${t.trim()}: runs with repository secrets on events from forks`, file, l));
      if (/\bsecrets\.[A-Za-z_]/.test(t) && !/secrets\.GITHUB_TOKEN/.test(t)) out.push(fileFinding('ci-config-risky', `uses a repository secret: ${t.trim().slice(0, 80)}`, file, l));
      if (/permissions:\s*write-all|^\s*(contents|packages|id-token|actions|deployments|pull-requests|issues|checks|statuses|security-events|pages):\s*write/.test(t)) out.push(fileFinding('ci-config-risky', `grants write permission: ${t.trim()}`, file, l));
      if (/runs-on:.*self-hosted/.test(t)) out.push(fileFinding('ci-config-risky', 'runs on a self-hosted runner', file, l));
      if (/ACTIONS_ALLOW_UNSECURE_COMMANDS|::set-env|::add-path/.test(t)) out.push(fileFinding('ci-config-risky', 'enables deprecated unsafe workflow commands', file, l));
      const ref = actionRef(t);
      if (ref && !/^(actions|github)\//.test(ref.action) && !removedActions.has(ref.action) && !/^[0-9a-f]{40}$/.test(ref.ref)) {
        out.push(fileFinding('ci-config-risky', `adds the third-party action ${ref.action}@${ref.ref}, not pinned to a commit`, file, l));
      }
    }
  }
  return out;
}

function shellFile(file: FileDiff, judge: CommandJudge, select: (l: DiffLine) => string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const l of addedLines(file)) {
    const command = select(l);
    if (command && command.trim() && !command.trim().startsWith('#')) out.push(...shellFindings(command, file, l, judge, file.path));
  }
  return out;
}

/** Findings that depend on what kind of file this is (manifests, lockfiles, CI, editor config, scripts). */
export function manifestFindings(file: FileDiff, judge: CommandJudge, network: NetworkRules): Finding[] {
  const p = file.path;
  const name = p.split('/').pop() ?? p;
  if (name === 'package.json') return packageJson(file, judge);
  if (/^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Cargo\.lock|Gemfile\.lock|composer\.lock|go\.sum|Pipfile\.lock|uv\.lock|bun\.lockb?)$/.test(name)) return lockfile(file, network);
  if (/^(requirements.*\.txt|constraints.*\.txt|pyproject\.toml|setup\.cfg|Pipfile|Cargo\.toml|Gemfile|go\.mod|composer\.json|environment\.ya?ml)$/.test(name)) return requirementsLike(file);
  if (name === '.gitattributes') return gitattributes(file);
  if (name === '.gitmodules') return gitmodules(file);
  if (p.startsWith('.vscode/')) return vscodeFile(file);
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(p) || /(^|\/)\.gitlab-ci\.yml$/.test(p)) return ciWorkflow(file, judge);
  if (/\.(sh|bash|zsh|ksh)$/.test(name) || p.startsWith('.husky/') || p.startsWith('.githooks/') || p.startsWith('.git/hooks/')) return shellFile(file, judge, (l) => l.text);
  if (/^(GNU)?[Mm]akefile$|\.mk$/.test(name)) return [...shellFile(file, judge, (l) => (l.text.startsWith('\t') ? l.text.trim().replace(/^[@-]+/, '') : undefined)), ...(addedLines(file).length ? [fileFinding('build-script-change', `changes ${p}`, file)] : [])];
  if (/^(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$/.test(name)) return shellFile(file, judge, (l) => /^\s*RUN\s+(.+)$/.exec(l.text)?.[1]);
  return [];
}
