//! A CMS `body` may be plain text or HTML (DESIGN.md). This decides which
//! and returns the plain text the engine indexes.
//!
//! HTML is recognised by real tags only. An entity alone proves nothing:
//! real exports escape plain text once too often (`Cash&amp;Carry` in the
//! shared corpus), and such a body is plain text whose entities are decoded,
//! with a warning, so `amp` is never indexed as a word.

use std::borrow::Cow;

use scraper::Html;

use crate::html_text::fragment_text;

/// Element names (space-separated) that make a body HTML when they appear as a tag. A short
/// list of what CMS editors produce, so that text such as `x<y and z>1`,
/// `<3` or `<Ajlan>` is not mistaken for markup.
const BODY_TAGS: &str =
    "a abbr b blockquote br caption cite code dd div dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i iframe \
    img li mark ol p pre q s script section small span strong style sub sup table tbody td tfoot th thead tr u ul";

/// The longest entity name HTML defines is 31 characters
/// (`&CounterClockwiseContourIntegral;`); longer runs are not entities.
const MAX_ENTITY_LEN: usize = 40;

/// The body as plain text, and a warning if it had to be repaired.
pub fn plain_body(body: &str) -> (Cow<'_, str>, Option<String>) {
    if has_tag(body) {
        return (Cow::Owned(fragment_text(body)), None);
    }
    match decode_entities(body) {
        Some((text, decoded)) => {
            let list: Vec<String> =
                decoded.iter().map(|(entity, char)| format!("{entity} → {}", visible(char))).collect();
            let warning = format!("body has HTML entities but no tags; decoded ({})", list.join(", "));
            (Cow::Owned(text), Some(warning))
        }
        None => (Cow::Borrowed(body), None),
    }
}

/// Whether `text` holds a start or end tag of a [`BODY_TAGS`] element:
/// `<`, an optional `/`, the name in any case, then `>`, `/` or white space,
/// and a `>` closing it before the next `<`.
fn has_tag(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        let known = BODY_TAGS.split_ascii_whitespace().any(|tag| tag.eq_ignore_ascii_case(name));
        let ends_name = after.starts_with(['>', '/', ' ', '\t', '\n', '\r']);
        let closed = after.find(['>', '<']).is_some_and(|end| after[end..].starts_with('>'));
        known && ends_name && closed
    })
}

/// Decodes every `&name;`, `&#digits;` and `&#xhex;` that HTML defines,
/// returning the text and each distinct entity with what it became, in
/// order of first appearance; `None` if there was none. Only the forms with
/// a semicolon count: HTML's legacy rule that decodes `&not` in `&notes`
/// would corrupt plain text.
fn decode_entities(text: &str) -> Option<(String, Vec<(String, String)>)> {
    let mut decoded: Vec<(String, String)> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let candidate = entity_candidate(rest);
        let known = candidate.and_then(|entity| {
            if let Some((_, value)) = decoded.iter().find(|(e, _)| e == entity) {
                return Some((entity, value.clone()));
            }
            let value = decode_one(entity)?;
            decoded.push((entity.to_string(), value.clone()));
            Some((entity, value))
        });
        match known {
            Some((entity, value)) => {
                out.push_str(&value);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    (!decoded.is_empty()).then_some((out, decoded))
}

/// The `&…;` at the start of `text` if it has the shape of an entity.
fn entity_candidate(text: &str) -> Option<&str> {
    // Looks only a short way ahead, so a long body full of `&` stays linear.
    let end = text.bytes().skip(1).take(MAX_ENTITY_LEN).position(|b| b == b';')? + 1;
    let inner = &text[1..end];
    let shaped = match inner.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        },
        None => {
            inner.starts_with(|c: char| c.is_ascii_alphabetic()) && inner.chars().all(|c| c.is_ascii_alphanumeric())
        }
    };
    shaped.then(|| &text[..=end])
}

/// What the HTML parser makes of one entity, if it is one: the parser is
/// the authority on HTML's 2,231 names and its numeric special cases. It
/// reads the entity as an attribute value because there HTML decodes only
/// complete references, and leaves a legacy prefix such as the `&not` of
/// `&notes;` as written, which text content would turn into `¬es;`.
fn decode_one(entity: &str) -> Option<String> {
    // `entity` is `&`, `#`, ASCII letters and digits and `;`: no quote to escape.
    let html = Html::parse_fragment(&format!("<i title=\"{entity}\"></i>"));
    let value = html.root_element().descendent_elements().find_map(|e| e.attr("title"))?;
    (value != entity).then(|| value.to_string())
}

/// A decoded value as the report can show it on one line: invisible
/// characters by their code point.
fn visible(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_whitespace() || c.is_control() { format!("U+{:04X}", c as u32) } else { c.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_make_a_body_html() {
        for html in [
            "<p>One</p>",
            "Line<br>break",
            "a<BR/>b",
            "<div class=\"x\">y</div>",
            "text</p>",
            "<img src=x onerror=alert(1)> tag",
        ] {
            assert!(has_tag(html), "{html}");
        }
    }

    #[test]
    fn angle_brackets_in_prose_are_not_tags() {
        for text in [
            "4<5 and 6>5",
            "x<y and z>1",
            "I <3 Tashkent",
            "<Ajlan> Bros",
            "<p unclosed",
            "a <b and <c> d",
            "pointer <- arrow",
        ] {
            assert!(!has_tag(text), "{text}");
        }
    }

    #[test]
    fn an_html_body_becomes_text_without_a_warning() {
        let (text, warning) = plain_body("<p>Magnum Cash&amp;Carry</p><p>opens</p>");
        assert_eq!(text, "Magnum Cash&Carry\n\nopens");
        assert_eq!(warning, None);
    }

    #[test]
    fn an_entity_alone_is_decoded_with_a_warning() {
        let (text, warning) = plain_body("SG&amp;A and AT&amp;T; 3 &gt; 2\n\nnext");
        assert_eq!(text, "SG&A and AT&T; 3 > 2\n\nnext");
        assert_eq!(warning.as_deref(), Some("body has HTML entities but no tags; decoded (&amp; → &, &gt; → >)"));
    }

    #[test]
    fn only_real_entities_with_semicolons_are_decoded() {
        let (text, warning) = plain_body("R&D, &notes; &notanentity; &#1052; &#x41;&nbsp;x");
        assert_eq!(text, "R&D, &notes; &notanentity; М A\u{a0}x");
        assert_eq!(
            warning.as_deref(),
            Some("body has HTML entities but no tags; decoded (&#1052; → М, &#x41; → A, &nbsp; → U+00A0)")
        );
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        let body = "Plain & simple, 4 < 5.\n\nTwo  spaces.";
        let (text, warning) = plain_body(body);
        assert!(matches!(text, Cow::Borrowed(b) if b == body));
        assert_eq!(warning, None);
    }
}
