//! Which part of a page is the article.
//!
//! The page's own markers decide when it has them: the first
//! `[data-qidiruv-body]`, else `<article>`, else `<main>`, outside ignored
//! subtrees. A page with none of them gets its region guessed, as reader
//! modes do, by one deterministic rule:
//!
//! 1. Chrome is left out: `nav`, `header`, `footer`, `aside`, `form` and the
//!    other skipped elements, ignored subtrees, landmark roles other than
//!    `main`/`article`, and blocks whose class or id names a share, social,
//!    related, breadcrumb, comments, menu, sidebar, top bar, footer, cookie
//!    or pagination block. Link text does not count either: menus and lists
//!    of related news are mostly links.
//! 2. From `<body>` down, the text block is the deepest block that holds more
//!    than half of the remaining text and has blocks of its own (so one long
//!    paragraph does not become the article).
//! 3. The region is the nearest block around the text block that also holds
//!    an `<h1>` outside the chrome; the text block itself if none does.
//!
//! A page with no `<h1>` outside the chrome, or no text, gets no region: a
//! redirect stub, a verification file or a bare error page is no article.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

use crate::html_text::{is_skipped, IGNORE};

/// The article region of a page.
pub struct Region<'a> {
    pub element: ElementRef<'a>,
    /// For a guessed region, where it is (`body > div.container > div.news-item`).
    pub guessed: Option<String>,
}

impl Region<'_> {
    /// Whether `element` (below the region) is left out of the article's text.
    pub fn leaves_out(&self, element: &Element) -> bool {
        is_skipped(element) || (self.guessed.is_some() && is_marked_chrome(element))
    }

    /// Whether the title and date are not looked for inside `element`.
    pub fn hides_heading(&self, element: &Element) -> bool {
        match self.guessed {
            None => element.attr(IGNORE).is_some(),
            Some(_) => hides_heading(element),
        }
    }
}

/// The page's region, marked or guessed.
pub fn find(page: &Html) -> Option<Region<'_>> {
    let root = page.root_element();
    let marked = first_in(root, |e| e.attr("data-qidiruv-body").is_some(), |e| e.attr(IGNORE).is_some())
        .or_else(|| first_in(root, |e| e.name() == "article", |e| e.attr(IGNORE).is_some()))
        .or_else(|| first_in(root, |e| e.name() == "main", |e| e.attr(IGNORE).is_some()));
    if let Some(element) = marked {
        return Some(Region { element, guessed: None });
    }
    let body = root.child_elements().find(|e| e.value().name() == "body")?;
    let element = guess(body)?;
    Some(Region { element, guessed: Some(describe(element, body)) })
}

/// The first element in `root` (itself included) that is `wanted`, outside
/// the subtrees `hidden` leaves out: one walk, whatever the nesting.
pub fn first_in<'a>(
    root: ElementRef<'a>,
    wanted: impl Fn(&Element) -> bool,
    hidden: impl Fn(&Element) -> bool,
) -> Option<ElementRef<'a>> {
    let mut skipping: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => {
                let Some(element) = ElementRef::wrap(node) else { continue };
                if hidden(element.value()) {
                    skipping = Some(node.id());
                } else if wanted(element.value()) {
                    return Some(element);
                }
            }
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            _ => {}
        }
    }
    None
}

/// Words in a class or id (lower-cased, `-` and `_` dropped) that mark page
/// furniture. `header` is not one: `news-header` often holds the title.
const CHROME_WORDS: &[&str] = &[
    "share",
    "social",
    "related",
    "breadcrumb",
    "comments",
    "menu",
    "navbar",
    "sidebar",
    "topbar",
    "footer",
    "cookie",
    "pagination",
];

/// Landmark roles of page furniture.
const CHROME_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"];

/// Whether the element's class, id or role marks it as chrome.
fn is_marked_chrome(element: &Element) -> bool {
    if element.attr("role").is_some_and(|role| CHROME_ROLES.contains(&role.trim().to_ascii_lowercase().as_str())) {
        return true;
    }
    let names = element.attr("class").into_iter().flat_map(str::split_ascii_whitespace).chain(element.attr("id"));
    names
        .map(|name| name.to_ascii_lowercase().replace(['-', '_'], ""))
        .any(|name| CHROME_WORDS.iter().any(|word| name.contains(word)))
}

