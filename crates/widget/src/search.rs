//! Requests: each keystroke (or "show more", or a filter) is a numbered search whose
//! answer the reducer keeps only while it is the latest, plus the pause
//! after a keystroke that lets the live region speak.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use js_sys::Reflect;
use qidiruv_engine::{Query, SearchOptions};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::app::Config;
use crate::index_client::{index_at, prefetch_at, search_at, Progress};
use crate::state::{Action, Filter, State};

/// How long typing must pause before screen readers hear the result count.
const SETTLE: Duration = Duration::from_millis(700);

/// The widget's state and the ways to ask for results.
pub struct Search {
    pub state: UseReducerHandle<State>,
    /// Searches a query: typed, retried, or carried over from the loader.
    pub run: Callback<String>,
    /// Searches what the box holds, unless that was the last query searched.
    pub typed: Callback<String>,
    /// Asks for the current query's next results.
    pub more: Callback<()>,
    /// Searches the current query again under another filter.
    pub refine: Callback<Filter>,
    /// The box is empty and the visitor about to type: opens the index and,
    /// once they pause, fetches what the likeliest first letters wait for.
    pub ahead: Callback<()>,
}

/// The latest request of one widget, shared by its callbacks.
#[derive(Default)]
struct Latest {
    seq: u64,
    /// The query of the latest keystroke.
    query: String,
    /// The filter every request uses, until the visitor changes it.
    filter: Filter,
}

type SharedLatest = Rc<RefCell<Latest>>;

fn next_seq(latest: &SharedLatest) -> u64 {
    let mut latest = latest.borrow_mut();
    latest.seq += 1;
    latest.seq
}

#[hook]
pub fn use_search(config: &Config) -> Search {
    let state = use_reducer(State::default);
    let latest = use_mut_ref(Latest::default);

    let run = {
        let (dispatcher, latest, config) = (state.dispatcher(), latest.clone(), config.clone());
        Callback::from(move |query: String| {
            let seq = next_seq(&latest);
            let typed_before = std::mem::replace(&mut latest.borrow_mut().query, query.clone());
            dispatcher.dispatch(Action::Typed { seq, query: query.clone(), limit: config.limit });
            let settle = dispatcher.clone();
            spawn_local(async move {
                sleep(SETTLE).await;
                settle.dispatch(Action::Settled { seq });
            });
            if !query.trim().is_empty() {
                let ahead = Ahead::after(&typed_before, &query);
                spawn_search(dispatcher.clone(), latest.clone(), &config, seq, query, config.limit, ahead);
            } else {
                spawn_first_letters(latest.clone(), &config);
            }
        })
    };
    let ahead = {
        let (latest, config) = (latest.clone(), config.clone());
        Callback::from(move |()| spawn_first_letters(latest.clone(), &config))
    };
    let typed = {
        let (run, latest) = (run.clone(), latest.clone());
        Callback::from(move |value: String| {
            if latest.borrow().query != value {
                run.emit(value);
            }
        })
    };
    let more = {
        let (dispatcher, latest, config) = (state.dispatcher(), latest.clone(), config.clone());
        let (query, limit) = (state.query.clone(), state.limit + config.limit);
        Callback::from(move |()| {
            let seq = next_seq(&latest);
            dispatcher.dispatch(Action::More { seq, limit });
            spawn_search(dispatcher.clone(), latest.clone(), &config, seq, query.clone(), limit, Ahead::No);
        })
    };
    let refine = {
        let (dispatcher, config, query) = (state.dispatcher(), config.clone(), state.query.clone());
        Callback::from(move |filter: Filter| {
            let seq = next_seq(&latest);
            latest.borrow_mut().filter = filter.clone();
            dispatcher.dispatch(Action::Refine { seq, filter, limit: config.limit });
            spawn_search(dispatcher.clone(), latest.clone(), &config, seq, query.clone(), config.limit, Ahead::No);
        })
    };
    Search { state, run, typed, more, refine, ahead }
}

/// Whether a search's answer is followed by fetching what the visitor's
/// next keystroke will likely need (see `LoadedIndex::prefetch_while`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ahead {
    No,
    /// A few small parts at once, the rest once the typist pauses: a large
    /// fetch ahead while keys come fast would compete with the ones they
    /// wait for, on a phone's link above all.
    WhenPaused,
}

impl Ahead {
    /// Fetch ahead after a query typed one letter on from `before`, not
    /// after one pasted or set at once: a typist's next key is guessable.
    fn after(before: &str, query: &str) -> Ahead {
        let one_more = query.strip_prefix(before).is_some_and(|added| added.chars().count() == 1);
        if one_more {
            Ahead::WhenPaused
        } else {
            Ahead::No
        }
    }
}

