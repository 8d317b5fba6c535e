//! The search box: a WAI-ARIA combobox over a listbox of results, a "show
//! more" button below the list, and a live region that speaks once typing
//! pauses.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, Node, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use crate::events;
use crate::filters::filters;
use crate::i18n::UiLang;
use crate::search::{self, use_search, Search};
use crate::state::{Action, Phase, State};
use crate::view::{listbox_id, option_id, result_list, safe_href, status_line, ListProps};

/// What the host element configures (see `docs/embedding.md`).
#[derive(Properties, PartialEq, Clone)]
pub struct Config {
    /// Base URL of the index directory, ending in `/`.
    pub index: String,
    pub ui: UiLang,
    pub placeholder: Option<String>,
    /// Results shown at first, and added by each "show more".
    pub limit: usize,
    /// The loader's plain box: what it holds (typed while the widget
    /// loaded, or `?q=`) and its focus pass to the widget's box.
    pub loader_box: Option<HtmlInputElement>,
    /// Distinguishes the element ids of several widgets on one page.
    pub instance: u32,
}

fn focus(input: &NodeRef) {
    if let Some(element) = input.cast::<HtmlInputElement>() {
        let _ = element.focus();
    }
}

#[function_component(SearchBox)]
pub fn search_box(config: &Config) -> Html {
    let Search { state, run, typed, more, refine, ahead } = use_search(config);
    let input = use_node_ref();
    let container = use_node_ref();
    // Where the pointer was last seen over the list.
    let pointer = use_mut_ref(|| (i32::MIN, i32::MIN));

    {
        // Take over what was typed into the placeholder box before loading.
        let (run, ahead, input, container) = (run.clone(), ahead.clone(), input.clone(), container.clone());
        let loader_box = config.loader_box.clone();
        use_effect_with((), move |_| {
            let (initial, focus) = loader_box.map(|old| take_over(&old, &container)).unwrap_or_default();
            if let Some(element) = input.cast::<HtmlInputElement>() {
                element.set_value(&initial);
                if focus {
                    let _ = element.focus();
                }
            }
            if !initial.is_empty() {
                run.emit(initial);
            } else if focus {
                ahead.emit(());
            }
        });
    }
    {
        // No search mid-composition (input events then say isComposing); search what it produced.
        let typed = typed.clone();
        use_effect_with(input.clone(), move |input| {
            let listener = input.cast::<HtmlInputElement>().map(|element| {
                let target = element.clone();
                EventListener::new(&element, "compositionend", move |_| typed.emit(target.value()))
            });
            move || drop(listener)
        });
    }
    {
        // Tell the page once results for a new query are shown.
        let (container, query, total) = (container.clone(), state.query.clone(), state.total);
        use_effect_with((state.query_seq, state.phase == Phase::Ready), move |&(_, ready)| {
            if let Some(node) = container.get().filter(|_| ready) {
                events::query_shown(&node, &query, total);
            }
        });
    }
    {
        // Keep the active option in view as the keyboard (or "show more") moves it.
        let container = container.clone();
        use_effect_with((state.active, state.keyed), move |&(active, keyed)| {
            if active.is_some() && keyed {
                scroll_active_into_view(&container);
            }
        });
    }

    let oninput = Callback::from(move |e: InputEvent| {
        if !e.is_composing() {
            let value = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value());
            typed.emit(value.unwrap_or_default());
        }
    });
    // A visitor chose result `index` (or its translation `variant`): tell the page,
    // which may take the navigation over.
    let choose = {
        let (state, container) = (state.clone(), container.clone());
        Callback::from(move |(index, variant): (usize, Option<usize>)| -> bool {
            let (Some(node), Some(item)) = (container.get(), state.items.get(index)) else { return false };
            let translation = variant.and_then(|v| item.translations.get(v));
            let navigate = events::selected(&node, item, translation, &state.query, index);
            if !navigate {
                state.dispatch(Action::Close);
            }
            navigate
        })
    };
    let onchoose = {
        let choose = choose.clone();
        Callback::from(move |(index, variant, e): (usize, Option<usize>, MouseEvent)| {
            if !choose.emit((index, variant)) {
                e.prevent_default();
            }
        })
    };
    let onhover = {
        let (dispatcher, pointer) = (state.dispatcher(), pointer.clone());
        Callback::from(move |(index, e): (usize, MouseEvent)| {
            // When the list scrolls under a resting pointer, the browser sends
            // mouse events where it already was: only a pointer that moved points.
            let at = (e.screen_x(), e.screen_y());
            if pointer.replace(at) != at {
                dispatcher.dispatch(Action::Activate { index, pointed: true });
            }
        })
    };
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| on_key(&e, &state, &choose))
    };
    // A click into the box that holds a query shows its list again (after Escape, say).
    let onclick = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Reopen))
    };
    let onfocus = {
        let (state, run) = (state.clone(), run.clone());
        Callback::from(move |_: FocusEvent| {
            if state.query.trim().is_empty() {
                ahead.emit(());
            } else if !state.open {
                run.emit(state.query.clone());
            }
        })
    };
    let onfocusout = {
        let (dispatcher, container) = (state.dispatcher(), container.clone());
        Callback::from(move |e: FocusEvent| {
            let inside = e
                .related_target()
                .and_then(|t| t.dyn_into::<Node>().ok())
                .zip(container.get())
                .is_some_and(|(target, container)| container.contains(Some(&target)));
            if !inside {
                dispatcher.dispatch(Action::Close);
            }
        })
    };
    // Escape on the panel's buttons closes the list, as it does in the box.
    let onpanelkey = {
        let (dispatcher, input) = (state.dispatcher(), input.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                focus(&input);
                dispatcher.dispatch(Action::Close);
            }
        })
    };
    let retry = {
        let (run, query, input, base) = (run.clone(), state.query.clone(), input.clone(), config.index.clone());
        Callback::from(move |_: MouseEvent| {
            // Back to the box first: the button is about to go, and focus with it.
            focus(&input);
            search::retry(&base);
            run.emit(query.clone())
        })
    };
    let onmore = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            // Back to the box, where the first new result becomes active: the button may go.
            focus(&input);
            more.emit(());
        })
    };

    let ui = config.ui;
    let prefix = format!("qidiruv-{}", config.instance);
    let placeholder = config.placeholder.clone().unwrap_or_else(|| ui.placeholder().to_string());
    let expanded = state.open && !state.items.is_empty();

    html! {
        <div class="qidiruv" lang={ ui.tag() } ref={ container } { onfocusout }>
            <input ref={ input } type="search" class="input" role="combobox"
                aria-label={ ui.input_label() } aria-autocomplete="list"
                aria-expanded={ expanded.to_string() } aria-controls={ listbox_id(&prefix) }
                aria-activedescendant={ state.active.map(|i| option_id(&prefix, i, state.variant)) }
                autocomplete="off" spellcheck="false" enterkeyhint="search"
                placeholder={ placeholder } { oninput } { onkeydown } { onfocus } { onclick } />
            // tabindex=-1: a scrolling panel is otherwise a Tab stop, and Tab must leave the combobox.
            // ~className, not class: see the note atop view.rs.
            <div ~className={ if state.open { "panel open" } else { "panel" } } tabindex="-1" onkeydown={ onpanelkey }>
                { status_line(&state.status(), ui, retry) }
                { filters(&state.facets, &state.filter, ui, &refine) }
                { result_list(&ListProps { prefix: prefix.clone(), items: state.items.clone(), active: state.active,
                    variant: state.variant, ui, onhover, onchoose }) }
                if state.more {
                    <button type="button" class="more" onclick={ onmore }>{ ui.show_more() }</button>
                }
            </div>
            <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
                { ui.announcement(&state.announced) }
            </div>
        </div>
    }
}

