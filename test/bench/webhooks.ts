import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@libsql/client';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { webhookSources } from '../../db/schema';
import { seedWorkspace } from '../../db/seed';
import { toBase64 } from '../../functions/domain/bytes';
import { newId } from '../../functions/domain/ids';
import { openClient } from './dataset';
import { sendPrepared, startServer, type LoadResult, type Server } from './load';
import { writeResults } from './results';
import { elapsedMs, ms, spinMs } from './stats';
import { countKinds, preSigned, type BenchSources } from './webhooks-requests';
import { renderWebhooksSection, webhooksResultSection, writeWebhooksSection, type Drain, type WebhooksReport } from './webhooks-report';

// Inbound webhooks on the Node host as `npm start` runs it (BENCH_ONLY=
// webhooks npx tsx test/bench/run.ts): a burst of BENCH_BURST (100k)
// requests and how fast the consumer empties the backlog it leaves, with
// every event checked applied exactly once; then signed requests answered
// 2xx per second with p50/p99 while the `events` consumer runs beside
// them, on one process per core (as shipped) and then on one process.
//
// A sender that waits for each answer before its next request is bound by
// the answer's latency, and a webhook's answer waits for its group's
// commit (an fsync): 10 connections then measure ~10 / p50 whatever the
// host could take (measured: 3,900 req/s at 10 connections, 6,800 at 32
// with p99 under the target). So the sustained runs go at each of
// BENCH_WEBHOOK_CONNECTIONS, and the target is met by a rate under its
// p99 bound at any of them.
//
// Environment: BENCH_DURATION=10 BENCH_CONNECTIONS=10 (the burst's)
//   BENCH_WEBHOOK_CONNECTIONS=10,32 BENCH_WARMUP=2
//   BENCH_REPEAT=2 (runs per host, each its own fresh requests)
//   BENCH_BURST=100000 BENCH_PROCESSES=<cores>

const OWNER = { email: 'bench-webhooks@relate.local', password: 'relate-bench-2026' };
const DRAIN_TIMEOUT_MS = 20 * 60_000;
// Requests signed ahead of a run: twice the target's rate (5,000/s) for
// each second of a sustained run, and the start of a burst.
const PRESIGNED_PER_SECOND = 10_000;
const PRESIGNED_BURST = 30_000;

type Settings = { connections: number; sustainedConnections: number[]; durationS: number; warmupS: number; repeat: number; burst: number; processes: number; known: number };

export async function prepare(dbPath: string, settings: Settings) {
  const client = await openClient(dbPath);
  try {
    const db = createDb(client);
    await applyMigrations(db);
    const { workspaceId } = await seedWorkspace(db, { workspaceName: 'Webhooks bench', ownerEmail: OWNER.email, ownerPassword: OWNER.password, contacts: settings.known, companies: 50 });
    const now = Date.now();
    const source = (name: string, kind: 'standard' | 'svix' | 'postmark', secret: string) => ({
      id: newId('webhookSource', now),
      workspaceId,
      name,
      kind,
      secret,
      previousSecret: null,
      previousUntil: null,
      hmac: null,
      mapping: {},
      enabled: true,
      createdBy: 'bench',
      createdAt: now,
      updatedAt: now,
    });
    const random = () => toBase64(crypto.getRandomValues(new Uint8Array(24)));
    const rows = [source('Website forms', 'standard', `whsec_${random()}`), source('Resend', 'svix', `whsec_${random()}`), source('Postmark', 'postmark', `relate:${random()}`)];
    await db.insert(webhookSources).values(rows);
    const known = await client.execute({ sql: 'select address from contact_emails where workspace_id = ? limit 2000', args: [workspaceId] });
    const sources: BenchSources = { form: rows[0]!, svix: rows[1]!, postmark: rows[2]! };
    return { workspaceId, sources, known: known.rows.map((r) => String(r[0])) };
  } finally {
    client.close();
  }
}

const count = async (client: Client, sql: string, args: (string | number)[]) => Number((await client.execute({ sql, args })).rows[0]![0]);

