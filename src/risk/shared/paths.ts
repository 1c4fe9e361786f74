import { posix } from 'node:path';
import picomatch from 'picomatch';
import { DYNAMIC } from '../command/model';

/** Where a path points, coarse enough to decide on and to explain. */
export type PathKind =
  | 'workspace'
  | 'build-output'
  | 'temp'
  | 'home'
  | 'system'
  | 'device'
  | 'null-device'
  | 'network-device'
  | 'outside'
  | 'unknown';

/** What makes a path sensitive regardless of where it is. */
export type PathTag = 'secret' | 'persistence' | 'airlock' | 'git-internal' | 'protected' | 'proc' | 'recon';

export interface PathInfo {
  kind: PathKind;
  tags: PathTag[];
  /** Resolved form used for matching: absolute, or starting with `~/` for the home directory. */
  resolved: string;
  /** Path relative to the workspace root when inside it. */
  relative?: string;
}

export interface PathEnvironment {
  /** Absolute path of the workspace root. */
  workspace: string;
  /** The user's home directory as an absolute path, when known; `~` is always understood too. */
  home?: string;
  /** Extra globs from policy: secrets (anywhere) and protected workspace paths. */
  secretGlobs?: readonly string[];
  protectedGlobs?: readonly string[];
}

/** Joins a path onto the working directory the way the shell would, without touching the disk. */
export function resolvePath(value: string, cwd: string | undefined): string | undefined {
  if (value.includes(DYNAMIC)) return undefined;
  if (value === '~' || value.startsWith('~/')) return posix.normalize(value);
  if (value.startsWith('~')) return '/home/' + value.slice(1); // ~user/…
  if (value.startsWith('/')) return posix.normalize(value);
  if (cwd === undefined) return undefined;
  return posix.normalize(posix.join(cwd, value));
}

const SECRET_ANYWHERE = [
  '**/.ssh/**',
  '**/.aws/**',
  '**/.azure/**',
  '**/.gnupg/**',
  '**/.config/gcloud/**',
  '**/.config/gh/hosts.yml',
  '**/.kube/config',
  '**/.docker/config.json',
  '**/.netrc',
  '**/.git-credentials',
  '**/.pypirc',
  '**/.cargo/credentials*',
  '**/.terraform.d/credentials.tfrc.json',
  '**/.vault-token',
  '**/.password-store/**',
  '**/*_history',
  '**/.python_history',
  '**/.node_repl_history',
  '**/.env',
  '**/.env.!(example|sample|template|dist|defaults)',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.jks',
  '**/*.keystore',
  '**/*.kdbx',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/credentials.json',
  '**/service-account*.json',
  '**/.htpasswd',
  '**/*.tfstate',
  '**/*.tfstate.backup',
  '**/Library/Keychains/**',
  '**/.mozilla/firefox/**/logins.json',
  '**/.mozilla/firefox/**/key4.db',
  '**/{Login Data,Cookies,Web Data,key3.db,key4.db,logins.json,cookies.sqlite,Cookies.binarycookies}',
  '**/Library/Cookies/**',
  '**/Library/Application Support/**/{Login Data,Cookies,Web Data}',
  '/etc/shadow*',
  '/etc/gshadow*',
  '/etc/sudoers',
  '/etc/sudoers.d/**',
  '/etc/ssh/*_key',
  '/etc/ssl/private/**',
  '/etc/krb5.keytab',
  '/etc/security/opasswd',
  '/var/run/secrets/**',
  '/run/secrets/**',
  '/proc/*/environ',
  '/proc/*/mem',
  '/proc/kcore',
  '/private/etc/master.passwd',
  '~/.npmrc',
  '~/.yarnrc*',
  '~/.config/**/token*',
  '~/.config/**/credentials*',
  '~/.local/share/keyrings/**',
];

/** World-readable, but reading them is account discovery, not coding. */
const RECON = ['/etc/passwd', '/etc/group', '/etc/master.passwd', '/etc/security/**', '/var/log/auth.log*', '/var/log/secure*', '/var/log/wtmp', '/var/log/btmp', '/var/log/lastlog', '/etc/hosts.equiv', '**/.rhosts', '/etc/exports', '/etc/fstab', '/proc/*/maps', '/proc/*/cmdline', '/proc/net/**', '/etc/crontab', '/var/log/**', '/etc/shells'];

