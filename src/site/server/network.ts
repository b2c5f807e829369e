import ipaddr from 'ipaddr.js';

/**
 * The network a client address belongs to, as rate limits and likes count readers: an IPv4
 * address by its /24, an IPv6 address by its /48 (one site's allocation), so that a reader who
 * hops between addresses of one network is still one reader, and no whole address is kept.
 */
export function networkOf(address: string): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return `other:${address}`;
  }
  if (parsed.kind() === 'ipv4') {
    const [a, b, c] = (parsed as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.0/24`;
  }
  const parts = (parsed as ipaddr.IPv6).parts;
  const head = parts
    .slice(0, 3)
    .map((p) => p.toString(16))
    .join(':');
  return `${head}::/48`;
}
