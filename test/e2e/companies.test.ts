import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './harness';

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function signUp(page: Page, email: string) {
  await page.goto(`${stack.baseUrl}/sign-up`);
  await page.getByLabel('Your name').fill('Mary Jackson');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByLabel('Workspace name').fill('Wind Tunnels');
  await page.getByRole('button', { name: /create/i }).click();
  await page.waitForURL(/\/contacts/);
}

describe('the company page', () => {
  it('labels the website link with the address it opens, not the company domain', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'mary@tunnels.example');
    const created = await page.evaluate(async () => {
      const session = await (await fetch('/api/auth/session')).json();
      const res = await fetch('/api/companies', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ name: 'Langley', domain: 'langley.example', website: 'https://shop.elsewhere.example/langley' }),
      });
      return (await res.json()) as { id: string };
    });
    await page.goto(`${stack.baseUrl}/companies/${created.id}`);
    const link = page.locator('.record-meta a');
    await expect.poll(() => link.getAttribute('href')).toBe('https://shop.elsewhere.example/langley');
    expect(await link.textContent()).toBe('https://shop.elsewhere.example/langley');
    await page.close();
  });
});
