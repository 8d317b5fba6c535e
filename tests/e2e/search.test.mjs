// Search as you type, and the widget answering exactly like the CLI.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, demoArticles, openPage, searchBox, setUp, waitForAnswer } from './harness.mjs';

const env = setUp();

const lastWord = (query) => query.trim().split(/\s+/).pop().toLowerCase();

// The engine matches Latin queries against both scripts (one Latin key
// space), so a highlighted Cyrillic word is compared in Latin letters.
const CYRILLIC = {
  а: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'j', з: 'z', и: 'i', й: 'y', к: 'k',
  қ: 'q', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'o', ф: 'f', х: 'x',
  ҳ: 'h', ц: 's', ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
const inLatin = (word) => [...word.toLowerCase()].map((c) => CYRILLIC[c] ?? c).join('');

test('typing shows matching results after each keystroke', async (t) => {
  const typed = 'border secur';
  const target = demoArticles().find((a) => a.lang === 'en' && /border security/i.test(a.title));
  assert.ok(target, 'the demo corpus has an English article about border security');

  const page = await openPage(env, t, '/en/');
  const box = await activate(page);

  for (let i = 1; i <= typed.length; i++) {
    await box.pressSequentially(typed[i - 1], { delay: 60 });
    if (i < 3) continue;
    const query = typed.slice(0, i);
    const { widget } = await waitForAnswer(page, query, 'en');
    assert.ok(widget.options.length > 0, `results for ${JSON.stringify(query)}`);
    const prefix = lastWord(query);
    for (const option of widget.options) {
      assert.ok(
        option.marks.some((m) => inLatin(m).startsWith(prefix)),
        `after ${JSON.stringify(query)}, ${option.href} highlights a word starting with "${prefix}" ` +
          `(marks: ${JSON.stringify(option.marks)})`,
      );
    }
  }

  const { widget } = await waitForAnswer(page, typed, 'en');
  assert.match(widget.options[0].title, /border security/i);
  assert.ok(
    widget.options[0].href.endsWith(target.url),
    `first result ${widget.options[0].href} links to ${target.url}`,
  );
});

// One query per script and language, typed on that language's page.
const CLI_QUERIES = [
  { page: '/en/', lang: 'en', query: 'Mirziyoyev' },
  { page: '/en/', lang: 'en', query: 'visa' },
  { page: '/ru/', lang: 'ru', query: 'Саидов' },
  { page: '/uz/', lang: 'uz-Latn', query: "O'zbekiston" },
  { page: '/oz/', lang: 'uz-Cyrl', query: 'Тошкент' },
];

for (const { page: path, lang, query } of CLI_QUERIES) {
  test(`the widget ranks "${query}" exactly like the CLI`, async (t) => {
    const page = await openPage(env, t, path);
    const box = await activate(page);
    await box.pressSequentially(query);

    // Waits until the status, links and excerpts match the CLI's answer…
    const { widget, answer } = await waitForAnswer(page, query, lang);
    assert.ok(answer.results.length > 0, `the CLI finds "${query}"`);
    // …and then spells out what "match" means.
    assert.deepEqual(
      widget.options.map((o) => o.href),
      answer.results.map((r) => r.url),
    );
    assert.deepEqual(
      widget.options.map((o) => o.title),
      answer.results.map((r) => r.title.replace(/\s+/g, ' ').trim()),
    );
    assert.deepEqual(
      widget.options.map((o) => o.datetime),
      answer.results.map((r) => r.date),
    );
  });
}

test('text typed while the widget is still loading is kept and searched', async (t) => {
  const page = await openPage(env, t, '/en/');
  // Type straight into the loader's plain box: the wasm loads meanwhile.
  await searchBox(page).pressSequentially('saidov');
  const { widget } = await waitForAnswer(page, 'saidov', 'en');
  assert.equal(widget.value, 'saidov', 'no keystroke was lost');
  assert.equal(widget.attrs.role, 'combobox', 'the wasm widget took over the box');
  assert.ok(widget.options.length > 0);
});

test('a quoted phrase counts every story holding it, however few are shown', async (t) => {
  // The oracle is the corpus itself: stories (an article and its
  // translations) with the two words side by side, against those with both.
  const stories = (re) =>
    new Set(demoArticles().filter((a) => re.test(`${a.title}\n${a.body}`)).map((a) => a.translation_of || a.id));
  const together = stories(/\bforeign\s+ministers?\b/i);
  const both = stories(/^(?=[\s\S]*\bforeign\b)(?=[\s\S]*\bministers?\b)/i);
  assert.ok(together.size >= 2 && both.size > together.size, `${together.size} stories with the phrase, ${both.size} with both words`);

  const page = await openPage(env, t, '/en/');
  const answers = await page.evaluate(async () => {
    const { search } = await import('/qidiruv/qidiruv.js');
    return [await search('"foreign minister"', { limit: 1 }), await search('foreign minister ', { limit: 1 })];
  });
  const [phrase, words] = answers;
  assert.equal(phrase.results.length, 1);
  assert.equal(phrase.total, together.size, 'every story with the phrase is counted, not only those loaded');
  assert.ok(words.total >= both.size, `unquoted, the words may stand apart: ${words.total}`);
  // And the box shows what the CLI does.
  const box = await activate(page);
  await box.fill('"foreign minister"');
  await waitForAnswer(page, '"foreign minister"', 'en');
});
