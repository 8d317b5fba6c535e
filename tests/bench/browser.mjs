// The in-browser measures: cold first query, warm keystroke latency and wasm
// memory, for one engine at a time. An engine is an object describing its
// test page and how to find its box and its results (see ENGINES in bench.mjs).

import { chainDepth, keystrokePrefixes } from './lib.mjs';

// The browser tests' Chromium, with the same flags.
export { launchBrowser } from '../e2e/harness.mjs';

/**
 * Quiet time after the last DOM change of the widget before its results
 * count as settled: long enough that a search still running shows no quiet
 * gap that long (bench.mjs raises it on large indexes, see setSettleMs).
 */
export let SETTLE_MS = 300;
export function setSettleMs(ms) {
  SETTLE_MS = ms;
}
/** How long one query may take before the run fails. */
const TIMEOUT_MS = 60_000;

/**
 * Runs in the page before any of its scripts: keeps the time of every
 * `input` event and of the first frame painted after it, whatever that frame
 * shows: a long task the engine runs on the keystroke holds that frame back.
 */
function instrument() {
  const bench = { inputs: [], mutations: [], paints: [], frames: [] };
  window.__bench = bench;
  // `input` is composed, so the widget's event in its shadow root reaches the document.
  document.addEventListener(
    'input',
    (e) => {
      bench.inputs.push(e.timeStamp);
      requestAnimationFrame(() => setTimeout(() => bench.frames.push({ input: e.timeStamp, paint: performance.now() })));
    },
    true,
  );
}

/**
 * Watches `root()` (the widget's DOM) for changes: each change batch records
 * its time and, after the next animation frame and a task (that is, once the
 * frame with the change has been painted), its paint time.
 */
