//! The `<qidiruv-search>` widget: a yew UI over the Qidiruv engine.
//!
//! `qidiruv.js` defines the custom element and its shadow root, and loads
//! this module only when a visitor focuses or types into the box (or the
//! page's URL has `?q=`, or a script calls `search()`); it then calls
//! [`mount`] to replace its placeholder box with the real one, or
//! [`api::search`] to answer a script.

mod api;
mod app;
mod events;
mod fetch;
mod filters;
mod i18n;
mod index_client;
mod search;
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
    /// The `results` attribute, already checked by the loader.
    limit: usize,
    #[serde(default)]
    query: String,
    #[serde(default)]
    focus: bool,
    instance: u32,
}

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
        limit: options.limit,
        initial_query: options.query,
        focus: options.focus,
        instance: options.instance,
    };
    root.replace_children_with_node_0();
    yew::Renderer::<SearchBox>::with_root_and_props(root, config).render();
    Ok(())
}
