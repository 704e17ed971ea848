import { describe, expect, it } from 'vitest';
import { clientNetwork, isOverLimit, retryAfterSeconds, THROTTLE, throttleKeys } from '../../functions/domain/throttle';

describe('clientNetwork', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(clientNetwork('0.0.0.0')).toBe('0.0.0.0');
  });

  it('keys IPv6 by its /64, however the address is written', () => {
    const sameHost = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:a:b:c:d', '[2001:db8:1:2::9]', '2001:db8:1:2::1%eth0'];
    for (const address of sameHost) expect(clientNetwork(address), address).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('1:2:3:4:5:6:1.2.3.4')).toBe('1:2:3:4::/64');
  });

  it('reads IPv4-mapped IPv6 as the IPv4 address, in either notation', () => {
    expect(clientNetwork('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientNetwork('::FFFF:c633:6407')).toBe('198.51.100.7');
    expect(clientNetwork('0:0:0:0:0:ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('leaves what is not an IP address alone', () => {
    for (const text of ['unknown', '1:2:3', '1:::2', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '12345::1', '::ffff:300.1.1.1', '999.1.1.1', '']) {
      expect(clientNetwork(text), text).toBe(text);
    }
  });
});

describe('throttleKeys', () => {
  it('keeps each action’s counts apart and groups an IPv6 client’s addresses', () => {
    expect(throttleKeys('sign-up', 'ada@example.com', '2001:db8::5')).toEqual({
      email: 'sign-up:email:ada@example.com',
      address: 'sign-up:net:2001:db8:0:0::/64',
    });
    expect(throttleKeys('sign-in', 'ada@example.com', '::ffff:10.0.0.1').address).toBe('sign-in:net:10.0.0.1');
  });
});

describe('isOverLimit and retryAfterSeconds', () => {
  it('allows attempts up to the limit, counting the one being judged, and names the end of the window', () => {
    expect(isOverLimit({ count: 5, windowStart: 0 }, 5)).toBe(false);
    expect(isOverLimit({ count: 6, windowStart: 0 }, 5)).toBe(true);
    expect(retryAfterSeconds({ count: 6, windowStart: 1_000 }, 1_000 + THROTTLE.windowMs - 2_500)).toBe(3);
    expect(retryAfterSeconds({ count: 6, windowStart: 1_000 }, 1_000 + THROTTLE.windowMs)).toBe(1);
  });
});
