//! The JSON shape of an answer, shared by `qidiruv search --json` and the
//! widget's `search()`: the same fields, so a script can switch between them.

use serde::{Serialize, Serializer};

use crate::excerpt::Excerpt;
use crate::result::{Presented, ResultItem};

/// How highlight offsets count: each consumer indexes strings its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offsets {
    /// Unicode scalar values (Python, most JSON readers).
    Chars,
    /// UTF-16 code units, as JavaScript strings count.
    Utf16,
}

#[derive(Serialize)]
pub struct Answer<'a> {
    pub query: &'a str,
    /// What one result stands for; `total`, `related` and the counts per
    /// language and year count these.
    pub grouped: Grouping,
    pub total: usize,
    /// Results missing one of the query's words, listed after the matches.
    pub related: usize,
    pub partial: bool,
    pub corrected: Option<String>,
    /// Stories per language and per year, before the language and date
    /// filters: a story counts in each language it matches in.
    #[serde(serialize_with = "as_map")]
    pub languages: Vec<(String, usize)>,
    #[serde(serialize_with = "as_map")]
    pub years: Vec<(String, usize)>,
    pub results: Vec<AnswerItem>,
}

/// How results are grouped: said in the answer, so a script reading it
/// need not guess why a matching article is missing from the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// One result per story: an article and its translations. It is shown in
    /// the version that ranks first (the page's language when that version
    /// has the most words), its other versions listed in `translations`.
    Story,
}

#[derive(Serialize)]
pub struct AnswerItem {
    pub id: String,
    pub url: String,
    pub title: String,
    pub lang: String,
    pub date: Option<String>,
    pub score: f32,
    /// Missing one of the query's words.
    pub related: bool,
    pub excerpt: String,
    /// `[start, end)` of each match in `excerpt`, counted in [`Offsets`].
    pub highlights: Vec<(usize, usize)>,
    /// The same story in other languages: language tag → url.
    #[serde(serialize_with = "as_map")]
    pub translations: Vec<(String, String)>,
}

impl<'a> Answer<'a> {
    pub fn new(query: &'a str, shown: Presented, offsets: Offsets) -> Answer<'a> {
        Answer {
            query,
            grouped: Grouping::Story,
            total: shown.total,
            related: shown.related,
            partial: shown.partial,
            corrected: shown.corrected,
            languages: by_key(shown.facets.languages),
            years: by_key(shown.facets.years.into_iter().map(|(year, n)| (year.to_string(), n)).collect()),
            results: shown.items.into_iter().map(|item| AnswerItem::new(item, offsets)).collect(),
        }
    }
}

impl AnswerItem {
    fn new(item: ResultItem, offsets: Offsets) -> AnswerItem {
        AnswerItem {
            highlights: highlights(&item.excerpt, offsets),
            translations: by_key(item.translations.into_iter().map(|t| (t.lang, t.url)).collect()),
            id: item.id,
            url: item.url,
            title: item.title.text,
            lang: item.lang,
            date: item.date,
            score: item.score,
            related: item.related,
            excerpt: item.excerpt.text,
        }
    }
}

/// `pairs` sorted by key, the last of each key kept: what collecting them
/// into a `BTreeMap` gives, without the map's code (or a sort's) in the
/// wasm. There are a few: languages, years, a story's translations.
fn by_key<V>(pairs: Vec<(String, V)>) -> Vec<(String, V)> {
    let mut sorted: Vec<(String, V)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match sorted.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => sorted[at].1 = value,
            Err(at) => sorted.insert(at, (key, value)),
        }
    }
    sorted
}

