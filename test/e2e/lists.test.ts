import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContacts } from '../fixtures/trash';
import { apiCall, signUpInBrowser, startStack } from './harness';

// The shared list in Chromium: bulk-tagging a selection, a bulk delete of
// everything that matches and its Undo, a saved view opened again, paging
// as the list scrolls, and the same at phone width by keyboard.

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');
async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

let people = 0;
async function signUp(page: Page) {
  people += 1;
  await signUpInBrowser(page, stack.baseUrl, { name: 'Lise Meitner', email: `lise${people}@lists.example`, workspace: `Fission ${people}` });
}


async function someContacts(page: Page, contacts: Record<string, unknown>[]) {
  for (const c of contacts) expect((await apiCall(page, 'POST', '/api/contacts', c)).status).toBe(201);
}

const rows = (page: Page) => page.getByTestId('contact-row');
const countText = (page: Page) => page.getByTestId('contacts-count').textContent();

describe('the contact list', () => {
  it('bulk-tags a selection, and the tag filter finds them whatever the case', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    await someContacts(page, [
      { firstName: 'Otto', lastName: 'Hahn' },
      { firstName: 'Fritz', lastName: 'Strassmann' },
      { firstName: 'Niels', lastName: 'Bohr', tags: ['vip'] },
    ]);
    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => rows(page).count()).toBe(3);
    await expect.poll(() => countText(page)).toContain('3 contacts');

    await page.getByLabel('Select Otto Hahn').check();
    await page.getByLabel('Select Fritz Strassmann').check();
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('2 contacts selected');
    await page.getByTestId('bulk-add-tag').click();
    await page.getByTestId('bulk-tag').fill('VIP');
    await page.getByTestId('bulk-apply').click();
    await expect.poll(() => page.getByTestId('toast').first().textContent()).toContain('Tagged 2 contacts');

    // "VIP" finds the three, the one tagged "vip" before included.
    await page.getByTestId('tag-filter').fill('VIP');
    await page.getByTestId('tag-filter').press('Enter');
    await page.waitForURL(/tag=vip/i);
    await expect.poll(() => countText(page)).toContain('3 contacts');
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByLabel('Select Otto Hahn').check();
    await screenshot(page, 'contacts-list.png');
    await page.close();
  });

  it('deletes everything that matches, past the first page, and Undo brings exactly those back', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    const { workspaceId } = await apiCall(page, 'GET', '/api/auth/session');
    await insertContacts(stack.db, workspaceId, 75, { at: Date.now() - 86_400_000, deletedAt: null, name: 'Isotope' });
    await someContacts(page, [{ firstName: 'Enrico', lastName: 'Fermi' }]);

    await page.goto(`${stack.baseUrl}/contacts?q=isotope`);
    await expect.poll(() => countText(page)).toContain('75 contacts');
    await expect.poll(() => rows(page).count()).toBe(50);
    // Scrolling to the end loads the rest: no "Load more" click.
    await page.mouse.wheel(0, 20_000);
    await expect.poll(() => rows(page).count()).toBe(75);

    await page.getByTestId('select-page').check();
    await page.getByTestId('bulk-delete').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => page.getByTestId('toast').first().textContent()).toContain('Moved to the trash: 75 contacts');
    await expect.poll(() => page.getByTestId('contacts-empty').textContent()).toContain('No contacts match');
    await page.getByTestId('toast').first().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByTestId('toast').first().textContent()).toContain('Restored 75 contacts');
    await expect.poll(() => countText(page)).toContain('75 contacts');

    // "All that match" follows the filter: Fermi was never selected.
    await page.goto(`${stack.baseUrl}/contacts?deleted=true`);
    await expect.poll(() => page.getByTestId('contacts-empty').textContent()).toContain('The trash is empty');
    await page.close();
  });

  it('selects all that match beyond the rows shown, as a rule', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    const { workspaceId } = await apiCall(page, 'GET', '/api/auth/session');
    // More than scroll paging fetches unasked (the next page loads while
    // the list's end is within 600 px): whatever is shown, more match.
    await insertContacts(stack.db, workspaceId, 160, { at: Date.now() - 86_400_000, deletedAt: null, name: 'Neutron' });
    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(50);
    await page.waitForLoadState('networkidle');
    expect(await rows(page).count()).toBeLessThan(160);
    await page.getByTestId('select-page').check();
    await page.getByTestId('select-all-matching').click();
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('160 contacts selected');
    await page.getByTestId('bulk-add-tag').click();
    await page.getByTestId('bulk-tag').fill('chain');
    await page.getByTestId('bulk-apply').click();
    await expect.poll(() => page.getByTestId('toast').first().textContent()).toContain('Tagged 160 contacts');
    expect((await apiCall(page, 'GET', '/api/contacts/count?tag=chain')).json).toEqual({ count: 160, capped: false });
    await page.close();
  });

  it('saves a view, opens it again from the list of views, and tells when the list has changed since', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    await someContacts(page, [
      { firstName: 'Marie', lastName: 'Curie', lifecycleStage: 'customer', tags: ['nobel'] },
      { firstName: 'Pierre', lastName: 'Curie', lifecycleStage: 'lead', tags: ['nobel'] },
      { firstName: 'Irène', lastName: 'Joliot', lifecycleStage: 'opportunity' },
    ]);
    await page.goto(`${stack.baseUrl}/contacts?lifecycleStage=customer&lifecycleStage=lead&tag=nobel&sort=-name`);
    await expect.poll(() => rows(page).count()).toBe(2);
    await page.getByTestId('save-view').click();
    await page.getByTestId('view-name').fill('Nobel people');
    await page.getByTestId('view-save').click();
    await page.waitForURL(/view=view_/);

    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByTestId('view-select').selectOption({ label: 'Nobel people' });
    await page.waitForURL(/view=view_.*lifecycleStage=customer/);
    expect(page.url()).toContain('sort=-name');
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(await rows(page).first().textContent()).toContain('Pierre');
    expect(await page.getByTestId('unsaved-changes').count()).toBe(0);

    // Sorting by a header changes the list, not the view, until it is updated.
    await page.getByRole('button', { name: /^Name/ }).click();
    await expect.poll(() => page.getByTestId('unsaved-changes').count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('update-view').click();
    await expect.poll(() => page.getByTestId('unsaved-changes').count()).toBe(0);
    await page.close();
  });

  it('shows the one action that fills an empty list, explains short searches, and clears a filter that matches nothing', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    await expect.poll(() => page.getByTestId('contacts-empty').textContent()).toContain('No contacts yet');
    await page.getByTestId('empty-add').click();
    await page.getByTestId('new-contact-form').getByLabel('First name').fill('Ada');
    await page.getByTestId('new-contact-form').getByLabel('Last name').fill('Byron');
    await page.getByTestId('create-contact').click();
    await expect.poll(() => rows(page).count()).toBe(1);

    await page.goto(`${stack.baseUrl}/contacts?q=yr`);
    await expect.poll(() => page.getByTestId('contacts-empty').textContent()).toContain('Type 3 or more characters');
    await page.goto(`${stack.baseUrl}/contacts?lifecycleStage=evangelist`);
    await page.getByTestId('clear-filters-empty').click();
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.close();
  });
});

describe('the list at phone width, by keyboard', () => {
  it('selects a row, tags it and saves a view without a pointer', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signUp(page);
    await someContacts(page, [{ firstName: 'Chien-Shiung', lastName: 'Wu' }, { firstName: 'Emmy', lastName: 'Noether' }]);
    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.getByLabel('Select Emmy Noether').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('1 contact selected');
    await page.getByTestId('bulk-add-tag').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('algebra');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('toast').first().textContent()).toContain('Tagged 1 contact');

    await page.getByTestId('tag-filter').focus();
    await page.keyboard.type('algebra');
    await page.keyboard.press('Enter');
    await page.waitForURL(/tag=algebra/);
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByTestId('save-view').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Algebraists');
    await page.keyboard.press('Enter');
    await page.waitForURL(/view=view_/);
    await page.goto(`${stack.baseUrl}/contacts`);
    await page.getByTestId('view-select').focus();
    await page.getByTestId('view-select').selectOption({ label: 'Algebraists' });
    await page.waitForURL(/tag=algebra/);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'contacts-list-phone.png');
    await page.close();
  });
});
