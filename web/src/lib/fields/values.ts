// Narrowing what a field's value() returns, for the display components.
export const asText = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;

export const asList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

// A company link is { id, name }; a bare id shows nothing rather than an id.
export function asLink(value: unknown): { id: string; name: string } | null {
  if (!value || typeof value !== 'object') return null;
  const { id, name } = value as { id?: unknown; name?: unknown };
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
}

// What people type as a web address, opened as one: a bare domain gets
// https://, and nothing but http(s) becomes a link.
export function webHref(value: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// A tel: URI (RFC 3966): digits and a leading +, an extension as ;ext=.
export function telHref(number: string): string | null {
  const [, main = '', ext] = /^(.*?)(?:\s*(?:x|ext\.?)\s*(\d+))?$/i.exec(number.trim()) ?? [];
  const digits = main.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return digits.replace('+', '') ? `tel:${digits}${ext ? `;ext=${ext}` : ''}` : null;
}
