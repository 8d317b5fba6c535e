//! Reading the option objects `qidiruv.js` passes to [`crate::mount`] and
//! [`crate::api::search`], field by field: serde's reader of JavaScript
//! values would cost the wasm tens of kilobytes.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// `options[key]`: a string, or `None` when it is missing, `undefined` or `null`.
pub fn text(options: &JsValue, key: &str) -> Result<Option<String>, String> {
    given(options, key).map(|value| value.as_string().ok_or_else(|| wrong(key, &value, "a string"))).transpose()
}

/// `options[key]`: a whole number, or `None` when it is missing, `undefined` or `null`.
pub fn count(options: &JsValue, key: &str) -> Result<Option<usize>, String> {
    given(options, key)
        .map(|value| match value.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= usize::MAX as f64 => Ok(n as usize),
            _ => Err(wrong(key, &value, "a whole number")),
        })
        .transpose()
}

fn given(options: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(options, &JsValue::from_str(key)).ok().filter(|value| !value.is_undefined() && !value.is_null())
}

/// Says what `options[key]` is and what it should be.
fn wrong(key: &str, value: &JsValue, expected: &str) -> String {
    let shown = js_sys::JSON::stringify(value).ok().and_then(|json| json.as_string());
    format!("{key} is {}, not {expected}", shown.as_deref().unwrap_or("not JSON"))
}
