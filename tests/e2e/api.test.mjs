// search() for scripts: the engine without the UI, answering like
// `qidiruv search --json` (highlights in UTF-16 offsets), with or without
// a <qidiruv-search> on the page.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { cliBuild, cliSearch, makeTemp, openPage, rmTemp, setUp, testPage } from './harness.mjs';

const temp = makeTemp();
after(() => rmTemp(temp));
const pages = path.join(temp, 'pages');
const emojiIndex = path.join(temp, 'emoji');

// Astral characters (emoji) before the matches: one character, two UTF-16 units.
const EMOJI_ARTICLE = {
  id: 'emoji',
  url: '/emoji/1/',
  lang: 'en',
  title: '🇺🇿 Visa news 🛂',
  date: '2025-03-04',
  body: 'The 🇺🇿 delegation 🤝 signed the visa agreement 😀 in Tashkent; 𝔞 new visa regime starts in May.',
};

// Spellings the CLI folds with unicode-normalization and the browser with
// String.prototype.normalize: decomposed letters, marks out of canonical
// order, every oʻ apostrophe, ё.
const FOLDING_ARTICLES = [
  { id: 'uz', lang: 'uz-Latn', title: 'O‘zbekiston va Bogota\u0301', body: 'Oʻzbekiston delegatsiyasi Bogota\u0301 shahrida, ma’no va Şavkat.' },
  { id: 'cyrl', lang: 'uz-Cyrl', title: 'И\u0306ўл харитаси', body: 'Ўзбекистон йўллари ва Мирзиёев ташаббуси.' },
  { id: 'ru', lang: 'ru', title: 'Е\u0308лка в Ташкенте', body: 'Новогодняя ёлка и Ha\u0300 No\u0302\u0323i.' },
  { id: 'en', lang: 'en', title: 'Hà Nội café talks', body: 'Delegates met in Hà Nội over cafe\u0301 and Ǿresund plans.' },
].map((a, i) => ({ ...a, url: `/folding/${a.id}/`, date: `2025-01-0${i + 1}` }));
const FOLDING_QUERIES = [
  "O'zbekiston", 'Oʻzbekiston', 'O‘zbekiston', 'O`zbekiston', 'Ozbekiston', 'mano', 'Shavkat',
  'Bogotá', 'Bogota\u0301', 'bogota', 'Йўл', 'И\u0306ўл', 'yol', 'ёлка', 'Е\u0308лка', 'елка',
  'Hà Nội', 'Ha\u0300 No\u0323\u0302i', 'ha noi', 'café', 'ǿresund', '\u00F8\u0301resund',
];
const foldingIndex = path.join(temp, 'folding');

const env = setUp(() => {
  mkdirSync(pages);
  writeFileSync(path.join(temp, 'folding.jsonl'), FOLDING_ARTICLES.map((a) => JSON.stringify(a)).join('\n') + '\n');
  const folded = cliBuild(path.join(temp, 'folding.jsonl'), foldingIndex);
  assert.equal(folded.status, 0, `building the folding index: ${folded.stderr}`);
  writeFileSync(path.join(pages, 'blank.html'), '<!DOCTYPE html><html lang="en"><title>no widget</title><h1>No widget here</h1>\n');
  writeFileSync(path.join(pages, 'element.html'), testPage({ index: '/search/', lang: 'ru', attrs: 'results="3"' }));
  writeFileSync(path.join(temp, 'emoji.jsonl'), JSON.stringify(EMOJI_ARTICLE) + '\n');
  const built = cliBuild(path.join(temp, 'emoji.jsonl'), emojiIndex);
  assert.equal(built.status, 0, `building the emoji index: ${built.stderr}`);
  return { mounts: { '/pages/': pages, '/emoji-index/': emojiIndex, '/folding-index/': foldingIndex } };
});

/** Runs search(query, options) from the loader module in the page; returns { answer } or { error }. */
function pageSearch(page, query, options) {
  return page.evaluate(
    async ([query, options]) => {
      const { search } = await import('/qidiruv/qidiruv.js');
      try {
        return { answer: await search(query, options) };
      } catch (error) {
        return { error: { isError: error instanceof Error, name: error.name, message: error.message } };
      }
    },
    [query, options],
  );
}

