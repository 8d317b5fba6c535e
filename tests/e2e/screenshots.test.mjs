// Screenshots of the open result list for people to look at (target/e2e/),
// plus the geometry checks a screenshot would reveal: the panel is on
// screen, below the box, and no wider than the viewport.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, openPage, screenshotPath, setUp, waitForAnswer } from './harness.mjs';

const env = setUp();

const SHOTS = [
  { file: 'en-desktop-results.png', page: '/en/', lang: 'en', query: 'saidov', viewport: { width: 1280, height: 900 } },
  { file: 'en-phone-results.png', page: '/en/', lang: 'en', query: 'saidov', viewport: { width: 375, height: 800 } },
  { file: 'ru-desktop-results.png', page: '/ru/', lang: 'ru', query: 'Саидов', viewport: { width: 1280, height: 900 } },
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

for (const { file, page: url, lang, query, viewport } of SHOTS) {
  test(`results panel fits the ${viewport.width}×${viewport.height} screen on ${url} (${file})`, async (t) => {
    const page = await openPage(env, t, url, { viewport });
    const box = await activate(page);
    await box.pressSequentially(query);
    await waitForAnswer(page, query, lang);
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
