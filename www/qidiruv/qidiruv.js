// <qidiruv-search>: the element a page embeds. This small loader draws a
// plain search box at once and fetches the WebAssembly widget only when a
// visitor points at, focuses or types into it, or when the page's URL has
// ?q= — never otherwise on page load. It also exports search() for scripts
// and focuses the box on / and Ctrl+K (⌘+K on macOS).

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

/**
 * Searches the index without any element on the page. Resolves to what
 * `qidiruv search --json` prints (highlights in UTF-16 offsets); rejects
 * with an Error saying what failed. See docs/embedding.md.
 */
export async function search(query, { index, lang, preferLang, limit } = {}) {
  if (typeof query !== 'string') throw new TypeError('qidiruv: search() takes the query as a string');
  let module;
  try {
    module = await loadWidget();
  } catch (error) {
    throw new Error(`qidiruv: the search widget could not be loaded: ${error.message}`, { cause: error });
  }
  return module.search(query, { index: indexUrl(index), lang, preferLang, limit });
}

function pageLang(element) {
  return element.closest('[lang]')?.getAttribute('lang') || 'en';
}

/** The `results` attribute: results shown at first and added by "show more". */
function resultCount(element) {
  const n = Math.trunc(Number(element.getAttribute('results')));
  return n > 0 ? Math.min(n, 50) : 8;
}

// The box's words until the widget (which has them all) loads.
const placeholders = {
  en: 'Search news…',
  ru: 'Поиск по новостям…',
  uz: 'Yangiliklardan qidirish…',
  'uz-latn': 'Yangiliklardan qidirish…',
  oz: 'Янгиликлардан қидириш…',
  'uz-cyrl': 'Янгиликлардан қидириш…',
};

function defaultPlaceholder(lang) {
  const tag = lang.toLowerCase();
  return placeholders[tag] ?? placeholders[tag.split('-')[0]] ?? placeholders.en;
}

/** The widget that `?q=` and the keyboard shortcuts reach. */
const primary = () => document.querySelector('qidiruv-search[shortcut]') ?? document.querySelector('qidiruv-search');

const urlQuery = new URLSearchParams(location.search).get('q')?.trim();

class QidiruvSearch extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = new URL('qidiruv.css', here).href;
    const mount = document.createElement('div');
    mount.className = 'mount';
    const box = document.createElement('div');
    box.className = 'qidiruv';
    const input = document.createElement('input');
    input.type = 'search';
    input.className = 'input';
    input.autocomplete = 'off';
    input.placeholder = this.getAttribute('placeholder') || defaultPlaceholder(pageLang(this));
    input.setAttribute('aria-label', input.placeholder);
    box.append(input);
    mount.append(box);
    root.append(style, mount);

    const start = () => this.#start(mount, input);
    input.addEventListener('pointerenter', () => loadWidget().catch(() => {}), { once: true });
    input.addEventListener('focus', start, { once: true });
    input.addEventListener('input', start, { once: true });
    if (urlQuery && this === primary()) {
      input.value = urlQuery;
      input.focus(); // starts the widget, which searches what the box holds
    }
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
        query: input.value,
        focus: this.shadowRoot.activeElement === input,
        instance: instances++,
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
  const box = primary()?.shadowRoot?.querySelector('input');
  if (!box) return;
  e.preventDefault();
  box.focus();
}

if (!customElements.get('qidiruv-search')) {
  customElements.define('qidiruv-search', QidiruvSearch);
  document.addEventListener('keydown', onShortcut);
}
