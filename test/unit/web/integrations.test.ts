import { describe, expect, it } from 'vitest';
import { inboxKind, outcomeOf, prettyBody } from '../../../web/src/lib/integrations/inbox';
import { KINDS, urlWithCredentials } from '../../../web/src/lib/integrations/kinds';
import { mappingOf, rowsOf } from '../../../web/src/lib/integrations/mapping';
import { hrefOf, readState } from '../../../web/src/lib/list/state';

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
