import type { CustomFieldValue, CustomFieldValues } from './records';

export const CUSTOM_FIELD_ENTITIES = ['contact', 'company'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

// Where on a record page a custom field sits: among the built-in fields it
// belongs with (web/src/lib/objects/ draws these sections), not at the
// bottom. Unset, it goes to the object's default section.
export const RECORD_SECTIONS = {
  contact: ['person', 'reach', 'sales', 'consent', 'about'],
  company: ['company', 'sales', 'about'],
} as const;
export const SECTION_KEYS = [...new Set(Object.values(RECORD_SECTIONS).flat())] as [string, ...string[]];

// The objects whose record page has that section (a company has no
// "consent" section, a contact no "company" one).
export const entitiesWithSection = (section: string): CustomFieldEntity[] =>
  CUSTOM_FIELD_ENTITIES.filter((entity) => (RECORD_SECTIONS[entity] as readonly string[]).includes(section));

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multi_select', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export type CustomFieldDefinition = {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
};

export type CustomFieldProblem = { key: string; message: string };

// Every JavaScript object already answers to these names, so a field keyed
// `constructor` read as values[key] shows "function Object() { [native
// code] }", and `__proto__` replaces an object's prototype when assigned.
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
export const isReservedKey = (key: string) => RESERVED_KEYS.has(key);

// A record's value for a field, read only from the record itself: a value
// never stored is undefined, whatever the name.
export function customValueOf(values: CustomFieldValues, key: string): CustomFieldValue | undefined {
  return Object.hasOwn(values, key) ? values[key] : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Date.parse rolls 2026-02-30 over to March; a real calendar date survives
// the round trip unchanged.
function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function checkValue(def: CustomFieldDefinition, value: CustomFieldValue): string | null {
  if (value === null) return null;
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 5000 ? null : 'must be text of at most 5000 characters';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? null
        : 'must be a date as YYYY-MM-DD';
    case 'select':
      return typeof value === 'string' && def.options.includes(value)
        ? null
        : `must be one of: ${def.options.join(', ')}`;
    case 'multi_select':
      return Array.isArray(value) && value.every((v) => def.options.includes(v)) && new Set(value).size === value.length
        ? null
        : `must be distinct values from: ${def.options.join(', ')}`;
  }
}

// Checks submitted values against the workspace's definitions. Unknown keys
// are problems rather than silently dropped: nothing a user entered is lost.
export function validateCustomFields(
  defs: CustomFieldDefinition[],
  values: CustomFieldValues,
): CustomFieldProblem[] {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const problems: CustomFieldProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    if (!def) {
      problems.push({ key, message: 'is not a custom field of this workspace' });
      continue;
    }
    const message = checkValue(def, value);
    if (message) problems.push({ key, message: `${def.label} ${message}` });
  }
  return problems;
}

// The entries of a patch that change a record's stored values (null and
// absent are the same). Only these are checked against the definitions, so
// a record keeps a value its workspace no longer defines, or an option since
// renamed, until someone changes that value.
export function changedCustomValues(current: CustomFieldValues, patch: CustomFieldValues): CustomFieldValues {
  return Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => JSON.stringify(customValueOf(current, key) ?? null) !== JSON.stringify(value)),
  );
}
