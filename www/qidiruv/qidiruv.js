// <qidiruv-search>: the element a page embeds. This small loader draws a
// plain search box at once and fetches the WebAssembly widget only when a
// visitor points at, focuses or types into it — never on page load.

const here = new URL('./', import.meta.url);
let widget; // the promise of the initialised wasm module, shared by every instance
let instances = 0;

function loadWidget() {
  widget ??= import(new URL('qidiruv_widget.js', here).href).then(async (module) => {
    await module.default({ module_or_path: new URL('qidiruv_widget_bg.wasm', here) });
    return module;
  });
  return widget;
}

function pageLang(element) {
  return element.closest('[lang]')?.getAttribute('lang') || 'en';
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
  }

  async #start(mount, input) {
    if (this.started) return;
    this.started = true;
    try {
      const module = await loadWidget();
      module.mount(mount, {
        index: new URL(this.getAttribute('index') || '/search/', document.baseURI).href,
        lang: pageLang(this),
        placeholder: this.getAttribute('placeholder'),
        limit: Number(this.getAttribute('results')) || undefined,
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

if (!customElements.get('qidiruv-search')) {
  customElements.define('qidiruv-search', QidiruvSearch);
}
