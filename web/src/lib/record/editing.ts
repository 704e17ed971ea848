import { ApiError, messageOf, type Member, type Session } from '$lib/api';
import type { EditContext } from '$lib/fields/edit-types';
import { humanizePath } from '$lib/format';
import { can } from '$lib/session';
import { toast } from '$lib/toast.svelte';

// What every record page does around RecordPage, whatever its object.

// The members a field edit picks an owner from, and whether a company may
// be created from the company picker.
export function editContext(data: { members: Member[]; session: Session | null }): EditContext {
  return {
    members: data.members,
    memberName: (userId: string) => data.members.find((m) => m.userId === userId)?.name ?? null,
    canCreate: can(data.session, 'records:write'),
  };
}

// One field's PATCH (lib/record/InlineField.svelte shows the new value
// meanwhile): the saved record, or null when it was refused, after a
// toast says why, so the field can put its old value back.
export async function savedOrExplained<T>(patch: () => Promise<T>): Promise<T | null> {
  try {
    return await patch();
  } catch (e) {
    const detail = e instanceof ApiError && e.details[0] ? `${humanizePath(e.details[0].path)}: ${e.details[0].message}` : messageOf(e);
    toast(`Not saved. ${detail}`, { tone: 'error' });
    return null;
  }
}
