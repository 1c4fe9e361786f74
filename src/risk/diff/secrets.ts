/** Known credential formats. Each match is reported redacted: a prefix and the length, never the value. */
const KNOWN: { name: string; re: RegExp }[] = [
  { name: 'AWS access key id', re: /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[0-9A-Z]{16}\b/ },
  { name: 'AWS secret access key', re: /aws_?secret_?access_?key\s*[:=]\s*['"]?[A-Za-z0-9/+=]{40}\b/i },
  { name: 'GitHub token', re: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b/ },
  { name: 'GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'Slack webhook', re: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { name: 'Stripe live key', re: /\b(sk|rk)_live_[A-Za-z0-9]{20,}\b/ },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'OpenAI API key', re: /\bsk-(proj-)?[A-Za-z0-9_-]{32,}\b/ },
  { name: 'Anthropic API key', re: /\bsk-ant-[A-Za-z0-9_-]{32,}\b/ },
  { name: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'PyPI token', re: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}\b/ },
  { name: 'SendGrid key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { name: 'Twilio key', re: /\bSK[0-9a-fA-F]{32}\b/ },
  { name: 'private key', re: /-----BEGIN (RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----/ },
  { name: 'JSON web token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/ },
  { name: 'connection string with password', re: /\b(postgres(ql)?|mysql|mongodb(\+srv)?|redis|amqp):\/\/[^:\s/'"]+:[^@\s'"]{6,}@/ },
];

const ASSIGNMENT = /\b([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth)[A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']([^"'\s]{16,})["']/i;

/** Values that look like placeholders or references, not secrets. */
const PLACEHOLDER = /^(\$\{?[A-Z_]+\}?|<[^>]+>|x{6,}|\*{6,}|\.{3,}|changeme|your[-_]|example|placeholder|dummy|test|fake|process\.env|os\.environ|secrets\.)/i;

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

export function redact(value: string): string {
  return `${value.slice(0, 4)}…(${value.length} characters)`;
}

export interface SecretHit {
  kind: string;
  redacted: string;
}

/** Cheap first look: every pattern below needs one of these substrings, so most lines are done here. */
const MAY_HOLD_SECRET = /AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|gh[pousr]_|github_pat_|glpat-|xox|hooks\.slack|_live_|AIza|sk-|npm_|pypi-|SG\.|SK[0-9a-fA-F]{8}|PRIVATE KEY|eyJ|:\/\/[^\s:/]+:[^@\s]+@|pass|secret|token|key|auth/i;

export function findSecret(line: string): SecretHit | undefined {
  if (!MAY_HOLD_SECRET.test(line)) return undefined;
  for (const k of KNOWN) {
    const m = k.re.exec(line);
    if (m) return { kind: k.name, redacted: redact(m[0]) };
  }
  const a = ASSIGNMENT.exec(line);
  if (a?.[2] && !PLACEHOLDER.test(a[2]) && entropy(a[2]) >= 3.5 && /\d/.test(a[2]) && /[a-zA-Z]/.test(a[2])) {
    return { kind: `high-entropy value assigned to ${a[1]}`, redacted: redact(a[2]) };
  }
  return undefined;
}
