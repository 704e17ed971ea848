import type { EmailEvent } from './webhooks/email-events';

// What the email events say of an address, whatever order they arrive in:
// providers retry, batch and resend, so a "delivered" from before a hard
// bounce may come after it. Two parts, each independent of order:
// - suppression: the strongest suppressing event ever seen (a hard bounce,
//   then an unsubscribe, then a spam complaint); once suppressed, an
//   address stays so (campaigns skip it) whatever comes later;
// - the latest word on delivery: the newest delivered/opened/clicked
//   (deliverable) or soft bounce (soft_bouncing), by the provider's time.

export const SUPPRESSIONS = ['bounced', 'unsubscribed', 'complained'] as const;
export type Suppression = (typeof SUPPRESSIONS)[number];
export type DeliveryStatus = 'unknown' | 'deliverable' | 'soft_bouncing' | Suppression;

export type Deliverability = {
  suppression: Suppression | null;
  suppressedAt: number | null;
  latest: { at: number; status: 'deliverable' | 'soft_bouncing' } | null;
  lastOpenedAt: number | null;
  lastClickedAt: number | null;
};

export const NOTHING_KNOWN: Deliverability = { suppression: null, suppressedAt: null, latest: null, lastOpenedAt: null, lastClickedAt: null };

export const suppressionRank = (s: Suppression | null) => (s === null ? 0 : SUPPRESSIONS.indexOf(s) + 1);

export function suppressionOf(event: Pick<EmailEvent, 'type' | 'bounce'>): Suppression | null {
  if (event.type === 'bounced') return event.bounce === 'hard' ? 'bounced' : null;
  if (event.type === 'unsubscribed') return 'unsubscribed';
  if (event.type === 'complained') return 'complained';
  return null;
}

export function deliveryOf(event: Pick<EmailEvent, 'type' | 'bounce'>): 'deliverable' | 'soft_bouncing' | null {
  if (event.type === 'delivered' || event.type === 'opened' || event.type === 'clicked') return 'deliverable';
  if (event.type === 'bounced' && event.bounce !== 'hard') return 'soft_bouncing';
  return null;
}

const later = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

// At the same instant a soft bounce outranks a delivery, so the result
// does not depend on which came first.
const statusRank = { deliverable: 1, soft_bouncing: 2 } as const;

export function applyEmailEvent(state: Deliverability, event: Pick<EmailEvent, 'type' | 'bounce' | 'at'>): Deliverability {
  const suppression = suppressionOf(event);
  const stronger = suppression !== null && suppressionRank(suppression) > suppressionRank(state.suppression);
  // The first time the strongest suppression was seen, whatever the order.
  const suppressedAt =
    stronger ? event.at : suppression !== null && suppression === state.suppression ? Math.min(state.suppressedAt ?? event.at, event.at) : state.suppressedAt;
  const delivery = deliveryOf(event);
  const newer =
    delivery !== null &&
    (state.latest === null || event.at > state.latest.at || (event.at === state.latest.at && statusRank[delivery] > statusRank[state.latest.status]));
  return {
    suppression: stronger ? suppression : state.suppression,
    suppressedAt,
    latest: newer ? { at: event.at, status: delivery } : state.latest,
    lastOpenedAt: event.type === 'opened' || event.type === 'clicked' ? later(state.lastOpenedAt, event.at) : state.lastOpenedAt,
    lastClickedAt: event.type === 'clicked' ? later(state.lastClickedAt, event.at) : state.lastClickedAt,
  };
}

export const statusOf = (state: Deliverability): DeliveryStatus => state.suppression ?? state.latest?.status ?? 'unknown';
