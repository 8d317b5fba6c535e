// <qidiruv-search>: the element a page embeds. This small loader draws a
// plain search box at once (or, with mode="modal", a button opening a dialog
// that holds it) and fetches the WebAssembly widget only when a visitor
// points at, focuses or types into it, or when the page's URL has ?q= —
// never otherwise on page load, unless the page asks for that (preload="idle").
// It also exports search() for scripts and focuses the box on / and Ctrl+K
// (⌘+K on macOS).

const here = new URL('./', import.meta.url);
let widget; // the promise of the initialised wasm module, shared by every instance
let instances = 0;
let fresh = 0; // modules discarded after a trap
let trapped = false; // the current module trapped: its later errors are that one's echoes
const started = new Map(); // element → what to do if its widget stops: those loading or running

function loadWidget() {
  // The wasm comes with its glue, not once the glue has run: a round trip
  // sooner, and on a slow link most of the payload's transfer time.
  const wasm = widget ? undefined : fetch(new URL('qidiruv_widget_bg.wasm', here));
  wasm?.catch(() => {}); // a failure is reported below, through the glue's init
  widget ??= import(new URL(`qidiruv_widget.js${fresh ? `?${fresh}` : ''}`, here).href)
    .then(async (module) => {
      await module.default({ module_or_path: wasm });
      trapped = false;
      return module;
    })
    .catch((error) => {
      widget = undefined; // the next call tries again
      // One line per failed load, without the stack: it says nothing to a site's developer.
      console.error(`qidiruv: the search widget could not be loaded: ${error?.message ?? error}`);
      throw error;
    });
  return widget;
}

// After a trap the module is unusable: the next load instantiates it anew.
function discard() {
  widget = undefined;
  fresh++;
  trapped = true;
}

// A trap in the wasm (a bug) leaves the module unusable and would otherwise
// leave a dead box and an uncaught error: report it once and offer a retry.
function onTrap(event) {
  const error = event.error ?? event.reason;
  if (!(error instanceof WebAssembly.RuntimeError) || !String(error.stack).includes(here.href)) return;
  event.preventDefault();
  if (trapped) return;
  console.error(`qidiruv: the search widget stopped: ${error.message}`);
  discard();
  // Later: removing the dead widget makes it trap again (focusout), and an error
  // raised while this one is being reported would bypass this listener.
  setTimeout(() => [...started.values()].forEach((stopped) => stopped()));
}
addEventListener('error', onTrap);
addEventListener('unhandledrejection', onTrap);

const indexUrl = (index) => new URL(index || '/search/', document.baseURI).href;

// The manifest and document tables of each index, fetched here while the wasm
// downloads rather than after it starts: a round trip fewer before the
// first results. The widget finds them under this key; whatever fails here,
// it fetches again itself and reports.
const prefetched = (globalThis[Symbol.for('qidiruv.prefetched')] ??= new Map());

function prefetchIndex(index) {
  const url = index.endsWith('/') ? index : `${index}/`; // as the widget names it
  if (!prefetched.has(url)) {
    // A host that never answers must not hold the widget, which waits for these.
    const bytes = (name, init) =>
      fetch(new URL(name, url), { ...init, signal: AbortSignal.timeout(10_000) }).then((r) =>
        r.ok ? r.arrayBuffer() : Promise.reject(new Error(r.status)),
      );
    // One byte of a document table, beside the tables themselves: a 206 tells
    // the widget the host honours ranges before its first query needs one.
    const honoursRanges = (name) =>
      fetch(new URL(name, url), { headers: { Range: 'bytes=0-0' }, signal: AbortSignal.timeout(10_000) }).then(
        (r) => (r.body?.cancel(), r.status === 206),
        () => undefined,
      );
    // Parts the widget verified on an earlier visit (its Cache Storage, crates/widget/src/part_cache.rs).
    const kept = (name) =>
      Promise.resolve(globalThis.caches?.open('qidiruv-parts-v1'))
        .then((cache) => cache?.match(new URL(name, url).href))
        .then((response) => response?.arrayBuffer())
        .catch(() => undefined);
    // The manifest as soon as it comes: the widget asks for the tables with
    // its first dictionary shards, so it must not wait for them here.
    const parts = bytes('qidiruv.json', { cache: 'no-cache' }).then((manifest) => {
      let names = [];
      try {
        // A segment's document table is `s<seq>-docs.<hash>.bin` (docs/format.md).
        const docs = (s) => (Number.isInteger(s?.seq) && /^[0-9a-f]{16}$/.test(s?.hash) ? `s${s.seq}-docs.${s.hash}.bin` : null);
        const segments = JSON.parse(new TextDecoder().decode(manifest))?.segments;
        names = Array.isArray(segments) ? segments.map(docs) : [];
      } catch {} // the widget reports a bad manifest
      const held = Promise.all(names.map((name) => (typeof name === 'string' ? kept(name) : undefined)));
      const table = (name, i, held) => held[i] ?? (typeof name === 'string' ? bytes(name).catch(() => null) : null);
      const docs = held.then((held) => Promise.all(names.map((name, i) => table(name, i, held))));
      // A visitor whose first table was kept has been here before: no probe,
      // the widget learns the host's ranges from its first range read.
      const ranges = held.then((held) => (typeof names[0] === 'string' && !held[0] ? honoursRanges(names[0]) : undefined));
      return { manifest, docs, ranges };
    });
    parts.catch(() => prefetched.delete(url));
    prefetched.set(url, parts);
  }
  // Emptied (null) once the widget has used it: the widget fetches for itself from then on.
  return prefetched.get(url) ?? Promise.resolve(null);
}

