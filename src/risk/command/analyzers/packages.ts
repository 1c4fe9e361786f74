import type { Finding } from '../../types';
import type { SimpleCommand, Word } from '../model';
import { programName } from '../model';
import { finding, hostKind, optionValues, pathFindings, positionals, type AnalyzerContext, type CommandAnalyzer } from './context';
import { hostOf } from '../../shared/network';

const URL_SPEC = /^(https?|git\+\w+|git|ssh|file|svn\+\w+|hg\+\w+):|^git@|^github:|^gitlab:|^bitbucket:|\.(tgz|tar\.gz|whl|zip)$|^[\w.-]+\/[\w.-]+(#.*)?$/;

/** Index URLs other than the registry's own make an install come from somewhere else. */
function indexFindings(words: Word[], cmd: SimpleCommand, ctx: AnalyzerContext, flags: string[]): Finding[] {
  const out: Finding[] = [];
  for (const v of optionValues(words, null, ...flags).concat(flags.includes('--index-url') ? optionValues(words, '-i') : []).concat(flags.includes('--find-links') ? optionValues(words, '-f') : [])) {
    const host = hostOf(v.value);
    const kind = host ? hostKind(host, ctx).kind : 'unknown';
    if (kind !== 'allowlisted' && kind !== 'local') out.push(finding('package-install-url', `installs from ${v.text}, not an allowlisted registry`, cmd, v.span));
  }
  return out;
}

function installFindings(specs: Word[], cmd: SimpleCommand, tool: string, local: (w: Word) => boolean): Finding[] {
  const out: Finding[] = [];
  const registry = specs.filter((s) => !local(s) && !URL_SPEC.test(s.value));
  for (const s of specs) {
    if (local(s)) continue;
    if (URL_SPEC.test(s.value) && !/^@?[\w.-]+\/[\w.-]+@/.test(s.value) && !(tool === 'npm' && /^@[\w.-]+\/[\w.-]+$/.test(s.value))) {
      out.push(finding('package-install-url', `${tool} installs ${s.text} from a URL or repository instead of the registry`, cmd, s.span));
    }
  }
  if (registry.length > 0) out.push(finding('package-install', `${tool} installs ${registry.map((r) => r.text).join(' ')} from the registry`, cmd, registry[0]?.span));
  if (specs.length > 0 && specs.every(local)) out.push(finding('package-install-local', `${tool} installs the workspace project`, cmd));
  return out;
}

function isLocalSpec(w: Word): boolean {
  return w.value === '.' || w.value.startsWith('./') || w.value.startsWith('../') || w.value.startsWith('/') && !w.value.startsWith('//');
}

export function packageManagerFindings(tool: string, a: Word[], cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  const sub = a.find((w) => !w.value.startsWith('-'))?.value ?? '';
  const rest = a.slice(a.findIndex((w) => w.value === sub) + 1);
  switch (tool) {
    case 'pip': {
      if (sub === 'install' || sub === 'download' || sub === 'wheel') {
        const editable = optionValues(rest, '-e', '--editable');
        const reqs = optionValues(rest, '-r', '--requirement', '-c', '--constraint');
        const specs = positionals(rest, ['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi', '--src', '--upgrade-strategy', '--progress-bar', '--config-settings', '-C', '--global-option', '--no-binary', '--only-binary', '-d', '--dest']);
        const out = [...indexFindings(rest, cmd, ctx, ['--index-url', '--extra-index-url', '--find-links', '--trusted-host']), ...installFindings([...specs, ...editable], cmd, 'pip', (w) => isLocalSpec(w) || editable.includes(w))];
        for (const r of reqs) out.push(finding('package-install', `pip installs what ${r.text} lists`, cmd, r.span), ...pathFindings(r, 'read', cmd, ctx));
        for (const t of optionValues(rest, '-t', '--target', '--prefix', '--root')) out.push(...pathFindings(t, 'write', cmd, ctx));
        if (out.length === 0) out.push(finding('package-install', 'pip install', cmd));
        return out;
      }
      if (sub === 'uninstall') return [finding('package-remove', 'pip uninstall removes packages', cmd)];
      if (sub === 'config' && ['set', 'edit', 'unset'].includes(rest.find((w) => !w.value.startsWith('-'))?.value ?? '')) return [finding('tool-config', 'pip config changes where and how packages are installed', cmd)];
      return [];
    }
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      const installVerbs = ['install', 'i', 'add', 'ci', 'isntall', 'in', 'update', 'up', 'upgrade'];
      if (sub === '' && tool === 'yarn') return [finding('package-install-local', 'yarn installs the lockfile', cmd)];
      if (installVerbs.includes(sub)) {
        const specs = positionals(rest, ['--registry', '-w', '--workspace', '--prefix', '-C', '--filter', '--tag', '--cwd']);
        const out = indexFindings(rest, cmd, ctx, ['--registry']);
        if (specs.length === 0) out.push(finding('package-install-local', `${tool} ${sub} installs the workspace's dependencies (their install scripts run)`, cmd));
        else out.push(...installFindings(specs, cmd, tool, isLocalSpec));
        if (rest.some((w) => w.value === '-g' || w.value === '--global' || w.value === '--location=global')) out.push(finding('system-package-install', `${tool} installs globally`, cmd));
        return out;
      }
      if (['uninstall', 'remove', 'rm', 'un', 'unlink', 'prune'].includes(sub)) return [finding('package-remove', `${tool} ${sub} removes packages`, cmd)];
      if (['publish', 'unpublish', 'deprecate', 'dist-tag', 'owner', 'access', 'team', 'org', 'npm-publish'].includes(sub)) return [finding('publish', `${tool} ${sub} changes what the registry serves`, cmd)];
      if (['login', 'adduser', 'token', 'logout', 'whoami'].includes(sub)) return [finding(sub === 'whoami' ? 'cloud-read' : 'secret-read', `${tool} ${sub} handles registry credentials`, cmd)];
      if (['exec', 'x', 'dlx'].includes(sub)) return [finding('package-runner', `${tool} ${sub} downloads and runs a package`, cmd)];
      if (sub === 'config' || sub === 'set') {
        const action = rest.find((w) => !w.value.startsWith('-'))?.value;
        if (action === 'get' || action === 'list' || action === 'ls') return [];
        const registry = rest.find((w) => /^(https?:)?\/\//.test(w.value) || /registry=/.test(w.value));
        if (registry && /registry/.test(rest.map((w) => w.value).join(' '))) return indexFindings([{ ...registry, value: '--registry' }, { ...registry, value: registry.value.replace(/^.*registry=/, '') }], cmd, ctx, ['--registry']).concat([finding('tool-config', `${tool} config changes the registry`, cmd)]);
        return [finding('tool-config', `${tool} config changes registry or script settings`, cmd)];
      }
      if (['ls', 'list', 'view', 'info', 'show', 'outdated', 'audit', 'why', 'explain', 'doctor', 'help', 'search', 'root', 'bin', 'prefix', 'version', '--version', '-v', 'fund', 'query', 'pkg', 'docs', 'repo', 'bugs', 'ping'].includes(sub)) {
        if (sub === 'audit' && rest.some((w) => w.value === 'fix')) return [finding('package-install', `${tool} audit fix changes dependencies`, cmd)];
        if (sub === 'version' && rest.some((w) => !w.value.startsWith('-'))) return [finding('git-commit', `${tool} version bumps the version and tags a commit`, cmd)];
        return [];
      }
      if (sub === 'cache') return rest.some((w) => w.value === 'clean' || w.value === 'clear') ? [finding('delete-build-output', `${tool} cache clean`, cmd)] : [];
      if (sub === 'init' || sub === 'create') return [finding(rest.some((w) => !w.value.startsWith('-')) ? 'package-runner' : 'write-workspace', `${tool} ${sub}`, cmd)];
      if (sub === 'link') return [finding('package-install-local', `${tool} link`, cmd)];
      // run / test / start / build / a yarn script name: package.json scripts are workspace code.
      return [finding('runs-workspace-code', `${tool} ${sub || ''} runs a package.json script`.replace(/\s+/g, ' '), cmd)];
    }
    case 'gem':
      if (sub === 'install' || sub === 'update') return installFindings(positionals(rest, ['-v', '--version', '-s', '--source', '-i', '--install-dir']), cmd, 'gem', isLocalSpec).concat(indexFindings(rest, cmd, ctx, ['--source', '-s']));
      if (sub === 'push' || sub === 'yank' || sub === 'owner') return [finding('publish', `gem ${sub}`, cmd)];
      if (sub === 'uninstall') return [finding('package-remove', 'gem uninstall', cmd)];
      return [];
    case 'cargo':
      if (sub === 'install') return rest.some((w) => w.value === '--git' || w.value === '--path') ? [finding(rest.some((w) => w.value === '--git') ? 'package-install-url' : 'package-install-local', 'cargo install', cmd)] : [finding('package-install', 'cargo install from crates.io', cmd)];
      if (sub === 'add') return rest.some((w) => w.value === '--git') ? [finding('package-install-url', 'cargo add --git', cmd)] : [finding('package-install', 'cargo add', cmd)];
      if (sub === 'publish' || sub === 'yank' || sub === 'owner' || sub === 'login') return [finding(sub === 'login' ? 'secret-read' : 'publish', `cargo ${sub}`, cmd)];
      if (['search', 'tree', 'metadata', 'locate-project', 'pkgid', 'version', '--version', 'help', 'verify-project'].includes(sub)) return [];
      return [finding('runs-workspace-code', `cargo ${sub} builds and runs workspace code (build.rs)`, cmd)];
    case 'go':
      if (sub === 'get' || sub === 'install') {
        const specs = positionals(rest);
        return specs.every((s) => isLocalSpec(s) || s.value === './...') && specs.length > 0 ? [finding('package-install-local', `go ${sub}`, cmd)] : [finding('package-install', `go ${sub} fetches modules`, cmd)];
      }
      if (['version', 'env', 'list', 'doc', 'help'].includes(sub)) return [];
      return [finding('runs-workspace-code', `go ${sub}`, cmd)];
    case 'system': {
      const name = programName(cmd) ?? tool;
      if (['search', 'show', 'list', 'policy', 'info', 'depends', 'rdepends', 'madison', 'showpkg', 'stats', '-l', '-L', '-s', '--list', 'query', '-q', 'provides', 'whatprovides', 'outdated', 'deps', 'leaves', 'desc', 'home', 'config', 'search', 'showsrc', 'pkgnames', 'dump', 'find', '-W', '--show'].includes(sub) || name === 'dpkg-query' || (name === 'dpkg' && a.some((w) => /^-(l|L|s|S|-list|-listfiles|-status|-search|-get-selections|-print-architecture)$/.test(w.value)))) return [];
      if (name === 'dpkg' && (a.some((w) => w.value === '-i' || w.value === '--install'))) return [finding('package-install-url', 'dpkg -i installs a local .deb as root (its maintainer scripts run)', cmd)];
      if (name === 'rpm' && a.some((w) => /^-[a-zA-Z]*[iU]/.test(w.value))) return [finding('package-install-url', 'rpm installs a local package as root', cmd)];
      if (name === 'brew' && sub === 'tap') return [finding('package-install-url', 'brew tap adds a third-party formula source', cmd)];
      if (sub === '' || sub === 'update' && name !== 'brew') return name === 'apt' || name === 'apt-get' ? [finding('system-package-install', `${name} ${sub} refreshes package lists`, cmd)] : [];
      if (a.some((w) => /\.(deb|rpm|apk|snap|pkg|ipk|flatpakref)$/.test(w.value) || w.value === '--dangerous' || w.value === '--devmode') || sub === 'localinstall') return [finding('package-install-url', `${name} installs a local package file as root (its scripts run)`, cmd)];
      return [finding('system-package-install', `${name} ${sub} changes system packages`, cmd)];
    }
    case 'conda':
    case 'mamba':
    case 'micromamba':
      if (['install', 'create', 'update', 'upgrade'].includes(sub)) return [finding('package-install', `${tool} ${sub}`, cmd), ...indexFindings(rest, cmd, ctx, ['--channel', '-c'])];
      if (['remove', 'uninstall'].includes(sub) || (sub === 'env' && rest.some((w) => w.value === 'remove'))) return [finding('package-remove', `${tool} ${sub}`, cmd)];
      if (sub === 'config') return [finding('tool-config', `${tool} config`, cmd)];
      return [];
    case 'uv':
      if (sub === 'pip') return packageManagerFindings('pip', rest, cmd, ctx);
      if (sub === 'add') return installFindings(positionals(rest), cmd, 'uv', isLocalSpec);
      if (sub === 'sync' || sub === 'lock' || sub === 'venv') return [finding('package-install-local', `uv ${sub}`, cmd)];
      if (sub === 'tool' || sub === 'x') return [finding('package-runner', `uv ${sub} runs a package`, cmd)];
      if (sub === 'publish') return [finding('publish', 'uv publish', cmd)];
      if (sub === 'run') return [];
      if (sub === 'remove') return [finding('package-remove', 'uv remove', cmd)];
      return [];
    case 'poetry':
      if (sub === 'add') return installFindings(positionals(rest, ['-G', '--group', '--source']), cmd, 'poetry', isLocalSpec);
      if (sub === 'install' || sub === 'lock' || sub === 'update') return [finding('package-install-local', `poetry ${sub}`, cmd)];
      if (sub === 'publish') return [finding('publish', 'poetry publish', cmd)];
      if (sub === 'remove') return [finding('package-remove', 'poetry remove', cmd)];
      if (sub === 'config' || sub === 'source') return [finding('tool-config', `poetry ${sub}`, cmd)];
      return [];
    case 'pipx':
      if (sub === 'run') return [finding('package-runner', 'pipx run downloads and runs a package', cmd)];
      if (sub === 'install' || sub === 'inject' || sub === 'upgrade') return installFindings(positionals(rest, ['--python', '--index-url', '--pip-args']), cmd, 'pipx', isLocalSpec);
      if (sub === 'uninstall') return [finding('package-remove', 'pipx uninstall', cmd)];
      return [];
    case 'composer':
      if (sub === 'require') return installFindings(positionals(rest), cmd, 'composer', isLocalSpec);
      if (sub === 'install' || sub === 'update') return [finding('package-install-local', `composer ${sub}`, cmd)];
      if (sub === 'global') return [finding('system-package-install', 'composer global', cmd)];
      return [finding('runs-workspace-code', `composer ${sub}`, cmd)];
    case 'bundle':
      if (sub === 'install' || sub === 'update' || sub === '') return [finding('package-install-local', `bundle ${sub || 'install'}`, cmd)];
      if (sub === 'add') return [finding('package-install', 'bundle add', cmd)];
      return [finding('runs-workspace-code', `bundle ${sub}`, cmd)];
    default:
      return [finding('package-install', `${tool} ${sub}`, cmd)];
  }
}

const TOOLS: Record<string, string> = {
  pip: 'pip', pip3: 'pip', pip2: 'pip', npm: 'npm', pnpm: 'pnpm', yarn: 'yarn', bun: 'bun', gem: 'gem', cargo: 'cargo', go: 'go',
  apt: 'system', 'apt-get': 'system', 'apt-cache': 'system', 'apt-file': 'system', 'dpkg-query': 'system', aptitude: 'system', dpkg: 'system', yum: 'system', dnf: 'system', apk: 'system', zypper: 'system', pacman: 'system', brew: 'system', port: 'system', snap: 'system', flatpak: 'system', rpm: 'system', emerge: 'system', nix: 'system', 'nix-env': 'system',
  conda: 'conda', mamba: 'mamba', micromamba: 'micromamba', uv: 'uv', poetry: 'poetry', pipx: 'pipx', composer: 'composer', bundle: 'bundle', bundler: 'bundle',
};

const packageManagers: CommandAnalyzer = {
  names: Object.keys(TOOLS),
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? '';
    const tool = TOOLS[name] ?? name;
    return packageManagerFindings(tool, cmd.argv.slice(1), cmd, ctx);
  },
};

