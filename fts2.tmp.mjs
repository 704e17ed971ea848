import Database from 'libsql';
const db = new Database(process.argv[2]);
db.exec('pragma cache_size=-65536');
const ws = db.prepare("select workspace_id w from contacts where seq = 1").get().w;
const q = db.prepare(`select c.id from contacts_fts join contacts c on c.seq = contacts_fts.rowid where contacts_fts match ? and c.workspace_id = ? and c.deleted_at is null order by contacts_fts.rowid desc limit 51`).raw(true);
function bench(label) {
  const frags = ['lovel','hopp','dijk','rous','son'];
  for (let i=0;i<100;i++) q.all(`"${frags[i%5]}"`, ws);
  const t = process.hrtime.bigint(); for (let i=0;i<1000;i++) q.all(`"${frags[i%5]}"`, ws);
  console.log(label, 'idx rows', db.prepare("select count(*) n from contacts_fts_idx").get().n, (Number(process.hrtime.bigint()-t)/1000/1000).toFixed(0), 'us');
}
bench('before');
const merge = db.prepare("insert into contacts_fts(contacts_fts, rank) values('merge', ?)");
let t = Date.now(), calls = 0;
for (;;) { const before = db.prepare('select total_changes() n').get().n; merge.run(Number(process.argv[3] || 500)); calls++; const after = db.prepare('select total_changes() n').get().n; if (after - before < 2 || calls > 500) break; }
console.log('merge calls', calls, 'ms', Date.now() - t);
bench('after merge');