/** Places whose change makes something run later: shell start-up, schedulers, services, hooks. */
const PERSISTENCE = [
  '~/.bashrc',
  '~/.bash_profile',
  '~/.bash_login',
  '~/.bash_logout',
  '~/.profile',
  '~/.zshrc',
  '~/.zshenv',
  '~/.zprofile',
  '~/.zlogin',
  '~/.config/fish/**',
  '~/.ssh/authorized_keys*',
  '~/.ssh/rc',
  '~/.ssh/config',
  '~/.gitconfig',
  '~/.config/git/**',
  '~/.npmrc',
  '~/.pip/pip.conf',
  '~/.config/pip/pip.conf',
  '~/.local/bin/**',
  '~/.config/autostart/**',
  '~/.config/systemd/**',
  '~/Library/LaunchAgents/**',
  '~/.xinitrc',
  '~/.xprofile',
  '~/.vimrc',
  '~/.vscode-server/**',
  '~/.config/Code/**',
  '/etc/profile',
  '/etc/profile.d/**',
  '/etc/bash.bashrc',
  '/etc/bashrc',
  '/etc/zsh/**',
  '/etc/environment',
  '/etc/cron*',
  '/etc/cron*/**',
  '/etc/anacrontab',
  '/var/spool/cron/**',
  '/etc/systemd/**',
  '/lib/systemd/**',
  '/usr/lib/systemd/**',
  '/etc/init.d/**',
  '/etc/init/**',
  '/etc/rc.local',
  '/etc/rc*.d/**',
  '/etc/xdg/autostart/**',
  '/etc/update-motd.d/**',
  '/Library/LaunchAgents/**',
  '/Library/LaunchDaemons/**',
  '/etc/ld.so.preload',
  '/etc/ld.so.conf*',
  '/etc/pam.d/**',
  '/etc/sudoers*',
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/apt/**',
  '/etc/pip.conf',
  '/etc/modules-load.d/**',
  '/etc/udev/rules.d/**',
  '/etc/ssh/sshd_config*',
  // PATH directories: a program dropped here shadows the real one for every later command.
  '/usr/local/bin/**',
  '/usr/local/sbin/**',
  '/usr/bin/**',
  '/usr/sbin/**',
  '/bin/**',
  '/sbin/**',
];

/** Workspace files that configure what runs automatically: editors, CI, containers, git, direnv. */
const WORKSPACE_PROTECTED = [
  '.git/hooks/**',
  '.git/config',
  '.git/info/attributes',
  '.husky/**',
  '.githooks/**',
  '.vscode/tasks.json',
  '.vscode/settings.json',
  '.vscode/launch.json',
  '.vscode/extensions.json',
  '.devcontainer/**',
  '.devcontainer.json',
  '.github/workflows/**',
  '.github/actions/**',
  '.gitlab-ci.yml',
  '.circleci/**',
  'azure-pipelines.yml',
  'Jenkinsfile',
  '.envrc',
  '.gitattributes',
  '.gitmodules',
  '.pre-commit-config.yaml',
];

const AIRLOCK = ['.airlock', '.airlock/**'];
const AIRLOCK_HOME = ['~/.config/airlock/**', '~/.local/state/airlock/**', '~/.cache/airlock/**'];

const BUILD_OUTPUT = [
  '**/node_modules/**',
  '**/node_modules',
  '{dist,build,out,target,coverage,htmlcov,.next,.nuxt,.turbo,.parcel-cache,.gradle,.eggs,.tox,.nox}',
  '{dist,build,out,target,coverage,htmlcov,.next,.nuxt,.turbo,.parcel-cache,.gradle,.eggs,.tox,.nox}/**',
  '**/__pycache__',
  '**/__pycache__/**',
  '**/.pytest_cache{,/**}',
  '**/.mypy_cache{,/**}',
  '**/.ruff_cache{,/**}',
  '**/*.egg-info{,/**}',
  '**/*.pyc',
  '**/.coverage',
  '**/.cache{,/**}',
];

const SYSTEM_ROOTS = ['usr', 'lib', 'lib32', 'lib64', 'libx32', 'bin', 'sbin', 'etc', 'opt', 'var', 'boot', 'srv', 'snap', 'nix', 'sys', 'proc', 'run', 'System', 'Library', 'Applications', 'private', 'Volumes', 'mnt', 'media', 'root', 'home', 'Users'];

const NULL_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '/dev/random', '/dev/urandom', '/dev/full']);

