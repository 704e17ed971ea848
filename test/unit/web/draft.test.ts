import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../web/src/lib/api';
import { addressOrNull, changes, withLabel } from '../../../web/src/lib/draft';
import * as contactForm from '../../../web/src/routes/contacts/[id]/draft';

// The record forms send `changes(toUpdate(draftOf(saved)), toUpdate(draft))`
// as their PATCH (the contact page's ReachEditor.svelte); these helpers do
// the same, so each test reads as "edit the form like this, send that".
type ContactDraft = ReturnType<typeof contactForm.draftOf>;

function contactPatch(contact: Contact, edit: (draft: ContactDraft) => void) {
  const draft = contactForm.draftOf(contact);
  edit(draft);
  return changes(contactForm.toUpdate(contactForm.draftOf(contact)), contactForm.toUpdate(draft));
}


function aContact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: 'con_01JZ0000000000000000000000',
    firstName: 'Ada',
    lastName: 'Lovelace',
    emails: [
      { address: 'ada@example.com', label: 'work' },
      { address: 'ada@home.example' },
    ],
    phones: [{ number: '+44 20 7946 0000' }],
    address: { city: 'London', country: 'GB' },
    jobTitle: 'Analyst',
    companyId: 'com_01JZ0000000000000000000000',
    companyName: 'Analytical Engines',
    ownerId: 'usr_01JZ0000000000000000000000',
    lifecycleStage: 'lead',
    leadSource: 'referral',
    tags: ['vip'],
    preferredChannel: 'email',
    emailConsent: 'granted',
    emailConsentAt: '2026-01-02T03:04:05.000Z',
    emailConsentMethod: 'web form',
    softData: { interests: ['mathematics'], notes: 'Prefers mornings' },
    customFields: { tier: 'gold', seats: 12, renewal: '2026-09-01', regions: ['emea', 'apac'], newsletter: true },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}


describe('editing a contact', () => {
  it('sends nothing when nothing was changed', () => {
    expect(contactPatch(aContact(), () => {})).toEqual({});
  });

  it('sends only the field that changed, trimmed', () => {
    expect(contactPatch(aContact(), (d) => (d.firstName = '  Augusta '))).toEqual({ firstName: 'Augusta' });
  });

  it('sends nothing for whitespace typed around an unchanged value', () => {
    expect(contactPatch(aContact(), (d) => (d.jobTitle = ' Analyst  '))).toEqual({});
  });

  it('clears an emptied optional field with null', () => {
    expect(
      contactPatch(aContact(), (d) => {
        d.jobTitle = '   ';
        d.leadSource = '';
        d.ownerId = '';
        d.preferredChannel = '';
        d.emailConsentMethod = '';
      }),
    ).toEqual({ jobTitle: null, leadSource: null, ownerId: null, preferredChannel: null, emailConsentMethod: null });
  });

  it('sends the whole email list when one label changes, keeping the other emails as they were', () => {
    expect(contactPatch(aContact(), (d) => (d.emails[1]!.label = ' home '))).toEqual({
      emails: [
        { address: 'ada@example.com', label: 'work' },
        { address: 'ada@home.example', label: 'home' },
      ],
    });
  });

  it('sends a reordered email list: the first address is the primary one', () => {
    expect(contactPatch(aContact(), (d) => d.emails.reverse())).toEqual({
      emails: [{ address: 'ada@home.example' }, { address: 'ada@example.com', label: 'work' }],
    });
  });

  it('ignores an added row that was left blank', () => {
    expect(
      contactPatch(aContact(), (d) => {
        d.emails.push({ address: '  ', label: 'other' });
        d.phones.push({ number: '', label: '' });
      }),
    ).toEqual({});
  });

  it('sends the phone list without a removed number, and an empty list when all are removed', () => {
    const contact = aContact({ phones: [{ number: '+1 555 0100', label: 'mobile' }, { number: '+1 555 0199' }] });
    expect(contactPatch(contact, (d) => d.phones.splice(0, 1))).toEqual({ phones: [{ number: '+1 555 0199' }] });
    expect(contactPatch(contact, (d) => (d.phones = []))).toEqual({ phones: [] });
  });

  it('clears the address with null when every line is emptied, and sends only filled lines otherwise', () => {
    expect(
      contactPatch(aContact(), (d) => {
        d.address.city = '';
        d.address.country = ' ';
      }),
    ).toEqual({ address: null });
    expect(contactPatch(aContact(), (d) => (d.address.street = ' 12 St James’s Sq '))).toEqual({
      address: { street: '12 St James’s Sq', city: 'London', country: 'GB' },
    });
  });

  it('keeps the other soft data when one note is cleared', () => {
    expect(contactPatch(aContact(), (d) => (d.notes = ''))).toEqual({ softData: { interests: ['mathematics'] } });
  });

  it('sends an added tag as the new tag list', () => {
    expect(contactPatch(aContact(), (d) => d.tags.push('speaker'))).toEqual({ tags: ['vip', 'speaker'] });
  });

  it('does not change the saved contact while the draft is edited', () => {
    const contact = aContact();
    contactPatch(contact, (d) => {
      d.emails[0]!.address = 'changed@example.com';
      d.tags.push('x');
      d.customFields.tier = 'silver';
    });
    expect(contact).toEqual(aContact());
  });
});

