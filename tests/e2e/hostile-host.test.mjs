// The widget on a host page that fights it, as real sites do: global CSS
// aimed at every element (the host included), its own global `search`
// function and document key handlers that swallow keys, a strict CSP.
// Each test pins one promise of docs/embedding.md on that page (issue 19).

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { brotliCompressSync, constants } from 'node:zlib';
import {
  DIST, REPO, UI, WAIT_MS, activate, audit, cliBuild, makeTemp, openPage, readWidget, rmTemp, screenshotPath, searchBox,
  setUp, startServer, waitForAnswer, waitUntil,
} from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; form-action 'self'; " +
  "require-trusted-types-for 'script'";

const HOSTILE_CSS = `
* {
  font: 20px serif;
  color: red;
  letter-spacing: 0.2em;
  word-spacing: 1em;
  text-transform: uppercase;
  text-align: right;
  line-height: 3;
  font-style: italic;
  cursor: crosshair;
}
html { background: #fffbe6; }
input, button, a, mark, div, span, dialog { all: unset !important; }
:focus { outline: none !important; }
qidiruv-search { display: block; margin: 1em; max-width: 30rem; }
.at-end qidiruv-search { margin-left: auto; }
.themed { --qidiruv-font: monospace; --qidiruv-font-size: 15px; --qidiruv-text: rgb(18, 52, 86); }
.scheme { color-scheme: light dark; }
`;

// Loaded before qidiruv.js: a page with a search() of its own, and keys it
// takes for itself (a slideshow, say) once they reach the document.
const HOSTILE_JS = `
window.search = function search() { throw new Error('the page’s own search()'); };
window.pageKeys = [];
document.addEventListener('keydown', (e) => {
  if (['ArrowDown', 'ArrowUp', 'Enter', 'Escape', 'Home', 'End', ' '].includes(e.key)) {
    window.pageKeys.push(e.key);
    e.preventDefault();
    e.stopPropagation();
  }
});
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI), true);
`;

/** The hostile page: one widget with `attrs`, a fallback form, `htmlClass` on <html>. */
function hostilePage({ lang = 'en', index = '/search/', attrs = '', htmlClass = '', head = '' } = {}) {
  const prefix = { en: 'en', ru: 'ru', 'uz-Latn': 'uz', 'uz-Cyrl': 'oz' }[lang];
  return `<!DOCTYPE html>
<html lang="${lang}" class="${htmlClass}">
<head><meta charset="utf-8"><title>A hostile host</title>
<link rel="stylesheet" href="/host/hostile.css">
<script src="/host/hostile.js"></script>
<script type="module" src="/qidiruv/qidiruv.js"></script>${head}</head>
<body>
<h1>A hostile host</h1>
<p>Its CSS reaches for everything.</p>
<qidiruv-search index="${index}" lang="${lang}" ${attrs}><form action="/${prefix}/search/" method="get" role="search"><input type="search" name="q" aria-label="Search"><button>Search</button></form></qidiruv-search>
<p>More of the page.</p>
</body>
</html>
`;
}

const temp = makeTemp();
after(() => rmTemp(temp));
const hostDir = path.join(temp, 'host');
const manyDir = path.join(temp, 'many');
const garbledDir = path.join(temp, 'garbled');
const MANY = 60; // more results than the widget shows at most (50)

const PAGES = {
  'inline.html': {},
  'themed.html': { attrs: 'class="themed"' },
  'modal.html': { attrs: 'mode="modal"' },
  'scheme.html': { htmlClass: 'scheme' },
  'meta.html': { head: '<meta name="color-scheme" content="light dark">' },
  'pinned-dark.html': { attrs: 'theme="dark"' },
  'pinned-light.html': { htmlClass: 'scheme', attrs: 'theme="light"' },
  'modal-dark.html': { attrs: 'mode="modal" theme="dark"' },
  'fifty.html': { index: '/many/', attrs: 'results="50"' },
  'twenty.html': { index: '/many/', attrs: 'results="20"' },
  'missing.html': { index: '/nowhere/' },
  'garbled.html': { index: '/garbled/' },
  'ru.html': { lang: 'ru' },
  'end.html': { htmlClass: 'at-end' },
};

