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
    let docs = [
        doc("en", Lang::En, "State border security talks", "Talks in Tashkent on the state border."),
        doc("ru", Lang::Ru, "Визит в Ташкент", "Мирзиёев провёл переговоры о границе."),
        doc("uz", Lang::UzLatn, "O‘zbekiston va Qozog‘iston", "Toshkentda muzokaralar bo‘ldi."),
        doc("oz", Lang::UzCyrl, "Ўзбекистон ва Тожикистон", "Тошкентда музокаралар бўлди."),
    ];
    let mut builder = IndexBuilder::new().expect("a scratch directory");
    builder.add_all(docs.into()).expect("the scratch files take writes");
    builder.finish().expect("the scratch files read back")
}
