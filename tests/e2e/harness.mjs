// Shared helpers for the browser tests: a tiny static server, Chromium,
// reading the widget's shadow DOM, and the CLI as the reference for results.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The built site under test; QIDIRUV_E2E_DIST points the tests at another build. */
export const DIST = process.env.QIDIRUV_E2E_DIST ? path.resolve(process.env.QIDIRUV_E2E_DIST) : path.join(REPO, 'dist');
export const CLI = path.join(REPO, 'target/release/qidiruv');
export const SHOTS = path.join(REPO, 'target/e2e');
export const ARTICLES = path.join(REPO, 'www/demo-articles.jsonl');

/** How long a condition may take before a test fails. */
export const WAIT_MS = 10_000;

// --- the build under test ------------------------------------------------------

/**
 * Runs `./build.sh dist` when dist/ or the CLI is missing. Refuses to go on
 * when the CLI binary is newer than dist/: it was rebuilt from newer engine
 * code, so its answers (the tests' reference) would not match the widget's.
 * (No automatic rebuild then: another build may be running in this tree.)
 */
export function ensureDist() {
  const manifest = path.join(DIST, 'search/qidiruv.json');
  const needed = [path.join(DIST, 'en/index.html'), path.join(DIST, 'qidiruv/qidiruv_widget_bg.wasm'), manifest, CLI];
  const missing = needed.filter((f) => !existsSync(f));
  if (missing.length) {
    if (process.env.QIDIRUV_E2E_DIST) throw new Error(`the build in QIDIRUV_E2E_DIST lacks ${missing.join(', ')}`);
    execFileSync(path.join(REPO, 'build.sh'), ['dist'], { cwd: REPO, stdio: ['ignore', 2, 2] });
    return;
  }
  if (statSync(CLI).mtimeMs > statSync(manifest).mtimeMs) {
    throw new Error(`${CLI} is newer than ${DIST}: the widget and the CLI may run different engines; run ./build.sh dist`);
  }
}