const LOCAL_DEV_TOOLS = new Set(['jest', 'vitest', 'mocha', 'ava', 'tsc', 'tsx', 'ts-node', 'eslint', 'prettier', 'biome', 'playwright', 'cypress', 'webpack', 'vite', 'rollup', 'esbuild', 'next', 'nuxt', 'turbo', 'nx', 'lerna', 'c8', 'nyc', 'stylelint', 'tap', 'karma', 'babel', 'swc', 'knip', 'depcheck', 'lint-staged', 'husky', 'changeset', 'typedoc', 'storybook', 'astro', 'svelte-kit', 'remix', 'ng', 'vue-tsc', 'pytest', 'ruff', 'black', 'mypy']);

const runners: CommandAnalyzer = {
  names: ['npx', 'pnpx', 'bunx', 'uvx', 'yarn-dlx', 'npm-exec'],
  analyze(cmd, ctx) {
    const a = cmd.argv.slice(1);
    const pkg = positionals(a, ['-p', '--package', '--from', '--with', '-c', '--call'])[0];
    // npx jest / npx tsc run the workspace's own node_modules/.bin tools.
    if (pkg && !a.some((w) => w.value === '-p' || w.value === '--package' || w.value.startsWith('--package=')) && LOCAL_DEV_TOOLS.has(pkg.value)) return [finding('runs-workspace-code', `${programName(cmd)} ${pkg.text} runs the workspace's own ${pkg.text}`, cmd, pkg.span)];
    const out = [finding('package-runner', `${programName(cmd)} ${pkg?.text ?? ''} downloads and runs a package if it is not installed`.trim(), cmd, pkg?.span)];
    if (pkg && URL_SPEC.test(pkg.value) && !/^@[\w.-]+\/[\w.-]+$/.test(pkg.value)) out.push(finding('package-install-url', `runs ${pkg.text} from a URL or repository`, cmd, pkg.span));
    for (const c of optionValues(a, '-c', '--call')) out.push(finding('inline-code-shell', `npx -c runs ${c.text} as a shell command`, cmd, c.span));
    void ctx;
    return out;
  },
};

