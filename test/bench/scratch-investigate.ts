import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/relate-bench-100k.db' });
await c.execute('pragma journal_mode = wal');
const ws = String((await c.execute("select m.workspace_id from users u join memberships m on m.user_id=u.id where u.email='bench-owner@relate.local'")).rows[0]![0]);
async function time(label: string, sql: string, args: any[], n = 200) {
  for (let i = 0; i < 20; i++) await c.execute({ sql, args });
  const t: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) { const s = process.hrtime.bigint(); const rs = await c.execute({ sql, args }); rows = rs.rows.length; t.push(Number(process.hrtime.bigint() - s) / 1e6); }
  t.sort((a, b) => a - b);
  console.log(`${label.padEnd(50)} rows=${rows} p50=${t[n >> 1]!.toFixed(3)} p99=${t[Math.floor(n * 0.99)]!.toFixed(3)}`);
}
async function plan(sql: string, args: any[]) { const rs = await c.execute({ sql: 'explain query plan ' + sql, args }); console.log(rs.rows.map((r) => '   ' + r[3]).join('\n')); }
const ALL = `"seq", "id", "workspace_id", "first_name", "last_name", "sort_name", "emails", "phones", "address", "job_title", "company_id", "owner_id", "lifecycle_stage", "lead_source", "tags", "preferred_channel", "email_consent", "email_consent_at", "email_consent_method", "soft_data", "custom_fields", "search_text", "created_at", "updated_at", "deleted_at"`;
const page = await c.execute({ sql: `select company_id from contacts where workspace_id=? and deleted_at is null order by sort_name, id limit 50`, args: [ws] });
const cids = [...new Set(page.rows.map((r) => String(r[0])))];
const compSql = `select * from companies where (workspace_id = ? and id in (${cids.map(() => '?').join(',')}))`;
await plan(compSql, [ws, ...cids]);
await time('companies in (' + cids.length + ')', compSql, [ws, ...cids]);
await time('companies in, no ws', `select * from companies where id in (${cids.map(() => '?').join(',')})`, cids);
const listSql = `select ${ALL} from contacts where workspace_id=? and deleted_at is null order by sort_name, id limit 51`;
await time('list all cols', listSql, [ws]);
await time('list id only', `select id from contacts where workspace_id=? and deleted_at is null order by sort_name, id limit 51`, [ws]);
await time('list without search_text', listSql.replace('"search_text", ', ''), [ws]);
await time('select 51 rows constant', `select ${ALL} from contacts where seq <= 51`, []);
for (const frag of ['"lovel"', '"son"', '"dijk"']) {
  console.log('--', frag);
  await time('fts count', `select count(*) from contacts_fts where contacts_fts match ?`, [frag]);
  await time('fts rowids', `select rowid from contacts_fts where contacts_fts match ?`, [frag]);
  const cur = `select ${ALL} from contacts where workspace_id=? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?) order by sort_name, id limit 51`;
  await time('current', cur, [ws, frag]);
  const keys = `select seq from contacts where workspace_id=? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?) order by sort_name, id limit 51`;
  await time('keys only (seq) sorted', keys, [ws, frag]);
  const twoStep = `select ${ALL} from contacts where seq in (${keys}) order by sort_name, id`;
  await plan(twoStep, [ws, frag]);
  await time('two-step: keys then rows', twoStep, [ws, frag]);
  const idx = `select ${ALL} from contacts indexed by contacts_ws_name where workspace_id=? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?) order by sort_name, id limit 51`;
  await plan(idx, [ws, frag]);
  await time('indexed by contacts_ws_name', idx, [ws, frag]);
}
// rare term worst case for index-order plan
await time('indexed by, rare term', `select seq from contacts indexed by contacts_ws_name where workspace_id=? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?) order by sort_name, id limit 51`, [ws, '"zzzq"'], 50);
await time('api key lookup', `select * from api_keys where key_hash = ?`, ['x']);
c.close();
