// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import { customValueOf } from '../../../functions/domain/custom-fields';
import type { CustomFieldValue, CustomFieldValues, PostalAddress } from '../../../functions/domain/records';

// Helpers for editing a record as plain strings in inputs and sending back
// only what changed (a PATCH that names a field the user did not touch
// could overwrite a colleague's edit).

export const textOrNull = (value: string) => value.trim() || null;

export function withLabel<T extends object>(item: T, label: string | undefined): T & { label?: string } {
  return label?.trim() ? { ...item, label: label.trim() } : item;
}

const ADDRESS_KEYS = ['street', 'city', 'region', 'postalCode', 'country'] as const;

export function addressDraft(address: PostalAddress | null): Required<PostalAddress> {
  return Object.fromEntries(ADDRESS_KEYS.map((k) => [k, address?.[k] ?? ''])) as Required<PostalAddress>;
}

export function addressOrNull(address: PostalAddress): PostalAddress | null {
  const filled = Object.entries(address).filter(([, v]) => typeof v === 'string' && v.trim());
  return filled.length ? Object.fromEntries(filled.map(([k, v]) => [k, (v as string).trim()])) : null;
}

function customValue(value: CustomFieldValue | undefined): CustomFieldValue {
  if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  return typeof value === 'string' ? value.trim() || null : value;
}

// Custom values merge on the server; null clears one. Values are read from
// the records' own keys and the patch is built from entries, so a key such as
// `constructor` or `__proto__` is data like any other.
function customChanges(before: CustomFieldValues, after: CustomFieldValues): CustomFieldValues | undefined {
  const changed: [string, CustomFieldValue][] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const next = customValue(customValueOf(after, key));
    if (JSON.stringify(customValue(customValueOf(before, key))) !== JSON.stringify(next)) changed.push([key, next]);
  }
  return changed.length ? Object.fromEntries(changed) : undefined;
}

export function changes<T extends { customFields?: CustomFieldValues }>(before: T, after: T): Partial<T> {
  const diff: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (key === 'customFields') {
      const custom = customChanges(before.customFields ?? {}, after.customFields ?? {});
      if (custom) diff.customFields = custom as T['customFields'];
    } else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      diff[key] = after[key];
    }
  }
  return diff;
}
