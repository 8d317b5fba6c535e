//! The widget's state and how each event changes it.
//!
//! Every query gets a sequence number; an answer for an older query than
//! the current one is dropped, so a slow answer never overwrites a newer one.

use std::rc::Rc;

use qidiruv_engine::ResultItem;
use yew::Reducible;

use qidiruv_engine::Presented;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    /// Nothing typed yet (or the box was cleared).
    #[default]
    Idle,
    /// Waiting for the index or the result chunks.
    Loading,
    Ready,
    Failed(String),
}

#[derive(Clone, Default, PartialEq)]
pub struct State {
    pub seq: u64,
    pub query: String,
    pub phase: Phase,
    pub items: Rc<Vec<ResultItem>>,
    pub total: usize,
    pub partial: bool,
    /// "Showing results for …", after a typo or keyboard-layout correction.
    pub corrected: Option<String>,
    /// The option highlighted with the arrow keys.
    pub active: Option<usize>,
    /// Whether the listbox is shown.
    pub open: bool,
}

pub enum Action {
    Typed {
        seq: u64,
        query: String,
    },
    Answered {
        seq: u64,
        answer: Presented,
    },
    Failed {
        seq: u64,
        message: String,
    },
    /// Move the active option by this many steps, wrapping.
    Step(isize),
    /// Make this option active (Home/End, pointer).
    Activate(usize),
    Close,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Typed { seq, query } => {
                next.seq = seq;
                next.active = None;
                next.open = !query.trim().is_empty();
                next.phase = if next.open { Phase::Loading } else { Phase::Idle };
                next.query = query;
            }
            Action::Answered { seq, answer } if seq == self.seq => {
                next.phase = Phase::Ready;
                next.total = answer.total;
                next.partial = answer.partial;
                next.corrected = answer.corrected;
                next.items = Rc::new(answer.items);
                next.active = None;
            }
            Action::Failed { seq, message } if seq == self.seq => next.phase = Phase::Failed(message),
            Action::Answered { .. } | Action::Failed { .. } => return self,
            Action::Step(step) => {
                let count = self.items.len() as isize;
                if count == 0 || self.query.trim().is_empty() {
                    return self;
                }
                next.open = true;
                let from = self.active.map_or(if step > 0 { -1 } else { count }, |a| a as isize);
                next.active = Some((from + step).rem_euclid(count) as usize);
            }
            Action::Activate(index) if index < self.items.len() => next.active = Some(index),
            Action::Activate(_) => return self,
            Action::Close => {
                next.open = false;
                next.active = None;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(state: Rc<State>, seq: u64, query: &str) -> Rc<State> {
        state.reduce(Action::Typed { seq, query: query.into() })
    }

    fn answer(total: usize) -> Presented {
        Presented { total, ..Presented::default() }
    }

    #[test]
    fn a_stale_answer_never_overwrites_a_newer_query() {
        let state = typed(Rc::default(), 1, "bor");
        let state = typed(state, 2, "bord");
        let state = state.reduce(Action::Answered { seq: 1, answer: answer(7) });
        assert_eq!(state.phase, Phase::Loading);
        let state = state.reduce(Action::Answered { seq: 2, answer: answer(3) });
        assert_eq!((state.phase.clone(), state.total), (Phase::Ready, 3));
    }

    #[test]
    fn arrow_keys_reopen_a_closed_list_at_its_first_option() {
        let state = typed(Rc::default(), 1, "visa");
        let items = vec![qidiruv_engine::ResultItem {
            id: "a".into(),
            url: "/a".into(),
            lang: "en".into(),
            date: None,
            score: 1.0,
            related: false,
            title: Default::default(),
            excerpt: Default::default(),
            translations: Vec::new(),
        }];
        let answer = Presented { total: 1, items, ..Presented::default() };
        let state = state.reduce(Action::Answered { seq: 1, answer }).reduce(Action::Close);
        assert!(!state.open);
        let state = state.reduce(Action::Step(1));
        assert!(state.open);
        assert_eq!(state.active, Some(0));
    }

    #[test]
    fn clearing_the_box_closes_the_list() {
        let state = typed(Rc::default(), 1, "  ");
        assert!(!state.open);
        assert_eq!(state.phase, Phase::Idle);
    }
}
