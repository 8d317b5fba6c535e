// The widget against a host or cache that misbehaves: a part damaged once
// and cached as immutable, a host that accepts and never answers, and a
// store file from another build served under this build's name.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  DIST, UI, activate, cliBuild, demoArticles, makeTemp, openPage, readWidget, rmTemp, setUp, testPage, waitForAnswer,
  waitUntil,
} from './harness.mjs';

const temp = makeTemp();
after(() => rmTemp(temp));
const pages = path.join(temp, 'pages');
const damaged = path.join(temp, 'damaged');
const stalled = path.join(temp, 'stalled');
const foreign = path.join(temp, 'foreign');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const flip = (bytes) => {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1] ^= 0xff;
  return copy;
};
/** Requests seen per path under /damaged/, and whether the host still stalls. */
const seen = new Map();
const host = { stalling: true };

const env = setUp(() => {
  mkdirSync(pages);
  for (const name of ['damaged', 'stalled', 'foreign']) {
    writeFileSync(path.join(pages, `${name}.html`), testPage({ index: `/${name}/` }));
  }
  cpSync(path.join(DIST, 'search'), damaged, { recursive: true });
  cpSync(path.join(DIST, 'search'), stalled, { recursive: true });
  // The same articles under other titles: another build, with store files of the same names' shapes.
  const other = path.join(temp, 'other.jsonl');
  writeFileSync(other, demoArticles().map((a) => JSON.stringify({ ...a, title: `Other build: ${a.title}` })).join('\n') + '\n');
  assert.equal(cliBuild(other, path.join(temp, 'other')).status, 0);
  cpSync(path.join(DIST, 'search'), foreign, { recursive: true });
  const otherFiles = readdirSync(path.join(temp, 'other'));
  let swapped = 0;
  for (const file of readdirSync(foreign).filter((f) => /-store-/.test(f))) {
    const stem = file.split('.')[0];
    const twin = otherFiles.find((f) => f.split('.')[0] === stem);
    if (twin) {
      writeFileSync(path.join(foreign, file), readFileSync(path.join(temp, 'other', twin)));
      swapped += 1;
    }
  }
  assert.ok(swapped > 0, 'some store file has a twin in the other build');

  return {
    mounts: { '/pages/': pages, '/damaged/': damaged, '/stalled/': stalled, '/foreign/': foreign },
    intercept(urlPath, req, res) {
      if (urlPath.startsWith('/stalled/') && host.stalling) return true; // accepted, never answered
      if (!urlPath.startsWith('/damaged/') || urlPath.endsWith('qidiruv.json')) return false;
      if (req.headers.range === 'bytes=0-0') return false; // the loader's range probe, served as it is
      const count = (seen.get(urlPath) ?? 0) + 1;
      seen.set(urlPath, count);
      const whole = readFileSync(path.join(damaged, path.basename(urlPath)));
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      const body = range ? whole.subarray(Number(range[1]), Number(range[2]) + 1) : whole;
      // The first copy of every part is damaged on the way, and marked to be cached for good.
      const sent = count === 1 ? flip(body) : body;
      const headers = { 'Cache-Control': IMMUTABLE, 'Content-Length': sent.length, 'Accept-Ranges': 'bytes' };
      if (range) headers['Content-Range'] = `bytes ${range[1]}-${Number(range[1]) + body.length - 1}/${whole.length}`;
      res.writeHead(range ? 206 : 200, headers).end(sent);
      return true;
    },
  };
});

test('a part damaged once, under immutable caching, is fetched again past the cache', async (t) => {
  const page = await openPage(env, t, '/pages/damaged.html');
  const box = await activate(page);
  await box.fill('border');
  await waitForAnswer(page, 'border', 'en');
  const fetchedTwice = [...seen].filter(([, n]) => n >= 2).map(([p]) => path.basename(p));
  assert.ok(fetchedTwice.some((p) => p.includes('-docs.')), `the document table was fetched again: ${fetchedTwice}`);
  assert.ok(fetchedTwice.some((p) => p.includes('-dict-')), `a dictionary shard was fetched again: ${fetchedTwice}`);
  assert.ok(fetchedTwice.some((p) => p.includes('-postings-')), `a postings range was fetched again: ${fetchedTwice}`);
  assert.ok(fetchedTwice.some((p) => p.includes('-store-')), `a store range was fetched again: ${fetchedTwice}`);
  assert.deepEqual(page.log.console.filter((m) => m.text.startsWith('qidiruv:')), []);
});

test('a host that never answers gives an error with a retry, and the retry recovers', async (t) => {
  host.stalling = true;
  const page = await openPage(env, t, '/pages/stalled.html');
  const box = await activate(page);
  await box.fill('border');
  const stuck = await waitUntil(
    () => readWidget(page),
    (w) => w.retryButton === UI.en.retry,
    'the widget offered a retry for a host that never answers',
    20_000,
  );
  assert.match(stuck.status, /unavailable/i);
  host.stalling = false;
  await page.locator('qidiruv-search').locator('button', { hasText: UI.en.retry }).click();
  await waitForAnswer(page, 'border', 'en');
});

test('a store file from another build is an error, never another article', async (t) => {
  const page = await openPage(env, t, '/pages/foreign.html');
  const box = await activate(page);
  await box.fill('border');
  const shown = await waitUntil(
    () => readWidget(page),
    (w) => w.retryButton === UI.en.retry || w.options.length > 0,
    'the widget answered',
  );
  assert.deepEqual(shown.options.filter((o) => o.title.startsWith('Other build')), [], 'another build\'s titles');
  assert.equal(shown.retryButton, UI.en.retry, `the widget says it failed: ${shown.status}`);
});
