// Pagefind as the peer on the same queries: its Node API indexes the corpus
// as custom records, and its own pagefind.js searches the bundle in headless
// Chromium, exactly as a site visitor's browser would.
//
// Languages. Pagefind writes one index per record language and a page loads
// only the index of its <html lang>, with that language's wasm (Snowball
// stemmer for en and ru, none for Uzbek). Its `mergeIndex` cannot fill the
// gap: merged indexes run on the primary page's wasm, and merging a bundle
// into itself is skipped. So every query runs on four pages, one per corpus
// language (lang="en", "ru", "uz-latn", "uz-cyrl"), each searching its own
// index with its own stemmer, and the four result lists are merged by
// Pagefind's score, which is what `mergeIndex` itself does with results from
// several indexes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as pagefind from 'pagefind';
import { DEPTH } from './lib.mjs';

/** The corpus languages; Pagefind gets them lower-cased (see the header). */
const LANGUAGES = ['en', 'ru', 'uz-Latn', 'uz-Cyrl'];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
};

/** Writes the Pagefind bundle for `articles` to `<root>/pagefind/`. */
async function buildBundle(articles, root) {
  const { index, errors } = await pagefind.createIndex({});
  if (errors.length) throw new Error(`pagefind createIndex: ${errors.join('; ')}`);
  try {
    for (const a of articles) {
      const res = await index.addCustomRecord({
        url: `/a/${a.id}/`,
        content: `${a.title}\n\n${a.body}`,
        language: a.lang.toLowerCase(),
        meta: { title: a.title, id: a.id },
      });
      if (res.errors.length) throw new Error(`pagefind addCustomRecord ${a.id}: ${res.errors.join('; ')}`);
    }
    const written = await index.writeFiles({ outputPath: path.join(root, 'pagefind') });
    if (written.errors.length) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
  } finally {
    await pagefind.close();
  }
  for (const lang of LANGUAGES) {
    writeFileSync(
      path.join(root, `${lang.toLowerCase()}.html`),
      `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>pagefind ${lang}</title></head><body></body></html>\n`,
    );
  }
}

/** Serves `root` on 127.0.0.1 at a free port. */
async function serve(root) {
  const server = http.createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    const file = path.join(root, path.normalize('/' + urlPath));
    try {
      if (!file.startsWith(root + path.sep) || !(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      const type = MIME[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (p) => `http://127.0.0.1:${server.address().port}${p}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** One page per language, each with pagefind.js initialised for its own index. */
async function openPages(browser, server) {
  return Promise.all(
    LANGUAGES.map(async (lang) => {
      const page = await browser.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(server.url(`/${lang.toLowerCase()}.html`));
      await page.evaluate(async () => {
        window.pf = await import('/pagefind/pagefind.js');
        await window.pf.init();
      });
      return { lang, page, problems };
    }),
  );
}

/** Pagefind's top results on one page: [{ id, score }], best first. */
function searchPage(page, query) {
  return page.evaluate(
    async ([q, depth]) => {
      const r = await window.pf.search(q);
      const top = r.results.slice(0, depth);
      const data = await Promise.all(top.map((x) => x.data()));
      return top.map((x, i) => ({ id: data[i].meta.id, score: x.score }));
    },
    [query, DEPTH],
  );
}

/**
 * Indexes `articles` with Pagefind and runs every query, passed as typed;
 * returns the top `DEPTH` ids per query, merged across the language indexes.
 */
export async function runPagefind(queries, articles) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pagefind-eval-'));
  let server;
  let browser;
  try {
    await buildBundle(articles, root);
    server = await serve(root);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const pages = await openPages(browser, server);
    const ranked = [];
    for (const q of queries) {
      const perLang = await Promise.all(pages.map(({ page }) => searchPage(page, q.query)));
      ranked.push(
        perLang
          .flat()
          .sort((a, b) => b.score - a.score)
          .slice(0, DEPTH)
          .map((r) => r.id),
      );
    }
    const problems = pages.flatMap((p) => p.problems.map((e) => `${p.lang}: ${e}`));
    if (problems.length) throw new Error(`pagefind.js failed in the browser:\n${problems.join('\n')}`);
    return ranked;
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  }
}
