import Database from 'libsql';
const db = new Database(''+process.argv[2]+'');
db.exec('pragma cache_size=-65536');
const ws = db.prepare("select workspace_id w from contacts where seq = 1").get().w;
const base = `from contacts_fts join contacts c on c.seq = contacts_fts.rowid %JOIN% where contacts_fts match ? and c.workspace_id = ? and c.deleted_at is null order by contacts_fts.rowid desc limit 51`;
const join = `left join companies co on co.id = c.company_id and co.workspace_id = c.workspace_id and co.deleted_at is null`;
const json = `json_object('id', c.id, 'firstName', c.first_name, 'lastName', c.last_name, 'emails', json(c.emails), 'phones', json(c.phones), 'address', json(c.address), 'jobTitle', c.job_title, 'companyId', c.company_id, 'ownerId', c.owner_id, 'lifecycleStage', c.lifecycle_stage, 'leadSource', c.lead_source, 'tags', json(c.tags), 'preferredChannel', c.preferred_channel, 'emailConsent', c.email_consent, 'emailConsentAt', strftime('%Y-%m-%dT%H:%M:%fZ', c.email_consent_at / 1000.0, 'unixepoch'), 'emailConsentMethod', c.email_consent_method, 'softData', json(c.soft_data), 'customFields', json(c.custom_fields), 'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at / 1000.0, 'unixepoch'), 'updatedAt', strftime('%Y-%m-%dT%H:%M:%fZ', c.updated_at / 1000.0, 'unixepoch'), 'deletedAt', strftime('%Y-%m-%dT%H:%M:%fZ', c.deleted_at / 1000.0, 'unixepoch'))`;
const variants = {
  ids: `select c.id ${base.replace('%JOIN%', '')}`,
  'ids+join': `select c.id, co.name ${base.replace('%JOIN%', join)}`,
  'json': `select ${json} ${base.replace('%JOIN%', '')}`,
  'json+join': `select ${json}, co.name ${base.replace('%JOIN%', join)}`,
  'cols+join': `select c.*, co.name ${base.replace('%JOIN%', join)}`,
};
const frags = ['lovel','hopp','dijk','rous','son'];
for (const [k, sqlText] of Object.entries(variants)) {
  const q = db.prepare(sqlText).raw(true);
  for (let i=0;i<200;i++) q.all(`"${frags[i%5]}"`, ws);
  const t = process.hrtime.bigint(); for (let i=0;i<2000;i++) q.all(`"${frags[i%5]}"`, ws);
  console.log(k.padEnd(10), (Number(process.hrtime.bigint()-t)/2000/1000).toFixed(0), 'us');
}
console.log(db.prepare("select avg(length(search_text)) st, avg(length(emails)+length(phones)+length(soft_data)+length(custom_fields)+length(tags)) js from contacts").get());
const noTime = json.replace(/strftime\('%Y-%m-%dT%H:%M:%fZ', (c\.[a-z_]+) \/ 1000\.0, 'unixepoch'\)/g, '$1');
const noJson = json.replace(/json\((c\.[a-z_]+)\)/g, '$1');
const both = noTime.replace(/json\((c\.[a-z_]+)\)/g, '$1');
for (const [k, j] of Object.entries({ noTime, noJson, both })) {
  const q = db.prepare(`select ${j}, co.name ${base.replace('%JOIN%', join)}`).raw(true);
  for (let i=0;i<200;i++) q.all(`"${frags[i%5]}"`, ws);
  const t = process.hrtime.bigint(); for (let i=0;i<2000;i++) q.all(`"${frags[i%5]}"`, ws);
  console.log(k.padEnd(10), (Number(process.hrtime.bigint()-t)/2000/1000).toFixed(0), 'us');
}