/** The demo corpus, one object per article. */
export function demoArticles() {
  return readFileSync(ARTICLES, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

/**
 * What `qidiruv search --json` answers for `query`. `preferLang` is the UI
 * language: the widget ranks its page's language higher, as --prefer-lang does.
 */
export function cliSearch(query, { index = path.join(DIST, 'search'), limit = 8, lang, preferLang, from, to } = {}) {
  const args = ['search', '--index', index, '--json', '--limit', String(limit)];
  if (lang) args.push('--lang', lang);
  if (from) args.push('--from', from);
  if (to) args.push('--to', to);
  if (preferLang) args.push('--prefer-lang', preferLang);
  const out = execFileSync(CLI, [...args, query], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** Runs the CLI's `build`; returns { status, stdout, stderr } without throwing. */
export function cliBuild(jsonl, outDir) {
  try {
    const stdout = execFileSync(CLI, ['build', jsonl, '--out', outDir], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    if (typeof error.status !== 'number') throw error;
    return { status: error.status, stdout: String(error.stdout), stderr: String(error.stderr) };
  }
}

/**
 * Runs the browser tests' index forger, `crates/indexer/examples/forge.rs`
 * (cargo builds it on first use), with `args`; returns what it printed.
 */
export function forge(...args) {
  return execFileSync('cargo', ['run', '--quiet', '-p', 'qidiruv', '--example', 'forge', '--', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** A fresh temporary directory; remove it with rmTemp. */
export function makeTemp(prefix = 'qidiruv-e2e-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmTemp(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function screenshotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, name);
}

// --- the widget's own words (copied from crates/widget/src/i18n.rs) ---------------

export const UI = {
  en: {
    placeholder: 'Search news…',
    inputLabel: "Search the ministry's news",
    resultsLabel: 'Search results',
    loadFailed: 'Search is unavailable: the index could not be loaded.',
    retry: 'Try again',
    showMore: 'Show more results',
    partial: 'No article has every word; showing the closest matches.',
    showingFor: (q) => `Showing results for “${q}”`,
    count: (n) => (n === 1 ? '1 result' : `${n} results`),
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
      'October', 'November', 'December'],
    date: (y, m, d) => `${d} ${m} ${y}`,
  },
  ru: {
    placeholder: 'Поиск по новостям…',
    inputLabel: 'Поиск по новостям министерства',
    resultsLabel: 'Результаты поиска',
    loadFailed: 'Поиск недоступен: не удалось загрузить индекс.',
    retry: 'Повторить',
    showMore: 'Показать ещё результаты',
    partial: 'Нет статей со всеми словами; показаны ближайшие совпадения.',
    showingFor: (q) => `Показаны результаты по запросу «${q}»`,
    count: (n) => `${n} ${russianPlural(n, 'результат', 'результата', 'результатов')}`,
    months: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября',
      'октября', 'ноября', 'декабря'],
    date: (y, m, d) => `${d} ${m} ${y} г.`,
  },
  'uz-Latn': {
    placeholder: 'Yangiliklardan qidirish…',
    inputLabel: 'Vazirlik yangiliklaridan qidirish',
    resultsLabel: 'Qidiruv natijalari',
    loadFailed: 'Qidiruv ishlamayapti: indeksni yuklab boʻlmadi.',
    retry: 'Qayta urinish',
    showMore: 'Yana natijalarni koʻrsatish',
    partial: 'Barcha soʻzlar bir maqolada topilmadi; eng yaqin natijalar.',
    showingFor: (q) => `“${q}” boʻyicha natijalar koʻrsatilmoqda`,
    count: (n) => `${n} ta natija`,
    months: ['yanvar', 'fevral', 'mart', 'aprel', 'may', 'iyun', 'iyul', 'avgust', 'sentabr', 'oktabr',
      'noyabr', 'dekabr'],
    date: (y, m, d) => `${y}-yil ${d}-${m}`,
  },
  'uz-Cyrl': {
    placeholder: 'Янгиликлардан қидириш…',
    inputLabel: 'Вазирлик янгиликларидан қидириш',
    resultsLabel: 'Қидирув натижалари',
    loadFailed: 'Қидирув ишламаяпти: индексни юклаб бўлмади.',
    retry: 'Қайта уриниш',
    showMore: 'Яна натижаларни кўрсатиш',
    partial: 'Барча сўзлар бир мақолада топилмади; энг яқин натижалар.',
    showingFor: (q) => `«${q}» бўйича натижалар кўрсатилмоқда`,
    count: (n) => `${n} та натижа`,
    months: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь',
      'октябрь', 'ноябрь', 'декабрь'],
    date: (y, m, d) => `${y} йил ${d} ${m}`,
  },
};

/** An article language's name as the widget writes it in each UI language. */
export const LANGUAGE_NAMES = {
  en: { en: 'English', ru: 'Английский', 'uz-Latn': 'Inglizcha', 'uz-Cyrl': 'Инглизча' },
  ru: { en: 'Russian', ru: 'Русский', 'uz-Latn': 'Ruscha', 'uz-Cyrl': 'Русча' },
  'uz-Latn': { en: 'Uzbek (Latin)', ru: 'Узбекский (латиница)', 'uz-Latn': 'Oʻzbekcha (lotin)', 'uz-Cyrl': 'Ўзбекча (лотин)' },
  'uz-Cyrl': { en: 'Uzbek (Cyrillic)', ru: 'Узбекский (кириллица)', 'uz-Latn': 'Oʻzbekcha (kirill)', 'uz-Cyrl': 'Ўзбекча (кирилл)' },
};

function russianPlural(n, one, few, many) {
  const [d, h] = [n % 10, n % 100];
  if (d === 1 && h !== 11) return one;
  if (d >= 2 && d <= 4 && !(h >= 12 && h <= 14)) return few;
  return many;
}

/** `YYYY-MM-DD` as the widget writes it in UI language `lang`. */
export function formatDate(lang, iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return UI[lang].date(y, UI[lang].months[m - 1], d);
}

/** The status line the widget should show for a CLI answer. */
export function expectedStatus(lang, answer) {
  const count = UI[lang].count(answer.total);
  const status = answer.partial ? `${count} ${UI[lang].partial}` : count;
  return answer.corrected && answer.total > 0 ? `${status} · ${UI[lang].showingFor(answer.corrected)}` : status;
}

// --- a static file server ----------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.fst': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` (default dist/) on 127.0.0.1 at a free port.
 * `mounts` maps a url prefix such as '/hostile/' to another directory;
 * `headers` is an object of extra response headers, or a function of the
 * url path returning one. `intercept(urlPath, req, res)`, when given, may
 * answer a request itself (a misbehaving host) by returning true.
 * `ranges: false` serves whole files whatever the Range header asks, as
 * `python3 -m http.server` does. `server.requests` lists every path asked for.
 */
export async function startServer({ root = DIST, mounts = {}, headers = {}, intercept, ranges = true } = {}) {
  const requests = [];
  const prefixes = Object.entries(mounts).sort(([a], [b]) => b.length - a.length);

  const server = http.createServer(async (req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    requests.push(urlPath);
    if (intercept && (await intercept(urlPath, req, res))) return;
    const extra = typeof headers === 'function' ? headers(urlPath) : headers;
    const [prefix, base] = prefixes.find(([p]) => urlPath.startsWith(p)) ?? ['/', root];
    const file = path.join(base, path.normalize('/' + urlPath.slice(prefix.length)));
    if (file !== base && !file.startsWith(base + path.sep)) return notFound(res, extra);
    try {
      let target = file;
      if (statSync(target).isDirectory()) {
        if (!urlPath.endsWith('/')) {
          res.writeHead(301, { ...extra, Location: urlPath + '/' }).end();
          return;
        }
        target = path.join(target, 'index.html');
      }
      const whole = await readFile(target);
      const type = MIME[path.extname(target).toLowerCase()] ?? 'application/octet-stream';
      // One byte range, as static hosts serve it (the widget reads store slots so).
      const range = ranges && /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      const [start, end] = range ? [Number(range[1]), Math.min(Number(range[2]) + 1, whole.length)] : [0, whole.length];
      if (range && start >= end) {
        res.writeHead(416, { ...extra, 'Content-Range': `bytes */${whole.length}` }).end();
        return;
      }
      const body = whole.subarray(start, end);
      const partial = range ? { 'Content-Range': `bytes ${start}-${end - 1}/${whole.length}` } : {};
      res.writeHead(range ? 206 : 200, {
        ...extra,
        ...partial,
        ...(ranges ? { 'Accept-Ranges': 'bytes' } : {}),
        'Content-Type': type,
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      notFound(res, extra);
    }
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: (p = '/') => `http://127.0.0.1:${port}${p}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function notFound(res, extra) {
  res.writeHead(404, { ...extra, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
}

// --- the browser ---------------------------------------------------------------------

/** Headless Chromium; `args` are more command-line flags (the bench's certificate). */
export function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
}

/**
 * A page in a fresh context that records what happened on it: `log.console`
 * (every console message as { type, text }), `log.pageErrors` (uncaught
 * exceptions) and `log.requests` (every requested URL). Other options
 * (`hasTouch`, `isMobile`) go to the browser context.
 */
export async function newPage(browser, { viewport = { width: 1280, height: 900 }, colorScheme = 'light', ...context } = {}) {
  const page = await (await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce', ...context })).newPage();
  const log = { console: [], pageErrors: [], requests: [] };
  page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => log.pageErrors.push(e));
  page.on('request', (r) => log.requests.push(r.url()));
  page.log = log;
  return page;
}

/**
 * Registers before/after hooks for a test file: builds dist/ if needed,
 * starts the server (options, or a function returning them, called in
 * `before`) and Chromium. Returns an object filled in by `before`.
 */
export function setUp(serverOptions = {}) {
  const env = {};
  before(async () => {
    ensureDist();
    env.server = await startServer(typeof serverOptions === 'function' ? serverOptions() : serverOptions);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * A new page at `urlPath` on the test server, closed when test `t` ends.
 * `init` (a function) runs in the page before its own scripts.
 */
export async function openPage(env, t, urlPath, { init, ...options } = {}) {
  const page = await newPage(env.browser, options);
  t.after(() => page.context().close());
  if (init) await page.addInitScript(init);
  await page.goto(env.server.url(urlPath));
  return page;
}

// --- the widget ----------------------------------------------------------------------

/**
 * The widget's search box as a visitor sees it: the loader's plain box until
 * the wasm takes over. The wasm's box is in the DOM a moment before, hidden,
 * so only the visible one counts (strict: never two seen together).
 */
export function searchBox(page, host = 'qidiruv-search') {
  return page.locator(`${host} input.input:visible`);
}

/** Focuses the box and waits until the wasm widget has replaced it and has focus. */
export async function activate(page, host = 'qidiruv-search') {
  await searchBox(page, host).focus();
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.shadowRoot?.activeElement?.getAttribute('role') === 'combobox',
    host,
    { timeout: WAIT_MS },
  );
  return page.locator(`${host} [role=combobox]`);
}

/** Everything the widget shows, read from its shadow root. */
export function readWidget(page, host = 'qidiruv-search') {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const box = root.querySelector('input.input');
    const listbox = root.querySelector('[role=listbox]');
    const status = root.querySelector('.status');
    const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
    return {
      value: box.value,
      attrs: Object.fromEntries([...box.attributes].map((a) => [a.name, a.value])),
      focused: root.activeElement === box,
      listboxId: listbox?.id ?? null,
      listboxLabel: listbox?.getAttribute('aria-label') ?? null,
      status: text(status),
      announced: text(root.querySelector('[role=status]')),
      retryButton: text(status?.querySelector('button')),
      showMore: text(root.querySelector('button.more')),
      panelVisible: !!root.querySelector('.panel') && getComputedStyle(root.querySelector('.panel')).display !== 'none',
      // The results; each result's translation links are options too, listed in `also`.
      options: [...root.querySelectorAll('.result[role=option]')].map((o) => ({
        id: o.id,
        tag: o.tagName.toLowerCase(),
        href: o.getAttribute('href'),
        selected: o.getAttribute('aria-selected'),
        title: text(o.querySelector('.title')),
        meta: text(o.querySelector('.meta')),
        time: text(o.querySelector('time')),
        datetime: o.querySelector('time')?.getAttribute('datetime') ?? null,
        excerpt: text(o.querySelector('.excerpt')),
        marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
        also: [...(o.parentElement.querySelectorAll('.also [role=option]') ?? [])].map((a) => ({
          id: a.id,
          href: a.getAttribute('href'),
          hreflang: a.getAttribute('hreflang'),
          text: text(a),
          label: a.getAttribute('aria-label'),
          selected: a.getAttribute('aria-selected'),
        })),
      })),
      filters: {
        languages: [...root.querySelectorAll('.filters .chip')].map((b) => ({
          text: text(b),
          pressed: b.getAttribute('aria-pressed'),
        })),
        year: root.querySelector('.filters select')?.value ?? null,
        years: [...root.querySelectorAll('.filters select option')].map((o) => text(o)),
      },
    };
  }, host);
}

/**
 * Polls `probe` (async, returns a value) until `ok(value)` holds; on timeout
 * fails with `message` and the last value seen.
 */
export async function waitUntil(probe, ok, message, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (ok(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`${message} (waited ${timeout} ms); last seen:\n${JSON.stringify(last, null, 2)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const squash = (s) => s.replace(/\s+/g, ' ').trim();

/** Whether the widget shows exactly the CLI's answer: status, links and excerpts. */
export function showsAnswer(widget, answer, lang) {
  return (
    widget.status === expectedStatus(lang, answer) &&
    widget.options.length === answer.results.length &&
    answer.results.every(
      (r, i) => widget.options[i].href === r.url && widget.options[i].excerpt === squash(r.excerpt),
    )
  );
}

/**
 * Waits until the widget shows the CLI's answer for `query` (`limit`
 * results: the `results` attribute, or more after "show more"; `filter`:
 * the CLI's `lang`, `from` and `to` for a filter chosen in the widget) and
 * returns what it shows.
 */
export async function waitForAnswer(page, query, lang, { host, index, limit, filter = {} } = {}) {
  const answer = cliSearch(query, { preferLang: lang, ...(index ? { index } : {}), ...(limit ? { limit } : {}), ...filter });
  const widget = await waitUntil(
    () => readWidget(page, host),
    (w) => w.value === query && showsAnswer(w, answer, lang),
    `the widget never showed the CLI's answer for ${JSON.stringify(query)}: status ` +
      `${JSON.stringify(expectedStatus(lang, answer))} and ${answer.results.length} results ` +
      `(${answer.results.map((r) => r.url).join(', ')})`,
  );
  return { widget, answer };
}

/** A bare page embedding one widget over the index at `index`, with more `attrs` and `extra` HTML. */
export function testPage({ index, lang = 'en', attrs = '', extra = '' }) {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>qidiruv test page</title><link rel="icon" href="data:,"></head>
<body>
<h1>Test page</h1>
<script type="module" src="/qidiruv/qidiruv.js"></script>
<qidiruv-search index="${index}" lang="${lang}" ${attrs}></qidiruv-search>
${extra}
</body>
</html>
`;
}

/**
 * Runs axe-core in the page (into open shadow roots) over `context`
 * (an axe context; default: the whole document); returns its violations, each with the nodes it found.
 */
export async function audit(page, context = null) {
  // Evaluated rather than added as a <script>, which a strict CSP would refuse.
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (context) => {
    const { violations } = await window.axe.run(context ?? document, { resultTypes: ['violations'] });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
  }, context);
}

/**
 * Presses Tab until the focused element in the widget's shadow root has
 * class `className` (the filters come before "Show more"); returns the
 * classes passed on the way.
 */
export async function tabTo(page, className, host = 'qidiruv-search') {
  const passed = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const now = await page.evaluate((sel) => document.querySelector(sel).shadowRoot.activeElement?.className ?? null, host);
    if (now === className) return passed;
    passed.push(now);
  }
  throw new Error(`Tab never reached .${className}; passed ${JSON.stringify(passed)}`);
}
