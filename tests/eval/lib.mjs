// The search-quality evaluation's shared parts: the judged query set, the
// Qidiruv side (its CLI over a fresh index of the corpus), the metrics and
// the table. eval.mjs adds Pagefind; floor.test.mjs pins the numbers.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CORPUS = path.resolve(REPO, '../shared/corpus/dev.jsonl');
export const QUERIES = path.join(REPO, 'tests/eval/queries.jsonl');
export const FLOOR = path.join(REPO, 'tests/eval/floor.json');
/** The CLI under test; QIDIRUV_CLI points the evaluation at another build. */
export const CLI = process.env.QIDIRUV_CLI
  ? path.resolve(process.env.QIDIRUV_CLI)
  : path.join(REPO, 'target/release/qidiruv');

/** Every tag a query may carry, in the order the table prints them. */
export const TAGS = [
  'cross-script', 'apostrophe', 'yo', 'prefix', 'typo', 'name-variant',
  'suffix', 'ru-morphology', 'phrase', 'exclusion', 'layout',
];

/** How many results each metric looks at. */
export const DEPTH = 10;

export function corpusAvailable() {
  return existsSync(CORPUS);
}

function readJsonl(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => [line, i + 1])
    .filter(([line]) => line.trim())
    .map(([line, n]) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${file}:${n}: ${error.message}`);
      }
    });
}

/** The judged queries: { query, relevant: [id], tags: [tag], note }. */
export function loadQueries(file = QUERIES) {
  return readJsonl(file);
}

/** The corpus articles, one object per line. */
export function loadCorpus(file = CORPUS) {
  return readJsonl(file);
}

/**
 * Each article id's story: the `translation_of` group it shares with its
 * translations, else itself (as the indexer groups them). Qidiruv shows one
 * result per story, in one of its versions, so results are judged per story.
 */
export function storyOf(articles) {
  const stories = new Map(articles.map((a) => [a.id, a.translation_of || a.id]));
  return (id) => stories.get(id) ?? id;
}

// --- Qidiruv -------------------------------------------------------------------------

/** Builds the release CLI if it is missing (build.sh eval always rebuilds it). */
export function ensureCli() {
  if (existsSync(CLI) || process.env.QIDIRUV_CLI) return;
  execFileSync('cargo', ['build', '--release', '-p', 'qidiruv'], { cwd: REPO, stdio: 'inherit' });
}

/** Indexes the corpus into a fresh temporary directory; returns { dir, dispose }. */
export function buildQidiruvIndex(corpus = CORPUS) {
  ensureCli();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'qidiruv-eval-'));
  const dir = path.join(tmp, 'index');
  execFileSync(CLI, ['build', corpus, '--out', dir], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  return { dir, dispose: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** The ids of Qidiruv's top `DEPTH` results for `query`, best first. */
export function searchQidiruv(index, query) {
  const out = execFileSync(
    CLI,
    ['search', '--index', index, '--json', '--limit', String(DEPTH), '--', query],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  return JSON.parse(out).results.map((r) => r.id);
}

/** Runs every query through Qidiruv; returns the ranked ids per query. */
export function runQidiruv(queries, corpus = CORPUS) {
  const index = buildQidiruvIndex(corpus);
  try {
    return queries.map((q) => searchQidiruv(index.dir, q.query));
  } finally {
    index.dispose();
  }
}

// --- metrics -------------------------------------------------------------------------

/**
 * success@1, MRR@10, recall@10 (found / min(#relevant, 10)) and nDCG@10 with
 * binary gains, for one query's ranked ids. With `story` (see storyOf), ids
 * are compared as stories: a result is relevant when its story holds a
 * relevant article, in whichever language it is shown, and each story counts
 * once, both among the results and among the relevant ones.
 */
export function scoreQuery(rankedIds, relevant, story = (id) => id) {
  const rel = new Set(relevant.map(story));
  const top = [...new Set(rankedIds.map(story))].slice(0, DEPTH);
  const firstHit = top.findIndex((id) => rel.has(id));
  const found = top.filter((id) => rel.has(id)).length;
  const dcg = top.reduce((sum, id, i) => sum + (rel.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
  let idcg = 0;
  for (let i = 0; i < Math.min(rel.size, DEPTH); i++) idcg += 1 / Math.log2(i + 2);
  return {
    s1: firstHit === 0 ? 1 : 0,
    mrr: firstHit < 0 ? 0 : 1 / (firstHit + 1),
    recall: found / Math.min(rel.size, DEPTH),
    ndcg: idcg ? dcg / idcg : 0,
  };
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Averages per-query scores overall and per tag: { overall, tags: { tag: {...} } }. */
export function aggregate(queries, scores) {
  const summarise = (idx) => ({
    n: idx.length,
    s1: mean(idx.map((i) => scores[i].s1)),
    mrr: mean(idx.map((i) => scores[i].mrr)),
    recall: mean(idx.map((i) => scores[i].recall)),
    ndcg: mean(idx.map((i) => scores[i].ndcg)),
  });
  const all = queries.map((_, i) => i);
  const tags = Object.fromEntries(
    TAGS.map((tag) => [tag, summarise(all.filter((i) => queries[i].tags.includes(tag)))]),
  );
  return { overall: summarise(all), tags };
}

// --- the floor -----------------------------------------------------------------------

/** The floor.json an aggregate supports: each success@1 and recall@10 rounded down to 0.05. */
export function floorOf(summary) {
  const down = (x) => Math.floor(x * 20 + 1e-9) / 20;
  const pick = (key) => ({
    overall: down(summary.overall[key]),
    ...Object.fromEntries(TAGS.map((t) => [t, down(summary.tags[t][key])])),
  });
  return { 'success@1': pick('s1'), 'recall@10': pick('recall') };
}

// --- the table -----------------------------------------------------------------------

const fmt = (x) => (Number.isNaN(x) ? '   -' : x.toFixed(2));

/**
 * One row per aggregate (overall, then each tag), one column block per
 * engine: `engines` is [{ name, summary }] where summary is aggregate()'s.
 */
export function formatTable(engines) {
  const rows = [['overall', (s) => s.overall], ...TAGS.map((t) => [t, (s) => s.tags[t]])];
  const block = (name) => `${name.padEnd(27)}`;
  const head1 = `${''.padEnd(15)}${'n'.padStart(4)} | ${engines.map((e) => block(e.name)).join(' | ')}`;
  const head2 = `${'tag'.padEnd(15)}${''.padStart(4)} | ${engines
    .map(() => ['s@1', 'MRR', 'R@10', 'nDCG'].map((h) => h.padStart(5)).join('  '))
    .join(' | ')}`;
  const line = '-'.repeat(head2.length);
  const body = rows.map(([label, pick]) => {
    const n = pick(engines[0].summary).n;
    const cells = engines.map((e) => {
      const s = pick(e.summary);
      return [s.s1, s.mrr, s.recall, s.ndcg].map((x) => fmt(x).padStart(5)).join('  ');
    });
    return `${label.padEnd(15)}${String(n).padStart(4)} | ${cells.join(' | ')}`;
  });
  return [head1, head2, line, body[0], line, ...body.slice(1)].join('\n');
}

/** The queries Qidiruv does not fully answer, with what it put on top. */
export function formatFailures(queries, scores, ranked, titles) {
  const lines = [];
  queries.forEach((q, i) => {
    const s = scores[i];
    if (s.s1 === 1 && s.recall === 1) return;
    const rel = new Set(q.relevant);
    const missing = q.relevant.filter((id) => !ranked[i].slice(0, DEPTH).includes(id));
    lines.push(
      `- ${JSON.stringify(q.query)} [${q.tags.join(', ')}]  s@1 ${s.s1}  R@10 ${s.recall.toFixed(2)}  MRR ${s.mrr.toFixed(2)}`,
    );
    if (!ranked[i].length) lines.push('    returned nothing');
    ranked[i].slice(0, 3).forEach((id, r) => {
      const title = (titles.get(id) ?? '').replace(/\s+/g, ' ').slice(0, 70);
      lines.push(`    ${r + 1}. ${rel.has(id) ? '+' : ' '} ${id}  ${title}`);
    });
    if (missing.length) lines.push(`    missing from top ${DEPTH}: ${missing.join(', ')}`);
  });
  return lines.join('\n');
}
