import autocannon from 'autocannon';
const [url, key, mode, dur] = process.argv.slice(2);
const frags = mode === 'rotate' ? ['lovel','hopp','dijk','rous','son'] : [mode];
let i = 0;
const r = await autocannon({ url, connections: 10, duration: Number(dur || 8), headers: { authorization: `Bearer ${key}` },
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/contacts?q=${frags[i++ % frags.length]}&limit=50` }) }] });
console.log(JSON.stringify({ n: r['2xx'], rps: Math.round(r['2xx'] / r.duration), p99: r.latency.p99 }));
