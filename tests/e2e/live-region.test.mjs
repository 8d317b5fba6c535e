// Screen readers hear the result count once typing pauses (about 700 ms
// after the last keystroke), from a visually hidden polite live region;
// the visible status line may change on every keystroke and is not live.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UI, activate, cliSearch, openPage, readWidget, setUp, waitForAnswer, waitUntil } from './harness.mjs';

const env = setUp();

/** The pause the widget waits for, less a margin for timer and clock granularity. */
const PAUSE_MS = 650;

test('the only live region is a visually hidden, polite, atomic status outside the panel', async (t) => {
  const page = await openPage(env, t, '/en/');
  await activate(page);
  const facts = await page.evaluate(() => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    const live = [...root.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]')];
    const status = root.querySelector('.status');
    const region = live[0];
    const rect = region?.getBoundingClientRect();
    return {
      live: live.map((el) => ({
        role: el.getAttribute('role'),
        ariaLive: el.getAttribute('aria-live'),
        atomic: el.getAttribute('aria-atomic'),
      })),
      insidePanel: !!region?.closest('.panel'),
      statusAttrs: status && [...status.attributes].map((a) => a.name),
      size: rect && [rect.width, rect.height],
      displayed: region && getComputedStyle(region).display !== 'none',
    };
  });
  assert.deepEqual(facts.live, [{ role: 'status', ariaLive: 'polite', atomic: 'true' }]);
  assert.deepEqual(facts.statusAttrs, ['class'], 'the visible status line is not a live region');
  assert.equal(facts.insidePanel, false, 'the region lives while the panel is hidden');
  assert.ok(facts.displayed, 'not display:none, which would silence it');
  assert.ok(facts.size[0] <= 1 && facts.size[1] <= 1, `visually hidden: ${facts.size}`);
});

/** Records every keystroke and every change of the live region and of the visible status, timestamped. */
function record(page) {
  return page.evaluate(() => {
    const root = document.querySelector('qidiruv-search').shadowRoot;
    const log = (window.__log = { keys: [], live: [], visible: [] });
    document.addEventListener('keydown', () => log.keys.push(performance.now()), true);
    const watch = (el, list) =>
      new MutationObserver(() => list.push({ t: performance.now(), text: el.textContent })).observe(el, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    watch(root.querySelector('[role=status]'), log.live);
    watch(root.querySelector('.status'), log.visible);
  });
}

test('the count is announced once typing pauses, never between keystrokes', async (t) => {
  const page = await openPage(env, t, '/en/');
  const box = await activate(page);
  await record(page);

  const announced = (query) => UI.en.count(cliSearch(query, { preferLang: 'en' }).total);
  await box.pressSequentially('saidov', { delay: 150 });
  await waitForAnswer(page, 'saidov', 'en');
  await waitUntil(() => readWidget(page), (w) => w.announced === announced('saidov'), 'the count was announced');

  // A second query, typed after the first was announced: the region keeps its words until the next pause.
  await box.fill('');
  await box.pressSequentially('visa', { delay: 150 });
  await waitUntil(() => readWidget(page), (w) => w.announced === announced('visa'), 'the new count was announced');

  const log = await page.evaluate(() => window.__log);
  const lastKeyBefore = (time) => Math.max(...log.keys.filter((k) => k <= time));
  const changes = log.live.filter((m, i) => m.text !== (log.live[i - 1]?.text ?? ''));
  // Typed 150 ms apart, each word is one pause (a machine stalled by more than half a second could add one).
  const texts = changes.map((m) => m.text);
  assert.deepEqual(texts.filter((text) => text === announced('saidov') || text === announced('visa')),
    [announced('saidov'), announced('visa')], `announcements: ${JSON.stringify(texts)}`);
  assert.ok(changes.length < log.keys.length / 3, `${changes.length} announcements for ${log.keys.length} keystrokes`);
  for (const change of changes) {
    const quiet = change.t - lastKeyBefore(change.t);
    assert.ok(quiet >= PAUSE_MS, `"${change.text}" came ${Math.round(quiet)} ms after a keystroke`);
  }
  const visible = new Set(log.visible.map((m) => m.text));
  assert.ok(visible.size > changes.length, `the visible status changed while typing: ${[...visible].join(' | ')}`);
});
