// A link to the current page with some query parameters changed; empty
// values are dropped so URLs stay short and shareable.
export function withParams(url: URL, patch: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams(url.searchParams);
  for (const [key, value] of Object.entries(patch)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

export function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

// Where to go after signing in: only a path on this site, so ?next= cannot
// become an open redirect. Browsers drop tabs and newlines from URLs and read
// "\" as "/" (WHATWG URL spec), so "/\evil.com" and "/<tab>/evil.com" both
// mean //evil.com; resolving the value as the browser will and comparing
// origins catches every spelling a pattern would miss.
const HERE = 'http://relate.invalid';

function resolve(path: string): URL | null {
  try {
    return new URL(path, HERE);
  } catch {
    return null; // e.g. "//", a host that is empty
  }
}

export function safeNext(next: string | null, fallback = '/contacts'): string {
  if (!next?.startsWith('/')) return fallback;
  const url = resolve(next);
  if (url?.origin !== HERE) return fallback;
  const path = url.pathname + url.search + url.hash;
  // "/..//evil.com" stays here but resolves to the path "//evil.com", which
  // leaves the site once it is used as a link.
  return resolve(path)?.origin === HERE ? path : fallback;
}
