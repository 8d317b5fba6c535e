// Screenshots of the open result list for people to look at (target/e2e/),
// plus the geometry checks a screenshot would reveal: the panel is on
// screen, below the box, and no wider than the viewport.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, openPage, screenshotPath, setUp, waitForAnswer } from './harness.mjs';

const env = setUp();

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 800 };
const SHOTS = [
  ...['light', 'dark'].flatMap((colorScheme) => [
    { file: `en-desktop-${colorScheme}.png`, page: '/en/', lang: 'en', query: 'saidov', viewport: DESKTOP, colorScheme },
    { file: `en-phone-${colorScheme}.png`, page: '/en/', lang: 'en', query: 'saidov', viewport: PHONE, colorScheme },
  ]),
  { file: 'ru-desktop-light.png', page: '/ru/', lang: 'ru', query: 'Саидов', viewport: DESKTOP, colorScheme: 'light' },
  { file: 'oz-phone-dark.png', page: '/oz/', lang: 'uz-Cyrl', query: 'Тошкентда', viewport: PHONE, colorScheme: 'dark' },
];

/** Bounding boxes of the box, the result panel and the page's horizontal scroll width. */
function geometry(page) {
  return page.evaluate(() => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    const rect = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    };
    return {
      box: rect(root.querySelector('input.input')),
      panel: rect(root.querySelector('.panel')),
      viewportWidth: document.documentElement.clientWidth,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

for (const { file, page: url, lang, query, viewport, colorScheme } of SHOTS) {
  test(`results panel fits the ${viewport.width}×${viewport.height} screen on ${url} (${file})`, async (t) => {
    const page = await openPage(env, t, url, { viewport, colorScheme });
    const box = await activate(page);
    await box.pressSequentially(query);
    await waitForAnswer(page, query, lang);
    // The second result active, the first one's first translation pointed at: how both look.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.evaluate(() => document.fonts.ready);

    await page.screenshot({ path: screenshotPath(file) });

    const g = await geometry(page);
    const where = JSON.stringify(g);
    assert.ok(g.panel.height > 0, `the panel is shown: ${where}`);
    assert.ok(g.panel.top >= g.box.bottom, `the panel opens below the box: ${where}`);
    assert.ok(g.panel.left >= 0, `the panel's left edge is on screen: ${where}`);
    assert.ok(g.panel.right <= g.viewportWidth, `the panel's right edge is on screen: ${where}`);
    assert.ok(g.scrollWidth <= g.viewportWidth, `the page does not scroll sideways: ${where}`);
  });
}

test('the modal dialog fits a phone screen, dark (modal-phone-dark.png)', async (t) => {
  const page = await openPage(env, t, '/en/', { viewport: PHONE, colorScheme: 'dark' });
  await page.evaluate(() => {
    const element = document.querySelector('qidiruv-search');
    const fresh = element.cloneNode(true); // the mode is read when the element connects
    fresh.setAttribute('mode', 'modal');
    element.replaceWith(fresh);
  });
  await page.locator('qidiruv-search button.opener').click();
  const box = await activate(page);
  await box.pressSequentially('saidov');
  await waitForAnswer(page, 'saidov', 'en');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: screenshotPath('modal-phone-dark.png') });
  const dialog = await page.evaluate(() => {
    const r = document.querySelector('qidiruv-search').shadowRoot.querySelector('dialog').getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  assert.ok(dialog.left >= 0 && dialog.right <= PHONE.width && dialog.top >= 0 && dialog.bottom <= PHONE.height,
    `the dialog is on screen: ${JSON.stringify(dialog)}`);
});
