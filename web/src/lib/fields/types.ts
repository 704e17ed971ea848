// A record's fields, described once per object (lib/objects/) and drawn by
// the components registered for their type (lib/fields/registry.ts): lists,
// record pages and filters read the description, never a resource's own
// columns, so a custom field shows everywhere a built-in one does.
export const FIELD_TYPES = [
  'text',
  'longText',
  'email',
  'phone',
  'url',
  'number',
  'money',
  'date',
  'datetime',
  'select',
  'multiSelect',
  'tags',
  'boolean',
  'company',
  'member',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type FieldDef<R> = {
  // Stable within the object: a list's column id, a view's reference;
  // custom fields are `cf.<key>`.
  key: string;
  label: string;
  type: FieldType;
  value: (record: R) => unknown;
  // select and multiSelect: the values it may take.
  options?: readonly string[];
  // The PATCH body that sets the field to a value; absent where the field
  // cannot be edited on its own. `record` is the record as shown: a field
  // that is part of a larger value (the first of several emails, one line
  // of soft data) sends the whole value with its part changed.
  patch?: (value: unknown, record?: R) => Record<string, unknown>;
  // May not be emptied (a contact's stage, a company's name).
  required?: boolean;
  // A hint shown with the field's editor (what to type, what it is for).
  hint?: string;
  // The list's sort parameter for this field, where the API can sort by it.
  sort?: string;
  // Where the value leads when it stands for other records (a company's
  // people count → those people); a list draws the cell as that link.
  href?: (record: R) => string | null;
};

// What a display needs from beyond the record: names of the workspace's
// members (owners) by user id.
export type FieldContext = { memberName: (userId: string) => string | null };

export type DisplayProps<R = unknown> = { field: FieldDef<R>; value: unknown; context: FieldContext };
