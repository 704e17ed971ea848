import { customValueOf } from '$functions/domain/custom-fields';
import type { CustomFieldValues } from '$functions/domain/records';
import type { FieldDef, FieldType } from '$lib/fields/types';
import type { CustomFieldDefinition } from './types';

const TYPES: Record<CustomFieldDefinition['type'], FieldType> = {
  text: 'text',
  number: 'number',
  date: 'date',
  select: 'select',
  multi_select: 'multiSelect',
  boolean: 'boolean',
};

// The workspace's custom fields as fields like any other: read as the
// record's own data (customValueOf), written as one key of customFields.
export function customFields<R extends { customFields: CustomFieldValues }>(definitions: CustomFieldDefinition[]): FieldDef<R>[] {
  return definitions.map((def) => ({
    key: `cf.${def.key}`,
    label: def.label,
    type: TYPES[def.type],
    options: def.options,
    value: (record) => customValueOf(record.customFields, def.key) ?? null,
    // An emptied field is cleared (null), not kept as an empty value.
    patch: (value) => ({ customFields: { [def.key]: value === '' || (Array.isArray(value) && !value.length) ? null : (value ?? null) } }),
  }));
}
