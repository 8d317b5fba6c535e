// Pure helpers of the benchmark harness: network profiles, statistics, the
// request-chain depth, which results a keystroke got, parsing `/usr/bin/time -v`,
// and the table. No I/O, no browser, so lib.test.mjs checks them in milliseconds.

/** The fixed queries, each run on a page in its language (README.md says why). */
export const QUERIES = [
  { lang: 'en', query: 'Mirziyoyev' },
  { lang: 'en', query: 'foreign investment' },
  { lang: 'en', query: 'afghanistan security' },
  { lang: 'ru', query: 'саммит' },
  { lang: 'ru', query: 'министр сотрудничества' },
  { lang: 'ru', query: 'Ташкенте' },
  { lang: 'uz-Latn', query: 'hamkorlik' },
  { lang: 'uz-Latn', query: 'Toshkent tashrif' },
  { lang: 'uz-Cyrl', query: 'ташриф' },
  { lang: 'uz-Cyrl', query: 'халқаро иқтисодий' },
];

/**
 * Queries past plain words, for the native bench: typos, a word typed on
 * the wrong keyboard layout, quoted phrases and exclusions, in each script.
 */
export const HARDER_QUERIES = [
  'Mirzyoyev', 'сотрудничста', 'hamkorlk', 'таштиф',
  'ghtpbltyn', 'nfirtyn', 'Ьшкяшнщнум',
  '"foreign investment"', '"министр сотрудничества"', '"Toshkent tashrif"', '"халқаро иқтисодий"',
  'Toshkent -tashrif', 'саммит -Ташкенте', 'security -afghanistan', 'ташриф -халқаро',
];

/**
 * The network profiles a run measures under, in this order: `latencyMs` is added to every request
 * before its response starts, `downBits` and `upBits` (bits/s) are the rates the requests in flight
 * share. `local` emulates nothing (loopback). `mobile` is Lighthouse's mobile profile; `broadband`
 * sends as fast as it receives (a request is a few hundred bytes).
 */
export const PROFILES = [
  { name: 'local', latencyMs: 0, downBits: null, upBits: null },
  { name: 'broadband', latencyMs: 40, downBits: 20e6, upBits: 20e6 },
  { name: 'mobile', latencyMs: 150, downBits: 1.6e6, upBits: 750e3 },
];

/**
 * The profiles named in `names` (every one when none is), in PROFILES order, each once;
 * throws on an unknown name, listing the known ones.
 */
export function selectProfiles(names = []) {
  for (const name of names) {
    if (!PROFILES.some((p) => p.name === name)) {
      throw new Error(`unknown profile ${JSON.stringify(name)}: one of ${PROFILES.map((p) => p.name).join(', ')}`);
    }
  }
  return names.length ? PROFILES.filter((p) => names.includes(p.name)) : [...PROFILES];
}

/**
 * The DevTools protocol's `Network.emulateNetworkConditions` parameters for `profile`
 * (throughputs in bytes/s), or null for a profile that emulates nothing.
 */
export function networkConditions(profile) {
  if (!profile.latencyMs && !profile.downBits && !profile.upBits) return null;
  const bytes = (bits) => (bits ? bits / 8 : -1);
  return {
    offline: false,
    latency: profile.latencyMs,
    downloadThroughput: bytes(profile.downBits),
    uploadThroughput: bytes(profile.upBits),
  };
}

/** A bit rate as people write it: 20 Mbit/s, 750 kbit/s. */
export function formatBits(bits) {
  return bits >= 1e6 ? `${bits / 1e6} Mbit/s` : `${bits / 1e3} kbit/s`;
}

/** What `profile` does, in words, for a table's heading. */
export function describeProfile(profile) {
  if (!networkConditions(profile)) return 'no emulation (loopback)';
  return `${profile.latencyMs} ms added to every request, ${formatBits(profile.downBits)} down, ` +
    `${formatBits(profile.upBits)} up (Chromium's network emulation)`;
}

/**
 * Where a run's table goes unless --out says: `results/<date>-<N>.txt` for a run of every profile
 * over HTTP/2, with `-<profile>` for a single profile and `-http1` for HTTP/1.1.
 */
