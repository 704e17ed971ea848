import { createClient } from '@libsql/client';
const c = createClient({ url: 'file:/tmp/relate-exp.db' });
for (const f of process.argv.slice(2)) console.log(f, (await c.execute({ sql: 'select count(*) from contacts_fts where contacts_fts match ?', args: [f] })).rows[0]![0]);
