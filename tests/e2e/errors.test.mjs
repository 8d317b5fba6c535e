// An index that cannot be loaded leaves a widget that says so and can retry,
// never a dead box or an uncaught exception.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { CLI, DIST, UI, activate, makeTemp, openPage, rmTemp, readWidget, setUp, testPage, waitForAnswer, waitUntil } from './harness.mjs';

const temp = makeTemp();
after(() => rmTemp(temp));
const pages = path.join(temp, 'pages');
const flaky = path.join(temp, 'flaky'); // empty until a test copies the index in
const corrupt = path.join(temp, 'corrupt');
const newer = path.join(temp, 'newer');
const truncated = path.join(temp, 'truncated');

const env = setUp(() => {
  mkdirSync(pages);
  mkdirSync(flaky);
  for (const name of ['missing', 'flaky', 'corrupt', 'newer', 'truncated']) {
    writeFileSync(path.join(pages, `${name}.html`), testPage({ index: `/${name}/` }));
  }
  // The real index with one byte flipped in every shard and head of its term dictionary.
  cpSync(path.join(DIST, 'search'), corrupt, { recursive: true });
  for (const shard of readdirSync(corrupt).filter((f) => /^s\d+-(dict|head)-/.test(f))) {
    const file = path.join(corrupt, shard);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
  }
  // An index from a future qidiruv: the manifest names a format version this widget does not read.
  cpSync(path.join(DIST, 'search'), newer, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(newer, 'qidiruv.json'), 'utf8'));
  writeFileSync(path.join(newer, 'qidiruv.json'), JSON.stringify({ ...manifest, version: manifest.version + 1 }));
  // An upload cut short: every postings file lost its second half.
  cpSync(path.join(DIST, 'search'), truncated, { recursive: true });
  for (const chunk of readdirSync(truncated).filter((f) => /^s\d+-postings-/.test(f))) {
    const whole = readFileSync(path.join(truncated, chunk));
    writeFileSync(path.join(truncated, chunk), whole.subarray(0, whole.length >> 1));
  }
  return {
    mounts: { '/pages/': pages, '/flaky/': flaky, '/corrupt/': corrupt, '/newer/': newer, '/truncated/': truncated },
  };
});

const qidiruvLines = (page) => page.log.console.filter((m) => m.text.startsWith('qidiruv:'));
const manifestRequests = (prefix) => env.server.requests.filter((p) => p === `${prefix}qidiruv.json`).length;

/** Waits for the failure status with its retry button; returns what the widget shows. */
function waitForFailure(page) {
  return waitUntil(
    () => readWidget(page),
    (w) => w.status?.startsWith(UI.en.loadFailed) && w.retryButton === UI.en.retry,
    'the status reports that the index could not be loaded, with a retry button',
  );
}

test('a missing index shows an error with a retry button, one console line per attempt', async (t) => {
  const page = await openPage(env, t, '/pages/missing.html');
  const before = manifestRequests('/missing/');
  const box = await activate(page);

  await box.fill('visa'); // one input event: one attempt
  const failed = await waitForFailure(page);
  assert.ok(failed.panelVisible, 'the error is visible');
  assert.equal(failed.attrs['aria-expanded'], 'false', 'no results listed');
  await waitUntil(() => qidiruvLines(page).length, (n) => n >= 1, 'the failure was logged');
  // Focus prefetches the manifest and the widget asks for it as it starts
  // (sharing the prefetch while that is in flight); the typed attempt asks
  // once more. Counted from before focus: reading the count after it raced
  // with requests still on their way.
  const first = manifestRequests('/missing/') - before;
  assert.ok(first >= 1 && first <= 3, `${first} manifest requests for focus and one attempt`);

  const beforeRetry = manifestRequests('/missing/');
  await page.locator('qidiruv-search button.retry').click();
  await waitUntil(() => manifestRequests('/missing/') - beforeRetry, (n) => n === 1, 'Try again asked for the index again');
  await waitUntil(() => qidiruvLines(page).length, (n) => n >= 2, 'the second failure was logged');
  await waitForFailure(page);

  const lines = qidiruvLines(page);
  assert.equal(lines.length, 2, `one line per failed attempt: ${JSON.stringify(lines)}`);
  for (const line of lines) {
    assert.equal(line.type, 'error');
    assert.match(line.text, /^qidiruv: http:\/\/127\.0\.0\.1:\d+\/missing\/qidiruv\.json: HTTP 404$/);
  }
  assert.deepEqual(page.log.pageErrors, [], 'no uncaught exceptions');
});