export function resultsName({ date, n, profiles, http1 }) {
  const some = profiles.length === 1 ? `-${profiles[0].name}` : profiles.length < PROFILES.length
    ? `-${profiles.map((p) => p.name).join('-')}` : '';
  return `${date}-${n}${some}${http1 ? '-http1' : ''}.txt`;
}

/**
 * The first results shown for `term` among `shown` (each { term, t, paint }: what a widget showed
 * at page time `t`, painted at `paint`), at or after `since`: `shows(shownTerm, term)` says whether
 * results shown for `shownTerm` are those for `term`. Undefined when none is yet.
 */
export function firstShown(shown, since, term, shows = (a, b) => a === b) {
  return shown.find((s) => s.t >= since && s.term !== null && shows(s.term, term));
}

/** Every prefix a visitor's typing sends, one per keystroke: "ab" → ["a", "ab"]. */
export function keystrokePrefixes(query) {
  const chars = [...query];
  return chars.map((_, i) => chars.slice(0, i + 1).join(''));
}

/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method: the
 * smallest value with at least p % of the values at or below it. NaN when empty.
 */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (values) => percentile(values, 50);

/**
 * The depth of the dependent request chain among `requests` ({ start, end },
 * any one clock): a request depends on every request that finished at or
 * before it started, so its depth is 1 + the deepest of those (1 if none
 * finished yet). Requests in flight together share a level. Returns the
 * deepest chain, 0 for no requests. Requests without an `end` (never
 * finished) still count at their own level but nothing depends on them.
 */
export function chainDepth(requests) {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const depth = new Map();
  let deepest = 0;
  for (const r of sorted) {
    let d = 1;
    for (const q of sorted) {
      if (q === r) continue;
      if (q.end !== undefined && q.end <= r.start && depth.has(q)) d = Math.max(d, depth.get(q) + 1);
    }
    depth.set(r, d);
    deepest = Math.max(deepest, d);
  }
  return deepest;
}

/** Wall time (seconds) and peak RSS (bytes) from `/usr/bin/time -v` output. */
export function parseTimeV(text) {
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const exit = /Exit status: (\d+)/.exec(text);
  if (!wall || !rss) throw new Error(`not /usr/bin/time -v output:\n${text.slice(-2000)}`);
  const seconds = wall[1].split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return { seconds, maxRssBytes: Number(rss[1]) * 1024, exitStatus: exit ? Number(exit[1]) : NaN };
}

/** Process ids of `root` and all its descendants, from [pid, ppid] pairs. */
export function descendants(root, pairs) {
  const children = new Map();
  for (const [pid, ppid] of pairs) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

// --- formatting ------------------------------------------------------------------

export function formatBytes(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatCount(n) {
  return n === undefined || n === null || Number.isNaN(n) ? '—' : String(n);
}

/** Qidiruv / Pagefind as "0.42×", or "—" when either side is missing or zero. */
export function ratio(q, p) {
  if (typeof q !== 'number' || typeof p !== 'number' || !Number.isFinite(q) || !Number.isFinite(p) || p === 0) {
    return '—';
  }
  const r = q / p;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/**
 * A Markdown table. `rows` are { section } headings or
 * { measure, q, p, fmt } with raw numbers q (Qidiruv) and p (Pagefind);
 * `fmt` turns a number into text (formatBytes by default).
 */
export function formatTable(rows) {
  const lines = [['measure', 'Qidiruv', 'Pagefind', 'Qidiruv/Pagefind']];
  for (const row of rows) {
    if (row.section) {
      lines.push([`**${row.section}**`, '', '', '']);
      continue;
    }
    const fmt = row.fmt ?? formatBytes;
    const show = (v) => (typeof v === 'string' ? v : fmt(v));
    lines.push([row.measure, show(row.q), show(row.p), ratio(row.q, row.p)]);
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => [...l[c]].length)));
  const pad = (s, w, right) => (right ? s.padStart(w) : s.padEnd(w));
  const render = (l) => `| ${l.map((cell, c) => pad(cell, widths[c], c > 0)).join(' | ')} |`;
  return [render(lines[0]), `|${widths.map((w, c) => (c ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`,
    ...lines.slice(1).map(render)].join('\n');
}
