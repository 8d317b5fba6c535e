// The widget against a host or cache that misbehaves: a part damaged once
// and cached as immutable, a host that accepts and never answers, a store
// file from another build served under this build's name, and a dictionary
// shard forged past every check the reader makes.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  DIST, UI, activate, cliBuild, demoArticles, forge, makeTemp, openPage, readWidget, rmTemp, screenshotPath, setUp,
  testPage, waitForAnswer, waitUntil,
} from './harness.mjs';

const temp = makeTemp();
after(() => rmTemp(temp));
const pages = path.join(temp, 'pages');
const damaged = path.join(temp, 'damaged');
const stalled = path.join(temp, 'stalled');
const foreign = path.join(temp, 'foreign');
const forged = path.join(temp, 'forged');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const flip = (bytes) => {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1] ^= 0xff;
  return copy;
};
/** Requests seen per path and range under /damaged/ (and /damaged-ahead/), and whether the host still stalls. */
const seen = new Map();
const host = { stalling: true };
/** Whether /forged/ serves the forged manifest (else the genuine one), and what the forger wrote. */
const forgery = { served: true, report: null };
// A Russian page's word whose key lies in the forged shard, and one whose shards are all genuine.
const FORGED_WORD = 'виза';
const GENUINE_WORD = 'граница';
// What the loader says when the widget stopped (www/qidiruv/qidiruv.js), on a Russian page.
const STOPPED_RU = 'Поиск недоступен: не удалось его загрузить.';

