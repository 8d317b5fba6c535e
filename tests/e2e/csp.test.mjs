// The widget works under a strict Content Security Policy: no inline
// scripts or styles, no eval; only its own files and WebAssembly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, openPage, readWidget, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const env = setUp({ headers: { 'Content-Security-Policy': CSP } });

/** Collects CSP violations from anywhere in the page, shadow roots included (init scripts are exempt from the CSP). */
function collectViolations() {
  window.__violations = [];
  document.addEventListener(
    'securitypolicyviolation',
    (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    true,
  );
}

test('under a strict CSP the widget searches, pages and selects with zero violations', async (t) => {
  const page = await openPage(env, t, '/en/', { init: collectViolations });
  const response = await page.reload();
  assert.equal(response.headers()['content-security-policy'], CSP, 'the page is served with the policy');

  const box = await activate(page);
  // More stories than the 8 shown, so there is more to show.
  await box.pressSequentially('Tashkent');
  const { widget } = await waitForAnswer(page, 'Tashkent', 'en');
  assert.ok(widget.options.length > 0, 'results appear');
  await page.locator('qidiruv-search button.more').click();
  await waitForAnswer(page, 'Tashkent', 'en', { limit: 16 });
  await page.keyboard.press('ArrowDown');
  await page.locator('qidiruv-search .result[role=option]').nth(2).hover();
  await waitUntil(() => readWidget(page), (w) => w.announced === w.status, 'the live region spoke');
  const styled = await page.evaluate(() => {
    const input = document.querySelector('qidiruv-search').shadowRoot.querySelector('input');
    return getComputedStyle(input).borderTopStyle;
  });
  assert.equal(styled, 'solid', 'the widget’s stylesheet applies');

  const cspConsole = page.log.console.filter((m) => /Content Security Policy/i.test(m.text));
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no violation events');
  assert.deepEqual(cspConsole, [], 'no CSP complaints on the console');
  assert.deepEqual(page.log.pageErrors, []);

  // The listener does hear violations: an inline style is one.
  await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' })));
  await waitUntil(() => page.evaluate(() => window.__violations.length), (n) => n === 1, 'the self-check violation was reported');
});
