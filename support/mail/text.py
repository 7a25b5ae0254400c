"""Readable text of an inbound email: HTML to text, and the new part of a reply split from the
quoted history.

HTML: inscriptis (Apache-2.0) — no CSS or script, entities decoded, paragraphs and lists kept.
Replies: mail-parser-reply (MIT) with its English patterns (Outlook, Gmail, Apple Mail,
Thunderbird) plus the Russian clients' headers registered below (Outlook "От: … Отправлено:",
Gmail/Apple "… написал(а):", Thunderbird "… пишет:", Yandex/Mail.ru "…, 10:00, Имя <a@b>:").
"""

import re

from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE

_Q = QUOTED_MATCH_INCLUDE
_EMAIL = r"<?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+>?"
MAIL_LANGUAGES.setdefault(
    "ru",
    {
        "wrote_header": [
            # Thunderbird, Gmail (old), Apple Mail: "27.11.2026 10:00, Иван пишет:" / "написал(а):"
            # (Gmail on Android wraps it: "02.04.2012 14:20 пользователь "a@b" <\na@b> написал:")
            r"^("
            + _Q
            + r"[^\n]{0,200}?(?:\n[^\n]{0,200}?)?(?:пишет|написал|написала|написал\(а\))\s?:)$",
            # Gmail, Yandex, Mail.ru: a line with a time that ends with the sender's address.
            r"^(" + _Q + r"(?=[^\n]{0,200}\d{1,2}:\d{2})[^\n]{0,250}" + _EMAIL + r"\s?:)$",
            r"^(" + _Q + r"-{2,}\s?(?:Исходное сообщение|Original Message)\s?-{2,})$",
        ],
        # Outlook in Russian: two or more of its header lines in a row.
        "from_header": r"((?:(?:^|\n|\n"
        + _Q
        + r")[* ]*(?:От|Отправлено|Кому|Тема|Дата|Копия|Организация):[ *]*(?:\s{,2}).*){2,}"
        r"(?:\n.*){,1})",
        "disclaimers": ["Конфиденциально:"],
        "signatures": ["С уважением", "С наилучшими пожеланиями"],
        "sent_from": "Отправлено из|Отправлено с",
    },
)
_PARSER = EmailReplyParser(languages=["ru", "en"])
_HTML_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=False)
_TRAILING_QUOTE = re.compile(r"(?:\n[ \t]*>[^\n]*)+\s*\Z")


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    try:
        return get_text(html, _HTML_CONFIG)
    except Exception:
        return re.sub(r"<[^>]*>", " ", html)


def new_part(text: str) -> str:
    """The part of a reply above the quoted history; the whole text when nothing is quoted."""
    if not text.strip():
        return ""
    try:
        latest = _PARSER.parse_reply(text) or ""
    except Exception:
        latest = text
    latest = _TRAILING_QUOTE.sub("", "\n" + latest).strip()
    return latest or text.strip()
