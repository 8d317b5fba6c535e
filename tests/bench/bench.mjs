// Scale and speed: Qidiruv beside Pagefind on N synthetic articles, measured
// in one run on one machine, printed as one table per network profile
// (README.md explains every row and how it is measured under a profile).
//
//   node tests/bench/bench.mjs [N] [--out FILE]      (./build.sh bench [N] builds what it needs first)
//   node tests/bench/bench.mjs [N] --profile mobile  (one profile; repeat --profile for several)
//   node tests/bench/bench.mjs [N] --http1           (HTTP/1.1 with TLS instead of HTTP/2)
//   node tests/bench/bench.mjs [N] --only qidiruv    (a quick Qidiruv-only run while iterating)
//
// N defaults to 100000; without --profile every profile in PROFILES (lib.mjs)
// is measured. Work files go to target/bench/<N>/; the tables are printed and
// written to tests/bench/results/<date>-<N>[-<profile>][-http1].txt (or --out).
// With --only qidiruv, Pagefind is neither built nor measured, its column
// says n/a, and the tables go to target/bench/<N>/only-qidiruv.txt: they are
// not results tables.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkEmulation, coldQuery, launchBrowser, warmTyping, wasmMemory } from './browser.mjs';
import {
  HARDER_QUERIES, QUERIES, describeProfile, formatBytes, formatCount, formatMs, formatTable, keystrokePrefixes, median,
  percentile, resultsName, selectProfiles,
} from './lib.mjs';
import { listFiles, selfSignedCertificate, startServer, sumSizes, timedRun } from './measure.mjs';

const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const HERE = path.join(REPO, 'tests/bench');
const CLI = path.join(REPO, 'target/release/qidiruv');
const WIDGET = path.join(REPO, 'dist/qidiruv');
const MAKE_SCALE = path.resolve(REPO, '../shared/corpus/make_scale.py');
const SEED = 1;
const MEMORY_QUERIES = 50;

const USAGE = 'usage: node tests/bench/bench.mjs [N] [--profile local|broadband|mobile]... [--http1] [--out FILE] ' +
  '[--only qidiruv]';
let parsed;
let profiles;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'string', multiple: true, default: [] },
      http1: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  profiles = selectProfiles(parsed.values.profile);
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
const http1 = parsed.values.http1;
const protocol = http1 ? 'HTTP/1.1 with TLS' : 'HTTP/2 with TLS';
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const N = Number(parsed.positionals[0] ?? 100_000);
const only = parsed.values.only;
if (!Number.isInteger(N) || N < 1 || parsed.positionals.length > 1 || (only !== undefined && only !== 'qidiruv')) {
  console.error(USAGE);
  process.exit(2);
}
for (const [what, file] of [['the qidiruv CLI', CLI], ['the widget bundle', path.join(WIDGET, 'qidiruv.js')],
  ['make_scale.py', MAKE_SCALE]]) {
  if (!existsSync(file)) {
    console.error(`bench: ${what} is missing (${file}); ./build.sh bench builds it`);
    process.exit(1);
  }
}

const say = (msg) => console.error(`bench: ${msg}`);
const WORK = path.join(REPO, 'target/bench', String(N));
const SITE = path.join(WORK, 'site');
mkdirSync(WORK, { recursive: true });

// --- the corpus ---------------------------------------------------------------------------

