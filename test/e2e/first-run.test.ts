import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpInBrowser, startStack } from './harness';

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');

const steps = (page: Page) =>
  page.getByTestId('getting-started-step').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-done')}`));

/** Tabs forward until the focused element's text matches, as a keyboard user would. */
async function tabTo(page: Page, text: RegExp, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (text.test(focused)) return;
  }
  throw new Error(`${limit} Tabs did not reach ${text}`);
}

describe('a signed-out visit', () => {
  it('asks the API nothing that can only fail: no request answered 4xx or 5xx, no API call at all', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const failed: string[] = [];
    const api: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    page.on('requestfailed', (req) => failed.push(`failed ${req.url()}`));
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/api/')) api.push(req.url());
    });

    await page.goto(`${stack.baseUrl}/contacts`);
    await page.waitForURL(/\/sign-in\?next=%2Fcontacts/);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Relate' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Create a workspace' }).click();
    await page.waitForURL(/\/sign-up/);
    await page.goto(`${stack.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await page.waitForLoadState('networkidle');

    expect(failed).toEqual([]);
    expect(api).toEqual([]);
    await context.close();
  });

  it('after signing out, asks nothing again', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await signUpInBrowser(page, stack.baseUrl, { name: 'Leaving Soon', email: 'leaving@first.example', workspace: 'Brief' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    const api: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/api/')) api.push(req.url());
    });
    await page.goto(`${stack.baseUrl}/contacts`);
    await page.waitForURL(/\/sign-in/);
    await page.waitForLoadState('networkidle');
    expect(api).toEqual([]);
    await context.close();
  });
});

describe('the getting-started checklist', () => {
  it('greets a new workspace, ticks off each step as it is done, and is gone when all are', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Nora Newcomer', email: 'nora@first.example', workspace: 'Newcomers' });

    const checklist = page.getByTestId('getting-started');
    await expect.poll(() => steps(page)).toEqual(['add-people:false', 'invite-colleague:false', 'create-api-key:false']);
    expect(await page.getByTestId('getting-started-progress').textContent()).toBe('0 of 3 done');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'getting-started.png') });

    await page.getByTestId('new-contact').click();
    await page.getByTestId('new-contact-form').getByLabel('First name').fill('Grace');
    await page.getByTestId('create-contact').click();
    await expect.poll(() => steps(page)).toEqual(['add-people:true', 'invite-colleague:false', 'create-api-key:false']);

    await checklist.getByRole('link', { name: 'Invite a colleague' }).click();
    await page.waitForURL(/\/settings#invitations/);
    await page.getByTestId('invite-form').getByRole('button', { name: /create link/i }).click();
    await expect.poll(() => steps(page)).toEqual(['add-people:true', 'invite-colleague:true', 'create-api-key:false']);

    const keys = page.getByTestId('api-key-form');
    await keys.getByLabel('Name').fill('Website form');
    await keys.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => checklist.count()).toBe(0);

    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    expect(await checklist.count()).toBe(0);
    await page.close();
  });

  it('at phone width, by keyboard alone: follows a step and puts the list away for good', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Phil Phone', email: 'phil@first.example', workspace: 'Pocket' });
    await expect.poll(() => steps(page)).toHaveLength(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SCREENSHOTS, 'getting-started-phone.png'), fullPage: true });

    await tabTo(page, /^Invite a colleague$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings#invitations/);
    expect(await page.getByTestId('getting-started').count()).toBe(1);

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /^Dismiss/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('getting-started').count()).toBe(0);
    await page.goto(`${stack.baseUrl}/contacts`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('getting-started').count()).toBe(0);
    await page.close();
  });

  it('offers a viewer nothing to do', async () => {
    const owner = await stack.browser.newPage();
    await signUpInBrowser(owner, stack.baseUrl, { name: 'Olga Owner', email: 'olga@first.example', workspace: 'Watched' });
    await owner.goto(`${stack.baseUrl}/settings`);
    await owner.getByTestId('invite-form').getByLabel('Role').selectOption('viewer');
    await owner.getByTestId('invite-form').getByRole('button', { name: /create link/i }).click();
    const link = await owner.getByTestId('invitation-link').inputValue();

    const context = await stack.browser.newContext();
    const viewer = await context.newPage();
    await viewer.goto(link);
    await viewer.getByLabel('Your name').fill('Vic Viewer');
    await viewer.getByLabel('Email').fill('vic@first.example');
    await viewer.getByLabel('Password').fill('a long enough passphrase');
    await viewer.getByRole('button', { name: /create account and join/i }).click();
    await viewer.waitForURL(/\/contacts/);
    await viewer.waitForLoadState('networkidle');
    expect(await viewer.getByTestId('getting-started').count()).toBe(0);
    await context.close();
    await owner.close();
  });
});
