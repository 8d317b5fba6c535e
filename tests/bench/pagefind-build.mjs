// Indexes a JSONL corpus with Pagefind's Node API as custom records, the way
// tests/eval/pagefind.mjs does, and writes the bundle to <out>/pagefind/.
// bench.mjs runs this in its own node process under /usr/bin/time -v, so the
// wall time and peak memory are Pagefind's alone (the Node API drives the
// pagefind binary as a child process, which time -v waits for too).
//
//   node tests/bench/pagefind-build.mjs <articles.jsonl> <out-dir>

import { createReadStream } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import * as pagefind from 'pagefind';

const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error('usage: node tests/bench/pagefind-build.mjs <articles.jsonl> <out-dir>');
  process.exit(2);
}

const { index, errors } = await pagefind.createIndex({});
if (errors.length) throw new Error(`pagefind createIndex: ${errors.join('; ')}`);
let count = 0;
try {
  const lines = readline.createInterface({ input: createReadStream(input, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const a = JSON.parse(line);
    const res = await index.addCustomRecord({
      url: a.url,
      content: `${a.title}\n\n${a.body}`,
      // Lower-cased: pagefind.js lower-cases the page's lang before picking an index.
      language: a.lang.toLowerCase(),
      meta: { title: a.title },
    });
    if (res.errors.length) throw new Error(`pagefind addCustomRecord ${a.id}: ${res.errors.join('; ')}`);
    count += 1;
  }
  const written = await index.writeFiles({ outputPath: path.join(out, 'pagefind') });
  if (written.errors.length) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
} finally {
  await pagefind.close();
}
console.error(`pagefind: indexed ${count} records into ${path.join(out, 'pagefind')}`);
