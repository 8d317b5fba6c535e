//! The widget's state and how each event changes it.
//!
//! Every request (a keystroke, or "show more") gets a sequence number; an
//! answer for an older request than the current one is dropped, so a slow
//! answer never overwrites a newer one.

use std::rc::Rc;

use qidiruv_engine::{Date, Facets, Presented, ResultItem, SearchOptions};
use yew::Reducible;

use crate::view::safe_href;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    /// Nothing typed yet (or the box was cleared).
    #[default]
    Idle,
    /// Waiting for the index or the results' parts.
    Loading,
    Ready,
    Failed(String),
}

/// What the status line says, as data: the words are in `i18n.rs`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Status {
    #[default]
    Silent,
    Loading,
    Failed,
    NoResults {
        query: String,
    },
    Found {
        total: usize,
        partial: bool,
        /// "Showing results for …", after a typo or keyboard-layout correction.
        corrected: Option<String>,
    },
}

/// The visitor's filters: one language, one year, or all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// A canonical language tag.
    pub lang: Option<String>,
    pub year: Option<i32>,
}

impl Filter {
    /// Narrows `options` to this filter's language and year.
    pub fn apply(&self, options: &mut SearchOptions) {
        options.lang = self.lang.clone();
        options.from = self.year.map(|year| Date { year, month: 1, day: 1 });
        options.to = self.year.map(|year| Date { year, month: 12, day: 31 });
    }
}

#[derive(Clone, Default, PartialEq)]
pub struct State {
    /// The latest request.
    pub seq: u64,
    /// The request that started the current query (its first keystroke's
    /// answer is "results for a query shown"; "show more" is not).
    pub query_seq: u64,
    pub query: String,
    /// How many results the current query asks for.
    pub limit: usize,
    pub phase: Phase,
    pub items: Rc<Vec<ResultItem>>,
    pub total: usize,
    pub related: usize,
    pub partial: bool,
    pub corrected: Option<String>,
    /// Whether more results exist than are shown.
    pub more: bool,
    /// Matches per language and year, whatever the filter.
    pub facets: Facets,
    pub filter: Filter,
    /// The option highlighted with the arrow keys (or the pointer).
    pub active: Option<usize>,
    /// Whether the keyboard moved `active`, which the panel then scrolls
    /// into view (the pointer's option is already in view).
    pub keyed: bool,
    /// Within the active result: its translation link (→ and ←) instead of itself.
    pub variant: Option<usize>,
    /// Whether the listbox is shown.
    pub open: bool,
    /// Whether typing has paused since the current query's keystroke.
    pub settled: bool,
    /// What the live region says: the status as it was once typing paused.
    pub announced: Status,
    /// After "show more": the first new option, made active when it arrives.
    reveal: Option<usize>,
}

pub enum Action {
    Typed {
        seq: u64,
        query: String,
        limit: usize,
    },
    /// "Show more": the same query, asking for `limit` results.
    More {
        seq: u64,
        limit: usize,
    },
    /// A new filter for the current query, asking for `limit` results.
    Refine {
        seq: u64,
        filter: Filter,
        limit: usize,
    },
    Answered {
        seq: u64,
        answer: Presented,
    },
    /// The answered results again, each with its excerpt from the whole
    /// article where the first answer had only its lede.
    Completed {
        seq: u64,
        answer: Presented,
    },
    Failed {
        seq: u64,
        message: String,
    },
    /// Typing paused after the keystroke of request `seq`.
    Settled {
        seq: u64,
    },
    /// Move the active option by this many steps, wrapping.
    Step(isize),
    /// Move among the active result's translations: by one, or back to the result.
    Variant(isize),
    /// Make this option active: by the keyboard (Home/End), or `pointed` at.
    Activate {
        index: usize,
        pointed: bool,
    },
    Close,
    /// Show the list of the query the box holds again.
    Reopen,
}

impl State {
    /// What the status line says now.
    pub fn status(&self) -> Status {
        match &self.phase {
            Phase::Idle => Status::Silent,
            Phase::Loading if self.items.is_empty() => Status::Loading,
            Phase::Failed(_) => Status::Failed,
            _ if self.total == 0 => Status::NoResults { query: self.query.trim().to_string() },
            phase => Status::Found {
                total: self.total,
                partial: self.partial,
                corrected: self.corrected.clone().filter(|_| *phase == Phase::Ready),
            },
        }
    }

