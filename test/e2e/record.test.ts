import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, memberships, users } from '../../db/schema';
import { newId } from '../../functions/domain/ids';
import { axeViolations } from './axe';
import { signUpInBrowser, startStack, workspaceIdOf } from './harness';

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

// Sign up as Grace Hopper; the id of her new workspace.
async function signUp(page: Page, email: string) {
  await signUpInBrowser(page, stack.baseUrl, { name: 'Grace Hopper', email, workspace: 'Compilers' });
  return workspaceIdOf(stack, email);
}

// A colleague in the workspace, to hand records to.
async function addMember(workspaceId: string, name: string) {
  const now = Date.now();
  const id = newId('user', now);
  await stack.db.insert(users).values({ id, email: `${id}@compilers.example`, name, passwordHash: 'x', createdAt: now });
  await stack.db.insert(memberships).values({ workspaceId, userId: id, role: 'sales', createdAt: now });
  return id;
}

// Records made through the API, as the signed-in person.
async function post(page: Page, path: string, body: Record<string, unknown>) {
  return page.evaluate(
    async ([path, json]) => {
      const session = await (await fetch('/api/auth/session')).json();
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(json),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    },
    [path, body] as const,
  );
}

const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

// Presses Tab until the element with that test id has focus; how many it took.
async function tabTo(page: Page, testId: string, most = 40) {
  for (let presses = 1; presses <= most; presses++) {
    await page.keyboard.press('Tab');
    if ((await activeTestId(page)) === testId) return presses;
  }
  throw new Error(`${testId} not reached in ${most} Tabs`);
}

async function contactRow(id: string) {
  const [row] = await stack.db.select().from(contacts).where(eq(contacts.id, id));
  return row!;
}

