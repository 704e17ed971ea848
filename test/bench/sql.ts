import type { Client, InArgs, InStatement } from '@libsql/client';
import Database from 'libsql';
import { CONNECTION_PRAGMAS } from '../../functions/node/database';
import { elapsedMs, summarize, type Summary } from './stats';

export type Stmt = { sql: string; args: InArgs };
export type StatementKind = 'auth' | 'contacts' | 'companies' | 'other';

// Which part of a request a statement belongs to, by the table it reads.
export function kindOf(sql: string): StatementKind {
  if (/\b(from|update|join) "(api_keys|sessions|memberships)"/i.test(sql)) return 'auth';
  if (/\bfrom "contacts"/i.test(sql)) return 'contacts';
  if (/\bfrom "companies"/i.test(sql)) return 'companies';
  return 'other';
}

const isRead = (sql: string) => /^\s*select\b/i.test(sql);

// A libSQL client that records every statement drizzle sends through it
// (drizzle's libSQL driver runs each query as client.execute({ sql, args })),
// so the raw timings below replay exactly what the service ran.
export function recordingClient(client: Client) {
  const recorder: { statements: Stmt[] | null } = { statements: null };
  const record = (stmt: InStatement, args?: InArgs) => {
    const s: Stmt = typeof stmt === 'string' ? { sql: stmt, args: args ?? [] } : { sql: stmt.sql, args: stmt.args ?? [] };
    recorder.statements?.push(s);
    return s;
  };
  const proxy = new Proxy(client, {
    get(target, prop) {
      if (prop === 'execute') {
        return (stmt: InStatement, args?: InArgs) => target.execute(record(stmt, args) as InStatement);
      }
      if (prop === 'batch') {
        return (stmts: InStatement[], mode?: Parameters<Client['batch']>[1]) => {
          for (const s of stmts) record(s);
          return target.batch(stmts, mode);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    client: proxy as Client,
    async capture(run: () => Promise<void>): Promise<Stmt[]> {
      recorder.statements = [];
      try {
        await run();
        return recorder.statements;
      } finally {
        recorder.statements = null;
      }
    },
  };
}

// One request's statements, split into what the service itself ran (the
// contacts query and the company-name lookup) and what authentication ran.
// Writes (the API key's advisory last-used stamp, once a minute) are left out.
export type Captured = { path: string; statements: { kind: StatementKind; stmt: Stmt }[] };

export function classify(path: string, statements: Stmt[]): Captured {
  return {
    path,
    statements: statements.filter((s) => isRead(s.sql)).map((stmt) => ({ kind: kindOf(stmt.sql), stmt })),
  };
}

export type RawTiming = {
  // The service's SQL per request (every non-auth statement, summed).
  service: Summary;
  byKind: Partial<Record<StatementKind, Summary>>;
  byPath: Map<string, Summary>;
  statementsPerRequest: Record<StatementKind, number>;
};

// The floor a request's SQL can reach: the captured statements replayed on
// the native binding itself, each prepared once and kept (raw rows, no
// conversion), one request's worth at a time in request order, cycling
// through the variants. Each run is timed alone: SQLite's work and the
// binding's, nothing of ours.
export function timeRaw(path: string, variants: Captured[], iterations: number, warmup: number): RawTiming {
  const db = new Database(path, { timeout: 5_000 });
  // The connection as the Node host sets it up, so the floor is not slower
  // than the API's own SQL.
  for (const pragma of CONNECTION_PRAGMAS) db.exec(`PRAGMA ${pragma}`);
  const prepared = new Map<string, ReturnType<typeof db.prepare>>();
  const statement = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      stmt.raw(true);
      prepared.set(sql, stmt);
    }
    return stmt;
  };
  const service: number[] = [];
  const byKind = new Map<StatementKind, number[]>();
  const byPath = new Map<string, number[]>();
  try {
    for (let i = -warmup; i < iterations; i++) {
      const variant = variants[((i % variants.length) + variants.length) % variants.length]!;
      let total = 0;
      for (const { kind, stmt } of variant.statements) {
        const run = statement(stmt.sql);
        const start = process.hrtime.bigint();
        run.all(stmt.args);
        const took = elapsedMs(start);
        if (i < 0) continue;
        if (kind !== 'auth') total += took;
        if (!byKind.has(kind)) byKind.set(kind, []);
        byKind.get(kind)!.push(took);
      }
      if (i < 0) continue;
      service.push(total);
      if (!byPath.has(variant.path)) byPath.set(variant.path, []);
      byPath.get(variant.path)!.push(total);
    }
  } finally {
    db.close();
  }
  const counts: Record<StatementKind, number> = { auth: 0, contacts: 0, companies: 0, other: 0 };
  for (const { kind } of variants[0]!.statements) counts[kind] += 1;
  return {
    service: summarize(service),
    byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, summarize(v)])),
    byPath: new Map([...byPath].map(([k, v]) => [k, summarize(v)])),
    statementsPerRequest: counts,
  };
}

export async function queryPlan(client: Client, stmt: Stmt): Promise<string> {
  const rs = await client.execute({ sql: `explain query plan ${stmt.sql}`, args: stmt.args });
  const depth = new Map<number, number>();
  const lines: string[] = [];
  for (const row of rs.rows) {
    const id = Number(row[0]);
    const parent = Number(row[1]);
    const d = parent === 0 ? 0 : (depth.get(parent) ?? 0) + 1;
    depth.set(id, d);
    lines.push(`${'  '.repeat(d)}${String(row[3])}`);
  }
  return lines.join('\n');
}
