//! Article and query languages.

use std::fmt;

use crate::quoted::Quoted;

/// The language (and, for Uzbek, the script) of an article.
///
/// The four site languages get their own analysis rules; any other
/// well-formed BCP 47 tag is indexed with the generic rules.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    En,
    Ru,
    UzLatn,
    UzCyrl,
    /// A well-formed tag of a language without special rules, lower-cased.
    Other(String),
}

/// Why a language tag was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown lang {} (expected en, ru, uz-Latn or uz, uz-Cyrl or oz; \
             or a BCP 47 tag of another language)",
            Quoted(&self.0)
        )
    }
}

impl std::error::Error for UnknownLang {}

impl Lang {
    /// Parses a BCP 47 tag, accepting the aliases Uzbek sites use:
    /// `uz` is Uzbek in its default Latin script and `oz` is Uzbek Cyrillic.
    /// The subtags after the language and script (a region as in `en-US`
    /// or `uz-Latn-UZ`, a variant) do not change how text is analysed, so a
    /// site language keeps its own tag whatever follows.
    pub fn parse(tag: &str) -> Result<Lang, UnknownLang> {
        let lower = tag.to_ascii_lowercase();
        if !is_well_formed(&lower) {
            return Err(UnknownLang(tag.to_string()));
        }
        let mut subtags = lower.split('-');
        let language = subtags.next().unwrap_or_default();
        let script = subtags.next().filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
        let site = match (language, script) {
            ("en", None | Some("latn")) => Some(Lang::En),
            ("ru", None | Some("cyrl")) => Some(Lang::Ru),
            ("uz", None | Some("latn")) => Some(Lang::UzLatn),
            ("uz", Some("cyrl")) => Some(Lang::UzCyrl),
            // `oz` is no ISO 639 code: only the bare alias is Uzbek Cyrillic.
            ("oz", None) if lower == "oz" => Some(Lang::UzCyrl),
            _ => None,
        };
        Ok(site.unwrap_or(Lang::Other(lower)))
    }

    /// The canonical tag: `en`, `ru`, `uz-Latn`, `uz-Cyrl`, or the other tag.
    pub fn tag(&self) -> &str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::UzLatn => "uz-Latn",
            Lang::UzCyrl => "uz-Cyrl",
            Lang::Other(tag) => tag,
        }
    }

    /// Whether this language has its own analysis rules.
    pub fn is_site_language(&self) -> bool {
        !matches!(self, Lang::Other(_))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A two-letter ISO 639-1 primary subtag followed by optional subtags of
/// 1-8 alphanumerics. Three-letter primaries are refused on purpose: the
/// usual mistake is an ISO 639-2 code (`uzb`, `rus`) where BCP 47 requires
/// the two-letter one, and that tag decides how the text is analysed.
fn is_well_formed(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    primary.len() == 2
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_uzbek_scripts() {
        assert_eq!(Lang::parse("uz").unwrap(), Lang::UzLatn);
        assert_eq!(Lang::parse("uz-Latn").unwrap(), Lang::UzLatn);
        assert_eq!(Lang::parse("oz").unwrap(), Lang::UzCyrl);
        assert_eq!(Lang::parse("UZ-CYRL").unwrap(), Lang::UzCyrl);
    }

    #[test]
    fn other_well_formed_tags_are_generic() {
        assert_eq!(Lang::parse("de").unwrap(), Lang::Other("de".into()));
        assert_eq!(Lang::parse("de-AT").unwrap(), Lang::Other("de-at".into()));
        // Another script is another analysis: Uzbek in Arabic script is not uz-Latn.
        assert_eq!(Lang::parse("uz-Arab-AF").unwrap(), Lang::Other("uz-arab-af".into()));
        assert_eq!(Lang::parse("ru-Latn").unwrap(), Lang::Other("ru-latn".into()));
    }

    #[test]
    fn regions_and_variants_keep_the_site_language() {
        for (tag, lang) in [
            ("en-US", Lang::En),
            ("en-GB", Lang::En),
            ("EN-us", Lang::En),
            ("ru-RU", Lang::Ru),
            ("ru-Cyrl-RU", Lang::Ru),
            ("uz-UZ", Lang::UzLatn),
            ("uz-Latn-UZ", Lang::UzLatn),
            ("uz-Cyrl-UZ", Lang::UzCyrl),
            ("en-US-posix", Lang::En),
        ] {
            assert_eq!(Lang::parse(tag).unwrap(), lang, "{tag}");
        }
    }

    #[test]
    fn iso_639_2_codes_and_garbage_are_refused() {
        for bad in ["uzb", "rus", "", "e", "en_US", "en--us", "d3", "en-", "uz-Latn-"] {
            let err = Lang::parse(bad).unwrap_err();
            assert!(err.to_string().contains("expected en, ru"), "{bad}: {err}");
        }
    }

    #[test]
    fn canonical_tags_round_trip() {
        for tag in ["en", "ru", "uz-Latn", "uz-Cyrl"] {
            assert_eq!(Lang::parse(tag).unwrap().tag(), tag);
        }
    }
}