const env = setUp(() => {
  mkdirSync(pages);
  for (const name of ['damaged', 'damaged-ahead', 'stalled', 'foreign']) {
    writeFileSync(path.join(pages, `${name}.html`), testPage({ index: `/${name}/` }));
  }
  writeFileSync(path.join(pages, 'forged.html'), testPage({ index: '/forged/', lang: 'ru' }));
  cpSync(path.join(DIST, 'search'), forged, { recursive: true });
  forgery.report = JSON.parse(forge('shard', forged, FORGED_WORD));
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
    mounts: {
      '/pages/': pages, '/damaged/': damaged, '/damaged-ahead/': damaged, '/stalled/': stalled, '/foreign/': foreign,
      '/forged/': forged,
    },
    intercept(urlPath, req, res) {
      if (urlPath === '/forged/qidiruv.json' && !forgery.served) {
        const genuine = readFileSync(path.join(DIST, 'search', 'qidiruv.json'));
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(genuine);
        return true;
      }
      if (urlPath.startsWith('/stalled/') && host.stalling) return true; // accepted, never answered
      // Two mounts of one index, so that each counts its copies from the first.
      const damages = urlPath.startsWith('/damaged/') || urlPath.startsWith('/damaged-ahead/');
      if (!damages || urlPath.endsWith('qidiruv.json')) return false;
      if (req.headers.range === 'bytes=0-0') return false; // the loader's range probe, served as it is
      const asked = `${urlPath} ${req.headers.range ?? ''}`.trim();
      const count = (seen.get(asked) ?? 0) + 1;
      seen.set(asked, count);
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
  // Some of this query's results show an excerpt from past the lede: their slots' tails are read too.
  await box.fill('tashkent');
  await waitForAnswer(page, 'tashkent', 'en');
  const fetchedTwice = [...seen].filter(([, n]) => n >= 2).map(([p]) => path.basename(p));
  assert.ok(fetchedTwice.some((p) => p.includes('-docs.')), `the document table was fetched again: ${fetchedTwice}`);
  assert.ok(fetchedTwice.some((p) => p.includes('-dict-')), `a dictionary shard was fetched again: ${fetchedTwice}`);
  assert.ok(fetchedTwice.some((p) => p.includes('-postings-')), `a postings range was fetched again: ${fetchedTwice}`);
  assert.ok(fetchedTwice.some((p) => p.includes('-store-')), `a store range was fetched again: ${fetchedTwice}`);
  // A slot's head is 512 bytes (or whole 512-byte slots); a tail is the rest of the slot's payload.
  const isTail = (p) => {
    const range = /-store-.* bytes=(\d+)-(\d+)$/.exec(p);
    return range !== null && (Number(range[2]) + 1 - Number(range[1])) % 512 !== 0;
  };
  assert.ok(fetchedTwice.some(isTail), `a slot's tail was fetched again: ${fetchedTwice}`);
  assert.deepEqual(page.log.console.filter((m) => m.text.startsWith('qidiruv:')), []);
});

test('a head damaged on its way while the box waited empty is fetched again when its letter is typed', async (t) => {
  const { heads } = JSON.parse(readFileSync(path.join(damaged, 'qidiruv.json'), 'utf8')).segments[0].parts;
  const headPath = (n) => `/damaged-ahead/${readdirSync(damaged).find((f) => f.startsWith(`s0-head-${n}.`))}`;
  const page = await openPage(env, t, '/pages/damaged-ahead.html');
  await activate(page);
  // The box stays empty: the likeliest first letters' heads come, each copy the first this host sends (damaged).
  const letters = heads.map((prefix, n) => ({ prefix, path: headPath(n) })).filter((h) => [...h.prefix].length === 1);
  const ahead = await waitUntil(
    () => letters.filter((h) => seen.get(h.path) === 1),
    (damagedOnce) => damagedOnce.length > 0,
    'a head fetched ahead, damaged, before a key is pressed',
  );
  const { prefix, path: damagedHead } = ahead[0];
  await page.keyboard.insertText(prefix);
  await waitForAnswer(page, prefix, 'en');
  assert.ok(seen.get(damagedHead) >= 2, `${damagedHead} was fetched again past the cache`);
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

// docs/format.md, "Trust boundary": a shard forged with its fst checksum and
// its part hash recomputed gets past every check, and fst panics on it: in
// the browser a trap. The widget must say it stopped, drop what it showed,
// and start a fresh instance on Try again.
test('a dictionary shard forged past every check stops the widget, which shows no old results and retries afresh', async (t) => {
  forgery.served = true;
  t.after(() => { forgery.served = true; });
  const page = await openPage(env, t, '/pages/forged.html');
  const box = await activate(page);
  await box.fill(GENUINE_WORD);
  await waitForAnswer(page, GENUINE_WORD, 'ru');

  await box.fill(FORGED_WORD);
  const stopped = await waitUntil(
    () => readWidget(page),
    (w) => w.retryButton === UI.ru.retry && w.panelVisible,
    'the widget says it stopped, with a retry button',
  );
  const { part } = forgery.report;
  assert.ok(env.server.requests.includes(`/forged/${part}`), `the forged shard ${part} was read`);
  assert.equal(stopped.status, `${STOPPED_RU} ${UI.ru.retry}`, 'in the page\'s language');
  assert.deepEqual(stopped.options, [], `no results left from “${GENUINE_WORD}”`);
  assert.equal(stopped.value, FORGED_WORD, 'the box keeps the query');
  await page.screenshot({ path: screenshotPath('forged-shard-stopped.png') });
  const lines = page.log.console.filter((m) => m.text.startsWith('qidiruv:'));
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0].text, /^qidiruv: the search widget stopped: unreachable/, 'fst panicked: a trap');
  assert.deepEqual(page.log.pageErrors, [], 'no uncaught error');

  forgery.served = false;
  await page.locator('qidiruv-search button.retry').click();
  await waitForAnswer(page, FORGED_WORD, 'ru');
  // After a trap the loader imports the module anew, under a query of its own.
  const fresh = page.log.requests.filter((url) => /\/qidiruv\/qidiruv_widget\.js\?\d+$/.test(url));
  assert.equal(fresh.length, 1, 'Try again started a fresh instance of the module');
});
