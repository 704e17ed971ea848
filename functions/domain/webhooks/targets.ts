import ipaddr from 'ipaddr.js';

// Where Relate may send a webhook: a public http(s) address, never one
// inside the network it runs in (loopback, private, link-local, CGNAT,
// cloud metadata, multicast, reserved). The WHATWG URL parser, the same in
// Workers and Node, already writes every spelling of an IPv4 address
// (decimal 2130706433, octal 0177.0.0.1, hex 0x7f.1, short 127.1,
// percent-encoded) as dotted quads, and IPv6 in its compressed form, so
// one check of the parsed host covers them; an IPv4 address inside IPv6
// (mapped ::ffff:, NAT64 64:ff9b::, 6to4 2002::) is refused as IPv6 for
// not being global unicast. Names are checked again once resolved, where
// the host resolves them (the Node host's delivery).

export type TargetOptions = {
  // Local development and tests only: loopback targets (127.0.0.0/8, ::1,
  // localhost) are let through; private and metadata addresses never are.
  allowLoopback?: boolean;
};

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

const refused = (reason: string): TargetCheck => ({ ok: false, reason });

// Names that only ever mean something inside a network.
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.intranet', '.lan', '.home.arpa', '.corp', '.localdomain'];

// True only for a global unicast address (or loopback, when allowed).
export function isPublicAddress(address: string, { allowLoopback = false }: TargetOptions = {}): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  // ::ffff:a.b.c.d is the IPv4 host a.b.c.d to a dual-stack socket.
  const ip = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
  const range = ip.range();
  return range === 'unicast' || (allowLoopback && range === 'loopback');
}

const isIpLiteral = (host: string) => host.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(host);

export function checkTarget(text: string, options: TargetOptions = {}): TargetCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refused('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused('must be an http or https URL');
  if (url.username || url.password) return refused('must not carry credentials; the signature authenticates us');
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (!host) return refused('has no host');
  if (isIpLiteral(host)) {
    return isPublicAddress(host, options) ? { ok: true, url } : refused('points inside a private network; only public addresses are allowed');
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return options.allowLoopback ? { ok: true, url } : refused('points at this machine; only public addresses are allowed');
  }
  if (!host.includes('.') || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return refused('is a name inside a private network; only public addresses are allowed');
  }
  return { ok: true, url };
}
