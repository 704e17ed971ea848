import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEmailEvent, NOTHING_KNOWN, statusOf, suppressionRank, type Deliverability } from '../../functions/domain/deliverability';
import { EMAIL_EVENT_TYPES, parseEmailEvents, type EmailEvent } from '../../functions/domain/webhooks/email-events';

// Email providers' webhook payloads as one kind of event
// (functions/domain/webhooks/email-events.ts), and what the events say of
// an address in any order (functions/domain/deliverability.ts).

const NOW = Date.UTC(2026, 10, 30, 12);

describe('reading providers’ email events', () => {
  it('SendGrid: an array, each event with its own id; "blocked" is a soft bounce; "processed" says nothing', () => {
    const parsed = parseEmailEvents('sendgrid', [
      { email: 'Ada@Example.com', timestamp: 1764500000, event: 'bounce', type: 'bounce', reason: '550 5.1.1 no such user', sg_event_id: 'e1' },
      { email: 'bob@example.com', timestamp: 1764500001, event: 'bounce', type: 'blocked', sg_event_id: 'e2' },
      { email: 'cy@example.com', timestamp: 1764500002, event: 'click', url: 'https://shop.example/x', sg_event_id: 'e3' },
      { email: 'di@example.com', timestamp: 1764500003, event: 'group_unsubscribe', sg_event_id: 'e4' },
      { email: 'ed@example.com', timestamp: 1764500004, event: 'processed', sg_event_id: 'e5' },
      { email: 'fay@example.com', timestamp: 1764500005, event: 'spamreport' },
    ], 'req', NOW);
    expect(parsed).toEqual({
      events: [
        { type: 'bounced', email: 'ada@example.com', at: 1764500000000, bounce: 'hard', eventId: 'e1', detail: '550 5.1.1 no such user', url: null },
        { type: 'bounced', email: 'bob@example.com', at: 1764500001000, bounce: 'soft', eventId: 'e2', detail: null, url: null },
        { type: 'clicked', email: 'cy@example.com', at: 1764500002000, bounce: null, eventId: 'e3', detail: null, url: 'https://shop.example/x' },
        { type: 'unsubscribed', email: 'di@example.com', at: 1764500003000, bounce: null, eventId: 'e4', detail: null, url: null },
      ],
      ignored: 2,
    });
    expect(parseEmailEvents('sendgrid', { event: 'bounce' }, 'req', NOW)).toEqual({ error: expect.any(String) });
  });

  it('Mailgun: "failed" is hard when permanent, soft when temporary', () => {
    const failed = (severity: string) =>
      parseEmailEvents('mailgun', { signature: {}, 'event-data': { id: 'mg1', event: 'failed', severity, recipient: 'ada@example.com', timestamp: 1764500000.5, 'delivery-status': { description: 'mailbox full' } } }, 'req', NOW);
    expect(failed('permanent')).toMatchObject({ events: [{ type: 'bounced', bounce: 'hard', eventId: 'mg1', at: 1764500000500, detail: 'mailbox full' }] });
    expect(failed('temporary')).toMatchObject({ events: [{ type: 'bounced', bounce: 'soft' }] });
    expect(parseEmailEvents('mailgun', { 'event-data': { id: 'mg2', event: 'accepted', recipient: 'ada@example.com' } }, 'req', NOW)).toEqual({ events: [], ignored: 1 });
    expect(parseEmailEvents('mailgun', { hello: 1 }, 'req', NOW)).toEqual({ error: expect.any(String) });
  });

  it('Postmark: records by RecordType, bounce types hard or soft, a suppression change as what caused it', () => {
    const bounce = (Type: string) => parseEmailEvents('postmark', { RecordType: 'Bounce', ID: 42, Type, Email: 'ada@example.com', BouncedAt: '2026-11-30T10:00:00Z', Description: 'x' }, 'req', NOW);
    expect(bounce('HardBounce')).toMatchObject({ events: [{ type: 'bounced', bounce: 'hard', eventId: 'Bounce:42:2026-11-30T10:00:00Z', at: Date.UTC(2026, 10, 30, 10) }] });
    expect(bounce('SoftBounce')).toMatchObject({ events: [{ type: 'bounced', bounce: 'soft' }] });
    expect(bounce('SpamComplaint')).toMatchObject({ events: [{ type: 'complained' }] });
    const change = (SuppressionReason: string) =>
      parseEmailEvents('postmark', { RecordType: 'SubscriptionChange', MessageID: 'm1', Recipient: 'ada@example.com', SuppressSending: true, SuppressionReason, ChangedAt: '2026-11-30T11:00:00Z' }, 'req', NOW);
    expect(change('ManualSuppression')).toMatchObject({ events: [{ type: 'unsubscribed' }] });
    expect(change('HardBounce')).toMatchObject({ events: [{ type: 'bounced', bounce: 'hard' }] });
    expect(parseEmailEvents('postmark', { RecordType: 'Open', MessageID: 'm1', Recipient: 'ada@example.com', ReceivedAt: '2026-11-30T11:00:00Z' }, 'req', NOW)).toMatchObject({ events: [{ type: 'opened' }] });
    expect(parseEmailEvents('postmark', [1], 'req', NOW)).toEqual({ error: expect.any(String) });
  });

  it('Resend and the Standard Webhooks shape: one event per recipient, keyed by the request', () => {
    const parsed = parseEmailEvents('svix', { type: 'email.bounced', created_at: '2026-11-30T09:00:00Z', data: { to: ['ada@example.com', 'bob@example.com'], bounce: { type: 'Permanent', message: 'gone' } } }, 'msg_1', NOW);
    expect(parsed).toMatchObject({ events: [{ email: 'ada@example.com', eventId: 'msg_1#0', bounce: 'hard', detail: 'gone' }, { email: 'bob@example.com', eventId: 'msg_1#1' }] });
    expect(parseEmailEvents('standard', { type: 'email.delivered', data: { to: 'ada@example.com' } }, 'msg_2', NOW)).toMatchObject({ events: [{ type: 'delivered', eventId: 'msg_2', at: NOW }] });
    expect(parseEmailEvents('standard', { type: 'email.sent', data: { to: 'ada@example.com' } }, 'msg_3', NOW)).toEqual({ events: [], ignored: 1 });
  });
});

