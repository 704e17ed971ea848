import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/relate-exp.db' });
const ws = String((await c.execute("select m.workspace_id from users u join memberships m on m.user_id=u.id where u.email='bench-owner@relate.local'")).rows[0]![0]);
const page = await c.execute({ sql: `select company_id from contacts where workspace_id=? and deleted_at is null order by sort_name, id limit 50`, args: [ws] });
const cids = [...new Set(page.rows.map((r) => String(r[0])))];
const q = cids.map(() => '?').join(',');
const ALL = `"seq", "id", "workspace_id", "first_name", "last_name", "sort_name", "emails", "phones", "address", "job_title", "company_id", "owner_id", "lifecycle_stage", "lead_source", "tags", "preferred_channel", "email_consent", "email_consent_at", "email_consent_method", "soft_data", "custom_fields", "search_text", "created_at", "updated_at", "deleted_at"`;
const V: Record<string, { sql: string; args: any[] }> = {
  compAll: { sql: `select "id","workspace_id","name","sort_name","domain","website","industry","employees","phone","address","description","owner_id","tags","custom_fields","created_at","updated_at","deleted_at" from companies where workspace_id=? and id in (${q})`, args: [ws, ...cids] },
  compIdName: { sql: `select id, name from companies where workspace_id=? and id in (${q})`, args: [ws, ...cids] },
  list: { sql: `select ${ALL} from contacts where workspace_id=? and deleted_at is null order by sort_name, id limit 51`, args: [ws] },
  listJoin: { sql: `select ${ALL.split(', ').map((x) => 'c.' + x).join(', ')}, co.name from contacts c left join companies co on co.id = c.company_id and co.workspace_id = c.workspace_id where c.workspace_id=? and c.deleted_at is null order by c.sort_name, c.id limit 51`, args: [ws] },
};
const times: Record<string, number[]> = {};
for (let r = 0; r < 300; r++) for (const [k, v] of Object.entries(V)) { const s = process.hrtime.bigint(); await c.execute(v); (times[k] ??= []).push(Number(process.hrtime.bigint() - s) / 1e6); }
for (const [k, t] of Object.entries(times)) { t.sort((a, b) => a - b); console.log(k.padEnd(12), 'p50', t[150]!.toFixed(3)); }
console.log((await c.execute({ sql: 'explain query plan ' + V.listJoin!.sql, args: V.listJoin!.args })).rows.map((r) => r[3]).join(' | '));
