import { runCli } from './dockerCli';

/**
 * A container on an internal network reaches one host address: its bridge's gateway, where the proxy
 * listens. Without a rule it reaches every other service listening there too (anything bound to 0.0.0.0).
 * These INPUT rules let the bridge reach the proxy port and nothing else. They need root; without root the
 * start-up check finds out whether the host is exposed and refuses to run if it is.
 */
export async function installFirewall(bridge: string, proxyPort: number): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  await removeFirewall(bridge);
  const drop = await runCli('iptables', ['-I', 'INPUT', '1', '-i', bridge, '-j', 'DROP']);
  if (drop.code !== 0) return false;
  await runCli('iptables', ['-I', 'INPUT', '1', '-i', bridge, '-p', 'tcp', '--dport', String(proxyPort), '-j', 'ACCEPT']);
  await runCli('iptables', ['-I', 'INPUT', '1', '-i', bridge, '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
  return true;
}

export async function removeFirewall(bridge: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const rules = await runCli('iptables', ['-S', 'INPUT']);
  for (const line of rules.stdout.split('\n')) {
    if (!line.startsWith('-A INPUT') || !line.includes(`-i ${bridge} `)) continue;
    await runCli('iptables', ['-D', ...line.replace(/^-A /, '').split(' ')]);
  }
}
