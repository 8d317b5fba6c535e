//! A CMS `body` may be plain text or HTML (DESIGN.md). This decides which
//! and returns the plain text the engine indexes.
//!
//! HTML is recognised by real tags only. An entity alone proves nothing:
//! real exports escape plain text once too often (`Cash&amp;Carry` in the
//! shared corpus), and such a body is plain text whose entities are decoded,
//! with a warning, so `amp` is never indexed as a word.

use std::borrow::Cow;
use std::collections::HashMap;

use scraper::Html;

use crate::html_parse::TooDeep;
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

/// Entities a warning lists by name; the rest it counts.
const LISTED_ENTITIES: usize = 10;

/// The body as plain text, and a warning if it had to be repaired.
pub fn plain_body(body: &str) -> Result<(Cow<'_, str>, Option<String>), TooDeep> {
    if has_tag(body) {
        return Ok((Cow::Owned(fragment_text(body)?), None));
    }
    Ok(match decode_entities(body) {
        Some((text, decoded)) => {
            let mut list: Vec<String> = decoded
                .iter()
                .take(LISTED_ENTITIES)
                .map(|(entity, char)| format!("{entity} → {}", visible(char)))
                .collect();
            if decoded.len() > LISTED_ENTITIES {
                list.push(format!("and {} more", decoded.len() - LISTED_ENTITIES));
            }
            let warning = format!("body has HTML entities but no tags; decoded ({})", list.join(", "));
            (Cow::Owned(text), Some(warning))
        }
        None => (Cow::Borrowed(body), None),
    })
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
    // Each distinct candidate once, in order of first appearance, so the
    // parser sees them all in one document however many the body holds.
    let mut distinct: HashMap<&str, usize> = HashMap::new();
    let mut candidates: Vec<&str> = Vec::new();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (at, _) in text.match_indices('&') {
        if let Some(entity) = entity_candidate(&text[at..]) {
            let next = distinct.len();
            let index = *distinct.entry(entity).or_insert_with(|| {
                candidates.push(entity);
                next
            });
            found.push((at, index));
        }
    }
    let values = decode_all(&candidates);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, index) in found {
        // A candidate holds no `&` past its first byte, so candidates never overlap.
        if let Some(value) = &values[index] {
            out.push_str(&text[copied..at]);
            out.push_str(value);
            copied = at + candidates[index].len();
        }
    }
    out.push_str(&text[copied..]);
    let decoded: Vec<(String, String)> =
        candidates.iter().zip(values).filter_map(|(entity, value)| Some((entity.to_string(), value?))).collect();
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

/// What the HTML parser makes of each entity, if it is one: the parser is
/// the authority on HTML's 2,231 names and its numeric special cases. It
/// reads each entity as an attribute value because there HTML decodes only
/// complete references, and leaves a legacy prefix such as the `&not` of
/// `&notes;` as written, which text content would turn into `¬es;`. One
/// parse for all of them keeps a body of 100,000 distinct entities linear.
fn decode_all(entities: &[&str]) -> Vec<Option<String>> {
    if entities.is_empty() {
        return Vec::new();
    }
    // Each entity is `&`, `#`, ASCII letters and digits and `;`: no quote to escape.
    let html: String = entities.iter().map(|entity| format!("<i title=\"{entity}\"></i>")).collect();
    let html = Html::parse_fragment(&html);
    let values = html.root_element().descendent_elements().filter_map(|e| e.attr("title"));
    entities.iter().zip(values).map(|(entity, value)| (value != *entity).then(|| value.to_string())).collect()
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

    fn plain_body_ok(body: &str) -> (Cow<'_, str>, Option<String>) {
        plain_body(body).unwrap()
    }

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
        let (text, warning) = plain_body_ok("<p>Magnum Cash&amp;Carry</p><p>opens</p>");
        assert_eq!(text, "Magnum Cash&Carry\n\nopens");
        assert_eq!(warning, None);
    }

    #[test]
    fn an_entity_alone_is_decoded_with_a_warning() {
        let (text, warning) = plain_body_ok("SG&amp;A and AT&amp;T; 3 &gt; 2\n\nnext");
        assert_eq!(text, "SG&A and AT&T; 3 > 2\n\nnext");
        assert_eq!(warning.as_deref(), Some("body has HTML entities but no tags; decoded (&amp; → &, &gt; → >)"));
    }

    #[test]
    fn only_real_entities_with_semicolons_are_decoded() {
        let (text, warning) = plain_body_ok("R&D, &notes; &notanentity; &#1052; &#x41;&nbsp;x");
        assert_eq!(text, "R&D, &notes; &notanentity; М A\u{a0}x");
        assert_eq!(
            warning.as_deref(),
            Some("body has HTML entities but no tags; decoded (&#1052; → М, &#x41; → A, &nbsp; → U+00A0)")
        );
    }

    #[test]
    fn many_distinct_entities_decode_in_one_parse_with_a_short_warning() {
        // 20,000 distinct entities used to cost 20,000 parses and a search
        // of all the earlier ones each, and a warning naming every one.
        let body: String = (0..20_000).map(|n| format!("&#{};", 0x4E00 + n)).collect();
        let (text, warning) = plain_body_ok(&body);
        let expected: String = (0..20_000).map(|n| char::from_u32(0x4E00 + n).unwrap()).collect();
        assert_eq!(text, expected);
        let warning = warning.unwrap();
        assert!(warning.ends_with("&#19977; → 三, and 19990 more)"), "{warning}");
    }

    proptest::proptest! {
        /// One parse for every entity gives what a parse of each alone gives.
        #[test]
        fn entities_decode_as_each_would_alone(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-z ;#0-9]{0,6}",
                    "&#[0-9]{1,8};",
                    "&#[xX][0-9a-fA-F]{1,7};",
                    "&(amp|lt|gt|nbsp|not|notin|notes|copy|bogus|AMP|Amp|x41|);",
                ],
                0..24,
            )
        ) {
            let text: String = parts.concat();
            let alone: String = parts
                .iter()
                .map(|part| match part.starts_with('&') {
                    true => decode_all(&[part.as_str()]).remove(0).unwrap_or_else(|| part.clone()),
                    false => part.clone(),
                })
                .collect();
            let decoded = decode_entities(&text).map_or(text.clone(), |(out, _)| out);
            proptest::prop_assert_eq!(decoded, alone);
        }
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        let body = "Plain & simple, 4 < 5.\n\nTwo  spaces.";
        let (text, warning) = plain_body_ok(body);
        assert!(matches!(text, Cow::Borrowed(b) if b == body));
        assert_eq!(warning, None);
    }
}
