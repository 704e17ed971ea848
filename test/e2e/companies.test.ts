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
    const link = page.locator('.record-meta a');
    await expect.poll(() => link.getAttribute('href')).toBe('https://shop.elsewhere.example/langley');
    expect(await link.textContent()).toBe('https://shop.elsewhere.example/langley');
    await page.close();
  });

  it('shows an owner who left the workspace as a former member, and saves other edits without touching the owner', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'dorothy@tunnels.example');
    const created = await createCompany(page, { name: 'Ames' });
    const leaver = 'usr_01JD5X9Q2M7R4T8V6W3Y0Z1A2B';
    await stack.db.update(companies).set({ ownerId: leaver }).where(eq(companies.id, created.id));
    await page.goto(`${stack.baseUrl}/companies/${created.id}`);
    const owner = page.getByLabel('Owner');
    await expect.poll(() => owner.inputValue()).toBe(leaver);
    expect(await owner.locator('option:checked').textContent()).toBe('Former member');
    await page.getByLabel('Industry').fill('Aeronautics');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('All changes saved').count()).toBe(1);
    const [row] = await stack.db.select().from(companies).where(eq(companies.id, created.id));
    expect(row).toMatchObject({ industry: 'Aeronautics', ownerId: leaver });
    await page.close();
  });

  it('keeps the save button clear of a toast while there are changes to save', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'christine@tunnels.example');
    const created = await createCompany(page, { name: 'Hampton' });
    await page.goto(`${stack.baseUrl}/companies/${created.id}`);
    await page.getByLabel('Industry').fill('Aerospace');
    await page.getByTestId('save-company').click();
    await expect.poll(() => page.getByText('All changes saved').count()).toBe(1);
    await page.getByLabel('Industry').fill('Aerospace research');
    // In one evaluation, so the toast ("Changes saved") is surely still up.
    const seen = await page.evaluate(() => {
      const button = document.querySelector('[data-testid="save-company"]')!.getBoundingClientRect();
      const hit = document.elementFromPoint(button.left + button.width / 2, button.top + button.height / 2);
      return {
        toastShown: document.querySelectorAll('[data-testid="toast"]').length > 0,
        saveButtonOnTop: !!hit?.closest('[data-testid="save-company"]'),
      };
    });
    expect(seen).toEqual({ toastShown: true, saveButtonOnTop: true });
    await page.close();
  });
});