/**
 * Searches the index without any element on the page. Resolves to what
 * `qidiruv search --json` prints (highlights in UTF-16 offsets); rejects
 * with an Error saying what failed. See docs/embedding.md.
 */
export async function search(query, { index, lang, preferLang, limit, from, to } = {}) {
  if (typeof query !== 'string') throw new TypeError('qidiruv: search() takes the query as a string');
  let module;
  prefetchIndex(indexUrl(index)).catch(() => {});
  try {
    module = await loadWidget();
  } catch (error) {
    throw new Error(`qidiruv: the search widget could not be loaded: ${error.message}`, { cause: error });
  }
  return module.search(query, { index: indexUrl(index), lang, preferLang, limit, from, to });
}

function pageLang(element) {
  return element.closest('[lang]')?.getAttribute('lang') || 'en';
}

/** The `results` attribute: results shown at first and added by "show more". */
function resultCount(element) {
  const n = Math.trunc(Number(element.getAttribute('results')));
  return n > 0 ? Math.min(n, 50) : 8;
}

// The loader's own words (the widget has the rest): the box's placeholder
// until the widget loads, the modal dialog's close button, and what the box
// says when the widget itself cannot load.
const latn = {
  placeholder: 'Yangiliklardan qidirish…',
  close: 'Yopish',
  unavailable: 'Qidiruv ishlamayapti: uni yuklab boʻlmadi.',
  retry: 'Qayta urinish',
};
const cyrl = {
  placeholder: 'Янгиликлардан қидириш…',
  close: 'Ёпиш',
  unavailable: 'Қидирув ишламаяпти: уни юклаб бўлмади.',
  retry: 'Қайта уриниш',
};
const WORDS = {
  en: {
    placeholder: 'Search news…',
    close: 'Close',
    unavailable: 'Search is unavailable: it could not be loaded.',
    retry: 'Try again',
  },
  ru: {
    placeholder: 'Поиск по новостям…',
    close: 'Закрыть',
    unavailable: 'Поиск недоступен: не удалось его загрузить.',
    retry: 'Повторить',
  },
  uz: latn,
  'uz-latn': latn,
  oz: cyrl,
  'uz-cyrl': cyrl,
};

function words(lang) {
  const tag = lang.toLowerCase();
  return WORDS[tag] ?? WORDS[tag.split('-')[0]] ?? WORDS.en;
}

function el(tag, className, props = {}) {
  return Object.assign(document.createElement(tag), { className, ...props });
}

/** Calls `then` once the page has loaded and the browser has a moment to spare. */
function whenIdle(then) {
  // Safari has no requestIdleCallback: a second after load is idle enough.
  const idle = () => (globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 1000)))(then, { timeout: 5000 });
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

// A panel wider than its box hangs off the box's end edge, toward the middle
// of a page whose box sits at its end (a header's corner). Where the box sits
// at the start, that would put part of the panel off screen: as it opens, and
// as the window resizes, it hangs off the other edge instead, or failing that
// moves just inside the screen.
const SCREEN_EDGE = 8; // px kept free at the viewport's edges

function keepOnScreen(panel) {
  panel.style.translate = '';
  const { left, width } = panel.getBoundingClientRect();
  const box = panel.parentElement.getBoundingClientRect();
  const room = document.documentElement.clientWidth;
  const fits = (x) => x >= SCREEN_EDGE && x + width <= room - SCREEN_EDGE;
  // The left edge wins where the panel is wider than the screen: left-to-right text begins there.
  const to = [left, box.left, box.right - width].find(fits) ?? Math.max(SCREEN_EDGE, Math.min(left, room - SCREEN_EDGE - width));
  if (Math.abs(to - left) >= 1) panel.style.translate = `${Math.round(to - left)}px`;
}

