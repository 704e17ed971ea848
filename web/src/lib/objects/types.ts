import type { CustomField } from '$lib/api';
import type { FieldDef } from '$lib/fields/types';

// One object (contacts, companies, and every later resource): what its
// records are called, where they live, and their fields. The shared list and
// record pieces read this and nothing resource-specific.
export type ObjectDef<R extends { id: string }> = {
  singular: string;
  plural: string;
  // The list page and a record's page.
  path: string;
  href: (record: R) => string;
  // How a record is named in titles, links and toasts.
  label: (record: R) => string;
  // Every field, built-in and custom (the workspace's definitions).
  fields: (custom: CustomFieldDefinition[]) => FieldDef<R>[];
  // A list's columns until someone chooses others.
  defaultColumns: string[];
  // The record page's header: the fields a person works with all day.
  summary: string[];
  // The record page's other fields, in sections that open on demand.
  sections: RecordSection[];
  // The section a custom field sits in: with the fields it belongs to,
  // not at the bottom.
  placeCustom: (definition: CustomFieldDefinition) => string;
};

export type RecordSection = {
  key: string;
  label: string;
  // Field keys, in order; custom fields placed here follow them.
  fields: string[];
};

export type CustomFieldDefinition = Pick<CustomField, 'key' | 'label' | 'type' | 'options'> & { section?: string | null };