const publishers: CommandAnalyzer = {
  names: ['twine', 'vsce', 'ovsx', 'flit', 'hatch', 'mvn', 'gradle', 'gradlew', 'dotnet', 'nuget', 'helm', 'goreleaser'],
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const sub = positionals(a)[0]?.value ?? '';
    const publishes =
      (name === 'twine' && sub === 'upload') ||
      ((name === 'vsce' || name === 'ovsx') && (sub === 'publish' || sub === 'unpublish')) ||
      ((name === 'flit' || name === 'hatch') && sub === 'publish') ||
      (name === 'mvn' && a.some((w) => w.value === 'deploy' || w.value.startsWith('release:'))) ||
      ((name === 'gradle' || name === 'gradlew') && a.some((w) => /^publish/.test(w.value))) ||
      ((name === 'dotnet' || name === 'nuget') && a.some((w) => w.value === 'push')) ||
      (name === 'helm' && (sub === 'push' || sub === 'install' || sub === 'upgrade' || sub === 'uninstall')) ||
      (name === 'goreleaser' && (sub === 'release' || sub === ''));
    if (publishes) return [finding(name === 'helm' ? 'cloud-write' : 'publish', `${name} ${sub} publishes or deploys`, cmd)];
    if (name === 'twine' || name === 'vsce' || name === 'ovsx') return [finding('runs-workspace-code', `${name} ${sub}`, cmd)];
    if (name === 'dotnet' && sub === 'add' && a.some((w) => w.value === 'package')) return [finding('package-install', 'dotnet add package', cmd)];
    void ctx;
    return [finding('runs-workspace-code', `${name} ${sub} builds or runs workspace code`.replace(/\s+/g, ' '), cmd)];
  },
};

export const packageAnalyzers = [packageManagers, runners, publishers];
