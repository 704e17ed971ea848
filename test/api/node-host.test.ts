import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../db/client';
import { MIGRATIONS_FOLDER } from '../../db/migrate';
import { createNativeClient } from '../../db/native-client';
import { users, workspaces } from '../../db/schema';
import { freePort } from '../fixtures/ports';

// The Node host as `npm start` runs it (functions/node.ts), with two serving
// processes, on a fresh database and a free port.


type Host = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

function startHost(env: Record<string, string>): Host {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/node.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      output.push(...lines);
    });
  }
  return { child, output, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

// Resolves once the host says it is running, with its worker processes.
async function running(host: Host): Promise<number[]> {
  const line = await vi.waitFor(
    () => {
      const found = host.output.find((l) => l.startsWith('Relate is running'));
      if (!found) throw new Error(`not running yet:\n${host.output.join('\n')}`);
      return found;
    },
    { timeout: 60_000, interval: 100 },
  );
  return (/processes: ([\d, ]+)\)/.exec(line)?.[1] ?? '').split(', ').map(Number);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the Node host on several processes', () => {
  let dir: string;
  let port: number;
  let host: Host;
  let workerPids: number[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relate-host-'));
    port = await freePort();
    host = startHost({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'host.db')}`, SEED_DEMO: 'true', PROCESSES: '2' });
    workerPids = await running(host);
  }, 90_000);

  afterAll(async () => {
    if (host.child.exitCode === null) {
      host.child.kill('SIGKILL');
      await host.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  // Fresh connections, so the primary hands each to the next worker. A
  // connection handed to a worker as it dies is never answered: give up on
  // that attempt and let waitFor try again.
  const answer = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/session`, {
      headers: { connection: 'close' },
      signal: AbortSignal.timeout(2_000),
    });
    return res.status;
  };
  const startedAfter = (known: number[]) =>
    host.output.flatMap((l) => /^\[host\] worker (\d+) started$/.exec(l)?.[1] ?? []).map(Number).filter((pid) => !known.includes(pid));

  it('serves from two worker processes, each replaced when it crashes', async () => {
    expect(workerPids).toHaveLength(2);
    expect(workerPids.every(isAlive)).toBe(true);
    expect(await answer()).toBe(401);

    const [first, second] = workerPids as [number, number];
    process.kill(first, 'SIGKILL');
    // Until the primary notices, a connection may still go to the dead one.
    await vi.waitFor(async () => expect(await answer()).toBe(401), { timeout: 30_000, interval: 50 });
    const [replacement] = await vi.waitFor(
      () => {
        const started = startedAfter(workerPids);
        if (started.length !== 1) throw new Error('no replacement yet');
        return started;
      },
      { timeout: 60_000, interval: 100 },
    );

    // With the first gone, only the second or its replacement can answer;
    // with the second gone too, only the replacement: both processes served.
    process.kill(second, 'SIGKILL');
    await vi.waitFor(async () => expect(await answer()).toBe(401), { timeout: 30_000, interval: 50 });
    await vi.waitFor(() => expect(startedAfter([...workerPids, replacement!])).toHaveLength(1), { timeout: 60_000, interval: 100 });
    expect(await answer()).toBe(401);
    expect(isAlive(first) || isAlive(second)).toBe(false);
  }, 120_000);

  it('migrates, seeds and schedules the crons once, in the primary only', async () => {
    const scheduling = host.output.filter((l) => l.startsWith('Cron triggers'));
    expect(scheduling).toEqual([expect.stringMatching(new RegExp(`scheduled in process ${host.child.pid}$`))]);

    const client = createNativeClient({ url: `file:${join(dir, 'host.db')}` });
    try {
      const db = createDb(client);
      expect(await db.$count(workspaces)).toBe(1);
      expect(await db.$count(users)).toBe(1);
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
      const applied = await client.execute('select count(*) as n from __drizzle_migrations');
      expect(applied.rows[0]!.n).toBe(journal.entries.length);
    } finally {
      client.close();
    }
  });

  it('refuses to start, rather than restart workers forever, when the port is taken', async () => {
    const second = startHost({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'host.db')}`, SEED_DEMO: 'false', PROCESSES: '2' });
    expect(await second.exited).not.toBe(0);
    expect(second.output.join('\n')).toMatch(/before it listened/);
  }, 60_000);

  it('stops every process on SIGTERM', async () => {
    const pids = host.output.flatMap((l) => /^\[host\] worker (\d+) started$/.exec(l)?.[1] ?? []).map(Number);
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 30_000);
});

describe('the Node host whose workers are all stopped', () => {
  it('stops its primary too, instead of holding the port with nothing serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relate-host-'));
    try {
      const host = startHost({ PORT: String(await freePort()), DATABASE_URL: `file:${join(dir, 'host.db')}`, SEED_DEMO: 'false', PROCESSES: '2' });
      for (const pid of await running(host)) process.kill(pid, 'SIGTERM');
      expect(await host.exited).toBe(1);
      expect(host.output.join('\n')).toMatch(/every worker process stopped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
