// Markup inside indexed articles is shown as text and never runs; the
// indexer refuses script urls outright, and an index forged without that
// check gets no link, no url in qidiruv-select and no navigation from one.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  activate, cliBuild, cliSearch, forge, makeTemp, openPage, readWidget, rmTemp, setUp, testPage, waitForAnswer, waitUntil,
} from './harness.mjs';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';
const BOLD = '<b>bold</b>';

// Bodies may be HTML (DESIGN.md): the indexer keeps their text. Markup that
// must reach the visitor as text is escaped in such a body, the way a CMS
// writes an article about an <img> tag.
const escape = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const ARTICLES = [
  {
    id: 'hostile-img',
    url: '/x/1/',
    lang: 'en',
    title: `Hostile ${IMG} image title`,
    date: '2025-01-02',
    body: `<p>This body has ${escape(BOLD)} markup and an ${escape(IMG)} tag in it.</p>`,
  },
  {
    id: 'hostile-script',
    url: '/x/2/',
    lang: 'en',
    title: `Script ${SCRIPT} injection`,
    date: '2025-01-03',
    body: `<p>A body with ${escape(SCRIPT)} and ${escape(BOLD)} text.</p>`,
  },
];

// Script urls as a tool other than qidiruv might index them: any case,
// behind the white space and control characters browsers strip, split by a
// tab they drop, and other schemes that run or render what they carry.
const SCRIPT_URLS = [
  'javascript:alert(1)',
  ' JAVASCRIPT:alert(2)',
  '\u0000\u001f\t jAvAsCrIpT:alert(3)',
  'java\tscript:alert(4)',
  'data:text/html,<script>alert(5)</script>',
  'vbscript:msgbox(6)',
];
const SAFE_URL = '/x/safe/';
const FORGED = [
  ...SCRIPT_URLS.map((url, i) => ({
    id: `forged-${i + 1}`,
    url,
    lang: 'en',
    title: `Forged link ${i + 1}`,
    date: `2025-02-0${i + 1}`,
    body: 'A zanzibar story.',
  })),
  // A result whose link is fine, with a translation at a script url.
  { id: 'forged-safe', url: SAFE_URL, lang: 'en', title: 'Safe link', date: '2025-03-01', body: 'A zanzibar story.' },
  {
    id: 'forged-safe-ru',
    url: 'javascript:alert(7)',
    lang: 'ru',
    title: 'Безопасная ссылка',
    date: '2025-03-01',
    body: 'История zanzibar.',
    translation_of: 'forged-safe',
  },
];

const jsonl = (records) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const temp = makeTemp();
after(() => rmTemp(temp));
const indexDir = path.join(temp, 'index');
const pageDir = path.join(temp, 'page');
const forgedDir = path.join(temp, 'forged');

const env = setUp(() => {
  // Runs in `before`, after dist/ and the CLI are known to exist.
  writeFileSync(path.join(temp, 'hostile.jsonl'), jsonl(ARTICLES));
  const built = cliBuild(path.join(temp, 'hostile.jsonl'), indexDir);
  assert.equal(built.status, 0, `building the hostile index: ${built.stderr}`);
  // `qidiruv build` refuses these urls (the next test); the forger indexes them as they are.
  writeFileSync(path.join(temp, 'forged.jsonl'), jsonl(FORGED));
  forge('build', path.join(temp, 'forged.jsonl'), forgedDir);
  mkdirSync(pageDir);
  writeFileSync(path.join(pageDir, 'index.html'), testPage({ index: '/hostile/', lang: 'en' }));
  writeFileSync(path.join(pageDir, 'forged.html'), testPage({ index: '/forged/', lang: 'en' }));
  return { mounts: { '/hostile/': indexDir, '/forged/': forgedDir, '/page/': pageDir } };
});

test('the indexer refuses a javascript: url and names the line', () => {
  const bad = { ...ARTICLES[0], id: 'bad', url: 'javascript:alert(1)' };
  const file = path.join(temp, 'bad.jsonl');
  writeFileSync(file, jsonl([ARTICLES[1], bad]));
  const out = path.join(temp, 'bad-index');

  const result = cliBuild(file, out);
  assert.equal(result.status, 1);
  assert.ok(result.stderr.includes(`${file}:2:`), `the report names line 2: ${result.stderr}`);
  assert.match(result.stderr, /javascript:alert\(1\)/);
  assert.equal(existsSync(out), false, 'nothing was written');
});

/** Whatever the markup tried, nothing of it became an element or ran. */
async function assertInert(page) {
  const elements = await page.evaluate(
    () => document.querySelector('qidiruv-search').shadowRoot.querySelectorAll('img,script,b').length,
  );
  assert.equal(elements, 0, 'no img, script or b element inside the widget');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected code ran');
}

const CASES = [
  { query: 'img', literal: IMG, url: '/x/1/' },
  { query: 'script', literal: SCRIPT, url: '/x/2/' },
];

