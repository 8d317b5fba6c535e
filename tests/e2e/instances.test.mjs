// Two widgets on one page, in different languages: each works on its own,
// their ids do not clash, and the wasm and the index are fetched once.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { UI, activate, makeTemp, openPage, readWidget, rmTemp, setUp, testPage, waitForAnswer } from './harness.mjs';

const pages = makeTemp();
after(() => rmTemp(pages));
writeFileSync(
  path.join(pages, 'two.html'),
  testPage({ index: '/search/', attrs: 'id="en"', extra: '<qidiruv-search id="ru" index="/search/" lang="ru"></qidiruv-search>' }),
);
const env = setUp({ mounts: { '/pages/': pages } });

/** Every id in the document and in the widgets' shadow roots, and where each box's ARIA references point. */
function ids(page) {
  return page.evaluate(() => {
    const hosts = [...document.querySelectorAll('qidiruv-search')];
    const roots = [document, ...hosts.map((h) => h.shadowRoot)];
    return {
      all: roots.flatMap((root) => [...root.querySelectorAll('[id]')].map((e) => e.id)),
      refs: hosts.map((host) => {
        const box = host.shadowRoot.querySelector('[role=combobox]');
        const refs = ['aria-controls', 'aria-activedescendant'].map((a) => box.getAttribute(a)).filter(Boolean);
        return refs.every((id) => host.shadowRoot.getElementById(id) !== null);
      }),
    };
  });
}

test('two widgets in different languages work independently, with unique ids, over one download', async (t) => {
  const page = await openPage(env, t, '/pages/two.html');
  // The loader asks for one byte of a document table to learn whether the host honours ranges.
  const probes = [];
  page.on('request', (r) => r.headers().range === 'bytes=0-0' && probes.push(r.url()));
  await page.evaluate(() => {
    window.__queries = [];
    document.addEventListener('qidiruv-query', (e) => window.__queries.push([e.target.id, e.detail.query]));
  });

  const en = await activate(page, '#en');
  await en.pressSequentially('visa');
  await waitForAnswer(page, 'visa', 'en', { host: '#en' });
  const ruBefore = await readWidget(page, '#ru');
  assert.equal(ruBefore.value, '', 'the other widget is untouched');
  assert.equal(ruBefore.options.length, 0);

  const ru = await activate(page, '#ru');
  await ru.pressSequentially('Саидов');
  const { widget } = await waitForAnswer(page, 'Саидов', 'ru', { host: '#ru' });
  assert.equal(widget.attrs['aria-label'], UI.ru.inputLabel, 'the second widget speaks Russian');
  await page.keyboard.press('ArrowDown');

  const enAfter = await readWidget(page, '#en');
  assert.equal(enAfter.value, 'visa', 'the first widget kept its query');
  assert.equal(enAfter.attrs['aria-expanded'], 'false', 'and closed its list when focus left');
  assert.equal(enAfter.attrs['aria-label'], UI.en.inputLabel);

  const { all, refs } = await ids(page);
  assert.equal(new Set(all).size, all.length, `ids are unique: ${all.join(' ')}`);
  assert.deepEqual(refs, [true, true], 'each box points into its own shadow root');
  assert.notEqual(enAfter.listboxId, widget.listboxId);

  // Each widget's events come from it, for what was typed into it (a query per shown keystroke).
  const queries = await page.evaluate(() => window.__queries);
  const from = (id) => queries.filter(([target]) => target === id).map(([, query]) => query);
  assert.equal(from('en').at(-1), 'visa');
  assert.equal(from('ru').at(-1), 'Саидов');
  assert.ok(from('en').every((q) => 'visa'.startsWith(q)) && from('ru').every((q) => 'Саидов'.startsWith(q)), JSON.stringify(queries));
  assert.equal(from('en').length + from('ru').length, queries.length, 'every event names its widget');

  const count = (end) => page.log.requests.filter((u) => new URL(u).pathname.endsWith(end)).length;
  assert.equal(count('/qidiruv_widget_bg.wasm'), 1, 'the wasm was fetched once');
  assert.equal(count('/qidiruv_widget.js'), 1, 'its glue was fetched once');
  assert.equal(count('/search/qidiruv.json'), 1, 'the manifest was fetched once');
  assert.ok(probes.length <= 1, `one range probe at most: ${probes.join(' ')}`);
  const whole = [...page.log.requests];
  for (const probe of probes) whole.splice(whole.indexOf(probe), 1);
  const parts = whole.map((u) => new URL(u).pathname).filter((p) => /\/search\/s\d+-(docs|dict-)/.test(p));
  assert.equal(parts.filter((p) => p.includes('-docs.')).length, 1, 'the document table was fetched once');
  assert.equal(new Set(parts).size, parts.length, `no whole index part was fetched twice: ${parts.join(' ')}`);
});
