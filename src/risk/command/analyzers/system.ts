import type { Finding } from '../../types';
import { programName } from '../model';
import { finding, hasFlag, optionValues, pathFindings, positionals, type CommandAnalyzer } from './context';

const privilege: CommandAnalyzer = {
  names: ['sudo', 'su', 'doas', 'pkexec', 'runuser', 'setpriv', 'capsh', 'sg', 'newgrp', 'chpst', 'gosu', 'su-exec'],
  analyze(cmd) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const out: Finding[] = [finding('privilege-escalation', `${name} runs a command as another user`, cmd, cmd.argv[0]?.span)];
    const rest = positionals(a, ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group']);
    if ((name === 'sudo' && (hasFlag(a, 's', '--shell') || hasFlag(a, 'i', '--login')) && rest.length === 0) || ((name === 'su' || name === 'sg' || name === 'newgrp') && !a.some((w) => w.value === '-c' || w.value.startsWith('--command'))) || (name === 'capsh' && a.some((w) => w.value === '--' || w.value.startsWith('--gid') || w.value.startsWith('--uid')))) {
      out.push(finding('interactive-shell', `${name} opens a shell as another user`, cmd));
    }
    if (name === 'sudo' && (hasFlag(a, 'l', '--list') || hasFlag(a, null, '-ll'))) out.push(finding('system-recon', 'sudo -l lists what can run as root', cmd));
    if (name === 'sudo' && (hasFlag(a, 'e', '--edit') || rest[0]?.value === 'sudoedit')) out.push(finding('interactive-program', 'sudoedit opens an editor as root', cmd));
    return out;
  },
};

const escape: CommandAnalyzer = {
  names: ['nsenter', 'unshare', 'chroot', 'mount', 'umount', 'modprobe', 'insmod', 'rmmod', 'kexec', 'pivot_root', 'debugfs', 'setns', 'capsh-escape', 'losetup', 'cgexec', 'lxc-attach', 'machinectl', 'systemd-nspawn', 'ctr', 'crictl', 'runc', 'nerdctl'],
  analyze(cmd) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    if (name === 'mount' && a.length === 0) return [finding('system-recon', 'mount lists mounted filesystems', cmd)];
    if (name === 'unshare' && a.every((w) => /^(-r|-U|--user|--map-root-user|-n|--net|-p|--pid|-f|--fork|-m|--mount|--mount-proc)$/.test(w.value) || !w.value.startsWith('-'))) {
      return [finding('sandbox-escape', 'unshare creates new namespaces (often a step toward escaping a container)', cmd)];
    }
    return [finding('sandbox-escape', `${name} manipulates namespaces, mounts or the kernel`, cmd)];
  },
};

const containers: CommandAnalyzer = {
  names: ['docker', 'podman', 'docker-compose', 'kubectl', 'k3s', 'oc', 'minikube', 'kind', 'lxc', 'vagrant', 'virsh', 'qemu-system-x86_64', 'buildah', 'skopeo'],
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const sub = positionals(a, ['-H', '--host', '--context', '-n', '--namespace', '--kubeconfig', '-f', '--file', '-p', '--project-name', '-c', '--config'])[0]?.value ?? '';
    const out: Finding[] = [];
    const escapeFlags = a.filter((w) => /^--privileged$|^--pid=host$|^--net(work)?=host$|^--ipc=host$|^--userns=host$|^--uts=host$|^--cap-add(=|$)|^--security-opt(=|$)|^--device(=|$)|docker\.sock|^(-v|--volume|--mount)?=?\/(:|,|$)|^\/:\/|^\/(etc|root|home|var\/run|proc|sys|dev)(\/[^:]*)?:/.test(w.value));
    const mounts = optionValues(a, '-v', '--volume').concat(optionValues(a, null, '--mount'));
    for (const m of mounts) if (/^\/($|:|[a-z]+)/.test(m.value) && !/^\/tmp\//.test(m.value) && !m.value.startsWith(ctx.paths.workspace)) escapeFlags.push(m);
    if (escapeFlags.length > 0) out.push(finding('sandbox-escape', `${name} ${escapeFlags.map((w) => w.text).join(' ')} gives a container the host`, cmd, escapeFlags[0]?.span));
    if (name === 'kubectl' || name === 'oc' || name === 'k3s') {
      if (['delete', 'drain', 'cordon', 'replace'].includes(sub)) out.push(finding('cloud-destroy', `${name} ${sub}`, cmd));
      else if (['apply', 'create', 'patch', 'edit', 'scale', 'set', 'rollout', 'label', 'annotate', 'expose', 'run', 'autoscale', 'taint'].includes(sub)) out.push(finding('cloud-write', `${name} ${sub} changes cluster resources`, cmd));
      else if (['exec', 'cp', 'port-forward', 'proxy', 'attach', 'debug'].includes(sub)) out.push(finding('container-control', `${name} ${sub} reaches into running workloads`, cmd));
      else if (sub === 'get' && a.some((w) => /^secrets?$/.test(w.value))) out.push(finding('secret-read', `${name} get secret reads cluster secrets`, cmd));
      else if (sub === 'config' && a.some((w) => w.value === 'view') && a.some((w) => w.value === '--raw')) out.push(finding('secret-read', 'kubectl config view --raw prints credentials', cmd));
      else out.push(finding('cloud-read', `${name} ${sub} reads cluster state`, cmd));
      return out;
    }
    if (['push'].includes(sub)) out.push(finding('publish', `${name} push publishes an image`, cmd));
    else if (['login'].includes(sub)) out.push(finding('secret-read', `${name} login stores registry credentials`, cmd));
    else if (['ps', 'images', 'version', 'info', 'inspect', 'logs', 'stats', 'top', 'port', 'history', 'search'].includes(sub)) out.push(finding('container-control', `${name} ${sub} talks to the container engine`, cmd));
    else out.push(finding('container-control', `${name} ${sub} drives the container engine`, cmd));
    return out;
  },
};

