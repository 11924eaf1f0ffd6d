"""The language of the screens: Simplified Chinese by default, English for users who switch.

Source strings are Chinese and serve as gettext msgids, wrapped in _() where they are shown (N_()
marks those kept in module-level tables); assets/locale/en/LC_MESSAGES/messages.po translates them.
The catalogue is read once, straight from the .po file: there is no compile step.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from babel.messages.pofile import read_po
from flask import has_request_context, request
from flask_login import current_user

from dashboard.period import BadPeriod
from dashboard.scope import OutOfScope
from models.identity import UI_LANGS

LANGS = UI_LANGS  # ("zh", "en"): what user_account.ui_lang may hold
DEFAULT = "zh"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "assets" / "locale"
# Each language is named in itself on the switch, so these two are never translated.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}
# Plotly's locale of each language (assets/plotly-locale-zh-cn.js registers zh-CN; en is built in).
PLOTLY_LOCALE = {"zh": "zh-CN", "en": "en"}


def lang() -> str:
    """The language of this request: the signed-in user's choice; before sign-in ?lang= (the
    sign-in form's own switch); "zh" by default and outside a request (Dash's start-up checks)."""
    if not has_request_context():
        return DEFAULT
    if current_user.is_authenticated:
        chosen = getattr(current_user, "ui_lang", DEFAULT)
    else:
        chosen = request.values.get("lang", DEFAULT)
    return chosen if chosen in LANGS else DEFAULT


def translate(msgid: str, language: str) -> str:
    """msgid in the given language: the catalogue's translation, or msgid itself if it has none."""
    if language == DEFAULT:
        return msgid
    return catalogue(language).get(msgid) or msgid


def gettext(msgid: str) -> str:
    """msgid in the language of this request."""
    return translate(msgid, lang())


_ = gettext


def N_(msgid: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark msgid for the catalogue without translating it (module-level tables; _() at display)."""
    return msgid


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation of one language's catalogues: messages.po (the shell) and one .po file
    per module page (fuzzy and empty entries left out)."""
    out: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
        out.update({m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy})
    return out


@functools.cache
def _ag_grid_texts(language: str) -> dict[str, str] | None:
    path = LOCALE_DIR / f"ag-grid-{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def ag_grid_locale() -> dict[str, str] | None:
    """AG Grid's own texts (paging, filters) in the language of this request; None: its English."""
    return _ag_grid_texts(lang())


def error_text(exc: Exception) -> str:
    """Why a filter was refused (BadPeriod, OutOfScope), in the language of this request."""
    if isinstance(exc, BadPeriod):
        return gettext(exc.msgid).format(**exc.params)
    if isinstance(exc, OutOfScope):
        # Unknown or outside the subtree: the same answer either way.
        return gettext("所选单位不在您的数据范围内")
    return str(exc)


def html_lang() -> str:
    """The lang attribute of <html> (zh-CN or en): right glyphs for Chinese, right voice for readers."""
    return HTML_LANG[lang()]


def graph_config() -> dict[str, str]:
    """dcc.Graph(config=...) in the language of this request: Plotly's menus, months and days."""
    return {"locale": PLOTLY_LOCALE[lang()]}
