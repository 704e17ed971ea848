import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpInBrowser, startStack } from './harness';

// Every request here comes from 127.0.0.1, one client network to the
// sign-in throttle (5 failures a window): only the lockout test fails a
// sign-in, and it runs last.
let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const FIRST_PASSWORD = 'a long enough passphrase';

describe('your account in settings', () => {
  it('changes your name, and the members list says it at once', async () => {
    const page = await stack.browser.newPage();
    await signUpInBrowser(page, stack.baseUrl, { name: 'Nadia Name', email: 'nadia@account.example', workspace: 'Names' });
    await page.goto(`${stack.baseUrl}/settings`);
    const form = page.getByTestId('account-name-form');
    await form.getByLabel('Your name').fill('Nadia Renamed');
    await form.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => page.getByTestId('toast').allTextContents()).toEqual([expect.stringContaining('You now go by “Nadia Renamed”')]);
    await expect.poll(() => page.getByTestId('members-table').textContent()).toContain('Nadia Renamed');
    await page.close();
  });

  it('changes your password: says why a weak one is refused, then signs out your other browser and keeps this one', async () => {
    const elsewhere = await stack.browser.newContext();
    const laptop = await elsewhere.newPage();
    await signUpInBrowser(laptop, stack.baseUrl, { name: 'Paula Password', email: 'paula@account.example', workspace: 'Locks' });

    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/sign-in`);
    await page.getByLabel('Email').fill('paula@account.example');
    await page.getByLabel('Password').fill(FIRST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/contacts/);
    await page.goto(`${stack.baseUrl}/settings#account`);

    const form = page.getByTestId('password-form');
    const fresh = form.getByLabel('New password');
    expect(await fresh.getAttribute('aria-describedby')).toBeTruthy();
    expect(await page.locator(`#${(await fresh.getAttribute('aria-describedby'))!.split(' ')[0]}`).textContent()).toMatch(/At least 12 characters/);

    await form.getByLabel('Current password').fill(FIRST_PASSWORD);
    await fresh.fill('Password2024!');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => form.locator('.field-error').allTextContents()).toEqual([expect.stringMatching(/most common passwords/)]);
    expect(await fresh.getAttribute('aria-invalid')).toBe('true');

    await fresh.fill('lighthouse pebble anthem');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.getByTestId('toast').allTextContents())
      .toEqual([expect.stringContaining('Password changed. 1 other session was signed out; you stay signed in here.')]);
    expect(await form.getByLabel('Current password').inputValue()).toBe('');

    // This browser carries on; the other one is back at the sign-in page on its next visit.
    await page.goto(`${stack.baseUrl}/contacts`);
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).pathname).toBe('/contacts');
    await laptop.goto(`${stack.baseUrl}/contacts`);
    await laptop.waitForURL(/\/sign-in/);

    await laptop.getByLabel('Email').fill('paula@account.example');
    await laptop.getByLabel('Password').fill('lighthouse pebble anthem');
    await laptop.getByRole('button', { name: 'Sign in' }).click();
    await laptop.waitForURL(/\/contacts/);
    await context.close();
    await elsewhere.close();
  });

  it("won't let the only owner leave, and says why; an invitation's email is said to limit the link, not to send one", async () => {
    const page = await stack.browser.newPage();
    await signUpInBrowser(page, stack.baseUrl, { name: 'Olive Only', email: 'olive@account.example', workspace: 'Solo' });
    await page.goto(`${stack.baseUrl}/settings`);
    const leave = page.getByTestId('leave-workspace');
    expect(await leave.isDisabled()).toBe(true);
    const reason = await page.locator(`#${await leave.getAttribute('aria-describedby')}`).textContent();
    expect(reason).toMatch(/only owner: make someone else an owner before you leave/);

    const invite = page.getByTestId('invite-form');
    const email = invite.getByLabel('Only for this email (optional)');
    const hint = await page.locator(`#${(await email.getAttribute('aria-describedby'))!}`).textContent();
    expect(hint).toMatch(/Nothing is sent to it/);
    await page.close();
  });
});

describe('the sign-in lockout', () => {
  it('says when to try again', async () => {
    const page = await stack.browser.newPage();
    await page.goto(`${stack.baseUrl}/sign-in`);
    await page.getByLabel('Email').fill('nadia@account.example');
    for (let attempt = 1; attempt <= 6; attempt++) {
      await page.getByLabel('Password').fill(`wrong guess ${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('form-error').count()).toBe(1);
      if (attempt < 6) {
        const said = (await page.getByTestId('form-error').textContent())?.trim();
    expect(said).toMatch(/Email or password is wrong/);
        await page.getByLabel('Password').fill('');
      }
    }
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/Try again/);
    const said = (await page.getByTestId('form-error').textContent())?.trim();
    expect(said).toMatch(/^Too many failed sign-ins for this email or from your network\. Try again in 15 minutes \(at \d{1,2}:\d{2}(\s?[AP]M)?\)\.$/);
    await page.close();
  });
});
