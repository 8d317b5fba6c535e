// What the visitor typed, read as they meant it, on the page they are on:
// the page's language first, corrections in the visitor's own script, and
// a word typed in the wrong keyboard layout read whole.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UI, activate, openPage, setUp, waitForAnswer } from './harness.mjs';

const env = setUp();
const CYRILLIC = /[\u0400-\u04FF]/;

test('on the English page a name finds the English articles first', async (t) => {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await box.fill('Mirziyoyev');
  const { widget, answer } = await waitForAnswer(page, 'Mirziyoyev', 'en');
  const english = answer.results.filter((r) => r.lang === 'en').length;
  assert.ok(english > 0, 'the demo corpus has English articles with the name');
  for (const option of widget.options.slice(0, english)) {
    assert.match(option.href, /\/en\//, 'English articles come before the others');
  }
});

test('a Cyrillic name on the English page finds Cyrillic articles first', async (t) => {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await box.fill('Мирзиёев');
  const { widget } = await waitForAnswer(page, 'Мирзиёев', 'en');
  assert.match(widget.options[0].href, /\/(ru|oz)\//, `first: ${widget.options[0].href}`);
});

test('a typo on a Latin page is corrected in Latin letters, as the API says', async (t) => {
  for (const [path, lang] of [['/en/', 'en'], ['/uz/', 'uz-Latn']]) {
    const page = await openPage(env, t, path);
    const box = await activate(page);
    await box.fill('Mirzyoyev');
    const { widget, answer } = await waitForAnswer(page, 'Mirzyoyev', lang);
    assert.ok(answer.corrected, 'the engine corrected the typo');
    assert.doesNotMatch(answer.corrected, CYRILLIC, `the correction ${answer.corrected} is in the visitor's script`);
    const ui = UI[lang];
    assert.ok(widget.status.includes(ui.showingFor(answer.corrected)), `${path}: ${widget.status}`);
  }
});

test('Узбекистан typed on a Latin keyboard layout, comma key and all, is read as one word', async (t) => {
  const page = await openPage(env, t, '/ru/');
  const box = await activate(page);
  await box.fill('Ep,trbcnfy');
  const { widget } = await waitForAnswer(page, 'Ep,trbcnfy', 'ru');
  assert.ok(widget.options.length > 0, 'the switched word finds articles');
  assert.ok(widget.options.some((o) => /Узбекистан/.test(o.title)), widget.options.map((o) => o.title).join(' | '));
});
