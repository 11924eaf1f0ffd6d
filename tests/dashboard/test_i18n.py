"""Chinese by default, English by a switch remembered per user: every msgid has its English text,
no Chinese string is left unwrapped in the shell and the overview, and the switch really works."""
from __future__ import annotations

import ast
import io
import re
import string
from pathlib import Path

import dash
import pytest
from jinja2.ext import babel_extract
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import auth, formats, i18n
from dashboard.period import PRESETS
from models import identity
from tests.dashboard.web import (
    account, card_body, post_callback, router_body, set_account, sign_in, signed_in, texts,
)

ROOT = Path(__file__).resolve().parents[2]
# The functions whose first argument is a msgid (dashboard/i18n.py, and BadPeriod's message).
MARKERS = {"_", "N_", "gettext", "translate", "BadPeriod"}
# Where a visible string must never be a bare Chinese literal.
WRAPPED_FILES = ("dashboard/components.py", "dashboard/app.py", "dashboard/figures.py",
                 *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")))
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MONTH = {"period": "custom", "start": "2025-10-01", "end": "2025-10-31"}
NAV = "..shell-nav.children...shell-user.children.."
FILTERS = (".._pages_location.search...shell-org.value...shell-period.value...shell-dates.start_date..."
           "shell-dates.end_date...shell-filter-summary.children...shell-filter-error.children..."
           "shell-filter-error.is_open..")


def marker(call: ast.Call) -> bool:
    """Whether call is _(...), N_(...), i18n.gettext(...), translate(...) or BadPeriod(...)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name in MARKERS


def literal_msgids(tree: ast.AST) -> list[ast.Constant]:
    """The string constants passed as first argument to a marker (a variable there is no msgid)."""
    return [node.args[0] for node in ast.walk(tree)
            if isinstance(node, ast.Call) and marker(node) and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]


def msgids() -> set[str]:
    """Every msgid of dashboard/ and pages/: marked literals, the sign-in pages' templates, the
    period presets and the names of the registered pages (the navigation translates them)."""
    found = set()
    for folder in ("dashboard", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= {c.value for c in literal_msgids(ast.parse(path.read_text(encoding="utf-8")))}
    for template in (auth.LOGIN_PAGE, auth.LOGOUT_PAGE, auth.FORBIDDEN_PAGE):
        found |= {msg for _line, _func, msg, _comments
                  in babel_extract(io.BytesIO(template.encode()), ("_",), [], {})}
    found |= set(PRESETS.values())
    return found


def fields(text: str) -> set[str]:
    """The {placeholders} of a format string."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_message_has_an_english_translation(app):
    """Each msgid in the code (and each page's name) has a non-empty English text with the same
    placeholders; a new string without one fails here."""
    wanted = msgids() | {page["name"] for page in dash.page_registry.values()}
    english = i18n.catalogue("en")
    assert len(wanted) > 60  # the extraction found the code's strings at all
    assert sorted(m for m in wanted if not english.get(m, "").strip()) == []
    assert sorted(m for m in wanted if fields(english[m]) != fields(m)) == []


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants of a module and its classes and functions."""
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(
        n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))]
    return {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


@pytest.mark.parametrize("relative", WRAPPED_FILES)
def test_no_chinese_literal_is_left_unwrapped(relative):
    """In the shell and every page, every Chinese string literal is a msgid inside _() or N_()
    (docstrings and comments aside)."""
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    allowed = docstrings(tree) | {id(c) for c in literal_msgids(tree)}
    bare = [f"{relative}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and CJK.search(node.value) and id(node) not in allowed]
    assert bare == []


def test_outside_a_request_the_language_is_chinese():
    """Dash checks layouts at start-up with nobody signed in: they come out in Chinese."""
    assert i18n.lang() == "zh" and i18n.gettext("概览") == "概览"
    assert i18n.graph_config() == {"locale": "zh-CN"} and i18n.translate("概览", "en") == "Overview"


def test_numbers_follow_the_language():
    """Percentage points and large sums read as each language writes them."""
    assert formats.change(0.95, 0.9, "rate", "zh") == "+5.0 个百分点"
    assert formats.change(0.95, 0.9, "rate", "en") == "+5.0 pp"
    assert formats.value(123_456_789, "money", "zh") == "1.23 亿元"
    assert formats.value(123_456_789, "money", "en") == "123.5 million yuan"
    assert formats.value(12_345, "money", "zh") == "1.2 万元"
    assert formats.value(12_345, "money", "en") == "12,345.00 yuan"


def test_an_account_keeps_only_known_languages(db):
    """set_ui_lang refuses an unknown language or account; the database's CHECK refuses the rest."""
    user_id = account(db, "city_leader").id
    assert account(db, "city_leader").ui_lang == "zh"  # the server default of every account
    with Session(db) as s, s.begin():
        identity.set_ui_lang(s, user_id, "en")
        for bad in ("fr", "", "EN"):
            with pytest.raises(ValueError, match="unknown language"):
                identity.set_ui_lang(s, user_id, bad)
        with pytest.raises(ValueError, match="no account"):
            identity.set_ui_lang(s, 10**9, "en")
    assert account(db, "city_leader").ui_lang == "en"
    with pytest.raises(IntegrityError), db.begin() as conn:  # raw SQL: no ORM check on the way
        conn.execute(text("UPDATE user_account SET ui_lang = 'fr' WHERE username = 'city_leader'"))


def switch_body(chosen) -> dict:
    """The body Dash posts when the language switch (value: the language it offers) is clicked."""
    return {"output": "shell-lang-saved.data",
            "outputs": {"id": "shell-lang-saved", "property": "data"},
            "inputs": [{"id": "shell-lang", "property": "n_clicks", "value": 1}],
            "state": [{"id": "shell-lang", "property": "value", "value": chosen}],
            "changedPropIds": ["shell-lang.n_clicks"]}


def nav_body(pathname: str = "/") -> dict:
    """The body of the menu callback for a path."""
    return {"output": NAV, "outputs": [{"id": "shell-nav", "property": "children"},
                                       {"id": "shell-user", "property": "children"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def filters_body(search: str) -> dict:
    """The body of the filter bar's callback when the URL's query string changes."""
    ids = [("_pages_location", "search"), ("shell-org", "value"), ("shell-period", "value"),
           ("shell-dates", "start_date"), ("shell-dates", "end_date"),
           ("shell-filter-summary", "children"), ("shell-filter-error", "children"),
           ("shell-filter-error", "is_open")]
    inputs = [{"id": i, "property": p, "value": search if i == "_pages_location" else None}
              for i, p in ids[:5]]
    return {"output": FILTERS, "outputs": [{"id": i, "property": p} for i, p in ids],
            "inputs": inputs, "changedPropIds": ["_pages_location.search"], "state": []}


def shown(client, body: dict) -> list[str]:
    """The strings of a callback's answer."""
    response = post_callback(client, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return texts(response.get_json())


def layout_texts(client) -> list[str]:
    """The strings of the shell as /_dash-layout renders it for this client."""
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    return texts(response.get_json())


def test_the_switch_saves_english_for_this_user_only(app, db):
    """A click saves English in the database; from then on the shell, the menu, the page and its
    title render in English for that user, while another user stays Chinese."""
    leader, head = signed_in(app, "city_leader"), signed_in(app, "dongcheng_dept_head")
    before = layout_texts(leader)
    assert "退出登录" in before and "English" in before and "Sign out" not in before
    assert shown(leader, switch_body("en")) == ["en"]
    assert account(db, "city_leader").ui_lang == "en"
    after = layout_texts(leader)
    assert {"Sign out", "Filters", "中文", "City Management OA Analytics"} <= set(after)
    assert not [t for t in after if CJK.search(t) and t != "中文"]
    assert "Overview" in shown(leader, nav_body())
    routed = shown(leader, router_body("/"))
    assert "Overview" in routed and "Loading…" in routed
    page = leader.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "<title>City Management OA Analytics</title>" in page
    assert "退出登录" in layout_texts(head) and "概览" in shown(head, nav_body())
    assert account(db, "dongcheng_dept_head").ui_lang == "zh"
    assert '<html lang="zh-CN">' in head.get("/").get_data(as_text=True)
    assert shown(leader, switch_body("zh")) == ["zh"] and "退出登录" in layout_texts(leader)


def test_the_switch_refuses_an_unknown_language(app, db):
    """A forged value changes nothing."""
    client = signed_in(app, "city_leader")
    for forged in ("fr", None, ["en"]):
        response = post_callback(client, switch_body(forged))
        assert response.status_code in (200, 204), forged
    assert account(db, "city_leader").ui_lang == "zh"


def test_the_sign_in_form_offers_english_and_keeps_the_choice(app, db):
    """/login?lang=en is in English; signing in from it makes English the user's language, and
    signing out comes back to the English form."""
    client = app.server.test_client()
    chinese = client.get("/login?next=/data").get_data(as_text=True)
    assert 'id="login-lang" href="/login?lang=en&amp;next=%2Fdata" lang="en">English</a>' in chinese
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Password" in english and "密码" not in english
    assert 'name="lang" value="en"' in english and 'lang="zh-CN">中文</a>' in english
    wrong = sign_in(client, "city_leader", "Wrong@Password1", lang="en")
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.get_data(as_text=True)
    assert account(db, "city_leader").ui_lang == "zh"
    assert sign_in(client, "city_leader", lang="en").status_code == 303
    assert account(db, "city_leader").ui_lang == "en"
    assert "Sign out" in layout_texts(client)
    confirm = client.get("/logout").get_data(as_text=True)
    assert "city_leader, sign out now?" in confirm
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm).group(1)
    assert client.post("/logout", data={"csrf_token": token}).headers["Location"] == "/login?lang=en"
    # Signing in from the default form leaves the saved language alone.
    assert sign_in(app.server.test_client(), "city_leader").status_code == 303
    assert account(db, "city_leader").ui_lang == "en"


def test_refusals_follow_the_language(app, db):
    """The 403 page of an English user is in English."""
    set_account(db, "donghuamen_staff", ui_lang="en")
    page = signed_in(app, "donghuamen_staff").get("/data")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "donghuamen_staff, your role may not open this page." in text and "无权" not in text


def test_the_overview_card_and_filters_follow_the_language(data_app):
    """The same hr card in Chinese and in English: labels, "vs previous period", pp against
    个百分点; the filter summary's dates read "to"; refusals are translated too."""
    zh_client = signed_in(data_app, "dongcheng_dept_head")
    en_client = signed_in(data_app, "city_leader")
    assert shown(en_client, switch_body("en")) == ["en"]
    chinese, english = shown(zh_client, card_body("hr", MONTH)), shown(en_client, card_body("hr", MONTH))
    assert {"人员", "在岗人数", "编制满编率"} <= set(chinese)
    assert {"People", "Headcount", "Establishment fill rate"} <= set(english)
    assert any(t.startswith("较上期 ") and t.endswith(" 个百分点") for t in chinese)
    assert any(t.startswith("vs previous period ") and t.endswith(" pp") for t in english)
    assert not [t for t in english if CJK.search(t)]
    summary = " ".join(shown(en_client, filters_body("?period=custom&start=2025-10-01&end=2025-10-31")))
    assert "Custom · 2025-10-01 to 2025-10-31" in summary
    summary = " ".join(shown(zh_client, filters_body("?period=custom&start=2025-10-01&end=2025-10-31")))
    assert "自定义 · 2025-10-01 至 2025-10-31" in summary
    bad = {"period": "custom", "start": "2025-10-02", "end": "2025-10-01"}
    assert "The end date is before the start date" in shown(en_client, card_body("hr", bad))
    assert "结束日期早于开始日期" in shown(zh_client, card_body("hr", bad))
    forged = " ".join(shown(en_client, card_body("hr", {**MONTH, "org": "no-such-unit"})))
    assert "outside your data scope" in forged
