import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReceiver, verified } from '../fixtures/webhook-receiver';
import { axeViolations } from './axe';
import { apiCall, signUpInBrowser, startStack } from './harness';

// Settings → Integrations → Outbound end to end: a subscription made in
// the UI to a receiver on 127.0.0.1 (the host allows loopback targets only
// because this test says so), a contact made in the UI, the signed delivery
// the receiver gets (checked with the standardwebhooks package and the
// secret the page showed once), the delivery log with the answer, and a
// delivery that failed redelivered from the UI.

let stack: Awaited<ReturnType<typeof startStack>>;
let receiver: Awaited<ReturnType<typeof aReceiver>>;
// While on, the receiver answers 500, as a tool in an outage would.
let failing = false;

beforeAll(async () => {
  stack = await startStack({ WEBHOOKS_ALLOW_LOOPBACK: '1' });
  receiver = await aReceiver(() =>
    failing
      ? { status: 500, body: 'down for maintenance' }
      : { status: 200, headers: { 'content-type': 'application/json', 'x-receiver': 'e2e' }, body: '{"received":true}' },
  );
});
afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Integrations' }).getByRole('link', { name });

describe('Settings → Integrations → Outbound', () => {
  it('subscribes a receiver to contact.created, sends it a signed delivery when a contact is added, logs it, and redelivers one that failed', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Radia Perlman', email: 'radia@outbound.example', workspace: 'Spanning Trees' });
    await page.goto(`${stack.baseUrl}/settings/integrations`);
    await tab(page, 'Outbound').click();
    await page.waitForURL(/\/settings\/integrations\/outbound$/);
    await expect.poll(() => page.getByTestId('subscriptions-empty').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // A private address is refused, with the server's reason at the field.
    await page.getByTestId('new-subscription').click();
    const dialog = page.getByTestId('subscription-dialog');
    await page.getByTestId('subscription-url').fill('http://10.0.0.7/hooks');
    await dialog.getByRole('checkbox', { name: /^contact\.created/ }).check();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('save-subscription').click();
    await expect.poll(() => page.getByTestId('subscription-url').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.locator('.field-error').first().textContent()).toMatch(/\S/);

    // "All of contact.*" ticks the group; unticking leaves contact.created.
    const all = dialog.getByRole('checkbox', { name: 'All of contact.*' });
    await all.check();
    expect(await dialog.getByRole('checkbox', { name: /^contact\.deleted/ }).isChecked()).toBe(true);
    await all.uncheck();
    await dialog.getByRole('checkbox', { name: /^contact\.created/ }).check();
    await page.getByTestId('subscription-url').fill(receiver.url);
    await page.getByTestId('subscription-description').fill('Network team’s Slack bot');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-subscription-dialog.png') });
    await page.getByTestId('subscription-description').press('Enter');

    // The secret, once.
    const shown = page.getByTestId('subscription-secret-dialog');
    await expect.poll(() => shown.getByText('you won’t see this secret again').count()).toBe(1);
    const secret = await page.getByTestId('subscription-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(await shown.textContent()).toContain('webhook-signature');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('subscription-secret-copied').click();
    const row = page.getByTestId('subscription-row');
    await expect.poll(() => row.getByTestId('subscription-events').textContent()).toBe('contact.created');
    expect(await row.getByTestId('subscription-status').textContent()).toBe('On');
    expect(await row.textContent()).toContain('Nothing sent yet');
    expect(await row.textContent()).not.toContain(secret);

    // A contact added in the UI: the receiver gets one signed delivery.
    await page.goto(`${stack.baseUrl}/contacts`);
    await page.getByTestId('new-contact').click();
    const form = page.getByTestId('new-contact-form');
    await form.getByLabel('First name').fill('Vint');
    await form.getByLabel('Last name').fill('Cerf');
    await form.getByLabel('Email').fill('vint@tcp.example');
    await page.getByTestId('create-contact').click();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
    const [first] = receiver.received;
    expect(verified(secret, first!)).toMatchObject({ type: 'contact.created', data: { firstName: 'Vint', lastName: 'Cerf' } });
    expect(() => verified(secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), first!)).toThrow();

    // The delivery log shows it delivered, with the receiver's answer.
    await page.goto(`${stack.baseUrl}/settings/integrations/outbound`);
    await expect.poll(() => row.getByTestId('subscription-last').textContent()).toContain('Delivered (HTTP 200)');
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-outbound.png'), fullPage: true });
    await row.getByRole('link', { name: 'Deliveries to Network team’s Slack bot' }).click();
    await page.waitForURL(/\/settings\/integrations\/deliveries\?subscription=wsub_/);
    const delivery = page.getByTestId('delivery-row');
    await expect.poll(() => delivery.getAttribute('data-status')).toBe('delivered');
    expect(await delivery.textContent()).toContain('contact.created');
    expect(await axeViolations(page)).toEqual([]);
    await delivery.getByRole('button', { name: /^Details of the contact\.created delivery/ }).focus();
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('delivery-detail');
    await expect.poll(() => detail.getByTestId('attempt').count()).toBe(1);
    expect(await detail.getByTestId('attempt-status').textContent()).toBe('HTTP 200');
    expect(await detail.getByTestId('attempt-response-body').textContent()).toContain('"received": true');
    expect(await detail.textContent()).toContain(first!.headers['webhook-id']!);
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-delivery-detail.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Details');

    // The receiver goes down; a test event sent from the page fails.
    failing = true;
    await tab(page, 'Outbound').click();
    await row.getByRole('button', { name: 'Send test to Network team’s Slack bot' }).click();
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(2);
    const testId = receiver.received[1]!.headers['webhook-id']!;
    expect((verified(secret, receiver.received[1]!) as { type: string }).type).toBe('webhook.test');

    // Filters live in the URL: the log of this subscription's tests.
    await tab(page, 'Delivery log').click();
    await page.getByTestId('filter-event-type').selectOption('webhook.test');
    await page.waitForURL(/eventType=webhook\.test/);
    await page.reload();
    await expect.poll(() => page.getByTestId('filter-event-type').inputValue()).toBe('webhook.test');
    await expect.poll(() => delivery.count()).toBe(1);
    await expect.poll(() => delivery.getByTestId('delivery-outcome').textContent()).toContain('HTTP 500');

    // Back up; Redeliver sends it again with the same webhook-id.
    failing = false;
    await delivery.getByRole('checkbox').check();
    await page.getByTestId('redeliver-selected').click();
    await expect.poll(() => page.getByText(/Redelivered 1 delivery: 1 delivered/).count(), { timeout: 20_000 }).toBe(1);
    expect(await delivery.getAttribute('data-status')).toBe('delivered');
    const again = receiver.received.filter((r) => r.headers['webhook-id'] === testId);
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(verified(secret, again.at(-1)!)).toMatchObject({ type: 'webhook.test' });
    await delivery.getByRole('button', { name: /^Details/ }).click();
    await expect.poll(() => detail.getByTestId('attempt').count()).toBeGreaterThanOrEqual(2);
    expect(await detail.getByTestId('attempt-status').first().textContent()).toBe('HTTP 500');
    expect(await detail.getByTestId('attempt-status').last().textContent()).toBe('HTTP 200');
    await page.keyboard.press('Escape');

    // On a phone the rows become cards, with nothing scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-deliveries-phone.png'), fullPage: true });
    await tab(page, 'Outbound').click();
    await expect.poll(() => row.count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-outbound-phone.png'), fullPage: true });
    await page.close();
  });

  it('edits a subscription, rotates its secret with a grace period, turns it off and on again, and removes it', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Barbara Liskov', email: 'barbara@outbound.example', workspace: 'Substitution' });
    const made = await apiCall(page, 'POST', '/api/webhook-subscriptions', { url: receiver.url, eventTypes: ['company.created'], description: 'Sync' });
    expect(made.status).toBe(201);
    await page.goto(`${stack.baseUrl}/settings/integrations/outbound`);
    const row = page.getByTestId('subscription-row');

    await row.getByRole('button', { name: 'Edit Sync' }).click();
    const dialog = page.getByTestId('subscription-dialog');
    await expect.poll(() => page.getByTestId('subscription-url').inputValue()).toBe(receiver.url);
    await dialog.getByRole('checkbox', { name: 'All of company.*' }).check();
    await page.getByTestId('subscription-description').fill('CRM sync');
    await page.getByTestId('save-subscription').click();
    await expect.poll(() => row.getByTestId('subscription-events').textContent()).toBe('company.*');
    expect(await row.textContent()).toContain('CRM sync');

    await row.getByRole('button', { name: 'Rotate secret of CRM sync' }).click();
    await page.getByTestId('subscription-grace-hours').fill('48');
    await page.getByTestId('rotate-subscription').click();
    const rotated = await page.getByTestId('subscription-secret').inputValue();
    expect(rotated).not.toBe(made.json.secret);
    expect(await page.getByTestId('subscription-secret-dialog').textContent()).toContain('also carries a signature with the previous secret');
    await page.getByTestId('subscription-secret-copied').click();
    await expect.poll(() => row.textContent()).toContain(`Secret …${rotated.slice(-4)}`);
    expect(await row.textContent()).toContain('previous one signs too until');

    await row.getByRole('button', { name: 'Turn off CRM sync' }).click();
    await expect.poll(() => row.getByTestId('subscription-status').textContent()).toBe('Off');
    expect(await row.getByTestId('subscription-reason').textContent()).toContain('Turned off by hand, since');
    await row.getByRole('button', { name: 'Turn on CRM sync' }).click();
    const confirm = page.getByRole('dialog', { name: 'Turn this subscription on again?' });
    expect(await confirm.textContent()).toContain('marked failed');
    expect(await axeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => row.getByTestId('subscription-status').textContent()).toBe('On');

    await row.getByRole('button', { name: 'Remove CRM sync' }).click();
    // The harmless choice has focus: Enter on Cancel keeps it.
    await page.keyboard.press('Enter');
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Remove CRM sync' }).click();
    await page.getByRole('dialog', { name: 'Remove this subscription?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByTestId('subscriptions-empty').count()).toBe(1);
    await page.close();
  });
});
