import { LIFECYCLE_STAGES, CHANNELS, CONSENT_STATUSES } from '$functions/domain/records';
import type { Contact } from '$lib/api';
import { personName } from '$lib/format';
import type { FieldDef } from '$lib/fields/types';
import { customFields } from './custom-fields';
import type { ObjectDef } from './types';

function replaceFirst<T>(items: T[], first: T | null): T[] {
  return first ? [first, ...items.slice(1)] : items.slice(1);
}

type SoftKey = keyof Contact['softData'];
// A line of soft data; the PATCH sends all of it with that line changed.
function soft(key: SoftKey, label: string, type: 'tags' | 'longText', hint?: string): FieldDef<Contact> {
  return {
    key: `softData.${key}`,
    label,
    type,
    hint,
    value: (c) => c.softData[key] ?? null,
    patch: (v, c) => {
      const rest = Object.fromEntries(Object.entries(c?.softData ?? {}).filter(([k]) => k !== key));
      const empty = v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
      return { softData: empty ? rest : { ...rest, [key]: v } };
    },
  };
}

const builtIn: FieldDef<Contact>[] = [
  { key: 'name', label: 'Name', type: 'text', value: personName, sort: 'name' },
  { key: 'firstName', label: 'First name', type: 'text', value: (c) => c.firstName, patch: (v) => ({ firstName: v ?? '' }) },
  { key: 'lastName', label: 'Last name', type: 'text', value: (c) => c.lastName, patch: (v) => ({ lastName: v ?? '' }) },
  // The first email and phone are the primary ones: editing one changes it
  // in place, clearing it promotes the next.
  {
    key: 'email',
    label: 'Email',
    type: 'email',
    value: (c) => c.emails[0]?.address ?? null,
    patch: (v, c) => ({ emails: replaceFirst(c?.emails ?? [], typeof v === 'string' && v.trim() ? { ...c?.emails[0], address: v.trim() } : null) }),
  },
  {
    key: 'phone',
    label: 'Phone',
    type: 'phone',
    value: (c) => c.phones[0]?.number ?? null,
    patch: (v, c) => ({ phones: replaceFirst(c?.phones ?? [], typeof v === 'string' && v.trim() ? { ...c?.phones[0], number: v.trim() } : null) }),
  },
  { key: 'jobTitle', label: 'Job title', type: 'text', value: (c) => c.jobTitle, patch: (v) => ({ jobTitle: v ?? null }) },
  {
    key: 'company',
    label: 'Company',
    type: 'company',
    value: (c) => (c.companyId && c.companyName ? { id: c.companyId, name: c.companyName } : null),
    patch: (v) => ({ companyId: v ?? null }),
  },
  {
    key: 'lifecycleStage',
    label: 'Stage',
    type: 'select',
    options: LIFECYCLE_STAGES,
    required: true,
    value: (c) => c.lifecycleStage,
    patch: (v) => ({ lifecycleStage: v }),
  },
  { key: 'owner', label: 'Owner', type: 'member', value: (c) => c.ownerId, patch: (v) => ({ ownerId: v ?? null }) },
  { key: 'tags', label: 'Tags', type: 'tags', value: (c) => c.tags, patch: (v) => ({ tags: v ?? [] }) },
  { key: 'leadSource', label: 'Lead source', type: 'text', value: (c) => c.leadSource, patch: (v) => ({ leadSource: v ?? null }) },
  {
    key: 'preferredChannel',
    label: 'Preferred channel',
    type: 'select',
    options: CHANNELS,
    value: (c) => c.preferredChannel,
    patch: (v) => ({ preferredChannel: v ?? null }),
  },
  {
    key: 'emailConsent',
    label: 'Email consent',
    type: 'select',
    options: CONSENT_STATUSES,
    required: true,
    value: (c) => c.emailConsent,
    patch: (v) => ({ emailConsent: v }),
  },
  {
    key: 'emailConsentMethod',
    label: 'How consent was given',
    type: 'text',
    hint: 'For example: signup form on the website, signed paper form, phone call.',
    value: (c) => c.emailConsentMethod,
    patch: (v) => ({ emailConsentMethod: v || null }),
  },
  { key: 'emailConsentAt', label: 'Consent recorded', type: 'datetime', value: (c) => (c.emailConsent === 'unknown' ? null : c.emailConsentAt) },
  soft('interests', 'Interests', 'tags'),
  soft('preferences', 'Preferences', 'longText'),
  soft('family', 'Family', 'longText'),
  // "Background", not "Notes": the timeline's note box sits beside it, and
  // two things called notes were misread as one.
  soft('notes', 'Background', 'longText', 'What to know about them that does not change often; notes of calls and meetings go on the timeline.'),
  { key: 'createdAt', label: 'Added', type: 'datetime', value: (c) => c.createdAt, sort: 'createdAt' },
  { key: 'updatedAt', label: 'Updated', type: 'datetime', value: (c) => c.updatedAt, sort: 'updatedAt' },
];

export const contactObject: ObjectDef<Contact> = {
  singular: 'contact',
  plural: 'contacts',
  path: '/contacts',
  href: (c) => `/contacts/${c.id}`,
  label: personName,
  fields: (custom) => [...builtIn, ...customFields<Contact>(custom)],
  defaultColumns: ['name', 'email', 'company', 'phone', 'lifecycleStage', 'owner', 'tags'],
  summary: ['jobTitle', 'company', 'lifecycleStage', 'owner', 'tags', 'email', 'phone'],
  sections: [
    { key: 'person', label: 'Person', fields: ['firstName', 'lastName', 'jobTitle', 'company'] },
    { key: 'reach', label: 'How to reach them', fields: ['preferredChannel'] },
    { key: 'sales', label: 'Sales', fields: ['lifecycleStage', 'owner', 'leadSource', 'tags'] },
    { key: 'consent', label: 'Email consent', fields: ['emailConsent', 'emailConsentAt', 'emailConsentMethod'] },
    { key: 'about', label: 'About them', fields: ['softData.interests', 'softData.preferences', 'softData.family', 'softData.notes'] },
  ],
  placeCustom: (definition) => definition.section ?? 'sales',
};
