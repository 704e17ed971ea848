import { goto } from '$app/navigation';
import { messageOf } from './api';
import { toast } from './toast.svelte';

export type Trashable = {
  name: string;
  // Where the record lives and where its list is, for leaving and for Undo.
  recordHref: string;
  listHref: string;
  remove: () => Promise<unknown>;
  restore: () => Promise<unknown>;
};

// Deleting moves a record to the trash, so the toast offers Undo instead of
// an "are you sure?" dialog in the way of every delete. Resolves once the
// delete has been answered, whatever the answer.
export async function moveToTrash(record: Trashable): Promise<void> {
  try {
    await record.remove();
    await goto(record.listHref);
    toast(`${record.name} moved to the trash`, {
      action: {
        label: 'Undo',
        run: async () => {
          try {
            await record.restore();
            await goto(record.recordHref);
          } catch (e) {
            toast(messageOf(e), { tone: 'error' });
          }
        },
      },
    });
  } catch (e) {
    toast(messageOf(e), { tone: 'error' });
  }
}
