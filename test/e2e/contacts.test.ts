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

async function signUp(page: Page, email: string) {
  await signUpInBrowser(page, stack.baseUrl, { name: 'Edith Clarke', email, workspace: 'Clarke Engineering' });
}

describe('a new user in the browser', () => {
  it('signs up, adds a contact, finds it, opens it, adds a note and signs out', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'edith@clarke.example');

    await page.getByTestId('new-contact').click();
    const form = page.getByTestId('new-contact-form');
    await form.getByLabel('First name').fill('Hedy');
    await form.getByLabel('Last name').fill('Lamarr');
    await form.getByLabel('Email').fill('hedy@frequency.example');
    await page.getByTestId('create-contact').click();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);

    await page.getByTestId('new-contact').click();
    await form.getByLabel('First name').fill('Nikola');
    await form.getByLabel('Last name').fill('Tesla');
    await page.getByTestId('create-contact').click();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(2);

    await page.getByLabel('Search contacts').fill('lamar');
    await page.waitForURL(/q=lamar/);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    await page.getByTestId('contact-row').getByRole('link', { name: /Hedy Lamarr/ }).click();
    await page.waitForURL(/\/contacts\/con_/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Hedy Lamarr');

    await page.getByTestId('note-body').fill('Discussed frequency hopping patents.');
    await page.getByTestId('add-note').click();
    await expect
      .poll(() => page.getByTestId('timeline-item').first().textContent())
      .toContain('Discussed frequency hopping patents.');

    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(2);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'contacts.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${stack.baseUrl}/contacts`);
    await page.waitForURL(/\/sign-in/);
    await page.close();
  });

  it('deletes a contact from its record page and brings it back with Undo', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'undo@clarke.example');
    await page.getByTestId('new-contact').click();
    await page.getByTestId('new-contact-form').getByLabel('First name').fill('Rosalind');
    await page.getByTestId('new-contact-form').getByLabel('Last name').fill('Franklin');
    await page.getByTestId('create-contact').click();
    await page.getByTestId('contact-row').getByRole('link', { name: /Rosalind Franklin/ }).click();
    await page.waitForURL(/\/contacts\/con_/);
    const recordUrl = page.url();

    await page.getByTestId('delete-record').click();
    await page.waitForURL(/\/contacts$/);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(0);
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL(recordUrl);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Rosalind Franklin');
    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    await page.close();
  });

  it('works on a phone-sized screen with the keyboard alone', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signUp(page, 'phone@clarke.example');
    await page.getByTestId('new-contact').click();
    const form = page.getByTestId('new-contact-form');
    await form.getByLabel('First name').fill('Mae');
    await form.getByLabel('Last name').fill('Jemison');
    await form.getByLabel('Last name').press('Enter');
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('contact-search');
    await page.keyboard.type('jemi');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=jemi/);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'contacts-phone.png'), fullPage: true });
    await page.close();
  });
});
