// A page left open across publishes keeps searching: parts of the manifest
// it loaded stay for one more publish, and once they are gone the widget
// reloads the manifest and goes on.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { ARTICLES, CLI, activate, makeTemp, openPage, rmTemp, setUp, testPage, waitForAnswer, waitUntil } from './harness.mjs';

const temp = makeTemp();
after(() => rmTemp(temp));
const pages = path.join(temp, 'pages');
const live = path.join(temp, 'live');

const demo = readFileSync(ARTICLES, 'utf8').trim().split('\n');
const added = (n) =>
  JSON.stringify({
    id: `publish-${n}`,
    url: `/en/news/publish-${n}/`,
    lang: 'en',
    title: `Embassy opens in Zarafshan${n} valley`,
    date: '2025-06-0' + n,
    body: `The ministry announced that a consulate in Zarafshan${n} valley opens to visitors this week.`,
  });

/** Publishes `lines` onto the live index, as the site's CI would. */
function publish(lines, extra = []) {
  const input = path.join(temp, 'input.jsonl');
  writeFileSync(input, lines.join('\n') + '\n');
  execFileSync(CLI, ['build', input, '--out', live, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const env = setUp(() => {
  mkdirSync(pages);
  writeFileSync(path.join(pages, 'live.html'), testPage({ index: '/live/' }));
  publish(demo.slice(0, -3));
  return { mounts: { '/pages/': pages, '/live/': live } };
});

test('a page open across publishes keeps searching, and finds what was published', async (t) => {
  const page = await openPage(env, t, '/pages/live.html');
  const box = await activate(page);
  await box.fill('border');
  await waitForAnswer(page, 'border', 'en', { index: live });

  // One article added: the open page's manifest still names parts that are all there.
  publish([...demo.slice(0, -3), added(1)]);
  await box.fill('visa');
  await waitForAnswer(page, 'visa', 'en', { index: live });

  // Two full rebuilds of changed input: every part the page's manifest named is gone.
  publish([...demo.slice(0, -2), added(1), added(2)], ['--rebuild']);
  publish([...demo, added(1), added(2), added(3)], ['--rebuild']);
  const missing = env.server.requests.length;
  await box.fill('Zarafshan3');
  const { widget } = await waitForAnswer(page, 'Zarafshan3', 'en', { index: live });
  assert.match(widget.options[0].href, /publish-3/);
  const manifests = env.server.requests.slice(missing).filter((p) => p.endsWith('/qidiruv.json'));
  assert.equal(manifests.length, 1, 'the manifest was reloaded once');
  // (Chromium itself logs the 404 of the pruned part.)
  const failures = page.log.console.filter((m) => m.text.startsWith('qidiruv:'));
  assert.deepEqual(failures, [], 'no failure reached the visitor or the console');
});

/** How many parts the widget keeps in the page's Cache Storage (part_cache.rs). */
const keptParts = (page) =>
  page.evaluate(async () => (await (await caches.open('qidiruv-parts-v1')).keys()).length);

test('a returning visitor fetches only the manifest, and after a publish only what it added', async (t) => {
  const first = await openPage(env, t, '/pages/live.html');
  await (await activate(first)).fill('border');
  await waitForAnswer(first, 'border', 'en', { index: live });
  // The widget writes what it keeps once the page has been quiet for a
  // moment, one part after another: until the count holds still.
  let seen = -1;
  await waitUntil(
    async () => {
      const [before, now] = [seen, await keptParts(first)];
      seen = now;
      await first.waitForTimeout(400);
      return { before, now };
    },
    ({ before, now }) => now > 0 && now === before,
    'the widget kept the parts it fetched',
  );
  await first.close();

  /** The index files a new page of the same visitor fetches while it finds `query`. */
  const revisit = async (query) => {
    const page = await first.context().newPage();
    const from = env.server.requests.length;
    await page.goto(env.server.url('/pages/live.html'));
    await (await activate(page)).fill(query);
    await waitForAnswer(page, query, 'en', { index: live });
    await page.waitForTimeout(300);
    const fetched = env.server.requests.slice(from).filter((p) => p.startsWith('/live/'));
    return { page, fetched: fetched.map((p) => p.slice('/live/'.length)) };
  };
  const again = await revisit('border');
  assert.deepEqual(again.fetched, ['qidiruv.json'], 'the same query again: the manifest only');
  await again.page.close();

  const before = new Set(JSON.parse(readFileSync(path.join(live, 'qidiruv.json'), 'utf8')).segments.map((s) => s.seq));
  publish([...demo.slice(0, -3), added(4)]);
  const after = await revisit('border');
  const fresh = after.fetched.filter((name) => name !== 'qidiruv.json');
  assert.ok(fresh.length > 0, 'the published segment is fetched');
  for (const name of fresh) {
    const seq = Number(/^s(\d+)-/.exec(name)?.[1]);
    assert.ok(!before.has(seq), `${name}: only the published segment's parts, none of what the visitor kept`);
  }
});
