import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFailures } from '../../db/schema';
import { signUpInBrowser, startStack } from './harness';

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('a colleague joins by link', () => {
  it('the owner invites with a role; the colleague signs up through the link and lands in that workspace', async () => {
    const owner = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(owner, stack.baseUrl, { name: 'Ada Owner', email: 'owner@team.example', workspace: 'Analytical Engines' });

    await owner.goto(`${stack.baseUrl}/settings`);
    const form = owner.getByTestId('invite-form');
    await form.getByLabel('Role').selectOption('support');
    await form.getByRole('button', { name: /create link/i }).click();
    const link = await owner.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(new RegExp(`^${stack.baseUrl}/invite/`));

    // A separate browser context: no cookies shared with the owner.
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const colleague = await context.newPage();
    await colleague.goto(link);
    await expect.poll(() => colleague.getByTestId('invite-form').textContent()).toContain('Analytical Engines');
    await colleague.getByLabel('Your name').fill('Charles Colleague');
    await colleague.getByLabel('Email').fill('charles@team.example');
    await colleague.getByLabel('Password').fill('another long passphrase');
    await colleague.getByRole('button', { name: /create account and join/i }).click();
    await colleague.waitForURL(/\/contacts/);
    await expect.poll(() => colleague.getByRole('banner').textContent()).toContain('Analytical Engines');

    await owner.reload();
    await expect.poll(() => owner.getByText('Charles Colleague').count()).toBeGreaterThan(0);
    await context.close();
    await owner.close();
  });
});

describe('the Node host', () => {
  it('throttles sign-in by the socket address, not by a header the client chose', async () => {
    for (const forged of ['198.51.100.7', '198.51.100.8']) {
      const res = await fetch(`${stack.baseUrl}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forged },
        body: JSON.stringify({ email: 'nobody@team.example', password: 'not the password' }),
      });
      expect(res.status).toBe(401);
    }
    const keys = (await stack.db.select().from(signInFailures)).map((r) => [r.key, r.count]);
    expect(keys).toContainEqual(['sign-in:net:127.0.0.1', 2]);
    expect(keys.map(([key]) => key)).not.toContain('sign-in:net:198.51.100.7');
  });
});
