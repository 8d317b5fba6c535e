// mode="modal": the element is a button; it opens a dialog holding the
// search box. Escape closes it, focus stays inside while it is open and
// returns to the button after.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { makeTemp, openPage, readWidget, rmTemp, setUp, testPage, waitForAnswer, waitUntil } from './harness.mjs';

const pages = makeTemp();
after(() => rmTemp(pages));
writeFileSync(
  path.join(pages, 'modal.html'),
  testPage({ index: '/search/', attrs: 'mode="modal"', extra: '<p><a href="#after">a link after the widget</a></p>' }),
);
const env = setUp({ mounts: { '/pages/': pages } });

/** Where focus is: 'box', 'close', 'opener', another element in the shadow root, or the page's element. */
const focusIs = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    const active = root.activeElement;
    if (!active) return `page:${document.activeElement?.tagName.toLowerCase()}`;
    if (active.matches('input.input')) return 'box';
    return active.className || active.tagName.toLowerCase();
  });
const dialogOpen = (page) => page.evaluate(() => document.querySelector('qidiruv-search').shadowRoot.querySelector('dialog').open);

async function openDialog(t) {
  const page = await openPage(env, t, '/pages/modal.html');
  const opener = page.locator('qidiruv-search button.opener');
  assert.equal(await opener.getAttribute('aria-haspopup'), 'dialog');
  assert.equal(await page.locator('qidiruv-search input.input').isVisible(), false, 'no box until the dialog opens');
  await opener.click();
  await waitUntil(() => focusIs(page), (f) => f === 'box', 'the box has focus in the open dialog');
  assert.equal(await dialogOpen(page), true);
  await page.waitForFunction(() => document.querySelector('qidiruv-search').shadowRoot.querySelector('[role=combobox]'));
  return page;
}

test('the button opens a dialog with the search box; results show inside it', async (t) => {
  const page = await openDialog(t);
  await page.keyboard.type('saidov');
  const { widget } = await waitForAnswer(page, 'saidov', 'en');
  assert.ok(widget.options.length > 0);
  const inside = await page.evaluate(() => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    return root.querySelector('dialog').contains(root.querySelector('[role=listbox]'));
  });
  assert.ok(inside, 'the results are in the dialog');
});

test('Escape closes the list, then the dialog, and focus returns to the button', async (t) => {
  const page = await openDialog(t);
  await page.keyboard.type('saidov');
  await waitForAnswer(page, 'saidov', 'en');
  await page.keyboard.press('Escape');
  await waitUntil(() => readWidget(page), (w) => w.attrs['aria-expanded'] === 'false', 'the first Escape closes the list');
  await page.keyboard.press('Escape');
  await waitUntil(() => dialogOpen(page), (open) => !open, 'the second Escape closes the dialog');
  assert.equal(await focusIs(page), 'opener', 'focus is back on the button');
});

test('focus stays in the dialog while it is open', async (t) => {
  const page = await openDialog(t);
  await page.keyboard.type('saidov');
  await waitForAnswer(page, 'saidov', 'en');
  const seen = new Set();
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    const inDialog = await page.evaluate(() => {
      const root = document.querySelector('qidiruv-search').shadowRoot;
      return !!root.activeElement && root.querySelector('dialog').contains(root.activeElement);
    });
    const where = await focusIs(page);
    seen.add(where);
    assert.ok(inDialog || where === 'page:body', `Tab ${i + 1} stays in the dialog (at ${where})`);
  }
  assert.ok(seen.has('close') && seen.has('box'), `Tab cycles through the dialog: ${[...seen]}`);
  await page.locator('qidiruv-search button.close').click();
  await waitUntil(() => dialogOpen(page), (open) => !open, 'the close button closes the dialog');
  assert.equal(await focusIs(page), 'opener');
});

test('/ opens the dialog', async (t) => {
  const page = await openPage(env, t, '/pages/modal.html');
  await page.keyboard.press('/');
  await waitUntil(() => focusIs(page), (f) => f === 'box', 'the box has focus');
  assert.equal(await dialogOpen(page), true);
});

test('?q= opens the dialog with the results', async (t) => {
  const page = await openPage(env, t, '/pages/modal.html?q=saidov');
  await waitForAnswer(page, 'saidov', 'en');
  assert.equal(await dialogOpen(page), true);
  assert.equal(await focusIs(page), 'box');
});
