import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** API.md §9: at most this many characters. */
export const MAX_URL_LENGTH = 2048;

/**
 * Whether an address is on the public internet: ipaddr.js's `unicast` range, which leaves out loopback,
 * private (RFC 1918), link-local (incl. the 169.254.169.254 cloud metadata address), carrier-grade NAT
 * (100.64/10, e.g. 100.100.100.200 metadata), unique-local IPv6 (fc00::/7, e.g. fd00:ec2::254), multicast,
 * reserved and the IPv6 transition ranges that can wrap a private IPv4 address. IPv4-mapped IPv6 is judged as
 * the IPv4 address it maps.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * The rules an endpoint URL must meet when it is saved (API.md §9), or the reason it does not: `https` (or
 * `http` with the development switch), no credentials, at most 2,048 characters, and not a literal
 * loopback, private, link-local, unique-local or metadata address nor `localhost` (RFC 6761) unless the
 * switch allows private addresses. Host names are checked after resolution on every attempt (`resolvePublic`).
 */
export function urlProblem(raw: string, allowPrivate: boolean): string | undefined {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute https:// URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must use https://';
  if (url.username || url.password) return 'must not contain credentials (user:password@)';
  if (url.hash) return 'must not contain a fragment (#…)';
  if (allowPrivate) return undefined;
  const host = bare(url.hostname).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must reach a public address, not localhost';
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return 'must reach a public address, not a loopback, private, link-local or metadata address';
  return undefined;
}

/** A delivery attempt refused before connecting, with the attempt log's error code. */
export class DeliveryRefused extends Error {
  constructor(readonly code: 'private_address' | 'dns_failure' | 'invalid_url', message: string) {
    super(message);
  }
}

/**
 * Resolves a host name and returns an address to connect to, after checking every address the name resolves
 * to (a name that also points at a private address is refused as a whole, so DNS cannot steer a later
 * connection inside). An IP literal is checked as it is. With `allowPrivate` any address is accepted.
 */
export async function resolvePublic(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const host = bare(hostname);
  if (ipaddr.isValid(host)) {
    if (!allowPrivate && !isPublicAddress(host)) throw new DeliveryRefused('private_address', `${host} is not a public address`);
    return { address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 };
  }
  let found: { address: string; family: number }[];
  try {
    found = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new DeliveryRefused('dns_failure', `could not resolve ${host}`);
  }
  if (!found.length) throw new DeliveryRefused('dns_failure', `no address for ${host}`);
  if (!allowPrivate && found.some((a) => !isPublicAddress(a.address))) throw new DeliveryRefused('private_address', `${host} resolves to a non-public address`);
  return { address: found[0]!.address, family: found[0]!.family === 6 ? 6 : 4 };
}