describe('editing custom fields', () => {
  it('sends only the custom field that changed, not the others', () => {
    expect(contactPatch(aContact(), (d) => (d.customFields.tier = 'platinum'))).toEqual({ customFields: { tier: 'platinum' } });
  });

  it.each([
    ['an emptied text field', 'tier', ''],
    ['a text field left with only spaces', 'tier', '   '],
    ['an emptied number field', 'seats', null],
    ['a number field the browser reads as NaN', 'seats', Number.NaN],
    ['a multi-select with every option unticked', 'regions', []],
    ['a select set back to —', 'tier', null],
  ])('clears %s with null', (_, key, value) => {
    expect(contactPatch(aContact(), (d) => (d.customFields[key] = value))).toEqual({ customFields: { [key]: null } });
  });

  it('clears a field whose key is gone from the draft', () => {
    expect(contactPatch(aContact(), (d) => delete d.customFields.renewal)).toEqual({ customFields: { renewal: null } });
  });

  it('sends false when a ticked checkbox is unticked: false is a value, not a clearing', () => {
    expect(contactPatch(aContact(), (d) => (d.customFields.newsletter = false))).toEqual({ customFields: { newsletter: false } });
  });

  it('sends a zero typed into a number field', () => {
    expect(contactPatch(aContact(), (d) => (d.customFields.seats = 0))).toEqual({ customFields: { seats: 0 } });
  });

  it('reads a field keyed like a name every object has from the record only', () => {
    // Typed as string, so TypeScript reads these as keys of the values record.
    const constructor: string = 'constructor';
    const valueOf: string = 'valueOf';
    expect(contactPatch(aContact(), (d) => (d.customFields[constructor] = ''))).toEqual({});
    expect(contactPatch(aContact(), (d) => (d.customFields[valueOf] = null))).toEqual({});
    expect(contactPatch(aContact(), (d) => (d.customFields[constructor] = 'x'))).toEqual({ customFields: { constructor: 'x' } });
    const stored = aContact({ customFields: JSON.parse('{"constructor":"kept","__proto__":"kept too"}') });
    expect(contactPatch(stored, (d) => (d.customFields[constructor] = ''))).toEqual({ customFields: { constructor: null } });
    const patch = contactPatch(stored, (d) => delete d.customFields['__proto__']);
    expect(Object.hasOwn(patch.customFields!, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(patch.customFields)).toBe(Object.prototype);
  });

  it('sends a field that had no value before once it gets one', () => {
    expect(contactPatch(aContact(), (d) => (d.customFields.shoeSize = 42))).toEqual({ customFields: { shoeSize: 42 } });
  });

  it('sends nothing for a field that was touched but left empty', () => {
    expect(
      contactPatch(aContact(), (d) => {
        d.customFields.nickname = '';
        d.customFields.shoeSize = null;
        d.customFields.languages = [];
      }),
    ).toEqual({});
  });

  it('sends a multi-select with a new option ticked as the whole new list', () => {
    expect(contactPatch(aContact(), (d) => (d.customFields.regions = ['emea', 'apac', 'amer']))).toEqual({
      customFields: { regions: ['emea', 'apac', 'amer'] },
    });
  });
});

describe('changes', () => {
  it('compares lists by value, not by identity', () => {
    const saved = { tags: ['a', 'b'], customFields: {} };
    expect(changes(saved, { tags: ['a', 'b'], customFields: {} })).toEqual({});
    expect(changes(saved, { tags: ['b', 'a'], customFields: {} })).toEqual({ tags: ['b', 'a'] });
  });

  it('treats a custom field missing on one side like one set to null', () => {
    expect(changes({ customFields: {} }, { customFields: { a: null } })).toEqual({});
    expect(changes({ customFields: { a: null } }, { customFields: {} })).toEqual({});
    expect(changes({}, { customFields: { a: 'x' } })).toEqual({ customFields: { a: 'x' } });
  });
});

describe('withLabel and addressOrNull', () => {
  it('adds a label only when one was typed', () => {
    expect(withLabel({ address: 'a@b.example' }, ' work ')).toEqual({ address: 'a@b.example', label: 'work' });
    expect(withLabel({ address: 'a@b.example' }, '  ')).toEqual({ address: 'a@b.example' });
    expect(withLabel({ address: 'a@b.example' }, undefined)).toEqual({ address: 'a@b.example' });
  });

  it('keeps only the filled address lines', () => {
    expect(addressOrNull({ street: '', city: ' Paris ', region: ' ', postalCode: '75001', country: '' })).toEqual({
      city: 'Paris',
      postalCode: '75001',
    });
    expect(addressOrNull({ street: ' ', city: '' })).toBeNull();
  });
});
