// "Show more" below the list adds the `results` step to the shown results
// while more exist, without breaking the combobox: it is outside the
// listbox, Tab reaches it, and activating it keeps focus in the box.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { UI, activate, cliSearch, makeTemp, openPage, readWidget, rmTemp, setUp, tabTo, testPage, waitForAnswer, waitUntil } from './harness.mjs';

const STEP = 3;
const QUERY = 'Tashkent'; // 11 stories: three clicks of Show more
const LANGS = [
  ['en', 'saidov'],
  ['ru', 'Саидов'],
  ['uz-Latn', 'Toshkentda'],
  ['uz-Cyrl', 'Тошкентда'],
];

const pages = makeTemp();
after(() => rmTemp(pages));
for (const [lang] of LANGS) {
  writeFileSync(path.join(pages, `${lang}.html`), testPage({ index: '/search/', lang, attrs: `results="${STEP}"` }));
}
const env = setUp({ mounts: { '/pages/': pages } });

/** The English test page with the first STEP results for QUERY shown. */
async function withResults(t) {
  const page = await openPage(env, t, '/pages/en.html');
  const box = await activate(page);
  await box.pressSequentially(QUERY);
  const { widget } = await waitForAnswer(page, QUERY, 'en', { limit: STEP });
  return { page, box, widget };
}

const all = cliSearch(QUERY, { preferLang: 'en', limit: 100 });

test('Show more adds the step until every result is shown', async (t) => {
  const { page, widget } = await withResults(t);
  assert.ok(all.total + all.related > 3 * STEP, 'enough results to click through');
  assert.equal(widget.options.length, STEP);
  assert.equal(widget.showMore, UI.en.showMore);
  const outside = await page.evaluate(() => {
    const button = document.querySelector('qidiruv-search').shadowRoot.querySelector('button.more');
    return button.closest('[role=listbox]') === null && button.closest('.panel') !== null;
  });
  assert.ok(outside, 'the button is in the panel, outside the listbox');
  await page.evaluate(() => {
    window.__queries = [];
    document.addEventListener('qidiruv-query', (e) => window.__queries.push(e.detail.query));
  });

  let shown = STEP;
  while (shown < all.total + all.related) {
    await page.locator('qidiruv-search button.more').click();
    const before = shown;
    shown = Math.min(shown + STEP, all.total + all.related);
    const { widget } = await waitForAnswer(page, QUERY, 'en', { limit: before + STEP });
    assert.equal(widget.options.length, shown);
    assert.ok(widget.focused, 'focus is back in the box');
    assert.equal(widget.attrs['aria-expanded'], 'true');
    assert.equal(widget.attrs['aria-activedescendant'], widget.options[before].id, 'the first new result is active');
    assert.equal(widget.showMore, shown < all.total + all.related ? UI.en.showMore : null);
  }
  assert.deepEqual(await page.evaluate(() => window.__queries), [], 'showing more is not a new query');
});

test('Tab reaches Show more; Enter on it keeps the combobox working; Escape there closes the list', async (t) => {
  const { page } = await withResults(t);
  const inShadow = () => page.evaluate(() => document.querySelector('qidiruv-search').shadowRoot.activeElement?.className);

  await tabTo(page, 'more');
  assert.equal(await inShadow(), 'more', 'Tab from the box reaches the button, after the filters');
  let w = await readWidget(page);
  assert.equal(w.attrs['aria-expanded'], 'true', 'the list stays open');

  await page.keyboard.press('Enter');
  w = await waitUntil(() => readWidget(page), (w) => w.options.length === 2 * STEP && w.focused, 'more results, focus in the box');
  assert.equal(w.attrs['aria-activedescendant'], w.options[STEP].id);
  await page.keyboard.press('ArrowDown');
  w = await waitUntil(() => readWidget(page), (w) => w.options[STEP + 1]?.selected === 'true', 'ArrowDown moves on');
  assert.equal(w.attrs['aria-activedescendant'], w.options[STEP + 1].id);
  const visible = await page.evaluate((id) => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    const [panel, option] = [root.querySelector('.panel'), root.getElementById(id)].map((e) => e.getBoundingClientRect());
    return option.top >= panel.top && option.bottom <= panel.bottom;
  }, w.options[STEP + 1].id);
  assert.ok(visible, 'the active option is scrolled into view');

  await tabTo(page, 'more');
  await page.keyboard.press('Escape');
  w = await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'false' && !w.panelVisible, 'closed');
  assert.ok(w.focused, 'Escape on the button returns to the box');

  await page.keyboard.press('ArrowDown');
  await tabTo(page, 'more');
  await page.keyboard.press('Tab');
  await waitUntil(() => readWidget(page), (w) => !w.panelVisible && !w.focused, 'Tab past it leaves the widget and closes the list');
});

for (const [lang, query] of LANGS) {
  test(`the Show more button speaks ${lang}`, async (t) => {
    const page = await openPage(env, t, `/pages/${lang}.html`);
    const box = await activate(page);
    await box.pressSequentially(query);
    const { widget, answer } = await waitForAnswer(page, query, lang, { limit: STEP });
    assert.ok(answer.total + answer.related > STEP, `more than ${STEP} results for ${query}`);
    assert.equal(widget.showMore, UI[lang].showMore);
  });
}
