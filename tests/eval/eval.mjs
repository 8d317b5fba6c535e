// Search-quality evaluation: the judged queries in queries.jsonl against
// ../shared/corpus/dev.jsonl, for Qidiruv and, in the same run, Pagefind.
//
//   node tests/eval/eval.mjs [--qidiruv-only] [--json OUT] [--raise-floor]
//
// Prints success@1, MRR@10, recall@10 and nDCG@10 overall and per tag, then
// the queries Qidiruv does not fully answer. --raise-floor lifts floor.json
// (the CI floor of floor.test.mjs) to this run's Qidiruv numbers rounded down
// to 0.05; it never lowers a floor. README.md says how the queries were judged.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CORPUS, FLOOR, REPO, aggregate, corpusAvailable, floorOf, formatFailures, formatTable, loadCorpus,
  loadQueries, runQidiruv, scoreQuery, storyOf,
} from './lib.mjs';

const USAGE = 'usage: node tests/eval/eval.mjs [--qidiruv-only] [--json OUT] [--raise-floor]';

let args;
try {
  args = parseArgs({
    options: {
      'qidiruv-only': { type: 'boolean', default: false },
      json: { type: 'string' },
      'raise-floor': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

if (!corpusAvailable()) {
  console.log(`eval: skipped, the corpus ${path.relative(REPO, CORPUS)} is not there`);
  process.exit(0);
}

const queries = loadQueries();
const articles = loadCorpus();
const titles = new Map(articles.map((a) => [a.id, a.title]));
const story = storyOf(articles);

const engines = [];
const evaluate = (name, ranked) => {
  const scores = queries.map((q, i) => scoreQuery(ranked[i], q.relevant, story));
  engines.push({ name, ranked, scores, summary: aggregate(queries, scores) });
};

let t = Date.now();
evaluate('Qidiruv', runQidiruv(queries));
console.error(`eval: Qidiruv answered ${queries.length} queries in ${((Date.now() - t) / 1000).toFixed(1)} s`);

if (!args['qidiruv-only']) {
  const { runPagefind } = await import('./pagefind.mjs');
  t = Date.now();
  evaluate('Pagefind', await runPagefind(queries, articles));
  console.error(`eval: Pagefind indexed and answered in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

console.log(`\n${queries.length} judged queries over ${articles.length} articles (${path.relative(REPO, CORPUS)})\n`);
console.log(formatTable(engines));

const [qidiruv] = engines;
const failures = formatFailures(queries, qidiruv.scores, qidiruv.ranked, titles);
console.log(`\nQidiruv: queries without a relevant first result or with relevant articles missing from the top 10` +
  ` (+ marks a relevant result)\n${failures || '  none'}`);

if (args.json) {
  const report = {
    corpus: path.relative(REPO, CORPUS),
    queries: queries.length,
    engines: Object.fromEntries(
      engines.map((e) => [
        e.name.toLowerCase(),
        {
          ...e.summary,
          perQuery: queries.map((q, i) => ({ query: q.query, tags: q.tags, ...e.scores[i], top: e.ranked[i] })),
        },
      ]),
    ),
  };
  writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
  console.error(`eval: wrote ${args.json}`);
}

if (args['raise-floor']) {
  const now = floorOf(qidiruv.summary);
  const old = existsSync(FLOOR) ? JSON.parse(readFileSync(FLOOR, 'utf8')) : {};
  const raised = [];
  for (const [metric, rows] of Object.entries(now)) {
    for (const [row, value] of Object.entries(rows)) {
      const before = old[metric]?.[row];
      if (typeof before === 'number' && before >= value) {
        rows[row] = before;
      } else {
        raised.push(`${row} ${metric} ${before ?? '-'} -> ${value}`);
      }
    }
  }
  writeFileSync(FLOOR, JSON.stringify(now, null, 2) + '\n');
  console.error(`eval: ${path.relative(REPO, FLOOR)}: ${raised.length ? `raised ${raised.join(', ')}` : 'no floor raised'}`);
}