function serverOptions(extra = {}) {
  return { mounts: { '/host/': hostDir, '/many/': manyDir, '/garbled/': garbledDir }, headers: { 'Content-Security-Policy': CSP }, ...extra };
}

const env = setUp(() => {
  mkdirSync(hostDir);
  writeFileSync(path.join(hostDir, 'hostile.css'), HOSTILE_CSS);
  writeFileSync(path.join(hostDir, 'hostile.js'), HOSTILE_JS);
  for (const [name, options] of Object.entries(PAGES)) writeFileSync(path.join(hostDir, name), hostilePage(options));
  // MANY articles that all say "border".
  const articles = Array.from({ length: MANY }, (_, n) => ({
    id: `many-${n}`, url: `/many-news/${n}/`, lang: 'en', title: `Border talks, round ${n + 1}`, date: '2025-01-02',
    body: `Round ${n + 1} of the border talks. ${'Delegations met again. '.repeat(1 + (n % 5))}`,
  }));
  writeFileSync(path.join(temp, 'many.jsonl'), articles.map((a) => JSON.stringify(a)).join('\n') + '\n');
  const built = cliBuild(path.join(temp, 'many.jsonl'), manyDir);
  assert.equal(built.status, 0, built.stderr);
  mkdirSync(garbledDir);
  writeFileSync(path.join(garbledDir, 'qidiruv.json'), '{"format": "qidiruv-index", "vers');
  return serverOptions();
});

const qidiruvLines = (page) => page.log.console.filter((m) => m.text.startsWith('qidiruv:'));
const requestsFor = (suffix) => env.server.requests.filter((p) => p.endsWith(suffix)).length;

/** Reads computed styles inside the widget: `selectors` → { property: value }. */
function styles(page, selectors, properties) {
  return page.evaluate(([selectors, properties]) => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    return Object.fromEntries(selectors.map((sel) => {
      const element = root.querySelector(sel);
      if (!element) return [sel, null];
      const style = getComputedStyle(element);
      return [sel, Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]))];
    }));
  }, [selectors, properties]);
}