// Waits until no event of the workspace is pending, sampling the backlog.
async function waitDrained(client: Client, workspaceId: string, log: (line: string) => void) {
  const started = process.hrtime.bigint();
  const pending = () => count(client, "select count(*) from webhook_events where workspace_id = ? and status = 'pending'", [workspaceId]);
  let left = await pending();
  const first = left;
  let lastLog = 0;
  while (left > 0) {
    if (elapsedMs(started) > DRAIN_TIMEOUT_MS) throw new Error(`${left} events still pending after ${DRAIN_TIMEOUT_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = await pending();
    if (elapsedMs(started) - lastLog > 5_000) {
      lastLog = elapsedMs(started);
      log(`  backlog ${left.toLocaleString('en')} after ${(lastLog / 1000).toFixed(0)} s`);
    }
  }
  return { backlog: first, ms: elapsedMs(started) };
}

function checkRun(name: string, run: LoadResult) {
  const bad = run.errors + run.timeouts + run.non2xx;
  if (bad > 0) throw new Error(`${name}: ${run.errors} errors, ${run.timeouts} timeouts, ${run.non2xx} non-2xx (${JSON.stringify(run.statusCodes)})`);
}

// Every request of the burst applied once: each event applied, a touch per
// form fill, a row per email event, no person twice, nothing left queued.
async function checkExactlyOnce(client: Client, workspaceId: string, expected: { events: number; forms: number; newLeads: number; emails: number; contactsBefore: number }) {
  const q = (sql: string) => count(client, sql, [workspaceId]);
  const found = {
    events: await q("select count(*) from webhook_events where workspace_id = ? and status = 'applied'"),
    failed: await q("select count(*) from webhook_events where workspace_id = ? and status <> 'applied'"),
    touches: await q('select count(*) from contact_touches where workspace_id = ?'),
    emailEvents: await q('select count(*) from email_events where workspace_id = ?'),
    newContacts: (await q('select count(*) from contacts where workspace_id = ?')) - expected.contactsBefore,
    sharedAddresses: await q('select count(*) from (select address from contact_emails where workspace_id = ? group by address having count(*) > 1)'),
    queued: await count(client, "select count(*) from queue_messages where queue in ('events', 'events-dlq')", []),
  };
  const want = { events: expected.events, failed: 0, touches: expected.forms, emailEvents: expected.emails, newContacts: expected.newLeads, sharedAddresses: 0, queued: 0 };
  const wrong = Object.entries(want).filter(([k, v]) => found[k as keyof typeof found] !== v);
  if (wrong.length) throw new Error(`not applied exactly once: expected ${JSON.stringify(want)}, found ${JSON.stringify(found)}`);
  return found;
}

export async function runWebhooksBench(given: Partial<Settings> & Pick<Settings, 'connections' | 'durationS' | 'warmupS'>, log: (line: string) => void) {
  const env = (name: string, fallback: number) => Number(process.env[name] || fallback);
  const settings: Settings = {
    repeat: env('BENCH_REPEAT', 2),
    burst: env('BENCH_BURST', 100_000),
    processes: env('BENCH_PROCESSES', availableParallelism()),
    sustainedConnections: (process.env.BENCH_WEBHOOK_CONNECTIONS || '10,32').split(',').map(Number),
    known: 5_000,
    ...given,
  };
  const tempDir = mkdtempSync(join(tmpdir(), 'relate-bench-webhooks-'));
  const dbPath = join(tempDir, 'webhooks.db');
  let server: Server | null = null;
  let client: Client | null = null;
  // Each run's requests are numbered from a range of their own: their ids never repeat.
  let range = 0;
  const nextRange = () => (range += 10_000_000);
  const { workspaceId, sources, known } = await prepare(dbPath, settings);
  try {
    client = await openClient(dbPath);
    const loadStart = loadavg();
    const spinStart = spinMs();
    // The burst first, on an empty inbox: its drain is then the consumer's alone.
    server = await startServer(dbPath, settings.processes);
    log(`Burst: ${settings.burst.toLocaleString('en')} requests, ${settings.connections} connections, ${settings.processes} processes`);
    const contactsBefore = await count(client, 'select count(*) from contacts where workspace_id = ?', [workspaceId]);
    const burstFrom = nextRange();
    const burstStarted = process.hrtime.bigint();
    const burst = await sendPrepared(server, { connections: settings.connections, amount: settings.burst, request: preSigned(sources, burstFrom, Math.min(settings.burst, PRESIGNED_BURST), known) });
    checkRun('burst', burst);
    const acceptMs = elapsedMs(burstStarted);
    log(`  accepted in ${(acceptMs / 1000).toFixed(1)} s: ${Math.round(burst.reqPerSec)} req/s, p50 ${ms(burst.latency.p50)}, p99 ${ms(burst.latency.p99)}`);
    const drained = await waitDrained(client, workspaceId, log);
    const counts = countKinds(burstFrom, settings.burst);
    const exactlyOnce = await checkExactlyOnce(client, workspaceId, {
      events: settings.burst,
      forms: counts.form + counts.formKnown,
      newLeads: counts.form,
      emails: counts.svix + counts.postmark,
      contactsBefore,
    });
    const drain: Drain = { requests: settings.burst, accepted: burst, acceptMs, backlogAtEnd: drained.backlog, drainMs: drained.ms, totalMs: acceptMs + drained.ms, exactlyOnce };
    log(`  backlog of ${drain.backlogAtEnd.toLocaleString('en')} drained in ${(drain.drainMs / 1000).toFixed(1)} s: ${Math.round(drain.backlogAtEnd / (drain.drainMs / 1000))} events/s; all ${settings.burst.toLocaleString('en')} applied once`);

    // Sustained: fresh requests for every run, the consumer working beside.
    const sustained: WebhooksReport['sustained'] = [];
    for (const processes of settings.processes > 1 ? [settings.processes, 1] : [1]) {
      if (processes !== settings.processes) {
        await server.stop();
        server = await startServer(dbPath, processes);
      }
      const signed = (durationS: number) => preSigned(sources, nextRange(), durationS * PRESIGNED_PER_SECOND, known);
      checkRun('warmup', await sendPrepared(server, { connections: settings.connections, durationS: settings.warmupS, request: signed(settings.warmupS) }));
      for (const connections of settings.sustainedConnections) {
        const runs: LoadResult[] = [];
        for (let i = 0; i < settings.repeat; i++) {
          const run = await sendPrepared(server, { connections, durationS: settings.durationS, request: signed(settings.durationS) });
          checkRun(`${processes} process(es), ${connections} connections`, run);
          const cpu = `CPU per request: host ${run.serverCpuMsPerRequest === null ? 'n/a' : ms(run.serverCpuMsPerRequest, 3)}, load generator ${ms(run.loadGeneratorCpuMsPerRequest, 3)}`;
          log(`  ${processes} process(es), ${connections} connections: ${Math.round(run.reqPerSec)} req/s, p50 ${ms(run.latency.p50)}, p99 ${ms(run.latency.p99)}, ${cpu}, load ${loadavg()[0]!.toFixed(2)}`);
          runs.push(run);
        }
        const byRate = [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec);
        sustained.push({ processes, connections, median: { ...byRate[Math.floor((byRate.length - 1) / 2)]!, runsReqPerSec: runs.map((r) => Math.round(r.reqPerSec)) } });
      }
    }
    const report: WebhooksReport = { date: new Date().toISOString(), settings, loadAverage: { start: loadStart, end: loadavg() }, cpuSpinMs: { start: spinStart, end: spinMs() }, sustained, drain };
    const section = renderWebhooksSection(report);
    console.log(`\n${section}`);
    const fullSize = settings.burst === 100_000 && settings.durationS >= 10 && settings.connections === 10;
    const out = process.env.BENCH_OUT || (fullSize ? fileURLToPath(new URL('./results.md', import.meta.url)) : null);
    if (out) {
      writeWebhooksSection(out, section);
      writeResults(join(dirname(out), 'results.json'), webhooksResultSection(report));
      log(`The webhooks section of ${out} and results.json written`);
    } else log('Not a full-size run, so results.md and results.json were left alone (set BENCH_OUT to write them).');
  } finally {
    await server?.stop();
    client?.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}