    /// Request `seq` asks for a fresh list of `limit` results: nothing is active.
    fn restart(&mut self, seq: u64, limit: usize) {
        self.seq = seq;
        self.limit = limit;
        self.active = None;
        self.variant = None;
        self.reveal = None;
    }

    /// Lets the live region speak, once typing has paused and there is an answer.
    fn announce(&mut self) {
        if self.settled && self.phase != Phase::Loading {
            self.announced = self.status();
        }
    }
}

/// The results with only the translations that can be links (→ and ←
/// count these). The index keeps them by language tag, as the CLI lists them.
fn linkable(mut items: Vec<ResultItem>) -> Vec<ResultItem> {
    for item in &mut items {
        item.translations.retain(|t| t.lang != item.lang && safe_href(&t.url).is_some());
    }
    items
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Typed { seq, query, limit } if query.trim().is_empty() => {
                // An emptied box forgets the last answer: the next word opens
                // the list on "searching", not on another query's results
                // (which would also lay out a full list in the keystroke's
                // frame). The live region keeps its words until typing pauses.
                let (filter, announced) = (next.filter, next.announced);
                next = State { seq, query_seq: seq, query, limit, filter, announced, ..State::default() };
            }
            Action::Typed { seq, query, limit } => {
                next.restart(seq, limit);
                next.query_seq = seq;
                next.more = false;
                next.settled = false;
                next.open = true;
                next.phase = Phase::Loading;
                next.query = query;
            }
            Action::More { seq, limit } => {
                next.seq = seq;
                next.limit = limit;
                next.reveal = Some(self.items.len());
            }
            Action::Refine { seq, filter, limit } => {
                next.restart(seq, limit);
                next.filter = filter;
            }
            Action::Answered { seq, answer } if seq == self.seq => {
                next.phase = Phase::Ready;
                next.total = answer.total;
                next.related = answer.related;
                next.partial = answer.partial;
                next.corrected = answer.corrected;
                next.more = answer.items.len() < answer.total + answer.related;
                next.facets = answer.facets;
                next.active = self.reveal.filter(|&first| first < answer.items.len());
                next.variant = None;
                next.keyed = true;
                next.reveal = None;
                next.items = Rc::new(linkable(answer.items));
                next.announce();
            }
            Action::Completed { seq, answer } if seq == self.seq && self.phase == Phase::Ready => {
                next.corrected = answer.corrected;
                next.items = Rc::new(linkable(answer.items));
            }
            Action::Failed { seq, message } if seq == self.seq => {
                next.phase = Phase::Failed(message);
                next.more = false;
                next.announce();
            }
            Action::Answered { .. } | Action::Completed { .. } | Action::Failed { .. } => return self,
            Action::Settled { seq } if seq == self.query_seq => {
                next.settled = true;
                next.announce();
            }
            Action::Settled { .. } => return self,
            Action::Step(step) => {
                let count = self.items.len() as isize;
                if count == 0 || self.query.trim().is_empty() {
                    return self;
                }
                next.open = true;
                let from = self.active.map_or(if step > 0 { -1 } else { count }, |a| a as isize);
                next.active = Some((from + step).rem_euclid(count) as usize);
                next.variant = None;
                next.keyed = true;
            }
            Action::Variant(step) => {
                let Some(item) = self.active.and_then(|i| self.items.get(i)) else { return self };
                let count = item.translations.len() as isize;
                // Stops at either end: ← from the first translation is the result itself.
                let at = self.variant.map_or(-1, |v| v as isize) + step;
                next.variant = (0..count).contains(&at).then_some(at as usize);
                if at >= count {
                    return self;
                }
            }
            Action::Activate { index, pointed } if index < self.items.len() => {
                next.active = Some(index);
                next.variant = None;
                next.keyed = !pointed;
            }
            Action::Activate { .. } => return self,
            Action::Reopen if !self.open && !self.query.trim().is_empty() => next.open = true,
            Action::Reopen => return self,
            Action::Close => {
                next.open = false;
                next.active = None;
                next.variant = None;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qidiruv_engine::index::Translation;

    fn typed(state: Rc<State>, seq: u64, query: &str) -> Rc<State> {
        state.reduce(Action::Typed { seq, query: query.into(), limit: 2 })
    }

    fn item(id: &str) -> ResultItem {
        ResultItem {
            id: id.into(),
            url: format!("/{id}"),
            lang: "en".into(),
            date: None,
            score: 1.0,
            related: false,
            title: Default::default(),
            excerpt: Default::default(),
            translations: Vec::new(),
        }
    }

    fn translated(id: &str, langs: &[&str]) -> ResultItem {
        let translations =
            langs.iter().map(|&lang| Translation { lang: lang.into(), url: format!("/{lang}/{id}") }).collect();
        ResultItem { translations, ..item(id) }
    }

    /// An answer listing `shown` of `total` matches.
    fn answer(total: usize, shown: usize) -> Presented {
        let items = (0..shown).map(|i| item(&i.to_string())).collect();
        Presented { total, items, ..Presented::default() }
    }

    fn answered(state: Rc<State>, seq: u64, total: usize, shown: usize) -> Rc<State> {
        state.reduce(Action::Answered { seq, answer: answer(total, shown) })
    }

    const SEVEN: Status = Status::Found { total: 7, partial: false, corrected: None };

    #[test]
    fn a_stale_answer_never_overwrites_a_newer_query() {
        let state = typed(Rc::default(), 1, "bor");
        let state = typed(state, 2, "bord");
        let state = answered(state, 1, 7, 0);
        assert_eq!(state.phase, Phase::Loading);
        let state = answered(state, 2, 3, 0);
        assert_eq!((state.phase.clone(), state.total), (Phase::Ready, 3));
    }

    #[test]
    fn an_emptied_box_forgets_the_last_answer_but_not_the_filter() {
        let filtered = State { filter: Filter { lang: Some("ru".into()), year: None }, ..State::default() };
        let state = answered(typed(Rc::new(filtered.clone()), 1, "visa"), 1, 7, 2).reduce(Action::Settled { seq: 1 });
        assert_eq!(state.announced, SEVEN);
        let state = typed(state, 2, " ");
        assert!(!state.open && state.items.is_empty() && state.total == 0);
        assert_eq!(state.filter, filtered.filter);
        assert_eq!(state.announced, SEVEN, "the live region keeps its words until typing pauses");
        let state = typed(state, 3, "b");
        assert_eq!((state.open, state.status()), (true, Status::Loading));
    }

    #[test]
    fn arrow_keys_reopen_a_closed_list_at_its_first_option() {
        let state = typed(Rc::default(), 1, "visa");
        let state = answered(state, 1, 1, 1).reduce(Action::Close);
        assert!(!state.open);
        let state = state.reduce(Action::Step(1));
        assert!(state.open);
        assert_eq!(state.active, Some(0));
    }

    #[test]
    fn only_keyboard_moves_ask_the_panel_to_scroll() {
        let state = answered(typed(Rc::default(), 1, "visa"), 1, 3, 3);
        let state = state.reduce(Action::Activate { index: 2, pointed: true });
        assert_eq!((state.active, state.keyed), (Some(2), false));
        let state = state.reduce(Action::Step(1));
        assert_eq!((state.active, state.keyed), (Some(0), true));
    }

    #[test]
    fn a_click_reopens_the_list_of_the_query_in_the_box() {
        let state = answered(typed(Rc::default(), 1, "visa"), 1, 3, 3).reduce(Action::Close);
        let state = state.reduce(Action::Reopen);
        assert!(state.open);
        assert_eq!(state.items.len(), 3, "the same results, not searched again");
        assert!(!typed(Rc::default(), 1, " ").reduce(Action::Reopen).open, "nothing to show for an empty box");
    }

    #[test]
    fn clearing_the_box_closes_the_list() {
        let state = typed(Rc::default(), 1, "  ");
        assert!(!state.open);
        assert_eq!(state.phase, Phase::Idle);
    }

    #[test]
    fn the_live_region_speaks_only_once_typing_pauses() {
        let state = answered(typed(Rc::default(), 1, "visa"), 1, 7, 2);
        assert_eq!(state.status(), SEVEN, "the status line follows every answer");
        assert_eq!(state.announced, Status::Silent, "the live region waits");
        let state = state.reduce(Action::Settled { seq: 1 });
        assert_eq!(state.announced, SEVEN);

        // The next keystroke: the live region keeps its words until typing pauses again.
        let state = answered(typed(state, 2, "visas"), 2, 0, 0);
        assert_eq!(state.announced, SEVEN);
        let state = state.reduce(Action::Settled { seq: 1 });
        assert_eq!(state.announced, SEVEN, "a pause after an older keystroke says nothing");
        let state = state.reduce(Action::Settled { seq: 2 });
        assert_eq!(state.announced, Status::NoResults { query: "visas".into() });
    }

    #[test]
    fn a_pause_before_the_answer_announces_the_answer_when_it_comes() {
        let state = typed(Rc::default(), 1, "visa").reduce(Action::Settled { seq: 1 });
        assert_eq!(state.announced, Status::Silent, "\"loading\" is not announced");
        let state = answered(state, 1, 7, 2);
        assert_eq!(state.announced, SEVEN);
    }

    #[test]
    fn show_more_keeps_the_query_and_activates_the_first_new_result() {
        let state = answered(typed(Rc::default(), 1, "visa"), 1, 5, 2);
        assert!(state.more);
        let state = state.reduce(Action::More { seq: 2, limit: 4 });
        assert_eq!((state.limit, state.query_seq, state.phase.clone()), (4, 1, Phase::Ready));
        let state = answered(state, 2, 5, 4);
        assert_eq!(state.items.len(), 4);
        assert_eq!(state.active, Some(2), "the first new result is active");
        assert!(state.more, "4 of 5 shown");
        let state = answered(state.reduce(Action::More { seq: 3, limit: 6 }), 3, 5, 5);
        assert!(!state.more, "all 5 shown");
    }

    #[test]
    fn completed_excerpts_replace_the_previewed_ones_and_nothing_else() {
        let state = answered(typed(Rc::default(), 1, "visa"), 1, 5, 2).reduce(Action::More { seq: 2, limit: 4 });
        let state = answered(state, 2, 5, 4);
        let state = state.reduce(Action::Step(1));
        let mut complete = answer(5, 4);
        complete.items[3].excerpt.text = "…the visa regime…".into();
        let state = state.reduce(Action::Completed { seq: 2, answer: complete.clone() });
        assert_eq!(state.items[3].excerpt.text, "…the visa regime…");
        assert_eq!((state.active, state.total, state.more), (Some(3), 5, true), "the visitor's place is kept");
        let stale = state.clone().reduce(Action::Typed { seq: 3, query: "visas".into(), limit: 2 });
        let after = stale.clone().reduce(Action::Completed { seq: 2, answer: complete });
        assert!(Rc::ptr_eq(&stale, &after), "a newer request's state is left alone");
    }

    #[test]
    fn translations_are_checked_and_reached_sideways() {
        let mut first = translated("a", &["en", "ru", "uz-Latn"]);
        first.translations.push(Translation { lang: "ru".into(), url: "javascript:alert(1)".into() });
        let answer = Presented { total: 2, items: vec![first, translated("b", &[])], ..Presented::default() };
        let state = typed(Rc::default(), 1, "visa").reduce(Action::Answered { seq: 1, answer });
        let langs: Vec<&str> = state.items[0].translations.iter().map(|t| t.lang.as_str()).collect();
        assert_eq!(langs, ["ru", "uz-Latn"], "own language and unsafe links dropped");

        assert_eq!(state.clone().reduce(Action::Variant(1)).variant, None, "no active result, nothing to move in");
        let state = state.reduce(Action::Step(1)).reduce(Action::Variant(1));
        assert_eq!((state.active, state.variant), (Some(0), Some(0)));
        let state = state.reduce(Action::Variant(1)).reduce(Action::Variant(1));
        assert_eq!(state.variant, Some(1), "→ stops at the last translation");
        let state = state.reduce(Action::Variant(-1)).reduce(Action::Variant(-1));
        assert_eq!(state.variant, None, "← from the first translation is the result");
        let state = state.reduce(Action::Variant(1)).reduce(Action::Step(1));
        assert_eq!((state.active, state.variant), (Some(1), None), "↓ leaves the translations");
        assert_eq!(state.clone().reduce(Action::Variant(1)).variant, None, "a result without translations");
    }

    #[test]
    fn a_filter_searches_the_same_query_again() {
        let state = answered(typed(Rc::default(), 1, "visa"), 1, 5, 2).reduce(Action::Step(1));
        let filter = Filter { lang: Some("ru".into()), year: Some(2024) };
        let state = state.reduce(Action::Refine { seq: 2, filter: filter.clone(), limit: 2 });
        assert_eq!((state.query_seq, state.active, state.filter.clone()), (1, None, filter.clone()));
        assert!(state.open, "the list stays open");
        let mut options = SearchOptions::default();
        filter.apply(&mut options);
        assert_eq!(options.lang.as_deref(), Some("ru"));
        assert_eq!(
            (options.from.map(|d| d.to_string()), options.to.map(|d| d.to_string())),
            (Some("2024-01-01".into()), Some("2024-12-31".into()))
        );
    }
}
