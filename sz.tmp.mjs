import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
const alias = { name: 'alias', setup(b) { b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, () => ({ path: resolve('functions/zod-locales.ts') })); } };
const r = await build({ entryPoints: ['functions/worker.ts'], bundle: true, format: 'esm', platform: 'neutral', conditions: ['workerd','worker','browser'], mainFields: ['browser','module','main'], external: ['node:*','cloudflare:*'], target: 'es2022', minify: true, metafile: true, write: false, logLevel: 'silent', plugins: [alias] });
const out = r.outputFiles[0].contents;
console.log('min', out.length, 'gz', gzipSync(out).length);
const byPkg = {};
for (const [f, o] of Object.entries(r.metafile.outputs)) for (const [inp, v] of Object.entries(o.inputs)) { const m = inp.match(/node_modules\/((@[^/]+\/)?[^/]+)/); const k = m ? m[1] : inp.split('/').slice(0,2).join('/'); byPkg[k] = (byPkg[k]||0) + v.bytesInOutput; }
console.log(Object.entries(byPkg).sort((a,b)=>b[1]-a[1]).slice(0,30));
const zodFiles = {};
for (const [f, o] of Object.entries(r.metafile.outputs)) for (const [inp, v] of Object.entries(o.inputs)) if (inp.includes('node_modules/zod/')) zodFiles[inp.replace(/.*node_modules\//,'')] = v.bytesInOutput;
console.log(Object.entries(zodFiles).sort((a,b)=>b[1]-a[1]).slice(0,15));