/** `[start, end)` in characters (the CLI's) as UTF-16 offsets into `text`. */
const utf16 = (text, [start, end]) => {
  const chars = [...text];
  return [chars.slice(0, start).join('').length, chars.slice(0, end).join('').length];
};

const pick = (object, keys) => Object.fromEntries(keys.map((k) => [k, object[k]]));
const ANSWER_KEYS = ['query', 'grouped', 'total', 'related', 'partial', 'corrected', 'languages', 'years', 'results'];
const RESULT_KEYS = ['id', 'url', 'title', 'lang', 'date', 'related', 'excerpt', 'highlights', 'translations']; // and score

/** The CLI's answer as search() must give it: UTF-16 highlights; scores compared apart. */
function expected(cli) {
  const results = cli.results.map((r) => ({ ...pick(r, RESULT_KEYS), highlights: r.highlights.map((h) => utf16(r.excerpt, h)) }));
  return { ...pick(cli, ANSWER_KEYS), results };
}

function assertSameAnswer(answer, cli) {
  const { results, ...rest } = answer;
  assert.deepEqual({ ...rest, results: results.map(({ score, ...r }) => r) }, expected(cli));
  results.forEach((r, i) => {
    const want = cli.results[i].score;
    assert.ok(Math.abs(r.score - want) <= 1e-4 * Math.max(1, Math.abs(want)), `score of ${r.url}: ${r.score} vs ${want}`);
  });
}

const pathOf = (url) => new URL(url).pathname;

test('search() answers like `qidiruv search --json`, with no element on the page', async (t) => {
  const page = await openPage(env, t, '/pages/blank.html');
  const { answer, error } = await pageSearch(page, 'visa', { index: '/search/', lang: 'en', limit: 10 });
  assert.equal(error, undefined);
  const cli = cliSearch('visa', { lang: 'en', limit: 10 });
  assert.ok(cli.results.length > 1, 'the CLI finds several English articles');
  assertSameAnswer(answer, cli);
  assert.ok(answer.results.every((r) => r.lang === 'en'), 'lang filters');
  for (const r of answer.results) {
    assert.ok(r.highlights.length > 0, `${r.url} has highlights`);
    for (const [start, end] of r.highlights) assert.match(r.excerpt.slice(start, end), /^visa/i);
  }
  assert.equal(await page.locator('qidiruv-search').count(), 0, 'no widget on the page');

  // A second search reuses the loaded wasm and index.
  const again = await pageSearch(page, 'Mirziyoyev', { limit: 5, preferLang: 'en' });
  assertSameAnswer(again.answer, cliSearch('Mirziyoyev', { limit: 5, preferLang: 'en' }));
  const fetched = (end) => page.log.requests.filter((u) => pathOf(u).endsWith(end)).length;
  assert.equal(fetched('/qidiruv_widget_bg.wasm'), 1, 'the wasm was fetched once');
  assert.equal(fetched('/search/qidiruv.json'), 1, 'the manifest was fetched once');

  // Dates filter; facets count every language and year; translations come along.
  const dated = await pageSearch(page, 'saidov', { from: '2025-01-01', to: '2025-12-31', preferLang: 'en' });
  const cliDated = cliSearch('saidov', { from: '2025-01-01', to: '2025-12-31', preferLang: 'en', limit: 10 });
  assertSameAnswer(dated.answer, cliDated);
  assert.equal(dated.answer.grouped, 'story', 'the answer says a result is a story');
  assert.ok(Object.keys(dated.answer.years).length > 1, 'years counts all years, not only the filtered one');
  assert.ok(dated.answer.results.some((r) => Object.keys(r.translations).length > 0), 'translations are there');
  const bad = await pageSearch(page, 'saidov', { from: '2025-02-30' });
  assert.match(bad.error?.message ?? '', /^qidiruv: .*2025-02-30/);
});