async function observe(page, engine) {
  await page.evaluate((rootExpr) => {
    const root = new Function(`return ${rootExpr}`)();
    const bench = window.__bench;
    // Screen-reader announcements (a live region updated once typing pauses)
    // are not results being painted.
    const spoken = (r) => (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest('[aria-live]');
    new MutationObserver((records) => {
      if (records.every(spoken)) return;
      const t = performance.now();
      bench.mutations.push(t);
      requestAnimationFrame(() => setTimeout(() => bench.paints.push({ mutation: t, paint: performance.now() })));
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  }, engine.root);
}

/** Clears the recorded inputs and changes. */
const reset = (page) =>
  page.evaluate(() => {
    const b = window.__bench;
    b.inputs.length = 0;
    b.mutations.length = 0;
    b.paints.length = 0;
    b.frames.length = 0;
  });

/**
 * Waits until the widget has changed after the last input and then stayed
 * quiet for SETTLE_MS with results (engine.hasResults) shown; returns the
 * paint time of the last change and the last input time (page clock), or
 * { paint: null } when nothing changed within SETTLE_MS of the input.
 */
async function settle(page, engine, { needResults = true } = {}) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const s = await page.evaluate(
      ([hasResultsExpr, settleMs]) => {
        const b = window.__bench;
        const now = performance.now();
        const input = b.inputs.at(-1) ?? null;
        const last = b.mutations.at(-1) ?? null;
        const painted = b.paints.find((p) => p.mutation === last)?.paint ?? null;
        const results = new Function(`return ${hasResultsExpr}`)();
        const frame = b.frames.find((f) => f.input === input)?.paint ?? null;
        return { now, input, last, painted, results, frame };
      },
      [engine.hasResults, SETTLE_MS],
    );
    const quietSince = s.last ?? s.input ?? s.now;
    if (s.now - quietSince >= SETTLE_MS && (s.painted !== null || s.last === null)) {
      if (!needResults || s.results) {
        return { input: s.input, paint: s.last === null ? null : s.painted, frame: s.frame };
      }
    }
    if (Date.now() > deadline) throw new Error(`${engine.name}: no settled results within ${TIMEOUT_MS} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freshPage(browser, server, engine, lang) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.addInitScript(instrument);
  // The browser's own request times (wall clock, ms): the server sees a burst
  // of parallel requests one after another, the browser sends them together.
  const requests = [];
  page.on('requestfinished', (r) => {
    const t = r.timing();
    requests.push({ url: new URL(r.url()).pathname, start: t.startTime, end: t.startTime + t.responseEnd });
  });
  page.on('requestfailed', (r) => requests.push({ url: new URL(r.url()).pathname, start: r.timing().startTime, failed: true }));
  const navStart = performance.now();
  await page.goto(server.url(engine.page(lang)), { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await observe(page, engine);
  return { page, context, problems, navStart, requests };
}

/** Focuses the widget's box; waits until it is ready for typing. */
async function focus(page, engine) {
  await page.evaluate((inputExpr) => new Function(`return ${inputExpr}`)().focus(), engine.input);
  await page.waitForFunction((readyExpr) => new Function(`return ${readyExpr}`)(), engine.ready, { timeout: TIMEOUT_MS });
}

/**
 * Every fetch the page and its workers made, as each saw it (Resource
 * Timing, epoch ms): `start` when the script asked for it, `end` when its
 * last byte arrived. Requests a script starts together start together here;
 * in the network log (Playwright's `timing()`) a burst of them is spread
 * over 3–12 ms, late enough that a sibling's quick answer looks like a cause.
 */
async function fetchTimes(page) {
  const collect = () =>
    performance.getEntriesByType('resource').map((e) => ({
      url: new URL(e.name).pathname,
      start: performance.timeOrigin + e.startTime,
      end: performance.timeOrigin + e.responseEnd,
    }));
  const seen = await Promise.all([page.evaluate(collect), ...page.workers().map((w) => w.evaluate(collect))]);
  return seen.flat();
}

/**
 * The first query on a fresh page (new browser context, empty cache): focus
 * the box, type the query in one input event, wait for settled results.
 * Requests are the server's log: bytes from navigation on, requests and the
 * dependent chain from focus on, and the chain of requests the keystroke starts.
 */
export async function coldQuery(browser, server, engine, { lang, query }) {
  const { page, context, problems, navStart, requests } = await freshPage(browser, server, engine, lang);
  try {
    const fromFocus = performance.now();
    const fromFocusWall = Date.now();
    const focusAt = await page.evaluate(() => performance.now());
    await focus(page, engine);
    await reset(page);
    const keystrokeWall = Date.now();
    await page.keyboard.insertText(query);
    const { paint } = await settle(page, engine);
    const done = performance.now();
    if (problems.length) throw new Error(`${engine.name} on ${lang}: ${problems.join('; ')}`);
    const pagePath = engine.page(lang);
    const all = server.log.filter((r) => r.start >= navStart && r.start <= done && r.path !== pagePath);
    const untilNow = Date.now();
    const sinceFocus = (rs) => rs.filter((r) => r.start >= fromFocusWall - 1 && r.start <= untilNow);
    // What the query itself waits on: the focus prefetch may still be in flight.
    const sinceKeystroke = (rs) => rs.filter((r) => r.start >= keystrokeWall - 1);
    const afterFocus = sinceFocus(requests);
    const fetchedAfterFocus = sinceFocus(await fetchTimes(page));
    // A cross-check of the two clocks' windows: both should see the same requests.
    const served = all.filter((r) => r.start >= fromFocus).length;
    const isCode = (r) => engine.code.has(r.path);
    const sum = (rs) => rs.reduce((acc, r) => acc + r.bytes, 0);
    const failed = all.filter((r) => r.error);
    if (failed.length) throw new Error(`${engine.name}: requests failed: ${failed.map((r) => r.path).join(', ')}`);
    return {
      query,
      lang,
      ms: paint - focusAt,
      indexBytes: sum(all.filter((r) => !isCode(r))),
      totalBytes: sum(all),
      requests: afterFocus.length,
      served,
      depth: chainDepth(fetchedAfterFocus),
      keystrokeDepth: chainDepth(sinceKeystroke(fetchedAfterFocus)),
      // The same chains from the network log's times, as earlier tables counted them.
      networkDepth: chainDepth(afterFocus),
      networkKeystrokeDepth: chainDepth(sinceKeystroke(afterFocus)),
      paths: afterFocus.map((r) => r.url),
      // Each fetch from focus on, in ms from the keystroke: what the depths count.
      fetches: fetchedAfterFocus.map((r) => ({ url: r.url, start: r.start - keystrokeWall, end: r.end - keystrokeWall })),
    };
  } finally {
    await context.close();
  }
}

/** Selects everything in the box and deletes it; waits until the widget is quiet. */
async function clearBox(page, engine) {
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await settle(page, engine, { needResults: false });
}

/**
 * Warm keystroke latency: on one page per language, after a first query has
 * loaded everything it loads, every query is typed key by key into the empty
 * box; for each keystroke, the input event's time to the paint of the
 * widget's last change before it settled (`samples`), and to the first frame
 * painted after it (`frames`: how long the keystroke held the page up).
 * Keystrokes after which nothing changed (same results) give no sample and
 * are counted in `unchanged`.
 */
export async function warmTyping(browser, server, engine, queries) {
  const samples = [];
  const frames = [];
  let unchanged = 0;
  for (const lang of [...new Set(queries.map((q) => q.lang))]) {
    const { page, context, problems } = await freshPage(browser, server, engine, lang);
    try {
      const mine = queries.filter((q) => q.lang === lang);
      await focus(page, engine);
      await page.keyboard.insertText(mine[0].query);
      await settle(page, engine);
      for (const { query } of mine) {
        await clearBox(page, engine);
        for (const prefix of keystrokePrefixes(query)) {
          await reset(page);
          await page.keyboard.insertText(prefix.at(-1) === ' ' ? ' ' : [...prefix].at(-1));
          const { input, paint, frame } = await settle(page, engine, { needResults: false });
          if (input !== null && frame !== null) frames.push(frame - input);
          if (paint === null || input === null) unchanged += 1;
          else samples.push(paint - input);
        }
      }
      if (problems.length) throw new Error(`${engine.name} on ${lang}: ${problems.join('; ')}`);
    } finally {
      await context.close();
    }
  }
  return { samples, frames, unchanged };
}

/**
 * The summed buffer size of every live WebAssembly.Memory in `page` and in
 * its workers (Pagefind runs its wasm in a Web Worker, out of the page's
 * reach): over CDP, each target's heap is asked for every object whose
 * prototype is WebAssembly.Memory.prototype (Runtime.queryObjects). Returns
 * { page, workers } in bytes.
 */
async function wasmMemoryOf(browser, page) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const own = targetInfos.find((t) => t.type === 'page' && t.url === page.url());
    const targets = targetInfos.filter(
      (t) => t.browserContextId === own.browserContextId && (t.type === 'page' || t.type === 'worker'),
    );
    // Non-flattened sessions: Playwright's CDPSession speaks to one target only.
    let next = 0;
    const pending = new Map();
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const message = JSON.parse(e.message);
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    });
    const total = { page: 0, workers: 0 };
    for (const target of targets) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      const send = (method, params = {}) =>
        new Promise((resolve, reject) => {
          const id = ++next;
          pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
          cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
        });
      const proto = await send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
      const found = await send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
      const sum = await send('Runtime.callFunctionOn', {
        objectId: found.objects.objectId,
        functionDeclaration: 'function () { return this.reduce((acc, m) => acc + m.buffer.byteLength, 0); }',
        returnByValue: true,
      });
      total[target.type === 'page' ? 'page' : 'workers'] += sum.result.value;
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    return total;
  } finally {
    await cdp.detach();
  }
}

/**
 * WebAssembly memory after `queries` (each typed whole into the box, results
 * settled) on a fresh page: see wasmMemoryOf.
 */
export async function wasmMemory(browser, server, engine, lang, queries) {
  const { page, context, problems } = await freshPage(browser, server, engine, lang);
  try {
    await focus(page, engine);
    for (const [i, query] of queries.entries()) {
      await page.keyboard.press('Control+A');
      await reset(page);
      await page.keyboard.insertText(query);
      // The first query waits for results: until the index is in, the widget may sit still for long.
      await settle(page, engine, { needResults: i === 0 });
    }
    if (problems.length) throw new Error(`${engine.name} on ${lang}: ${problems.join('; ')}`);
    return await wasmMemoryOf(browser, page);
  } finally {
    await context.close();
  }
}
