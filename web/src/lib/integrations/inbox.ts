// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import type { WebhookEventView } from '../../../../functions/schemas/webhooks';
import type { ListKind } from '../list/state';

// Keyed by the API's own outcomes, so a new one fails the type check here.
export const OUTCOME_LABELS: Record<WebhookEventView['status'], string> = { pending: 'Pending', applied: 'Applied', failed: 'Failed' };
export const TYPE_LABELS: Record<string, string> = { form: 'Form fill', email: 'Email events' };

// The event inbox's URL: its filters, read and written by the shared list
// state (lib/list/state.ts) so reload, back and shared links keep them.
export const inboxKind: ListKind = {
  filters: [
    { name: 'source', multiple: false, pattern: /^whs_[0-9A-Z]{26}$/, label: 'Source' },
    { name: 'type', multiple: false, values: ['form', 'email'], label: 'Type' },
    { name: 'status', multiple: false, values: Object.keys(OUTCOME_LABELS), label: 'Outcome' },
  ],
  sorts: ['-receivedAt'],
  defaultSort: () => '-receivedAt',
};


const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// What applying an event did, in words (functions/services/webhooks/
// apply.ts writes these results); a contact it names is linked.
export function outcomeOf(event: Pick<WebhookEventView, 'status' | 'result' | 'error'>): { text: string; contactId?: string } {
  if (event.status === 'failed') return { text: event.error ?? 'Failed' };
  if (event.status === 'pending') return { text: 'Waiting to be applied' };
  const r = event.result ?? {};
  if (typeof r.contactId === 'string') return { text: r.created ? 'Created a lead' : 'Matched an existing contact', contactId: r.contactId };
  if (typeof r.ignored === 'string') return { text: `Ignored: ${r.ignored}` };
  if (typeof r.emailEvents === 'number') {
    const parts = [plural(r.emailEvents, 'email event')];
    if (typeof r.suppressing === 'number' && r.suppressing) parts.push(`${r.suppressing} suppressing`);
    if (typeof r.ignored === 'number' && r.ignored) parts.push(`${r.ignored} ignored`);
    return { text: parts.join(', ') };
  }
  return { text: 'Applied' };
}

// The body as it came, indented when it is JSON.
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