/** Fails if `promise` has not settled in WAIT_MS. */
function settles(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} never resolved nor rejected`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// --- 1. any number of results ------------------------------------------------------

test('results="50" shows 50 results, and search() answers any limit', async (t) => {
  const page = await openPage(env, t, '/host/fifty.html');
  const box = await activate(page);
  await box.pressSequentially('border');
  const { widget } = await waitForAnswer(page, 'border', 'en', { index: manyDir, limit: 50 });
  assert.equal(widget.options.length, 50);
  assert.equal(widget.showMore, UI.en.showMore, `${MANY} match: more can be shown`);

  for (const limit of [33, 50, 1000]) {
    const answer = await settles(
      page.evaluate((limit) => document.querySelector('qidiruv-search').search('border', { limit }), limit),
      `search('border', { limit: ${limit} })`,
    );
    assert.equal(answer.total, MANY);
    assert.equal(answer.results.length, Math.min(limit, MANY), `limit ${limit}`);
  }
  await page.locator('qidiruv-search button.more').click();
  await waitForAnswer(page, 'border', 'en', { index: manyDir, limit: 100 });
});

// --- 2. the page's CSS stays out --------------------------------------------------

const INSIDE = ['input.input', '.status', '.result .title', '.result .excerpt', '.result .meta', '.chip, .more'];
const INHERITED = ['font-family', 'font-style', 'color', 'letter-spacing', 'word-spacing', 'text-transform', 'text-align', 'cursor'];

/** The widget on `url` with results for "saidov" open. */
async function withResults(t, url, options = {}) {
  const page = await openPage(env, t, url, options);
  const box = await activate(page);
  await box.pressSequentially('saidov');
  await waitForAnswer(page, 'saidov', 'en');
  return page;
}

test('the page’s global CSS changes nothing inside the widget', async (t) => {
  const bare = await openPage(env, t, '/en/'); // the demo page: no CSS aimed at the widget
  await (await activate(bare)).pressSequentially('saidov');
  await waitForAnswer(bare, 'saidov', 'en');
  const hostile = await withResults(t, '/host/inline.html');
  const props = [...INHERITED, 'font-size', 'line-height'];
  const [want, got] = [await styles(bare, INSIDE, props), await styles(hostile, INSIDE, props)];
  const rootSize = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const scale = (await rootSize(hostile)) / (await rootSize(bare)); // the default size is 1rem, the page's own
  for (const sel of INSIDE) {
    assert.ok(want[sel] && got[sel], `${sel} is shown on both pages`);
    for (const p of INHERITED) assert.equal(got[sel][p], want[sel][p], `${sel} ${p}`);
    for (const p of ['font-size', 'line-height']) {
      const ratio = parseFloat(got[sel][p]) / parseFloat(want[sel][p]);
      assert.ok(Math.abs(ratio - scale) < 0.02, `${sel} ${p}: ${got[sel][p]} against ${want[sel][p]} (root ×${scale})`);
    }
  }
  assert.equal(got['.result .excerpt'].color, 'rgb(26, 31, 43)', 'the default text colour, not the page’s red');
  assert.deepEqual(await hostile.evaluate(() => window.violations), [], 'nothing broke the CSP');
  assert.equal(await hostile.evaluate(() => { try { window.search(); } catch (e) { return e.message; } }), 'the page’s own search()',
    'the page’s global search() is its own');
  assert.deepEqual(hostile.log.pageErrors, []);
});

test('the --qidiruv-* properties win over the page’s CSS', async (t) => {
  const page = await withResults(t, '/host/themed.html');
  const got = await styles(page, INSIDE.slice(0, 4), ['font-family', 'font-size', 'color']);
  assert.deepEqual(got['input.input'], { 'font-family': 'monospace', 'font-size': '15px', color: 'rgb(18, 52, 86)' });
  assert.equal(got['.result .excerpt']['font-family'], 'monospace');
  assert.equal(got['.result .excerpt'].color, 'rgb(18, 52, 86)');
});

for (const [name, url, colorScheme] of [
  ['inline, light', '/host/inline.html', 'light'],
  ['inline, dark', '/host/scheme.html', 'dark'],
  ['modal, light', '/host/modal.html', 'light'],
  ['modal, dark', '/host/modal-dark.html', 'light'],
]) {
  test(`axe finds nothing inside the widget on the hostile page (${name})`, async (t) => {
    const page = await openPage(env, t, url, { colorScheme });
    if (url.includes('modal')) await page.locator('qidiruv-search button.opener').click();
    const box = await activate(page);
    await box.pressSequentially('saidov');
    await waitForAnswer(page, 'saidov', 'en');
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: screenshotPath(`hostile-${name.replace(', ', '-')}.png`) });
    const violations = await audit(page, { include: [['qidiruv-search']] });
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  });
}

// --- 3. a resting pointer -------------------------------------------------------------

test('a resting pointer never takes the keyboard’s option; a moving one does', async (t) => {
  const page = await openPage(env, t, '/host/twenty.html');
  const box = await activate(page);
  const at = await box.boundingBox();
  // The pointer rests where the list is about to open, before it opens.
  await page.mouse.move(at.x + at.width / 2, at.y + at.height + 150);
  await box.pressSequentially('border');
  const { widget } = await waitForAnswer(page, 'border', 'en', { index: manyDir, limit: 20 });
  const active = () => readWidget(page).then((w) => w.options.findIndex((o) => o.selected === 'true'));
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('ArrowDown');
    // Two frames: the list scrolls, and the browser tells the pointer what is under it now.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(50);
    assert.equal(await active(), i, `ArrowDown ${i + 1}`);
  }
  await page.keyboard.press('End');
  await waitUntil(active, (n) => n === widget.options.length - 1, 'End reached the last result');
  await page.waitForTimeout(150);
  assert.equal(await active(), widget.options.length - 1, 'the last result stays active under the resting pointer');

  // A real move points.
  await page.mouse.move(at.x + at.width / 2, at.y + at.height + 160);
  const under = await page.evaluate(([x, y]) => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    return root.elementFromPoint(x, y)?.closest('.result')?.id;
  }, [at.x + at.width / 2, at.y + at.height + 160]);
  assert.ok(under, 'a result is under the pointer');
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-activedescendant'] === under, 'the pointed result is active');
});

// --- 4. the widget itself cannot load ---------------------------------------------------

test('without its wasm the box says so in the page’s language, and Enter uses the fallback form', async (t) => {
  const page = await openPage(env, t, '/host/ru.html');
  await page.route('**/qidiruv_widget_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await searchBox(page).focus();
  await page.keyboard.type('визы');
  const failed = await waitUntil(() => readWidget(page), (w) => w.retryButton !== null && w.panelVisible, 'the failure is shown');
  assert.match(failed.status, /^Поиск недоступен/);
  assert.equal(failed.retryButton, 'Повторить');
  await page.screenshot({ path: screenshotPath('hostile-unavailable-ru.png') });
  await Promise.all([page.waitForURL((url) => url.pathname === '/ru/search/', { timeout: WAIT_MS }), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'визы');
});

test('Try again loads the wasm once it is there', async (t) => {
  const page = await openPage(env, t, '/host/inline.html');
  await page.route('**/qidiruv_widget_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await searchBox(page).focus();
  await page.keyboard.type('saidov');
  await waitUntil(() => readWidget(page), (w) => w.retryButton === UI.en.retry, 'the failure is shown');
  await page.unroute('**/qidiruv_widget_bg.wasm');
  await page.locator('qidiruv-search button.retry').click();
  await waitForAnswer(page, 'saidov', 'en');
  assert.deepEqual(page.log.pageErrors, []);
});

/** `wasm` with the bodies of its exported functions whose names match `name` replaced by a trap (`unreachable`). */
function trapExports(wasm, name) {
  const bytes = Buffer.from(wasm);
  let at = 8;
  const skip = () => { const length = leb(); at += length; }; // not `at += leb()`: that reads `at` first
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
    }
  };
  const limits = () => { const flags = leb(); leb(); if (flags & 1) leb(); };
  let importedFunctions = 0;
  const exported = [];
  let code;
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const start = at;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        skip();
        skip();
        const kind = bytes[at++];
        if (kind === 0) { leb(); importedFunctions++; } else if (kind === 1) { at++; limits(); } else if (kind === 2) limits();
        else if (kind === 3) at += 2;
        else { at++; leb(); }
      }
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const length = leb();
        const text = bytes.subarray(at, at + length).toString();
        at += length;
        const kind = bytes[at++];
        const index = leb();
        if (kind === 0 && name.test(text)) exported.push(index);
      }
    } else if (id === 10) code = start;
    at = start + size;
  }
  assert.ok(exported.length && code, `the wasm exports ${name}`);
  at = code;
  leb();
  // The code section holds the bodies of the functions after the imported ones, in order.
  for (let fn = importedFunctions; fn <= Math.max(...exported); fn++) {
    const size = leb();
    if (exported.includes(fn)) {
      bytes[at] = 0; // no locals
      bytes[at + 1] = 0x00; // unreachable
      bytes.fill(0x01, at + 2, at + size - 1); // nop
      bytes[at + size - 1] = 0x0b; // end
    }
    at += size;
  }
  return bytes;
}

// `mount` traps inside the loader's call; the event handlers' closures trap
// in a listener the browser calls, reaching the page as an uncaught error.
const TRAPS = [['as it starts', /^mount$/], ['as it handles an event', /closures.*invoke.*Event__Event/]];
for (const [when, exports] of TRAPS) {
  test(`a trap in the wasm ${when} shows the same failure once, and Try again recovers`, async (t) => {
    const page = await openPage(env, t, '/host/inline.html');
    const trapping = trapExports(readFileSync(path.join(DIST, 'qidiruv/qidiruv_widget_bg.wasm')), exports);
    await page.route('**/qidiruv_widget_bg.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: trapping }));
    await searchBox(page).focus();
    await page.keyboard.type('saidov');
    await waitUntil(() => readWidget(page), (w) => w.retryButton === UI.en.retry && w.panelVisible, 'the failure is shown');
    await page.waitForTimeout(300);
    const lines = qidiruvLines(page);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0].text, /^qidiruv: the search widget stopped: unreachable/);
    assert.deepEqual(page.log.pageErrors, [], 'no uncaught error');

    await page.unroute('**/qidiruv_widget_bg.wasm');
    await page.locator('qidiruv-search button.retry').click();
    await waitForAnswer(page, 'saidov', 'en');
  });
}

// --- 5. one line per failure, no refetch per keystroke ------------------------------------

for (const [page, prefix, says] of [
  ['missing.html', '/nowhere/', /^qidiruv: http:\/\/127\.0\.0\.1:\d+\/nowhere\/qidiruv\.json: HTTP 404$/],
  ['garbled.html', '/garbled/', /^qidiruv: http:\/\/127\.0\.0\.1:\d+\/garbled\/qidiruv\.json: the manifest is not JSON$/],
]) {
  test(`after a failed index (${page}) typing on neither logs nor fetches again; Try again does, once`, async (t) => {
    const tab = await openPage(env, t, `/host/${page}`);
    const box = await activate(tab);
    await box.press('v');
    await waitUntil(() => readWidget(tab), (w) => w.retryButton === UI.en.retry, 'the failure is shown');
    await waitUntil(() => qidiruvLines(tab).length, (n) => n === 1, 'the failure was logged');
    const fetched = requestsFor(`${prefix}qidiruv.json`);
    await box.pressSequentially('isas');
    await waitUntil(() => readWidget(tab), (w) => w.value === 'visas' && w.retryButton === UI.en.retry, 'still failed');
    await tab.waitForTimeout(500);
    assert.equal(requestsFor(`${prefix}qidiruv.json`), fetched, 'no keystroke fetched the manifest again');
    const lines = qidiruvLines(tab);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0].text, says);

    await tab.locator('qidiruv-search button.retry').click();
    await waitUntil(() => qidiruvLines(tab).length, (n) => n === 2, 'the retry’s failure was logged');
    assert.equal(requestsFor(`${prefix}qidiruv.json`), fetched + 1, 'Try again fetched it once');
    assert.deepEqual(tab.log.pageErrors, []);
  });
}

test('a failed index is fetched again by itself after a back-off of 5 s', async (t) => {
  const tab = await openPage(env, t, '/host/missing.html');
  const box = await activate(tab);
  await box.press('v');
  await waitUntil(() => readWidget(tab), (w) => w.retryButton === UI.en.retry, 'the failure is shown');
  const fetched = requestsFor('/nowhere/qidiruv.json');
  await tab.waitForTimeout(5200);
  assert.equal(requestsFor('/nowhere/qidiruv.json'), fetched, 'nothing is fetched without a keystroke');
  await box.press('i');
  await waitUntil(() => requestsFor('/nowhere/qidiruv.json'), (n) => n === fetched + 1, 'the keystroke after the back-off tried again');
  await box.press('s');
  await tab.waitForTimeout(300);
  assert.equal(requestsFor('/nowhere/qidiruv.json'), fetched + 1, 'and the next one waits out a longer back-off');
  assert.equal(qidiruvLines(tab).length, 1, 'the same failure again is not logged again');
});

test('a missing wasm is one console line, fetched again only on Try again', async (t) => {
  const page = await openPage(env, t, '/host/inline.html');
  let wasmRequests = 0;
  await page.route('**/qidiruv_widget_bg.wasm', (route) => {
    wasmRequests++;
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await searchBox(page).focus();
  await page.keyboard.type('visa');
  await waitUntil(() => readWidget(page), (w) => w.retryButton === UI.en.retry, 'the failure is shown');
  await page.locator('h1').click(); // away and back: no new attempt either
  await searchBox(page).focus();
  await page.keyboard.type('s');
  await page.waitForTimeout(500);
  assert.equal(wasmRequests, 1);
  const lines = qidiruvLines(page);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0].text, /^qidiruv: the search widget could not be loaded: [^\n]+$/);
  assert.equal(page.log.console.filter((m) => m.type === 'error').length, 2, 'the 404 itself and the one line');

  await page.locator('qidiruv-search button.retry').click();
  await waitUntil(() => wasmRequests, (n) => n === 2, 'Try again fetched the wasm again');
  assert.deepEqual(page.log.pageErrors, []);
});

// --- 6. the page's colour scheme ----------------------------------------------------------

const surfaceOf = async (page) => (await styles(page, ['.panel'], ['background-color']))['.panel']['background-color'];
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(27, 33, 48)';

for (const [url, colorScheme, want, why] of [
  ['/host/inline.html', 'dark', LIGHT, 'a light-only page stays light when the visitor prefers dark'],
  ['/host/scheme.html', 'dark', DARK, 'a page with color-scheme: light dark follows the visitor'],
  ['/host/scheme.html', 'light', LIGHT, 'a page with color-scheme: light dark follows the visitor'],
  ['/host/meta.html', 'dark', DARK, 'a page with <meta name=color-scheme content="light dark"> follows the visitor'],
  ['/host/pinned-dark.html', 'light', DARK, 'theme="dark" pins dark'],
  ['/host/pinned-light.html', 'dark', LIGHT, 'theme="light" pins light'],
]) {
  test(`${why} (${url}, prefers ${colorScheme})`, async (t) => {
    const page = await withResults(t, url, { colorScheme });
    assert.equal(await surfaceOf(page), want);
  });
}

// --- 11. a host that ignores Range -------------------------------------------------------

test('on a host that ignores Range each index file is fetched at most once', async (t) => {
  const server = await startServer(serverOptions({ ranges: false }));
  t.after(() => server.close());
  const page = await openPage({ ...env, server }, t, '/host/inline.html');
  const box = await activate(page);
  await box.pressSequentially('security');
  await waitForAnswer(page, 'security', 'en');
  await box.fill('');
  await box.pressSequentially('saidov');
  await waitForAnswer(page, 'saidov', 'en');
  const parts = server.requests.filter((p) => /\/search\/s\d+-(postings|store)-/.test(p));
  assert.ok(parts.length > 0);
  const twice = parts.filter((p, i) => parts.indexOf(p) !== i);
  assert.deepEqual(twice, [], `fetched more than once, of ${parts.length}: ${twice.join(', ')}`);
});

test('the page’s key handlers cannot eat what is typed into the box', async (t) => {
  const page = await openPage(env, t, '/host/inline.html');
  const box = await activate(page);
  await box.pressSequentially('border security');
  await waitForAnswer(page, 'border security', 'en');
  await page.keyboard.press('ArrowDown');
  await waitUntil(() => readWidget(page), (w) => w.options[0]?.selected === 'true', 'ArrowDown still moves through the results');
  assert.ok((await page.evaluate(() => window.pageKeys)).includes('ArrowDown'), 'the page still hears the keys the widget does not type');
});

// --- 12. smaller promises ------------------------------------------------------------------

test('Enter with no active option opens the first result', async (t) => {
  const page = await withResults(t, '/host/inline.html');
  const first = (await readWidget(page)).options[0].href;
  await Promise.all([page.waitForURL((url) => url.pathname === first, { timeout: WAIT_MS }), page.keyboard.press('Enter')]);
});

test('Enter with no results sends the query to the search page', async (t) => {
  const page = await openPage(env, t, '/host/inline.html');
  const box = await activate(page);
  await box.pressSequentially('qqzzxx');
  await waitUntil(() => readWidget(page), (w) => w.status?.startsWith('No articles match'), 'no results');
  await Promise.all([page.waitForURL((url) => url.pathname === '/en/search/', { timeout: WAIT_MS }), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'qqzzxx');
});

test('a click into the box that holds a query shows its list again', async (t) => {
  const page = await withResults(t, '/host/inline.html');
  await page.keyboard.press('Escape');
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'false', 'Escape closed the list');
  await searchBox(page).click();
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'true' && w.panelVisible, 'the click reopened it');
  await page.locator('h1').click();
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'false', 'a click away closed it');
  await searchBox(page).click();
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'true' && w.panelVisible, 'a click back reopened it');
});

/** The open panel's edges, and the viewport's width. */
function panelEdges(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('qidiruv-search').shadowRoot.querySelector('.panel.open');
    const { left, right } = panel?.getBoundingClientRect() ?? {};
    const box = panel?.parentElement.getBoundingClientRect();
    return { left, right, room: document.documentElement.clientWidth, boxLeft: box?.left, boxRight: box?.right };
  });
}

const onScreen = ({ left, right, room }) => left >= 0 && right <= room;

test('the result panel stays on screen wherever the page puts the box, and as the window resizes', async (t) => {
  const DESKTOP = { width: 1280, height: 900 };
  const PHONE = { width: 390, height: 800 };
  // inline.html: a 30rem box at the start, under a panel of 34rem that hangs off its end edge.
  for (const [url, viewport] of [['inline.html', DESKTOP], ['end.html', DESKTOP], ['inline.html', PHONE], ['end.html', { width: 700, height: 800 }]]) {
    const page = await withResults(t, `/host/${url}`, { viewport });
    const edges = await panelEdges(page);
    assert.ok(onScreen(edges), `${url} at ${viewport.width} px: ${JSON.stringify(edges)}`);
    if (url === 'inline.html' && viewport === DESKTOP) {
      assert.equal(edges.left, edges.boxLeft, 'with no room past the box’s start, the panel hangs from it toward the end');
      await page.screenshot({ path: screenshotPath('hostile-inline-start.png') });
    } else if (url === 'end.html' && viewport === DESKTOP) {
      assert.equal(edges.right, edges.boxRight, 'with room, the panel hangs from the box’s end toward the start');
    }
  }

  const page = await withResults(t, '/host/inline.html', { viewport: PHONE });
  await page.setViewportSize(DESKTOP);
  await waitUntil(() => panelEdges(page), onScreen, 'the panel moved back on screen after the window widened');
  // A page that moves the element (out of the document and back) keeps it placing its panel.
  await page.evaluate(() => {
    const widget = document.querySelector('qidiruv-search');
    const parent = widget.parentNode;
    const next = widget.nextSibling;
    widget.remove();
    parent.insertBefore(widget, next);
  });
  await searchBox(page).click();
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'true' && w.panelVisible, 'a click reopened the list');
  await page.setViewportSize(PHONE);
  await waitUntil(() => panelEdges(page), onScreen, 'the moved element’s panel stayed on screen as the window narrowed');

  const failed = await openPage(env, t, '/host/missing.html');
  await (await activate(failed)).press('v');
  await waitUntil(() => readWidget(failed), (w) => w.retryButton === UI.en.retry, 'the failure is shown');
  const edges = await panelEdges(failed);
  assert.ok(onScreen(edges), `the failure's panel: ${JSON.stringify(edges)}`);
});

test('the / hint is shown to mice and hidden on touch screens', async (t) => {
  const hint = (page) => page.evaluate(() => getComputedStyle(document.querySelector('qidiruv-search').shadowRoot.querySelector('.opener kbd')).display);
  const desk = await openPage(env, t, '/host/modal.html');
  assert.notEqual(await hint(desk), 'none');
  const phone = await openPage(env, t, '/host/modal.html', { viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
  assert.equal(await hint(phone), 'none');
});

test('docs/embedding.md gives the loader’s compressed size', () => {
  const loader = readFileSync(path.join(DIST, 'qidiruv/qidiruv.js'));
  const kb = brotliCompressSync(loader, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1000;
  const docs = readFileSync(path.join(REPO, 'docs/embedding.md'), 'utf8');
  const said = Number(/`qidiruv\.js`\s*\(the loader, about ([\d.]+) kB compressed\)/.exec(docs)?.[1]);
  assert.ok(Math.abs(said - kb) <= 0.15, `the docs say ${said} kB; brotli makes it ${kb.toFixed(2)} kB`);
});
