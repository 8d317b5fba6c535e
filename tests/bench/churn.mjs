// What one publish changes: Qidiruv beside Pagefind on N synthetic articles.
// Each scenario starts from an index of the first N articles and publishes
// the change onto it (Qidiruv: onto the same directory, as the site's CI
// does; Pagefind: its build from scratch, the only way it builds); the
// files new or changed (by name and bytes) are what a deploy uploads and
// what every cache must fetch again.
//
//   node tests/bench/churn.mjs [N] [--out FILE] [--only qidiruv]    (./build.sh bench churn [N])

import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { QUERIES, formatBytes, formatTable } from './lib.mjs';
import { listFiles, startServer, timedRun } from './measure.mjs';

const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLI = path.join(REPO, 'target/release/qidiruv');
const MAKE_SCALE = path.resolve(REPO, '../shared/corpus/make_scale.py');
const SEED = 7;
const ADDED = 100;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, only: { type: 'string' } } });
const N = Number(positionals[0] ?? 10_000);
const only = values.only;
if (!Number.isInteger(N) || N < 10 || (only !== undefined && only !== 'qidiruv')) {
  console.error('usage: node tests/bench/churn.mjs [N] [--out FILE] [--only qidiruv]');
  process.exit(2);
}
const say = (msg) => console.error(`churn: ${msg}`);
const WORK = path.join(REPO, 'target/bench', `churn-${N}`);
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

// --- the articles: N, and ADDED more, the last re-dated to be the newest --------------------------

