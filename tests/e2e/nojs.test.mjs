// Without JavaScript the element's light-DOM fallback, a plain GET form, is
// what visitors get; it sends the query to the language's search page, which
// exists. With JavaScript that page shows the results for ?q=.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, openPage, readWidget, setUp, waitForAnswer } from './harness.mjs';

const env = setUp();

for (const [lang, prefix, query] of [['en', 'en', 'saidov'], ['uz-Cyrl', 'oz', 'Саидов']]) {
  test(`without JavaScript, the form on /${prefix}/ sends its query to a search page that exists`, async (t) => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(env.server.url(`/${prefix}/`));
    const form = page.locator('qidiruv-search form');
    assert.equal(await form.isVisible(), true, 'the fallback form is shown');
    assert.equal(await form.getAttribute('method'), 'get');
    assert.equal(await form.getAttribute('action'), `/${prefix}/search/`);
    const input = form.locator('input[name=q]');
    assert.ok(await input.getAttribute('aria-label'), 'the input has a label');
    await input.fill(query);
    const [response] = await Promise.all([page.waitForNavigation(), input.press('Enter')]);
    assert.equal(response.status(), 200, `${page.url()} exists`);
    const url = new URL(page.url());
    assert.equal(url.pathname, `/${prefix}/search/`);
    assert.equal(url.searchParams.get('q'), query);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    assert.ok(await page.locator('main noscript').count(), 'the page says that search needs JavaScript');
  });
}

test('with JavaScript, the search page shows the results for ?q=', async (t) => {
  const page = await openPage(env, t, '/en/search/?q=saidov');
  const { widget } = await waitForAnswer(page, 'saidov', 'en');
  assert.ok(widget.focused && widget.options.length > 0);
  assert.equal(await page.locator('qidiruv-search form').isVisible(), false, 'the fallback form is not shown');
  await activate(page);
  assert.equal((await readWidget(page)).attrs['aria-expanded'], 'true');
});
