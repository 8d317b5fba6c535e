// The widget's code and index are fetched only when a visitor reaches for
// the search box, never on page load, unless the page asks for an idle preload.

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chainDepth } from '../bench/lib.mjs';
import { activate, DIST, openPage, searchBox, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();
// The demo's search pages ask for preload="idle": visitors come there to search.
const PRELOADING_PAGE = '/en/search/';

const pathOf = (url) => new URL(url).pathname;
const isWasm = (url) => pathOf(url) === '/qidiruv/qidiruv_widget_bg.wasm';
const isWasmGlue = (url) => pathOf(url) === '/qidiruv/qidiruv_widget.js';
const isIndex = (url) => pathOf(url).startsWith('/search/');

/**
 * Focuses the box and types `query` on a link where every request waits
 * 150 ms for its answer (a dependent fetch is a level of its own); waits for
 * the results. Returns when focus came (epoch ms) and each request made since:
 * its URL, and when it started and ended.
 */
async function firstQueryOnSlowLink(page, query) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: -1, uploadThroughput: -1 });
  const requests = [];
  page.on('requestfinished', (r) => {
    const timing = r.timing();
    requests.push({ url: r.url(), start: timing.startTime, end: timing.startTime + timing.responseEnd });
  });
  // The first results are painted from the store slots' heads; tails that
  // complete an excerpt arrive after them, and are not waited for.
  await page.evaluate(() => document.addEventListener('qidiruv-query', () => {
    window.__shownAt ??= performance.timeOrigin + performance.now();
  }));
  const focusedAt = Date.now();
  await searchBox(page).focus();
  await page.keyboard.insertText(query);
  await waitForAnswer(page, query, 'en');
  const shownAt = await page.evaluate(() => window.__shownAt);
  assert.ok(shownAt, 'the widget said it showed results');
  return { focusedAt, fetched: requests.filter((r) => r.start >= focusedAt - 1 && r.start < shownAt) };
}

/** The dependent round trips among `fetched`, each listed in ms from `from`. */
function roundTrips(fetched, from) {
  const levels = chainDepth(fetched);
  return { levels, listed: fetched.map((r) => `${pathOf(r.url)} ${Math.round(r.start - from)}–${Math.round(r.end - from)}`).join(', ') };
}

test('loading a page fetches neither the wasm widget nor the index', async (t) => {
  const page = await openPage(env, t, '/en/');
  await page.waitForLoadState('load');
  // The behaviour under test is that nothing happens for a while: wait it out.
  await page.waitForTimeout(500);

  // The loader did run (so the check below is not vacuous): it drew the plain box.
  await searchBox(page).waitFor({ state: 'visible' });
  assert.ok(page.log.requests.some((u) => pathOf(u) === '/qidiruv/qidiruv.js'), 'the loader was requested');

  const early = page.log.requests.filter((u) => isWasm(u) || isWasmGlue(u) || isIndex(u));
  assert.deepEqual(early, [], 'nothing of the widget or index was fetched before the visitor acted');
});

test('focusing the box fetches the wasm widget, and the first keystroke the index', async (t) => {
  const page = await openPage(env, t, '/en/');
  // The loader asks for one byte of a document table to learn whether the host honours ranges.
  const probes = [];
  page.on('request', (r) => r.headers().range === 'bytes=0-0' && probes.push(pathOf(r.url())));
  await page.waitForLoadState('load');
  assert.equal(page.log.requests.filter(isWasm).length, 0);

  const box = await activate(page);
  assert.equal(page.log.requests.filter(isWasm).length, 1, 'the wasm was fetched once on focus');
  assert.equal(page.log.requests.filter(isWasmGlue).length, 1, 'its JS glue was fetched once on focus');

  const postingsRanges = [];
  page.on('request', (r) => r.url().includes('-postings-') && postingsRanges.push(`${pathOf(r.url())} ${r.headers().range}`));
  await box.press('v');
  const indexFiles = await waitUntil(
    () => page.log.requests.filter(isIndex).map(pathOf),
    (paths) => ['qidiruv.json', '-docs.', '-dict-', '-postings-', '-store-'].every((part) => paths.some((p) => p.includes(part))),
    'the manifest, document table, a dictionary shard, postings and store chunks were fetched after typing',
  );
  assert.equal(indexFiles.filter((p) => p.endsWith('/qidiruv.json')).length, 1, 'the manifest was fetched once');
  // Store files are read by range, the rest whole: the demo's postings too,
  // as a small segment's are (under 32 KiB: docs/format.md), with the first shards.
  const postings = readdirSync(path.join(DIST, 'search')).filter((f) => f.includes('-postings-'));
  const stored = postings.reduce((sum, f) => sum + statSync(path.join(DIST, 'search', f)).size, 0);
  assert.ok(stored <= 32 * 1024, `the demo's postings take ${stored} bytes: a small segment's`);
  assert.deepEqual(postingsRanges, postings.map((f) => `/search/${f} undefined`), 'each postings file was read whole, once');
  assert.ok(probes.length <= 1, `one range probe at most: ${probes}`);
  const whole = indexFiles.filter((p) => !p.includes('-store-'));
  for (const probe of probes) whole.splice(whole.indexOf(probe), 1);
  assert.equal(new Set(whole).size, whole.length, 'no whole part was fetched twice');
});

