import type { FieldContext, FieldDef } from './types';

// What an editor needs beyond the value: the workspace's members (owners)
// and whether a company may be created from the company picker.
export type EditContext = FieldContext & { members: { userId: string; name: string }[]; canCreate: boolean };

// An editor edits `value` (bindable) and nothing else: saving and
// cancelling are the inline field's (web/src/lib/record/InlineField.svelte):
// Enter or leaving the field saves, Esc cancels. `id` labels its control.
// An editor whose choice is complete on its own (a company picked from
// the list, an option clicked) calls `commit` to save at once.
export type EditProps = {
  field: FieldDef<unknown>;
  value: unknown;
  context: EditContext;
  id: string;
  describedBy?: string;
  commit?: () => void;
};
