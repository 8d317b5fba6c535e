//! The widget's own words in the four site languages.

use qidiruv_engine::Lang;

use crate::state::Status;

/// UI language; anything but the site languages falls back to English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiLang {
    En,
    Ru,
    UzLatn,
    UzCyrl,
}

impl UiLang {
    /// From a BCP 47 tag such as the element's `lang` or the page's `<html lang>`.
    pub fn from_tag(tag: &str) -> UiLang {
        match Lang::parse(tag) {
            Ok(Lang::Ru) => UiLang::Ru,
            Ok(Lang::UzLatn) => UiLang::UzLatn,
            Ok(Lang::UzCyrl) => UiLang::UzCyrl,
            _ if tag.to_ascii_lowercase().starts_with("ru-") => UiLang::Ru,
            _ => UiLang::En,
        }
    }

    /// The canonical tag of this UI language.
    pub fn tag(self) -> &'static str {
        match self {
            UiLang::En => "en",
            UiLang::Ru => "ru",
            UiLang::UzLatn => "uz-Latn",
            UiLang::UzCyrl => "uz-Cyrl",
        }
    }

    pub fn placeholder(self) -> &'static str {
        match self {
            UiLang::En => "Search news…",
            UiLang::Ru => "Поиск по новостям…",
            UiLang::UzLatn => "Yangiliklardan qidirish…",
            UiLang::UzCyrl => "Янгиликлардан қидириш…",
        }
    }

    pub fn input_label(self) -> &'static str {
        match self {
            UiLang::En => "Search the ministry's news",
            UiLang::Ru => "Поиск по новостям министерства",
            UiLang::UzLatn => "Vazirlik yangiliklaridan qidirish",
            UiLang::UzCyrl => "Вазирлик янгиликларидан қидириш",
        }
    }

    pub fn results_label(self) -> &'static str {
        match self {
            UiLang::En => "Search results",
            UiLang::Ru => "Результаты поиска",
            UiLang::UzLatn => "Qidiruv natijalari",
            UiLang::UzCyrl => "Қидирув натижалари",
        }
    }

    /// Heads the articles that miss one of the query's words.
    pub fn related_label(self) -> &'static str {
        match self {
            UiLang::En => "Related: missing one of your words",
            UiLang::Ru => "Похожие: без одного из слов запроса",
            UiLang::UzLatn => "Oʻxshash: soʻzlaringizdan biri yoʻq",
            UiLang::UzCyrl => "Ўхшаш: сўзларингиздан бири йўқ",
        }
    }

    fn loading(self) -> &'static str {
        match self {
            UiLang::En => "Loading the search index…",
            UiLang::Ru => "Загружаем поисковый индекс…",
            UiLang::UzLatn => "Qidiruv indeksi yuklanmoqda…",
            UiLang::UzCyrl => "Қидирув индекси юкланмоқда…",
        }
    }

    fn load_failed(self) -> &'static str {
        match self {
            UiLang::En => "Search is unavailable: the index could not be loaded.",
            UiLang::Ru => "Поиск недоступен: не удалось загрузить индекс.",
            UiLang::UzLatn => "Qidiruv ishlamayapti: indeksni yuklab boʻlmadi.",
            UiLang::UzCyrl => "Қидирув ишламаяпти: индексни юклаб бўлмади.",
        }
    }

    pub fn retry(self) -> &'static str {
        match self {
            UiLang::En => "Try again",
            UiLang::Ru => "Повторить",
            UiLang::UzLatn => "Qayta urinish",
            UiLang::UzCyrl => "Қайта уриниш",
        }
    }

    fn no_results(self, query: &str) -> String {
        match self {
            UiLang::En => format!("No articles match “{query}”. Check the spelling or try fewer words."),
            UiLang::Ru => format!("По запросу «{query}» ничего не найдено. Проверьте написание или сократите запрос."),
            UiLang::UzLatn => {
                format!("“{query}” boʻyicha hech narsa topilmadi. Imloni tekshiring yoki kamroq soʻz yozing.")
            }
            UiLang::UzCyrl => format!("«{query}» бўйича ҳеч нарса топилмади. Имлони текширинг ёки камроқ сўз ёзинг."),
        }
    }

    fn partial(self) -> &'static str {
        match self {
            UiLang::En => "No article has every word; showing the closest matches.",
            UiLang::Ru => "Нет статей со всеми словами; показаны ближайшие совпадения.",
            UiLang::UzLatn => "Barcha soʻzlar bir maqolada topilmadi; eng yaqin natijalar.",
            UiLang::UzCyrl => "Барча сўзлар бир мақолада топилмади; энг яқин натижалар.",
        }
    }

    pub fn showing_results_for(self, corrected: &str) -> String {
        match self {
            UiLang::En => format!("Showing results for “{corrected}”"),
            UiLang::Ru => format!("Показаны результаты по запросу «{corrected}»"),
            UiLang::UzLatn => format!("“{corrected}” boʻyicha natijalar koʻrsatilmoqda"),
            UiLang::UzCyrl => format!("«{corrected}» бўйича натижалар кўрсатилмоқда"),
        }
    }

    /// The status line's words, without the correction (shown apart).
    pub fn status(self, status: &Status) -> String {
        match status {
            Status::Silent => String::new(),
            Status::Loading => self.loading().into(),
            Status::Failed => self.load_failed().into(),
            Status::NoResults { query } => self.no_results(query),
            Status::Found { total, partial: false, .. } => self.result_count(*total),
            Status::Found { total, partial: true, .. } => format!("{} {}", self.result_count(*total), self.partial()),
        }
    }

    /// What screen readers hear: the status line with its correction.
    pub fn announcement(self, status: &Status) -> String {
        match status {
            Status::Found { corrected: Some(corrected), .. } => {
                format!("{} · {}", self.status(status), self.showing_results_for(corrected))
            }
            _ => self.status(status),
        }
    }

    /// The button below the list that shows the next results.
    pub fn show_more(self) -> &'static str {
        match self {
            UiLang::En => "Show more results",
            UiLang::Ru => "Показать ещё результаты",
            UiLang::UzLatn => "Yana natijalarni koʻrsatish",
            UiLang::UzCyrl => "Яна натижаларни кўрсатиш",
        }
    }

    /// Leads the links to a result's translations.
    pub fn also_in(self) -> &'static str {
        match self {
            UiLang::En => "Also in:",
            UiLang::Ru => "Также на языках:",
            UiLang::UzLatn => "Boshqa tillarda:",
            UiLang::UzCyrl => "Бошқа тилларда:",
        }
    }

    /// Names the row of language filter buttons.
    pub fn language_filter(self) -> &'static str {
        match self {
            UiLang::En => "Language",
            UiLang::Ru => "Язык",
            UiLang::UzLatn => "Til",
            UiLang::UzCyrl => "Тил",
        }
    }

    pub fn all_languages(self) -> &'static str {
        match self {
            UiLang::En => "All languages",
            UiLang::Ru => "Все языки",
            UiLang::UzLatn => "Barcha tillar",
            UiLang::UzCyrl => "Барча тиллар",
        }
    }

    pub fn year_filter(self) -> &'static str {
        match self {
            UiLang::En => "Year",
            UiLang::Ru => "Год",
            UiLang::UzLatn => "Yil",
            UiLang::UzCyrl => "Йил",
        }
    }

    pub fn all_years(self) -> &'static str {
        match self {
            UiLang::En => "All years",
            UiLang::Ru => "Все годы",
            UiLang::UzLatn => "Barcha yillar",
            UiLang::UzCyrl => "Барча йиллар",
        }
    }

    /// "5 results", with Russian's three plural forms.
    pub fn result_count(self, n: usize) -> String {
        match self {
            UiLang::En if n == 1 => "1 result".into(),
            UiLang::En => format!("{n} results"),
            UiLang::Ru => format!("{n} {}", russian_plural(n, "результат", "результата", "результатов")),
            UiLang::UzLatn => format!("{n} ta natija"),
            UiLang::UzCyrl => format!("{n} та натижа"),
        }
    }

    /// A language's name, written in this UI language.
    pub fn language_name(self, tag: &str) -> String {
        let names: [&str; 4] = match Lang::parse(tag) {
            Ok(Lang::En) => ["English", "Английский", "Inglizcha", "Инглизча"],
            Ok(Lang::Ru) => ["Russian", "Русский", "Ruscha", "Русча"],
            Ok(Lang::UzLatn) => ["Uzbek (Latin)", "Узбекский (латиница)", "Oʻzbekcha (lotin)", "Ўзбекча (лотин)"],
            Ok(Lang::UzCyrl) => ["Uzbek (Cyrillic)", "Узбекский (кириллица)", "Oʻzbekcha (kirill)", "Ўзбекча (кирилл)"],
            _ => return tag.to_string(),
        };
        names[self as usize].to_string()
    }

    /// `YYYY-MM-DD` as people write dates in this language.
    pub fn format_date(self, iso: &str) -> String {
        let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
        let [year, month, day] = parts[..] else {
            return iso.to_string();
        };
        let Some(m) = (month as usize).checked_sub(1).filter(|m| *m < 12) else {
            return iso.to_string();
        };
        match self {
            UiLang::En => format!("{day} {} {year}", EN_MONTHS[m]),
            UiLang::Ru => format!("{day} {} {year} г.", RU_MONTHS[m]),
            UiLang::UzLatn => format!("{year}-yil {day}-{}", UZ_LATN_MONTHS[m]),
            UiLang::UzCyrl => format!("{year} йил {day} {}", UZ_CYRL_MONTHS[m]),
        }
    }
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const RU_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const UZ_LATN_MONTHS: [&str; 12] =
    ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr"];
