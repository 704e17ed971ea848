import type { Component } from 'svelte';
import CheckEdit from './edit/Checks.svelte';
import CompanyEdit from './edit/Company.svelte';
import MoneyEdit from './edit/Money.svelte';
import SelectEdit from './edit/Select.svelte';
import TagsEdit from './edit/Tags.svelte';
import TextEdit from './edit/Text.svelte';
import type { EditProps } from './edit-types';
import { asMoney } from './money';
import type { FieldType } from './types';

// One editor per field type, beside the display registry (registry.ts):
// mounted only for the field being edited. null: a type no one edits in
// place (times the system stamps). A new type is a new entry here, and
// TypeScript refuses a type without one.
export const EDIT: Record<FieldType, Component<EditProps, object, 'value'> | null> = {
  text: TextEdit,
  longText: TextEdit,
  number: TextEdit,
  money: MoneyEdit,
  email: TextEdit,
  phone: TextEdit,
  url: TextEdit,
  date: TextEdit,
  datetime: null,
  select: SelectEdit,
  multiSelect: CheckEdit,
  tags: TagsEdit,
  boolean: SelectEdit,
  company: CompanyEdit,
  member: SelectEdit,
};

// What the PATCH takes for an edited value, where it is not the value
// itself: a company is shown as { id, name } and sent as its id; money is
// shown with its currency and sent as minor units.
export function patchValue(type: FieldType, value: unknown): unknown {
  if (type === 'company') return (value as { id: string } | null)?.id ?? null;
  if (type === 'money') return asMoney(value)?.amount ?? null;
  return value;
}
