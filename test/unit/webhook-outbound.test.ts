import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  DISABLE_AFTER_FAILING_MS,
  GIVE_UP_AFTER_MS,
  isGone,
  MAX_DELAY_SECONDS,
  nextAttemptAt,
  retryCeilingSeconds,
  retryDelaySeconds,
  succeeded,
} from '../../functions/domain/webhooks/delivery-schedule';
import { OUTBOUND_EVENT_TYPES, outboundCatalogue } from '../../functions/domain/webhooks/outbound-events';
import { newSigningSecret, signedHeaders } from '../../functions/domain/webhooks/sign';

describe('the retry schedule of outbound webhooks', () => {
  it('doubles its ceiling from 30 s and stops at 12 h, the longest delay a queue message can carry', () => {
    expect([1, 2, 3, 4, 5].map(retryCeilingSeconds)).toEqual([30, 60, 120, 240, 480]);
    expect(retryCeilingSeconds(12)).toBe(MAX_DELAY_SECONDS);
    expect(retryCeilingSeconds(1000)).toBe(MAX_DELAY_SECONDS);
  });

  it('draws each wait between a few seconds and the ceiling (full jitter)', () => {
    expect(retryDelaySeconds(3, 0)).toBe(5);
    expect(retryDelaySeconds(3, 0.5)).toBe(60);
    expect(retryDelaySeconds(3, 0.999999)).toBe(119);
    for (let attempt = 1; attempt < 40; attempt++) {
      for (const r of [0, 0.25, 0.75, 0.9999]) {
        const delay = retryDelaySeconds(attempt, r);
        expect(delay).toBeGreaterThanOrEqual(5);
        expect(delay).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
      }
    }
  });

  it('gives a delivery up three days after it was made: about twenty attempts at the average draw', () => {
    const createdAt = 0;
    let now = createdAt;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = nextAttemptAt({ createdAt, failedAttempts: attempts, now, random: 0.5 });
      if (next === null) break;
      expect(next).toBeGreaterThan(now);
      now = next;
    }
    expect(now).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(now).toBeGreaterThan(GIVE_UP_AFTER_MS - MAX_DELAY_SECONDS * 1000);
    expect(attempts).toBeGreaterThan(15);
    expect(attempts).toBeLessThan(30);
  });

  it('counts only a 2xx as delivered; a 3xx fails; a 410 disables', () => {
    expect(succeeded({ status: 204 })).toBe(true);
    expect(succeeded({ status: 301 })).toBe(false);
    expect(succeeded({ error: 'timed out' })).toBe(false);
    expect(isGone({ status: 410 })).toBe(true);
    expect(isGone({ status: 404 })).toBe(false);
    expect(DISABLE_AFTER_FAILING_MS).toBeGreaterThan(GIVE_UP_AFTER_MS);
  });
});

describe('signing outbound webhooks (Standard Webhooks)', () => {
  const body = JSON.stringify({ type: 'contact.created', timestamp: '2026-11-30T12:00:00.000Z', data: { id: 'con_1', firstName: 'Zoë' } });
  const at = Date.UTC(2026, 10, 30, 12);

  it("is verified by the standardwebhooks package's Webhook.verify", async () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const headers = await signedHeaders({ id: 'whd_1', at, body, secrets: [secret] });
    expect(headers['webhook-timestamp']).toBe(String(at / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verify = () => new Webhook(secret).verify(body, headers);
    // The library checks the timestamp against its own clock.
    const realNow = Date.now;
    Date.now = () => at;
    try {
      expect(verify()).toEqual(JSON.parse(body));
      expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
      expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    } finally {
      Date.now = realNow;
    }
  });

  it('carries a signature for each secret during a rotation, each verifying alone', async () => {
    const [current, previous] = [newSigningSecret(), newSigningSecret()];
    const headers = await signedHeaders({ id: 'whd_2', at, body, secrets: [current, previous] });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    const realNow = Date.now;
    Date.now = () => at;
    try {
      for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    } finally {
      Date.now = realNow;
    }
  });
});

describe('the catalogue of outbound events', () => {
  it('names every event the issue asks for, each with a line for the UI', () => {
    expect(OUTBOUND_EVENT_TYPES).toEqual(
      expect.arrayContaining(['contact.created', 'contact.updated', 'contact.deleted', 'company.created', 'company.updated', 'company.deleted', 'lead.captured', 'email.bounced', 'contact.unsubscribed']),
    );
    for (const { type, description } of outboundCatalogue()) {
      expect(type).toMatch(/^[a-z]+\.[a-z]+$/);
      expect(description.length).toBeGreaterThan(10);
    }
  });
});