test('search() answers on a page that paints no frames, as a hidden tab', async (t) => {
  // A search waits for the frame after its keystroke; a hidden page has none.
  const page = await openPage(env, t, '/pages/blank.html', {
    init: () => {
      window.requestAnimationFrame = () => 0;
    },
  });
  const { answer, error } = await pageSearch(page, 'visa', { index: '/search/', lang: 'en', limit: 5 });
  assert.equal(error, undefined);
  assertSameAnswer(answer, cliSearch('visa', { lang: 'en', limit: 5 }));
});

test('highlights are UTF-16 offsets, as JavaScript strings index', async (t) => {
  const page = await openPage(env, t, '/pages/blank.html');
  const { answer } = await pageSearch(page, 'visa', { index: '/emoji-index/' });
  const cli = cliSearch('visa', { index: emojiIndex, limit: 10 });
  assertSameAnswer(answer, cli);
  const [result] = answer.results;
  assert.equal(result.highlights.length, 2);
  for (const [start, end] of result.highlights) assert.equal(result.excerpt.slice(start, end), 'visa');
  assert.notDeepEqual(result.highlights, cli.results[0].highlights, 'character offsets would be wrong here');
});

test('the browser folds tricky spellings as the CLI does', async (t) => {
  const page = await openPage(env, t, '/pages/blank.html');
  for (const query of FOLDING_QUERIES) {
    const cli = cliSearch(query, { index: foldingIndex });
    assert.ok(cli.results.length > 0, `the CLI finds ${JSON.stringify(query)}`);
    const { answer, error } = await pageSearch(page, query, { index: '/folding-index/' });
    assert.equal(error, undefined, query);
    assertSameAnswer(answer, cli);
  }
});

test('failures reject with an Error that says what failed', async (t) => {
  const page = await openPage(env, t, '/pages/blank.html');
  const cases = [
    [['visa', { index: '/nowhere/' }], /^qidiruv: http:\/\/127\.0\.0\.1:\d+\/nowhere\/qidiruv\.json: HTTP 404$/],
    [['visa', { lang: 'not a tag!' }], /^qidiruv: unknown lang "not a tag!"/],
    [['visa', { limit: 'ten' }], /^qidiruv: bad search options: .*ten/],
    [[42, {}], /^qidiruv: search\(\) takes the query as a string$/],
  ];
  for (const [[query, options], message] of cases) {
    const { answer, error } = await pageSearch(page, query, options);
    assert.equal(answer, undefined, `search(${JSON.stringify(query)}, ${JSON.stringify(options)}) rejects`);
    assert.ok(error.isError, 'with an Error');
    assert.match(error.message, message);
  }
});

test('a widget that cannot be loaded rejects the promise', async (t) => {
  const page = await openPage(env, t, '/pages/blank.html');
  await page.route('**/qidiruv_widget_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  const { error } = await pageSearch(page, 'visa', {});
  assert.ok(error?.isError, 'an Error');
  assert.match(error.message, /^qidiruv: the search widget could not be loaded: /);

  // The failure is not remembered: once the wasm is back, search() works.
  await page.unroute('**/qidiruv_widget_bg.wasm');
  const { answer } = await pageSearch(page, 'visa', { preferLang: 'en' });
  assertSameAnswer(answer, cliSearch('visa', { preferLang: 'en', limit: 10 }));
});

test('element.search() takes its defaults from the element’s attributes', async (t) => {
  const page = await openPage(env, t, '/pages/element.html');
  const run = (query, options) =>
    page.evaluate(([q, o]) => customElements.whenDefined('qidiruv-search').then(() =>
      document.querySelector('qidiruv-search').search(q, o)), [query, options]);

  // index="/search/" lang="ru" results="3": ranked for Russian pages, three results.
  assertSameAnswer(await run('Саидов'), cliSearch('Саидов', { preferLang: 'ru', limit: 3 }));
  assertSameAnswer(await run('visa', { limit: 1, lang: 'en' }), cliSearch('visa', { preferLang: 'ru', lang: 'en', limit: 1 }));
});
