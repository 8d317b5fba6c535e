// Fast checks of the harness's pure helpers (no browser): node --test tests/bench/

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PROFILES, QUERIES, chainDepth, describeProfile, descendants, firstShown, formatTable, keystrokePrefixes, median,
  networkConditions, parseTimeV, percentile, ratio, resultsName, selectProfiles,
} from './lib.mjs';

test('percentile is nearest-rank', () => {
  const v = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(percentile(v, 50), 5);
  assert.equal(percentile(v, 95), 10);
  assert.equal(percentile(v, 99), 10);
  assert.equal(percentile(v, 0), 1);
  assert.equal(percentile([42], 99), 42);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.equal(median([3, 1, 2]), 2);
  assert.deepEqual(v.slice(0, 2), [5, 1], 'the input is not sorted in place');
});

test('a chain manifest → dictionary → postings → store is four round trips', () => {
  const chain = [
    { start: 0, end: 10 },
    { start: 11, end: 20 },
    { start: 21, end: 40 },
    { start: 41, end: 50 },
  ];
  assert.equal(chainDepth(chain), 4);
});

test('requests in flight together share a level', () => {
  const fanOut = [
    { start: 0, end: 10 }, // manifest
    { start: 11, end: 30 }, // dictionary and postings started together
    { start: 12, end: 25 },
    { start: 31, end: 40 }, // store chunks after both
    { start: 31, end: 45 },
  ];
  assert.equal(chainDepth(fanOut), 3);
  assert.equal(chainDepth([{ start: 0, end: 5 }, { start: 1, end: 9 }, { start: 2, end: 3 }]), 1);
});

test('a request that starts the moment another ends depends on it', () => {
  assert.equal(chainDepth([{ start: 0, end: 10 }, { start: 10, end: 12 }]), 2);
});

test('unfinished requests count once and nothing depends on them; none is depth 0', () => {
  assert.equal(chainDepth([{ start: 0 }, { start: 5, end: 6 }, { start: 7, end: 8 }]), 2);
  assert.equal(chainDepth([]), 0);
});

test('the order requests are listed in does not matter', () => {
  const a = [{ start: 21, end: 40 }, { start: 0, end: 10 }, { start: 11, end: 20 }];
  assert.equal(chainDepth(a), 3);
});

test('/usr/bin/time -v output gives wall seconds and peak bytes', () => {
  const text = `\tCommand being timed: "x"
\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50
\tMaximum resident set size (kbytes): 241532
\tExit status: 0
`;
  assert.deepEqual(parseTimeV(text), { seconds: 62.5, maxRssBytes: 241532 * 1024, exitStatus: 0 });
  assert.equal(parseTimeV('Elapsed (wall clock) time (h:mm:ss or m:ss): 1:00:01\nMaximum resident set size (kbytes): 1').seconds, 3601);
  assert.throws(() => parseTimeV('nothing'), /not \/usr\/bin\/time -v output/);
});

test('descendants walks the whole process tree', () => {
  const pairs = [[10, 1], [11, 10], [12, 11], [13, 10], [20, 1]];
  assert.deepEqual(descendants(10, pairs).sort(), [10, 11, 12, 13]);
});

test('keystroke prefixes follow characters, not UTF-16 units', () => {
  assert.deepEqual(keystrokePrefixes('ab c'), ['a', 'ab', 'ab ', 'ab c']);
  assert.deepEqual(keystrokePrefixes('ўз'), ['ў', 'ўз']);
});

test('the fixed queries cover the four corpus languages', () => {
  assert.deepEqual([...new Set(QUERIES.map((q) => q.lang))].sort(), ['en', 'ru', 'uz-Cyrl', 'uz-Latn']);
});

test('ratios and the table', () => {
  assert.equal(ratio(1, 4), '0.25×');
  assert.equal(ratio(30, 2), '15×');
  assert.equal(ratio(3, 2), '1.5×');
  assert.equal(ratio(1, 0), '—');
  assert.equal(ratio(undefined, 2), '—');
  const table = formatTable([{ section: 'build' }, { measure: 'bytes', q: 1024, p: 2048 }, { measure: 'n', q: 'n/a', p: 3 }]);
  const lines = table.split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[3], /\| bytes +\| +1\.0 KiB \| +2\.0 KiB \| +0\.50× \|/);
  assert.match(lines[4], /n\/a/);
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, 'columns line up');
});

test('every profile by default, named ones in their own order, an unknown one refused', () => {
  assert.deepEqual(selectProfiles().map((p) => p.name), ['local', 'broadband', 'mobile']);
  assert.deepEqual(selectProfiles(['mobile', 'local', 'mobile']).map((p) => p.name), ['local', 'mobile']);
  assert.throws(() => selectProfiles(['3g']), /unknown profile "3g": one of local, broadband, mobile/);
});

test('network conditions are in bytes per second; local emulates nothing', () => {
  const byName = Object.fromEntries(PROFILES.map((p) => [p.name, p]));
  assert.equal(networkConditions(byName.local), null);
  assert.deepEqual(networkConditions(byName.mobile),
    { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 });
  assert.deepEqual(networkConditions(byName.broadband),
    { offline: false, latency: 40, downloadThroughput: 2_500_000, uploadThroughput: 2_500_000 });
  assert.deepEqual(networkConditions({ name: 'slow', latencyMs: 300, downBits: null, upBits: null }),
    { offline: false, latency: 300, downloadThroughput: -1, uploadThroughput: -1 }, 'no throughput limit is -1');
  assert.equal(describeProfile(byName.local), 'no emulation (loopback)');
  assert.match(describeProfile(byName.mobile), /^150 ms added to every request, 1\.6 Mbit\/s down, 750 kbit\/s up/);
});

test('a results file names its profile and protocol unless it has every profile over HTTP/2', () => {
  const all = selectProfiles();
  assert.equal(resultsName({ date: '2026-12-06', n: 2000, profiles: all, http1: false }), '2026-12-06-2000.txt');
  assert.equal(resultsName({ date: '2026-12-06', n: 2000, profiles: all, http1: true }), '2026-12-06-2000-http1.txt');
  assert.equal(resultsName({ date: '2026-12-06', n: 10, profiles: selectProfiles(['mobile']), http1: false }),
    '2026-12-06-10-mobile.txt');
  assert.equal(resultsName({ date: '2026-12-06', n: 10, profiles: selectProfiles(['mobile', 'local']), http1: true }),
    '2026-12-06-10-local-mobile-http1.txt');
});

test("a keystroke's results are the first shown for its text after its input", () => {
  const shown = [
    { term: 'fo', t: 5, paint: 20 }, // before the keystroke
    { term: null, t: 12, paint: 30 }, // the list emptied
    { term: 'fo', t: 14, paint: 30 }, // a late answer to the keystroke before
    { term: 'for', t: 40, paint: 50 },
    { term: 'for', t: 60, paint: 70 },
  ];
  assert.equal(firstShown(shown, 10, 'for'), shown[3]);
  assert.equal(firstShown(shown, 10, 'fore'), undefined);
  assert.equal(firstShown(shown, 0, 'fo'), shown[0]);
  // Pagefind says which term its results are for only in its message.
  const messages = [{ term: '12 results for fo', t: 11 }, { term: '9 results for for', t: 30 }];
  const endsWith = (message, typed) => message.endsWith(typed);
  assert.equal(firstShown(messages, 10, 'for', endsWith), messages[1]);
  assert.equal(firstShown(messages, 10, 'fo ', endsWith), undefined, 'a space typed is a new term');
});
