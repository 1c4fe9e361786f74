export type DestinationKind = 'allowlisted' | 'denied' | 'unlisted' | 'local' | 'ip-literal' | 'metadata' | 'unknown';

export interface NetworkRules {
  allow: readonly string[];
  deny: readonly string[];
}

export interface Destination {
  host: string;
  kind: DestinationKind;
}

const METADATA_HOSTS = new Set(['169.254.169.254', 'metadata.google.internal', 'metadata', '100.100.100.200', 'fd00:ec2::254', '169.254.170.2']);

/**
 * Domain patterns: `example.com` is that host only; `*.example.com` any subdomain; `**.example.com` or
 * `.example.com` the domain and every subdomain. Kept to these forms so a pattern means one obvious thing.
 */
export function domainMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('**.') || p.startsWith('.')) {
    const base = p.replace(/^\*\*\./, '').replace(/^\./, '');
    return host === base || host.endsWith('.' + base);
  }
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
  return host === p;
}

function listed(list: readonly string[], host: string): boolean {
  return list.some((p) => domainMatches(p, host));
}

function isIpv4(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^0x[0-9a-f]+$/i.test(host) || /^\d{8,10}$/.test(host);
}

export function classifyHost(rawHost: string, rules: NetworkRules): Destination {
  const host = rawHost.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (!host || host.includes('\u{FFFC}')) return { host: rawHost, kind: 'unknown' };
  if (METADATA_HOSTS.has(host) || host.startsWith('169.254.')) return { host, kind: 'metadata' };
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host) || host === '0.0.0.0') return { host, kind: 'local' };
  // Deny wins over allow.
  if (listed(rules.deny, host)) return { host, kind: 'denied' };
  if (isIpv4(host) || host.includes(':')) return { host, kind: 'ip-literal' };
  if (listed(rules.allow, host)) return { host, kind: 'allowlisted' };
  return { host, kind: 'unlisted' };
}

/** Host of a URL-ish argument: `https://h/p`, `h:port`, `user@h:path`, or undefined when it is not one. */
export function hostOf(value: string, bare = false): string | undefined {
  const url = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#]*)/i.exec(value);
  if (url) return url[2];
  const scp = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}|localhost):/i.exec(value);
  if (scp) return scp[1];
  if (!bare) return undefined;
  const plain = /^([\w-]+(?:\.[\w-]+)*\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:\/.*)?$/i.exec(value);
  if (plain) return plain[1];
  return undefined;
}
