import type { Finding } from '../../types';
import type { SimpleCommand, Word } from '../model';
import { args, finding, hasFlag, hostKind, optionValues, pathFindings, pathOf, positionals, type AnalyzerContext, type CommandAnalyzer } from './context';
import { hostOf, type Destination } from '../../shared/network';

export type NetworkMode = 'fetch' | 'upload' | 'connect';

/** One finding for one destination, weighted by where it points and whether data leaves. */
export function networkFinding(dest: Destination, label: string, cmd: SimpleCommand, word: Word | undefined, mode: NetworkMode): Finding[] {
  const span = word?.span;
  const where = dest.host;
  switch (dest.kind) {
    case 'metadata':
      return [finding('network-metadata', `${label}: ${where} is a cloud metadata service`, cmd, span)];
    case 'denied':
      return [finding(mode === 'upload' ? 'exfiltration' : 'network-denied', `${label}: ${where} is denied by policy`, cmd, span)];
    case 'local':
      return [finding(mode === 'upload' ? 'upload' : 'network-local', `${label}: ${where} is this machine`, cmd, span)];
    case 'allowlisted':
      return [finding(mode === 'upload' ? 'upload' : 'network-allowlisted', `${label}: ${where} is on the allowlist`, cmd, span)];
    case 'ip-literal':
      return [finding(mode === 'upload' ? 'exfiltration' : 'network-ip-literal', `${label}: ${where} is a raw IP address`, cmd, span)];
    case 'unknown':
      return [finding(mode === 'upload' ? 'exfiltration' : 'network-unknown', `${label}: the destination is only known at run time`, cmd, span)];
    case 'unlisted':
      return [finding(mode === 'upload' ? 'exfiltration' : 'network-unlisted', `${label}: ${where} is not on the allowlist`, cmd, span)];
  }
}

