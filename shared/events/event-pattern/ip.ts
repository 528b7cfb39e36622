import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as an unsigned integer of its family's width. */
export interface IpAddress {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

export interface CidrRange {
  readonly bits: 32 | 128;
  /** Number of leading bits fixed by the range. */
  readonly prefixLength: number;
  /** The range's address with the host bits cleared (EventBridge floors `10.0.0.7/24` to `10.0.0.0`). */
  readonly network: bigint;
}

// EventBridge only treats a string as an IP address if it has one of these shapes (Ruler's gate
// before parsing); dotted-quad IPv6 forms and zone ids are therefore plain strings.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV4_MAPPED_PREFIX = 0xffffn;

const parseIpv6Groups = (text: string): bigint => {
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeroCount = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...new Array<string>(zeroCount).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
};

/**
 * Parses an IPv4 or IPv6 address literal, or returns undefined for anything else. As in
 * EventBridge (Java's InetAddress), an IPv4-mapped IPv6 address (`::ffff:a00:1`) is the IPv4 address.
 */
export const parseIp = (text: string): IpAddress | undefined => {
  if (IPV4_SHAPE.test(text)) {
    if (!isIPv4(text)) return undefined;
    const value = text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    return { bits: 32, value };
  }
  if (IPV6_SHAPE.test(text) && isIPv6(text)) {
    const value = parseIpv6Groups(text);
    if (value >> 32n === IPV4_MAPPED_PREFIX) return { bits: 32, value: value & 0xffffffffn };
    return { bits: 128, value };
  }
  return undefined;
};

export const sameIp = (a: IpAddress, b: IpAddress): boolean => a.bits === b.bits && a.value === b.value;

/**
 * Parses `address/prefix`. Returns the reason on failure. EventBridge (Ruler) rejects /32 for IPv4
 * and /128 for IPv6 — a single address is written as an exact string match instead, which the
 * pattern language compares as an IP address.
 */
export const parseCidr = (text: string): CidrRange | string => {
  const parts = text.split('/');
  if (parts.length !== 2) return `malformed CIDR "${text}": exactly one "/" is required`;
  const [addressText = '', maskText = ''] = parts;
  if (!/^[0-9]+$/.test(maskText)) return `malformed CIDR "${text}": the prefix length must be a non-negative integer`;
  const address = parseIp(addressText);
  if (address === undefined) return `malformed CIDR "${text}": "${addressText}" is not an IPv4 or IPv6 address`;
  const prefixLength = Number(maskText);
  if (prefixLength >= address.bits) {
    return (
      `CIDR "${text}": the ${address.bits === 32 ? 'IPv4' : 'IPv6'} prefix length must be below ${address.bits} ` +
      '(match a single address with an exact string instead)'
    );
  }
  const hostBits = BigInt(address.bits - prefixLength);
  return { bits: address.bits, prefixLength, network: (address.value >> hostBits) << hostBits };
};

export const cidrContains = (range: CidrRange, address: IpAddress): boolean => {
  if (range.bits !== address.bits) return false;
  const hostBits = BigInt(range.bits - range.prefixLength);
  return address.value >> hostBits === range.network >> hostBits;
};
