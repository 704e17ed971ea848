// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import type { Company, CompanyUpdate } from '../../../lib/api';
import { addressDraft, addressOrNull, textOrNull } from '../../../lib/draft';

// The company as the form edits it: strings for inputs, never null.
export function draftOf(c: Company) {
  return {
    name: c.name,
    domain: c.domain ?? '',
    website: c.website ?? '',
    industry: c.industry ?? '',
    employees: c.employees as number | null,
    phone: c.phone ?? '',
    address: addressDraft(c.address),
    description: c.description ?? '',
    ownerId: c.ownerId ?? '',
    tags: [...c.tags],
    customFields: { ...c.customFields },
  };
}
type CompanyDraft = ReturnType<typeof draftOf>;

export function toUpdate(d: CompanyDraft): CompanyUpdate {
  return {
    name: d.name.trim(),
    domain: textOrNull(d.domain),
    website: textOrNull(d.website),
    industry: textOrNull(d.industry),
    // An emptied number input binds as null or undefined depending on the browser.
    employees: typeof d.employees === 'number' && !Number.isNaN(d.employees) ? d.employees : null,
    phone: textOrNull(d.phone),
    address: addressOrNull(d.address),
    description: textOrNull(d.description),
    ownerId: d.ownerId || null,
    tags: d.tags,
    customFields: d.customFields,
  };
}