/// Subtrees whose `<h1>` is not the article's: all chrome except `<header>`,
/// which also opens articles.
fn hides_heading(element: &Element) -> bool {
    (is_skipped(element) && element.name() != "header") || is_marked_chrome(element)
}

/// Elements that make their parent a container of blocks.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "dl"
            | "li"
            | "dd"
            | "dt"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "figure"
            | "figcaption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// What the walk learns about one element.
#[derive(Clone, Copy, Default)]
struct Block {
    /// Visible characters outside links and chrome.
    text: usize,
    /// Whether a block inside it holds some of that text.
    has_blocks: bool,
    /// Whether it holds an `<h1>` outside the chrome.
    has_h1: bool,
}

fn guess(body: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let blocks = measure(body);
    let page = blocks.get(&body.id()).copied().unwrap_or_default();
    if page.text == 0 || !page.has_h1 {
        return None;
    }
    let of = |e: ElementRef<'_>| blocks.get(&e.id()).copied().unwrap_or_default();
    // Rule 2: down from <body> while one child holds most of the text.
    let mut text_block = body;
    while let Some(child) = text_block.child_elements().find(|c| of(*c).text * 2 > page.text && of(*c).has_blocks) {
        text_block = child;
    }
    // Rule 3: up to the nearest block that also holds the <h1>.
    let with_h1 = std::iter::successors(Some(text_block), |e| e.parent().and_then(ElementRef::wrap))
        .take_while(|e| e.id() != body.id())
        .chain(std::iter::once(body))
        .find(|e| of(*e).has_h1);
    Some(with_h1.unwrap_or(text_block))
}

/// One walk over `body`: each element's [`Block`], kept for those with
/// anything in them.
fn measure(body: ElementRef<'_>) -> HashMap<NodeId, Block> {
    let mut blocks = HashMap::new();
    // The open elements, with what has been found inside each so far.
    let mut open: Vec<(NodeId, Block)> = Vec::new();
    let mut skipping: Option<NodeId> = None;
    // Open <a> and <header> elements: their text is not the article's.
    let (mut links, mut quiet) = (0usize, 0usize);
    for edge in body.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Element(element) if node.id() != body.id() && hides_heading(element) => {
                    skipping = Some(node.id());
                }
                Node::Element(element) => {
                    links += usize::from(element.name() == "a");
                    quiet += usize::from(element.name() == "header");
                    let has_h1 = element.name() == "h1";
                    open.push((node.id(), Block { has_h1, ..Block::default() }));
                }
                Node::Text(text) if links == 0 && quiet == 0 => {
                    if let Some((_, block)) = open.last_mut() {
                        block.text += text.chars().filter(|c| !c.is_whitespace()).count();
                    }
                }
                _ => {}
            },
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            Edge::Close(node) if skipping.is_none() => {
                let Node::Element(element) = node.value() else { continue };
                let Some((id, block)) = open.pop() else { continue };
                links -= usize::from(element.name() == "a");
                quiet -= usize::from(element.name() == "header");
                if let Some((_, parent)) = open.last_mut() {
                    parent.text += block.text;
                    parent.has_blocks |= block.has_blocks || (is_block(element.name()) && block.text > 0);
                    parent.has_h1 |= block.has_h1;
                }
                if block.text > 0 || block.has_h1 {
                    blocks.insert(id, block);
                }
            }
            _ => {}
        }
    }
    blocks
}

/// `body > div.container > div.news-item`: each element by its name, id
/// and classes, as a reader of the warning would look for it.
fn describe(element: ElementRef<'_>, body: ElementRef<'_>) -> String {
    let mut path: Vec<String> = std::iter::successors(Some(element), |e| e.parent().and_then(ElementRef::wrap))
        .take_while(|e| e.id() != body.id())
        .map(|e| {
            let mut name = e.value().name().to_string();
            if let Some(id) = e.value().id() {
                name.push('#');
                name.push_str(id);
            }
            for class in e.value().classes() {
                name.push('.');
                name.push_str(class);
            }
            name
        })
        .collect();
    path.push("body".into());
    path.reverse();
    path.join(" > ")
}
