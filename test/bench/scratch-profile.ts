import { createClient } from '@libsql/client';
import { createDb } from '../../db/client';
import { createApp } from '../../functions/app';
import { newApiKey, sha256 } from '../../functions/domain/tokens';
import { newId } from '../../functions/domain/ids';
const c = createClient({ url: 'file:/tmp/relate-exp.db' });
await c.execute('pragma journal_mode = wal');
const ws = String((await c.execute("select m.workspace_id from users u join memberships m on m.user_id=u.id where u.email='bench-owner@relate.local'")).rows[0]![0]);
const { key, prefix } = newApiKey();
await c.execute({ sql: `insert into api_keys (id, workspace_id, name, prefix, key_hash, scope, created_by, created_at, last_used_at, revoked_at) values (?,?,?,?,?,?,?,?,?,null)`, args: [newId('apiKey'), ws, 'p', prefix, await sha256(key), 'read', 'x', Date.now(), Date.now()] }).catch(async (e) => { console.error(e); });
const app = createApp({ db: createDb(c), config: { publicUrl: 'http://x', undoWindowMs: 1 }, now: Date.now, queues: { async send() {}, async sendBatch() {} } });
const ids = (await c.execute({ sql: 'select id from contacts where workspace_id=? limit 500', args: [ws] })).rows.map((r) => String(r[0]));
const headers = { authorization: `Bearer ${key}` };
const which = process.env.WHICH ?? 'get';
const N = Number(process.env.N ?? 3000);
const t: number[] = [];
for (let i = 0; i < N; i++) {
  const path = which === 'get' ? `/api/contacts/${ids[i % ids.length]}` : which === 'list' ? '/api/contacts?limit=50' : `/api/contacts?q=lovel&limit=50`;
  const s = process.hrtime.bigint();
  const res = await app.request('http://127.0.0.1' + path, { headers });
  if (res.status !== 200) throw new Error(String(res.status) + (await res.text()));
  await res.text();
  t.push(Number(process.hrtime.bigint() - s) / 1e6);
}
t.sort((a, b) => a - b);
console.log(which, 'p50', t[N >> 1]!.toFixed(3), 'min', t[0]!.toFixed(3));
c.close();
