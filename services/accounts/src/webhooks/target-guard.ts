import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * SSRF protection: a webhook goes only to public addresses. Every address the
 * host resolves to is checked (at registration and again before each attempt,
 * so a name re-pointed at an internal address later is refused: DNS
 * rebinding), and the request then connects to the checked address itself.
 * The allow-list (WEBHOOK_ALLOWED_TARGETS) admits local receivers.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64, may reach internal IPv4
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local (also AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv6');

export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class TargetRefused extends Error {
  override name = 'TargetRefused';
}

const MAX_URL_LENGTH = 2048;

/** The URL as a webhook target, or TargetRefused saying why. */
export function parseTargetUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new TargetRefused(`URL longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused('only http and https URLs');
  if (url.username || url.password) throw new TargetRefused('credentials in the URL');
  return url;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address, so the IPv4 rules apply. */
function unmapped(address: string): { address: string; family: 4 | 6 } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

export function isForbiddenAddress(address: string, allowed: BlockList): boolean {
  const plain = unmapped(address);
  const type = plain.family === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(plain.address, type)) return false;
  // An IPv4-mapped form written in hex (::ffff:7f00:1) is refused whole.
  if (plain.family === 6 && /^::ffff:/i.test(plain.address)) return true;
  return FORBIDDEN.check(plain.address, type);
}

/** Resolves the URL's host and checks every address; the first one is where to connect. */
export async function resolveTarget(raw: string, allowed: BlockList): Promise<ResolvedTarget> {
  const url = parseTargetUrl(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new TargetRefused(`host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`host ${host} does not resolve`);
  const refused = addresses.find((entry) => isForbiddenAddress(entry.address, allowed));
  if (refused) throw new TargetRefused(`${host} resolves to ${refused.address}, a private, loopback, link-local or reserved address`);
  const first = unmapped(addresses[0]!.address);
  return { url, address: first.address, family: first.family };
}