const corpus = path.join(REPO, 'target/bench', `articles-${N}.jsonl`);
/** Lines in `file`, counted on bytes (a 100k corpus is longer than a JS string may be). */
const lines = (file) => {
  const bytes = readFileSync(file);
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n += 1;
  return n;
};
if (!existsSync(corpus) || lines(corpus) !== N) {
  say(`generating ${N} articles (make_scale.py --seed ${SEED})`);
  const fd = openSync(`${corpus}.part`, 'w');
  const child = spawnSync('python3', [MAKE_SCALE, String(N), '--seed', String(SEED)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  if (child.status !== 0) throw new Error(`make_scale.py exited with ${child.status}`);
  renameSync(`${corpus}.part`, corpus);
}
say(`corpus ${path.relative(REPO, corpus)}: ${N} articles, ${formatBytes(statSync(corpus).size)}`);

// --- index builds, one after the other ----------------------------------------------------------

rmSync(SITE, { recursive: true, force: true });
mkdirSync(SITE, { recursive: true });
say('building the Qidiruv index');
const qBuild = await timedRun(CLI, ['build', corpus, '--out', path.join(SITE, 'search')], { cwd: REPO });
say(`  ${qBuild.seconds.toFixed(1)} s, peak ${formatBytes(qBuild.maxRssBytes)}`);
let pfBuild = { seconds: 0, maxRssBytes: 0, treePeakBytes: 0 };
if (!only) {
  say('building the Pagefind index (Node API, custom records)');
  pfBuild = await timedRun(process.execPath, [path.join(HERE, 'pagefind-build.mjs'), corpus, SITE], { cwd: REPO });
  say(`  ${pfBuild.seconds.toFixed(1)} s, peak ${formatBytes(pfBuild.treePeakBytes)} (process tree)`);
}

// --- the test pages ---------------------------------------------------------------------------------

const LANGS = [...new Set(QUERIES.map((q) => q.lang))];
for (const lang of LANGS) {
  const head = `<!DOCTYPE html>\n<html lang="${lang}">\n<head><meta charset="utf-8"><link rel="icon" href="data:,">`;
  for (const [name, attrs] of [[`q-${lang}.html`, ''], [`q-preload-${lang}.html`, ' preload="idle"']]) {
    writeFileSync(
      path.join(SITE, name),
      `${head}<title>qidiruv bench</title></head>\n<body>\n<script type="module" src="/qidiruv/qidiruv.js"></script>\n` +
        `<qidiruv-search index="/search/" lang="${lang}" results="8"${attrs}></qidiruv-search>\n</body>\n</html>\n`,
    );
  }
  // Pagefind's Default UI: no debounce (its default waits 300 ms after each keystroke), 8 results like Qidiruv.
  writeFileSync(
    path.join(SITE, `pf-${lang}.html`),
    `${head}<title>pagefind bench</title>\n<link href="/pagefind/pagefind-ui.css" rel="stylesheet">\n` +
      `<script src="/pagefind/pagefind-ui.js"></script></head>\n<body>\n<div id="search"></div>\n<script>\n` +
      `window.addEventListener('DOMContentLoaded', () => new PagefindUI({ element: '#search', showSubResults: false, ` +
      `showImages: false, pageSize: 8, debounceTimeoutMs: 0 }));\n</script>\n</body>\n</html>\n`,
  );
}
// For checkEmulation: a worker that times one fetch, as Pagefind's worker fetches its index.
const EMULATION_PAGE = '/bench-blank.html';
const EMULATION_WORKER = '/bench-worker.js';
writeFileSync(path.join(SITE, EMULATION_PAGE.slice(1)), '<!DOCTYPE html>\n<meta charset="utf-8"><title>bench</title>\n');
writeFileSync(
  path.join(SITE, EMULATION_WORKER.slice(1)),
  'onmessage = async (e) => {\n  const t = performance.now();\n' +
    "  await (await fetch(e.data, { cache: 'no-store' })).arrayBuffer();\n  postMessage(performance.now() - t);\n};\n",
);

// --- sizes ----------------------------------------------------------------------------------------------

const QIDIRUV_CODE = ['qidiruv.js', 'qidiruv_widget.js', 'qidiruv_widget_bg.wasm', 'qidiruv.css'];
// The Default UI's code, and the English page's wasm (the others differ by a few KiB: README.md).
const PAGEFIND_CODE = ['pagefind-ui.js', 'pagefind-ui.css', 'pagefind.js', 'pagefind-worker.js', 'wasm.en.pagefind'];
const pfDir = path.join(SITE, 'pagefind');
const isPagefindCode = (file) => path.dirname(file) === pfDir && /\.(js|css)$|^wasm\..*\.pagefind$/.test(path.basename(file));

say('compressing the outputs (gzip -9, brotli 9)');
const cache = new Map();
const qIndex = await sumSizes(listFiles(path.join(SITE, 'search')), cache);
const pfFiles = only ? [] : listFiles(pfDir);
const pfAll = await sumSizes(pfFiles, cache);
const pfIndex = await sumSizes(pfFiles.filter((f) => !isPagefindCode(f)), cache);
const qPayload = await sumSizes(QIDIRUV_CODE.map((f) => path.join(WIDGET, f)), cache);
const pfPayload = await sumSizes(only ? [] : PAGEFIND_CODE.map((f) => path.join(pfDir, f)), cache);

// --- in the browser ---------------------------------------------------------------------------------------

// How each engine says which query its shown results are for (README.md, "Warm keystroke latency"):
// `watch` runs in the page and calls `record(term, markup)` once results for `term` are fully shown,
// `record(null)` when none are; `shows(term, typed)` says whether results recorded for `term` are
// those for the text `typed`.
const ENGINES = {
  qidiruv: {
    name: 'Qidiruv',
    page: (lang) => `/q-${lang}.html`,
    input: `document.querySelector('qidiruv-search').shadowRoot.querySelector('input')`,
    ready: `document.querySelector('qidiruv-search').shadowRoot.activeElement?.getAttribute('role') === 'combobox'`,
    hasResults: `document.querySelector('qidiruv-search').shadowRoot.querySelectorAll('[role=option]').length > 0`,
    // The widget fires qidiruv-query, with the query as typed, once that query's answer is in its DOM.
    watch: String((record) => {
      const host = document.querySelector('qidiruv-search');
      host.addEventListener('qidiruv-query', (e) =>
        record(e.detail.query, host.shadowRoot.querySelector('[role=listbox]')?.innerHTML ?? ''));
    }),
    shows: (term, typed) => term === typed,
    code: new Set(QIDIRUV_CODE.map((f) => `/qidiruv/${f}`)),
  },
  pagefind: {
    name: 'Pagefind',
    page: (lang) => `/pf-${lang}.html`,
    input: `document.querySelector('#search input')`,
    ready: `document.activeElement?.matches('#search input') === true`,
    hasResults: `document.querySelectorAll('#search .pagefind-ui__result-link').length > 0`,
    // The Default UI replaces its list with "Searching for …" while a search runs, then shows the
    // list under "N results for <term>" (every language's message ends with the term), each result
    // a placeholder until its fragment is in: results are fully shown when none is a placeholder.
    watch: String((record) => {
      const root = document.querySelector('#search');
      new MutationObserver(() => {
        const list = root.querySelector('ol.pagefind-ui__results');
        const message = root.querySelector('.pagefind-ui__message');
        if (!list || !message) record(null);
        else if (!list.querySelector('.pagefind-ui__loading')) record(message.textContent, list.innerHTML);
      }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    }),
    shows: (message, typed) => message.endsWith(typed),
    code: new Set(pfFiles.filter(isPagefindCode).map((f) => `/pagefind/${path.basename(f)}`)),
  },
};

// Qidiruv on a page that asks for preload="idle" (docs/embedding.md): the widget and the index's
// tables download after load, and the visitor focuses once they are in. Pagefind's UI has no such
// option: its rows beside these are its default's.
const PRELOADED = {
  ...ENGINES.qidiruv,
  name: 'Qidiruv (preload="idle")',
  page: (lang) => `/q-preload-${lang}.html`,
  preloaded: `performance.getEntriesByType('resource').some((e) => e.name.includes('-docs.') && e.responseEnd > 0)`,
};

const memoryQueries = [...new Set([...QUERIES.map((q) => q.query), ...QUERIES.flatMap((q) => keystrokePrefixes(q.query))])]
  .filter((q) => [...q].length >= 3)
  .slice(0, MEMORY_QUERIES);

// Over TLS, as sites are served: a certificate made for this run, which Chromium takes as valid.
const tls = selfSignedCertificate(path.join(WORK, 'tls'));
const server = await startServer({ root: SITE, mounts: { '/qidiruv/': WIDGET }, cache, tls: { ...tls, http1 } });
const browser = await launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${tls.spki}`] });
const chromiumVersion = browser.version();
const wantVersion = http1 ? '1.1' : '2.0';
const measured = {};
try {
  for (const profile of profiles) {
    say(`profile ${profile.name}, ${protocol}: ${describeProfile(profile)}`);
    const check = await checkEmulation(browser, server, profile, EMULATION_PAGE, EMULATION_WORKER);
    if (check) say(`  one fetch took ${formatMs(check.page)} from the page, ${formatMs(check.worker)} from a worker`);
    measured[profile.name] = {};
    for (const [key, engine] of Object.entries(ENGINES).filter(([key]) => !only || key === only)) {
      say(`${engine.name}: cold first query, ${QUERIES.length} fresh pages`);
      const cold = [];
      for (const q of QUERIES) {
        const r = await coldQuery(browser, server, engine, q, profile);
        say(`  ${q.lang} ${JSON.stringify(q.query)}: ${formatMs(r.ms)}, ${formatBytes(r.indexBytes)} index, ` +
          `${r.requests} requests (server saw ${r.served}), depth ${r.depth} (${r.keystrokeDepth} from keystroke)`);
        cold.push(r);
      }
      const preloaded = [];
      if (key === 'qidiruv') {
        say(`${PRELOADED.name}: cold first query, ${QUERIES.length} fresh pages`);
        for (const q of QUERIES) {
          const r = await coldQuery(browser, server, PRELOADED, q, profile);
          say(`  ${q.lang} ${JSON.stringify(q.query)}: ${formatMs(r.ms)}, depth ${r.depth} from focus`);
          preloaded.push(r);
        }
      }
      say(`${engine.name}: warm typing, key by key`);
      const warm = await warmTyping(browser, server, engine, QUERIES, profile);
      for (const { lang, prefix } of warm.missed) say(`  ${lang} ${JSON.stringify(prefix)}: its own results never came`);
      say(`${engine.name}: wasm memory after ${memoryQueries.length} queries`);
      const memory = await wasmMemory(browser, server, engine, 'en', memoryQueries, profile);
      measured[profile.name][key] = { cold, preloaded, warm, memory };
    }
  }
  const otherVersions = [...new Set(server.log.map((r) => r.version))].filter((v) => v !== wantVersion);
  if (otherVersions.length) throw new Error(`expected every request over HTTP/${wantVersion}, some came over ${otherVersions}`);
} finally {
  await browser.close();
  await server.close();
}

// --- native query latency (Qidiruv) ----------------------------------------------------------------------

const nativeQueries = [...new Set([...QUERIES.flatMap((q) => keystrokePrefixes(q.query)), ...HARDER_QUERIES])];
const queriesFile = path.join(WORK, 'native-queries.json');
writeFileSync(queriesFile, JSON.stringify(nativeQueries));
// Every query the same number of times, fewer on large indexes where one short prefix can take a second.
const iters = N <= 20_000 ? 20 : 5;
say(`native query latency: ${nativeQueries.length} queries (every keystroke prefix, and harder ones) × ${iters}`);
const nativeOut = execFileSync('cargo', ['bench', '-q', '-p', 'qidiruv', '--bench', 'index_dir'], {
  cwd: REPO,
  env: {
    ...process.env,
    QIDIRUV_BENCH_INDEX: path.join(SITE, 'search'),
    QIDIRUV_BENCH_QUERIES: queriesFile,
    QIDIRUV_BENCH_ITERS: String(iters),
  },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const native = JSON.parse(nativeOut.trim().split('\n').at(-1));

// --- the table ----------------------------------------------------------------------------------------------

const stat = (engine, field, fn) => fn(engine.cold.map((r) => r[field]));
const max = (v) => Math.max(...v);
const ms = formatMs;
const count = formatCount;
// Not measured (--only): empty numbers, shown as n/a.
const NOT_MEASURED = { cold: [], preloaded: [], warm: { samples: [], frames: [], unchanged: 0, missed: [] }, memory: { page: 0, workers: 0 } };
/** Keystrokes timed (those whose results were the previous ones), and any whose results never came. */
const keystrokeCount = ({ samples, unchanged, missed }) =>
  `${samples.length} (${unchanged})${missed.length ? `, ${missed.length} never shown` : ''}`;

/** The rows of one profile's table: builds, sizes and the native bench are the same in each. */
const tableRows = ({ qidiruv: q, pagefind: p = NOT_MEASURED }) => [
  { section: `index build (${N} articles)` },
  { measure: 'wall time', q: qBuild.seconds * 1000, p: pfBuild.seconds * 1000, fmt: ms },
  { measure: 'peak RSS, largest process (time -v)', q: qBuild.maxRssBytes, p: pfBuild.maxRssBytes },
  { measure: 'peak RSS, whole process tree (sampled)', q: qBuild.treePeakBytes, p: pfBuild.treePeakBytes },
  { section: 'index on disk (the output directory)' },
  { measure: 'raw', q: qIndex.raw, p: pfAll.raw },
  { measure: 'gzip -9', q: qIndex.gzip, p: pfAll.gzip },
  { measure: 'brotli 9', q: qIndex.brotli, p: pfAll.brotli },
  { measure: 'files', q: qIndex.files, p: pfAll.files, fmt: count },
  { measure: 'Pagefind without its JS/CSS/wasm: raw', q: qIndex.raw, p: pfIndex.raw },
  { measure: 'Pagefind without its JS/CSS/wasm: files', q: qIndex.files, p: pfIndex.files, fmt: count },
  { section: 'widget payload (JS + wasm + CSS)' },
  { measure: 'raw', q: qPayload.raw, p: pfPayload.raw },
  { measure: 'gzip -9', q: qPayload.gzip, p: pfPayload.gzip },
  { measure: 'brotli 9', q: qPayload.brotli, p: pfPayload.brotli },
  { section: `cold first query (fresh context, ${QUERIES.length} queries: median / max)` },
  { measure: 'index bytes transferred, median', q: stat(q, 'indexBytes', median), p: stat(p, 'indexBytes', median) },
  { measure: 'index bytes transferred, max', q: stat(q, 'indexBytes', max), p: stat(p, 'indexBytes', max) },
  { measure: 'total bytes incl. code, median', q: stat(q, 'totalBytes', median), p: stat(p, 'totalBytes', median) },
  { measure: 'total bytes incl. code, max', q: stat(q, 'totalBytes', max), p: stat(p, 'totalBytes', max) },
  { measure: 'requests from focus, median', q: stat(q, 'requests', median), p: stat(p, 'requests', median), fmt: count },
  { measure: 'requests from focus, max', q: stat(q, 'requests', max), p: stat(p, 'requests', max), fmt: count },
  { measure: 'dependent round trips from focus, median', q: stat(q, 'depth', median), p: stat(p, 'depth', median), fmt: count },
  { measure: 'dependent round trips from focus, max', q: stat(q, 'depth', max), p: stat(p, 'depth', max), fmt: count },
  { measure: 'dependent round trips from keystroke, median', q: stat(q, 'keystrokeDepth', median),
    p: stat(p, 'keystrokeDepth', median), fmt: count },
  { measure: 'dependent round trips from keystroke, max', q: stat(q, 'keystrokeDepth', max),
    p: stat(p, 'keystrokeDepth', max), fmt: count },
  { measure: 'focus → results painted, median', q: stat(q, 'ms', median), p: stat(p, 'ms', median), fmt: ms },
  { measure: 'focus → results painted, max', q: stat(q, 'ms', max), p: stat(p, 'ms', max), fmt: ms },
  { section: 'cold first query, Qidiruv\'s page with preload="idle" (Pagefind: its default, it has no preload)' },
  { measure: 'focus → results painted, median', q: median(q.preloaded.map((r) => r.ms)), p: stat(p, 'ms', median), fmt: ms },
  { measure: 'focus → results painted, max', q: max(q.preloaded.map((r) => r.ms)), p: stat(p, 'ms', max), fmt: ms },
  { measure: 'dependent round trips from focus, max', q: max(q.preloaded.map((r) => r.depth)), p: stat(p, 'depth', max),
    fmt: count },
  { section: 'warm keystroke: input event → results painted' },
  { measure: 'p50', q: percentile(q.warm.samples, 50), p: percentile(p.warm.samples, 50), fmt: ms },
  { measure: 'p95', q: percentile(q.warm.samples, 95), p: percentile(p.warm.samples, 95), fmt: ms },
  { measure: 'keystrokes timed (results unchanged)', q: keystrokeCount(q.warm), p: keystrokeCount(p.warm) },
  { section: 'warm keystroke: input event → next frame painted (typing never blocked)' },
  { measure: 'p50', q: percentile(q.warm.frames, 50), p: percentile(p.warm.frames, 50), fmt: ms },
  { measure: 'p95', q: percentile(q.warm.frames, 95), p: percentile(p.warm.frames, 95), fmt: ms },
  { measure: 'max', q: percentile(q.warm.frames, 100), p: percentile(p.warm.frames, 100), fmt: ms },
  { section: `memory after ${memoryQueries.length} queries` },
  { measure: 'WebAssembly.Memory buffers, page + workers', q: q.memory.page + q.memory.workers,
    p: p.memory.page + p.memory.workers },
  { section: `native query latency (Qidiruv engine, ${native.samples} runs each)` },
  { measure: 'cold searcher (a new page\'s first query, its parts in memory), p50', q: native.cold.p50_us / 1000, p: 'n/a', fmt: ms },
  { measure: 'cold searcher, p99', q: native.cold.p99_us / 1000, p: 'n/a', fmt: ms },
  { measure: 'warm searcher (the query seen before), p50', q: native.warm.p50_us / 1000, p: 'n/a', fmt: ms },
  { measure: 'warm searcher, p99', q: native.warm.p99_us / 1000, p: 'n/a', fmt: ms },
].map((row) => (only && !row.section ? { ...row, p: 'n/a' } : row));

/** One profile's table, headed with the profile and protocol, and its cold queries one by one. */
function profileTable(profile) {
  const { qidiruv: q, pagefind: p = NOT_MEASURED } = measured[profile.name];
  const perQuery = [
    '',
    'cold first query, per query (Qidiruv | Pagefind): focus → results, index bytes, requests, depth from focus/keystroke',
    ...QUERIES.map((query, i) => {
      const a = q.cold[i];
      const b = p.cold[i] ?? { ms: NaN, indexBytes: NaN, requests: '', depth: '', keystrokeDepth: '' };
      return `  ${query.lang.padEnd(7)} ${JSON.stringify(query.query).padEnd(26)} ${ms(a.ms).padStart(8)} ` +
        `${formatBytes(a.indexBytes).padStart(10)} ${String(a.requests).padStart(4)} ${a.depth}/${a.keystrokeDepth} | ` +
        `${ms(b.ms).padStart(8)} ${formatBytes(b.indexBytes).padStart(10)} ${String(b.requests).padStart(4)} ${b.depth}/${b.keystrokeDepth}`;
    }),
  ];
  return `### ${profile.name} · ${protocol} · ${describeProfile(profile)}\n\n` +
    `${formatTable(tableRows(measured[profile.name]))}\n${perQuery.join('\n')}\n`;
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const pagefindVersion = JSON.parse(readFileSync(path.join(REPO, 'node_modules/pagefind/package.json'), 'utf8')).version;
const header = [
  `Qidiruv ${commit} beside Pagefind ${pagefindVersion}: ${N} articles (make_scale.py ${N} --seed ${SEED})`,
  `${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} · ${formatBytes(os.totalmem())} RAM · ` +
    `load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} · Chromium ${chromiumVersion} · Node ${process.version}`,
  `Served over ${protocol} (self-signed, taken as valid). Bytes on the wire are response bodies as sent: brotli`,
  `(quality 9, Content-Encoding: br) for both, except files that are already gzip (Pagefind's index, fragments and wasm),`,
  `sent as they are. A keystroke is timed to the paint of its own results, however long they take.`,
  '',
];
const text = `${header.join('\n')}\n${profiles.map(profileTable).join('\n')}`;
console.log(`\n${text}`);

const date = new Date().toISOString().slice(0, 10);
const out = parsed.values.out ??
  (only ? path.join(WORK, `only-${only}.txt`) : path.join(HERE, 'results', resultsName({ date, n: N, profiles, http1 })));
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, text);
writeFileSync(path.join(WORK, 'raw.json'), JSON.stringify({ N, protocol, profiles, qBuild, pfBuild, qIndex, pfAll, pfIndex,
  qPayload, pfPayload, measured, native }, (k, v) => (k === 'stderr' ? undefined : v), 1));
say(`tables written to ${path.relative(REPO, out)}; raw numbers in ${path.relative(REPO, path.join(WORK, 'raw.json'))}`);
