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

async function post(page: Page, path: string, body: unknown) {
  return page.evaluate(
    async ([url, json]) => {
      const session = await (await fetch('/api/auth/session')).json();
      const res = await fetch(url as string, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(json) });
      return (await res.json()) as { id: string };
    },
    [path, body] as const,
  );
}

describe('the segment builder', () => {
  it('builds a segment with an OR group, shows the live count, saves it, refreshes it and lists its members', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Grace Hopper', email: 'grace@segments.example', workspace: 'Cobol Supplies' });
    const software = await post(page, '/api/companies', { name: 'Univac', industry: 'Software' });
    await post(page, '/api/contacts', { firstName: 'Ada', lastName: 'Lovelace', tags: ['VIP'] });
    await post(page, '/api/contacts', { firstName: 'Bob', lastName: 'Bemer', companyId: software.id });
    await post(page, '/api/contacts', { firstName: 'Cy', lastName: 'Plain' });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Segments' }).click();
    await page.getByTestId('new-segment').click();
    await page.waitForURL(/\/segments\/new/);
    await page.getByLabel('Name', { exact: true }).fill('VIPs or software');
    // No conditions yet: everyone.
    await expect.poll(() => page.getByTestId('segment-live-count').textContent()).toContain('3');

    await page.getByTestId('add-group').click();
    const inner = page.getByTestId('segment-group').nth(1);
    await inner.getByRole('button', { name: 'any (OR)' }).click();
    await page.getByLabel('Condition 1.1: field').selectOption({ label: 'Tags' });
    await page.getByLabel('Condition 1.1: operator').selectOption({ label: 'is any of' });
    await page.getByLabel('Condition 1.1: values, separated by commas').fill('vip');
    await page.getByLabel('Condition 1.1: values, separated by commas').press('Tab');
    await expect.poll(() => page.getByTestId('segment-live-count').textContent()).toContain('1');

    await inner.getByTestId('add-condition').click();
    await page.getByLabel('Condition 1.2: field').selectOption({ label: 'Industry' });
    await page.getByLabel('Condition 1.2: value').fill('software');
    await expect.poll(() => page.getByTestId('segment-live-count').textContent()).toContain('2');
    await expect.poll(() => page.getByTestId('segment-preview').getByRole('row').count()).toBe(3);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder.png'), fullPage: true });

    await page.getByTestId('save-segment').click();
    await page.waitForURL(/\/segments\/seg_/);
    await expect.poll(() => page.getByTestId('segment-summary').textContent()).toContain('Not refreshed yet');
    await page.getByTestId('refresh-segment').click();
    await expect.poll(() => page.getByTestId('segment-member-count').textContent()).toBe('2');
    const members = page.getByTestId('segment-members');
    await expect.poll(() => members.getByRole('link').allTextContents()).toEqual(['Ada Lovelace', 'Bob Bemer']);
    await expect.poll(() => page.getByTestId('segment-changes').getByRole('listitem').count()).toBe(2);

    await page.goto(`${stack.baseUrl}/segments`);
    await expect.poll(() => page.getByTestId('segments-table').textContent()).toContain('VIPs or software');

    // Delete goes to the trash with Undo in the toast; the trash restores too.
    await page.getByRole('link', { name: 'VIPs or software' }).click();
    await page.getByTestId('delete-segment').click();
    await page.waitForURL(/\/segments$/);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL(/\/segments\/seg_/);
    await expect.poll(() => page.getByTestId('segment-member-count').textContent()).toBe('2');
    await page.getByTestId('delete-segment').click();
    await page.waitForURL(/\/segments$/);
    await page.getByTestId('segments-trash').click();
    await expect.poll(() => page.getByTestId('segments-table').textContent()).toContain('VIPs or software');
    await page.getByTestId('restore-segment').click();
    await expect.poll(() => page.getByText('The trash is empty').count()).toBe(1);
    await page.getByTestId('segments-live').click();
    await expect.poll(() => page.getByTestId('segments-table').textContent()).toContain('VIPs or software');
    await page.close();
  });

  it('fits a phone: the builder wraps and stays usable by keyboard', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 390, height: 844 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'Katherine Johnson', email: 'katherine@segments.example', workspace: 'Orbits' });
    await page.goto(`${stack.baseUrl}/segments/new`);
    await page.getByTestId('add-condition').focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Condition 1: field').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Condition 1: operator');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-phone.png'), fullPage: true });
    await page.close();
  });
});
