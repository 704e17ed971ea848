import { describe, expect, it } from 'vitest';
import { inboxKind, outcomeOf, prettyBody } from '../../../web/src/lib/integrations/inbox';
import { KINDS, urlWithCredentials } from '../../../web/src/lib/integrations/kinds';
import { mappingOf, rowsOf } from '../../../web/src/lib/integrations/mapping';
import { deliveriesKind, eventsSummary, groupEvents, outcomeText, stateOf } from '../../../web/src/lib/integrations/outbound';
import { hrefOf, readState, withFilter } from '../../../web/src/lib/list/state';

describe('the form mapping editor', () => {
  it('turns "their field → our field" rows into the API mapping and back', () => {
    const rows = rowsOf({ email: 'data.fields.work_email', fullName: 'who' });
    expect(rows).toEqual([
      { theirs: 'data.fields.work_email', ours: 'email' },
      { theirs: 'who', ours: 'fullName' },
    ]);
    expect(mappingOf(rows)).toEqual({ mapping: { email: 'data.fields.work_email', fullName: 'who' } });
  });

  it('leaves half-filled rows out and names the row that maps a contact field twice', () => {
    expect(mappingOf([{ theirs: '  ', ours: 'email' }, { theirs: 'phone_no', ours: '' }])).toEqual({ mapping: {} });
    expect(mappingOf([{ theirs: 'mail', ours: 'email' }, { theirs: 'e-mail', ours: 'email' }])).toEqual({ error: 'Row 2 maps a second field onto the same contact field' });
  });
});

describe('the event inbox', () => {
  it('keeps its filters in the URL and drops what is not a filter it knows', () => {
    const state = readState(inboxKind, new URLSearchParams('source=whs_01JDXZ0000000000000000000A&status=failed&type=sms&x=1'));
    expect(state.filters).toEqual({ source: ['whs_01JDXZ0000000000000000000A'], status: ['failed'] });
    expect(hrefOf('/settings/integrations/inbox', state)).toBe('/settings/integrations/inbox?source=whs_01JDXZ0000000000000000000A&status=failed');
  });

  it('says what applying an event did', () => {
    expect(outcomeOf({ status: 'applied', result: { contactId: 'con_1', created: true }, error: null })).toEqual({ text: 'Created a lead', contactId: 'con_1' });
    expect(outcomeOf({ status: 'applied', result: { contactId: 'con_1', created: false }, error: null }).text).toBe('Matched an existing contact');
    expect(outcomeOf({ status: 'applied', result: { emailEvents: 3, ignored: 1, suppressing: 1 }, error: null }).text).toBe('3 email events, 1 suppressing, 1 ignored');
    expect(outcomeOf({ status: 'failed', result: null, error: 'email: Invalid email' }).text).toBe('email: Invalid email');
    expect(outcomeOf({ status: 'pending', result: null, error: null }).text).toBe('Waiting to be applied');
  });

  it('indents a JSON body and leaves any other as it came', () => {
    expect(prettyBody('{"a":{"b":1}}')).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
    expect(prettyBody('email=a%40b.example&name=Ada')).toBe('email=a%40b.example&name=Ada');
  });
});

describe('the kinds of source', () => {
  it("puts Postmark's credentials into the URL it posts to, escaped", () => {
    expect(urlWithCredentials('https://crm.test/webhooks/whs_1', 'relate:p@ss:word')).toBe('https://relate:p%40ss%3Aword@crm.test/webhooks/whs_1');
  });

  it('asks for a pasted key where the sender makes it, and a mapping only from form tools', () => {
    expect(Object.entries(KINDS).filter(([, k]) => k.pasteOnly).map(([kind]) => kind)).toEqual(['sendgrid', 'mailgun']);
    expect(Object.entries(KINDS).filter(([, k]) => k.forms).map(([kind]) => kind)).toEqual(['standard', 'hmac']);
  });
});

describe('outbound webhooks', () => {
  const catalogue = [
    { type: 'contact.created', description: 'a' },
    { type: 'contact.updated', description: 'b' },
    { type: 'contact.deleted', description: 'c' },
    { type: 'lead.captured', description: 'd' },
  ];

  it('groups the catalogue by object, in its order, and says "contact.*" for a whole group', () => {
    expect(groupEvents(catalogue).map((g) => [g.object, g.events.length])).toEqual([
      ['contact', 3],
      ['lead', 1],
    ]);
    expect(eventsSummary(['lead.captured', 'contact.updated', 'contact.created', 'contact.deleted'], catalogue)).toBe('contact.*, lead.captured');
    expect(eventsSummary(['contact.updated', 'lead.captured'], catalogue)).toBe('contact.updated, lead.captured');
  });

  it('keeps the delivery log’s filters in the URL and drops what it does not know', () => {
    const state = readState(deliveriesKind, new URLSearchParams('subscription=wsub_01JDXZ0000000000000000000A&status=failed&eventType=order.paid'));
    expect(state.filters).toEqual({ subscription: ['wsub_01JDXZ0000000000000000000A'], status: ['failed'] });
    expect(hrefOf('/settings/integrations/deliveries', withFilter(state, 'status', ''))).toBe('/settings/integrations/deliveries?subscription=wsub_01JDXZ0000000000000000000A');
  });

  it('says how a delivery went and whether a subscription is on', () => {
    expect(outcomeText({ status: 'delivered', lastStatus: 204, lastError: null })).toBe('Delivered (HTTP 204)');
    expect(outcomeText({ status: 'pending', lastStatus: 500, lastError: null })).toBe('Retrying after HTTP 500');
    expect(outcomeText({ status: 'pending', lastStatus: null, lastError: null })).toBe('Waiting to be sent');
    expect(outcomeText({ status: 'failed', lastStatus: null, lastError: 'timed out' })).toBe('Failed: timed out');
    expect(stateOf({ enabled: false, disabledReason: 'The receiver answered 410 Gone', failingSince: null }).tone).toBe('off');
    expect(stateOf({ enabled: true, disabledReason: null, failingSince: '2026-11-30T00:00:00.000Z' }).tone).toBe('failing');
  });
});
