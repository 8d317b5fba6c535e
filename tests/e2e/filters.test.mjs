// Filters: toggle buttons per language with the facet counts, and a year
// menu. Choosing one searches again, as the CLI does with --lang / --from / --to.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGE_NAMES, activate, cliSearch, openPage, readWidget, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();
const QUERY = 'saidov';

/**
 * The language buttons the widget should offer for an unfiltered CLI answer: All, then each
 * language with its count. A story matching in several languages counts in each, and once in All.
 */
function expectedChips(answer, ui, pressed) {
  return [
    { text: `All languages ${answer.total}`, pressed: String(pressed === null) },
    ...Object.entries(answer.languages).map(([tag, n]) => ({
      text: `${LANGUAGE_NAMES[tag][ui]} ${n}`,
      pressed: String(pressed === tag),
    })),
  ];
}

async function withResults(t) {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await box.pressSequentially(QUERY);
  const { widget, answer } = await waitForAnswer(page, QUERY, 'en');
  return { page, widget, answer };
}

test('the language filter shows the counts and narrows the results to one language', async (t) => {
  const { page, widget, answer } = await withResults(t);
  assert.ok(Object.keys(answer.languages).length > 1, 'the query matches in several languages');
  assert.deepEqual(widget.filters.languages, expectedChips(answer, 'en', null));

  await page.locator('qidiruv-search .chip', { hasText: LANGUAGE_NAMES.ru.en }).click();
  const { widget: ru, answer: ruAnswer } = await waitForAnswer(page, QUERY, 'en', { filter: { lang: 'ru' } });
  assert.ok(ru.options.length > 0 && ruAnswer.results.every((r) => r.lang === 'ru'), 'only Russian results');
  assert.deepEqual(ru.filters.languages, expectedChips(answer, 'en', 'ru'), 'counts stay; Russian is pressed');
  assert.equal(ru.attrs['aria-expanded'], 'true', 'the list stays open');

  // The filter holds for the next query, and "All languages" lifts it.
  const box = page.locator('qidiruv-search [role=combobox]');
  await box.fill('');
  await box.pressSequentially('visa');
  await waitForAnswer(page, 'visa', 'en', { filter: { lang: 'ru' } });
  await page.locator('qidiruv-search .chip', { hasText: 'All languages' }).click();
  await waitForAnswer(page, 'visa', 'en');
});

test('the language filter works from the keyboard', async (t) => {
  const { page } = await withResults(t);
  await page.keyboard.press('Tab');
  const focused = () => page.evaluate(() => document.querySelector('qidiruv-search').shadowRoot.activeElement?.textContent);
  assert.match(await focused(), /^All languages/, 'Tab from the box reaches the filters');
  await page.keyboard.press('Tab');
  const name = (await focused()).replace(/ \d+$/, '');
  const tag = Object.keys(LANGUAGE_NAMES).find((t) => LANGUAGE_NAMES[t].en === name);
  await page.keyboard.press('Space');
  const { widget } = await waitForAnswer(page, QUERY, 'en', { filter: { lang: tag } });
  assert.equal(widget.filters.languages[1].pressed, 'true');
  assert.match(await focused(), new RegExp(`^${name}`), 'focus stays on the button');

  await page.keyboard.press('Escape');
  const w = await waitUntil(() => readWidget(page), (w) => w.focused && w.attrs['aria-expanded'] === 'false', 'Escape closes');
  assert.ok(!w.panelVisible);
});

test('the year menu narrows the results to one year', async (t) => {
  const { page, widget, answer } = await withResults(t);
  const years = Object.entries(answer.years).sort(([a], [b]) => b - a);
  assert.ok(years.length > 1, 'the query matches in several years');
  assert.deepEqual(widget.filters.years, ['All years', ...years.map(([y, n]) => `${y} (${n})`)]);
  const [year] = years.at(-1);
  await page.locator('qidiruv-search .filters select').selectOption(year);
  const filter = { from: `${year}-01-01`, to: `${year}-12-31` };
  const { widget: shown, answer: narrowed } = await waitForAnswer(page, QUERY, 'en', { filter });
  assert.ok(narrowed.results.every((r) => r.date?.startsWith(year)), `only ${year}`);
  assert.equal(shown.filters.year, year);
  assert.equal(narrowed.total, answer.years[year]);
  assert.ok(cliSearch(QUERY, { preferLang: 'en' }).total > narrowed.total);
});
