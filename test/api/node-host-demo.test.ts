import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { customerScores, orders, segmentationRuns, users } from '../../db/schema';
import { startNodeHost } from '../../functions/node';
import { DEMO_EMAIL } from '../../functions/node/demo';
import { freePort } from '../fixtures/ports';

// The Node host as `npm start` runs it, in-process on a temp database, with
// what it prints on start captured.
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function aDatabaseFile() {
  const dir = mkdtempSync(join(tmpdir(), 'relate-demo-'));
  dirs.push(dir);
  return join(dir, 'relate.db');
}


// Starts the host, runs `meanwhile` against it, stops it, and returns what
// it printed on start and how many accounts the database then held.
type SignIn = (password: string) => Promise<number>;
async function start(file: string, env: Record<string, string> = {}, meanwhile?: (signIn: SignIn) => Promise<void>) {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
  const port = await freePort();
  const host = await startNodeHost({ PORT: String(port), DATABASE_URL: `file:${file}`, ...env });
  log.mockRestore();
  try {
    const [accounts] = await host.deps.db.select({ n: count() }).from(users);
    const [scored] = await host.deps.db.select({ n: count() }).from(customerScores);
    const [bought] = await host.deps.db.select({ n: count() }).from(orders);
    const runs = await host.deps.db.select({ status: segmentationRuns.status }).from(segmentationRuns);
    await meanwhile?.((password) =>
      fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_EMAIL, password }),
      }).then((res) => res.status),
    );
    return { printed: printed.join('\n'), users: accounts!.n, scored: scored!.n, orders: bought!.n, runs: runs.map((r) => r.status) };
  } finally {
    await host.stop();
  }
}

const passwordIn = (printed: string) => /Demo sign-in: \S+ \/ (\S+)/.exec(printed)?.[1];

describe('the demo workspace on the Node host', () => {
  it('gets a random password of its own, shown on start and kept beside the database, readable by its owner only', async () => {
    const file = aDatabaseFile();
    const first = await start(file);
    const password = passwordIn(first.printed);
    expect(password, first.printed).toMatch(/^[\w-]{16,}$/);
    expect(password).not.toBe('relate-demo-2026');
    // Orders to look at, already scored as a night would score them.
    expect(first.orders).toBeGreaterThan(1000);
    expect(first.runs).toEqual(['done']);
    expect(first.scored).toBeGreaterThan(100);
    const kept = `${file}-demo-password`;
    expect(readFileSync(kept, 'utf8').trim()).toBe(password);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    await start(file, {}, async (signIn) => {
      expect(await signIn('relate-demo-2026')).toBe(401);
      expect(await signIn(password!)).toBe(200);
    });
  });

  it('shows the same password on a later start, and another install gets another one', async () => {
    const file = aDatabaseFile();
    const first = passwordIn((await start(file)).printed);
    const again = await start(file);
    expect(passwordIn(again.printed)).toBe(first);
    expect(again.printed).not.toMatch(/seeded/i);
    const elsewhere = passwordIn((await start(aDatabaseFile())).printed);
    expect(elsewhere).toBeDefined();
    expect(elsewhere).not.toBe(first);
  });

  it('says only who to sign in as when the password file is gone', async () => {
    const file = aDatabaseFile();
    const password = passwordIn((await start(file)).printed)!;
    rmSync(`${file}-demo-password`);
    const later = await start(file);
    expect(later.printed).toContain(DEMO_EMAIL);
    expect(later.printed).not.toContain(password);
  });

  it('is not seeded on a listener other machines can reach, unless SEED_DEMO=true asks for it', async () => {
    const refused = await start(aDatabaseFile(), { HOST: '0.0.0.0' });
    expect(refused.users).toBe(0);
    expect(refused.printed).toMatch(/SEED_DEMO=true/);
    const file = aDatabaseFile();
    const asked = await start(file, { HOST: '0.0.0.0', SEED_DEMO: 'true' });
    expect(asked.users).toBe(1);
    expect(passwordIn(asked.printed)).toBe(readFileSync(`${file}-demo-password`, 'utf8').trim());
    expect(existsSync(`${file}-demo-password`)).toBe(true);
  });

  it('is never seeded with SEED_DEMO=false', async () => {
    const none = await start(aDatabaseFile(), { SEED_DEMO: 'false' });
    expect(none.users).toBe(0);
    expect(none.printed).not.toContain(DEMO_EMAIL);
  });
});