for (const { query, literal, url } of CASES) {
  test(`markup in an indexed title is shown as text (“${query}”)`, async (t) => {
    const page = await openPage(env, t, '/page/');
    const box = await activate(page);
    await box.pressSequentially(query);
    const { widget } = await waitForAnswer(page, query, 'en', { index: indexDir });

    const option = widget.options.find((o) => o.href === url);
    assert.ok(option, `a result links to ${url}`);
    assert.ok(option.title.includes(literal), `title shows ${literal} literally: ${option.title}`);
    assert.ok(option.marks.some((m) => m.toLowerCase() === query), 'the match inside the markup is highlighted');
    await assertInert(page);
  });
}

test('markup in an indexed body is shown as text in the excerpt', async (t) => {
  const page = await openPage(env, t, '/page/');
  const box = await activate(page);
  await box.pressSequentially('bold');
  const { widget } = await waitForAnswer(page, 'bold', 'en', { index: indexDir });

  assert.equal(widget.options.length, 2);
  for (const option of widget.options) {
    assert.ok(option.excerpt.includes(BOLD), `excerpt of ${option.href} shows ${BOLD}: ${option.excerpt}`);
  }
  const img = widget.options.find((o) => o.href === '/x/1/');
  assert.ok(img.excerpt.includes(IMG), `excerpt shows ${IMG}: ${img.excerpt}`);
  await assertInert(page);
  // An <img src=x> that had become an element would have asked the server for it.
  assert.ok(!env.server.requests.some((p) => p.endsWith('/x')), 'nothing requested the img’s src');
  assert.equal((await readWidget(page)).options.length, 2);
});

// The indexer never writes such an index: this one is forged, as another
// tool or someone with write access to the site could publish it, its
// store slots checksummed (and seeded) as the builder writes them.
test('a forged index\'s script urls make no link, no url in qidiruv-select and no navigation, by Enter or click', async (t) => {
  const page = await openPage(env, t, '/page/forged.html');
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    return dialog.dismiss();
  });
  const navigations = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
  await page.evaluate(() => {
    window.__selected = [];
    document.addEventListener('qidiruv-select', (e) => window.__selected.push(e.detail));
  });
  const selected = () => page.evaluate(() => window.__selected);

  const box = await activate(page);
  await box.fill('zanzibar');
  const answer = cliSearch('zanzibar', { index: forgedDir, preferLang: 'en' });
  assert.equal(answer.results.length, SCRIPT_URLS.length + 1, 'every forged article is a result');
  const widget = await waitUntil(
    () => readWidget(page),
    (w) => w.options.length === answer.results.length && w.options.every((o, i) => o.title === answer.results[i].title),
    'the forged index\'s results are listed',
  );
  const hostile = answer.results.flatMap((r, i) => (r.url === SAFE_URL ? [] : [i]));
  assert.deepEqual(hostile.map((i) => answer.results[i].url).sort(), [...SCRIPT_URLS].sort());
  for (const i of hostile) {
    const option = widget.options[i];
    assert.deepEqual([option.tag, option.href], ['div', null], `${JSON.stringify(answer.results[i].url)} is no link`);
  }
  const safe = widget.options.find((o) => o.title === 'Safe link');
  assert.deepEqual([safe.tag, safe.href], ['a', SAFE_URL], 'a good url in the same index is a link');
  assert.deepEqual(safe.also, [], 'its translation at a script url is not offered');

  // What qidiruv-select reports for result i: everything but the url, which is null.
  const detail = (i) => {
    const r = answer.results[i];
    return { id: r.id, url: null, title: r.title, lang: r.lang, date: r.date, query: 'zanzibar', position: i + 1 };
  };
  // Enter on each: ↓ moves from result to result; the list stays open, as the widget navigates nowhere.
  for (let i = 0; i <= Math.max(...hostile); i++) {
    await page.keyboard.press('ArrowDown');
    await waitUntil(() => readWidget(page), (w) => w.options[i].selected === 'true', `result ${i + 1} is active`);
    if (!hostile.includes(i)) continue;
    const before = (await selected()).length;
    await page.keyboard.press('Enter');
    const events = await waitUntil(selected, (list) => list.length === before + 1, `Enter on result ${i + 1} was reported`);
    assert.deepEqual(events.at(-1), detail(i));
  }
  for (const i of hostile) {
    const before = (await selected()).length;
    await page.locator('qidiruv-search .result[role=option]').nth(i).click();
    const events = await waitUntil(selected, (list) => list.length === before + 1, `a click on result ${i + 1} was reported`);
    assert.deepEqual(events.at(-1), detail(i));
  }
  await page.waitForTimeout(500); // a navigation or script the choices set off would have happened by now
  assert.deepEqual(dialogs, [], 'no script ran');
  assert.deepEqual(navigations, [], 'the page never navigated');
  assert.equal(new URL(page.url()).pathname, '/page/forged.html');
});
