import { goto, invalidate } from '$app/navigation';
import { toast } from '$lib/toast.svelte';
import type { ListSource } from './source';

// A record made from its list's "New …" dialog: said, with a way to open
// it, and the list reloaded to show it.
export function announceCreated<R extends { id: string }>(source: ListSource<R>, record: R) {
  toast(`${source.object.label(record)} added`, { action: { label: 'Open', run: () => goto(source.object.href(record)) } });
  invalidate(source.depends);
}
