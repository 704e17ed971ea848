// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import type { Channel } from '../../../../../functions/domain/records';
import type { Contact, ContactUpdate } from '../../../lib/api';
import { addressDraft, addressOrNull, textOrNull, withLabel } from '../../../lib/draft';

// The contact as the form edits it: strings for inputs, never null.
export function draftOf(c: Contact) {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    emails: c.emails.map((e) => ({ address: e.address, label: e.label ?? '' })),
    phones: c.phones.map((p) => ({ number: p.number, label: p.label ?? '' })),
    address: addressDraft(c.address),
    jobTitle: c.jobTitle ?? '',
    companyId: c.companyId,
    companyName: c.companyName,
    ownerId: c.ownerId ?? '',
    lifecycleStage: c.lifecycleStage,
    leadSource: c.leadSource ?? '',
    tags: [...c.tags],
    preferredChannel: (c.preferredChannel ?? '') as Channel | '',
    emailConsent: c.emailConsent,
    emailConsentMethod: c.emailConsentMethod ?? '',
    interests: [...(c.softData.interests ?? [])],
    preferences: c.softData.preferences ?? '',
    family: c.softData.family ?? '',
    notes: c.softData.notes ?? '',
    customFields: { ...c.customFields },
  };
}
type ContactDraft = ReturnType<typeof draftOf>;

export function toUpdate(d: ContactDraft): ContactUpdate {
  const soft = {
    interests: d.interests.length ? d.interests : undefined,
    preferences: d.preferences.trim() || undefined,
    family: d.family.trim() || undefined,
    notes: d.notes.trim() || undefined,
  };
  return {
    firstName: d.firstName.trim(),
    lastName: d.lastName.trim(),
    emails: d.emails.filter((e) => e.address.trim()).map((e) => withLabel({ address: e.address.trim() }, e.label)),
    phones: d.phones.filter((p) => p.number.trim()).map((p) => withLabel({ number: p.number.trim() }, p.label)),
    address: addressOrNull(d.address),
    jobTitle: textOrNull(d.jobTitle),
    companyId: d.companyId,
    ownerId: d.ownerId || null,
    lifecycleStage: d.lifecycleStage,
    leadSource: textOrNull(d.leadSource),
    tags: d.tags,
    preferredChannel: d.preferredChannel || null,
    emailConsent: d.emailConsent,
    emailConsentMethod: textOrNull(d.emailConsentMethod),
    softData: Object.fromEntries(Object.entries(soft).filter(([, v]) => v !== undefined)),
    customFields: d.customFields,
  };
}
