import type { TimelineEntry } from '$lib/api';
import type { FieldDef } from '$lib/fields/types';

// What a renderer gets: its entry, and the timeline's own record (an entry
// about another one, a person on their company's timeline, links to it).
export type EntryProps<K extends TimelineEntry['kind'] = TimelineEntry['kind']> = {
  entry: Extract<TimelineEntry, { kind: K }>;
  subjectId: string;
  // The record's fields, to name a changed field and show its values.
  fields: FieldDef<never>[];
  canWrite: boolean;
  canDelete: boolean;
  // An activity edited (its new state) or deleted (null).
  onchange: (id: string, entry: TimelineEntry | null) => void;
};