const corpus = path.join(REPO, 'target/bench', `articles-${N + ADDED}-seed${SEED}.jsonl`);
if (!existsSync(corpus)) {
  say(`generating ${N + ADDED} articles (make_scale.py --seed ${SEED})`);
  const fd = openSync(`${corpus}.part`, 'w');
  const child = spawnSync('python3', [MAKE_SCALE, String(N + ADDED), '--seed', String(SEED)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  if (child.status !== 0) throw new Error(`make_scale.py exited with ${child.status}`);
  renameSync(`${corpus}.part`, corpus);
}
const all = readFileSync(corpus, 'utf8').trim().split('\n');
const newest = all.map((l) => JSON.parse(l).date).sort().at(-1);
const fresh = all.slice(N).map((line, i) => (i === 0 ? JSON.stringify({ ...JSON.parse(line), date: newest }) : line));
const base = all.slice(0, N);
const edited = (() => {
  const lines = [...base];
  const a = JSON.parse(lines[N >> 1]);
  lines[N >> 1] = JSON.stringify({ ...a, body: `${a.body} Updated: the ministry corrected the date of the visit.` });
  return lines;
})();
const SCENARIOS = [
  { name: 'one new article', lines: [...base, fresh[0]] },
  { name: `${ADDED} new articles`, lines: [...base, ...fresh] },
  { name: 'one article edited', lines: edited },
  { name: 'one article deleted', lines: base.filter((_, i) => i !== 42) },
];
const write = (name, lines) => {
  const file = path.join(WORK, `${name}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

// --- building ----------------------------------------------------------------------------------------

/** Name → bytes of every file under `dir`, names relative to it. */
const snapshot = (dir) => new Map(listFiles(dir).map((f) => [path.relative(dir, f), readFileSync(f)]));

/** Files of `after` new or changed against `before`, and their bytes; `skip` names files a deploy leaves out. */
function changed(before, after, skip = () => false) {
  let files = 0;
  let bytes = 0;
  for (const [name, content] of after) {
    if (skip(name)) continue;
    const old = before.get(name);
    if (!old || !old.equals(content)) {
      files += 1;
      bytes += content.length;
    }
  }
  return { files, bytes };
}
const total = (snap, skip = () => false) => ({
  files: [...snap.keys()].filter((n) => !skip(n)).length,
  bytes: [...snap].filter(([n]) => !skip(n)).reduce((s, [, b]) => s + b.length, 0),
});

const ENGINES = {
  qidiruv: {
    // The previous manifest stays on the build machine; parts the new manifest drops are deleted, not uploaded.
    skip: (name) => name === 'qidiruv.previous.json',
    async build(input, out, onto) {
      if (onto) cpSync(onto, out, { recursive: true });
      return timedRun(CLI, ['build', input, '--out', out], { cwd: REPO });
    },
  },
  pagefind: {
    skip: () => false,
    async build(input, out) {
      mkdirSync(out, { recursive: true });
      const run = await timedRun(process.execPath, [path.join(REPO, 'tests/bench/pagefind-build.mjs'), input, out], { cwd: REPO });
      return run;
    },
    dir: (out) => path.join(out, 'pagefind'),
  },
};

const results = {};
const baseInput = write('base', base);
for (const [key, engine] of Object.entries(ENGINES).filter(([k]) => !only || k === only)) {
  const dirOf = (out) => (engine.dir ? engine.dir(out) : out);
  say(`${key}: building ${N} articles`);
  const baseOut = path.join(WORK, `${key}-base`);
  const baseRun = await engine.build(baseInput, baseOut);
  const before = snapshot(dirOf(baseOut));
  results[key] = { total: total(before, engine.skip), build: baseRun.seconds, scenarios: [] };
  for (const [i, scenario] of SCENARIOS.entries()) {
    const out = path.join(WORK, `${key}-${i}`);
    const run = await engine.build(write(`scenario-${i}`, scenario.lines), out, baseOut);
    const after = snapshot(dirOf(out));
    const c = changed(before, after, engine.skip);
    say(`  ${scenario.name}: ${c.files} files, ${formatBytes(c.bytes)} (${run.seconds.toFixed(1)} s)`);
    results[key].scenarios.push({ ...c, of: total(after, engine.skip), seconds: run.seconds });
    rmSync(out, { recursive: true, force: true });
  }
}

// --- a returning visitor ----------------------------------------------------------------------------------

const WIDGET = path.join(REPO, 'dist/qidiruv');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const [first, second] = [QUERIES[0], QUERIES[2]];
const VISIT_ENGINES = {
  qidiruv: {
    page: '/q.html',
    html: '<script type="module" src="/qidiruv/qidiruv.js"></script>\n<qidiruv-search index="/search/" lang="en" results="8"></qidiruv-search>',
    // The loader's plain box first; the widget's own once the wasm has taken over.
    async input(page) {
      await page.locator('qidiruv-search input:visible').first().click();
      const box = page.locator('qidiruv-search input[role=combobox]:visible');
      await box.waitFor();
      return box;
    },
    results: (page) => page.locator('qidiruv-search [role=option]').count(),
    async publish(input) {
      await timedRun(CLI, ['build', input, '--out', path.join(VISIT, 'search')], { cwd: REPO });
    },
  },
  pagefind: {
    page: '/pf.html',
    html: '<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script>\n' +
      '<div id="search"></div><script>window.addEventListener("DOMContentLoaded", () => new PagefindUI({ element: "#search", ' +
      'showSubResults: false, showImages: false, pageSize: 8, debounceTimeoutMs: 0 }));</script>',
    async input(page) {
      const box = page.locator('#search input');
      await box.click();
      return box;
    },
    results: (page) => page.locator('#search .pagefind-ui__result-link').count(),
    async publish(input) {
      rmSync(path.join(VISIT, 'pagefind'), { recursive: true, force: true });
      await timedRun(process.execPath, [path.join(REPO, 'tests/bench/pagefind-build.mjs'), input, VISIT], { cwd: REPO });
    },
  },
};
const VISIT = path.join(WORK, 'visit');

/**
 * Bytes the server sent (what crossed the network: cache hits never reach
 * it) while `queries` were typed one after another, in a browser profile
 * kept in `profile`; Pagefind's worker fetches count too.
 */
async function visit(profile, server, engine, queries) {
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: ARGS });
  const from = server.log.length;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url(engine.page));
    for (const q of queries) {
      const box = await engine.input(page);
      await box.fill(q.query);
      const deadline = Date.now() + 30_000;
      while ((await engine.results(page)) === 0 && Date.now() < deadline) await page.waitForTimeout(50);
      if ((await engine.results(page)) === 0) throw new Error(`${engine.page}: no results for ${q.query}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
    }
    // The visitor reads the results before leaving: the widget keeps what it
    // fetched once the page has been quiet for a second (part_cache.rs).
    await page.waitForTimeout(2_000);
    const sent = server.log.slice(from);
    say(`    ${sent.length} requests: ${sent.map((e) => `${e.path.split('/').pop()} ${e.bytes}`).join(', ')}`);
    return sent.reduce((sum, e) => sum + e.bytes, 0);
  } finally {
    await context.close();
  }
}

const visits = {};
for (const [key, engine] of Object.entries(VISIT_ENGINES).filter(([k]) => !only || k === only)) {
  say(`${key}: a returning visitor across a publish of one article`);
  rmSync(VISIT, { recursive: true, force: true });
  mkdirSync(VISIT, { recursive: true });
  writeFileSync(path.join(VISIT, engine.page), `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>visit</title></head><body>\n${engine.html}\n</body></html>\n`);
  await engine.publish(baseInput);
  const compressed = new Map();
  const server = await startServer({ root: VISIT, mounts: { '/qidiruv/': WIDGET }, cache: compressed });
  try {
    const profile = path.join(WORK, `profile-${key}`);
    rmSync(profile, { recursive: true, force: true });
    const firstVisit = await visit(profile, server, engine, [first]);
    await engine.publish(write('visit-published', SCENARIOS[0].lines));
    compressed.clear();
    const returning = await visit(profile, server, engine, [first, second]);
    const cold = await visit(path.join(WORK, `profile-${key}-cold`), server, engine, [first, second]);
    say(`  first visit ${formatBytes(firstVisit)}, returning after a publish ${formatBytes(returning)}, cold ${formatBytes(cold)}`);
    visits[key] = { firstVisit, returning, cold };
  } finally {
    await server.close();
  }
}

// --- the table ---------------------------------------------------------------------------------------------

const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(part * 1000 < whole ? 2 : 1)} %` : '—');
const q = results.qidiruv;
const p = results.pagefind;
const rows = [{ section: `index of ${N} articles` }];
// A count, or a dash where Pagefind was not run (--only).
const count = (n) => (n === undefined ? '—' : String(n));
rows.push({ measure: 'files', q: q.total.files, p: p?.total.files, fmt: count });
rows.push({ measure: 'bytes', q: q.total.bytes, p: p?.total.bytes });
rows.push({ measure: 'first build, wall time', q: q.build, p: p?.build, fmt: (s) => (typeof s === "number" ? `${s.toFixed(1)} s` : "n/a") });
if (visits.qidiruv) {
  const [qv, pv] = [visits.qidiruv, visits.pagefind];
  const share = (v) => (v ? `${((100 * v.returning) / v.cold).toFixed(1)} %` : 'n/a');
  rows.push({ section: `a returning visitor: "${first.query}", then one article published, then "${first.query}" and "${second.query}"` });
  rows.push({ measure: 'first visit, bytes over the network', q: qv.firstVisit, p: pv?.firstVisit });
  rows.push({ measure: 'returning visit, bytes over the network', q: qv.returning, p: pv?.returning });
  rows.push({ measure: 'the same two queries, cold visit', q: qv.cold, p: pv?.cold });
  rows.push({ measure: 'returning / cold', q: share(qv), p: share(pv) });
}
for (const [i, scenario] of SCENARIOS.entries()) {
  const qs = q.scenarios[i];
  const ps = p?.scenarios[i];
  rows.push({ section: `publish: ${scenario.name}` });
  rows.push({ measure: 'files new or changed', q: qs.files, p: ps?.files, fmt: count });
  rows.push({ measure: 'files new or changed, share', q: pct(qs.files, qs.of.files), p: ps ? pct(ps.files, ps.of.files) : 'n/a' });
  rows.push({ measure: 'bytes to upload', q: qs.bytes, p: ps?.bytes });
  rows.push({ measure: 'bytes to upload, share of the index', q: pct(qs.bytes, qs.of.bytes), p: ps ? pct(ps.bytes, ps.of.bytes) : 'n/a' });
  rows.push({ measure: 'build wall time', q: qs.seconds, p: ps?.seconds, fmt: (s) => (typeof s === "number" ? `${s.toFixed(1)} s` : "n/a") });
}
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
const table = `Publishing churn at ${N} articles (make_scale.py --seed ${SEED}), Qidiruv ${commit}` +
  `${only ? '' : ' beside Pagefind'}, ${new Date().toISOString().slice(0, 10)}\n\n${formatTable(rows)}\n`;
console.log(table);
const outFile = values.out ?? path.join(only ? WORK : path.join(REPO, 'tests/bench/results'), `${new Date().toISOString().slice(0, 10)}-churn-${N}.txt`);
writeFileSync(outFile, table);
say(`written to ${path.relative(REPO, outFile)}`);
