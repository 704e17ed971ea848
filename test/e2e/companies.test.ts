import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../db/schema';
import { signUpInBrowser, startStack } from './harness';

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function createCompany(page: Page, body: Record<string, unknown>) {
  return page.evaluate(async (json) => {
    const session = await (await fetch('/api/auth/session')).json();
    const res = await fetch('/api/companies', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify(json),
    });
    return (await res.json()) as { id: string };
  }, body);
}

async function signUp(page: Page, email: string) {
  await signUpInBrowser(page, stack.baseUrl, { name: 'Mary Jackson', email, workspace: 'Wind Tunnels' });
}

describe('the company page', () => {
  it('labels the website link with the address it opens, not the company domain', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'mary@tunnels.example');
    const created = await createCompany(page, { name: 'Langley', domain: 'langley.example', website: 'https://shop.elsewhere.example/langley' });
    await page.goto(`${stack.baseUrl}/companies/${created.id}`);
    const link = page.getByTestId('record-summary').getByTestId('field-website').getByRole('link');
    await expect.poll(() => link.getAttribute('href')).toBe('https://shop.elsewhere.example/langley');
    expect(await link.textContent()).toBe('shop.elsewhere.example/langley');
    await page.close();
  });

  it('shows an owner who left the workspace as a former member, and saves other edits without touching the owner', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'dorothy@tunnels.example');
    const created = await createCompany(page, { name: 'Ames' });
    const leaver = 'usr_01JD5X9Q2M7R4T8V6W3Y0Z1A2B';
    await stack.db.update(companies).set({ ownerId: leaver }).where(eq(companies.id, created.id));
    await page.goto(`${stack.baseUrl}/companies/${created.id}`);
    const summary = page.getByTestId('record-summary');
    await summary.getByTestId('edit-owner').click();
    const owner = summary.getByRole('combobox', { name: 'Owner' });
    await expect.poll(() => owner.inputValue()).toBe(leaver);
    expect(await owner.locator('option:checked').textContent()).toBe('Former member');
    await owner.press('Escape');

    await summary.getByTestId('edit-industry').click();
    await summary.getByRole('textbox', { name: 'Industry' }).fill('Aeronautics');
    await summary.getByRole('textbox', { name: 'Industry' }).press('Enter');
    await expect.poll(() => summary.getByTestId('field-industry').textContent()).toContain('Aeronautics');
    await expect
      .poll(async () => (await stack.db.select().from(companies).where(eq(companies.id, created.id)))[0])
      .toMatchObject({ industry: 'Aeronautics', ownerId: leaver });
    await page.close();
  });

  it('takes a website typed as a bare domain, and its domain from it, in the new company dialog', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'christine@tunnels.example');
    await page.goto(`${stack.baseUrl}/companies`);
    await page.getByTestId('new-company').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Hampton Roads');
    expect(await dialog.getByLabel('Domain').count()).toBe(0);
    await dialog.getByLabel('Website').fill('www.Hampton.example');
    await page.getByTestId('create-company').click();
    await expect
      .poll(async () => (await stack.db.select().from(companies).where(eq(companies.name, 'Hampton Roads')))[0])
      .toMatchObject({ website: 'https://www.Hampton.example', domain: 'hampton.example' });
    await page.close();
  });
});