const anEvent = fc.record({
  type: fc.constantFrom(...EMAIL_EVENT_TYPES),
  bounce: fc.constantFrom<'hard' | 'soft'>('hard', 'soft'),
  at: fc.integer({ min: 0, max: 50 }),
}).map((e) => ({ ...e, bounce: e.type === 'bounced' ? e.bounce : null }) as Pick<EmailEvent, 'type' | 'bounce' | 'at'>);

const fold = (events: Pick<EmailEvent, 'type' | 'bounce' | 'at'>[]) => events.reduce<Deliverability>(applyEmailEvent, NOTHING_KNOWN);

describe('deliverability of an address', () => {
  it('ends the same whatever order the events arrive in (property)', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 12 }).chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }))), ([events, shuffled]) => {
        expect(fold(shuffled)).toEqual(fold(events));
      }),
      { numRuns: 500 },
    );
  });

  it('never lifts a suppression, whatever comes after (property)', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 12 }), (events) => {
        let state = NOTHING_KNOWN;
        for (const event of events) {
          const next = applyEmailEvent(state, event);
          expect(suppressionRank(next.suppression)).toBeGreaterThanOrEqual(suppressionRank(state.suppression));
          state = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('says what a person would: a late "delivered" does not undo a bounce; a newer delivery ends soft bouncing', () => {
    expect(statusOf(fold([{ type: 'bounced', bounce: 'hard', at: 5 }, { type: 'delivered', bounce: null, at: 3 }, { type: 'opened', bounce: null, at: 9 }]))).toBe('bounced');
    expect(statusOf(fold([{ type: 'bounced', bounce: 'soft', at: 5 }, { type: 'delivered', bounce: null, at: 3 }]))).toBe('soft_bouncing');
    expect(statusOf(fold([{ type: 'bounced', bounce: 'soft', at: 5 }, { type: 'delivered', bounce: null, at: 7 }]))).toBe('deliverable');
    expect(statusOf(fold([{ type: 'complained', bounce: null, at: 1 }, { type: 'bounced', bounce: 'hard', at: 2 }]))).toBe('complained');
    expect(statusOf(fold([{ type: 'deferred', bounce: null, at: 1 }]))).toBe('unknown');
    expect(fold([{ type: 'unsubscribed', bounce: null, at: 8 }, { type: 'unsubscribed', bounce: null, at: 4 }]).suppressedAt).toBe(4);
  });
});