/// Swaps the loader's box for the widget's, in one go so that no keystroke
/// falls between them: returns what the loader's box held and whether it
/// had focus, removes it, and shows the widget.
pub fn take_over(loader_box: &HtmlInputElement, container: &NodeRef) -> (String, bool) {
    let taken = (loader_box.value(), loader_box.matches(":focus").unwrap_or(false));
    if let Some(old) = loader_box.parent_element() {
        old.remove();
    }
    if let Some(host) = container.cast::<Element>().and_then(|c| c.parent_element()) {
        let _ = host.remove_attribute("hidden");
    }
    taken
}

/// Arrow keys move through the results (reopening a closed list), → and ←
/// through the active result's translations, Home/End jump once a result
/// is active, Enter chooses the active option, Escape closes. Keys that end
/// an IME composition are the composition's.
fn on_key(e: &KeyboardEvent, state: &UseReducerHandle<State>, choose: &Callback<(usize, Option<usize>), bool>) {
    if e.is_composing() {
        return;
    }
    let handled = match e.key().as_str() {
        "ArrowDown" => {
            state.dispatch(Action::Step(1));
            true
        }
        "ArrowUp" => {
            state.dispatch(Action::Step(-1));
            true
        }
        "ArrowRight" | "ArrowLeft" if state.active.is_some() => {
            state.dispatch(Action::Variant(if e.key() == "ArrowRight" { 1 } else { -1 }));
            true
        }
        "Home" | "End" if state.active.is_some() => {
            let last = state.items.len().saturating_sub(1);
            let index = if e.key() == "Home" { 0 } else { last };
            state.dispatch(Action::Activate { index, pointed: false });
            true
        }
        // With no active option, Enter opens the first result; with none shown it is
        // left to the loader, which sends the query to the fallback form's search page.
        "Enter" => match state.active.or(state.open.then_some(0)).filter(|&i| i < state.items.len()) {
            Some(i) => {
                let item = &state.items[i];
                let variant = state.variant.filter(|_| state.active == Some(i));
                let url = variant.and_then(|v| item.translations.get(v)).map_or(&item.url, |t| &t.url);
                if choose.emit((i, variant)) {
                    if let (Some(href), Some(window)) = (safe_href(url), web_sys::window()) {
                        let _ = window.location().assign(href);
                    }
                }
                true
            }
            None => false,
        },
        "Escape" if state.open => {
            state.dispatch(Action::Close);
            true
        }
        _ => false,
    };
    if handled {
        e.prevent_default();
    }
}

/// Scrolls the panel (only as far as needed) to show the active option's
/// whole result, its "also in" line included.
fn scroll_active_into_view(container: &NodeRef) {
    let active = container.cast::<Element>().and_then(|c| c.query_selector("[aria-selected=true]").ok().flatten());
    if let Some(option) = active.map(|a| a.closest(".entry").ok().flatten().unwrap_or(a)) {
        let options = ScrollIntoViewOptions::new();
        options.set_block(ScrollLogicalPosition::Nearest);
        option.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