describe('the record page', () => {
  it('edits stage and owner in place from the summary, and shows each change on the timeline with who made it', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const workspaceId = await signUp(page, 'grace@compilers.example');
    const jean = await addMember(workspaceId, 'Jean Bartik');
    const ada = await post(page, '/api/contacts', { firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: 'ada@engines.example', label: 'work' }] });
    await page.goto(`${stack.baseUrl}/contacts/${ada.id}`);
    const summary = page.getByTestId('record-summary');
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.getByTestId('timeline-item').count()).toBe(1);

    await summary.getByTestId('edit-lifecycleStage').click();
    await summary.getByRole('combobox', { name: 'Stage' }).selectOption('customer');
    await expect.poll(() => summary.getByTestId('field-lifecycleStage').textContent()).toContain('Customer');
    const stageChange = timeline.locator('[data-kind="change"]', { has: page.getByTestId('change-lifecycleStage') });
    await expect.poll(() => stageChange.getByTestId('change-lifecycleStage').textContent()).toMatch(/Stage:\s*Lead\s*→\s*changed to\s*Customer/);
    expect(await stageChange.textContent()).toContain('by Grace Hopper');
    expect(await stageChange.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

    await summary.getByTestId('edit-owner').click();
    await summary.getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Jean Bartik' });
    await expect.poll(() => summary.getByTestId('field-owner').textContent()).toContain('Jean Bartik');
    await expect
      .poll(() => timeline.getByTestId('change-ownerId').textContent())
      .toMatch(/Owner:\s*Grace Hopper\s*→\s*changed to\s*Jean Bartik/);
    expect(await contactRow(ada.id)).toMatchObject({ lifecycleStage: 'customer', ownerId: jean });

    // The timeline filters by kind.
    await timeline.getByTestId('timeline-filter-change').click();
    await expect.poll(() => timeline.locator('[data-kind="activity"]').count()).toBe(0);
    expect(await timeline.locator('[data-kind="change"]').count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('cancels an edit with Esc, and puts the old value back with a toast when the server refuses it', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'refused@compilers.example');
    const ada = await post(page, '/api/contacts', { firstName: 'Ada', emails: [{ address: 'ada@engines.example', label: 'work' }] });
    await page.goto(`${stack.baseUrl}/contacts/${ada.id}`);
    const summary = page.getByTestId('record-summary');
    let patches = 0;
    page.on('request', (r) => {
      if (r.method() === 'PATCH') patches++;
    });

    await summary.getByTestId('edit-jobTitle').click();
    await summary.getByRole('textbox', { name: 'Job title' }).fill('Countess');
    await page.keyboard.press('Escape');
    expect(await activeTestId(page)).toBe('edit-jobTitle');
    expect(await summary.getByTestId('field-jobTitle').textContent()).not.toContain('Countess');

    await summary.getByTestId('edit-email').click();
    await summary.getByRole('textbox', { name: 'Email' }).fill('not an address');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Not saved');
    await expect.poll(() => summary.getByTestId('field-email').getByRole('link').getAttribute('href')).toBe('mailto:ada@engines.example');
    expect(patches).toBe(1);
    expect((await contactRow(ada.id)).emails).toEqual([{ address: 'ada@engines.example', label: 'work' }]);
    await page.close();
  });

  it('edits emails, phones and the address together, the first email and phone leading in the summary', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'reach@compilers.example');
    const ada = await post(page, '/api/contacts', { firstName: 'Ada', emails: [{ address: 'ada@engines.example', label: 'work' }] });
    await page.goto(`${stack.baseUrl}/contacts/${ada.id}`);
    const reach = page.getByTestId('section-reach');
    await reach.locator('summary').click();
    await reach.getByTestId('edit-reach').click();
    const form = reach.getByTestId('reach-form');
    await form.getByRole('button', { name: '+ Add email' }).click();
    await form.getByRole('textbox', { name: 'email 2', exact: true }).fill('ada@home.example');
    await form.getByRole('button', { name: '+ Add phone' }).click();
    await form.getByRole('textbox', { name: 'phone 1', exact: true }).fill('+44 20 7946 0018');
    await form.getByLabel('City').fill('London');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.count()).toBe(0);
    expect(await activeTestId(page)).toBe('edit-reach');

    expect(await contactRow(ada.id)).toMatchObject({
      emails: [{ address: 'ada@engines.example', label: 'work' }, { address: 'ada@home.example' }],
      phones: [{ number: '+44 20 7946 0018' }],
      address: { city: 'London' },
    });
    const summary = page.getByTestId('record-summary');
    expect(await summary.getByTestId('field-phone').getByRole('link').getAttribute('href')).toBe('tel:+442079460018');
    expect(await reach.textContent()).toContain('ada@home.example');

    // Clearing the primary email in the summary promotes the next one.
    await summary.getByTestId('edit-email').click();
    await summary.getByRole('textbox', { name: 'Email' }).fill('');
    await page.keyboard.press('Enter');
    await expect.poll(() => summary.getByTestId('field-email').getByRole('link').getAttribute('href')).toBe('mailto:ada@home.example');
    await expect.poll(async () => (await contactRow(ada.id)).emails).toEqual([{ address: 'ada@home.example' }]);
    await page.close();
  });

  it('edits a note and deletes it, from the timeline', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'notes@compilers.example');
    const ada = await post(page, '/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' });
    await page.goto(`${stack.baseUrl}/contacts/${ada.id}`);
    const timeline = page.getByTestId('timeline');

    await page.getByTestId('note-body').fill('Talked about the analytical engine.');
    await page.getByTestId('add-note').click();
    const note = timeline.locator('[data-kind="activity"]');
    await expect.poll(() => note.textContent()).toContain('Talked about the analytical engine.');

    await note.getByTestId('activity-edit').click();
    await note.getByTestId('activity-edit-body').fill('Talked about Note G and the Bernoulli numbers.');
    await note.getByTestId('activity-save').click();
    await expect.poll(() => note.textContent()).toContain('Note G and the Bernoulli numbers.');
    expect(await note.textContent()).toContain('(edited)');
    await page.reload();
    await expect.poll(() => note.textContent()).toContain('Note G and the Bernoulli numbers.');

    await note.getByTestId('activity-delete').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => note.count()).toBe(0);
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Note deleted');
    await page.reload();
    await expect.poll(() => timeline.getByTestId('timeline-item').count()).toBe(1);
    expect(await note.count()).toBe(0);
    await page.close();
  });

  it('warns of a contact with the same email, or a company with the same domain, before creating another', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const workspaceId = await signUp(page, 'duplicates@compilers.example');
    const contactsInWorkspace = async () => (await stack.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId))).length;
    const hedy = await post(page, '/api/contacts', { firstName: 'Hedy', lastName: 'Lamarr', emails: [{ address: 'hedy@frequency.example', label: 'work' }] });
    const acme = await post(page, '/api/companies', { name: 'Acme', website: 'https://www.acme.example' });

    await page.goto(`${stack.baseUrl}/contacts`);
    await page.getByTestId('new-contact').click();
    const form = page.getByTestId('new-contact-form');
    await form.getByLabel('First name').fill('Hedwig');
    await form.getByLabel('Email').fill('HEDY@Frequency.example');
    await page.getByTestId('create-contact').click();
    const warning = form.getByTestId('duplicate-warning');
    await expect.poll(() => warning.getByRole('link', { name: 'Hedy Lamarr' }).getAttribute('href')).toBe(`/contacts/${hedy.id}`);
    expect(await page.getByTestId('create-contact').textContent()).toContain('Create anyway');
    expect(await contactsInWorkspace()).toBe(1);
    await page.getByTestId('create-contact').click();
    await expect.poll(contactsInWorkspace).toBe(2);

    await page.goto(`${stack.baseUrl}/companies`);
    await page.getByTestId('new-company').click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme Corporation');
    await page.getByRole('textbox', { name: 'Website' }).fill('acme.example/about');
    await page.getByRole('textbox', { name: 'Website' }).press('Enter');
    await expect
      .poll(() => page.getByTestId('duplicate-warning').getByRole('link', { name: 'Acme' }).getAttribute('href'))
      .toBe(`/companies/${acme.id}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('links an existing person to a company from the company page, by keyboard', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, 'linking@compilers.example');
    const engines = await post(page, '/api/companies', { name: 'Analytical Engines' });
    const difference = await post(page, '/api/companies', { name: 'Difference Engines' });
    const charles = await post(page, '/api/contacts', { firstName: 'Charles', lastName: 'Babbage' });
    await post(page, '/api/contacts', { firstName: 'Charlotte', lastName: 'Brontë' });
    await page.goto(`${stack.baseUrl}/companies/${engines.id}`);
    const people = page.getByTestId('company-contacts');
    await expect.poll(() => people.textContent()).toContain('No one at Analytical Engines yet.');

    const picker = people.getByRole('combobox', { name: 'Add someone who works here' });
    await picker.focus();
    await page.keyboard.type('babb');
    await expect.poll(() => people.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Charles Babbage')]);
    await page.keyboard.press('Enter');
    await expect.poll(() => people.getByTestId('company-person').allTextContents()).toEqual([expect.stringContaining('Charles Babbage')]);
    await expect.poll(() => people.getByRole('heading').textContent()).toBe('People (1)');
    expect((await contactRow(charles.id)).companyId).toBe(engines.id);

    // And from the person's side: the company, and the change on their timeline.
    await people.getByRole('link', { name: 'Charles Babbage' }).click();
    await page.waitForURL(/\/contacts\/con_/);
    await expect.poll(() => page.getByTestId('record-summary').getByTestId('field-company').textContent()).toContain('Analytical Engines');
    await expect
      .poll(() => page.getByTestId('timeline').getByTestId('change-companyId').textContent())
      .toMatch(/Company:\s*none\s*→\s*changed to\s*Analytical Engines/);

    // The company edited in place by keyboard: another one picked, then none.
    const summary = page.getByTestId('record-summary');
    await summary.getByTestId('edit-company').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('differ');
    await expect.poll(() => summary.getByRole('option').first().textContent()).toContain('Difference Engines');
    await page.keyboard.press('Enter');
    await expect.poll(() => summary.getByTestId('field-company').textContent()).toContain('Difference Engines');
    await expect.poll(async () => (await contactRow(charles.id)).companyId).toBe(difference.id);
    expect(await activeTestId(page)).toBe('edit-company');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await contactRow(charles.id)).companyId).toBeNull();
    expect(await summary.getByTestId('field-company').textContent()).not.toContain('Engines');
    await page.close();
  });

  it('works at phone width by keyboard: the note box in a few Tabs, the stage edited in place, the change on the timeline tab', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signUp(page, 'phone@compilers.example');
    const ada = await post(page, '/api/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      jobTitle: 'Analyst',
      phones: [{ number: '+44 20 7946 0018', label: 'mobile' }],
    });
    await page.goto(`${stack.baseUrl}/contacts/${ada.id}`);
    await page.getByTestId('record-summary').waitFor();

    // Past the main nav (one Tab per entry, and entries get added), a few Tabs.
    const navEntries = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count();
    expect(await tabTo(page, 'skip-to-note')).toBeLessThanOrEqual(navEntries + 5);
    await page.keyboard.press('Enter');
    expect(await activeTestId(page)).toBe('note-body');
    expect(await page.getByTestId('tab-timeline').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.type('Called about the Bernoulli numbers.');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-kind="activity"]').textContent()).toContain('Called about the Bernoulli numbers.');

    // Back to the details: the tabs follow the arrow keys.
    await page.getByTestId('tab-timeline').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await activeTestId(page)).toBe('tab-details');
    expect(await page.getByTestId('tab-details').getAttribute('aria-selected')).toBe('true');

    await page.locator('body').focus();
    await tabTo(page, 'edit-lifecycleStage');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const stage = page.getByTestId('record-summary').getByTestId('field-lifecycleStage');
    await expect.poll(() => stage.textContent()).toContain('Marketing qualified');
    expect(await activeTestId(page)).toBe('edit-lifecycleStage');
    await expect.poll(async () => (await contactRow(ada.id)).lifecycleStage).toBe('marketing_qualified');

    await tabTo(page, 'tab-details');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByTestId('change-lifecycleStage').textContent())
      .toMatch(/Stage:\s*Lead\s*→\s*changed to\s*Marketing qualified/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
