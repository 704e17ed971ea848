import type { Component } from 'svelte';
import type { TimelineEntry } from '$lib/api';
import ActivityEntry from './ActivityEntry.svelte';
import ChangeEntry from './ChangeEntry.svelte';
import OrderEntry from './OrderEntry.svelte';
import TouchEntry from './TouchEntry.svelte';
import type { EntryProps } from './types';

type Kind = TimelineEntry['kind'];

// One renderer per kind of timeline entry (the server's sources:
// functions/services/timeline/sources.ts). A later capability adds its
// kind there and its renderer here; TypeScript refuses a kind without one.
export const RENDERERS: { [K in Kind]: Component<EntryProps<K>> } = {
  activity: ActivityEntry,
  change: ChangeEntry,
  order: OrderEntry,
  touch: TouchEntry,
};

// The timeline's filter, in words.
export const KIND_LABELS: Record<Kind, string> = {
  activity: 'Notes and activities',
  change: 'Changes',
  order: 'Orders',
  touch: 'Forms',
};
export const KINDS = Object.keys(KIND_LABELS) as Kind[];