const cloud: CommandAnalyzer = {
  names: ['aws', 'gcloud', 'gsutil', 'az', 'terraform', 'tofu', 'pulumi', 'cdk', 'sam', 'serverless', 'sls', 'heroku', 'flyctl', 'fly', 'vercel', 'netlify', 'firebase', 'doctl', 'linode-cli', 'ansible', 'ansible-playbook', 'gh', 'glab', 'eksctl', 'wrangler', 'railway', 'supabase'],
  analyze(cmd) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const words = positionals(a, ['--profile', '--region', '-p', '--project', '--output', '-o', '--query', '-R', '--repo', '-i', '--inventory', '-e', '--extra-vars', '-u', '--user', '-f', '--file', '-b', '--body', '-t', '--title', '-X', '--method', '-H', '--header', '--jq']).map((w) => w.value);
    const joined = words.join(' ');
    if (name === 'gh' || name === 'glab') {
      if (/^auth (token|status)/.test(joined) || a.some((w) => w.value === '--show-token')) return [finding('secret-read', `${name} ${joined} prints the stored token`, cmd)];
      if (/^(release (create|upload|delete|edit)|repo (create|delete|edit|fork|archive|rename)|secret (set|delete)|variable (set|delete)|workflow (run|enable|disable))/.test(joined)) return [finding('publish', `${name} ${joined}`, cmd)];
      if (/^gist (create|edit)/.test(joined)) return [finding('upload', `${name} gist uploads files publicly`, cmd)];
      if (/^(pr|issue) (create|comment|edit|close|merge|review|reopen)|^(pr|issue) \S+ (comment|edit|close|merge)/.test(joined)) return [finding('publish', `${name} ${joined} writes to the forge`, cmd)];
      if (/^api/.test(joined)) {
        const method = optionValues(a, '-X', '--method')[0]?.value.toUpperCase();
        if ((method && method !== 'GET') || a.some((w) => /^-[fF]$|^--(field|raw-field|input)$/.test(w.value))) return [finding('publish', `${name} api writes through the API`, cmd)];
      }
      return [finding('forge-read', `${name} ${joined} reads from the forge with stored credentials`, cmd)];
    }
    if (/\b(destroy|delete|remove|rm|terminate|purge|deregister|drop)\b|\bs3 rb\b|\bs3 rm\b|\brm -r\b/.test(joined)) return [finding('cloud-destroy', `${name} ${joined}`, cmd)];
    if (/\b(get-secret-value|secretsmanager|ssm get-parameter|kms decrypt|iam create-access-key|sts get-session-token|print-access-token|get-credentials|auth print|get-login-password|keyvault secret show|configure get|configure export-credentials|output -raw|state pull)\b/.test(joined)) return [finding('secret-read', `${name} ${joined} reads credentials or secrets`, cmd)];
    if (name === 'terraform' || name === 'tofu' || name === 'pulumi' || name === 'cdk') {
      if (/^(plan|validate|fmt|show|output|graph|providers|version|init|workspace (list|show)|preview|synth|diff|ls)/.test(joined)) return [finding('cloud-read', `${name} ${joined}`, cmd)];
      return [finding('cloud-write', `${name} ${joined} changes infrastructure`, cmd)];
    }
    if (name === 'ansible' || name === 'ansible-playbook') return [finding('cloud-write', `${name} runs tasks on other machines`, cmd)];
    if (/\b(s3 (cp|sync|mv)|storage cp|gsutil cp|blob upload)\b/.test(joined) || (name === 'gsutil' && /^(cp|rsync|mv)/.test(joined))) {
      const uploads = words.some((w, i) => i > 1 && /^(s3|gs|az):\/\//.test(w) && !/^(s3|gs|az):\/\//.test(words[i - 1] ?? ''));
      return [finding(uploads ? 'upload' : 'cloud-read', `${name} ${joined}`, cmd)];
    }
    if (/\b(create|put|update|deploy|set|apply|run|start|stop|attach|modify|add|invoke|publish|upload|scale|restart|enable|disable|tag|import|login)\b/.test(joined)) return [finding('cloud-write', `${name} ${joined}`, cmd)];
    return [finding('cloud-read', `${name} ${joined} reads cloud state with stored credentials`, cmd)];
  },
};

