//! The text of an HTML subtree as the index should see it: what a reader
//! sees of the article, with paragraphs kept apart.
//!
//! Blocks are separated as the JSONL corpus separates them, "\n\n" between
//! paragraphs and "\n" between lines, so excerpts look alike whatever the
//! source. Runs of HTML white space inside a block become one space; a
//! no-break space is text, as in the JSONL bodies.

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{ElementRef, Node};

use crate::html_parse::{parse_fragment, TooDeep};

/// The attribute that keeps a subtree (or a whole page) out of the index.
pub const IGNORE: &str = "data-qidiruv-ignore";

/// Elements whose content is not article text: code, page furniture and
/// controls. Site chrome inside the article region is as unwanted as outside.
const SKIPPED: &[&str] =
    &["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "svg"];

/// What separates the text before an element boundary from the text after.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    #[default]
    None,
    Space,
    Line,
    Paragraph,
}

fn gap_at(element: &Element) -> Gap {
    match element.name() {
        "br" | "li" | "tr" | "dd" | "dt" | "figcaption" => Gap::Line,
        "td" | "th" => Gap::Space,
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "article" | "main" | "blockquote"
        | "pre" | "figure" | "ul" | "ol" | "dl" | "table" | "hr" | "nav" | "header" | "footer" | "aside" | "form" => {
            Gap::Paragraph
        }
        _ => Gap::None,
    }
}

/// Whether `element` is left out of the text, with everything inside it.
pub fn is_skipped(element: &Element) -> bool {
    SKIPPED.contains(&element.name()) || element.attr(IGNORE).is_some()
}

/// The text of `root` and its descendants, leaving out the subtrees `skip`
/// names (usually [`is_skipped`]) and the subtree `leave_out` (the h1 that
/// became the title). `root` itself is never skipped: the caller chose it.
pub fn element_text(root: ElementRef<'_>, leave_out: Option<NodeId>, skip: impl Fn(&Element) -> bool) -> String {
    let mut text = TextWriter::default();
    // Walked with open/close edges rather than recursion, so deeply nested
    // markup cannot overflow the stack.
    let mut skipping: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(t) => text.push(t),
                Node::Element(element) => {
                    let skip = node.id() != root.id() && (skip(element) || Some(node.id()) == leave_out);
                    if skip {
                        skipping = Some(node.id());
                    }
                    text.gap(gap_at(element));
                }
                _ => {}
            },
            Edge::Close(node) if skipping.is_none() || skipping == Some(node.id()) => {
                skipping = None;
                if let Node::Element(element) = node.value() {
                    text.gap(gap_at(element));
                }
            }
            _ => {}
        }
    }
    text.out
}

/// The text of an HTML fragment (a CMS body).
pub fn fragment_text(html: &str) -> Result<String, TooDeep> {
    Ok(element_text(parse_fragment(html)?.root_element(), None, is_skipped))
}

/// `text` on one line: line breaks and runs of white space become one space.
pub fn one_line(text: &str) -> String {
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends text, holding back white space and block gaps until the next
/// visible character, so the result never starts or ends with either.
#[derive(Default)]
struct TextWriter {
    out: String,
    gap: Gap,
}

impl TextWriter {
    fn gap(&mut self, gap: Gap) {
        self.gap = self.gap.max(gap);
    }

    fn push(&mut self, text: &str) {
        for c in text.chars() {
            // HTML's white space, not Unicode's: a no-break space is content.
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                self.gap(Gap::Space);
                continue;
            }
            if !self.out.is_empty() {
                self.out.push_str(match self.gap {
                    Gap::None => "",
                    Gap::Space => " ",
                    Gap::Line => "\n",
                    Gap::Paragraph => "\n\n",
                });
            }
            self.gap = Gap::None;
            self.out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment_text(html: &str) -> String {
        super::fragment_text(html).unwrap()
    }

    #[test]
    fn paragraphs_and_lines_are_kept_apart() {
        assert_eq!(
            fragment_text("<p>One\n   two</p><p>Three<br>four</p><ul><li>a</li><li>b</li></ul>"),
            "One two\n\nThree\nfour\n\na\nb"
        );
    }

    #[test]
    fn inline_markup_does_not_split_words() {
        assert_eq!(
            fragment_text("<p>Tosh<b>kent</b> and <a href='/x'>Samar<i>qand</i></a></p>"),
            "Toshkent and Samarqand"
        );
    }

    #[test]
    fn table_cells_are_separated() {
        assert_eq!(
            fragment_text("<table><tr><td>GDP</td><td>$92</td></tr><tr><td>Area</td></tr></table>"),
            "GDP $92\nArea"
        );
    }

    #[test]
    fn code_chrome_and_ignored_parts_are_left_out() {
        let text = fragment_text(
            "<p>Kept<script>var hidden = 1;</script></p><nav>Menu</nav><style>p{}</style>\
             <div data-qidiruv-ignore><p>Share this</p></div><form><button>Go</button></form>\
             <svg><text>Logo</text></svg><p>also kept</p>",
        );
        assert_eq!(text, "Kept\n\nalso kept");
    }

    #[test]
    fn entities_are_decoded_and_no_break_spaces_kept() {
        assert_eq!(fragment_text("<p>AT&amp;T &lt;3&nbsp;km&gt; &#1052;&#x418;&#x414;</p>"), "AT&T <3\u{a0}km> МИД");
    }

    #[test]
    fn the_left_out_node_is_skipped_but_the_root_never_is() {
        use scraper::Html;
        let html = Html::parse_fragment("<header><h1>Title</h1><p>Lead</p></header>");
        let header = html.root_element().descendent_elements().find(|e| e.value().name() == "header").unwrap();
        let h1 = header.child_elements().next().unwrap();
        assert_eq!(element_text(header, Some(h1.id()), is_skipped), "Lead");
        assert_eq!(element_text(header, None, is_skipped), "Title\n\nLead");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        use scraper::Html;
        // Built directly: the parser refuses nesting this deep.
        let mut html = Html::parse_fragment("<div>deep</div>");
        let div = html.root_element().first_child().unwrap();
        let (element, text) = (div.value().clone(), div.first_child().unwrap().value().clone());
        let mut node = html.tree.root_mut().append(element.clone()).id();
        for _ in 0..100_000 {
            node = html.tree.get_mut(node).unwrap().append(element.clone()).id();
        }
        html.tree.get_mut(node).unwrap().append(text);
        let root = ElementRef::wrap(html.tree.root().last_child().unwrap()).unwrap();
        assert_eq!(element_text(root, None, is_skipped), "deep");
    }

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(one_line(" State\n\nborder  news\u{a0}x "), "State border news\u{a0}x");
    }
}
