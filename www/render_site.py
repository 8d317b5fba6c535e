#!/usr/bin/env python3
"""Render the static demo host site for the Qidiruv search widget.

Usage: python3 www/render_site.py ARTICLES.jsonl OUT_DIR

Writes into OUT_DIR:
  index.html                  language chooser
  en/ ru/ uz/ oz/index.html   each language's news listing, newest first
  <prefix>/search/index.html  each language's search page: where the header's
                              no-JavaScript form sends ?q=, which the widget reads
  <article url>/index.html    one page per article
  site.css                    copied from www/site/site.css

Other tools own the rest of OUT_DIR (qidiruv/, search/), so this script only
creates or overwrites its own files and never deletes anything.
Stdlib only; every page shares the layout in www/site/page.html.
"""

import html
import json
import re
import shutil
import sys
from dataclasses import dataclass
from functools import cache
from datetime import date, datetime
from pathlib import Path
from string import Template

SITE_DIR = Path(__file__).resolve().parent / "site"

# Top-level names an article url must not use: other tools write qidiruv/
# (widget bundle) and search/ (index); the other two are this script's files.
RESERVED_TOP = {"qidiruv", "search", "site.css", "index.html"}

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?")

# A candidate sentence end: terminator, optional closing quotes, whitespace.
SENTENCE_END = re.compile(r"[.!?…]+[»\"”’)]*\s+")
SUMMARY_MAX = 300
NL = "\n"


@dataclass(frozen=True)
class Lang:
    code: str  # value of the article "lang" field, <html lang> and the widget lang
    prefix: str  # top-level directory of this language's pages
    switch_label: str
    endonym: str
    ministry: str
    nav: tuple[str, str, str, str]  # News, Press releases, Consular services, About
    placeholder: str
    search_label: str
    search_button: str
    search_help: str  # the search page, with JavaScript
    search_nojs: str  # ... and without: search needs it
    choose_label: str
    no_news: str
    all_news: str
    also_in: str
    tags_label: str
    skip_label: str
    lang_nav_label: str
    menu_label: str
    address: str
    rights: str
    demo_note: str
    months: tuple[str, ...]
    date_format: str  # str.format pattern over {day}, {month}, {year}

    @property
    def home(self) -> str:
        return f"/{self.prefix}/"


