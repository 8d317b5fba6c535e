// The widget's code and index are fetched only when a visitor reaches for
// the search box, never on page load.

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chainDepth } from '../bench/lib.mjs';
import { activate, DIST, openPage, searchBox, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();

const pathOf = (url) => new URL(url).pathname;
const isWasm = (url) => pathOf(url) === '/qidiruv/qidiruv_widget_bg.wasm';
const isWasmGlue = (url) => pathOf(url) === '/qidiruv/qidiruv_widget.js';
const isIndex = (url) => pathOf(url).startsWith('/search/');

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
  // Postings and store files are read by range, the rest whole.
  assert.ok(probes.length <= 1, `one range probe at most: ${probes}`);
  const whole = indexFiles.filter((p) => !p.includes('-store-') && !p.includes('-postings-'));
  for (const probe of probes) whole.splice(whole.indexOf(probe), 1);
  assert.equal(new Set(whole).size, whole.length, 'no whole part was fetched twice');
  assert.equal(new Set(postingsRanges).size, postingsRanges.length, 'no postings range was fetched twice');
  const postings = readdirSync(path.join(DIST, 'search')).filter((f) => f.includes('-postings-'));
  const stored = postings.reduce((sum, f) => sum + statSync(path.join(DIST, 'search', f)).size, 0);
  const read = postingsRanges.reduce((sum, request) => {
    const [, start, end] = / bytes=(\d+)-(\d+)$/.exec(request) ?? assert.fail(`a postings request without one range: ${request}`);
    return sum + Number(end) - Number(start) + 1;
  }, 0);
  assert.ok(read > 0 && read < stored / 4, `a one-letter query read ${read} of ${stored} postings bytes`);
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
  // Every request waits this long for its answer: a dependent fetch is a level of its own.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const requests = [];
  page.on('requestfinished', (r) => {
    const timing = r.timing();
    requests.push({ url: pathOf(r.url()), start: timing.startTime, end: timing.startTime + timing.responseEnd });
  });
  const focusedAt = Date.now();
  await searchBox(page).focus();
  await page.keyboard.insertText('visa');
  await waitForAnswer(page, 'visa', 'en');
  const fetched = requests.filter((r) => r.start >= focusedAt - 1);
  // The wasm, its glue and the manifest at once; the document table with the
  // dictionary shard; postings; store slots.
  assert.ok(['qidiruv_widget_bg.wasm', 'qidiruv.json', '-docs.', '-dict-', '-postings-', '-store-'].every(
    (part) => fetched.some((r) => r.url.includes(part)),
  ), fetched.map((r) => r.url).join(' '));
  const levels = chainDepth(fetched);
  assert.ok(levels <= 4, `${levels} dependent round trips: ${fetched.map((r) => `${r.url} ${Math.round(r.start - focusedAt)}–${Math.round(r.end - focusedAt)}`).join(', ')}`);
});
