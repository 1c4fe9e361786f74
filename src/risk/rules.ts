import type { Decision } from './types';

/**
 * Every reason Airlock can give, with its weight. Rule ids are stable and kebab-case because people put
 * them in policy files (`ruleLevels`). A finding's weight always comes from here (or a policy that may only
 * raise it above a floor), never from the analyzer call site and never from the caller of `assess`.
 *
 * score: 0–100 in the `sandbox` context; hostScore: when the action would run on the host.
 * floor: the least decision this finding allows anywhere — what no allow rule, threshold or context lowers.
 */
export interface RuleSpec {
  score: number;
  hostScore?: number;
  floor?: Decision;
  category: RuleCategory;
  summary: string;
}

export type RuleCategory =
  | 'parsing'
  | 'deception'
  | 'read'
  | 'write'
  | 'delete'
  | 'execute'
  | 'network'
  | 'exfiltration'
  | 'privilege'
  | 'sandbox-escape'
  | 'persistence'
  | 'evasion'
  | 'vcs'
  | 'packages'
  | 'publish'
  | 'infrastructure'
  | 'policy'
  | 'resources'
  | 'diff';

const HOST_EXEC = 55;

export const COMMAND_RULES = {
  // Parsing and deception: what cannot be read cannot be approved.
  'parse-error': { score: 60, floor: 'ask', category: 'parsing', summary: 'The shell parser could not account for part of the command; Airlock will not guess what it does.' },
  'dynamic-command': { score: 55, floor: 'ask', category: 'parsing', summary: 'The program to run is computed at run time ($VAR, $(…)), so it cannot be judged in advance.' },
  'dynamic-script': { score: 55, floor: 'ask', category: 'parsing', summary: 'A shell runs a script string that is only known at run time.' },
  'deceptive-characters': { score: 70, floor: 'ask', category: 'deception', summary: 'Invisible or direction-changing characters (bidi controls, zero-width, ANSI escapes, control characters) can make a command look different from what runs.' },
  'homoglyph-command': { score: 75, floor: 'ask', category: 'deception', summary: 'A program name uses letters from another script that look like Latin ones.' },
  'empty-input': { score: 30, category: 'parsing', summary: 'Nothing to run.' },

  // Execution.
  'runs-workspace-code': { score: 10, hostScore: HOST_EXEC, category: 'execute', summary: 'Runs code from the workspace (tests, builds, scripts): contained in the sandbox, needs a person on the host.' },
  'unknown-command': { score: 50, hostScore: 60, category: 'execute', summary: 'A program Airlock has no rules for: not provably low-risk, so a person decides (a policy rule can allow it).' },
  'inline-code': { score: 10, hostScore: HOST_EXEC, category: 'execute', summary: 'Runs inline interpreter code that Airlock scanned and found nothing risky in.' },
  'inline-code-shell': { score: 20, hostScore: 60, category: 'execute', summary: 'Inline interpreter code runs commands whose arguments Airlock cannot read (contained in the sandbox; literal commands are judged on their own).' },
  'inline-code-obfuscated': { score: 90, floor: 'deny', category: 'execute', summary: 'Inline code decodes a hidden payload and runs it.' },
  'hidden-shell': { score: 70, floor: 'ask', category: 'execute', summary: 'A program is made to start a shell or run a command through an option or escape (GTFOBins-style), hiding what runs.' },
  'interactive-shell': { score: 60, floor: 'ask', category: 'execute', summary: 'Starts an interactive or privileged shell instead of running a command.' },
  'interactive-program': { score: 55, floor: 'ask', category: 'execute', summary: 'An interactive program (editor, pager, debugger, REPL) can run shell commands from inside and hangs without a terminal.' },
  'run-outside-binary': { score: 55, floor: 'ask', category: 'execute', summary: 'Runs a program from outside the workspace and system directories (e.g. something just dropped in /tmp).' },
  'background-process': { score: 15, hostScore: HOST_EXEC, category: 'execute', summary: 'Leaves a process running in the background.' },
  'sed-exec': { score: 75, floor: 'ask', category: 'execute', summary: 'sed runs a shell command (`e` command or `s///e`).' },
  'archive-exec': { score: 75, floor: 'ask', category: 'execute', summary: 'An archiver or copier is told to run a program (tar --checkpoint-action, --to-command, -I, zip -TT, rsync -e).' },
  'git-config-exec': { score: 80, floor: 'deny', category: 'execute', summary: 'git is made to run a program through configuration (core.pager, core.sshCommand, aliases with !, hooksPath, fsmonitor, ext:: transport, --upload-pack).' },
  'package-runner': { score: 35, hostScore: 60, category: 'packages', summary: 'Downloads and runs a package from a registry (npx, uvx, pipx run, dlx).' },
  'fork-bomb': { score: 95, floor: 'deny', category: 'resources', summary: 'A function that calls itself in a pipe in the background: a fork bomb.' },
  'resource-exhaustion': { score: 70, floor: 'ask', category: 'resources', summary: 'Fills memory or disk, or loops forever.' },
  'kill-process': { score: 15, hostScore: 60, category: 'execute', summary: 'Stops processes.' },
  'system-power': { score: 90, floor: 'deny', category: 'resources', summary: 'Shuts down or reboots the machine.' },

  // Reading.
  'read-outside-workspace': { score: 55, floor: 'ask', category: 'read', summary: 'Reads a file outside the workspace, temp and system directories.' },
  'read-home': { score: 55, floor: 'ask', category: 'read', summary: "Reads files in the user's home directory." },
  'secret-read': { score: 70, floor: 'ask', category: 'read', summary: 'Reads a credential store or secret file (SSH keys, cloud credentials, .env, shell history, /proc/*/environ, /etc/shadow).' },
  'secret-search': { score: 70, floor: 'ask', category: 'read', summary: 'Searches for credentials (key files, tokens, passwords) across directories.' },
  'env-dump': { score: 30, hostScore: 60, category: 'read', summary: 'Prints environment variables, which may hold tokens.' },
  'tests-deselected': { score: 30, hostScore: 55, category: 'execute', summary: 'Runs tests with some of them excluded (-k "not …", --deselect, --ignore): reviewed, since a green run then says less.' },
  'network-scan': { score: 60, floor: 'ask', category: 'network', summary: 'Scans hosts or ports, or captures traffic.' },
  'app-automation': { score: 65, floor: 'ask', category: 'execute', summary: 'Drives other applications through automation (AppleScript/JXA, System Events): keystrokes, dialogs, scripts run inside them.' },
  'offensive-tool': { score: 85, floor: 'ask', category: 'execute', summary: 'Runs a known credential-dumping, privilege-escalation or post-exploitation tool.' },
  'native-code': { score: 70, floor: 'ask', category: 'execute', summary: 'Loads a native library (.so/.dylib/.dll) into a program, which runs arbitrary code.' },
  'history-tamper-env': { score: 75, floor: 'ask', category: 'evasion', summary: 'Changes shell history settings so commands are not recorded.' },
  'system-recon': { score: 50, hostScore: 55, category: 'read', summary: 'Surveys the system for privilege escalation or lateral movement (users, sudo rights, SUID files, network neighbours).' },

  // Writing.
  'write-workspace': { score: 5, hostScore: HOST_EXEC, category: 'write', summary: 'Writes files inside the workspace.' },
  'write-temp': { score: 5, hostScore: 30, category: 'write', summary: 'Writes temporary files.' },
  'write-unknown': { score: 35, hostScore: 60, category: 'write', summary: 'Writes to a path only known at run time.' },
  'write-outside-workspace': { score: 60, floor: 'ask', category: 'write', summary: 'Writes outside the workspace and temp directories.' },
  'write-system': { score: 40, hostScore: 70, category: 'write', summary: 'Writes to system directories: inside the sandbox that is the container\'s own copy (reviewed in a batch); on the host it asks. PATH directories and start-up configuration count as persistence.' },
  'write-system-config': { score: 65, floor: 'ask', category: 'write', summary: 'Changes system configuration (/etc, /boot, spools), which security tooling, logging and services read.' },
  'write-device': { score: 95, floor: 'deny', category: 'write', summary: 'Writes to a raw device or formats a disk.' },
  'write-protected': { score: 65, floor: 'ask', category: 'persistence', summary: 'Changes a workspace file that makes things run automatically (git hooks and config, .vscode tasks/settings, .devcontainer, CI workflows, .envrc).' },
  'write-env-file': { score: 35, hostScore: 60, category: 'write', summary: 'Writes a secrets file inside the workspace (.env, key files): reviewed, since it may overwrite real credentials.' },
  'write-secret': { score: 78, floor: 'ask', category: 'write', summary: 'Changes a credential file or key.' },
  'persistence': { score: 75, floor: 'ask', category: 'persistence', summary: 'Changes something that runs later on its own: shell start-up files, cron, systemd/launchd, authorized_keys, PATH directories, loader config.' },
  'policy-tamper': { score: 95, floor: 'deny', category: 'policy', summary: "Changes Airlock's own policy, audit log or configuration." },
  'chmod-setuid': { score: 85, floor: 'deny', category: 'privilege', summary: 'Makes a program run with its owner\'s privileges (setuid/setgid, capabilities).' },
  'permissions-outside': { score: 60, floor: 'ask', category: 'write', summary: 'Changes permissions or ownership outside the workspace.' },
  'permissions-workspace': { score: 5, hostScore: 40, category: 'write', summary: 'Changes permissions inside the workspace.' },
  'ownership-change': { score: 55, floor: 'ask', category: 'privilege', summary: 'Changes who owns files (needs root; used to plant root-owned or setuid files).' },
  'permissions-weaken': { score: 55, floor: 'ask', category: 'write', summary: 'Makes files writable by everyone.' },
  'secure-delete': { score: 60, floor: 'ask', category: 'delete', summary: 'Overwrites files so they cannot be recovered.' },
  'symlink-outside': { score: 55, floor: 'ask', category: 'write', summary: 'Creates a link that points outside the workspace.' },

  // Deleting.
  'delete-temp': { score: 5, hostScore: 30, category: 'delete', summary: 'Deletes temporary files.' },
  'delete-workspace-file': { score: 30, hostScore: 60, category: 'delete', summary: 'Deletes files inside the workspace.' },
  'delete-build-output': { score: 30, hostScore: 40, category: 'delete', summary: 'Deletes build output or caches.' },
  'delete-workspace-tree': { score: 55, hostScore: 65, category: 'delete', summary: 'Deletes directories inside the workspace recursively.' },
  'delete-workspace-root': { score: 75, floor: 'ask', category: 'delete', summary: 'Deletes the whole workspace or everything in it.' },
  'delete-unknown': { score: 40, hostScore: 65, category: 'delete', summary: 'Deletes paths only known at run time.' },
  'delete-outside': { score: 70, floor: 'ask', category: 'delete', summary: 'Deletes files outside the workspace.' },
  'delete-system': { score: 95, floor: 'deny', category: 'delete', summary: 'Deletes the root, home or system directories.' },
  'wipe-disk': { score: 95, floor: 'deny', category: 'delete', summary: 'Formats, wipes or partitions a disk.' },

  // Version control.
  'git-local-write': { score: 10, hostScore: 45, category: 'vcs', summary: 'Changes the working tree or index in a recoverable way (add, mv, stash, switch).' },
  'git-commit': { score: 30, hostScore: 45, category: 'vcs', summary: 'Creates a commit.' },
  'git-discard': { score: 60, floor: 'ask', category: 'vcs', summary: 'Discards uncommitted work (checkout --, restore, reset --hard, clean -f, stash drop/clear).' },
  'git-history-rewrite': { score: 60, floor: 'ask', category: 'vcs', summary: 'Rewrites history (rebase, amend, filter-branch, reset to another commit).' },
  'git-branch-delete': { score: 60, floor: 'ask', category: 'vcs', summary: 'Deletes branches or tags.' },
  'git-push': { score: 65, floor: 'ask', category: 'publish', summary: 'Pushes to a remote.' },
  'git-force-push': { score: 78, floor: 'ask', category: 'publish', summary: 'Force-pushes, overwriting the remote history.' },
  'git-fetch': { score: 30, hostScore: 45, category: 'network', summary: 'Fetches from a remote whose address comes from the repository configuration (the egress proxy still applies).' },
  'git-config-write': { score: 60, floor: 'ask', category: 'persistence', summary: 'Changes git configuration (hooks, aliases, credentials, remotes).' },

  // Packages.
  'package-install': { score: 35, hostScore: 60, category: 'packages', summary: 'Installs dependencies from a registry (lifecycle scripts may run).' },
  'package-install-local': { score: 10, hostScore: HOST_EXEC, category: 'packages', summary: 'Installs the workspace project itself or its lockfile (runs its build and lifecycle scripts).' },
  'package-install-url': { score: 60, floor: 'ask', category: 'packages', summary: 'Installs a package from a URL, git repository or unofficial index.' },
  'package-remove': { score: 30, hostScore: 55, category: 'packages', summary: 'Removes packages.' },
  'tool-config': { score: 45, hostScore: 60, category: 'packages', summary: 'Changes package-manager or tool configuration (registries, scripts, proxies).' },
  'system-package-install': { score: 45, hostScore: 70, category: 'packages', summary: 'Installs or removes system packages.' },
  publish: { score: 70, floor: 'ask', category: 'publish', summary: 'Publishes a package, image or release.' },

  // Network.
  'network-allowlisted': { score: 10, hostScore: 40, category: 'network', summary: 'Downloads from an allowlisted domain.' },
  'network-request': { score: 35, hostScore: 50, category: 'network', summary: 'A request to a domain not on the allowlist, caught by the egress proxy: reviewed (in a batch) with the command that made it.' },
  'network-local': { score: 10, hostScore: 30, category: 'network', summary: 'Talks to a service on this machine.' },
  'network-unlisted': { score: 55, floor: 'ask', category: 'network', summary: 'Contacts a domain that is not on the allowlist.' },
  'network-unknown': { score: 55, floor: 'ask', category: 'network', summary: 'Contacts a destination only known at run time.' },
  'network-ip-literal': { score: 60, floor: 'ask', category: 'network', summary: 'Contacts a raw IP address, bypassing name-based allowlists.' },
  'network-metadata': { score: 90, floor: 'deny', category: 'network', summary: 'Contacts a cloud metadata service (instance credentials).' },
  'network-denied': { score: 85, floor: 'deny', category: 'network', summary: 'Contacts a domain the policy denies.' },
  'network-listen': { score: 55, floor: 'ask', category: 'network', summary: 'Opens a listening socket reachable from outside.' },
  'remote-shell': { score: 65, floor: 'ask', category: 'network', summary: 'Logs in to or copies files with another machine (ssh, scp, rsync over ssh, ftp, telnet).' },
  upload: { score: 70, floor: 'ask', category: 'exfiltration', summary: 'Sends local data to a remote host.' },
  exfiltration: { score: 92, floor: 'deny', category: 'exfiltration', summary: 'Sends secrets or files to a host that is not on the allowlist.' },
  'download-exec': { score: 95, floor: 'deny', category: 'execute', summary: 'Downloads code and runs it in one go (curl | sh, sh <(wget …), eval "$(curl …)").' },
  'decode-exec': { score: 90, floor: 'deny', category: 'evasion', summary: 'Decodes a hidden payload and runs it (base64 -d | sh).' },
  'reverse-shell': { score: 98, floor: 'deny', category: 'exfiltration', summary: 'Connects a shell to a network socket (reverse or bind shell).' },

  // Privilege and containment.
  'privilege-escalation': { score: 60, floor: 'ask', category: 'privilege', summary: 'Runs as another user or root (sudo, su, doas, pkexec).' },
  'sandbox-escape': { score: 95, floor: 'deny', category: 'sandbox-escape', summary: 'Tries to leave the container or reach the host (privileged containers, host mounts, nsenter, docker.sock, kernel modules, /proc/sys writes).' },
  'container-control': { score: 60, floor: 'ask', category: 'sandbox-escape', summary: 'Drives a container engine or cluster.' },
  'user-management': { score: 75, floor: 'ask', category: 'privilege', summary: 'Creates or changes user accounts or passwords.' },
  'firewall-change': { score: 75, floor: 'ask', category: 'privilege', summary: 'Changes firewall, routing or network configuration.' },
  'service-control': { score: 60, floor: 'ask', category: 'persistence', summary: 'Starts, stops or installs system services or scheduled jobs.' },
  'cloud-write': { score: 70, floor: 'ask', category: 'infrastructure', summary: 'Changes cloud or cluster resources (apply, delete, deploy).' },
  'cloud-destroy': { score: 78, floor: 'ask', category: 'infrastructure', summary: 'Destroys cloud or cluster resources.' },
  'forge-read': { score: 35, hostScore: 50, category: 'infrastructure', summary: 'Reads pull requests, issues or checks from the code forge (gh, glab) with stored credentials.' },
  'cloud-read': { score: 50, hostScore: 55, category: 'infrastructure', summary: 'Reads cloud or cluster state with stored credentials.' },

  // Evasion.
  'history-tamper': { score: 75, floor: 'ask', category: 'evasion', summary: 'Clears or disables shell history.' },
  'log-tamper': { score: 78, floor: 'ask', category: 'evasion', summary: 'Clears, truncates or deletes system logs.' },
  'security-disable': { score: 85, floor: 'deny', category: 'evasion', summary: 'Disables security tooling (SELinux, AppArmor, auditd, firewall, antivirus).' },
  timestomp: { score: 60, floor: 'ask', category: 'evasion', summary: 'Forges file timestamps.' },
  'hide-file': { score: 55, floor: 'ask', category: 'evasion', summary: 'Hides files or makes them immutable (chattr, chflags hidden, dot-directories of dots).' },
} as const satisfies Record<string, RuleSpec>;

export type CommandRuleId = keyof typeof COMMAND_RULES;

/** The full catalog; diff rules join it in src/risk/diff. */
export const RULES: Record<string, RuleSpec> = { ...COMMAND_RULES };

export function registerRules(rules: Record<string, RuleSpec>): void {
  Object.assign(RULES, rules);
}

export function ruleSpec(id: string): RuleSpec {
  const spec = RULES[id];
  // An unknown rule id is a programming error; weigh it as high rather than ignore it.
  return spec ?? { score: 60, floor: 'ask', category: 'parsing', summary: `Unknown rule ${id}` };
}
