//! The `<qidiruv-search>` widget: a yew UI over the Qidiruv engine.
//!
//! `qidiruv.js` defines the custom element and its shadow root, and loads
//! this module only when a visitor focuses or types into the box; it then
//! calls [`mount`] to replace its placeholder box with the real one.

mod app;
mod fetch;
mod i18n;
mod index_client;
mod state;
mod view;

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use app::{Config, SearchBox};
use i18n::UiLang;

/// What `qidiruv.js` passes to [`mount`], read from the element's attributes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MountOptions {
    index: String,
    lang: String,
    placeholder: Option<String>,
    limit: Option<usize>,
    #[serde(default)]
    query: String,
    #[serde(default)]
    focus: bool,
    instance: u32,
}

/// Results shown unless the element's `results` attribute says otherwise.
const DEFAULT_LIMIT: usize = 8;
/// The most results one query shows, whatever the attribute says.
const MAX_LIMIT: usize = 50;

/// Renders the search box into `root` (an element in the shadow root).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, options: JsValue) -> Result<(), JsError> {
    let options: MountOptions = serde_wasm_bindgen::from_value(options)?;
    let mut index = options.index;
    if !index.ends_with('/') {
        index.push('/');
    }
    let config = Config {
        index,
        ui: UiLang::from_tag(&options.lang),
        placeholder: options.placeholder.filter(|p| !p.trim().is_empty()),
        limit: options.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        initial_query: options.query,
        focus: options.focus,
        instance: options.instance,
    };
    root.set_inner_html("");
    yew::Renderer::<SearchBox>::with_root_and_props(root, config).render();
    Ok(())
}
