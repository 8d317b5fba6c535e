// "Also in: …" under a result: its translations, as the CLI lists them,
// named in the UI language, reachable with → and ← from the active result.
// A story is one result, in the page's language, however many versions match.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGE_NAMES, activate, openPage, readWidget, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();

const ALSO_IN = { en: 'Also in:', ru: 'Также на языках:' };
const ALL_LANGUAGES = { en: 'All languages', ru: 'Все языки' };

for (const [lang, url, query] of [['en', '/en/', 'saidov'], ['ru', '/ru/', 'Саидов']]) {
  test(`results on ${url} link their translations, named in ${lang}`, async (t) => {
    const page = await openPage(env, t, url);
    const box = await activate(page);
    await box.pressSequentially(query);
    const { widget, answer } = await waitForAnswer(page, query, lang);
    assert.ok(answer.results.some((r) => Object.keys(r.translations).length > 0), 'some result has translations');
    answer.results.forEach((r, i) => {
      const expected = Object.entries(r.translations).map(([tag, href]) => ({
        href,
        hreflang: tag,
        text: LANGUAGE_NAMES[tag][lang],
        label: `${ALSO_IN[lang]} ${LANGUAGE_NAMES[tag][lang]}`,
      }));
      const shown = widget.options[i].also.map(({ href, hreflang, text, label }) => ({ href, hreflang, text, label }));
      assert.deepEqual(shown, expected, `translations of ${r.url}`);
    });
  });
}

const BRUSSELS = /\/news\/2024\/02\/15\/saidov-br/; // the story's four versions, and only they

for (const [lang, url, query, filter] of [['en', '/en/', 'saidov brussels', 'ru'], ['ru', '/ru/', 'Саидов Брюссель', 'uz-Latn']]) {
  test(`a story matching in four languages is one result on ${url}, its other versions "Also in"`, async (t) => {
    const page = await openPage(env, t, url);
    const box = await activate(page);
    await box.pressSequentially(query);
    const { widget, answer } = await waitForAnswer(page, query, lang);
    const story = widget.options.filter((o) => BRUSSELS.test(o.href));
    assert.deepEqual(story.map((o) => o.href), [`/${lang}/news/2024/02/15/saidov-brussels-eu-talks/`], 'once, in the page’s language');
    assert.equal(widget.options[0].href, story[0].href, 'and first');
    const others = Object.keys(LANGUAGE_NAMES).filter((tag) => tag !== lang).sort();
    assert.deepEqual(story[0].also.map((a) => a.hreflang), others);
    assert.ok(story[0].also.every((a) => BRUSSELS.test(a.href)));
    // Counted once: in all, and in each language it matches in; the answer says so.
    assert.equal(answer.grouped, 'story');
    assert.equal(answer.total, 1);
    const chips = widget.filters.languages.map((chip) => chip.text);
    assert.deepEqual(chips, [`${ALL_LANGUAGES[lang]} 1`, ...others.concat(lang).sort().map((tag) => `${LANGUAGE_NAMES[tag][lang]} 1`)]);

    // Choosing another language shows the story in that language, once, first.
    await page.locator('qidiruv-search .chip', { hasText: LANGUAGE_NAMES[filter][lang] }).click();
    const { widget: narrowed, answer: only } = await waitForAnswer(page, query, lang, { filter: { lang: filter } });
    const versions = narrowed.options.filter((o) => BRUSSELS.test(o.href)).map((o) => o.href);
    assert.deepEqual(versions, [only.results[0].url]);
    assert.equal(only.results[0].lang, filter);
  });
}

test('→ and ← move between a result and its translations; Enter opens the translation', async (t) => {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await box.pressSequentially('saidov');
  const { widget, answer } = await waitForAnswer(page, 'saidov', 'en');
  const first = widget.options[0];
  assert.ok(first.also.length >= 2, `the first result has two translations or more: ${JSON.stringify(first.also)}`);

  const press = async (key, ok, what) => {
    await page.keyboard.press(key);
    return waitUntil(() => readWidget(page), ok, what);
  };
  await press('ArrowDown', (w) => w.attrs['aria-activedescendant'] === first.id, 'first result active');
  let w = await press('ArrowRight', (w) => w.attrs['aria-activedescendant'] === first.also[0].id, '→: first translation');
  assert.equal(w.options[0].also[0].selected, 'true');
  assert.equal(w.options[0].selected, 'false', 'the result itself is no longer the selected option');
  await press('ArrowRight', (w) => w.attrs['aria-activedescendant'] === first.also[1].id, '→: second translation');
  await press('ArrowLeft', (w) => w.attrs['aria-activedescendant'] === first.also[0].id, '←: back one');
  await press('ArrowLeft', (w) => w.attrs['aria-activedescendant'] === first.id, '←: the result again');
  await press('ArrowRight', (w) => w.attrs['aria-activedescendant'] === first.also[0].id, '→ again');
  w = await press('ArrowDown', (w) => w.attrs['aria-activedescendant'] === widget.options[1].id, '↓: next result');
  assert.ok(w.options[1].also.every((a) => a.selected === 'false'), 'no translation of the next result is selected');

  await press('ArrowUp', (w) => w.attrs['aria-activedescendant'] === first.id, '↑: first result');
  await press('ArrowRight', (w) => w.attrs['aria-activedescendant'] === first.also[0].id, '→');
  await Promise.all([page.waitForURL((u) => u.pathname === first.also[0].href), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, Object.values(answer.results[0].translations)[0]);
});

test('clicking a translation link opens it', async (t) => {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await box.pressSequentially('saidov');
  const { widget } = await waitForAnswer(page, 'saidov', 'en');
  const target = widget.options[0].also.at(-1);
  await Promise.all([
    page.waitForURL((u) => u.pathname === target.href),
    page.locator(`qidiruv-search [id="${target.id}"]`).click(),
  ]);
});
