// A company's web address and its domain: people type "acme.com",
// "www.acme.com/about" or a full URL, and the domain (how the company is
// recognised, e.g. by duplicate checks) follows from it instead of being
// asked for twice.

// A bare host (with an optional path) such as "acme.com" or
// "shop.acme.co.uk/en": letters, digits and hyphens, at least one dot.
const BARE_HOST = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]\S*)?$/i;

// The website as it is stored: an http(s) URL. A bare host gets https://;
// anything else is returned as typed, for the URL check to judge.
export function websiteOf(text: string): string {
  const trimmed = text.trim();
  return BARE_HOST.test(trimmed) ? `https://${trimmed}` : trimmed;
}

// The domain a website stands for: its host, lower-cased, without "www."
// (a company's site is usually on www while its email is not). Null for a
// URL with no such host (an IP address, localhost, something unparseable).
export function domainOf(website: string): string | null {
  let host: string;
  try {
    const url = new URL(websiteOf(website));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    host = url.hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
  if (/^[\d.]+$/.test(host) || host.startsWith('[') || !host.includes('.')) return null;
  const domain = host.replace(/^www\d?\./, '');
  return DOMAIN.test(domain) ? domain : null;
}

// What the API accepts as a domain (functions/schemas/companies.ts).
export const DOMAIN = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/;
