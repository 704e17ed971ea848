import type { ClientResponse } from 'hono/client';
import { ApiError, call, messageOf, type Member, type Session } from '$lib/api';
import type { EditContext } from '$lib/fields/edit-types';
import { humanizePath } from '$lib/format';
import { can } from '$lib/session';
import type { Trashable } from '$lib/trash';
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

type Answer = Promise<ClientResponse<unknown, number, string>>;
type ById = { param: { id: string } };

// A record resource's routes as the RPC client has them
// (functions/routes/record-routes.ts): every record page edits through
// them and moves its record to the trash and back the same way.
export type RecordClient = {
  ':id': {
    $patch(args: ById & { json: Record<string, unknown> }): Answer;
    $delete(args: ById): Answer;
    restore: { $post(args: ById): Answer };
  };
};

// The record a PATCH answers with, as the client types it.
type Saved<C extends RecordClient> = Awaited<ReturnType<typeof call<Awaited<ReturnType<C[':id']['$patch']>>>>>;

// A field's save: the record as the server now has it, or null when it was
// refused (a toast has said why).
export const patchRecord = <C extends RecordClient>(client: C, id: string, body: Record<string, unknown>): Promise<Saved<C> | null> =>
  savedOrExplained(() => call(client[':id'].$patch({ param: { id }, json: body }) as ReturnType<C[':id']['$patch']>));

// What Delete moves to the trash and Undo brings back.
export function trashable(client: RecordClient, listHref: string, record: { id: string }, name: string): Trashable {
  const { id } = record;
  return {
    name,
    recordHref: `${listHref}/${id}`,
    listHref,
    remove: () => call(client[':id'].$delete({ param: { id } })),
    restore: () => call(client[':id'].restore.$post({ param: { id } })),
  };
}
