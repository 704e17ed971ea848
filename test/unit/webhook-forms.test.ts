import { describe, expect, it } from 'vitest';
import { formBody, normalizedPhone, readFormFill } from '../../functions/domain/webhooks/forms';

// Form fills as form tools post them (functions/domain/webhooks/forms.ts).

describe('reading a form fill', () => {
  it('finds the usual field names at any depth, without a mapping', () => {
    const fill = readFormFill({
      event: 'form.submitted',
      data: { fields: { 'Email Address': ' Ada@Example.COM ', 'First name': 'Ada', 'Last name': 'Lovelace', Company: 'Analytical Engines', Phone: '+44 20 7946 0958' } },
      meta: { page_url: 'https://relate.example/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=nov', referrer: 'https://news.example/' },
    });
    expect(fill).toEqual({
      email: 'ada@example.com',
      phone: '+44 20 7946 0958',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      jobTitle: null,
      message: null,
      utm: { source: 'newsletter', medium: 'email', campaign: 'nov', term: null, content: null },
      landingPage: 'https://relate.example/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=nov',
      referrer: 'https://news.example/',
    });
  });

  it('follows a mapping (keys with spaces or dots, dot paths), and a UTM field beats the landing page', () => {
    const payload = { answers: { q1: { text: 'grace@example.com' } }, 'contact.name': 'Grace Brewster Hopper', utm_source: 'ads', page: 'https://relate.example/?utm_source=seo' };
    const fill = readFormFill(payload, { email: 'answers.q1.text', fullName: 'contact.name' });
    expect(fill).toMatchObject({ email: 'grace@example.com', firstName: 'Grace Brewster', lastName: 'Hopper', utm: { source: 'ads' } });
  });

  it('drops what is not an email, trims and bounds long values, keeps a message’s lines', () => {
    const fill = readFormFill({ email: 'not-an-email', name: 'x'.repeat(500), message: ' Hello\nthere ' });
    expect(fill.email).toBeNull();
    expect(fill.firstName).toHaveLength(200);
    expect(fill.message).toBe('Hello\nthere');
    expect(readFormFill('just text')).toMatchObject({ email: null, firstName: null });
    expect(readFormFill(null)).toMatchObject({ email: null });
  });

  it('reads an HTML form’s body', () => {
    expect(readFormFill(formBody('email=ada%40example.com&first_name=Ada&utm_campaign=launch&email=other%40example.com'))).toMatchObject({
      email: 'ada@example.com', firstName: 'Ada', utm: { campaign: 'launch' },
    });
  });

  it('normalises phone numbers for matching', () => {
    expect(normalizedPhone('+44 (20) 7946-0958')).toBe('+442079460958');
    expect(normalizedPhone('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalizedPhone('020 7946 0958')).toBe('02079460958');
    expect(normalizedPhone('12')).toBeNull();
    expect(normalizedPhone(undefined)).toBeNull();
  });
});
