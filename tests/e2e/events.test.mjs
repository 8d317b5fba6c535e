// The element tells the page what happens: `qidiruv-query` once results for
// a query are shown, `qidiruv-select` when a visitor chooses one (which the
// page may cancel to navigate itself).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WAIT_MS, activate, cliSearch, openPage, readWidget, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();

/** Records the element's events in window.__events, each with how it travelled. */
function recordEvents(page, { cancelSelect = false } = {}) {
  return page.evaluate((cancel) => {
    window.__events = [];
    for (const type of ['qidiruv-query', 'qidiruv-select']) {
      // On the document: the events bubble out of the element.
      document.addEventListener(type, (e) => {
        window.__events.push({
          type,
          detail: e.detail,
          target: e.target.tagName.toLowerCase(),
          bubbles: e.bubbles,
          composed: e.composed,
          cancelable: e.cancelable,
        });
        if (cancel && type === 'qidiruv-select') e.preventDefault();
      });
    }
  }, cancelSelect);
}

const events = (page, type) => page.evaluate((type) => window.__events.filter((e) => e.type === type), type);

test('qidiruv-query fires once per shown query, never for a query overtaken by the next keystroke', async (t) => {
  const page = await openPage(env, t, '/en/');
  // A slow document table: every keystroke of "visa" is typed before any search can run.
  await page.route(/\/search\/docs\.[0-9a-f]+\.bin$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await recordEvents(page);
  const box = await activate(page);
  await box.pressSequentially('visa');
  await waitForAnswer(page, 'visa', 'en');
  await page.waitForTimeout(300); // a late event for "v", "vi" or "vis" would show up now

  const visa = cliSearch('visa', { preferLang: 'en' });
  assert.deepEqual(await events(page, 'qidiruv-query'), [
    { type: 'qidiruv-query', detail: { query: 'visa', total: visa.total }, target: 'qidiruv-search', bubbles: true, composed: true, cancelable: false },
  ]);

  await box.press('Backspace');
  await waitForAnswer(page, 'vis', 'en');
  const details = await waitUntil(() => events(page, 'qidiruv-query'), (list) => list.length === 2, 'a second event');
  assert.deepEqual(details[1].detail, { query: 'vis', total: cliSearch('vis', { preferLang: 'en' }).total });
});

/** The detail `qidiruv-select` must carry for the CLI's result at `index`. */
function selectDetail(query, index) {
  const r = cliSearch(query, { preferLang: 'en' }).results[index];
  return { id: r.id, url: r.url, title: r.title, lang: r.lang, date: r.date, query, position: index + 1 };
}

test('qidiruv-select reports a clicked result; preventDefault() keeps the visitor on the page', async (t) => {
  const page = await openPage(env, t, '/en/');
  await recordEvents(page, { cancelSelect: true });
  const box = await activate(page);
  await box.pressSequentially('saidov');
  await waitForAnswer(page, 'saidov', 'en');

  await page.locator('qidiruv-search .result[role=option]').nth(1).click();
  const [event] = await waitUntil(() => events(page, 'qidiruv-select'), (list) => list.length === 1, 'one select event');
  assert.deepEqual(event.detail, selectDetail('saidov', 1));
  assert.deepEqual([event.bubbles, event.composed, event.cancelable], [true, true, true]);
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).pathname, '/en/', 'the cancelled click did not navigate');
  assert.equal((await readWidget(page)).attrs['aria-expanded'], 'false', 'the list closed on the choice');
});

test('qidiruv-select reports a result chosen with Enter; preventDefault() stops the navigation', async (t) => {
  const page = await openPage(env, t, '/en/');
  await recordEvents(page, { cancelSelect: true });
  const box = await activate(page);
  await box.pressSequentially('saidov');
  await waitForAnswer(page, 'saidov', 'en');

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await waitUntil(() => readWidget(page), (w) => w.options[1].selected === 'true', 'second option active');
  await page.keyboard.press('Enter');
  const [event] = await waitUntil(() => events(page, 'qidiruv-select'), (list) => list.length === 1, 'one select event');
  assert.deepEqual(event.detail, selectDetail('saidov', 1));
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).pathname, '/en/', 'the cancelled Enter did not navigate');
});

test('without preventDefault() the chosen result opens, after the event', async (t) => {
  const page = await openPage(env, t, '/en/');
  const seen = [];
  await page.exposeFunction('reportSelect', (detail) => seen.push(detail));
  await page.evaluate(() => document.querySelector('qidiruv-search')
    .addEventListener('qidiruv-select', (e) => window.reportSelect(e.detail)));
  const box = await activate(page);
  await box.pressSequentially('saidov');
  const { widget } = await waitForAnswer(page, 'saidov', 'en');

  await Promise.all([
    page.waitForURL((url) => url.pathname === widget.options[0].href, { timeout: WAIT_MS }),
    page.locator('qidiruv-search .result[role=option]').first().click(),
  ]);
  await waitUntil(() => seen.length, (n) => n === 1, 'the event reached the page before it left');
  assert.deepEqual(seen[0], selectDetail('saidov', 0));
});
