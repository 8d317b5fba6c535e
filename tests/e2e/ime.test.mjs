// Input methods (IME): nothing is searched while a composition is in
// progress; what it produces is searched when it ends.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, openPage, readWidget, setUp, waitForAnswer } from './harness.mjs';

const env = setUp();

test('no search while composing; the composed text is searched on compositionend', async (t) => {
  const page = await openPage(env, t, '/ru/');
  const box = await activate(page);
  await page.evaluate(() => {
    window.__seen = [];
    const input = document.querySelector('qidiruv-search').shadowRoot.querySelector('input');
    for (const type of ['compositionstart', 'compositionend']) input.addEventListener(type, () => window.__seen.push(type));
    document.addEventListener('qidiruv-query', (e) => window.__seen.push(`query:${e.detail.query}`));
  });

  // Chromium's own IME path (what a Japanese or Chinese input method drives), through the DevTools protocol.
  const cdp = await page.context().newCDPSession(page);
  for (const text of ['С', 'Са', 'Саи', 'Саид', 'Саидо', 'Саидов']) {
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(600); // long enough for a search to have shown something
  const composing = await readWidget(page);
  assert.equal(composing.value, 'Саидов', 'the composition is in the box');
  assert.equal(composing.status, '', 'no status: nothing was searched');
  assert.equal(composing.options.length, 0, 'no results while composing');
  assert.equal(composing.attrs['aria-expanded'], 'false');

  await page.keyboard.insertText('Саидов'); // commits the composition
  const { widget } = await waitForAnswer(page, 'Саидов', 'ru');
  assert.ok(widget.options.length > 0);
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => window.__seen), ['compositionstart', 'compositionend', 'query:Саидов'],
    'one composition, then one search for what it produced');
  assert.equal(await box.inputValue(), 'Саидов');
});