const options = { dot: true, nocase: false } as const;
const isSecret = picomatch(SECRET_ANYWHERE, options);
const isPersistence = picomatch(PERSISTENCE, options);
const isRecon = picomatch(RECON, options);
const isWorkspaceProtected = picomatch(WORKSPACE_PROTECTED, options);
const isAirlock = picomatch(AIRLOCK, options);
const isAirlockHome = picomatch(AIRLOCK_HOME, options);
const isBuildOutput = picomatch(BUILD_OUTPUT, options);

const compiled = new Map<string, (p: string) => boolean>();
function matcher(globs: readonly string[] | undefined): ((p: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const key = globs.join('\0');
  let m = compiled.get(key);
  if (!m) {
    m = picomatch([...globs], options);
    compiled.set(key, m);
  }
  return m;
}

function homeForm(abs: string, env: PathEnvironment): string | undefined {
  if (abs === '~' || abs.startsWith('~/')) return abs;
  const homes = [env.home, '/root'].filter((h): h is string => !!h && h !== '/');
  for (const h of homes) {
    if (abs === h) return '~';
    if (abs.startsWith(h + '/')) return '~' + abs.slice(h.length);
  }
  const other = /^\/(home|Users)\/[^/]+(\/.*)?$/.exec(abs);
  if (other) return '~' + (other[2] ?? '');
  return undefined;
}

export function classifyPath(value: string, cwd: string | undefined, env: PathEnvironment): PathInfo {
  if (/^\/dev\/(tcp|udp)\//.test(value)) return { kind: 'network-device', tags: [], resolved: value };
  const resolved = resolvePath(value, cwd);
  if (resolved === undefined) return { kind: 'unknown', tags: [], resolved: value };
  const tags = new Set<PathTag>();
  const home = homeForm(resolved, env);
  const workspace = posix.normalize(env.workspace);
  const insideWorkspace = resolved === workspace || resolved.startsWith(workspace === '/' ? '/' : workspace + '/');
  const relative = insideWorkspace ? posix.relative(workspace, resolved) || '.' : undefined;

  if (isSecret(resolved) || (home && isSecret(home)) || matcher(env.secretGlobs)?.(relative ?? resolved)) tags.add('secret');
  if (isPersistence(resolved) || (home && isPersistence(home))) tags.add('persistence');
  if (home && isAirlockHome(home)) tags.add('airlock');
  if (resolved.startsWith('/proc/') || resolved === '/proc') tags.add('proc');
  if (isRecon(resolved) || (home && isRecon(home))) tags.add('recon');

  if (insideWorkspace && relative !== undefined) {
    if (isAirlock(relative)) tags.add('airlock');
    if (relative === '.git' || relative.startsWith('.git/')) tags.add('git-internal');
    if (isWorkspaceProtected(relative) || matcher(env.protectedGlobs)?.(relative)) tags.add('protected');
    const kind: PathKind = isBuildOutput(relative) ? 'build-output' : 'workspace';
    return { kind, tags: [...tags], resolved, relative };
  }
  if (NULL_DEVICES.has(resolved) || resolved.startsWith('/dev/fd/') || resolved.startsWith('/proc/self/fd/')) {
    return { kind: 'null-device', tags: [...tags], resolved };
  }
  if (resolved.startsWith('/dev/tcp/') || resolved.startsWith('/dev/udp/')) return { kind: 'network-device', tags: [...tags], resolved };
  if (resolved === '/tmp' || resolved.startsWith('/tmp/') || resolved.startsWith('/var/tmp/') || resolved.startsWith('/dev/shm/') || resolved === '/var/tmp') {
    return { kind: 'temp', tags: [...tags], resolved };
  }
  if (resolved.startsWith('/dev/')) return { kind: 'device', tags: [...tags], resolved };
  if (home !== undefined) return { kind: 'home', tags: [...tags], resolved: home };
  const root = resolved.split('/')[1] ?? '';
  if (resolved === '/' || SYSTEM_ROOTS.includes(root)) return { kind: 'system', tags: [...tags], resolved };
  return { kind: 'outside', tags: [...tags], resolved };
}

/** True for a word that looks like a file path rather than an option, a number or a pattern. */
export function looksLikePath(value: string): boolean {
  if (value.length === 0 || value.startsWith('-')) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  return value.startsWith('/') || value.startsWith('~') || value.startsWith('./') || value.startsWith('../') || value.includes('/') || /^\.[\w-]/.test(value);
}