function urlFindings(words: Word[], cmd: SimpleCommand, ctx: AnalyzerContext, mode: NetworkMode, label: string): Finding[] {
  const out: Finding[] = [];
  for (const w of words) {
    if (/^file:\/\//i.test(w.value)) {
      out.push(...pathFindings({ ...w, value: w.value.replace(/^file:\/\/(localhost)?/i, '') }, 'read', cmd, ctx));
      continue;
    }
    // Whatever is not recognisably a URL is still a destination to these tools: take the text up to the
    // first `/`, `:` or `?` as the host rather than skip it.
    const host = w.dynamic && !/^[a-z]+:\/\/[^\u{FFFC}/]+/iu.test(w.value) ? '\u{FFFC}' : (hostOf(w.value, true) ?? /^(?:[^@/]*@)?([^/:?#]+)/.exec(w.value)?.[1]);
    if (host) out.push(...networkFinding(hostKind(host, ctx), `${label} ${w.text}`, cmd, w, mode));
  }
  return out;
}

/** An `@file` / `<file` / `-` body makes a request an upload of that file (or of whatever is piped in). */
function uploadSources(values: Word[], cmd: SimpleCommand, ctx: AnalyzerContext): { uploads: boolean; findings: Finding[] } {
  const findings: Finding[] = [];
  let uploads = false;
  for (const v of values) {
    const m = /^(?:[^=@<]*=)?[@<](.+)$/.exec(v.value);
    const file = m?.[1] ?? (v.value === '-' ? '-' : undefined);
    if (file === undefined) continue;
    uploads = true;
    if (file === '-') continue;
    const info = pathOf({ ...v, value: file }, cmd, ctx);
    if (info.tags.includes('secret')) findings.push(finding('exfiltration', `sends ${file}, a secret file`, cmd, v.span));
    else findings.push(...pathFindings({ ...v, value: file }, 'read', cmd, ctx));
  }
  return { uploads, findings };
}

const curl: CommandAnalyzer = {
  names: ['curl', 'curlie'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const out: Finding[] = [];
    const withValue = ['-o', '--output', '-d', '--data', '--data-binary', '--data-raw', '--data-urlencode', '--data-ascii', '-F', '--form', '--form-string', '-T', '--upload-file', '-H', '--header', '-X', '--request', '-u', '--user', '-x', '--proxy', '-e', '--referer', '-A', '--user-agent', '-b', '--cookie', '-c', '--cookie-jar', '-K', '--config', '--json', '-w', '--write-out', '--output-dir', '-m', '--max-time', '--connect-timeout', '--retry', '-r', '--range', '-E', '--cert', '--key', '--cacert', '--resolve', '--connect-to', '-y', '-Y', '--limit-rate', '-z', '-D', '--dump-header', '--url', '--unix-socket', '--abstract-unix-socket', '--trace', '--trace-ascii', '--stderr', '-Q', '--quote', '--interface', '--local-port', '-P', '--ftp-port', '--max-filesize', '--variable', '--expand-url'];
    const urls = [...positionals(a, withValue), ...optionValues(a, null, '--url')];
    const body = [
      ...optionValues(a, '-d', '--data', '--data-binary', '--data-raw', '--data-urlencode', '--data-ascii', '--json'),
      ...optionValues(a, '-F', '--form'),
      ...optionValues(a, '-T', '--upload-file').map((w) => ({ ...w, value: w.value === '-' || w.value === '.' ? '-' : '@' + w.value })),
    ];
    const sent = uploadSources(body, cmd, ctx);
    out.push(...sent.findings);
    const method = optionValues(a, '-X', '--request')[0]?.value.toUpperCase();
    const sendsData = sent.uploads || (body.length > 0 && body.some((b) => b.dynamic)) || (cmd.pipeline !== undefined && cmd.pipeline.stage > 0 && sent.uploads);
    out.push(...urlFindings(urls, cmd, ctx, sendsData ? 'upload' : method && method !== 'GET' && method !== 'HEAD' && body.length ? 'connect' : 'fetch', 'curl'));
    for (const o of [...optionValues(a, '-o', '--output'), ...optionValues(a, null, '--output-dir'), ...optionValues(a, '-c', '--cookie-jar'), ...optionValues(a, '-D', '--dump-header'), ...optionValues(a, null, '--trace', '--trace-ascii', '--stderr')]) {
      if (o.value !== '-') out.push(...pathFindings(o, 'write', cmd, ctx));
    }
    if (hasFlag(a, 'O', '--remote-name', '--remote-name-all')) out.push(finding('write-workspace', 'saves the download in the working directory', cmd));
    for (const s of optionValues(a, null, '--unix-socket', '--abstract-unix-socket')) out.push(...pathFindings(s, 'write', cmd, ctx));
    for (const k of optionValues(a, '-K', '--config')) out.push(...pathFindings(k, 'read', cmd, ctx), finding('hidden-shell', `curl -K ${k.text} takes further options from a file Airlock has not seen`, cmd, k.span));
    for (const c of [...optionValues(a, '-E', '--cert'), ...optionValues(a, null, '--key')]) out.push(...pathFindings(c, 'read', cmd, ctx));
    if (urls.length === 0 && !a.some((w) => /^(-V|--version|-h|--help|--manual)$/.test(w.value))) out.push(finding('network-unknown', 'curl with no URL Airlock can see', cmd));
    return out;
  },
};

const wget: CommandAnalyzer = {
  names: ['wget', 'wget2', 'aria2c', 'axel', 'http', 'https', 'xh', 'xhs', 'lwp-download', 'lwp-request', 'GET', 'POST', 'HEAD', 'fetch', 'ab', 'siege', 'hey', 'wrk'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop() ?? '';
    const out: Finding[] = [];
    const withValue = ['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output', '-i', '--input-file', '-e', '--execute', '--post-data', '--post-file', '--body-data', '--body-file', '--header', '-U', '--user-agent', '--user', '--password', '-t', '--tries', '-T', '--timeout', '-p', '-d', '--dir', '-c', '-n', '-C', '-H', '-A', '-v', '-T', '--method'];
    const upload = [...optionValues(a, null, '--post-file', '--body-file').map((w) => ({ ...w, value: '@' + w.value })), ...optionValues(a, '-p', '-T').filter(() => name === 'ab').map((w) => ({ ...w, value: '@' + w.value }))];
    const sent = uploadSources(upload, cmd, ctx);
    out.push(...sent.findings);
    const httpieUpload = (name === 'http' || name === 'https' || name === 'xh') && a.some((w) => /^[^=@]+@|^[\w-]+=@/.test(w.value) && !/^[\w.-]+@[\w.-]+\.[a-z]+$/.test(w.value));
    const pos = positionals(a, withValue).filter((w) => !(name === 'http' || name === 'https' || name === 'xh') || !/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(w.value));
    out.push(...urlFindings(pos, cmd, ctx, sent.uploads || httpieUpload ? 'upload' : 'fetch', name));
    for (const o of [...optionValues(a, '-O', '--output-document'), ...optionValues(a, '-P', '--directory-prefix'), ...optionValues(a, '-o', '--output-file'), ...(name === 'aria2c' ? optionValues(a, '-d', '--dir') : [])]) {
      if (o.value !== '-') out.push(...pathFindings(o, 'write', cmd, ctx));
    }
    for (const i of optionValues(a, '-i', '--input-file')) out.push(...pathFindings(i, 'read', cmd, ctx), finding('network-unknown', `${name} fetches URLs listed in ${i.text}`, cmd, i.span));
    for (const e of optionValues(a, '-e', '--execute')) if (name === 'wget') out.push(finding('hidden-shell', `wget -e ${e.text} runs wgetrc commands`, cmd, e.span));
    if (a.some((w) => /^--(use-askpass|on-download-complete|on-download-error|on-download-start|on-download-stop|on-bt-download-complete|on-download-pause)/.test(w.value))) out.push(finding('hidden-shell', `${name} is told to run a program on a download event`, cmd));
    if (pos.length === 0 && optionValues(a, '-i', '--input-file').length === 0) out.push(finding('network-unknown', `${name} with no URL Airlock can see`, cmd));
    return out;
  },
};

const netcat: CommandAnalyzer = {
  names: ['nc', 'ncat', 'netcat', 'nc.traditional', 'nc.openbsd', 'telnet', 'socat', 'cryptcat', 'pwncat'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop() ?? '';
    const out: Finding[] = [];
    if (name === 'socat') {
      for (const w of a) {
        const v = w.value.toLowerCase();
        if (/(^|[,!])(exec|system):/.test(v)) out.push(finding('reverse-shell', `socat ${w.text} connects a program to a socket`, cmd, w.span));
        else if (/^(tcp|udp|tcp4|tcp6|udp4|udp6|sctp)-?listen:/.test(v) || /^(openssl-listen|unix-listen):/.test(v)) out.push(finding('network-listen', `socat listens on ${w.text}`, cmd, w.span));
        else {
          const m = /^(?:tcp|udp|tcp4|tcp6|udp4|udp6|tcp-connect|udp-connect|openssl|openssl-connect|proxy|socks4a?):([^:,]+)/.exec(v);
          if (m?.[1]) out.push(...networkFinding(hostKind(m[1], ctx), `socat ${w.text}`, cmd, w, 'connect'));
          const file = /^(?:file|open|create|gopen):([^,]+)/.exec(w.value);
          if (file?.[1]) out.push(...pathFindings({ ...w, value: file[1] }, 'read', cmd, ctx));
        }
      }
      return out;
    }
    if (hasFlag(a, 'e') || hasFlag(a, 'c') || hasFlag(a, null, '--exec', '--sh-exec', '--lua-exec')) {
      out.push(finding('reverse-shell', `${name} -e connects a program to the network`, cmd));
    }
    const listening = hasFlag(a, 'l', '--listen');
    const pos = positionals(a, ['-p', '-s', '-w', '-i', '-q', '-e', '-c', '-x', '-X', '-P', '-O', '-I', '-T', '-V', '--exec', '--sh-exec', '-o']);
    if (listening) out.push(finding('network-listen', `${name} -l opens a listening socket`, cmd));
    const host = pos.find((p) => !/^\d+(-\d+)?$/.test(p.value));
    if (host && !listening) {
      const stdinData = cmd.redirects.some((r) => r.op === '<' || r.op === '<<<' || r.op === '<<') || (cmd.pipeline !== undefined && cmd.pipeline.stage > 0);
      out.push(...networkFinding(hostKind(host.value, ctx), `${name} ${host.text}`, cmd, host, stdinData ? 'upload' : 'connect'));
    }
    for (const o of optionValues(a, '-o', '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
    return out;
  },
};

const remote: CommandAnalyzer = {
  names: ['ssh', 'scp', 'sftp', 'rsync', 'ftp', 'tftp', 'lftp', 'smbclient', 'rcp', 'rsh', 'rlogin', 'mosh', 'sshfs', 'sshpass', 'autossh'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop() ?? '';
    const out: Finding[] = [];
    const options = [...optionValues(a, '-o'), ...a.filter((w) => /^-o\w/.test(w.value)).map((w) => ({ ...w, value: w.value.slice(2) }))];
    for (const o of options) {
      if (/^(ProxyCommand|LocalCommand|PermitLocalCommand|KnownHostsCommand|Match\s+exec|ProxyUseFdpass)/i.test(o.value)) out.push(finding('hidden-shell', `${name} -o ${o.text} runs a local program`, cmd, o.span));
    }
    for (const e of optionValues(a, '-e', '--rsh')) if (name === 'rsync') out.push(finding('archive-exec', `rsync -e ${e.text} runs a program as the transport`, cmd, e.span));
    for (const s of optionValues(a, null, '--rsync-path')) out.push(finding('archive-exec', `--rsync-path ${s.text} runs a program on the other side`, cmd, s.span));
    if (name === 'ssh' && (hasFlag(a, 'R') || hasFlag(a, 'L') || hasFlag(a, 'D') || hasFlag(a, 'w'))) out.push(finding('network-listen', 'ssh opens a tunnel', cmd));
    for (const i of optionValues(a, '-i', '-F')) out.push(...pathFindings(i, 'read', cmd, ctx));
    const pos = positionals(a, ['-p', '-P', '-i', '-o', '-F', '-l', '-e', '-b', '-c', '-D', '-E', '-I', '-J', '-L', '-m', '-O', '-Q', '-R', '-S', '-W', '-w', '-B', '-s']);
    const remotes = pos.filter((p) => /^[^/]*@|^[\w.-]+:/.test(p.value) || p.value.includes('://'));
    if (name === 'rsync' && remotes.length === 0 && !hasFlag(a, 'e', '--rsh')) {
      // Local rsync is a copy.
      const dest = pos.at(-1);
      for (const s of pos.slice(0, -1)) out.push(...pathFindings(s, 'read', cmd, ctx));
      if (dest) out.push(...pathFindings(dest, 'write', cmd, ctx));
      if (hasFlag(a, null, '--delete', '--delete-before', '--delete-after', '--delete-during', '--remove-source-files') && dest) out.push(...pathFindings(dest, 'delete', cmd, ctx, { recursive: true }));
      return out;
    }
    const uploading = (name === 'scp' || name === 'rsync') && pos.length >= 2 && !remotes.includes(pos[0] as Word);
    if (uploading) for (const s of pos.slice(0, -1)) if (!remotes.includes(s)) out.push(...pathFindings(s, 'read', cmd, ctx).map((f) => (f.rule === 'secret-read' ? { ...f, rule: 'exfiltration', message: f.message.replace('reads', 'sends') } : f)));
    out.push(finding('remote-shell', `${name} connects to another machine`, cmd));
    const target = remotes[0] ?? (['ssh', 'ftp', 'telnet', 'lftp', 'tftp', 'sftp', 'mosh', 'sshfs', 'autossh', 'smbclient'].includes(name) ? pos[0] : undefined);
    if (target) {
      const host = /^(?:[^@]*@)?([^:/]+)/.exec(target.value.replace(/^[a-z]+:\/\//, ''))?.[1];
      if (host) out.push(...networkFinding(hostKind(host, ctx), `${name} ${target.text}`, cmd, target, uploading ? 'upload' : 'connect'));
    }
    return out;
  },
};

const mail: CommandAnalyzer = {
  names: ['mail', 'mailx', 'sendmail', 'mutt', 'msmtp', 'swaks', 'ssmtp'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const out = [finding('upload', `${cmd.argv[0]?.text} sends mail`, cmd)];
    for (const at of optionValues(a, '-a', '-A', '--attach', '--attach-file')) out.push(...pathFindings(at, 'read', cmd, ctx).map((f) => (f.rule === 'secret-read' ? { ...f, rule: 'exfiltration' } : f)));
    return out;
  },
};

const dns: CommandAnalyzer = {
  names: ['ping', 'ping6', 'dig', 'nslookup', 'host', 'traceroute', 'tracepath', 'mtr', 'whois', 'drill', 'nmap', 'masscan', 'arp-scan', 'hping3', 'tcpdump', 'tshark', 'ngrep', 'finger', 'zmap', 'rustscan', 'nikto', 'gobuster', 'ffuf'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop() ?? '';
    const out: Finding[] = [];
    if (['nmap', 'masscan', 'arp-scan', 'hping3', 'zmap', 'rustscan', 'nikto', 'gobuster', 'ffuf'].includes(name)) out.push(finding('network-scan', `${name} scans hosts or ports`, cmd));
    if (name === 'tcpdump' || name === 'tshark' || name === 'ngrep') out.push(finding('network-scan', `${name} captures network traffic`, cmd));
    if (name === 'nmap' && a.some((w) => w.value === '--interactive' || w.value.startsWith('--script'))) out.push(finding('hidden-shell', 'nmap runs scripts or an interactive prompt', cmd));
    const pos = positionals(a, ['-c', '-t', '-p', '-w', '-i', '-W', '-s', '-I', '-q', '-x', '-f', '-o', '-e', '-r', '--script', '-oN', '-oX', '-oG', '-iL']);
    for (const p of pos) {
      const v = p.value.replace(/^@/, '').replace(/^[^@]*@(?=[\w.-]+$)/, '');
      if (/^\d+$/.test(v) || /^(A|AAAA|MX|TXT|NS|CNAME|SOA|ANY|PTR|SRV)$/i.test(v) || v.startsWith('+')) continue;
      out.push(...networkFinding(hostKind(hostOf(v, true) ?? v, ctx), `${name} ${p.text}`, cmd, p, 'connect'));
    }
    return out;
  },
};

const openssl: CommandAnalyzer = {
  names: ['openssl'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const out: Finding[] = [];
    const sub = a[0]?.value;
    if (sub === 's_client' || sub === 's_time') {
      for (const c of optionValues(a, '-connect', '-host')) {
        const host = c.value.split(':')[0] ?? '';
        const stdinData = cmd.redirects.some((r) => r.op === '<' || r.op === '<<<') || (cmd.pipeline !== undefined && cmd.pipeline.stage > 0);
        out.push(...networkFinding(hostKind(host, ctx), `openssl ${sub} ${c.text}`, cmd, c, stdinData ? 'upload' : 'connect'));
      }
      for (const r of cmd.redirects) if (r.op === '<' && r.target) out.push(...pathFindings(r.target, 'read', cmd, ctx).map((f) => (f.rule === 'secret-read' ? { ...f, rule: 'exfiltration' } : f)));
    }
    if (sub === 's_server') out.push(finding('network-listen', 'openssl s_server listens for connections', cmd));
    for (const i of optionValues(a, '-in', '-inkey', '-key', '-CAfile', '-cert', '-kfile', '-infiles', '-passin')) if (!i.value.startsWith('pass:') && !i.value.startsWith('env:')) out.push(...pathFindings(i, 'read', cmd, ctx));
    for (const o of optionValues(a, '-out', '-keyout')) out.push(...pathFindings(o, 'write', cmd, ctx));
    return out;
  },
};

export const networkAnalyzers: CommandAnalyzer[] = [curl, wget, netcat, remote, mail, dns, openssl];

const tunnels: CommandAnalyzer = {
  names: ['ngrok', 'cloudflared', 'devtunnel', 'lt', 'localtunnel', 'bore', 'chisel', 'frpc', 'pagekite', 'tailscale', 'zrok', 'loophole', 'tmole'],
  analyze(cmd) {
    return [finding('network-listen', `${cmd.argv[0]?.text} exposes a local service to the internet`, cmd)];
  },
};
networkAnalyzers.push(tunnels);
