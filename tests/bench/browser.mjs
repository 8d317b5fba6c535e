// The in-browser measures: cold first query, warm keystroke latency and wasm
// memory, for one engine at a time, under one network profile. An engine is an
// object describing its test page, how to find its box and how it tells which
// query its shown results are for (see ENGINES in bench.mjs).

import { chainDepth, firstShown, keystrokePrefixes, networkConditions } from './lib.mjs';

// The browser tests' Chromium, with the same flags.
export { launchBrowser } from '../e2e/harness.mjs';

/** How long one query's results may take before the run fails. */
const TIMEOUT_MS = 60_000;
/** How long a typed keystroke may wait for its own results before it counts as never shown. */
const KEYSTROKE_TIMEOUT_MS = 30_000;

/**
 * Runs in the page before any of its scripts: keeps the time of every
 * `input` event and of the first frame painted after it, whatever that frame
 * shows (a long task the engine runs on the keystroke holds that frame back),
 * and `record`, which the engine's watcher calls with the term whose results
 * are now fully shown (and their markup), or null when none are. Each record
 * gets its paint time: the `setTimeout(0)` after the next animation frame,
 * once the frame with the change has been painted.
 */
function instrument() {
  const bench = { inputs: [], frames: [], shown: [] };
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
  bench.record = (term, list = '') => {
    const last = bench.shown.at(-1);
    if (last && last.term === term && last.list === list) return;
    const entry = { term, list, t: performance.now(), paint: null };
    bench.shown.push(entry);
    requestAnimationFrame(() => setTimeout(() => {
      entry.paint = performance.now();
    }));
  };
}

/** Starts the engine's watcher (`engine.watch`, the source of a function of `record`). */
const watch = (page, engine) => page.evaluate(`(${engine.watch})(window.__bench.record)`);

/** Clears the recorded inputs, frames and shown results. */
const reset = (page) =>
  page.evaluate(() => {
    const b = window.__bench;
    b.inputs.length = 0;
    b.frames.length = 0;
    b.shown.length = 0;
  });

/**
 * Waits until the widget shows its results for `term`, typed as the last
 * input event (engine.shows says whether what it shows is for `term`), and
 * they are painted. Returns { input, frame, term, list, t, paint } in the page's
 * clock (`frame`: the first frame painted after the input), or null when they
 * did not come within `timeout` ms.
 */
async function shownFor(page, engine, term, timeout = TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const s = await page.evaluate(() => {
      const b = window.__bench;
      const input = b.inputs.at(-1) ?? null;
      const frame = b.frames.find((f) => f.input === input)?.paint ?? null;
      return { input, frame, shown: input === null ? [] : b.shown.filter((e) => e.t >= input) };
    });
    const hit = s.input === null ? undefined : firstShown(s.shown, s.input, term, engine.shows);
    if (hit && hit.paint !== null) return { input: s.input, frame: s.frame, ...hit };
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A page in a fresh browser context (empty caches) at the engine's test page
 * for `lang`, under the network `profile` (the DevTools protocol's
 * Network.emulateNetworkConditions, which Chromium applies to the page's
 * dedicated workers too: checkEmulation), loaded and network-idle.
 */
async function freshPage(browser, server, engine, lang, profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await emulate(context, page, profile);
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
  await page.goto(server.url(engine.page(lang)), { waitUntil: 'load', timeout: TIMEOUT_MS });
  await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS });
  if (engine.preloaded) {
    await page.waitForFunction((expr) => new Function(`return ${expr}`)(), engine.preloaded, { timeout: TIMEOUT_MS });
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS });
  }
  await watch(page, engine);
  return { page, context, problems, navStart, requests };
}

/**
 * Emulates `profile` on `page` over its own DevTools session (kept open for
 * the page's life: the conditions belong to the session).
 */
async function emulate(context, page, profile) {
  const conditions = networkConditions(profile);
  if (!conditions) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', conditions);
}