const services: CommandAnalyzer = {
  names: ['systemctl', 'service', 'launchctl', 'crontab', 'at', 'batch', 'atq', 'atrm', 'update-rc.d', 'chkconfig', 'rc-update', 'rc-service', 'initctl', 'loginctl', 'journalctl', 'logrotate', 'schtasks', 'anacron', 'systemd-run'],
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const sub = positionals(a)[0]?.value ?? '';
    if (name === 'systemctl' && ['status', 'list-units', 'list-unit-files', 'is-active', 'is-enabled', 'show', 'cat', 'list-timers'].includes(sub)) return [];
    if (name === 'systemctl' && ['stop', 'disable', 'mask', 'kill'].includes(sub) && a.some((w) => /audit|apparmor|selinux|firewall|ufw|falco|clamav|osquery|wazuh|crowdstrike|falcon|sysmon|rsyslog|syslog|journald/i.test(w.value))) return [finding('security-disable', `${name} ${sub} stops security or logging services`, cmd)];
    if (name === 'crontab') {
      if (hasFlag(a, 'l')) return [];
      if (hasFlag(a, 'r')) return [finding('service-control', 'crontab -r deletes scheduled jobs', cmd)];
      const file = positionals(a, ['-u'])[0];
      return [finding('persistence', 'crontab installs scheduled jobs', cmd), ...(file && file.value !== '-' ? pathFindings(file, 'read', cmd, ctx) : [])];
    }
    if (name === 'at' || name === 'batch' || name === 'systemd-run') return [finding('persistence', `${name} schedules a command to run later`, cmd)];
    if (name === 'atq') return [];
    if (name === 'journalctl') {
      if (a.some((w) => /^--(vacuum|rotate|flush)/.test(w.value))) return [finding('log-tamper', 'journalctl removes or rotates logs', cmd)];
      return [];
    }
    if (name === 'loginctl' && (sub === 'user-status' || sub === 'session-status' || sub === 'list-sessions')) return [finding('interactive-program', `loginctl ${sub} opens a pager`, cmd)];
    if (name === 'launchctl' && (sub === 'list' || sub === 'print')) return [];
    return [finding(name === 'launchctl' && ['load', 'bootstrap', 'submit', 'enable'].includes(sub) || ['enable', 'update-rc.d', 'chkconfig', 'rc-update'].includes(sub === 'enable' ? 'enable' : name) ? 'persistence' : 'service-control', `${name} ${sub} controls system services`, cmd)];
  },
};

