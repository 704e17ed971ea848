import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpInBrowser, startStack } from './harness';

// CSV in Chromium: a file with a bad row imported through the mapping page
// (the job runs on the Node host's own queue) and its rejected-rows report
// downloaded; a filtered list exported and the file read back.

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

let people = 0;
async function signUp(page: Page) {
  people += 1;
  await signUpInBrowser(page, stack.baseUrl, { name: 'Ada Lovelace', email: `ada${people}@imports.example`, workspace: `Engines ${people}` });
}

async function downloaded(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

describe('importing contacts', () => {
  it('maps the columns, imports the good rows and reports the bad one', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    await page.getByTestId('import-link').click();
    await page.waitForURL(/\/imports\?entity=contact/);
    await page.setInputFiles('#import-file', {
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name;E-mail;Note\nCharles Babbage;charles@engines.example;x\nBad Row;not-an-email;y\nMary Somerville;mary@engines.example;z\n'),
    });
    await page.getByTestId('upload').click();
    await page.waitForURL(/\/imports\/imp_/);
    await expect.poll(() => page.getByTestId('mapping').textContent()).toContain('Charles Babbage');
    // Suggested from the headers: Name → Full name, E-mail → Email.
    await expect.poll(() => page.getByLabel('Field for E-mail').inputValue()).toBe('email');
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('count-rejected').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('count-created').textContent()).toBe('2');

    const report = await downloaded(page, () => page.getByTestId('rejects-report').click());
    expect(report.name).toBe('people-rejected-rows.csv');
    const text = report.bytes.toString('utf8');
    expect(text).toContain('3,Email: Invalid email address,Bad Row,not-an-email,y');

    await page.goto(`${stack.baseUrl}/contacts`);
    await expect.poll(() => page.getByTestId('contacts-count').textContent()).toContain('2 contacts');
  });
});

describe('exporting a list', () => {
  it('downloads the filtered list as CSV with a BOM, formulas defused', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    const add = (body: unknown) =>
      page.evaluate(async (body) => {
        const session = await (await fetch('/api/auth/session')).json();
        const res = await fetch('/api/contacts', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(body) });
        return res.status;
      }, body);
    expect(await add({ firstName: '=HYPERLINK("http://evil.example")', lastName: 'Engineer', tags: ['engine'] })).toBe(201);
    expect(await add({ firstName: 'Charles', lastName: 'Babbage', tags: ['engine'], emails: [{ address: 'charles@engines.example' }] })).toBe(201);
    expect(await add({ firstName: 'Other', lastName: 'Person' })).toBe(201);
    await page.goto(`${stack.baseUrl}/contacts?tag=engine`);
    await expect.poll(() => page.getByTestId('contacts-count').textContent()).toContain('2 contacts');

    const file = await downloaded(page, () => page.getByTestId('export').click());
    expect(file.name).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Name,Email,Company,Phone,Stage,Owner,Tags');
    expect(lines.slice(1).sort()).toEqual([
      `"'=HYPERLINK(""http://evil.example"") Engineer",,,,lead,Ada Lovelace,engine`,
      'Charles Babbage,charles@engines.example,,,lead,Ada Lovelace,engine',
    ]);
  });
});
