//! The search box: a WAI-ARIA combobox over a listbox of results.

use std::cell::RefCell;
use std::rc::Rc;

use qidiruv_engine::{Query, SearchOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, Node};
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::index_client::index_at;
use crate::state::{Action, Phase, State};
use crate::view::{safe_href, ResultOption};

/// What the host element configures (see `docs/embedding.md`).
#[derive(Properties, PartialEq, Clone)]
pub struct Config {
    /// Base URL of the index directory, ending in `/`.
    pub index: String,
    pub ui: UiLang,
    pub placeholder: Option<String>,
    pub limit: usize,
    /// Text typed before the widget loaded.
    pub initial_query: String,
    /// Whether the box had focus when the widget loaded.
    pub focus: bool,
    /// Distinguishes the element ids of several widgets on one page.
    pub instance: u32,
}

/// Starts loading the index without waiting for it: the visitor is about
/// to type, and the first keystroke should find it on its way.
fn prefetch(base: &str) {
    let base = base.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = index_at(&base).await;
    });
}

#[function_component(SearchBox)]
pub fn search_box(config: &Config) -> Html {
    let state = use_reducer(State::default);
    let input = use_node_ref();
    let container = use_node_ref();
    let latest_seq = use_mut_ref(|| 0u64);

    let run = {
        let dispatcher = state.dispatcher();
        let config = config.clone();
        Callback::from(move |query: String| {
            let seq = next(&latest_seq);
            dispatcher.dispatch(Action::Typed { seq, query: query.clone() });
            if query.trim().is_empty() {
                return;
            }
            let (dispatcher, latest_seq) = (dispatcher.clone(), latest_seq.clone());
            let (base, limit, ui) = (config.index.clone(), config.limit, config.ui);
            wasm_bindgen_futures::spawn_local(async move {
                let options = SearchOptions { prefer_lang: Some(ui.tag().into()), limit, ..Default::default() };
                let result = match index_at(&base).await {
                    Ok(index) => index.search(&Query::parse(&query), &options).await,
                    Err(message) => Err(message),
                };
                dispatcher.dispatch(match result {
                    Ok(answer) => Action::Answered { seq, answer },
                    Err(message) => {
                        // One console line per failure the visitor sees, not per stale keystroke.
                        if *latest_seq.borrow() == seq {
                            web_sys::console::error_1(&format!("qidiruv: {message}").into());
                        }
                        Action::Failed { seq, message }
                    }
                });
            });
        })
    };

    {
        // Take over what was typed into the placeholder box before loading.
        let (run, input, initial, focus) = (run.clone(), input.clone(), config.initial_query.clone(), config.focus);
        let base = config.index.clone();
        use_effect_with((), move |_| {
            if let Some(element) = input.cast::<HtmlInputElement>() {
                element.set_value(&initial);
                if focus {
                    let _ = element.focus();
                }
            }
            if !initial.is_empty() {
                run.emit(initial);
            } else if focus {
                prefetch(&base);
            }
        });
    }

    let oninput = run.reform(|e: InputEvent| {
        e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default()
    });
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| on_key(&e, &state))
    };
    let onfocus = {
        let (state, run, base) = (state.clone(), run.clone(), config.index.clone());
        Callback::from(move |_: FocusEvent| {
            if state.query.trim().is_empty() {
                prefetch(&base);
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
    let retry = {
        let (run, query, input) = (run.clone(), state.query.clone(), input.clone());
        Callback::from(move |_: MouseEvent| {
            // Back to the box first: the button is about to go, and focus with it.
            if let Some(element) = input.cast::<HtmlInputElement>() {
                let _ = element.focus();
            }
            run.emit(query.clone())
        })
    };

    let ui = config.ui;
    let listbox_id = format!("qidiruv-{}-results", config.instance);
    let option_id = |i: usize| format!("qidiruv-{}-option-{i}", config.instance);
    let active_id = state.active.map(option_id);
    let placeholder = config.placeholder.clone().unwrap_or_else(|| ui.placeholder().to_string());
    let expanded = state.open && !state.items.is_empty();

    let status = match &state.phase {
        Phase::Idle => String::new(),
        Phase::Loading if state.items.is_empty() => ui.loading().to_string(),
        Phase::Failed(_) => ui.load_failed().to_string(),
        _ if state.open && state.total == 0 => ui.no_results(state.query.trim()),
        _ if state.partial => format!("{} {}", ui.result_count(state.total), ui.partial()),
        _ => ui.result_count(state.total),
    };
    let corrected = state.corrected.as_ref().filter(|_| state.phase == Phase::Ready && state.total > 0);

    let option = |i: usize| {
        let item = &state.items[i];
        let dispatcher = state.dispatcher();
        html! {
            <ResultOption key={ item.id.clone() } item={ item.clone() } id={ option_id(i) }
                active={ state.active == Some(i) } { ui }
                onhover={ Callback::from(move |_| dispatcher.dispatch(Action::Activate(i))) } />
        }
    };
    let first_related = state.items.iter().position(|item| item.related).unwrap_or(state.items.len());
    let related_label_id = format!("qidiruv-{}-related", config.instance);
    let options = if first_related == state.items.len() {
        (0..state.items.len()).map(option).collect::<Html>()
    } else {
        html! {
            <>
                <div role="group" aria-label={ ui.results_label() }>{ for (0..first_related).map(option) }</div>
                <div role="group" aria-labelledby={ related_label_id.clone() }>
                    <div id={ related_label_id } class="group-label" role="presentation">{ ui.related_label() }</div>
                    { for (first_related..state.items.len()).map(option) }
                </div>
            </>
        }
    };

    html! {
        <div class="qidiruv" lang={ ui.tag() } ref={ container } { onfocusout }>
            <input ref={ input } type="search" class="input" role="combobox"
                aria-label={ ui.input_label() } aria-autocomplete="list"
                aria-expanded={ expanded.to_string() } aria-controls={ listbox_id.clone() }
                aria-activedescendant={ active_id }
                autocomplete="off" spellcheck="false" enterkeyhint="search"
                placeholder={ placeholder } { oninput } { onkeydown } { onfocus } />
            // tabindex=-1: a scrolling panel is otherwise a Tab stop, and Tab must leave the combobox.
            <div class={ classes!("panel", state.open.then_some("open")) } tabindex="-1">
                <div class="status" role="status" aria-live="polite">
                    { status }
                    if let Some(corrected) = corrected {
                        <span class="corrected">{ " · " }{ ui.showing_results_for(corrected) }</span>
                    }
                    if matches!(state.phase, Phase::Failed(_)) {
                        { " " }<button type="button" class="retry" onclick={ retry }>{ ui.retry() }</button>
                    }
                </div>
                <div id={ listbox_id } role="listbox" aria-label={ ui.results_label() } class="results">
                    { options }
                </div>
            </div>
        </div>
    }
}

/// The next query's sequence number.
fn next(latest: &Rc<RefCell<u64>>) -> u64 {
    let mut latest = latest.borrow_mut();
    *latest += 1;
    *latest
}

/// Arrow keys move through the options (reopening a closed list), Home/End
/// jump once an option is active, Enter follows the active one, Escape closes.
fn on_key(e: &KeyboardEvent, state: &UseReducerHandle<State>) {
    let handled = match e.key().as_str() {
        "ArrowDown" => {
            state.dispatch(Action::Step(1));
            true
        }
        "ArrowUp" => {
            state.dispatch(Action::Step(-1));
            true
        }
        "Home" | "End" if state.active.is_some() => {
            let last = state.items.len().saturating_sub(1);
            state.dispatch(Action::Activate(if e.key() == "Home" { 0 } else { last }));
            true
        }
        "Enter" => match state.active.and_then(|i| state.items.get(i)) {
            Some(item) => {
                if let (Some(href), Some(window)) = (safe_href(&item.url), web_sys::window()) {
                    let _ = window.location().assign(href);
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
