// Markup inside indexed articles is shown as text and never runs; the
// indexer refuses script urls outright.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { activate, cliBuild, makeTemp, openPage, readWidget, rmTemp, setUp, testPage, waitForAnswer } from './harness.mjs';

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

const jsonl = (records) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const temp = makeTemp();
after(() => rmTemp(temp));
const indexDir = path.join(temp, 'index');
const pageDir = path.join(temp, 'page');

const env = setUp(() => {
  // Runs in `before`, after dist/ and the CLI are known to exist.
  writeFileSync(path.join(temp, 'hostile.jsonl'), jsonl(ARTICLES));
  const built = cliBuild(path.join(temp, 'hostile.jsonl'), indexDir);
  assert.equal(built.status, 0, `building the hostile index: ${built.stderr}`);
  mkdirSync(pageDir);
  writeFileSync(path.join(pageDir, 'index.html'), testPage({ index: '/hostile/', lang: 'en' }));
  return { mounts: { '/hostile/': indexDir, '/page/': pageDir } };
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
