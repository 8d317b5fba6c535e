// Each language page shows the widget in its own language.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  LANGUAGE_NAMES,
  UI,
  activate,
  formatDate,
  makeTemp,
  openPage,
  readWidget,
  rmTemp,
  setUp,
  testPage,
  waitForAnswer,
} from './harness.mjs';

const LANGS = [
  { page: '/en/', lang: 'en', query: 'visa', dateMark: null },
  { page: '/ru/', lang: 'ru', query: 'Узбекистан', dateMark: / г\.$/ },
  { page: '/uz/', lang: 'uz-Latn', query: 'Toshkentda', dateMark: /^\d{4}-yil \d{1,2}-/ },
  { page: '/oz/', lang: 'uz-Cyrl', query: 'Тошкентда', dateMark: /^\d{4} йил \d{1,2} / },
];

// Test pages without a placeholder attribute, one per language, under /plain/.
const plain = makeTemp();
for (const { lang } of LANGS) writeFileSync(path.join(plain, `${lang}.html`), testPage({ index: '/search/', lang }));
after(() => rmTemp(plain));

const env = setUp({ mounts: { '/plain/': plain } });

test('each language page labels the box in its language, each differently', async (t) => {
  const placeholders = new Set();
  for (const { page: url, lang } of LANGS) {
    const page = await openPage(env, t, url);
    await activate(page);
    const { attrs, listboxLabel } = await readWidget(page);
    assert.equal(attrs.placeholder, UI[lang].placeholder, `placeholder on ${url}`);
    assert.equal(attrs['aria-label'], UI[lang].inputLabel, `aria-label on ${url}`);
    assert.equal(listboxLabel, UI[lang].resultsLabel, `listbox label on ${url}`);
    placeholders.add(attrs.placeholder);
  }
  assert.equal(placeholders.size, LANGS.length, 'every language has its own placeholder');
});

test('without a placeholder attribute the box uses the widget’s own words', async (t) => {
  for (const { lang } of LANGS) {
    const page = await openPage(env, t, `/plain/${lang}.html`);
    await activate(page);
    const { attrs } = await readWidget(page);
    assert.equal(attrs.placeholder, UI[lang].placeholder, `placeholder for lang=${lang}`);
  }
});

for (const { page: url, lang, query, dateMark } of LANGS.filter((l) => l.lang !== 'en')) {
  test(`results on ${url} show counts, dates and language names in ${lang}`, async (t) => {
    const page = await openPage(env, t, url);
    const box = await activate(page);
    await box.pressSequentially(query);
    const { widget, answer } = await waitForAnswer(page, query, lang);

    assert.equal(widget.status, UI[lang].count(answer.total));
    assert.ok(widget.options.length > 0);
    widget.options.forEach((option, i) => {
      const result = answer.results[i];
      assert.equal(option.datetime, result.date);
      assert.equal(option.time, formatDate(lang, result.date), `date of ${option.href}`);
      assert.match(option.time, dateMark, `date of ${option.href} is written the ${lang} way`);
      assert.equal(option.meta, `${option.time} · ${LANGUAGE_NAMES[result.lang][lang]}`);
    });
  });
}
