const SPECIAL: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

// Enum values from functions/domain are snake_case; people read words.
export function humanize(value: string): string {
  if (Object.hasOwn(SPECIAL, value)) return SPECIAL[value]!;
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => date.format(new Date(iso));

export function personName(p: { firstName: string; lastName: string; emails: { address: string }[] }): string {
  return `${p.firstName} ${p.lastName}`.trim() || p.emails[0]?.address || 'Unnamed contact';
}

// "emails.0.address" → "Emails 1 address", for an error summary.
export function humanizePath(path: string): string {
  const parts = path.split('.');
  const words = (parts.length > 1 ? parts.filter((part) => part !== 'customFields' && part !== 'softData') : parts)
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()))
    .join(' ');
  return humanize(words);
}

// An amount held in minor units (cents) of its currency, as people read it:
// formatMoney(123450, 'EUR') → "€1,234.50"; JPY has no minor unit.
export function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
