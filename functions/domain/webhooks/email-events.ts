import type { SourceKind } from './verify';

// Email providers' webhook payloads, read into one kind of event: what
// happened to a message sent to an address, when, and the provider's own
// id for it (the key a redelivery is recognised by). Whatever a provider
// sends that says nothing about deliverability (processed, accepted,
// resubscribed…) is counted as ignored, not refused.

export const EMAIL_EVENT_TYPES = ['delivered', 'deferred', 'bounced', 'complained', 'opened', 'clicked', 'unsubscribed'] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export type EmailEvent = {
  type: EmailEventType;
  email: string;
  at: number;
  // Bounces only: a hard bounce means the address will never take mail.
  bounce: 'hard' | 'soft' | null;
  eventId: string;
  detail: string | null;
  url: string | null;
};

export type Parsed = { events: EmailEvent[]; ignored: number } | { error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const email = (v: unknown) => {
  const address = text(v)?.toLowerCase();
  return address && address.includes('@') && address.length <= 254 ? address : null;
};
// Epoch seconds (SendGrid, Mailgun) or an ISO date (Postmark, Resend).
const timeOf = (v: unknown, fallback: number) => {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : fallback;
};

function event(type: EmailEventType, address: string | null, at: number, eventId: string, more: Partial<Pick<EmailEvent, 'bounce' | 'detail' | 'url'>> = {}): EmailEvent[] {
  return address ? [{ type, email: address, at, bounce: more.bounce ?? null, eventId, detail: more.detail ?? null, url: more.url ?? null }] : [];
}

// SendGrid posts an array of events, each with its own sg_event_id. A
// "bounce" of type "blocked" is SendGrid's soft bounce.
function sendgrid(payload: unknown, now: number): Parsed {
  if (!Array.isArray(payload)) return { error: 'SendGrid posts an array of events' };
  let ignored = 0;
  const events = payload.flatMap((item): EmailEvent[] => {
    if (!isObject(item)) return (ignored++, []);
    const id = text(item.sg_event_id);
    const address = email(item.email);
    const at = timeOf(item.timestamp, now);
    const detail = text(item.reason) ?? text(item.response);
    const of = (type: EmailEventType, more = {}) => (id && address ? event(type, address, at, id, { detail, ...more }) : (ignored++, []));
    switch (item.event) {
      case 'delivered':
        return of('delivered');
      case 'deferred':
        return of('deferred');
      case 'bounce':
        return of('bounced', { bounce: item.type === 'blocked' ? 'soft' : 'hard' });
      case 'spamreport':
        return of('complained');
      case 'open':
        return of('opened');
      case 'click':
        return of('clicked', { url: text(item.url) });
      case 'unsubscribe':
      case 'group_unsubscribe':
        return of('unsubscribed');
      default:
        ignored++;
        return [];
    }
  });
  return { events, ignored };
}

// Mailgun: one event per request, in "event-data"; a failure's severity
// says whether it was permanent.
function mailgun(payload: unknown, now: number): Parsed {
  const data = isObject(payload) ? payload['event-data'] : null;
  if (!isObject(data)) return { error: 'Mailgun posts its event in "event-data"' };
  const id = text(data.id);
  const address = email(data.recipient);
  if (!id || !address) return { events: [], ignored: 1 };
  const at = timeOf(data.timestamp, now);
  const status = isObject(data['delivery-status']) ? data['delivery-status'] : {};
  const detail = text(status.description) ?? text(status.message) ?? text(data.reason);
  const map: Record<string, () => EmailEvent[]> = {
    delivered: () => event('delivered', address, at, id, { detail }),
    failed: () => event('bounced', address, at, id, { detail, bounce: data.severity === 'permanent' ? 'hard' : 'soft' }),
    opened: () => event('opened', address, at, id),
    clicked: () => event('clicked', address, at, id, { url: text(data.url) }),
    unsubscribed: () => event('unsubscribed', address, at, id),
    complained: () => event('complained', address, at, id),
  };
  const events = typeof data.event === 'string' && Object.hasOwn(map, data.event) ? map[data.event]!() : [];
  return { events, ignored: events.length ? 0 : 1 };
}

// Postmark bounce types that mean the address is gone for good.
const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Blocked', 'DMARCPolicy']);

// Postmark: one record per request, told apart by RecordType. It gives
// bounces an ID and other records only the message's, so the record type,
// that id and the record's time make the key.
function postmark(payload: unknown, now: number): Parsed {
  if (!isObject(payload) || typeof payload.RecordType !== 'string') return { error: 'Postmark posts one record with a RecordType' };
  const p = payload;
  const when = text(p.DeliveredAt) ?? text(p.BouncedAt) ?? text(p.ReceivedAt) ?? text(p.ChangedAt);
  const at = timeOf(when, now);
  const ref = String(p.ID ?? p.MessageID ?? '');
  const id = `${p.RecordType}:${ref}:${when ?? ''}`;
  const recipient = email(p.Recipient) ?? email(p.Email);
  const detail = text(p.Description) ?? text(p.Details);
  let events: EmailEvent[] = [];
  switch (p.RecordType) {
    case 'Delivery':
      events = event('delivered', recipient, at, id, { detail: text(p.Details) });
      break;
    case 'Bounce':
      events =
        p.Type === 'SpamComplaint'
          ? event('complained', recipient, at, id, { detail })
          : event('bounced', recipient, at, id, { detail, bounce: POSTMARK_HARD.has(String(p.Type)) ? 'hard' : 'soft' });
      break;
    case 'SpamComplaint':
      events = event('complained', recipient, at, id, { detail });
      break;
    case 'Open':
      events = event('opened', recipient, at, id);
      break;
    case 'Click':
      events = event('clicked', recipient, at, id, { url: text(p.OriginalLink) });
      break;
    case 'SubscriptionChange':
      if (p.SuppressSending === true) {
        const reason = p.SuppressionReason;
        events =
          reason === 'HardBounce'
            ? event('bounced', recipient, at, id, { bounce: 'hard' })
            : reason === 'SpamComplaint'
              ? event('complained', recipient, at, id)
              : event('unsubscribed', recipient, at, id);
      }
      break;
  }
  return { events, ignored: events.length ? 0 : 1 };
}

const RESEND_TYPES: Record<string, EmailEventType> = {
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'deferred',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.unsubscribed': 'unsubscribed',
};

// Resend (through Svix) and Relate's documented Standard Webhooks shape:
// { type: "email.bounced", created_at, data: { to: [...] | email, bounce:
// { type: "Permanent" | "Transient" }, click: { link } } }, one event per
// recipient, keyed by the request's id.
function standardEmail(payload: Json, requestId: string, now: number): Parsed {
  const type = RESEND_TYPES[String(payload.type)];
  const data = isObject(payload.data) ? payload.data : {};
  if (!type) return { events: [], ignored: 1 };
  const to = Array.isArray(data.to) ? data.to : [data.to ?? data.email];
  const at = timeOf(data.created_at ?? payload.created_at, now);
  const bounce = isObject(data.bounce) ? data.bounce : {};
  const recipients = to.map(email).filter((a): a is string => a !== null);
  const events = recipients.flatMap((address, i) =>
    event(type, address, at, recipients.length > 1 ? `${requestId}#${i}` : requestId, {
      bounce: type === 'bounced' ? (/^(transient|soft|temporary)$/i.test(String(bounce.type ?? '')) ? 'soft' : 'hard') : null,
      detail: text(bounce.message),
      url: isObject(data.click) ? text(data.click.link) : null,
    }),
  );
  return { events, ignored: events.length ? 0 : 1 };
}

export const isEmailPayload = (kind: SourceKind, payload: unknown) =>
  kind === 'sendgrid' || kind === 'mailgun' || kind === 'postmark' || (isObject(payload) && String(payload.type).startsWith('email.'));

// `requestId`: the sender's id for the whole request, where its scheme has
// one, else a digest of the body.
export function parseEmailEvents(kind: SourceKind, payload: unknown, requestId: string, now: number): Parsed {
  switch (kind) {
    case 'sendgrid':
      return sendgrid(payload, now);
    case 'mailgun':
      return mailgun(payload, now);
    case 'postmark':
      return postmark(payload, now);
    default:
      return isObject(payload) ? standardEmail(payload, requestId, now) : { error: 'The body is not a JSON object' };
  }
}
