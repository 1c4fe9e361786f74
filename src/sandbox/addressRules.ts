import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Addresses the sandbox may never reach, however the name was spelled: loopback, link-local (cloud
 * metadata lives there), unspecified, multicast, the host's own interfaces (a proxy that connects to them
 * would hand the sandbox the host's services), and the well-known metadata addresses outside link-local.
 */
const forbidden = new BlockList();
forbidden.addSubnet('127.0.0.0', 8, 'ipv4');
forbidden.addSubnet('0.0.0.0', 8, 'ipv4');
forbidden.addSubnet('169.254.0.0', 16, 'ipv4');
forbidden.addSubnet('224.0.0.0', 4, 'ipv4');
forbidden.addSubnet('240.0.0.0', 4, 'ipv4');
forbidden.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
forbidden.addAddress('::1', 'ipv6');
forbidden.addAddress('::', 'ipv6');
forbidden.addSubnet('fe80::', 10, 'ipv6');
forbidden.addSubnet('ff00::', 8, 'ipv6');
forbidden.addSubnet('fd00:ec2::', 64, 'ipv6'); // AWS IMDS over IPv6

function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i): i is NonNullable<typeof i> => !!i)
    .map((i) => i.address);
}

/** Why an address is off limits, or undefined when the sandbox may connect to it. */
export function forbiddenAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address in disguise.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return forbiddenAddress(mapped[1]);
  if (forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6')) return 'a loopback, link-local, metadata or otherwise reserved address';
  if (hostAddresses().includes(address)) return "one of this machine's own addresses";
  return undefined;
}
