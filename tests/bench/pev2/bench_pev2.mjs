// PEV2's plan parser (its PlanService) timed under node on the plans bench_plan generates, for the side-by-side
// run of tests/bench/bench_plan_pev2.sh (docs/architecture.md, "Plans against PEV2"). Not part of ctest.
//
//   node bench_pev2.mjs DIR [RUNS]     DIR holds plan-10k.json and plan-10k.txt (PLANSIGHT_BENCH_SAVE of bench_plan)
//
// PEV2 1.21 publishes a Vue component only: its PlanService is bundled inside dist/pev2.es.js but not exported,
// and the component parses only once mounted in a DOM. So this script copies the bundle (as installed by npm,
// untouched) into node_modules with one line added, `export { <the PlanService class> as PlanService }`, imports
// that copy (the bundle's only import is "vue", which npm installed beside it) and calls the service the way the
// component's store does: fromSource(text) (clean-up, then JSON.parse or the text parser), then
// createPlan("", content, query) (the tree walk that computes PEV2's figures).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, runsArg] = process.argv.slice(2);
if (!dir) {
    console.error('usage: node bench_pev2.mjs DIR [RUNS]');
    process.exit(2);
}
const runs = Math.max(1, Number(runsArg) || 5);

const require = createRequire(import.meta.url);
const pkgDir = join(dirname(require.resolve('pev2')), '..'); // main is dist/pev2.umd.js
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const bundle = readFileSync(join(pkgDir, 'dist', 'pev2.es.js'), 'utf8');
// The service is the class whose constructor sets nodeId and flat (dist/services/plan-service.d.ts).
const found = /class (\w+) \{\s*constructor\(\) \{\s*\w+\(this, "nodeId", 0\);\s*\w+\(this, "flat", \[\]\);/.exec(bundle);
if (!found) {
    console.error(`PEV2 ${version}: its PlanService class was not found in dist/pev2.es.js`);
    process.exit(1);
}
const exposed = join(pkgDir, 'dist', 'pev2.planservice.mjs');
writeFileSync(exposed, `${bundle}\nexport { ${found[1]} as PlanService };\n`);
const { PlanService } = await import(pathToFileURL(exposed).href);

function time(fn) {
    const ms = [];
    let result;
    for (let i = 0; i < runs; ++i) {
        const start = process.hrtime.bigint();
        result = fn();
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    return { median: ms[Math.floor(ms.length / 2)], best: ms[0], result };
}

function count(node) {
    let n = 0;
    const stack = [node];
    while (stack.length) {
        const x = stack.pop();
        ++n;
        for (const c of x.Plans || []) stack.push(c);
    }
    return n;
}

function report(what, t, extra) {
    const pad = (v) => v.toFixed(2).padStart(9);
    console.log(`${what.padEnd(52)} median ${pad(t.median)} ms   best ${pad(t.best)} ms   ${extra}`);
}

console.log(`PEV2 ${version} under node ${process.version}, ${runs} runs`);
for (const [name, label] of [
    ['plan-10k.json', '10,000-node JSON plan'],
    ['plan-10k.txt', '10,000-node text plan'],
]) {
    const source = readFileSync(join(dir, name), 'utf8');
    const parse = time(() => new PlanService().fromSource(source));
    const nodes = count(parse.result.Plan);
    report(`PEV2 parse, ${label}`, parse, `(${nodes} nodes, ${(source.length / 1e6).toFixed(1)} MB)`);
    const both = time(() => {
        const service = new PlanService();
        const content = service.fromSource(source);
        return service.createPlan('', content, content['Query Text'] || '');
    });
    report(`PEV2 parse + build, ${label}`, both, '(fromSource + createPlan)');
}