LANGS = {
    lang.code: lang
    for lang in (
        Lang(
            code="en",
            prefix="en",
            switch_label="EN",
            endonym="English",
            ministry="Ministry of Foreign Affairs of the Republic of Uzbekistan",
            nav=("News", "Press releases", "Consular services", "About the ministry"),
            placeholder="Search news…",
            search_label="Search news",
            search_button="Search",
            search_help="Type into the search box at the top of the page.",
            search_nojs="Search needs JavaScript. You can browse all news instead.",
            choose_label="Choose a language",
            no_news="No news yet.",
            all_news="All news",
            also_in="Also in",
            tags_label="Tags",
            skip_label="Skip to content",
            lang_nav_label="Language",
            menu_label="Main menu",
            address="Tashkent, Uzbekistan",
            rights="All rights reserved.",
            demo_note="Demonstration site for the Qidiruv search widget.",
            months=("January", "February", "March", "April", "May", "June", "July",
                    "August", "September", "October", "November", "December"),
            date_format="{day} {month} {year}",
        ),
        Lang(
            code="ru",
            prefix="ru",
            switch_label="РУ",
            endonym="Русский",
            ministry="Министерство иностранных дел Республики Узбекистан",
            nav=("Новости", "Пресс-релизы", "Консульские услуги", "О министерстве"),
            placeholder="Поиск по новостям…",
            search_label="Поиск по новостям",
            search_button="Найти",
            search_help="Введите запрос в поле поиска вверху страницы.",
            search_nojs="Для поиска нужен JavaScript. Можно просмотреть все новости.",
            choose_label="Выберите язык",
            no_news="Новостей пока нет.",
            all_news="Все новости",
            also_in="На других языках",
            tags_label="Теги",
            skip_label="Перейти к содержанию",
            lang_nav_label="Язык",
            menu_label="Главное меню",
            address="Ташкент, Узбекистан",
            rights="Все права защищены.",
            demo_note="Демонстрационный сайт поискового виджета Qidiruv.",
            # Genitive forms: "14 марта 2025 г."
            months=("января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                    "августа", "сентября", "октября", "ноября", "декабря"),
            date_format="{day} {month} {year} г.",
        ),
        Lang(
            code="uz-Latn",
            prefix="uz",
            switch_label="OʻZ",
            endonym="Oʻzbekcha",
            ministry="Oʻzbekiston Respublikasi Tashqi ishlar vazirligi",
            nav=("Yangiliklar", "Press-relizlar", "Konsullik xizmatlari", "Vazirlik haqida"),
            placeholder="Yangiliklardan qidirish…",
            search_label="Yangiliklardan qidirish",
            search_button="Qidirish",
            search_help="Sahifa tepasidagi qidiruv maydoniga yozing.",
            search_nojs="Qidiruv uchun JavaScript kerak. Barcha yangiliklarni koʻrishingiz mumkin.",
            choose_label="Tilni tanlang",
            no_news="Hozircha yangiliklar yoʻq.",
            all_news="Barcha yangiliklar",
            also_in="Boshqa tillarda",
            tags_label="Teglar",
            skip_label="Asosiy mazmunga oʻtish",
            lang_nav_label="Til",
            menu_label="Asosiy menyu",
            address="Toshkent, Oʻzbekiston",
            rights="Barcha huquqlar himoyalangan.",
            demo_note="Qidiruv qidiruv vidjeti uchun namoyish sayti.",
            months=("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul",
                    "avgust", "sentabr", "oktabr", "noyabr", "dekabr"),
            date_format="{year}-yil {day}-{month}",
        ),
        Lang(
            code="uz-Cyrl",
            prefix="oz",
            switch_label="ЎЗ",
            endonym="Ўзбекча",
            ministry="Ўзбекистон Республикаси Ташқи ишлар вазирлиги",
            nav=("Янгиликлар", "Пресс-релизлар", "Консуллик хизматлари", "Вазирлик ҳақида"),
            placeholder="Янгиликлардан қидириш…",
            search_label="Янгиликлардан қидириш",
            search_button="Қидириш",
            search_help="Саҳифа тепасидаги қидирув майдонига ёзинг.",
            search_nojs="Қидирув учун JavaScript керак. Барча янгиликларни кўришингиз мумкин.",
            choose_label="Тилни танланг",
            no_news="Ҳозирча янгиликлар йўқ.",
            all_news="Барча янгиликлар",
            also_in="Бошқа тилларда",
            tags_label="Теглар",
            skip_label="Асосий мазмунга ўтиш",
            lang_nav_label="Тил",
            menu_label="Асосий меню",
            address="Тошкент, Ўзбекистон",
            rights="Барча ҳуқуқлар ҳимояланган.",
            demo_note="Qidiruv қидирув виджети учун намойиш сайти.",
            months=("январь", "февраль", "март", "апрель", "май", "июнь", "июль",
                    "август", "сентябрь", "октябрь", "ноябрь", "декабрь"),
            date_format="{year} йил {day} {month}",
        ),
    )
}
# The landing page has no language of its own; its chrome is English and the
# chooser labels each option in its own language.
LANDING_LANG = LANGS["en"]


@dataclass(frozen=True)
class Article:
    id: str
    url: str
    lang: Lang
    title: str
    published: datetime | None
    date_raw: str | None
    body: str
    group: str  # translations of one story share this key
    section: str | None
    tags: tuple[str, ...]


def warn(message: str) -> None:
    print(f"render_site.py: warning: {message}", file=sys.stderr)


# ---------------------------------------------------------------- loading


def load_articles(path: Path) -> list[Article]:
    """Parse the JSONL file, warning about (never silently dropping) bad lines."""
    articles: list[Article] = []
    seen_urls: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                warn(f"{where}: invalid JSON ({err.msg}); left out")
                continue
            article = parse_article(record, where)
            if article is None:
                continue
            if article.url in seen_urls:
                warn(f"{where}: article {article.id!r}: url {article.url} already used; left out")
                continue
            seen_urls.add(article.url)
            articles.append(article)
    return articles


def parse_article(record: object, where: str) -> Article | None:
    """Validate one record; return None (after a warning) if it cannot be rendered."""
    if not isinstance(record, dict):
        warn(f"{where}: not a JSON object; left out")
        return None
    article_id = str(record.get("id", ""))
    label = f"{where}: article {article_id!r}"
    url = record.get("url") or ""
    problem = url_problem(url) if isinstance(url, str) else "url is not a string"
    if problem:
        warn(f"{label}: {problem}; left out")
        return None
    raw_lang = record.get("lang")
    lang = LANGS.get(raw_lang) if isinstance(raw_lang, str) else None
    if lang is None:
        warn(f"{label}: unknown lang {raw_lang!r}; left out")
        return None
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        warn(f"{label}: missing title; left out")
        return None
    body = record.get("body") or ""
    if not isinstance(body, str):
        warn(f"{label}: body is not a string; left out")
        return None
    date_raw = record.get("date")
    section = record.get("section")
    tags = record.get("tags") or []
    return Article(
        id=article_id,
        url=url,
        lang=lang,
        title=title.strip(),
        published=parse_date(date_raw, label),
        date_raw=date_raw if isinstance(date_raw, str) else None,
        body=body,
        # The original story usually has no translation_of; its translations
        # point at its id, so the id is the group key for originals.
        group=str(record.get("translation_of") or article_id or url),
        section=(section.strip() or None) if isinstance(section, str) else None,
        tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
    )


def url_problem(url: str) -> str | None:
    """Return why an article url cannot become OUT_DIR/<url>/index.html, or None."""
    if not url:
        return "empty url"
    if not (url.startswith("/") and url.endswith("/")):
        return f"url {url!r} must start and end with '/'"
    if any(char in url for char in "?#\\"):
        return f"url {url!r} contains '?', '#' or '\\'"
    parts = url.strip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"url {url!r} has an empty, '.' or '..' segment"
    if len(parts) == 1 and parts[0] in {lang.prefix for lang in LANGS.values()}:
        return f"url {url!r} would overwrite a language home page"
    if len(parts) == 2 and parts[1] == "search" and parts[0] in {lang.prefix for lang in LANGS.values()}:
        return f"url {url!r} would overwrite a search page"
    if parts[0] in RESERVED_TOP:
        return f"url {url!r} is under /{parts[0]}, which is reserved"
    return None


def parse_date(value: object, label: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:  # well-formed but impossible, e.g. 2025-02-30
            pass
    warn(f"{label}: unrecognised date {value!r}; shown undated")
    return None


# ---------------------------------------------------------------- text helpers


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def format_date(published: datetime, lang: Lang) -> str:
    return lang.date_format.format(
        day=published.day, month=lang.months[published.month - 1], year=published.year
    )


def paragraphs(body: str) -> list[str]:
    return [para.strip() for para in body.split("\n\n") if para.strip()]


def first_sentence(body: str) -> str:
    """The lead sentence of the first paragraph, for the news listing.

    A terminator only ends the sentence when at least three word characters
    precede it and an upper-case letter or digit follows, so initials and
    abbreviations ("Sh. Mirziyoyev", "2025 г. в", "U.S.") do not cut it short.
    """
    paras = paragraphs(body)
    if not paras:
        return ""
    text = " ".join(paras[0].split())
    for match in SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 3):match.start()]
        next_char = text[match.end():].lstrip("«\"“(")[:1]
        if len(before) == 3 and before.isalnum() and (next_char.isupper() or next_char.isdigit()):
            return text[:match.end()].rstrip()
    if len(text) <= SUMMARY_MAX:
        return text
    return text[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- page parts


def time_html(article: Article) -> str:
    if article.published is None:
        return ""
    return (f'<time datetime="{esc(article.date_raw or "")}">'
            f"{esc(format_date(article.published, article.lang))}</time>")


def lang_links_html(targets: dict[str, str], current: Lang | None) -> str:
    """Language switcher items; targets maps lang code to the url to switch to."""
    items = []
    for lang in LANGS.values():
        current_attr = ' aria-current="true"' if lang is current else ""
        items.append(
            f'          <li><a href="{esc(targets[lang.code])}" hreflang="{lang.code}" '
            f'lang="{lang.code}" title="{esc(lang.endonym)}"{current_attr}>'
            f"{esc(lang.switch_label)}</a></li>"
        )
    return "\n".join(items)


def nav_links_html(lang: Lang, on_home: bool) -> str:
    # Only "News" has a real page; the other sections are placeholders.
    hrefs = (lang.home, "#", "#", "#")
    items = []
    for index, (label, href) in enumerate(zip(lang.nav, hrefs)):
        current_attr = ' aria-current="page"' if on_home and index == 0 else ""
        items.append(f'        <li><a href="{href}"{current_attr}>{esc(label)}</a></li>')
    return "\n".join(items)


@cache
def layout() -> Template:
    return Template((SITE_DIR / "page.html").read_text(encoding="utf-8"))


def render_page(lang: Lang, title: str, main: str, *, switch_targets: dict[str, str],
                current: Lang | None, on_home: bool = False, brand_href: str | None = None,
                is_article: bool = False, preload_search: bool = False) -> str:
    return layout().substitute(
        # Listing and landing pages are not articles: `qidiruv build` leaves them out.
        body_attrs="" if is_article else " data-qidiruv-ignore",
        html_lang=lang.code,
        title=esc(title),
        skip_label=esc(lang.skip_label),
        lang_nav_label=esc(lang.lang_nav_label),
        lang_links=lang_links_html(switch_targets, current),
        brand_href=brand_href or lang.home,
        ministry=esc(lang.ministry),
        widget_lang=lang.code,
        widget_attrs=' preload="idle"' if preload_search else "",
        prefix=lang.prefix,
        placeholder=esc(lang.placeholder),
        search_label=esc(lang.search_label),
        search_button=esc(lang.search_button),
        menu_label=esc(lang.menu_label),
        nav_links=nav_links_html(lang, on_home),
        main=main,
        address=esc(lang.address),
        year=date.today().year,
        rights=esc(lang.rights),
        demo_note=esc(lang.demo_note),
    )


HOME_TARGETS = {lang.code: lang.home for lang in LANGS.values()}


# ---------------------------------------------------------------- pages


def render_landing() -> str:
    others = " · ".join(
        f'<span lang="{lang.code}">{esc(lang.choose_label)}</span>'
        for lang in LANGS.values() if lang is not LANDING_LANG
    )
    options = "\n".join(
        f'  <li><a href="{lang.home}" hreflang="{lang.code}" lang="{lang.code}">'
        f'<span class="chooser-name">{esc(lang.endonym)}</span>'
        f'<span class="chooser-ministry">{esc(lang.ministry)}</span></a></li>'
        for lang in LANGS.values()
    )
    main = (f'<h1 class="page-title">{esc(LANDING_LANG.choose_label)}</h1>\n'
            f'<p class="chooser-others">{others}</p>\n'
            f'<ul class="chooser">\n{options}\n</ul>')
    return render_page(LANDING_LANG, LANDING_LANG.ministry, main,
                       switch_targets=HOME_TARGETS, current=None, brand_href="/")


def render_home(lang: Lang, articles: list[Article]) -> str:
    items = []
    for article in articles:
        summary = first_sentence(article.body)
        items.append(
            '  <li class="news-item">\n'
            f'    <h2><a href="{esc(article.url)}">{esc(article.title)}</a></h2>\n'
            + (f'    <p class="meta">{time_html(article)}</p>\n' if article.published else "")
            + (f"    <p>{esc(summary)}</p>\n" if summary else "")
            + "  </li>"
        )
    listing = ('<ul class="news-list">\n' + "\n".join(items) + "\n</ul>" if items
               else f'<p class="empty">{esc(lang.no_news)}</p>')
    main = f'<h1 class="page-title">{esc(lang.nav[0])}</h1>\n{listing}'
    return render_page(lang, f"{lang.nav[0]} — {lang.ministry}", main,
                       switch_targets=HOME_TARGETS, current=lang, on_home=True)


def render_search(lang: Lang) -> str:
    # The widget in the header reads ?q= and opens its results; without
    # JavaScript the header's form still works and this page says why no results show.
    # Visitors come here to search: the widget downloads before they reach for it.
    main = (f'<h1 class="page-title">{esc(lang.search_label)}</h1>\n'
            f'<p class="search-help">{esc(lang.search_help)}</p>\n'
            f'<noscript><p class="empty">{esc(lang.search_nojs)} '
            f'<a href="{lang.home}">{esc(lang.all_news)}</a></p></noscript>')
    targets = {code: f"{other.home}search/" for code, other in LANGS.items()}
    return render_page(lang, f"{lang.search_label} — {lang.ministry}", main,
                       switch_targets=targets, current=lang, preload_search=True)


def render_article(article: Article, translations: list[Article]) -> str:
    lang = article.lang
    # Single newlines inside a paragraph are deliberate line breaks (e.g. in addresses).
    body = "\n".join(f"<p>{esc(para).replace(NL, '<br>' + NL)}</p>" for para in paragraphs(article.body))
    # Navigation and labels inside <article> are marked so `qidiruv build` skips them.
    parts = [f'<p class="back" data-qidiruv-ignore><a href="{lang.home}">← {esc(lang.all_news)}</a></p>']
    if article.section:
        parts.append(f'<p class="kicker" data-qidiruv-ignore>{esc(article.section)}</p>')
    parts.append(f'<h1 class="article-title">{esc(article.title)}</h1>')
    if article.published:
        parts.append(f'<p class="meta">{time_html(article)}</p>')
    parts.append(f'<div class="article-body">\n{body}\n</div>')
    if article.tags:
        tags = "".join(f"<li>{esc(tag)}</li>" for tag in article.tags)
        parts.append(f'<ul class="tags" data-qidiruv-ignore aria-label="{esc(lang.tags_label)}">{tags}</ul>')
    main = ('<div class="article-layout">\n<article class="article">\n'
            + "\n".join(parts) + "\n</article>\n" + also_in_html(lang, translations) + "</div>")
    # The switcher leads to this story's translation where there is one.
    story_urls = {lang.code: article.url}
    for other in translations:
        story_urls.setdefault(other.lang.code, other.url)
    switch_targets = HOME_TARGETS | story_urls
    return render_page(lang, f"{article.title} — {lang.ministry}", main, is_article=True,
                       switch_targets=switch_targets, current=lang)


def also_in_html(lang: Lang, translations: list[Article]) -> str:
    if not translations:
        return ""
    items = "\n".join(
        f'  <li><a href="{esc(other.url)}" hreflang="{other.lang.code}" lang="{other.lang.code}">'
        f'<span class="also-lang">{esc(other.lang.endonym)}</span> '
        f'<span class="also-title">{esc(other.title)}</span></a></li>'
        for other in translations
    )
    return (f'<aside class="also-in" aria-labelledby="also-in-heading">\n'
            f'<h2 id="also-in-heading">{esc(lang.also_in)}</h2>\n<ul>\n{items}\n</ul>\n</aside>\n')


# ---------------------------------------------------------------- output


def newest_first(articles: list[Article]) -> list[Article]:
    # Undated articles go last; sorted() is stable, so ties keep file order.
    return sorted(articles, key=lambda a: a.published or datetime.min, reverse=True)


def translations_of(article: Article, articles: list[Article]) -> list[Article]:
    """Same story in other languages, in switcher order."""
    order = list(LANGS)
    others = [a for a in articles if a.group == article.group and a.lang is not article.lang]
    return sorted(others, key=lambda a: order.index(a.lang.code))


def write_page(out_dir: Path, url: str, page: str) -> None:
    target = out_dir / url.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")


def render_site(articles: list[Article], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SITE_DIR / "site.css", out_dir / "site.css")
    write_page(out_dir, "/", render_landing())
    for lang in LANGS.values():
        own = newest_first([a for a in articles if a.lang is lang])
        write_page(out_dir, lang.home, render_home(lang, own))
        write_page(out_dir, f"{lang.home}search/", render_search(lang))
    for article in articles:
        write_page(out_dir, article.url, render_article(article, translations_of(article, articles)))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python3 www/render_site.py ARTICLES.jsonl OUT_DIR", file=sys.stderr)
        return 2
    articles = load_articles(Path(argv[1]))
    out_dir = Path(argv[2])
    render_site(articles, out_dir)
    print(f"rendered {len(articles)} articles into {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
