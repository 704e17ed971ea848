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
