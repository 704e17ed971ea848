import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/relate-bench-100k.db' });
await c.execute('pragma journal_mode = wal');
for (const p of (process.env.PRAGMAS ?? '').split(';').filter(Boolean)) console.log(p, (await c.execute('pragma ' + p)).rows[0]);
console.log('cache_size', (await c.execute('pragma cache_size')).rows[0], 'mmap', (await c.execute('pragma mmap_size')).rows[0], 'page_size', (await c.execute('pragma page_size')).rows[0]);
const ws = String((await c.execute("select m.workspace_id from users u join memberships m on m.user_id=u.id where u.email='bench-owner@relate.local'")).rows[0]![0]);
async function time(label: string, sql: string, args: any[], n = 200) {
  for (let i = 0; i < 20; i++) await c.execute({ sql, args });
  const t: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) { const s = process.hrtime.bigint(); const rs = await c.execute({ sql, args }); rows = rs.rows.length; t.push(Number(process.hrtime.bigint() - s) / 1e6); }
  t.sort((a, b) => a - b);
  console.log(`${label.padEnd(50)} rows=${rows} p50=${t[n >> 1]!.toFixed(3)} p99=${t[Math.floor(n * 0.99)]!.toFixed(3)}`);
}
const ALL = `"seq", "id", "workspace_id", "first_name", "last_name", "sort_name", "emails", "phones", "address", "job_title", "company_id", "owner_id", "lifecycle_stage", "lead_source", "tags", "preferred_channel", "email_consent", "email_consent_at", "email_consent_method", "soft_data", "custom_fields", "search_text", "created_at", "updated_at", "deleted_at"`;
for (const frag of ['"lovel"', '"son"']) {
  console.log('--', frag);
  await time('fts count', `select count(*) from contacts_fts where contacts_fts match ?`, [frag]);
  await time('count(*) from (fts rowid)', `select count(*) from (select rowid from contacts_fts where contacts_fts match ?)`, [frag]);
  await time('count contacts seq in fts', `select count(*) from contacts where seq in (select rowid from contacts_fts where contacts_fts match ?)`, [frag]);
  await time('count contacts seq in fts + ws', `select count(*) from contacts where workspace_id = ? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?)`, [ws, frag]);
  await time('max(sort_name) seq in fts + ws', `select max(sort_name) from contacts where workspace_id = ? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?)`, [ws, frag]);
  await time('current', `select ${ALL} from contacts where workspace_id=? and deleted_at is null and seq in (select rowid from contacts_fts where contacts_fts match ?) order by sort_name, id limit 51`, [ws, frag]);
  await time('join fts', `select c.seq from contacts_fts f join contacts c on c.seq = f.rowid where contacts_fts match ? and c.workspace_id = ? and c.deleted_at is null order by c.sort_name, c.id limit 51`, [frag, ws]);
}
const list = `select ${ALL} from contacts where workspace_id=? and deleted_at is null order by sort_name, id limit 51`;
await time('list', list, [ws]);
c.close();
