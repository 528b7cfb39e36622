import { isIP } from 'node:net';

/**
 * Whether an IP address is one a webhook must not reach from AWS: loopback, private (RFC 1918, ULA),
 * link-local (incl. the instance metadata service 169.254.169.254), unspecified, CGNAT, multicast,
 * reserved, and IPv4-mapped forms of these. Anything that is not an IP is refused too.
 */
export const isForbiddenWebhookAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return forbiddenV4(address);
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return forbiddenV4(mapped[1] as string);
  const words = expandV6(lower);
  if (!words) return true;
  const [a] = words as [number];
  if (words.every((w) => w === 0)) return true; // ::
  if (words.slice(0, 7).every((w) => w === 0) && words[7] === 1) return true; // ::1
  if ((a & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((a & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((a & 0xff00) === 0xff00) return true; // multicast
  if (a === 0x64 && words[1] === 0xff9b) return true; // 64:ff9b::/96 NAT64 (could reach IPv4 internals)
  if (a === 0x2002) return true; // 6to4 embeds IPv4
  return false;
};

const forbiddenV4 = (address: string): boolean => {
  const [a, b] = address.split('.').map(Number) as [number, number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
};

const expandV6 = (address: string): number[] | undefined => {
  const zone = address.indexOf('%');
  const plain = zone >= 0 ? address.slice(0, zone) : address;
  const [head, tail] = plain.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':') : []);
  let left = parse(head);
  let right = tail !== undefined ? parse(tail) : [];
  const v4 = (parts: string[]) => {
    const last = parts[parts.length - 1];
    if (last && last.includes('.')) {
      const n = last.split('.').map(Number) as [number, number, number, number];
      parts.splice(parts.length - 1, 1, ((n[0] << 8) | n[1]).toString(16), ((n[2] << 8) | n[3]).toString(16));
    }
    return parts;
  };
  if (tail !== undefined) right = v4(right);
  else left = v4(left);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((w) => parseInt(w, 16));
};
