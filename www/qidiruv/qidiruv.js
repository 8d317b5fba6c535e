// <qidiruv-search>: the element a page embeds. This small loader draws a
// plain search box at once (or, with mode="modal", a button opening a dialog
// that holds it) and fetches the WebAssembly widget only when a visitor
// points at, focuses or types into it, or when the page's URL has ?q= —
// never otherwise on page load. It also exports search() for scripts and
// focuses the box on / and Ctrl+K (⌘+K on macOS).

const here = new URL('./', import.meta.url);
let widget; // the promise of the initialised wasm module, shared by every instance
let instances = 0;

function loadWidget() {
  widget ??= import(new URL('qidiruv_widget.js', here).href)
    .then(async (module) => {
      await module.default({ module_or_path: new URL('qidiruv_widget_bg.wasm', here) });
      return module;
    })
    .catch((error) => {
      widget = undefined; // the next call tries again
      throw error;
    });
  return widget;
}

const indexUrl = (index) => new URL(index || '/search/', document.baseURI).href;

// The manifest and document tables of each index, fetched here while the wasm
// downloads rather than after it starts: two round trips fewer before the
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
    // Parts the widget verified on an earlier visit (its Cache Storage, crates/widget/src/part_cache.rs).
    const kept = (name) =>
      Promise.resolve(globalThis.caches?.open('qidiruv-parts-v1'))
        .then((cache) => cache?.match(new URL(name, url).href))
        .then((response) => response?.arrayBuffer())
        .catch(() => undefined);
    const parts = bytes('qidiruv.json', { cache: 'no-cache' }).then(async (manifest) => {
      const segments = JSON.parse(new TextDecoder().decode(manifest))?.segments;
      const names = Array.isArray(segments) ? segments.map((segment) => segment?.parts?.docs) : [];
      const table = async (name) =>
        typeof name === 'string' ? ((await kept(name)) ?? bytes(name).catch(() => null)) : null;
      return { manifest, docs: await Promise.all(names.map(table)) };
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
// until the widget loads, and the modal dialog's close button.
const latn = { placeholder: 'Yangiliklardan qidirish…', close: 'Yopish' };
const cyrl = { placeholder: 'Янгиликлардан қидириш…', close: 'Ёпиш' };
const WORDS = {
  en: { placeholder: 'Search news…', close: 'Close' },
  ru: { placeholder: 'Поиск по новостям…', close: 'Закрыть' },
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

/** The widget that `?q=` and the keyboard shortcuts reach. */
const primary = () => document.querySelector('qidiruv-search[shortcut]') ?? document.querySelector('qidiruv-search');

const urlQuery = new URLSearchParams(location.search).get('q')?.trim();

class QidiruvSearch extends HTMLElement {
  #opener; // in modal mode: the button, and the dialog it opens
  #dialog;
  #returnTo; // what had focus before the dialog opened

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = el('link', '', { rel: 'stylesheet', href: new URL('qidiruv.css', here).href });
    const mount = el('div', 'mount');
    const box = el('div', 'qidiruv');
    const { placeholder, close } = words(pageLang(this));
    const input = el('input', 'input', { type: 'search', autocomplete: 'off' });
    input.placeholder = this.getAttribute('placeholder') || placeholder;
    input.setAttribute('aria-label', input.placeholder);
    box.append(input);
    mount.append(box);
    root.append(style, this.getAttribute('mode') === 'modal' ? this.#modal(mount, input.placeholder, close) : mount);

    const start = () => {
      prefetchIndex(indexUrl(this.getAttribute('index'))).catch(() => {});
      this.#start(mount, input);
    };
    (this.#opener ?? input).addEventListener('pointerenter', () => loadWidget().catch(() => {}), { once: true });
    input.addEventListener('focus', start, { once: true });
    input.addEventListener('input', start, { once: true });
    if (urlQuery && this === primary()) {
      input.value = urlQuery;
      this.open(); // focuses the box, which starts the widget, which searches what the box holds
    }
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

  async #start(mount, input) {
    if (this.started) return;
    this.started = true;
    try {
      const module = await loadWidget();
      module.mount(mount, {
        index: indexUrl(this.getAttribute('index')),
        lang: pageLang(this),
        placeholder: this.getAttribute('placeholder'),
        limit: resultCount(this),
        instance: instances++,
        // What the box holds and its focus: the widget takes them from the box itself.
      });
    } catch (error) {
      this.started = false;
      console.error('qidiruv: the search widget could not be loaded:', error);
      input.setAttribute('aria-invalid', 'true');
      input.title = 'Search could not be loaded; focus the box to try again.';
      input.addEventListener('focus', () => this.#start(mount, input), { once: true });
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
