//! A small real index the targets search or corrupt.

use qidiruv_engine::index::BuiltIndex;
use qidiruv_engine::{Date, Document, IndexBuilder, Lang};

pub fn sample_index() -> BuiltIndex {
    let doc = |id: &str, lang: Lang, title: &str, body: &str| Document {
        id: id.into(),
        url: format!("/news/{id}/"),
        lang,
        title: title.into(),
        date: Some(Date::parse("2024-05-01").unwrap()),
        body: body.into(),
        group: None,
    };
    let mut builder = IndexBuilder::new();
    builder.add(doc("en", Lang::En, "State border security talks", "Talks in Tashkent on the state border."));
    builder.add(doc("ru", Lang::Ru, "Визит в Ташкент", "Мирзиёев провёл переговоры о границе."));
    builder.add(doc("uz", Lang::UzLatn, "O‘zbekiston va Qozog‘iston", "Toshkentda muzokaralar bo‘ldi."));
    builder.add(doc("oz", Lang::UzCyrl, "Ўзбекистон ва Тожикистон", "Тошкентда музокаралар бўлди."));
    builder.finish()
}