const processes: CommandAnalyzer = {
  names: ['kill', 'pkill', 'killall', 'skill', 'xkill', 'taskkill', 'fuser'],
  analyze(cmd) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    if (name === 'kill' && hasFlag(a, 'l')) return [];
    if (name === 'fuser' && !hasFlag(a, 'k', '--kill')) return [];
    const targets = positionals(a, ['-s', '-n', '-u', '-t', '-g', '-signal', '--signal']);
    // `kill -9 -1` signals every process: -1 is a target even though it looks like an option.
    const raw = a.filter((w, i) => !(i === 0 && /^-(\d+|[A-Z]+|SIG\w+)$/.test(w.value) && a.length > 1));
    if ((targets.some((t) => /^(-1|1)$/.test(t.value)) || raw.some((w) => w.value === '-1')) && name === 'kill') return [finding('system-power', 'kill -9 -1 / kill 1 stops every process or init', cmd)];
    if (targets.some((t) => /audit|apparmor|falco|clamd|osquery|wazuh|falcon|sysmon|syslog|sshd|dockerd|containerd/.test(t.value))) return [finding('security-disable', `${name} stops security, logging or system daemons`, cmd)];
    return [finding('kill-process', `${name} stops processes`, cmd)];
  },
};

const power: CommandAnalyzer = {
  names: ['shutdown', 'reboot', 'halt', 'poweroff', 'init', 'telinit', 'systemd-halt'],
  analyze(cmd) {
    if (programName(cmd) === 'init' && !/^[06]$/.test(cmd.argv[1]?.value ?? '')) return [finding('service-control', 'init changes runlevel', cmd)];
    return [finding('system-power', `${cmd.argv[0]?.text} stops or restarts the machine`, cmd)];
  },
};

const network: CommandAnalyzer = {
  names: ['iptables', 'ip6tables', 'nft', 'ufw', 'firewall-cmd', 'pfctl', 'route', 'ip', 'ifconfig', 'iwconfig', 'nmcli', 'tc', 'ethtool', 'arp', 'brctl', 'sysctl', 'hostnamectl', 'resolvectl', 'networksetup', 'scutil', 'setenforce', 'aa-disable', 'aa-complain', 'apparmor_parser', 'auditctl', 'spctl', 'csrutil', 'defaults', 'tmutil', 'dscl', 'xattr', 'mdutil', 'log', 'wevtutil', 'Set-MpPreference', 'sestatus', 'getenforce', 'aa-status'],
  analyze(cmd) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const sub = positionals(a)[0]?.value ?? '';
    if (['sestatus', 'getenforce', 'aa-status'].includes(name)) return [finding('system-recon', `${name} reports security state`, cmd)];
    if (name === 'setenforce' || name === 'aa-disable' || name === 'aa-complain' || name === 'csrutil' || (name === 'spctl' && a.some((w) => /--master-disable|--disable/.test(w.value))) || (name === 'auditctl' && a.some((w) => w.value === '-D' || w.value === '-e'))) return [finding('security-disable', `${name} weakens system security`, cmd)];
    if (name === 'ufw' && sub === 'disable') return [finding('security-disable', 'ufw disable turns the firewall off', cmd)];
    if (name === 'xattr') {
      if (hasFlag(a, 'd') || hasFlag(a, 'c') || a.some((w) => w.value.includes('quarantine'))) return [finding('security-disable', 'xattr removes the quarantine attribute (Gatekeeper)', cmd)];
      return [finding('system-recon', 'xattr reads extended attributes', cmd)];
    }
    if (name === 'log' && (sub === 'erase' || sub === 'config')) return [finding('log-tamper', 'log erase clears the unified log', cmd)];
    if (name === 'log' || name === 'wevtutil' && sub !== 'cl') return [finding('system-recon', `${name} reads system logs`, cmd)];
    if (name === 'wevtutil') return [finding('log-tamper', 'wevtutil cl clears event logs', cmd)];
    if (name === 'defaults' && (sub === 'read' || sub === 'domains')) return [finding('system-recon', 'defaults read', cmd)];
    if (name === 'dscl' && a.some((w) => /^-(create|append|passwd|delete|change)$/.test(w.value))) return [finding('user-management', 'dscl changes directory users', cmd)];
    if (name === 'dscl' || name === 'tmutil' || name === 'mdutil') return [finding('system-recon', `${name}`, cmd)];
    if ((name === 'ip' || name === 'ifconfig' || name === 'route' || name === 'arp' || name === 'sysctl' || name === 'nmcli' || name === 'resolvectl' || name === 'networksetup' || name === 'scutil' || name === 'hostnamectl' || name === 'iptables' || name === 'nft') && (a.length === 0 || /^(a|addr|address|r|route|link|l|show|list|-a|-n|-L|-S|-nL|status|--list|-l|--get|--dns|-s)$/.test(sub) || a.every((w) => /^-[a-zA-Z]*$/.test(w.value) && /[LSnav]/.test(w.value)))) {
      return [finding('system-recon', `${name} reads network or kernel configuration`, cmd)];
    }
    if (name === 'sysctl' && a.some((w) => /kernel\.(randomize_va_space|yama|modules_disabled|kptr_restrict|dmesg_restrict)|fs\.protected/.test(w.value))) return [finding('security-disable', 'sysctl weakens kernel protections', cmd)];
    return [finding('firewall-change', `${name} changes network, firewall or kernel settings`, cmd)];
  },
};