test('Try again loads the index once it has become reachable', async (t) => {
  const page = await openPage(env, t, '/pages/flaky.html');
  const box = await activate(page);
  await box.fill('visa');
  await waitForFailure(page);

  cpSync(path.join(DIST, 'search'), flaky, { recursive: true });
  await page.locator('qidiruv-search button.retry').click();
  const { widget } = await waitForAnswer(page, 'visa', 'en');
  assert.equal(widget.retryButton, null, 'the retry button is gone');
  assert.equal(widget.attrs['aria-expanded'], 'true');
  assert.deepEqual(page.log.pageErrors, [], 'no uncaught exceptions');
});

// A word reads its shards; a one-letter word with a head (a wide prefix of the demo index) reads
// that, unless the letter has a stem of its own (Uzbek g is also k): the CLI says which parts it reads.
const readsHead = (prefix) =>
  spawnSync(CLI, ['search', '--index', path.join(DIST, 'search'), '--fetches', prefix], { encoding: 'utf8' })
    .stderr.split('\n')
    .some((line) => /^fetch s\d+-head-/.test(line));
const headPrefix = JSON.parse(readFileSync(path.join(DIST, 'search', 'qidiruv.json'), 'utf8'))
  .segments[0].parts.heads
  .find((prefix) => [...prefix].length === 1 && readsHead(prefix));
for (const [query, part] of [['visa', 'dict'], [headPrefix, 'head']]) {
  test(`a corrupted index part shows the same error state (${part})`, async (t) => {
    assert.ok(query, 'the demo index has a one-letter head');
    const page = await openPage(env, t, '/pages/corrupt.html');
    const box = await activate(page);
    await box.fill(query);
    const failed = await waitForFailure(page);
    assert.ok(failed.panelVisible, 'the error is visible');
    assert.equal(failed.options.length, 0, 'no results from a corrupted index');

    await waitUntil(() => qidiruvLines(page).length, (n) => n >= 1, 'the failure was logged');
    const lines = qidiruvLines(page);
    assert.equal(lines.length, 1, `one line for one attempt: ${JSON.stringify(lines)}`);
    assert.match(lines[0].text, new RegExp(`^qidiruv: .*/corrupt/.*${part}-\\d+\\.`), 'the line names the broken part');
    assert.deepEqual(page.log.pageErrors, [], 'no uncaught exceptions');
  });
}

for (const [name, says] of [
  ['newer', /^qidiruv: .*\/newer\/qidiruv\.json: unsupported index format "qidiruv-index" version \d+; .*rebuild the index/],
  // Either the lists asked for lie past the cut (HTTP 416) or straddle it (fewer bytes than asked).
  ['truncated', /^qidiruv: .*\/truncated\/(: index part )?s\d+-postings-\d+\.[0-9a-f]+\.bin(: truncated| is corrupt or truncated)/],
]) {
  test(`an index that is ${name === 'newer' ? 'of a newer format' : 'truncated'} is refused with a clear line`, async (t) => {
    const page = await openPage(env, t, `/pages/${name}.html`);
    const box = await activate(page);
    await box.fill('visa');
    const failed = await waitForFailure(page);
    assert.equal(failed.options.length, 0);
    await waitUntil(() => qidiruvLines(page).length, (n) => n >= 1, 'the failure was logged');
    const lines = qidiruvLines(page);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0].text, says);
    assert.deepEqual(page.log.pageErrors, [], 'no uncaught exceptions');
  });
}
