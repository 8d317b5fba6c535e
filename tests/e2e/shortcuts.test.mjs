// "/" and Ctrl+K (⌘+K on macOS) focus the search box from anywhere on the
// page, even before the widget has loaded, but never while the visitor
// types into another field.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { activate, makeTemp, openPage, rmTemp, setUp, testPage, waitUntil } from './harness.mjs';

const FIELDS = `
<p><input id="field" aria-label="another field"></p>
<p><textarea id="notes" aria-label="notes"></textarea></p>
<div id="editor" contenteditable="true" aria-label="editor">edit me</div>
`;

const pages = makeTemp();
after(() => rmTemp(pages));
writeFileSync(path.join(pages, 'fields.html'), testPage({ index: '/search/', extra: FIELDS }));
writeFileSync(
  path.join(pages, 'two.html'),
  testPage({ index: '/search/', extra: '<qidiruv-search id="chosen" index="/search/" lang="ru" shortcut></qidiruv-search>' }),
);

const env = setUp({ mounts: { '/pages/': pages } });

/** Which box has focus: 'placeholder' (loader's), 'combobox' (widget's), or the page element's id. */
function focused(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.localName !== 'qidiruv-search') return active?.id || active?.localName || null;
    const box = active.shadowRoot.activeElement;
    const kind = box?.getAttribute('role') === 'combobox' ? 'combobox' : box?.localName === 'input' ? 'placeholder' : null;
    return `${active.id || 'first'}:${kind}:${JSON.stringify(box?.value ?? null)}`;
  });
}

test('"/" focuses the loader’s box before the widget has loaded, and is not typed into it', async (t) => {
  const page = await openPage(env, t, '/pages/fields.html');
  // Hold the widget's code back: the loader's plain box is all there is.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route('**/qidiruv_widget.js', async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  t.after(() => release());

  await page.locator('h1').click();
  await page.keyboard.press('/');
  assert.equal(await focused(page), 'first:placeholder:""');
  await page.keyboard.type('visa');
  assert.equal(await focused(page), 'first:placeholder:"visa"', 'typing goes into the box');
});

test('Ctrl+K focuses the box from anywhere, and the widget takes over', async (t) => {
  const page = await openPage(env, t, '/pages/fields.html');
  await page.locator('h1').click();
  await page.keyboard.press('Control+k');
  await waitUntil(() => focused(page), (f) => f === 'first:combobox:""', 'the widget’s box has focus');
});

test('neither shortcut fires while the visitor types in an input, a textarea or a contenteditable', async (t) => {
  const page = await openPage(env, t, '/pages/fields.html');
  const text = (id) => page.evaluate((id) => {
    const el = document.getElementById(id);
    return el.isContentEditable ? el.textContent : el.value;
  }, id);
  for (const id of ['field', 'notes', 'editor']) {
    await page.locator(`#${id}`).click();
    await page.keyboard.press('End');
    await page.keyboard.press('/');
    await page.keyboard.press('Control+k');
    assert.equal(await focused(page), id, `focus stays in #${id}`);
    assert.ok((await text(id)).endsWith('/'), `"/" was typed into #${id}`);
  }
  assert.equal(page.log.requests.filter((u) => u.endsWith('/qidiruv_widget_bg.wasm')).length, 0, 'the widget never loaded');
});

test('the widget with the shortcut attribute is the one the shortcuts reach', async (t) => {
  const page = await openPage(env, t, '/pages/two.html');
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await waitUntil(() => focused(page), (f) => f.startsWith('chosen:'), 'the second widget’s box has focus');
});

test('on macOS it is ⌘+K, not Ctrl+K', async (t) => {
  const page = await openPage(env, t, '/pages/fields.html', {
    init: () => {
      Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'MacIntel' });
      Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined });
    },
  });
  await page.locator('h1').click();
  await page.keyboard.press('Control+k');
  await page.waitForTimeout(200);
  assert.equal(await focused(page), 'body', 'Ctrl+K is not the macOS shortcut');
  await page.keyboard.press('Meta+k');
  await waitUntil(() => focused(page), (f) => f.startsWith('first:'), '⌘+K focused the box');
});
