import { describe, expect, it } from 'vitest';
import { asLink, asList, asText, telHref, webHref } from '../../../web/src/lib/fields/values';

describe('field values as displays read them', () => {
  it('turns a phone number as people write it into a tel: URI, extension included', () => {
    expect(telHref('+44 20 7946 0203')).toBe('tel:+442079460203');
    expect(telHref('(555) 010-2030 ext. 42')).toBe('tel:5550102030;ext=42');
    expect(telHref('555 0102 x7')).toBe('tel:5550102;ext=7');
    expect(telHref('+1 +2 3')).toBe('tel:+123');
    expect(telHref('call me')).toBeNull();
  });

  it('opens a bare domain over https and nothing but http(s)', () => {
    expect(webHref('acme.example')).toBe('https://acme.example/');
    expect(webHref('http://acme.example/about')).toBe('http://acme.example/about');
    expect(webHref('javascript:alert(1)')).toBeNull();
    expect(webHref('data:text/html,hi')).toBeNull();
  });

  it('reads text, lists and links defensively', () => {
    expect([asText(''), asText(3), asText(Number.NaN), asText(null)]).toEqual([null, '3', null, null]);
    expect(asList(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(asList('a')).toEqual([]);
    expect(asLink({ id: 'com_1', name: 'Acme' })).toEqual({ id: 'com_1', name: 'Acme' });
    expect(asLink('com_1')).toBeNull();
  });
});
