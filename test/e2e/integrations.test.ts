import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { memberships } from '../../db/schema';
import { apiCall, signUpInBrowser, startStack, workspaceIdOf } from './harness';

// Settings → Integrations end to end: a form source configured in the UI,
// a form fill signed with the Standard Webhooks library and posted to its
// URL, the lead it makes, the event in the inbox, and a replay that makes
// no second person.

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');

// A form fill as the form tool would post it, signed with the secret the
// page showed once.
async function postFormFill(url: string, secret: string, fill: unknown) {
  const id = `msg_${Date.now()}`;
  const body = JSON.stringify(fill);
  const now = new Date();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new StandardWebhook(secret).sign(id, now, body),
    },
    body,
  });
  expect(res.status).toBe(200);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('Settings → Integrations', () => {
  it('adds a form source with a mapping, takes a signed form fill as a lead, shows it in the inbox and replays it without a second person', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signUpInBrowser(page, stack.baseUrl, { name: 'Grace Hopper', email: 'grace@integrations.example', workspace: 'Compilers' });
    await page.goto(`${stack.baseUrl}/settings`);
    await page.getByTestId('integrations-link').click();
    await page.waitForURL(/\/settings\/integrations$/);
    await expect.poll(() => page.getByTestId('sources-empty').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // The source, by keyboard where a person would use it.
    await page.getByTestId('new-source').click();
    await page.getByTestId('source-name').fill('Pricing page form');
    await expect.poll(() => page.getByTestId('source-kind').inputValue()).toBe('standard');
    expect(await page.getByTestId('kind-help').textContent()).toContain('Standard Webhooks');
    await page.getByTestId('add-mapping-row').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Their field 1');
    await page.keyboard.type('data.fields.work_email');
    await page.getByLabel('Our field for row 1').selectOption('email');
    await page.getByTestId('add-mapping-row').click();
    await page.getByLabel('Their field 2').fill('data.fields.who');
    await page.getByLabel('Our field for row 2').selectOption('fullName');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('source-name').press('Enter');

    // The secret, once, with its warning.
    const shown = page.getByTestId('secret-dialog');
    await expect.poll(() => shown.getByText('you won’t see this secret again').count()).toBe(1);
    const secret = await page.getByTestId('shown-secret').inputValue();
    const url = await page.getByTestId('shown-url').inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(url).toMatch(/\/webhooks\/whs_[0-9A-Z]{26}$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => shown.isVisible()).toBe(false);
    const row = page.getByTestId('source-row');
    await expect.poll(() => row.textContent()).toContain('Pricing page form');
    expect(await row.textContent()).toContain('Nothing yet');
    expect(await row.textContent()).not.toContain(secret);
    await page.getByRole('button', { name: 'Copy the receiving URL of Pricing page form' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // The sender posts to the URL it was given (here at the test's host).
    const receiving = `${stack.baseUrl}${new URL(url).pathname}`;
    await postFormFill(receiving, secret, {
      type: 'form.submitted',
      data: { fields: { work_email: 'Ada@Engines.example', who: 'Ada Lovelace' }, utm_source: 'newsletter', page_url: 'https://relate.test/pricing' },
    });

    // The inbox shows it applied, with the lead it made.
    await page.getByRole('navigation', { name: 'Integrations' }).getByRole('link', { name: 'Event inbox' }).click();
    await page.waitForURL(/\/settings\/integrations\/inbox$/);
    const event = page.getByTestId('event-row');
    await expect
      .poll(async () => {
        if ((await event.getAttribute('data-status').catch(() => null)) !== 'applied') await page.getByRole('button', { name: 'Refresh' }).click();
        return event.getAttribute('data-status');
      }, { timeout: 15_000 })
      .toBe('applied');
    expect(await event.getByTestId('event-result').textContent()).toContain('Created a lead');
    expect(await event.textContent()).toContain('Pricing page form');
    expect(await axeViolations(page)).toEqual([]);

    // Its detail: headers and the body as received, then Escape back to
    // the button that opened it.
    const details = event.getByRole('button', { name: /^Details of the event/ });
    await details.focus();
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('event-detail');
    await expect.poll(() => detail.getByTestId('detail-body').textContent()).toContain('"work_email": "Ada@Engines.example"');
    expect(await detail.textContent()).toContain('webhook-id');
    expect(await detail.getByTestId('detail-outcome').textContent()).toBe('Applied');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Details');

    // Filters live in the URL: a reload keeps them.
    await page.getByTestId('filter-status').selectOption('failed');
    await page.waitForURL(/status=failed/);
    await expect.poll(() => page.getByTestId('inbox-empty').textContent()).toContain('No events match these filters');
    await page.reload();
    await expect.poll(() => page.getByTestId('filter-status').inputValue()).toBe('failed');
    await page.goBack();
    await page.waitForURL(/\/inbox$/);
    await expect.poll(() => event.count()).toBe(1);

    // Replay: progress, then the row read again, applied a second time.
    await event.getByRole('checkbox').check();
    await page.getByTestId('replay-selected').click();
    await expect.poll(() => page.getByText('Replayed 1 event').count(), { timeout: 20_000 }).toBe(1);
    expect(await event.getAttribute('data-status')).toBe('applied');
    expect(await event.textContent()).toContain('Matched an existing contact');

    // On a phone the rows become cards, with nothing scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-inbox-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // One person, with the form's touch on their timeline.
    const people = await apiCall(page, 'GET', '/api/contacts');
    expect(people.json.data).toHaveLength(1);
    await event.getByRole('link', { name: 'open the contact' }).click();
    await page.waitForURL(/\/contacts\/con_/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Ada Lovelace');
    await expect.poll(() => page.locator('[data-kind="touch"]').textContent()).toContain('Filled in Pricing page form');

    // The sources list counts what came.
    await page.goto(`${stack.baseUrl}/settings/integrations`);
    await expect.poll(() => page.getByTestId('source-row').textContent()).toContain('1');
    expect(await page.getByTestId('source-row').textContent()).toContain('last');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations.png'), fullPage: true });
    await page.close();
  });

  it('adds an HMAC source with its scheme, renames it, rotates its secret with a grace period, turns it off and on, and removes it', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Mary Jackson', email: 'mary@integrations.example', workspace: 'Wind Tunnels' });
    await page.goto(`${stack.baseUrl}/settings/integrations`);
    await page.getByTestId('new-source').click();
    await page.getByTestId('source-name').fill('Typeform');
    await page.getByTestId('source-kind').selectOption('hmac');
    const hmac = page.getByTestId('hmac-fields');
    await hmac.getByLabel('Signature header').fill('Typeform-Signature');
    await hmac.getByLabel('Encoding').selectOption('base64');
    await hmac.getByLabel('Prefix').fill('sha256=');
    await page.getByLabel('Paste the sender’s').check();
    await page.getByTestId('source-secret').fill('a secret typeform made');
    await page.getByTestId('create-source').click();
    await expect.poll(() => page.getByTestId('shown-secret').inputValue()).toBe('a secret typeform made');
    await page.getByTestId('secret-copied').click();
    const sources = await apiCall(page, 'GET', '/api/webhook-sources');
    expect(sources.json.data[0]).toMatchObject({ kind: 'hmac', hmac: { header: 'Typeform-Signature', algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=' } });

    const row = page.getByTestId('source-row');
    await row.getByRole('button', { name: 'Edit Typeform' }).click();
    await page.getByTestId('edit-source-name').fill('Typeform contact us');
    await page.getByTestId('edit-source-name').press('Enter');
    await expect.poll(() => row.textContent()).toContain('Typeform contact us');

    await row.getByRole('button', { name: 'Rotate secret of Typeform contact us' }).click();
    await page.getByTestId('grace-hours').fill('48');
    await page.getByTestId('rotate-secret').click();
    const rotated = await page.getByTestId('shown-secret').inputValue();
    expect(rotated).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('secret-dialog').textContent()).toContain('The previous secret still works');
    await page.getByTestId('secret-copied').click();
    await expect.poll(() => row.textContent()).toContain(`Secret …${rotated.slice(-4)}`);
    expect(await row.textContent()).toContain('previous one works until');

    await row.getByRole('button', { name: 'Turn off Typeform contact us' }).click();
    await expect.poll(() => row.getByTestId('source-status').textContent()).toBe('Off');
    await row.getByRole('button', { name: 'Turn on Typeform contact us' }).click();
    await expect.poll(() => row.getByTestId('source-status').textContent()).toBe('On');

    await row.getByRole('button', { name: 'Remove Typeform contact us' }).click();
    // The harmless choice has focus: Escape and Enter on Cancel keep it.
    await page.keyboard.press('Enter');
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Remove Typeform contact us' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByTestId('sources-empty').count()).toBe(1);
    await page.close();
  });

  it('fits a phone: sources and inbox become cards, nothing scrolls sideways, and the pages pass the axe check', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 390, height: 844 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Katherine Johnson', email: 'katherine@integrations.example', workspace: 'Orbits' });
    const made = await apiCall(page, 'POST', '/api/webhook-sources', { name: 'Resend', kind: 'svix' });
    expect(made.status).toBe(201);
    await page.goto(`${stack.baseUrl}/settings/integrations/inbox`);
    // No events yet: the page says where to paste the URL.
    await expect.poll(() => page.getByTestId('inbox-empty').textContent()).toContain(made.json.url);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${stack.baseUrl}/settings/integrations`);
    await expect.poll(() => page.getByTestId('source-row').count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-sources-phone.png'), fullPage: true });
    await page.getByTestId('new-source').click();
    await page.getByTestId('source-kind').selectOption('hmac');
    await expect.poll(() => page.getByTestId('hmac-fields').count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-phone.png'), fullPage: true });
    await page.close();
  });

  it('is neither linked nor shown to a role without integrations:manage', async () => {
    const page = await stack.browser.newPage();
    await signUpInBrowser(page, stack.baseUrl, { name: 'Sam Sales', email: 'sam@sales.example', workspace: 'Sales Floor' });
    // Only the role matters here: the sign-up's owner becomes a salesperson.
    await stack.db.update(memberships).set({ role: 'sales' }).where(eq(memberships.workspaceId, await workspaceIdOf(stack, 'sam@sales.example')));
    await page.goto(`${stack.baseUrl}/settings`);
    await expect.poll(() => page.getByText('you are sales').count()).toBe(1);
    expect(await page.getByTestId('integrations-link').count()).toBe(0);
    await page.goto(`${stack.baseUrl}/settings/integrations`);
    await expect.poll(() => page.getByText('Only owners, admins and marketing manage integrations.').count()).toBe(1);
    await page.close();
  });
});
