import { describe, expect, it } from 'vitest';
import { domainOf, websiteOf } from '../../functions/domain/web';

describe('a website typed as people type it', () => {
  it('takes a bare host, with or without a path, as an https address', () => {
    expect(websiteOf('acme.com')).toBe('https://acme.com');
    expect(websiteOf('  www.acme.co.uk/en?x=1 ')).toBe('https://www.acme.co.uk/en?x=1');
    expect(websiteOf('shop.acme.com:8443/')).toBe('https://shop.acme.com:8443/');
  });

  it('leaves a full URL, and anything that is no host, as typed for the URL check to judge', () => {
    expect(websiteOf('http://acme.com')).toBe('http://acme.com');
    expect(websiteOf('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(websiteOf('acme dot com')).toBe('acme dot com');
    expect(websiteOf('localhost')).toBe('localhost');
  });
});

describe('the domain a website stands for', () => {
  it('is its host, lower-cased, without www', () => {
    expect(domainOf('https://www.Acme.com/about')).toBe('acme.com');
    expect(domainOf('acme.com')).toBe('acme.com');
    expect(domainOf('http://shop.acme.co.uk:8080/x')).toBe('shop.acme.co.uk');
    expect(domainOf('https://www2.acme.com')).toBe('acme.com');
    expect(domainOf('https://acme.com.')).toBe('acme.com');
  });

  it('is an IDN in its ASCII form, as the domain column holds it', () => {
    expect(domainOf('https://bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('is none for an address with no domain name, or no web address at all', () => {
    expect(domainOf('http://192.168.0.1/admin')).toBeNull();
    expect(domainOf('http://[::1]/')).toBeNull();
    expect(domainOf('http://localhost:8787')).toBeNull();
    expect(domainOf('mailto:ada@acme.com')).toBeNull();
    expect(domainOf('not a url')).toBeNull();
  });
});
