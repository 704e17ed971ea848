// The vocabulary of contacts and companies, shared by the schema, the API
// and the UI.
export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketing_qualified',
  'sales_qualified',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const CHANNELS = ['email', 'phone', 'sms', 'whatsapp', 'mail', 'in_person'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONSENT_STATUSES = ['unknown', 'granted', 'denied'] as const;

export const ACTIVITY_TYPES = ['note', 'call', 'meeting', 'email', 'task', 'letter', 'fax', 'visit'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export type ContactEmail = { address: string; label?: string };
export type ContactPhone = { number: string; label?: string };
export type PostalAddress = {
  street?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
};
export type SoftData = {
  interests?: string[];
  preferences?: string;
  family?: string;
  notes?: string;
};
export type CustomFieldValue = string | number | boolean | string[] | null;
export type CustomFieldValues = Record<string, CustomFieldValue>;

// A case-insensitive key for sorting by name, so "ada" and "Ada" sit together.
export function sortKey(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => !!p && p.trim() !== '')
    .join(' ')
    .trim()
    .toLocaleLowerCase('en');
}

export function contactSearchText(input: {
  firstName: string;
  lastName: string;
  emails: ContactEmail[];
  phones: ContactPhone[];
  companyName?: string | null;
}): string {
  const phoneDigits = input.phones.map((p) => p.number.replace(/[^0-9+]/g, ''));
  return [
    input.firstName,
    input.lastName,
    ...input.emails.map((e) => e.address),
    ...input.phones.map((p) => p.number),
    ...phoneDigits,
    input.companyName ?? '',
  ]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase('en');
}
