//! The filters above the results: a row of toggle buttons per language and
//! a year menu, both with match counts. They sit outside the listbox (which
//! holds only options): Tab reaches them from the box.

use qidiruv_engine::Facets;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::state::Filter;

/// The filters for the current query's `facets`, `filter` in force; a
/// choice is sent to `onchange`. A function, not a component: a component's
/// machinery costs the wasm more than the rendering it would save.
pub fn filters(facets: &Facets, filter: &Filter, ui: UiLang, onchange: &Callback<Filter>) -> Html {
    // A choice is offered while it would change something, or is in force.
    let show_langs = facets.languages.len() > 1 || filter.lang.is_some();
    let show_years = facets.years.len() > 1 || filter.year.is_some();
    if !show_langs && !show_years {
        return html! {};
    }
    // The value in force stays on offer (with no matches) after a query without it.
    let mut languages = facets.languages.clone();
    if let Some(lang) = filter.lang.as_ref().filter(|l| !languages.iter().any(|(t, _)| t == *l)) {
        languages.push((lang.clone(), 0));
    }
    let mut years = facets.years.clone();
    if let Some(year) = filter.year.filter(|y| !years.iter().any(|(t, _)| t == y)) {
        // Newest first, as the facets come (no sort: it would cost the wasm a few kB).
        let at = years.iter().position(|&(y, _)| y < year).unwrap_or(years.len());
        years.insert(at, (year, 0));
    }
    let lang_button = |lang: Option<&String>, label: String, count: usize| {
        let pressed = filter.lang.as_ref() == lang;
        let next = Filter { lang: lang.cloned(), ..filter.clone() };
        let onclick = onchange.reform(move |_: MouseEvent| next.clone());
        html! {
            <button type="button" class="chip" aria-pressed={ pressed.to_string() } { onclick }>
                { label }{ " " }<span class="count">{ count }</span>
            </button>
        }
    };
    let onyear = {
        let (filter, onchange) = (filter.clone(), onchange.clone());
        Callback::from(move |e: Event| {
            let value = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value());
            onchange.emit(Filter { year: value.and_then(|v| v.parse().ok()), ..filter.clone() });
        })
    };
    html! {
        <div class="filters">
            if show_langs {
                <div role="group" class="langs" aria-label={ ui.language_filter() }>
                    { lang_button(None, ui.all_languages().into(), facets.stories) }
                    { for languages.iter().map(|(tag, n)| lang_button(Some(tag), ui.language_name(tag), *n)) }
                </div>
            }
            if show_years {
                <label class="year">
                    <span class="visually-hidden">{ ui.year_filter() }</span>
                    <select onchange={ onyear }>
                        <option value="" selected={ filter.year.is_none() }>{ ui.all_years() }</option>
                        { for years.iter().map(|&(year, n)| html! {
                            <option value={ year.to_string() } selected={ filter.year == Some(year) }>
                                { format!("{year} ({n})") }
                            </option>
                        }) }
                    </select>
                </label>
            }
        </div>
    }
}