test('pointing at the box preloads the wasm before it is focused', async (t) => {
  const page = await openPage(env, t, '/en/');
  await page.waitForLoadState('load');
  assert.equal(page.log.requests.filter(isWasm).length, 0);
  await searchBox(page).hover();
  await waitUntil(() => page.log.requests.filter(isWasm).length, (n) => n === 1, 'the wasm was fetched on hover');
});

test(
  'focusing the box also starts fetching the index',
  async (t) => {
    const page = await openPage(env, t, '/en/');
    await activate(page);
    await waitUntil(() => page.log.requests.filter(isIndex).length, (n) => n > 0, 'the index was fetched on focus', 3000);
  },
);

test('on a slow link, the first results come four round trips after focus', async (t) => {
  const page = await openPage(env, t, '/en/');
  await page.waitForLoadState('load');
  const { fetched, focusedAt } = await firstQueryOnSlowLink(page, 'visa');
  // The wasm, its glue and the manifest at once; the document table with the
  // dictionary shard; postings; store slots' heads.
  assert.ok(['qidiruv_widget_bg.wasm', 'qidiruv.json', '-docs.', '-dict-', '-postings-', '-store-'].every(
    (part) => fetched.some((r) => r.url.includes(part)),
  ), fetched.map((r) => r.url).join(' '));
  const { levels, listed } = roundTrips(fetched, focusedAt);
  assert.ok(levels <= 4, `${levels} dependent round trips: ${listed}`);
});

const isTable = (url) => /\/search\/(qidiruv\.json|s\d+-docs\.)/.test(pathOf(url));
// A preload waits for the page to load and then for the browser's next idle moment.
const PRELOAD_WITHIN_MS = 2000;

test('preload="idle": the widget and the index tables download after load, and focus waits on the query alone', async (t) => {
  const page = await openPage(env, t, PRELOADING_PAGE);
  await page.waitForLoadState('load');
  const loadedAt = Date.now();
  await waitUntil(
    () => page.log.requests,
    (urls) => urls.some(isWasm) && urls.some(isWasmGlue) && urls.some((u) => pathOf(u).includes('-docs.')),
    'the wasm, its glue and the document table were fetched without the visitor acting',
    PRELOAD_WITHIN_MS,
  );
  assert.ok(Date.now() - loadedAt < PRELOAD_WITHIN_MS);
  // Nothing a query needs: those depend on what the visitor types.
  await page.waitForLoadState('networkidle');
  const preloaded = [...page.log.requests];
  assert.deepEqual(preloaded.filter((u) => /-(dict|head|postings|store)-/.test(u)), [], 'no query part was preloaded');

  // What focus starts: the query's dictionary part, its postings, its store slots.
  const { fetched, focusedAt } = await firstQueryOnSlowLink(page, 'visa');
  const urls = fetched.map((r) => r.url);
  assert.deepEqual(urls.filter((u) => isWasm(u) || isWasmGlue(u) || isTable(u)), [], 'nothing preloaded was fetched again');
  assert.ok(['-postings-', '-store-'].every((part) => urls.some((u) => u.includes(part))), urls.join(' '));
  const { levels, listed } = roundTrips(fetched, focusedAt);
  assert.ok(levels <= 3, `${levels} dependent round trips: ${listed}`);
});

test('preload="idle" downloads nothing for a visitor who asked to save data', async (t) => {
  const init = () => Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });
  const page = await openPage(env, t, PRELOADING_PAGE, { init });
  await page.waitForLoadState('load');
  await searchBox(page).waitFor({ state: 'visible' }); // the loader ran
  await page.waitForTimeout(PRELOAD_WITHIN_MS);
  assert.deepEqual(page.log.requests.filter((u) => isWasm(u) || isWasmGlue(u) || isIndex(u)), []);
  // The visitor's own focus still starts the widget.
  await activate(page);
  await page.keyboard.insertText('visa');
  await waitForAnswer(page, 'visa', 'en');
});
