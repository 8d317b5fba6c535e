// The box is a WAI-ARIA combobox: its attributes follow the list, and the
// keyboard alone can pick and follow a result.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WAIT_MS, activate, openPage, readWidget, setUp, tabTo, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();
const QUERY = 'Tashkent'; // more stories than the 8 shown, so Show more is there

/** The English page with results for QUERY open; returns the page, box and what it shows. */
async function withResults(t) {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await box.pressSequentially(QUERY);
  const { widget } = await waitForAnswer(page, QUERY, 'en');
  assert.ok(widget.options.length >= 2, 'at least two results to move between');
  return { page, box, widget };
}

/** Presses `key` and waits until the widget's state satisfies `ok`. */
async function press(page, key, ok, what, timeout = WAIT_MS) {
  await page.keyboard.press(key);
  return waitUntil(() => readWidget(page), ok, `after ${key}: ${what}`, timeout);
}

const selected = (w) => w.options.map((o) => o.selected);

test('the box is a combobox whose aria-expanded follows the result list', async (t) => {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  const before = await readWidget(page);
  assert.equal(before.attrs.role, 'combobox');
  assert.equal(before.attrs['aria-expanded'], 'false');
  assert.ok(before.listboxId, 'the listbox has an id');
  assert.equal(before.attrs['aria-controls'], before.listboxId);
  assert.equal(before.attrs['aria-activedescendant'], undefined);

  await box.pressSequentially(QUERY);
  const { widget } = await waitForAnswer(page, QUERY, 'en');
  assert.equal(widget.attrs['aria-expanded'], 'true');
  assert.equal(widget.attrs['aria-controls'], widget.listboxId);
  assert.ok(widget.panelVisible, 'the result panel is shown');
  assert.ok(widget.options.every((o) => o.selected === 'false'), 'no option is selected before arrowing');
});

test('arrow keys move the selected option and Escape closes the list', async (t) => {
  const { page } = await withResults(t);

  let w = await press(page, 'ArrowDown', (w) => w.options[0].selected === 'true', 'first option selected');
  assert.deepEqual(selected(w), w.options.map((_, i) => String(i === 0)));
  assert.equal(w.attrs['aria-activedescendant'], w.options[0].id);

  w = await press(page, 'ArrowDown', (w) => w.options[1].selected === 'true', 'second option selected');
  assert.deepEqual(selected(w), w.options.map((_, i) => String(i === 1)));
  assert.equal(w.attrs['aria-activedescendant'], w.options[1].id);

  w = await press(page, 'ArrowUp', (w) => w.options[0].selected === 'true', 'back to the first option');
  assert.deepEqual(selected(w), w.options.map((_, i) => String(i === 0)));
  assert.equal(w.attrs['aria-activedescendant'], w.options[0].id);

  w = await press(page, 'Escape', (w) => w.attrs['aria-expanded'] === 'false', 'list closed');
  assert.equal(w.attrs['aria-activedescendant'], undefined);
  assert.equal(w.panelVisible, false, 'the result panel is hidden');
  assert.equal(w.value, QUERY, 'the first Escape keeps the query');
});

test('ArrowDown then Enter opens the first result’s article', async (t) => {
  const { page, widget } = await withResults(t);
  const first = widget.options[0];

  await press(page, 'ArrowDown', (w) => w.options[0].selected === 'true', 'first option selected');
  await Promise.all([page.waitForURL((url) => url.pathname === first.href, { timeout: WAIT_MS }), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, first.href);
  assert.equal((await page.locator('h1').textContent()).trim(), first.title);
});

test(
  'after Escape, ArrowDown reopens the list and Enter opens the first result',
  async (t) => {
    const { page, widget } = await withResults(t);
    await press(page, 'Escape', (w) => w.attrs['aria-expanded'] === 'false', 'list closed');
    await press(page, 'ArrowDown', (w) => w.attrs['aria-expanded'] === 'true', 'list reopened', 2000);
    await Promise.all([page.waitForURL((url) => url.pathname === widget.options[0].href, { timeout: WAIT_MS }), page.keyboard.press('Enter')]);
  },
);

test(
  'moving focus away from the widget closes the list',
  async (t) => {
    const { page, widget } = await withResults(t);
    assert.ok(widget.showMore, 'more results than shown: Show more is the next Tab stop');
    const passed = await tabTo(page, 'more');
    assert.ok(passed.every((c) => /chip|^$/.test(c ?? '')), `Tab passes only the filters: ${passed}`);
    assert.equal((await readWidget(page)).attrs['aria-expanded'], 'true', 'Tab through the filters to Show more keeps the list');
    await page.keyboard.press('Tab');
    await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'false' && !w.panelVisible,
      'the list closed after Tab left the widget', 2000);
  },
);