/**
 * Checks that `profile`'s emulation slows the fetches of a dedicated worker
 * (Pagefind searches in one) as it does the page's: times one fetch from each
 * on a page at `pagePath`, with `workerPath` a worker that fetches the url it
 * is sent and answers the ms it took. Throws when either took less than the
 * profile's latency; returns { page, worker } in ms.
 */
export async function checkEmulation(browser, server, profile, pagePath, workerPath) {
  const conditions = networkConditions(profile);
  if (!conditions) return null;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await emulate(context, page, profile);
    await page.goto(server.url(pagePath), { timeout: TIMEOUT_MS });
    const took = await page.evaluate(async ([target, workerUrl]) => {
      const t = performance.now();
      await (await fetch(`${target}?page`, { cache: 'no-store' })).arrayBuffer();
      const inPage = performance.now() - t;
      const worker = new Worker(workerUrl);
      const inWorker = await new Promise((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.postMessage(`${target}?worker`);
      });
      worker.terminate();
      return { page: inPage, worker: inWorker };
    }, [pagePath, workerPath]);
    if (took.page < conditions.latency || took.worker < conditions.latency) {
      throw new Error(`the ${profile.name} profile adds ${conditions.latency} ms to every request, but a fetch took ` +
        `${took.page.toFixed(0)} ms from the page and ${took.worker.toFixed(0)} ms from a worker: ` +
        'this Chromium does not emulate the network for both');
    }
    return took;
  } finally {
    await context.close();
  }
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

