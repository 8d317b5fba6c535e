// Typing while the network is slow: an older keystroke's late answer never
// replaces a newer one's, and a slow part never holds up the box.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, cliSearch, openPage, readWidget, setUp, showsAnswer, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();

const STORE = /\/search\/s\d+-store-[^/]*\.bin$/;

/** Holds every store-slot request made while `gate.closed`; `gate.open()` lets them through. */
async function holdStore(page) {
  const gate = { closed: true, held: [] };
  await page.route(STORE, (route) => (gate.closed ? gate.held.push(route) : route.continue()));
  gate.open = async () => {
    gate.closed = false;
    await Promise.all(gate.held.splice(0).map((route) => route.continue()));
  };
  return gate;
}

test("an older query's slow results never replace a newer query's", async (t) => {
  const [older, newer] = ['saidov', 'visa'];
  const urls = (q) => cliSearch(q, { preferLang: 'en' }).results.map((r) => r.url);
  assert.ok(!urls(older).some((u) => urls(newer).includes(u)), 'the two queries share no result (nor store slot)');

  const page = await openPage(env, t, '/en/');
  const gate = await holdStore(page);
  const box = await activate(page);
  await page.keyboard.insertText(older);
  await waitUntil(() => gate.held.length, (n) => n > 0, `the store slots for "${older}" are asked for`);

  // Slots for the newer query come at once; the older query's stay stuck until it is answered.
  gate.closed = false;
  await box.selectText();
  await page.keyboard.insertText(newer);
  await waitForAnswer(page, newer, 'en');

  await gate.open();
  await page.waitForTimeout(500); // the older answer, if it were shown, would be by now
  const widget = await readWidget(page);
  assert.equal(widget.value, newer);
  assert.ok(showsAnswer(widget, cliSearch(newer, { preferLang: 'en' }), 'en'), JSON.stringify(widget.options));
});

test('typing stays responsive while result text is slow to arrive', async (t) => {
  const page = await openPage(env, t, '/en/', {
    init: () => {
      // For each keystroke, the time from its input event to the next frame.
      window.__frames = [];
      document.addEventListener('input', (e) => {
        requestAnimationFrame(() => window.__frames.push(performance.now() - e.timeStamp));
      }, true);
    },
  });
  const gate = await holdStore(page);
  const box = await activate(page);
  const typed = 'saidov';
  await box.pressSequentially(typed, { delay: 40 });
  assert.equal(await box.inputValue(), typed, 'every key reached the box');
  await waitUntil(() => gate.held.length, (n) => n > 0, 'the store slots are asked for');
  const frames = await waitUntil(() => page.evaluate(() => window.__frames), (f) => f.length === typed.length, 'a frame after each keystroke');
  // A frame is 16 ms; the bound is loose for a loaded test machine, yet far below a frozen page.
  assert.ok(Math.max(...frames) < 150, `input → next frame: ${frames.map((f) => f.toFixed(0)).join(', ')} ms`);

  await gate.open();
  const { widget } = await waitForAnswer(page, typed, 'en');
  assert.ok(widget.options.length > 0);
});
