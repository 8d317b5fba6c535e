//! Parsing HTML with a bound on how deep elements nest.
//!
//! html5ever walks its stack of open elements for many start tags, so
//! markup nested n deep costs time in n², and 100,000 unclosed `<div>`s
//! take most of a minute. Browsers cap the depth (Chrome at 512); a page
//! nested deeper than [`MAX_DEPTH`] is refused here. The input is fed in
//! chunks and the depth of the elements each chunk added is checked before
//! the next one, so no page costs more than about `MAX_DEPTH` steps a tag.

use std::collections::HashMap;
use std::fmt;

use ego_tree::{NodeId, NodeRef, Tree};
use html5ever::driver::{self, Parser};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, QualName};
use scraper::{Html, HtmlTreeSink, Node};

/// Deeper nesting than any real page has (Chrome flattens past 512).
pub const MAX_DEPTH: usize = 512;

/// Input fed between two depth checks: small enough that one chunk cannot
/// nest far past the limit, large enough that the checks cost nothing.
const CHUNK_BYTES: usize = 16 * 1024;

/// Why a page or body was not parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooDeep {
    /// How many bytes had been read when the nesting went past the limit.
    pub read: usize,
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "elements nested more than {MAX_DEPTH} deep within the first {} bytes (broken or hostile markup); \
             not indexed",
            self.read
        )
    }
}

/// A whole page.
pub fn parse_document(text: &str) -> Result<Html, TooDeep> {
    feed(driver::parse_document(HtmlTreeSink::new(Html::new_document()), Default::default()), text)
}

/// A fragment, as the content of a `<body>` (a CMS body).
pub fn parse_fragment(text: &str) -> Result<Html, TooDeep> {
    let body = QualName::new(None, ns!(html), local_name!("body"));
    let parser =
        driver::parse_fragment(HtmlTreeSink::new(Html::new_fragment()), Default::default(), body, vec![], false);
    feed(parser, text)
}

fn feed(mut parser: Parser<HtmlTreeSink>, text: &str) -> Result<Html, TooDeep> {
    let mut depths = Depths::default();
    let mut rest = text;
    while !rest.is_empty() {
        let read = text.len() - rest.len();
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        depths.check(&parser.tokenizer.sink.sink.0.borrow().tree).map_err(|()| TooDeep { read: read + cut })?;
        rest = tail;
    }
    Ok(parser.finish())
}

/// The depth of every element seen so far, so that each new element costs
/// one lookup (its parent's) rather than a walk to the root.
#[derive(Default)]
struct Depths {
    checked: usize,
    of: HashMap<NodeId, usize>,
}

impl Depths {
    /// Measures the nodes added since the last call (the tree's arena only grows).
    fn check(&mut self, tree: &Tree<Node>) -> Result<(), ()> {
        let nodes = tree.nodes();
        let added = nodes.len() - self.checked;
        self.checked = nodes.len();
        // Parents are created before their children: measure in creation order.
        let mut new: Vec<NodeRef<'_, Node>> = nodes.rev().take(added).collect();
        new.reverse();
        for node in new.into_iter().filter(|n| n.value().is_element()) {
            let depth = node.parent().map_or(0, |parent| self.depth(parent)) + 1;
            if depth > MAX_DEPTH {
                return Err(());
            }
            self.of.insert(node.id(), depth);
        }
        Ok(())
    }

    /// A parent's depth: known, or (for a node a later chunk moved) counted
    /// up to the limit.
    fn depth(&self, node: NodeRef<'_, Node>) -> usize {
        if let Some(&depth) = self.of.get(&node.id()) {
            return depth;
        }
        node.ancestors().take(MAX_DEPTH + 1).filter(|n| n.value().is_element()).count()
            + usize::from(node.value().is_element())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("<p>top</p>{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth))
    }

    #[test]
    fn chunked_parsing_builds_the_same_tree() {
        // Chunk edges fall inside tags, entities, comments and CRLFs.
        let page: String = (0..3000)
            .map(|n| format!("<p class=\"c{n}\">Line\r\n{n} &amp; &#1052;<!-- note {n} --><b>bold</b></p>\r\n"))
            .collect();
        let page = format!("<!DOCTYPE html><html lang=en><body>{page}</body></html>");
        assert!(page.len() > 4 * CHUNK_BYTES);
        assert_eq!(parse_document(&page).unwrap(), Html::parse_document(&page));
        assert_eq!(parse_fragment(&page).unwrap(), Html::parse_fragment(&page));
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        // The fragment's root <html> holds the body content, so the limit leaves room for both.
        let html = parse_fragment(&nested(MAX_DEPTH - 1)).unwrap();
        assert_eq!(html.root_element().text().collect::<String>(), "topdeep");
    }

    #[test]
    fn deeper_nesting_is_refused_at_the_chunk_that_goes_past_the_limit() {
        assert!(parse_fragment(&nested(MAX_DEPTH + 1)).is_err());
        // 100,000 unclosed tags: refused in the first chunk, not after a
        // quadratic parse of all of them (which takes most of a minute).
        let page = format!("<html><body>{}</body></html>", "<span><div>".repeat(50_000));
        assert_eq!(parse_document(&page), Err(TooDeep { read: CHUNK_BYTES }));
    }
}
