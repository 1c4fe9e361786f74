import { shellQuote } from './shellQuote';

/**
 * A lexical scan of interpreter code passed inline (`python -c`, `node -e`, heredocs fed to an
 * interpreter, awk programs). It does not parse the languages; it looks for the calls that matter —
 * starting processes, opening sockets, decoding-and-running payloads, touching paths — across Python,
 * JavaScript, Perl, Ruby, PHP, Lua, awk and R, and reports literal arguments when it can see them so the
 * caller can judge the command or path itself. Anything it cannot see into counts against the code.
 */

export interface ShellCall {
  /** The API used, as written (e.g. `subprocess.run`). */
  api: string;
  /** The command line when the call's argument is a plain literal; undefined when it is computed. */
  literal?: string;
  /** Offset of the call within the code. */
  at: number;
}

export interface CodeSignals {
  shellCalls: ShellCall[];
  /** Hosts named in URLs or socket calls. */
  hosts: string[];
  /** Network APIs used without a host Airlock can read. */
  networkUnknown: boolean;
  /** Paths passed to file APIs as literals, with whether that call writes. */
  fileRefs: { path: string; write: boolean }[];
  /** Every absolute or home path literal (checked only for secrets and persistence places). */
  pathLiterals: string[];
  writes: boolean;
  obfuscatedExec: boolean;
  /** A shell binary named in the code (`/bin/sh`, `"bash"`). */
  namesShell: boolean;
  listens: boolean;
  privilege: boolean;
  nativeCode: boolean;
  appAutomation: boolean;
  dynamicExec: boolean;
}

