// A page opened with ?q= (a search link, or the no-JavaScript form's
// target) loads the widget at once and shows the results for it.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { makeTemp, openPage, readWidget, rmTemp, setUp, testPage, waitForAnswer } from './harness.mjs';

const pages = makeTemp();
after(() => rmTemp(pages));
const second = (attrs = '') => `<qidiruv-search id="second" index="/search/" lang="ru" ${attrs}></qidiruv-search>`;
writeFileSync(path.join(pages, 'two.html'), testPage({ index: '/search/', extra: second() }));
writeFileSync(path.join(pages, 'chosen.html'), testPage({ index: '/search/', extra: second('shortcut') }));

const env = setUp({ mounts: { '/pages/': pages } });

for (const [url, lang, query] of [
  ['/en/', 'en', 'visa'],
  ['/ru/', 'ru', 'Саидов'],
]) {
  test(`${url}?q=${query} fills the box and shows the results without a click`, async (t) => {
    const page = await openPage(env, t, `${url}?q=${encodeURIComponent(query)}`);
    const { widget, answer } = await waitForAnswer(page, query, lang);
    assert.ok(answer.results.length > 0);
    assert.equal(widget.attrs.role, 'combobox', 'the widget loaded');
    assert.equal(widget.attrs['aria-expanded'], 'true');
    assert.ok(widget.panelVisible, 'the results are shown');
    assert.ok(widget.focused, 'the box has focus, so Escape and Tab work as usual');
  });
}

test('?q= reaches only the first widget, or the one with the shortcut attribute', async (t) => {
  const first = await openPage(env, t, '/pages/two.html?q=visa');
  await waitForAnswer(first, 'visa', 'en');
  const untouched = await readWidget(first, '#second');
  assert.equal(untouched.value, '');
  assert.equal(untouched.options.length, 0);

  const chosen = await openPage(env, t, '/pages/chosen.html?q=visa');
  await waitForAnswer(chosen, 'visa', 'ru', { host: '#second' });
  assert.equal((await readWidget(chosen)).value, '', 'the first widget stays empty');
});
