import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/relate-exp.db' });
await c.execute('pragma journal_mode = wal');
if (process.env.ADD_INDEX) {
  await c.execute('create index if not exists contacts_seq_cover on contacts(seq, workspace_id, sort_name, id) where deleted_at is null');
  await c.execute('analyze contacts');
}
const ws = String((await c.execute("select m.workspace_id from users u join memberships m on m.user_id=u.id where u.email='bench-owner@relate.local'")).rows[0]![0]);
const ALL = `"seq", "id", "workspace_id", "first_name", "last_name", "sort_name", "emails", "phones", "address", "job_title", "company_id", "owner_id", "lifecycle_stage", "lead_source", "tags", "preferred_channel", "email_consent", "email_consent_at", "email_consent_method", "soft_data", "custom_fields", "search_text", "created_at", "updated_at", "deleted_at"`;
const FTS = `select rowid from contacts_fts where contacts_fts match ?`;
const variants: Record<string, (f: string) => { sql: string; args: any[] }> = {
  current: (f) => ({ sql: `select ${ALL} from contacts where workspace_id=? and deleted_at is null and seq in (${FTS}) order by sort_name, id limit 51`, args: [ws, f] }),
  keysThenRows: (f) => ({ sql: `select ${ALL} from contacts where seq in (select seq from contacts where workspace_id=? and deleted_at is null and seq in (${FTS}) order by sort_name, id limit 51) order by sort_name, id`, args: [ws, f] }),
  indexOrderIn: (f) => ({ sql: `select ${ALL} from contacts indexed by contacts_ws_name where workspace_id=? and deleted_at is null and seq in (${FTS}) order by sort_name, id limit 51`, args: [ws, f] }),
  indexOrderProbe: (f) => ({ sql: `select ${ALL} from contacts indexed by contacts_ws_name where workspace_id=? and deleted_at is null and exists (select 1 from contacts_fts where contacts_fts.rowid = contacts.seq and contacts_fts match ?) order by sort_name, id limit 51`, args: [ws, f] }),
  keysCover: (f) => ({ sql: `select ${ALL} from contacts where seq in (select seq from contacts indexed by contacts_seq_cover where workspace_id=? and deleted_at is null and seq in (${FTS}) order by sort_name, id limit 51) order by sort_name, id`, args: [ws, f] }),
  newestFirst: (f) => ({ sql: `select c.* from contacts_fts f join contacts c on c.seq = f.rowid where contacts_fts match ? and c.workspace_id=? and c.deleted_at is null order by f.rowid desc limit 51`, args: [f, ws] }),
  byRank: (f) => ({ sql: `select c.* from contacts_fts f join contacts c on c.seq = f.rowid where contacts_fts match ? and c.workspace_id=? and c.deleted_at is null order by f.rank limit 51`, args: [f, ws] }),
  ftsCount: (f) => ({ sql: `select count(*) from contacts_fts where contacts_fts match ?`, args: [f] }),
};
const frags = (process.env.FRAGS ?? '"lovel","son","dijk","qzx","ada"').split(',');
const only = process.env.ONLY?.split(',');
for (const f of frags) {
  const times: Record<string, number[]> = {};
  for (let round = 0; round < Number(process.env.ROUNDS ?? 60); round++) {
    for (const [name, v] of Object.entries(variants)) {
      if (only && !only.includes(name)) continue;
      const s = process.hrtime.bigint();
      await c.execute(v(f));
      (times[name] ??= []).push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }
  const line = Object.entries(times).map(([k, t]) => { t.sort((a, b) => a - b); return `${k}=${t[t.length >> 1]!.toFixed(2)}`; }).join('  ');
  console.log(f.padEnd(8), line);
}
if (process.env.PLAN) for (const [name, v] of Object.entries(variants)) { const q = v('"lovel"'); console.log(name, (await c.execute({ sql: 'explain query plan ' + q.sql, args: q.args })).rows.map((r) => r[3]).join(' | ')); }
c.close();
