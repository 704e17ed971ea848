// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import { OUTBOUND_EVENT_TYPES } from '../../../../functions/domain/webhooks/outbound-events';
import type { DeliveryView, SubscriptionView } from '../../../../functions/schemas/outbound-webhooks';
import type { ListKind } from '../list/state';

// Keyed by the API's own statuses, so a new one fails the type check here.
export const DELIVERY_LABELS: Record<DeliveryView['status'], string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };

// The catalogue's events by the object they are about (contact.created →
// contact), in the catalogue's order, so "all of contact.*" is one choice.
export type EventGroup<E extends { type: string }> = { object: string; events: E[] };
export function groupEvents<E extends { type: string }>(catalogue: readonly E[]): EventGroup<E>[] {
  const groups: EventGroup<E>[] = [];
  for (const event of catalogue) {
    const object = event.type.split('.')[0]!;
    const group = groups.find((g) => g.object === object);
    if (group) group.events.push(event);
    else groups.push({ object, events: [event] });
  }
  return groups;
}

// The delivery log's URL: its filters, read and written by the shared list
// state (lib/list/state.ts), as the event inbox's are.
export const deliveriesKind: ListKind = {
  filters: [
    { name: 'subscription', multiple: false, pattern: /^wsub_[0-9A-Z]{26}$/, label: 'Subscription' },
    { name: 'status', multiple: false, values: Object.keys(DELIVERY_LABELS), label: 'Status' },
    { name: 'eventType', multiple: false, values: [...OUTBOUND_EVENT_TYPES, 'webhook.test'], label: 'Event' },
  ],
  sorts: ['-createdAt'],
  defaultSort: () => '-createdAt',
};

// A subscription's events in few words: "all contact events" where it
// takes every one of an object's.
export function eventsSummary(chosen: readonly string[], catalogue: readonly { type: string }[]): string {
  const parts: string[] = [];
  for (const group of groupEvents(catalogue)) {
    const mine = group.events.filter((e) => chosen.includes(e.type));
    if (mine.length > 1 && mine.length === group.events.length) parts.push(`${group.object}.*`);
    else parts.push(...mine.map((e) => e.type));
  }
  return parts.join(', ');
}

// Whether a subscription is on, and if not why and since when.
export function stateOf(sub: Pick<SubscriptionView, 'enabled' | 'disabledReason' | 'failingSince'>): { label: string; tone: 'on' | 'off' | 'failing' } {
  if (!sub.enabled) return { label: 'Off', tone: 'off' };
  if (sub.failingSince) return { label: 'Failing', tone: 'failing' };
  return { label: 'On', tone: 'on' };
}

// How the newest delivery (or an attempt) went, in words.
export function outcomeText(d: { status: DeliveryView['status']; lastStatus: number | null; lastError: string | null }): string {
  const answer = d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.lastError;
  if (d.status === 'delivered') return answer ? `Delivered (${answer})` : 'Delivered';
  if (d.status === 'pending') return answer ? `Retrying after ${answer}` : 'Waiting to be sent';
  return `Failed${answer ? `: ${answer}` : ''}`;
}