/** Resolves once `server` has answered every request and seen none for `quietMs` (at most `maxMs`). */
async function serverQuiet(server, quietMs = 600, maxMs = 5000) {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    const last = server.log.at(-1);
    const busy = server.log.some((r) => r.end === undefined);
    if (!busy && (!last || performance.now() - last.start >= quietMs)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The first query on a fresh page (new browser context, empty cache) under
 * `profile`: focus the box, type the query in one input event, wait until its
 * results are painted. Bytes are the server's log from navigation on, until
 * it is quiet after the paint; requests and the dependent chain from focus
 * on, and the chain of requests the keystroke starts, each up to the moment
 * the results were seen.
 */
export async function coldQuery(browser, server, engine, { lang, query }, profile) {
  const { page, context, problems, navStart, requests } = await freshPage(browser, server, engine, lang, profile);
  try {
    const fromFocus = performance.now();
    const fromFocusWall = Date.now();
    const focusAt = await page.evaluate(() => performance.now());
    await focus(page, engine);
    await reset(page);
    const keystrokeWall = Date.now();
    await page.keyboard.insertText(query);
    const shown = await shownFor(page, engine, query);
    if (!shown) throw new Error(`${engine.name} on ${lang}: no results for ${JSON.stringify(query)} within ${TIMEOUT_MS} ms`);
    const done = performance.now();
    if (problems.length) throw new Error(`${engine.name} on ${lang}: ${problems.join('; ')}`);
    const pagePath = engine.page(lang);
    const all = server.log.filter((r) => r.start >= navStart && r.start <= done && r.path !== pagePath);
    // Requests and round trips count up to the moment the results were in the
    // DOM: one that started later was not waited for.
    const untilNow = (await page.evaluate(() => performance.timeOrigin)) + shown.t;
    // Bytes count what the query fetches after its first paint too (Qidiruv's
    // store tails, which complete excerpts): everything until the server is quiet.
    await serverQuiet(server);
    const fetched = server.log.filter((r) => r.start >= navStart && r.path !== pagePath);
    const sinceFocus = (rs) => rs.filter((r) => r.start >= fromFocusWall - 1 && r.start <= untilNow);
    // What the query itself waits on: the focus prefetch may still be in flight.
    const sinceKeystroke = (rs) => rs.filter((r) => r.start >= keystrokeWall - 1);
    const afterFocus = sinceFocus(requests);
    const fetchedAfterFocus = sinceFocus(await fetchTimes(page));
    // A cross-check of the two clocks' windows: both should see the same requests.
    const served = all.filter((r) => r.start >= fromFocus).length;
    const isCode = (r) => engine.code.has(r.path);
    const sum = (rs) => rs.reduce((acc, r) => acc + r.bytes, 0);
    const failed = fetched.filter((r) => r.error);
    if (failed.length) throw new Error(`${engine.name}: requests failed: ${failed.map((r) => r.path).join(', ')}`);
    return {
      query,
      lang,
      ms: shown.paint - focusAt,
      indexBytes: sum(fetched.filter((r) => !isCode(r))),
      totalBytes: sum(fetched),
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

/** Types `query` as one input event (over the selection, if any) and waits for its results. */
async function typeWhole(page, engine, query) {
  await reset(page);
  await page.keyboard.insertText(query);
  if (!(await shownFor(page, engine, query))) {
    throw new Error(`${engine.name}: no results for ${JSON.stringify(query)} within ${TIMEOUT_MS} ms`);
  }
}

/**
 * Selects everything in the box and deletes it; waits until no results are
 * shown, and marks that in the record (a widget says nothing when emptied).
 */
async function clearBox(page, engine) {
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction((expr) => !new Function(`return ${expr}`)(), engine.hasResults, { timeout: TIMEOUT_MS });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
  await page.evaluate(() => window.__bench.record(null));
}

/**
 * Warm keystroke latency under `profile`: on one page per language, after a
 * first query has loaded everything it loads, every query is typed key by
 * key into the emptied box; each keystroke waits for the paint of its own
 * results, however long they take. Returns, per keystroke, the input event's
 * time to that paint (`samples`) and to the first frame painted after it
 * (`frames`: how long the keystroke held the page up); `unchanged` counts the
 * keystrokes whose results are the previous keystroke's (their markup is
 * identical), and `missed` lists those whose own results never came within
 * KEYSTROKE_TIMEOUT_MS. `keystrokes` has every one, for raw.json.
 */
export async function warmTyping(browser, server, engine, queries, profile) {
  const samples = [];
  const frames = [];
  const missed = [];
  const keystrokes = [];
  let unchanged = 0;
  for (const lang of [...new Set(queries.map((q) => q.lang))]) {
    const { page, context, problems } = await freshPage(browser, server, engine, lang, profile);
    try {
      const mine = queries.filter((q) => q.lang === lang);
      await focus(page, engine);
      await typeWhole(page, engine, mine[0].query);
      for (const { query } of mine) {
        await clearBox(page, engine);
        let previous = null;
        for (const prefix of keystrokePrefixes(query)) {
          await reset(page);
          await page.keyboard.insertText([...prefix].at(-1));
          const shown = await shownFor(page, engine, prefix, KEYSTROKE_TIMEOUT_MS);
          if (!shown) {
            missed.push({ lang, prefix });
            keystrokes.push({ lang, prefix, ms: null });
            previous = null;
            continue;
          }
          if (shown.frame !== null) frames.push(shown.frame - shown.input);
          const same = shown.list === previous;
          if (same) unchanged += 1;
          samples.push(shown.paint - shown.input);
          keystrokes.push({ lang, prefix, ms: shown.paint - shown.input, unchanged: same });
          previous = shown.list;
        }
      }
      if (problems.length) throw new Error(`${engine.name} on ${lang}: ${problems.join('; ')}`);
    } finally {
      await context.close();
    }
  }
  return { samples, frames, unchanged, missed, keystrokes };
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
 * WebAssembly memory after `queries` (each typed whole over the last, its
 * results painted) on a fresh page under `profile`: see wasmMemoryOf.
 */
export async function wasmMemory(browser, server, engine, lang, queries, profile) {
  const { page, context, problems } = await freshPage(browser, server, engine, lang, profile);
  try {
    await focus(page, engine);
    for (const query of queries) {
      await page.keyboard.press('Control+A');
      await typeWhole(page, engine, query);
    }
    if (problems.length) throw new Error(`${engine.name} on ${lang}: ${problems.join('; ')}`);
    return await wasmMemoryOf(browser, page);
  } finally {
    await context.close();
  }
}