const users: CommandAnalyzer = {
  names: ['useradd', 'adduser', 'usermod', 'userdel', 'deluser', 'groupadd', 'groupmod', 'groupdel', 'gpasswd', 'passwd', 'chpasswd', 'chage', 'vipw', 'visudo', 'newusers', 'pwconv', 'sysadminctl', 'net', 'chsh', 'chfn'],
  analyze(cmd) {
    const name = programName(cmd) ?? '';
    if (name === 'passwd' && cmd.argv.some((w) => w.value === '-S' || w.value === '--status')) return [finding('system-recon', 'passwd -S', cmd)];
    return [finding('user-management', `${name} changes accounts, groups or passwords`, cmd)];
  },
};

const recon: CommandAnalyzer = {
  names: ['getent', 'lastlog', 'faillog', 'linpeas', 'linpeas.sh', 'linenum', 'pspy', 'lynis', 'chkrootkit', 'rkhunter', 'enum4linux', 'smbmap', 'ldapsearch', 'klist', 'kinit', 'security', 'keyctl', 'secret-tool', 'pass', 'gpg', 'gpg2', 'ssh-keygen', 'ssh-add', 'ssh-keyscan', 'ssh-agent', 'screencapture', 'scrot', 'import', 'xwd', 'xclip', 'xsel', 'pbcopy', 'pbpaste', 'xdotool', 'arecord', 'ffmpeg-record', 'logkeys', 'showkey', 'mimikatz', 'hashcat', 'john', 'hydra', 'unshadow', 'laZagne', 'lazagne', 'firefox_decrypt', 'keychain', 'dump-keychain'],
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    if (name === 'getent' && /^(passwd|group|hosts|services|protocols|networks)$/.test(a[0]?.value ?? '')) return [finding('system-recon', `getent ${a[0]?.value} enumerates accounts or hosts`, cmd)];
    if (name === 'getent' && /^(shadow|gshadow)$/.test(a[0]?.value ?? '')) return [finding('secret-read', `getent ${a[0]?.value} reads password hashes`, cmd)];
    if (name === 'ssh-keygen') {
      const out: Finding[] = [];
      for (const f of optionValues(a, '-f')) out.push(...pathFindings(f, hasFlag(a, 'y') || hasFlag(a, 'l') ? 'read' : 'write', cmd, ctx));
      if (out.length === 0 && !hasFlag(a, 'l') && !hasFlag(a, 'F') && !hasFlag(a, 'R')) out.push(finding('write-secret', 'ssh-keygen writes a key into ~/.ssh', cmd));
      if (hasFlag(a, 'R')) out.push(finding('hide-file', 'ssh-keygen -R removes a host from known_hosts', cmd));
      return out;
    }
    if (name === 'ssh-keyscan') return [finding('system-recon', 'ssh-keyscan probes hosts', cmd)];
    if (name === 'gpg' || name === 'gpg2') {
      if (a.some((w) => /^--(export-secret|list-secret|export-secret-keys|export-secret-subkeys)/.test(w.value) || w.value === '-K')) return [finding('secret-read', `${name} reads secret keys`, cmd)];
      if (a.some((w) => /^(-c|--symmetric|-e|--encrypt)$/.test(w.value))) {
        const out: Finding[] = [finding('write-workspace', `${name} encrypts files`, cmd)];
        for (const f of positionals(a, ['-o', '--output', '-r', '--recipient', '--passphrase', '--passphrase-fd', '--cipher-algo', '--batch', '-u', '--local-user'])) out.push(...pathFindings(f, 'read', cmd, ctx));
        for (const o of optionValues(a, '-o', '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
        return out;
      }
      return [finding('secret-read', `${name} uses the keyring`, cmd)];
    }
    if (['screencapture', 'scrot', 'import', 'xwd', 'xclip', 'xsel', 'pbcopy', 'pbpaste', 'xdotool', 'arecord', 'logkeys', 'showkey'].includes(name)) return [finding('secret-read', `${name} captures the screen, clipboard, keyboard or microphone`, cmd)];
    if (['mimikatz', 'hashcat', 'john', 'hydra', 'unshadow', 'lazagne', 'laZagne', 'firefox_decrypt', 'dump-keychain'].includes(name)) return [finding('secret-read', `${name} is a credential-cracking or dumping tool`, cmd)];
    if (['security', 'keyctl', 'secret-tool', 'pass', 'klist', 'kinit', 'ssh-add', 'ssh-agent', 'keychain'].includes(name)) return [finding('secret-read', `${name} reads or unlocks stored credentials`, cmd)];
    return [finding('system-recon', `${name} surveys the system or network`, cmd)];
  },
};

/** Programs that open an interactive UI: each can run shell commands from inside and hangs without a TTY. */
const interactive: CommandAnalyzer = {
  names: ['vi', 'vim', 'nvim', 'view', 'rvim', 'vimdiff', 'ex', 'ed', 'red', 'nano', 'pico', 'emacs', 'emacsclient', 'joe', 'mcedit', 'micro', 'less', 'more', 'most', 'pg', 'man', 'top', 'htop', 'atop', 'btop', 'iftop', 'iotop', 'nmtui', 'gdb', 'lldb', 'pdb', 'ipdb', 'mysql', 'psql', 'sqlplus', 'mongo', 'mongosh', 'redis-cli', 'sqlcmd', 'ftp-interactive', 'screen', 'tmux', 'byobu', 'watch-interactive', 'mc', 'ranger', 'nnn', 'vifm', 'tig', 'lazygit', 'ncdu', 'dialog', 'whiptail', 'busctl', 'ssh-interactive', 'minicom', 'cu', 'picocom', 'w3m', 'lynx', 'links', 'elinks', 'ghci', 'erl', 'iex', 'sqlite', 'bconsole', 'crash', 'nsh', 'wish-interactive', 'alpine', 'pine', 'neomutt', 'irssi', 'weechat', 'aria2-interactive', 'cdist', 'csvtool', 'easy_install', 'ginsh', 'ispell', 'aspell'],
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? '';
    const a = cmd.argv.slice(1);
    const out: Finding[] = [];
    if (a.some((w) => /(^|[\s'";:|])!|:!|\bsystem\s*\(|\bshell\b|--cmd|^\+|^-c$|-ex$|^--eval|^-e$|^--exec|\\!/.test(w.value))) out.push(finding('hidden-shell', `${name} is given commands that can start a shell`, cmd));
    const nonInteractive = (name === 'psql' || name === 'mysql' || name === 'sqlite' || name === 'redis-cli' || name === 'mongosh' || name === 'sqlcmd') && a.some((w) => /^(-c|-e|--command|--execute|--eval|-f|--file)$/.test(w.value));
    const piped = cmd.pipeline !== undefined && cmd.pipeline.stage < cmd.pipeline.stages - 1 && ['less', 'more', 'most', 'pg'].includes(name);
    if ((name === 'less' || name === 'more' || name === 'man') && !piped && cmd.pipeline && cmd.pipeline.stage > 0 && a.length === 0) return out; // paging piped text
    if (!nonInteractive) out.push(finding('interactive-program', `${name} is interactive and can run shell commands from inside`, cmd));
    else out.push(finding('cloud-read', `${name} queries a database`, cmd));
    for (const p of positionals(a)) if (p.value.startsWith('/') || p.value.startsWith('~')) out.push(...pathFindings(p, 'read', cmd, ctx));
    return out;
  },
};

const history: CommandAnalyzer = {
  names: ['history', 'shred-history'],
  analyze(cmd) {
    const a = cmd.argv.slice(1);
    if (a.some((w) => /^-[a-zA-Z]*[cdw]/.test(w.value))) return [finding('history-tamper', 'history -c/-d/-w clears or rewrites shell history', cmd)];
    return [finding('secret-read', 'history prints past commands, which may contain secrets', cmd)];
  },
};

export const systemAnalyzers = [privilege, escape, containers, cloud, services, processes, power, network, users, recon, interactive, history];
