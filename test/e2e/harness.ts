import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { memberships, users } from '../../db/schema';
import { startNodeHost } from '../../functions/node';
import { chromiumForTests } from './chromium';
import { freePort } from '../fixtures/ports';



// The real Node host (as `npm start` runs it) on a fresh database, and a
// headless Chromium to drive it. `env` adds host settings, such as
// WEBHOOKS_ALLOW_LOOPBACK for a test whose webhook receiver is on 127.0.0.1.
export async function startStack(env: Record<string, string> = {}) {
  if (!existsSync(join(import.meta.dirname, '../../web/build/index.html'))) {
    throw new Error('web/build is missing: run `npm run build:web` first (npm test does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'relate-e2e-'));
  const port = await freePort();
  const host = await startNodeHost({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'e2e.db')}`, SEED_DEMO: 'false', ...env });
  const launch = await chromiumForTests();
  const browser: Browser = await chromium.launch({
    executablePath: launch.executablePath,
    args: launch.args,
    env: { ...process.env, ...launch.env },
    headless: true,
  });
  return {
    baseUrl: `http://localhost:${port}`,
    browser,
    db: host.deps.db,
    async stop() {
      await browser.close();
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A newcomer's sign-up through the form, ending on the contacts page of
// their new workspace.
export async function signUpInBrowser(page: Page, baseUrl: string, person: { name: string; email: string; workspace: string }) {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByLabel('Workspace name').fill(person.workspace);
  await page.getByRole('button', { name: /create/i }).click();
  await page.waitForURL(/\/contacts/);
}

// The workspace a person signed up into, for tests that then write to it
// directly.
export async function workspaceIdOf(stack: { db: Awaited<ReturnType<typeof startStack>>['db'] }, email: string): Promise<string> {
  const [member] = await stack.db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(users.email, email));
  return member!.workspaceId;
}

// The API as the signed-in page calls it (session cookie and CSRF token).
export async function apiCall(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/auth/session')).json();
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json().catch(() => null), workspaceId: session.workspace.id as string };
    },
    { method, path, body },
  );
}
