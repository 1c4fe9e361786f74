import type { Finding } from '../types';
import type { DiffLine, FileDiff } from './parseDiff';
import { fileFinding } from './finding';
import { findSecret } from './secrets';
import { deceptiveCharacterFindings } from '../command/analyzers/characters';
import { scanCodeCached } from '../shared/inlineCode';

/** Runs a shell command line through the command assessor and returns its findings. */
export type CommandJudge = (command: string) => Finding[];

/** Command findings that matter when the command is written into a file to run later. */
const DANGEROUS_IN_CODE = new Set([
  'download-exec', 'decode-exec', 'reverse-shell', 'exfiltration', 'upload', 'network-metadata', 'network-denied', 'network-unlisted', 'network-ip-literal',
  'sandbox-escape', 'secret-read', 'secret-search', 'persistence', 'policy-tamper', 'fork-bomb', 'wipe-disk', 'delete-system', 'git-config-exec', 'write-device',
  'chmod-setuid', 'security-disable', 'history-tamper', 'log-tamper', 'offensive-tool', 'inline-code-obfuscated', 'hidden-shell', 'git-force-push', 'publish',
]);

const TLS_OFF = [
  /\bverify\s*=\s*False\b/,
  /\brejectUnauthorized\s*:\s*false\b/,
  /NODE_TLS_REJECT_UNAUTHORIZED\s*[=:]\s*['"]?0/,
  /\bInsecureSkipVerify\s*:\s*true\b/,
  /\bstrict-ssl\s*[=:]\s*false\b/i,
  /\bsslverify\s*[=:]\s*(false|0)\b/i,
  /CURLOPT_SSL_VERIFY(PEER|HOST)\s*,\s*(false|0)\b/,
  /\bcheck_hostname\s*=\s*False\b/,
  /ssl\._create_unverified_context|CERT_NONE\b/,
  /\bPYTHONHTTPSVERIFY\s*[=:]\s*['"]?0/,
  /\bGIT_SSL_NO_VERIFY\b|http\.sslVerify\s*=?\s*false/i,
  /\bdanger_accept_invalid_certs\s*\(\s*true\s*\)/,
  /\b(curl|wget)\b[^\n]*\s(-k|--insecure|--no-check-certificate)\b/,
];

const ENCODED_EXEC = /\b(eval|exec|Function|execfile|compile|system|assert|create_function|instance_eval|loadstring)\s*\(\s*[^)]*\b(b64decode|base64|Buffer\.from\s*\([^)]*['"](base64|hex)['"]|atob|fromCharCode|decode\s*\(\s*['"](base64|hex|rot13)|zlib\.decompress|gzinflate|gzuncompress|str_rot13|unhexlify|bytes\.fromhex|marshal\.loads)/;

// Cheap gates: the full patterns run only on lines that contain one of these words.
const MAY_EVAL = /eval|exec|Function|compile|system|assert|create_function|instance_eval|loadstring/;
const MAY_TLS = /verify|Verify|reject|TLS|tls|ssl|SSL|CERT|insecure|Insecure|check_hostname|certs/;
const MAY_RUN = /\b(exec\w*|spawn\w*|system|popen|subprocess|child_process|execute|pty|qx|shell|Start-Process|iex|Invoke-Expression|getline|do shell script|IO\.popen|Open3|eval)\b|\|&/;
/** Backticks run commands only in Perl, Ruby and PHP (in JavaScript they are template strings). */
const BACKTICK_LANG = /\.(rb|pl|pm|php)$/i;
const CODE_FILE = /\.(m?[jt]sx?|cjs|py|rb|php|pl|pm|lua|go|rs|java|kt|cs|swift|r)$/i;

export function addedLineFindings(file: FileDiff, line: DiffLine): Finding[] {
  const out: Finding[] = [];
  const text = line.text;
  for (const d of deceptiveCharacterFindings(text)) out.push(fileFinding('deceptive-characters', d.message.replace(/at offset \d+/, `in ${file.path}:${line.newLine}`), file, line));
  const secret = findSecret(text);
  if (secret) out.push(fileFinding('secret-added', `${secret.kind} added: ${secret.redacted}`, file, line));
  if (MAY_EVAL.test(text) && ENCODED_EXEC.test(text)) out.push(fileFinding('encoded-code', 'runs code decoded from an encoded string', file, line));
  if (MAY_TLS.test(text) && TLS_OFF.some((re) => re.test(text))) out.push(fileFinding('tls-disabled', 'turns off TLS certificate verification', file, line));
  return out;
}

/** Shell commands embedded in code (`child_process.exec("curl … | sh")`, `os.system(…)`) are judged as commands. */
export function codeLineFindings(file: FileDiff, line: DiffLine, judge: CommandJudge): Finding[] {
  if (!CODE_FILE.test(file.path) || line.text.length > 2000 || !(MAY_RUN.test(line.text) || (BACKTICK_LANG.test(file.path) && /`|%x/.test(line.text)))) return [];
  const signals = scanCodeCached(line.text);
  const out: Finding[] = [];
  if (signals.obfuscatedExec && !ENCODED_EXEC.test(line.text)) out.push(fileFinding('encoded-code', 'decodes a payload and executes it', file, line));
  for (const call of signals.shellCalls) {
    if (call.literal === undefined) continue;
    out.push(...shellFindings(call.literal, file, line, judge, `${call.api}(…)`));
  }
  return out;
}

export function shellFindings(command: string, file: FileDiff, line: DiffLine, judge: CommandJudge, where: string): Finding[] {
  return judge(command)
    .filter((f) => DANGEROUS_IN_CODE.has(f.rule))
    .map((f) => fileFinding(f.rule as Parameters<typeof fileFinding>[0], `${where}: ${f.message}`, file, line));
}