/** Keeps the panels in `root` (the widget's, or the loader's failure panel) on screen as they open. */
function keepPanelsOnScreen(root) {
  const opened = ({ target, oldValue }) => target.matches('.panel.open') && !/\bopen\b/.test(oldValue ?? '');
  new MutationObserver((records) => records.filter(opened).forEach(({ target }) => keepOnScreen(target))).observe(root, {
    subtree: true,
    attributeFilter: ['class'],
    attributeOldValue: true,
  });
}

/** The widget that `?q=` and the keyboard shortcuts reach. */
const primary = () => document.querySelector('qidiruv-search[shortcut]') ?? document.querySelector('qidiruv-search');

const urlQuery = new URLSearchParams(location.search).get('q')?.trim();

class QidiruvSearch extends HTMLElement {
  #opener; // in modal mode: the button, and the dialog it opens
  #dialog;
  #returnTo; // what had focus before the dialog opened
  #mount; // where the box is, the loader's or the widget's
  #broken = false; // the widget could not load, or stopped

  // The open panels placed again as the window resizes, while the element is in a page.
  #onResize = () => this.shadowRoot.querySelectorAll('.panel.open').forEach(keepOnScreen);

  connectedCallback() {
    addEventListener('resize', this.#onResize, { passive: true });
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = el('link', '', { rel: 'stylesheet', href: new URL('qidiruv.css', here).href });
    const mount = (this.#mount = el('div', 'mount'));
    const { placeholder, close } = words(pageLang(this));
    const label = this.getAttribute('placeholder') || placeholder;
    root.append(style, this.getAttribute('mode') === 'modal' ? this.#modal(mount, label, close) : mount);
    keepPanelsOnScreen(root);
    const input = this.#plainBox();
    root.addEventListener('keydown', (e) => {
      const box = e.composedPath()[0];
      if (!box.matches?.('input.input')) return;
      // Enter that the widget left alone (no result to open), or in the plain box,
      // sends the query where the no-JavaScript form would: the site's search page.
      if (e.key === 'Enter' && !e.defaultPrevented && !e.isComposing) this.#submit(box.value);
      // Keys that edit the box stay in it: a page's key handler sees this element, not
      // an input, as the target, and might take Space or a letter for itself.
      else if (/^(.|Backspace|Delete|ArrowLeft|ArrowRight|Home|End)$/u.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.stopPropagation();
      }
    });
    (this.#opener ?? input).addEventListener('pointerenter', () => loadWidget().catch(() => {}), { once: true });
    if (this.getAttribute('preload') === 'idle') whenIdle(() => this.#preload());
    if (urlQuery && this === primary()) {
      input.value = urlQuery;
      this.open(); // focuses the box, which starts the widget, which searches what the box holds
    }
  }

  disconnectedCallback() {
    removeEventListener('resize', this.#onResize);
  }

  /**
   * Downloads the widget and the index's manifest and document tables, without
   * starting the widget: its first query then waits on that query's parts alone.
   * A failure here is left for focus to meet again, and report.
   */
  #preload() {
    if (navigator.connection?.saveData || started.has(this) || this.#broken) return;
    prefetchIndex(indexUrl(this.getAttribute('index'))).catch(() => {});
    loadWidget().catch(() => {});
  }

  /** The loader's plain box, in place of whatever the mount held; starts the widget when used. */
  #plainBox(value = '') {
    const box = el('div', 'qidiruv');
    const input = el('input', 'input', { type: 'search', autocomplete: 'off', value });
    input.placeholder = this.getAttribute('placeholder') || words(pageLang(this)).placeholder;
    input.setAttribute('aria-label', input.placeholder);
    box.append(input);
    this.#mount.replaceChildren(box);
    const start = () => {
      if (this.#broken) this.#showFailure(true);
      else this.#start(input);
    };
    input.addEventListener('focus', start);
    input.addEventListener('input', start);
    box.addEventListener('focusout', (e) => box.contains(e.relatedTarget) || this.#showFailure(false));
    return input;
  }

  /** Sends `query` to the fallback form's page, if the element holds a form. */
  #submit(query) {
    const form = this.querySelector('form');
    const field = form?.querySelector('[name=q]');
    if (!field || !query.trim()) return;
    field.value = query;
    form.requestSubmit();
  }

  /** The widget stopped (a trap): back to the plain box, saying so. */
  #stopped() {
    const value = this.shadowRoot.querySelector('input.input')?.value ?? '';
    const focused = !!this.shadowRoot.activeElement;
    started.delete(this);
    this.#broken = true;
    const input = this.#plainBox(value);
    if (focused) input.focus();
    this.#showFailure(true);
  }

  /** Shows (or hides) "search is unavailable" with a retry button under the plain box. */
  #showFailure(show) {
    const box = this.#mount.querySelector('.qidiruv');
    let panel = box?.querySelector('.panel');
    if (!this.#broken || !box) return;
    if (!panel) {
      const { unavailable, retry } = words(pageLang(this));
      const status = el('div', 'status', { textContent: `${unavailable} ` });
      status.setAttribute('role', 'status');
      const button = el('button', 'retry', { type: 'button', textContent: retry });
      button.addEventListener('click', () => {
        this.#broken = false;
        panel.remove();
        box.querySelector('input').focus(); // which starts the widget again
      });
      status.append(button);
      panel = el('div', 'panel');
      panel.append(status);
      box.append(panel);
    }
    panel.classList.toggle('open', show);
  }

  /** mode="modal": a button that opens a dialog holding the box. */
  #modal(mount, label, closeLabel) {
    const opener = (this.#opener = el('button', 'opener', { type: 'button' }));
    opener.setAttribute('aria-haspopup', 'dialog');
    const hint = el('kbd', '', { textContent: '/' });
    hint.setAttribute('aria-hidden', 'true');
    opener.append(el('span', 'opener-label', { textContent: label }), hint);
    opener.addEventListener('click', () => this.open());
    const dialog = (this.#dialog = el('dialog', 'dialog'));
    dialog.setAttribute('aria-label', label);
    const closer = el('button', 'close', { type: 'button', textContent: '×' });
    closer.setAttribute('aria-label', closeLabel);
    closer.addEventListener('click', () => dialog.close());
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    dialog.addEventListener('click', (e) => e.target === dialog && dialog.close());
    // Escape the widget did not use (to close its list) closes the dialog, rather than
    // clearing the search box as it would by default.
    dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !e.isComposing) {
        e.preventDefault();
        dialog.close();
      }
    });
    dialog.addEventListener('close', () => {
      this.#returnTo?.focus();
      this.#returnTo = undefined;
    });
    const head = el('div', 'dialog-head');
    head.append(closer);
    dialog.append(head, mount);
    const wrapper = el('div', 'modal');
    wrapper.append(opener, dialog);
    return wrapper;
  }

  /** Focuses the search box; in modal mode, opens its dialog first. */
  open() {
    const dialog = this.#dialog;
    if (dialog && !dialog.open) {
      this.#returnTo = deepActiveElement();
      dialog.showModal();
    }
    this.shadowRoot?.querySelector('input.input')?.focus();
  }

  /** Closes the modal dialog, if this element has one open. */
  close() {
    this.#dialog?.close();
  }

  /** search() with this element's index, language and result count unless `options` say otherwise. */
  search(query, options = {}) {
    const defaults = { index: this.getAttribute('index'), preferLang: pageLang(this), limit: resultCount(this) };
    return search(query, { ...defaults, ...options });
  }

  async #start(input) {
    if (started.has(this)) return;
    started.set(this, () => this.#stopped());
    prefetchIndex(indexUrl(this.getAttribute('index'))).catch(() => {});
    try {
      const module = await loadWidget(); // which reports its own failure
      try {
        module.mount(this.#mount, {
          index: indexUrl(this.getAttribute('index')),
          lang: pageLang(this),
          placeholder: this.getAttribute('placeholder'),
          limit: resultCount(this),
          instance: instances++,
          // What the box holds and its focus: the widget takes them from the box itself.
        });
      } catch (error) {
        console.error(`qidiruv: the search widget stopped: ${error.message}`);
        if (error instanceof WebAssembly.RuntimeError) discard();
        throw error;
      }
    } catch {
      started.delete(this);
      this.#broken = true;
      this.#showFailure(this.#mount.contains(this.shadowRoot.activeElement) || input.value !== '');
    }
  }
}

// Keyboard shortcuts: / and Ctrl+K (⌘+K on macOS) focus the search box,
// except while the visitor types somewhere else.
const mac = /mac|iphone|ipad/i.test(navigator.userAgentData?.platform || navigator.platform);

function isShortcut(e) {
  if (e.altKey) return false;
  if (e.key === '/') return !e.ctrlKey && !e.metaKey;
  // K by its letter, or by its key's place where the layout has no Latin letters (Cyrillic).
  const k = /^[a-z]$/i.test(e.key) ? e.key.toLowerCase() === 'k' : e.code === 'KeyK';
  return k && !e.shiftKey && (mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey);
}

function isEditable(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function onShortcut(e) {
  if (e.defaultPrevented || e.isComposing || !isShortcut(e) || isEditable(e.composedPath()[0])) return;
  const element = primary();
  if (!element?.shadowRoot) return;
  e.preventDefault();
  element.open();
}

/** The focused element, looking into shadow roots. */
function deepActiveElement() {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

if (!customElements.get('qidiruv-search')) {
  customElements.define('qidiruv-search', QidiruvSearch);
  document.addEventListener('keydown', onShortcut);
}
