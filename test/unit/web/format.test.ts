import { afterAll, describe, expect, it, vi } from 'vitest';

// format.ts builds its Intl formatters when it loads, in the viewer's time
// zone; a zone far from UTC must be in place first, so the import is dynamic.
vi.stubEnv('TZ', 'Asia/Tokyo');
const { formatDate, formatDateTime, humanize, humanizePath, personName } = await import('../../../web/src/lib/format');
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('dates', () => {
  // 23:30 UTC on 1 March is 08:30 on 2 March in Tokyo.
  const iso = '2026-03-01T23:30:00.000Z';
  const inZone = (timeZone: string, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(new Date(iso));

  it('shows the day in the viewer’s time zone, not UTC’s', () => {
    expect(formatDate(iso)).toBe(inZone('Asia/Tokyo', { dateStyle: 'medium' }));
    expect(formatDate(iso)).not.toBe(inZone('UTC', { dateStyle: 'medium' }));
  });

  it('shows date and time in the viewer’s time zone', () => {
    expect(formatDateTime(iso)).toBe(inZone('Asia/Tokyo', { dateStyle: 'medium', timeStyle: 'short' }));
    expect(formatDateTime(iso)).not.toBe(inZone('UTC', { dateStyle: 'medium', timeStyle: 'short' }));
  });
});

describe('humanize', () => {
  it.each([
    ['sales_qualified', 'Sales qualified'],
    ['in_person', 'In person'],
    ['owner', 'Owner'],
    ['sms', 'SMS'],
    ['whatsapp', 'WhatsApp'],
    ['constructor', 'Constructor'],
    ['to_string', 'To string'],
    ['', ''],
  ])('%s reads as "%s"', (value, expected) => {
    expect(humanize(value)).toBe(expected);
  });
});

describe('personName', () => {
  const person = (firstName: string, lastName: string, ...addresses: string[]) => ({
    firstName,
    lastName,
    emails: addresses.map((address) => ({ address })),
  });

  it.each([
    [person('Ada', 'Lovelace'), 'Ada Lovelace'],
    [person('Ada', ''), 'Ada'],
    [person('', 'Lovelace'), 'Lovelace'],
    [person('', '', 'ada@example.com', 'a@l.example'), 'ada@example.com'],
    [person(' ', ' ', 'ada@example.com'), 'ada@example.com'],
    [person('', ''), 'Unnamed contact'],
  ])('names %o "%s"', (p, expected) => {
    expect(personName(p)).toBe(expected);
  });
});

describe('humanizePath', () => {
  it.each([
    ['emails.0.address', 'Emails 1 address'],
    ['phones.2.number', 'Phones 3 number'],
    ['address.postalCode', 'Address postal code'],
    ['customFields.renewalDate', 'Renewal date'],
    ['customFields.constructor', 'Constructor'],
    ['softData.notes', 'Notes'],
    ['customFields', 'Custom fields'],
    ['firstName', 'First name'],
  ])('%s reads as "%s"', (path, expected) => {
    expect(humanizePath(path)).toBe(expected);
  });
});
