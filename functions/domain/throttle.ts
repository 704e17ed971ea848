// Attempts are counted per key (an email, a client's network) in a fixed
// window; an attempt past a key's limit is refused, before any password is
// hashed, until the window that began with the key's first attempt ends.
export const THROTTLE = { windowMs: 15 * 60_000 } as const;

export type ThrottledAction = 'sign-in' | 'sign-up' | 'password-change';

// Sign-in counts failures (a success forgives its attempt): guessing one
// account's password, or spraying many accounts from one place, gets 5
// tries a window. Sign-up counts every attempt: "already exists" tells
// whether an email is registered, and each new account costs a password
// hash. 20 per network leaves room for an office behind one address.
// A password change counts failures like sign-in, keyed by the person
// rather than an email: a session left open must not become a way to guess
// the password it was opened with.
export const LIMITS: Record<ThrottledAction, { email: number; address: number }> = {
  'sign-in': { email: 5, address: 5 },
  'sign-up': { email: 5, address: 20 },
  'password-change': { email: 5, address: 20 },
};

export type AttemptCount = { count: number; windowStart: number };

/** `email` is the account's email (sign-in, sign-up) or its user id (password change). */
export function throttleKeys(action: ThrottledAction, email: string, clientAddress: string) {
  return { email: `${action}:email:${email}`, address: `${action}:net:${clientNetwork(clientAddress)}` };
}

// The count includes the attempt being judged.
export function isOverLimit(entry: AttemptCount, limit: number): boolean {
  return entry.count > limit;
}

export function retryAfterSeconds(entry: AttemptCount, now: number): number {
  return Math.max(1, Math.ceil((entry.windowStart + THROTTLE.windowMs - now) / 1000));
}

// What one client controls: an IPv4 address, or an IPv6 /64, since a single
// host is routinely given a whole /64 (RFC 6177) and could otherwise count
// each of its 2^64 addresses as a new client. IPv4-mapped IPv6
// (::ffff:192.0.2.1, how a dual-stack socket reports IPv4 clients) is the
// IPv4 address. Anything that is not an IP address is kept as it is.
export function clientNetwork(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (IPV4.test(bare)) return bare;
  const groups = ipv6Groups(bare.toLowerCase());
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

// The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2 text forms:
// `::` once, and a dotted IPv4 tail), or null when it is not one.
function ipv6Groups(text: string): number[] | null {
  let tail: number[] = [];
  let head = text;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!IPV4.test(dotted[2]!)) return null;
    const [a, b, c, d] = dotted[2]!.split('.').map(Number) as [number, number, number, number];
    tail = [(a << 8) | b, (c << 8) | d];
    head = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...left, ...right].every((g) => HEX_GROUP.test(g))) return null;
  const written = left.length + right.length + tail.length;
  if (halves.length === 2 ? written > 7 : written !== 8) return null;
  const zeros = Array<number>(8 - written).fill(0);
  return [...left.map(hex), ...(halves.length === 2 ? zeros : []), ...right.map(hex), ...tail];
}

const hex = (group: string) => parseInt(group, 16);