/// A typing burst's keys come faster than this; a longer pause is the
/// visitor reading or thinking, time to fetch ahead.
const TYPING_PAUSE: Duration = Duration::from_millis(250);
/// Bytes fetched ahead while a keystroke's own lists and slots come, pause
/// or not: the likeliest next letters' dictionary parts, mostly, so that a
/// typist's next key finds them in. At 1.6 Mbit/s they take 40 ms of a
/// round trip's 150.
const AHEAD_AT_ONCE_BYTES: u64 = 8 * 1024;
/// ... and after a pause, to 32 KiB in all: at 1.6 Mbit/s, about the 150 ms
/// of a round trip, so a prefetch the next keystroke does not need delays
/// its own fetches by no more than that.
const AHEAD_PAUSED_BYTES: u64 = 24 * 1024;

/// Searches for request `seq` and dispatches its answer or failure.
fn spawn_search(
    dispatcher: UseReducerDispatcher<State>,
    latest: SharedLatest,
    config: &Config,
    seq: u64,
    query: String,
    limit: usize,
    ahead: Ahead,
) {
    let (base, options) = (config.index.clone(), search_options(config, &latest, limit));
    spawn_local(async move {
        let wanted = || latest.borrow().seq == seq;
        let query = Query::parse(&query);
        let previewed = Cell::new(false);
        let preview = |answer| {
            previewed.set(true);
            dispatcher.dispatch(Action::Answered { seq, answer });
        };
        // The next keystroke's likeliest parts come while this one's lists and slots do.
        let expanded = || {
            if ahead == Ahead::WhenPaused {
                let (base, query, options, latest) = (base.clone(), query.clone(), options.clone(), latest.clone());
                spawn_local(async move {
                    let wanted = || latest.borrow().seq == seq;
                    prefetch_at(&base, &query, &options, AHEAD_AT_ONCE_BYTES, &wanted).await;
                });
            }
        };
        match search_at(&base, &query, &options, &Progress { wanted: &wanted, expanded: &expanded, preview: &preview })
            .await
        {
            // A newer request replaced this one: its answer is dropped anyway.
            Ok(None) => {}
            Ok(Some(answer)) => {
                dispatcher.dispatch(match previewed.get() {
                    true => Action::Completed { seq, answer },
                    false => Action::Answered { seq, answer },
                });
                if ahead == Ahead::WhenPaused {
                    sleep(TYPING_PAUSE).await;
                    prefetch_at(&base, &query, &options, AHEAD_PAUSED_BYTES, &wanted).await;
                }
            }
            Err(message) => {
                if wanted() {
                    report(&message);
                }
                dispatcher.dispatch(Action::Failed { seq, message });
            }
        }
    });
}

/// Opens the index at once; once the visitor pauses with the box still
/// empty, fetches the heads (and their postings) of the letters a first word
/// likeliest starts with, as after a space between words: a guess, made
/// only for a visitor whose browser does not ask to save data.
fn spawn_first_letters(latest: SharedLatest, config: &Config) {
    let (base, options) = (config.index.clone(), search_options(config, &latest, config.limit));
    let seq = latest.borrow().seq;
    spawn_local(async move {
        let wanted = || latest.borrow().seq == seq;
        if index_at(&base).await.is_ok() && !saves_data() {
            sleep(TYPING_PAUSE).await;
            prefetch_at(&base, &Query::parse(""), &options, AHEAD_PAUSED_BYTES, &wanted).await;
        }
    });
}

/// Whether the browser asks to save data (`navigator.connection.saveData`).
fn saves_data() -> bool {
    let field =
        |of: &JsValue, name: &str| Some(of).filter(|o| o.is_object()).and_then(|o| Reflect::get(o, &name.into()).ok());
    let navigator = field(&js_sys::global(), "navigator");
    let connection = navigator.and_then(|n| field(&n, "connection"));
    connection.and_then(|c| field(&c, "saveData")).is_some_and(|s| s.is_truthy())
}

/// The options a search of this widget runs with: its page's language
/// first, under the visitor's filter.
fn search_options(config: &Config, latest: &SharedLatest, limit: usize) -> SearchOptions {
    let mut options = SearchOptions { prefer_lang: Some(config.ui.tag().into()), limit, ..SearchOptions::default() };
    latest.borrow().filter.apply(&mut options);
    options
}

thread_local! {
    /// Failures already on the console since the last retry.
    static REPORTED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// One console line per failure the visitor sees: the keystrokes after it
/// meet the same remembered failure, which is no news.
fn report(message: &str) {
    if REPORTED.with(|r| r.borrow_mut().insert(message.to_string())) {
        web_sys::console::error_1(&format!("qidiruv: {message}").into());
    }
}

/// The visitor asked to try again: forget the index at `base` and what failed.
pub fn retry(base: &str) {
    crate::index_client::retry(base);
    REPORTED.with(|r| r.borrow_mut().clear());
}
