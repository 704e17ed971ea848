import { eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, customFieldDefinitions } from '../../db/schema';
import { newId } from '../../functions/domain/ids';
import { signUpInBrowser, startStack, workspaceIdOf } from './harness';

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function signUp(page: Page, email: string) {
  await signUpInBrowser(page, stack.baseUrl, { name: 'Katherine Johnson', email, workspace: 'Trajectories' });
  return workspaceIdOf(stack, email);
}

// Definitions go straight into the database: `constructor` is refused by the
// API today, but a workspace may hold one from before that rule.
async function define(workspaceId: string, key: string, type: 'text' | 'number' | 'select' | 'multi_select' | 'boolean', options: string[] = []) {
  const now = Date.now();
  await stack.db.insert(customFieldDefinitions).values({
    id: newId('customField', now),
    workspaceId,
    entity: 'contact',
    key,
    label: key === 'constructor' ? 'Builder' : key[0]!.toUpperCase() + key.slice(1),
    type,
    options,
    createdAt: now,
    updatedAt: now,
  });
}

// A custom field is edited in place like any other: Edit, change, Enter
// (an option picked from a list is saved at once).
async function editField(page: Page, key: string, change: (section: Locator) => Promise<unknown>, { enter = true } = {}) {
  const section = page.getByTestId('section-sales');
  await section.getByTestId(`edit-cf.${key}`).click();
  await change(section);
  if (enter) await page.keyboard.press('Enter');
  await expect.poll(() => section.getByTestId(`edit-cf.${key}`).count()).toBe(1);
  await expect.poll(() => section.locator('.inline-value.pending').count()).toBe(0);
}

async function customFieldsOf(id: string) {
  const [row] = await stack.db.select({ customFields: contacts.customFields }).from(contacts).where(eq(contacts.id, id));
  return row!.customFields;
}

describe('custom fields on the contact page', () => {
  it('sit with the sales fields, edit in place by kind, and show a field keyed `constructor` empty until it has a value', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const workspaceId = await signUp(page, 'katherine@trajectories.example');
    await define(workspaceId, 'constructor', 'text');
    await define(workspaceId, 'orbits', 'number');
    await define(workspaceId, 'tier', 'select', ['gold', 'silver']);
    await define(workspaceId, 'missions', 'multi_select', ['mercury', 'apollo']);
    await define(workspaceId, 'verified', 'boolean');

    await page.getByTestId('new-contact').click();
    await page.getByTestId('new-contact-form').getByLabel('First name').fill('John');
    await page.getByTestId('new-contact-form').getByLabel('Last name').fill('Glenn');
    await page.getByTestId('create-contact').click();
    await page.getByTestId('contact-row').getByRole('link', { name: /John Glenn/ }).click();
    await page.waitForURL(/\/contacts\/con_/);
    const id = page.url().split('/').pop()!;

    const sales = page.getByTestId('section-sales');
    await sales.locator('summary').click();
    expect(await sales.getByTestId('field-cf.constructor').textContent()).toContain('—');
    await editField(page, 'constructor', (s) => s.getByRole('textbox', { name: 'Builder' }).fill('McDonnell'));
    await editField(page, 'orbits', (s) => s.getByRole('spinbutton', { name: 'Orbits' }).fill('3'));
    await editField(page, 'tier', (s) => s.getByRole('combobox', { name: 'Tier' }).selectOption('gold'), { enter: false });
    await editField(page, 'missions', (s) => s.getByRole('checkbox', { name: 'mercury' }).check());
    await editField(page, 'verified', (s) => s.getByRole('combobox', { name: 'Verified' }).selectOption('true'), { enter: false });
    await expect
      .poll(() => customFieldsOf(id))
      .toEqual({ constructor: 'McDonnell', orbits: 3, tier: 'gold', missions: ['mercury'], verified: true });

    await page.reload();
    await sales.locator('summary').click();
    expect(await sales.getByTestId('field-cf.constructor').textContent()).toContain('McDonnell');
    await editField(page, 'orbits', (s) => s.getByRole('spinbutton', { name: 'Orbits' }).fill(''));
    await editField(page, 'missions', (s) => s.getByRole('checkbox', { name: 'mercury' }).uncheck());
    await expect.poll(() => customFieldsOf(id)).toEqual({ constructor: 'McDonnell', tier: 'gold', verified: true });
    await page.close();
  });

  it('sit in the section chosen for them in settings, with the fields they belong to', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, 'dorothy@trajectories.example');
    await page.goto(`${stack.baseUrl}/settings`);
    const form = page.getByTestId('custom-field-form');
    await form.getByLabel('Label').fill('Nickname');
    await form.getByLabel('Shown with').selectOption({ label: 'Person' });
    await form.getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => page.getByTestId('custom-fields-contact').textContent()).toContain('Person');

    await page.goto(`${stack.baseUrl}/contacts`);
    await page.getByTestId('new-contact').click();
    await page.getByTestId('new-contact-form').getByLabel('First name').fill('Dorothy');
    await page.getByTestId('create-contact').click();
    await page.getByTestId('contact-row').getByRole('link', { name: /Dorothy/ }).click();
    await page.waitForURL(/\/contacts\/con_/);
    await expect.poll(() => page.getByTestId('section-person').getByTestId('field-cf.nickname').count()).toBe(1);
    expect(await page.getByTestId('section-sales').getByTestId('field-cf.nickname').count()).toBe(0);
    await page.close();
  });
});
