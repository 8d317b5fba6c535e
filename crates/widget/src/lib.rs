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
mod options;
mod part_cache;
mod search;
mod state;
mod view;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use app::{Config, SearchBox};
use i18n::UiLang;

/// What `qidiruv.js` passes to [`mount`], read from the element's attributes.
struct MountOptions {
    index: String,
    lang: String,
    placeholder: Option<String>,
    /// The `results` attribute, already checked by the loader.
    limit: usize,
    instance: u32,
}

impl MountOptions {
    fn read(options: &JsValue) -> Result<MountOptions, String> {
        let missing = |key: &str| format!("no {key}");
        Ok(MountOptions {
            index: options::text(options, "index")?.ok_or_else(|| missing("index"))?,
            lang: options::text(options, "lang")?.ok_or_else(|| missing("lang"))?,
            placeholder: options::text(options, "placeholder")?,
            limit: options::count(options, "limit")?.ok_or_else(|| missing("limit"))?,
            instance: options::count(options, "instance")?.ok_or_else(|| missing("instance"))? as u32,
        })
    }
}

/// Renders the search box into `root` (an element in the shadow root),
/// next to the loader's box, which keeps focus and keystrokes until the
/// widget has rendered and takes over from it (see [`app::take_over`]).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, options: JsValue) -> Result<(), JsError> {
    let options =
        MountOptions::read(&options).map_err(|e| JsError::new(&format!("qidiruv: bad mount options: {e}")))?;
    let mut index = options.index;
    if !index.ends_with('/') {
        index.push('/');
    }
    let config = Config {
        index,
        ui: UiLang::from_tag(&options.lang),
        placeholder: options.placeholder.filter(|p| !p.trim().is_empty()),
        limit: options.limit,
        loader_box: root.query_selector("input").ok().flatten().and_then(|e| e.dyn_into().ok()),
        instance: options.instance,
    };
    let document = root.owner_document().ok_or_else(|| JsError::new("qidiruv: the element is in no document"))?;
    let target = document.create_element("div").map_err(|_| JsError::new("qidiruv: cannot create an element"))?;
    // Hidden until the takeover, so the two boxes are never seen together.
    target.set_attribute("hidden", "").ok();
    root.append_child(&target).ok();
    yew::Renderer::<SearchBox>::with_root_and_props(target, config).render();
    Ok(())
}