const UZ_CYRL_MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// Russian plural categories (CLDR): one (1, 21, 31 …), few (2-4, 22-24 …), many.
fn russian_plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_the_right_form() {
        let ru = |n| UiLang::Ru.result_count(n);
        assert_eq!(ru(1), "1 результат");
        assert_eq!(ru(2), "2 результата");
        assert_eq!(ru(5), "5 результатов");
        assert_eq!(ru(11), "11 результатов");
        assert_eq!(ru(21), "21 результат");
        assert_eq!(ru(112), "112 результатов");
    }

    #[test]
    fn dates_read_naturally() {
        assert_eq!(UiLang::En.format_date("2020-02-13"), "13 February 2020");
        assert_eq!(UiLang::Ru.format_date("2020-02-13"), "13 февраля 2020 г.");
        assert_eq!(UiLang::UzLatn.format_date("2020-02-13"), "2020-yil 13-fevral");
        assert_eq!(UiLang::UzCyrl.format_date("2020-02-13"), "2020 йил 13 февраль");
        assert_eq!(UiLang::En.format_date("garbage"), "garbage");
    }

    #[test]
    fn announcements_carry_the_correction() {
        let found = Status::Found { total: 2, partial: false, corrected: Some("visa".into()) };
        assert_eq!(UiLang::En.status(&found), "2 results");
        assert_eq!(UiLang::En.announcement(&found), "2 results · Showing results for “visa”");
        assert_eq!(UiLang::En.announcement(&Status::Silent), "");
    }

    #[test]
    fn tags_pick_the_ui_language() {
        assert_eq!(UiLang::from_tag("oz"), UiLang::UzCyrl);
        assert_eq!(UiLang::from_tag("uz"), UiLang::UzLatn);
        assert_eq!(UiLang::from_tag("ru-RU"), UiLang::Ru);
        assert_eq!(UiLang::from_tag("fr"), UiLang::En);
    }
}
