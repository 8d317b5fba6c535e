// axe-core over the demo pages with the result list open (axe looks into
// the widget's open shadow root), in each UI language, the visitor preferring
// light and dark: no violations. The modal dialog is audited open too. The
// demo site declares no dark scheme, so its widget stays light; the dark
// colours are audited on the hostile page (hostile-host.test.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, audit, openPage, readWidget, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();

const PAGES = [
  ['en', '/en/', 'saidov'],
  ['ru', '/ru/', 'Саидов'],
  ['uz-Latn', '/uz/', 'Toshkentda'],
  ['uz-Cyrl', '/oz/', 'Тошкентда'],
];

const report = (violations) => JSON.stringify(violations, null, 2);

for (const colorScheme of ['light', 'dark']) {
  for (const [lang, url, query] of PAGES) {
    test(`axe finds nothing on ${url} with results open (${lang}, ${colorScheme})`, async (t) => {
      const page = await openPage(env, t, url, { colorScheme });
      const box = await activate(page);
      await box.pressSequentially(query);
      const { widget } = await waitForAnswer(page, query, lang);
      // An active translation link, as a keyboard user sees it.
      const withTranslations = widget.options.findIndex((o) => o.also.length > 0);
      assert.ok(withTranslations >= 0, 'some result has translations');
      for (let i = 0; i <= withTranslations; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      const active = widget.options[withTranslations].also[0].id;
      await waitUntil(() => readWidget(page), (w) => w.attrs['aria-activedescendant'] === active, 'a translation is active');
      const violations = await audit(page);
      assert.deepEqual(violations, [], report(violations));
    });
  }

  test(`axe finds nothing in the open modal dialog (${colorScheme})`, async (t) => {
    const page = await openPage(env, t, '/en/', { colorScheme });
    await page.evaluate(() => {
      const element = document.querySelector('qidiruv-search');
      element.setAttribute('mode', 'modal');
      const fresh = element.cloneNode(true); // the mode is read when the element connects
      element.replaceWith(fresh);
    });
    await page.locator('qidiruv-search button.opener').click();
    await page.waitForFunction(() => document.querySelector('qidiruv-search').shadowRoot.activeElement?.getAttribute('role') === 'combobox');
    await page.keyboard.type('saidov');
    await waitForAnswer(page, 'saidov', 'en');
    const violations = await audit(page);
    assert.deepEqual(violations, [], report(violations));
  });
}
