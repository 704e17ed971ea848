import Database from 'libsql';
const path = process.argv[2];
const db = new Database(path);
const ws = db.prepare("select workspace_id w from contacts where seq = 1").get().w;
console.log('segments', db.prepare("select count(*) n from contacts_fts_data").get().n, 'idx rows', db.prepare("select count(*) n from contacts_fts_idx").get().n);
const q = db.prepare(`select c.id from contacts_fts join contacts c on c.seq = contacts_fts.rowid where contacts_fts match ? and c.workspace_id = ? and c.deleted_at is null order by contacts_fts.rowid desc limit 51`).raw(true);
for (const f of ['lovel','hopp','dijk','rous','son']) {
  const m = `"${f}"`;
  for (let i=0;i<50;i++) q.all(m, ws);
  const t = process.hrtime.bigint(); for (let i=0;i<500;i++) q.all(m, ws);
  console.log(f, (Number(process.hrtime.bigint()-t)/500/1000).toFixed(0), 'us');
}
if (process.argv[3] === 'optimize') { const t=Date.now(); db.exec("insert into contacts_fts(contacts_fts) values('optimize')"); console.log('optimize ms', Date.now()-t); }
