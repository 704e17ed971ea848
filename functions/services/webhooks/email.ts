import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { contactEmails, contacts, emailDeliverability, emailEvents } from '../../../db/schema';
import { deliveryOf, suppressionOf, SUPPRESSIONS } from '../../domain/deliverability';
import type { EmailEvent } from '../../domain/webhooks/email-events';
import type { Scope } from '../scope';
import { member as j, rowsParam } from '../sql-rows';

// The email events of one request, applied: each kept once (keyed by the
// provider's id for it, per source), and each address's deliverability
// folded in SQL exactly as functions/domain/deliverability.ts folds it, so
// the outcome is the same whatever order events arrive in, and applying
// one twice changes nothing.

const suppressionRank = (column: SQL) =>
  sql`(case ${column} ${sql.join(SUPPRESSIONS.map((s, i) => sql`when ${s} then ${i + 1}`), sql` `)} else 0 end)`;
const statusRank = (column: SQL) => sql`(case ${column} when 'deliverable' then 1 when 'soft_bouncing' then 2 else 0 end)`;
// SQLite's max() is null when either side is.
const later = (a: SQL, b: SQL) => sql`max(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;

export function emailEventStatements(scope: Scope, source: { sourceId: string; webhookEventId: string }, events: EmailEvent[]): BatchItem<'sqlite'>[] {
  if (!events.length) return [];
  const ws = scope.ws.workspaceId;
  const rows = events.map((e) => ({
    ...e,
    suppression: suppressionOf(e),
    delivery: deliveryOf(e),
    opened: e.type === 'opened' || e.type === 'clicked' ? e.at : null,
    clicked: e.type === 'clicked' ? e.at : null,
  }));
  // In DO UPDATE, the row as it was (every SET reads it, not the others' new values) and the row offered.
  const t = (column: string) => sql.raw(`email_deliverability.${column}`);
  const x = (column: string) => sql.raw(`excluded.${column}`);
  const stronger = sql`${suppressionRank(x('suppression'))} > ${suppressionRank(t('suppression'))}`;
  const newer = sql`${x('latest_at')} is not null and (${t('latest_at')} is null or ${x('latest_at')} > ${t('latest_at')}
    or (${x('latest_at')} = ${t('latest_at')} and ${statusRank(x('latest_status'))} > ${statusRank(t('latest_status'))}))`;
  return [
    scope.db.run(sql`insert into ${emailEvents} (workspace_id, source_id, provider_event_id, webhook_event_id, address, type, bounce, at, detail, url)
      select ${ws}, ${source.sourceId}, ${j('eventId')}, ${source.webhookEventId}, ${j('email')}, ${j('type')}, ${j('bounce')}, ${j('at')}, ${j('detail')}, ${j('url')}
      from ${rowsParam(rows)} as j where true on conflict do nothing`),
    // Rows apply one after another, so several events of one address in
    // one request fold in turn.
    scope.db.run(sql`insert into ${emailDeliverability} (workspace_id, address, suppression, suppressed_at, latest_status, latest_at, last_opened_at, last_clicked_at, updated_at)
      select ${ws}, ${j('email')}, ${j('suppression')}, case when ${j('suppression')} is not null then ${j('at')} end,
        ${j('delivery')}, case when ${j('delivery')} is not null then ${j('at')} end, ${j('opened')}, ${j('clicked')}, ${scope.now}
      from ${rowsParam(rows)} as j where true
      on conflict (workspace_id, address) do update set
        suppressed_at = case when ${stronger} then ${x('suppressed_at')}
          when ${x('suppression')} = ${t('suppression')} then min(${t('suppressed_at')}, ${x('suppressed_at')}) else ${t('suppressed_at')} end,
        suppression = case when ${stronger} then ${x('suppression')} else ${t('suppression')} end,
        latest_at = case when ${newer} then ${x('latest_at')} else ${t('latest_at')} end,
        latest_status = case when ${newer} then ${x('latest_status')} else ${t('latest_status')} end,
        last_opened_at = ${later(t('last_opened_at'), x('last_opened_at'))},
        last_clicked_at = ${later(t('last_clicked_at'), x('last_clicked_at'))},
        updated_at = ${scope.now}`),
  ];
}

// The outbound webhook events of one request's email events (services/
// webhooks/outbox.ts): email.bounced for a hard bounce, contact.unsubscribed
// for an unsubscribe, each keyed by the provider's id for it, so a replay
// or a resend owes no second delivery. Data: the address, when, what the
// provider said, and the live contacts that have the address.
export function suppressionEvents(scope: Scope, webhookEventId: string): SQL {
  const e = emailEvents;
  const people = sql`(select json_group_array(c.id) from ${contactEmails} as ce join ${contacts} as c on c.id = ce.contact_id and c.workspace_id = ce.workspace_id and c.deleted_at is null
    where ce.workspace_id = ${e.workspaceId} and ce.address = ${e.address})`;
  const data = sql`json_object('address', ${e.address}, 'at', strftime('%Y-%m-%dT%H:%M:%fZ', ${e.at} / 1000.0, 'unixepoch'), 'detail', ${e.detail}, 'contactIds', json(${people}))`;
  return sql`select case when ${e.type} = 'bounced' then 'email.bounced' else 'contact.unsubscribed' end as type, ${data} as data,
      'email:' || ${e.sourceId} || ':' || ${e.providerEventId} as cause
    from ${e} where ${scope.ws.scope(e, sql`${e.webhookEventId} = ${webhookEventId} and ((${e.type} = 'bounced' and ${e.bounce} = 'hard') or ${e.type} = 'unsubscribed')`)}`;
}
