import ipaddr from 'ipaddr.js';

/** A refusal names the address as read (`127.0.0.1` for `2130706433`) and what kind it is. */
export type AddressVerdict = { allowed: true } | { allowed: false; address: string; kind: string; reason: string };

const NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  private: 'a private address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  uniqueLocal: 'a unique local address',
  ipv4Mapped: 'an IPv4-mapped address',
  rfc6145: 'an IPv4-translated address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
};
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether a webhook may connect to an address: only public unicast ones. Loopback, link-local,
 * private, shared, unique local, unspecified, multicast and reserved ranges are refused, and so
 * is every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) or
 * lies outside global unicast. Decimal, octal and hex IPv4 spellings are read as what they mean.
 */
export function checkAddress(text: string): AddressVerdict {
  if (!ipaddr.isValid(text)) return refuse(text, 'not an IP address');
  let address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  const range = address.range();
  if (range !== 'unicast') return refuse(address.toString(), NAMES[range] ?? `a ${range} address`);
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return refuse(address.toString(), 'not a global unicast address');
  return { allowed: true };
}

function refuse(address: string, kind: string): AddressVerdict {
  return { allowed: false, address, kind, reason: `${address} is ${kind}` };
}