/// Writes `(key, value)` pairs as a JSON object.
fn as_map<K: Serialize, V: Serialize, S: Serializer>(pairs: &[(K, V)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// The excerpt's highlights (kept as byte offsets) counted in `offsets`.
fn highlights(excerpt: &Excerpt, offsets: Offsets) -> Vec<(usize, usize)> {
    match offsets {
        Offsets::Chars => excerpt.char_highlights(),
        Offsets::Utf16 => excerpt.utf16_highlights(),
    }
}

/// The answer as a JavaScript object, for the widget's `search()`: the
/// shape serde gives the CLI's JSON, built directly (serde's writer of
/// JavaScript values costs the wasm a few kilobytes more).
#[cfg(feature = "js")]
mod js {
    use js_sys::wasm_bindgen::JsValue;
    use js_sys::{Array, Object, Reflect};

    use super::{Answer, AnswerItem, Grouping};

    impl Answer<'_> {
        pub fn to_js(&self) -> JsValue {
            // A new grouping must be named here too.
            let Grouping::Story = self.grouped;
            object(&[
                ("query", self.query.into()),
                ("grouped", "story".into()),
                ("total", count(self.total)),
                ("related", count(self.related)),
                ("partial", self.partial.into()),
                ("corrected", text(self.corrected.as_deref())),
                ("languages", map(self.languages.iter().map(|(k, n)| (k, count(*n))))),
                ("years", map(self.years.iter().map(|(k, n)| (k, count(*n))))),
                ("results", self.results.iter().map(AnswerItem::to_js).collect::<Array>().into()),
            ])
        }
    }

    impl AnswerItem {
        fn to_js(&self) -> JsValue {
            let highlight = |&(start, end): &(usize, usize)| JsValue::from(Array::of2(&count(start), &count(end)));
            object(&[
                ("id", self.id.as_str().into()),
                ("url", self.url.as_str().into()),
                ("title", self.title.as_str().into()),
                ("lang", self.lang.as_str().into()),
                ("date", text(self.date.as_deref())),
                ("score", f64::from(self.score).into()),
                ("related", self.related.into()),
                ("excerpt", self.excerpt.as_str().into()),
                ("highlights", self.highlights.iter().map(highlight).collect::<Array>().into()),
                ("translations", map(self.translations.iter().map(|(lang, url)| (lang, url.as_str().into())))),
            ])
        }
    }

    fn object(fields: &[(&str, JsValue)]) -> JsValue {
        map(fields.iter().map(|(key, value)| (*key, value.clone())))
    }

    fn map<K: AsRef<str>>(pairs: impl Iterator<Item = (K, JsValue)>) -> JsValue {
        let object = Object::new();
        for (key, value) in pairs {
            let _ = Reflect::set(&object, &key.as_ref().into(), &value);
        }
        object.into()
    }

    fn count(n: usize) -> JsValue {
        (n as f64).into()
    }

    /// A string, or `null`.
    fn text(value: Option<&str>) -> JsValue {
        value.map_or(JsValue::NULL, JsValue::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_count_chars_or_utf16_code_units() {
        // "🇺🇿" is two astral characters (four UTF-16 units), "ʻ" one unit of two bytes.
        let text = "🇺🇿 Oʻzbekiston visa";
        let range = |word: &str| text.find(word).map(|at| at..at + word.len()).unwrap();
        let excerpt = Excerpt { text: text.into(), highlights: vec![range("Oʻzbekiston"), range("visa")] };
        assert_eq!(highlights(&excerpt, Offsets::Utf16), [(5, 16), (17, 21)]);
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[17..21]).unwrap(), "visa");
        assert_eq!(highlights(&excerpt, Offsets::Chars), [(3, 14), (15, 19)]);
    }

    #[test]
    fn pairs_by_key_keep_the_last_of_each_key_as_a_map_would() {
        let pairs = |list: &[(&str, u8)]| list.iter().map(|&(k, v)| (k.to_string(), v)).collect::<Vec<_>>();
        let given = pairs(&[("uz-Latn", 1), ("en", 2), ("ru", 3), ("en", 4)]);
        let map: std::collections::BTreeMap<_, _> = given.clone().into_iter().collect();
        assert_eq!(by_key(given), map.into_iter().collect::<Vec<_>>());
        assert_eq!(by_key(pairs(&[("en", 2), ("en", 4)])), pairs(&[("en", 4)]));
    }

    #[test]
    fn pairs_serialize_as_an_object() {
        #[derive(Serialize)]
        struct Shown {
            #[serde(serialize_with = "as_map")]
            years: Vec<(String, usize)>,
        }
        let shown = Shown { years: vec![("2024".into(), 3), ("2025".into(), 1)] };
        assert_eq!(serde_json::to_string(&shown).unwrap(), r#"{"years":{"2024":3,"2025":1}}"#);
    }
}
