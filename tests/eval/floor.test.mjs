// Pins Qidiruv's search quality: overall and per-tag success@1 and recall@10
// on the judged queries must not fall below floor.json. Qidiruv only, so CI
// needs neither Pagefind nor a browser. Raise the floors as the engine gets
// better: `node tests/eval/eval.mjs --qidiruv-only --raise-floor`.
//
//   node --test tests/eval/

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import {
  FLOOR, TAGS, aggregate, corpusAvailable, loadCorpus, loadQueries, runQidiruv, scoreQuery, storyOf,
} from './lib.mjs';

const skip = corpusAvailable() ? false : 'skipped: ../shared/corpus/dev.jsonl is not there';
const METRICS = { 'success@1': 's1', 'recall@10': 'recall' };

test('the judged query set is well formed', { skip }, () => {
  const queries = loadQueries();
  const ids = new Set(loadCorpus().map((a) => a.id));
  assert.ok(queries.length >= 80 && queries.length <= 100, `${queries.length} queries, want 80 to 100`);
  assert.equal(new Set(queries.map((q) => q.query)).size, queries.length, 'a query occurs twice');
  for (const q of queries) {
    const where = JSON.stringify(q.query);
    assert.ok(q.relevant.length >= 1 && q.relevant.length <= 10, `${where}: ${q.relevant.length} relevant`);
    assert.equal(new Set(q.relevant).size, q.relevant.length, `${where}: an id is listed twice`);
    for (const id of q.relevant) assert.ok(ids.has(id), `${where}: ${id} is not in the corpus`);
    assert.ok(q.tags.length >= 1, `${where}: no tag`);
    for (const tag of q.tags) assert.ok(TAGS.includes(tag), `${where}: unknown tag ${tag}`);
    assert.ok(typeof q.note === 'string' && q.note.length > 0, `${where}: no note`);
  }
  for (const tag of TAGS) {
    const n = queries.filter((q) => q.tags.includes(tag)).length;
    assert.ok(n >= 6, `tag ${tag} has ${n} queries, want at least 6`);
  }
});

test('qidiruv stays at or above the quality floor, overall and per tag', { skip }, () => {
  const floor = JSON.parse(readFileSync(FLOOR, 'utf8'));
  const queries = loadQueries();
  const ranked = runQidiruv(queries);
  const story = storyOf(loadCorpus());
  const scores = queries.map((q, i) => scoreQuery(ranked[i], q.relevant, story));
  const summary = aggregate(queries, scores);
  const below = [];
  for (const [metric, key] of Object.entries(METRICS)) {
    for (const row of ['overall', ...TAGS]) {
      const want = floor[metric]?.[row];
      assert.equal(typeof want, 'number', `floor.json has no ${metric} for ${row}`);
      const got = row === 'overall' ? summary.overall[key] : summary.tags[row][key];
      if (got < want - 1e-9) below.push(`${row} ${metric} ${got.toFixed(3)} < floor ${want}`);
    }
  }
  const failing = queries
    .map((q, i) => ({ q, s: scores[i], top: ranked[i] }))
    .filter(({ s }) => s.s1 < 1 || s.recall < 1)
    .map(({ q, s, top }) => `  ${JSON.stringify(q.query)} [${q.tags}] s@1 ${s.s1} R@10 ${s.recall.toFixed(2)} top: ${top.slice(0, 3).join(', ') || '-'}`);
  assert.deepEqual(below, [], `below the floor:\n${below.join('\n')}\nqueries not fully answered:\n${failing.join('\n')}`);
});

test('results are judged per story: a relevant article shown in its translation counts, once', () => {
  const story = storyOf([
    { id: 'brussels-en', translation_of: 'brussels' },
    { id: 'brussels-ru', translation_of: 'brussels' },
    { id: 'visa-en' },
  ]);
  // The Russian article is relevant; the story is shown in English.
  assert.deepEqual(scoreQuery(['brussels-en', 'visa-en'], ['brussels-ru'], story), { s1: 1, mrr: 1, recall: 1, ndcg: 1 });
  // Two relevant versions are one relevant story; a story listed twice counts once.
  const twice = scoreQuery(['visa-en', 'brussels-ru', 'brussels-en'], ['brussels-en', 'brussels-ru'], story);
  assert.equal(twice.recall, 1);
  assert.equal(twice.mrr, 1 / 2);
  // Without stories, ids are compared as they are.
  assert.equal(scoreQuery(['brussels-en'], ['brussels-ru']).recall, 0);
});