const SHELL_APIS: RegExp[] = [
  /\bos\.(system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\s*\(/g,
  /\bsubprocess\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)\s*\(/g,
  /\bpty\.spawn\s*\(/g,
  /\bcommands\.getoutput\s*\(/g,
  /\basyncio\.create_subprocess_(shell|exec)\s*\(/g,
  /\b(child_process|execSync|execFileSync|spawnSync|execFile|spawn)\b\s*\(?/g,
  /\brequire\s*\(\s*['"](node:)?child_process['"]\s*\)/g,
  /\bDeno\.(run|Command)\b/g,
  /\bBun\.spawn(Sync)?\b/g,
  /\b(system|exec|passthru|shell_exec|proc_open|popen|pcntl_exec)\s*\(/g,
  /\bIO\.popen\b|\bOpen3\.|\bProcess\.spawn\b|\bKernel\.(system|exec|spawn)\b/g,
  /\bos\.execute\s*\(|\bio\.popen\s*\(/g,
  /\bsystem2?\s*\(|\bshell\s*\(/g,
  /\bqx\s*[{(/[|!]/g,
  /%x[{([]/g,
  /\bopen\s*\(?\s*[\w$]*\s*,?\s*['"]\s*\|/g,
  /\bopen\s*\(?\s*[\w$]*\s*,?\s*['"][^'"]*\|\s*['"]/g,
  /["'][^"'\n]*["']\s*\|\s*getline/g,
  /\|&/g,
  /\bprint[^;\n]*\|\s*"/g,
  /\bdo shell script\s+/g,
  /\bStart-Process\b|\bInvoke-Expression\b|\biex\b|\bInvoke-Command\b/g,
  /\bdo script\b/g,
];

const NETWORK_APIS = /\b(socket\.(socket|create_connection)|urllib\.request|urllib2|urllib3|urlopen|requests\.(get|post|put|patch|delete|head|request|Session)|http\.client|httplib|httpx\.|aiohttp|ftplib|smtplib|telnetlib|paramiko|fetch\s*\(|https?\.(get|request)\s*\(|net\.(connect|createConnection|Socket)|tls\.connect|dgram|XMLHttpRequest|WebSocket|LWP::|HTTP::Tiny|IO::Socket|Net::HTTP|open-uri|URI\.open|curl_exec|fsockopen|file_get_contents\s*\(\s*['"]https?:|\/inet\/(tcp|udp)\/|TCPSocket|UDPSocket|Sockets|socket\.http|download\.file|download\s*\(\s*['"]https?:|urlretrieve|require\s*\(\s*['"](node:)?(https?|net|tls|dgram|socket)['"]\s*\)|Invoke-WebRequest|Invoke-RestMethod|\biwr\b|\birm\b|Net\.WebClient|DownloadString|DownloadFile)/;

const LISTEN_APIS = /(:accept\s*\(|\.accept\s*\(\s*\)|\bbind\s*\(\s*['"](\*|0\.0\.0\.0)['"]|\.bind\s*\(\s*\(\s*['"](0\.0\.0\.0|)['"]|\.listen\s*\(|createServer|HTTPServer|TCPServer|SimpleHTTPRequestHandler|socketserver|app\.run\s*\([^)]*host\s*=\s*['"]0\.0\.0\.0)/;

const DECODERS = /\b(b64decode|base64\.(b64decode|decodebytes|standard_b64decode|urlsafe_b64decode|b32decode|b85decode|a85decode)|Buffer\.from\s*\([^)]*['"](base64|hex)['"]|atob\s*\(|fromCharCode|decode\s*\(\s*['"](base64|hex|rot13|rot_13)['"]|codecs\.decode|zlib\.decompress|marshal\.loads|bytes\.fromhex|unhexlify|MIME::Base64|decode_base64|unpack\s*\(\s*['"][mu]|base64_decode|str_rot13|gzinflate|gzuncompress|pack\s*\(\s*['"]H\*)/;
const DYNAMIC_EXEC = /\b(exec|eval|compile|Function|execfile|__import__|importlib\.import_module|runpy|assert_options|create_function|instance_eval|class_eval|loadstring|load)\s*\(/;

const NATIVE_CODE = /\b(ctypes|cdll|CDLL|LoadLibrary|dlopen|Fiddle|ffi\.load|FFI::|DynaLoader|System\.loadLibrary|process\.dlopen|ffi-napi|Add-Type)\b/;
const APP_AUTOMATION = /\btell\s+(application|app)\b|\bkeystroke\b|\bdisplay dialog\b|\bApplication\(['"]|\bSystem Events\b/;
const PRIVILEGE = /\b(os\.set(e|re|res)?[ug]id\s*\(\s*0|setuid\s*\(\s*0|POSIX::setuid|Process::Sys\.setuid|ctypes\.CDLL|libc\.so|process\.setuid\s*\(\s*0|prctl|capset)/;

const WRITE_APIS = /\b(open\s*\([^)]*['"][wax+]b?['"]|\.write_(text|bytes)\s*\(|writeFile(Sync)?\s*\(|appendFile(Sync)?\s*\(|createWriteStream|shutil\.(copy|copyfile|copy2|move|rmtree|copytree)|os\.(remove|unlink|rename|rmdir|removedirs|makedirs|mkdir|chmod|chown|symlink|link|truncate)|Path\([^)]*\)\.(unlink|rmdir|write_text|write_bytes|rename|touch|mkdir|chmod)|fs\.(rm|rmSync|unlink|unlinkSync|rename|renameSync|chmod|chmodSync|symlink|mkdir)|File\.(write|open)|file_put_contents|fwrite|unlink\s*\(|rmtree)/;

const SHELL_NAME = /(^|[^\w.-])\/(usr\/)?bin\/(ba|da|z|k|c|tc|fi|mk)?sh\b|['"](ba|da|z|k|c|tc)?sh['"]\s*[,)\]]|['"](ba|z|da)?sh\s+-[a-z]*[ci]|\bcmd\.exe\b|\bpowershell\b/;

const FILE_API = /\b(open|readfile|file|include|include_once|require_once|dofile|loadfile|io\.lines|slurp|read|readlines|readchomp|fread|download|download\.file|urlretrieve|io\.open|codecs\.open|Path|readFile(?:Sync)?|writeFile(?:Sync)?|appendFile(?:Sync)?|createReadStream|createWriteStream|file_get_contents|file_put_contents|fopen|File\.(?:read|open|write|new|readlines)|IO\.(?:read|write|readlines)|read_text|read_bytes|copyfile|copy2?|move|rmtree|remove|unlink|listdir|scandir|walk|glob|readlines|readFileSync|openSync|opendir|readdir(?:Sync)?|rm(?:Sync)?|chmod(?:Sync)?|symlink(?:Sync)?|loadtxt|read_csv)\s*\((?:[^()'"`]|\([^()]*\))*?[rbf]?(['"`])((?:\/|~\/|\.\.\/)[^'"`\n]{0,300})\2(\s*,\s*['"]([rwxab+tU]+)['"])?/g;
/** awk's own redirections: `print > "file"`, `getline < "file"`. */
const AWK_FILES = /\b(?:print|printf)\b[^;}\n]*?(>>?)\s*"([^"]+)"|\bgetline\s*<\s*"([^"]+)"/g;
const WRITING_API = /^(download|download\.file|urlretrieve|writeFile|appendFile|createWriteStream|file_put_contents|File\.write|IO\.write|copyfile|copy|copy2|move|rmtree|remove|unlink|rm|rmSync|chmod|chmodSync|symlink|symlinkSync)/;
const LITERAL_PATH = /['"`]((?:\/|~\/)[^'"`\s\u0000]{1,300})['"`]/g;
const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s'"`]*@)?(\[[^\]\s]+\]|[^/:?#\s'"`]+)/gi;
const CONNECT_TUPLE = /\.connect(?:_ex)?\s*\(\s*\(\s*['"]([^'"]+)['"]|create_connection\s*\(\s*\(\s*['"]([^'"]+)['"]|\/inet\/(?:tcp|udp)\/\d+\/([^/"']+)\/|(?:TCPSocket|IO::Socket::INET)[^'"]*['"]([^'":]+)|(?:net|tls)\.connect\s*\([^'"]*['"]([^'"]+)['"]|fsockopen\s*\(\s*['"]([^'"]+)['"]|\bconnect\s*\(\s*['"]([\w.-]+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})['"]/g;

/** The literal command passed to a shell API, for the simple forms: a string or a list of strings. */
function literalArgument(code: string, from: number): string | undefined {
  const rest = code.slice(from, from + 2000);
  const str = /^\s*(?:f?(['"])((?:[^\\'"\n]|\\.)*)\1|`([^`$]*)`)\s*[,)]/.exec(rest);
  if (str) {
    if (str[0].trimStart().startsWith('f')) return undefined; // f-strings interpolate
    return (str[2] ?? str[3] ?? '').replace(/\\(.)/g, '$1');
  }
  const list = /^\s*\[((?:\s*(?:(['"])(?:[^\\'"\n]|\\.)*\2|sys\.executable)\s*,?)+)\]/.exec(rest);
  if (list?.[1]) {
    const items = [...list[1].matchAll(/(['"])((?:[^\\'"\n]|\\.)*)\1|sys\.executable/g)].map((m) => (m[0] === 'sys.executable' ? 'python' : (m[2] ?? '')));
    return items.map(shellQuote).join(' ');
  }
  return undefined;
}

/**
 * Bare `exec(`/`spawn(`/`system(` mean different things per language: Python's exec() runs Python, a
 * method call like `re.compile(...).exec(` is not a process. Only count them where they start processes.
 */
function ambiguous(match: string, code: string, at: number, isPython: boolean): boolean {
  const name = match.replace(/[\s(]+$/, '');
  if (at > 0 && code[at - 1] === '.') return !(/^(exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)$/.test(name) && /child_process/.test(code));
  if (name === 'exec') return isPython || !/child_process|<\?php|\$\w+|^\s*(use |my )/m.test(code);
  if (name === 'spawn' || name === 'execFile' || name === 'execSync' || name === 'execFileSync' || name === 'spawnSync') return !/child_process/.test(code) && name !== 'execSync';
  if (name === 'shell') return isPython;
  return false;
}

export function scanCode(code: string): CodeSignals {
  const isPython = /^\s*(import |from \w[\w.]* import |def |class |print\()/m.test(code) || /\bsys\.|\bos\./.test(code);
  const shellCalls: ShellCall[] = [];
  const seen = new Set<number>();
  for (const re of SHELL_APIS) {
    re.lastIndex = 0;
    for (const m of code.matchAll(re)) {
      const at = m.index ?? 0;
      if (seen.has(at)) continue;
      if (ambiguous(m[0], code, at, isPython)) continue;
      seen.add(at);
      const literal = m[0].endsWith('(') || /do shell script\s+$/.test(m[0]) ? literalArgument(code, at + m[0].length) ?? literalArgument(code.slice(0, at + m[0].length) + '(' + code.slice(at + m[0].length).replace(/^("(?:[^"\\]|\\.)*")/, '$1)'), at + m[0].length + 1) : undefined;
      shellCalls.push({ api: m[0].replace(/\s*\($/, ''), at, ...(literal !== undefined ? { literal } : {}) });
    }
  }
  // Backticks run commands in Perl, Ruby and PHP, not in JavaScript or Python.
  if (/^\s*(use |my |\$|require ['"]|puts |<\?php)/m.test(code) || /\bprint\s+`|=\s*`[^`]*`\s*;/.test(code)) {
    for (const m of code.matchAll(/`([^`\n]+)`/g)) shellCalls.push({ api: 'backticks', at: m.index ?? 0, literal: m[1] ?? '' });
  }

  const hosts = new Set<string>();
  for (const m of code.matchAll(URL_HOST)) if (m[1] && !/^(file|data|about|mailto)$/i.test(m[0].split(':')[0] ?? '')) hosts.add(m[1]);
  for (const m of code.matchAll(CONNECT_TUPLE)) {
    const h = m.slice(1).find((x) => x !== undefined);
    if (h) hosts.add(h);
  }
  const usesNetwork = NETWORK_APIS.test(code);
  const pathLiterals = [...code.matchAll(LITERAL_PATH)].map((m) => m[1] ?? '').filter((p) => p.length > 1 && !/^\/\/|^\/[gimsuy]*$/.test(p));
  const fileRefs = [...code.matchAll(FILE_API)].map((m) => {
    const api = m[1] ?? '';
    const mode = m[5] ?? '';
    return { path: m[3] ?? '', write: WRITING_API.test(api) || /[wax+]/.test(mode) };
  });
  // PowerShell cmdlets take paths without quotes.
  for (const m of code.matchAll(/\b(Out-File|Set-Content|Add-Content|Remove-Item|Copy-Item|Move-Item|Get-Content|gc|cat)\s+(?:-(?:FilePath|Path|LiteralPath|Destination)\s+)?['"]?((?:\/|~\/)[^\s'"|;]+)/g)) {
    fileRefs.push({ path: m[2] ?? '', write: !/^(Get-Content|gc|cat)$/.test(m[1] ?? '') });
  }
  // AppleScript names files as POSIX file "…".
  for (const m of code.matchAll(/POSIX file\s+"([^"]+)"/g)) fileRefs.push({ path: m[1] ?? '', write: /\b(delete|move|duplicate|write|make new)\b/.test(code) });
  for (const m of code.matchAll(AWK_FILES)) {
    if (m[2] && m[2].startsWith('/') || m[2]?.startsWith('~')) fileRefs.push({ path: m[2], write: true });
    else if (m[2] && !m[2].startsWith('/dev/std') && /^[\w./-]+$/.test(m[2]) && !/^(cat|sort|sh|bash)\b/.test(m[2])) fileRefs.push({ path: m[2], write: true });
    if (m[3]) fileRefs.push({ path: m[3], write: false });
  }
  const decodes = DECODERS.test(code);
  const dynamicExec = DYNAMIC_EXEC.test(code);
  return {
    shellCalls,
    // A URL in a string is only a destination when the code also uses a network API.
    hosts: usesNetwork ? [...hosts] : [],
    networkUnknown: usesNetwork && hosts.size === 0,
    fileRefs,
    pathLiterals,
    writes: WRITE_APIS.test(code),
    obfuscatedExec: decodes && (dynamicExec || shellCalls.length > 0),
    namesShell: SHELL_NAME.test(code),
    listens: LISTEN_APIS.test(code),
    privilege: PRIVILEGE.test(code),
    nativeCode: NATIVE_CODE.test(code),
    appAutomation: APP_AUTOMATION.test(code),
    dynamicExec,
  };
}

const cache = new Map<string, CodeSignals>();
/** The same code is scanned by the extractor and by the analyzer; keep the last few results. */
export function scanCodeCached(code: string): CodeSignals {
  let hit = cache.get(code);
  if (!hit) {
    hit = scanCode(code);
    if (cache.size > 256) cache.clear();
    cache.set(code, hit);
  }
  return hit;
}
