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
 * Cloud instance metadata services (AWS, GCP, Azure, Oracle at 169.254.169.254; AWS ECS task
 * metadata; Alibaba; AWS's IPv6 endpoint): they hand the asking host its credentials.
 */
const METADATA = ['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254'].map((a) => ipaddr.parse(a).toNormalizedString());
/** IPv6 ranges whose last 32 bits are an IPv4 address a packet ends up at: mapped, translated, NAT64, compatible. */
const EMBEDDING_V4 = ['::ffff:0:0/96', '::ffff:0:0:0/96', '64:ff9b::/96', '::/96'].map((cidr) => ipaddr.parseCIDR(cidr));

export interface AddressOptions {
  /**
   * Lifts the rule to private and internal addresses (development and tests). A cloud metadata
   * address is refused even then: no development setup needs it, and it holds credentials.
   */
  allowPrivate?: boolean;
}

/**
 * Whether the system may connect to an address: only public unicast ones. Loopback, link-local,
 * private, shared, unique local, unspecified, multicast and reserved ranges are refused, and so
 * is every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) or
 * lies outside global unicast. Decimal, octal and hex IPv4 spellings are read as what they mean.
 */
export function checkAddress(text: string, { allowPrivate = false }: AddressOptions = {}): AddressVerdict {
  if (!ipaddr.isValid(text)) return refuse(text, 'not an IP address');
  let address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  if (isMetadata(address)) return refuse(address.toString(), 'a cloud metadata address');
  if (allowPrivate) return { allowed: true };
  const range = address.range();
  if (range !== 'unicast') return refuse(address.toString(), NAMES[range] ?? `a ${range} address`);
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return refuse(address.toString(), 'not a global unicast address');
  return { allowed: true };
}

function isMetadata(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (METADATA.includes(address.toNormalizedString())) return true;
  if (address.kind() !== 'ipv6') return false;
  const v6 = address as ipaddr.IPv6;
  if (!EMBEDDING_V4.some((cidr) => v6.match(cidr))) return false;
  const [high = 0, low = 0] = v6.parts.slice(6);
  const v4 = new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  return METADATA.includes(v4.toNormalizedString());
}

function refuse(address: string, kind: string): AddressVerdict {
  return { allowed: false, address, kind, reason: `${address} is ${kind}` };
}
