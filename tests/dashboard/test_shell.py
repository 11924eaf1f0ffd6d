"""The shell's filters: kept in the URL, carried by the menu's links, checked against the user's
own scope on the server whatever the URL or the dropdown says."""
from __future__ import annotations

from tests.dashboard.web import post_callback, signed_in, texts
from tests.support import SCOPE_CODES

SYNC = (".._pages_location.search...shell-org.value...shell-period.value...shell-dates.start_date..."
        "shell-dates.end_date...shell-filter-summary.children...shell-filter-error.children..."
        "shell-filter-error.is_open..")
OUTPUTS = [("_pages_location", "search"), ("shell-org", "value"), ("shell-period", "value"),
           ("shell-dates", "start_date"), ("shell-dates", "end_date"),
           ("shell-filter-summary", "children"), ("shell-filter-error", "children"),
           ("shell-filter-error", "is_open")]


def sync(client, search: str, org=None, period=None, start=None, end=None, changed="_pages_location.search"):
    """Post the filter callback as the renderer does; returns {(id, prop): value} of what changed."""
    values = [("_pages_location", "search", search), ("shell-org", "value", org),
              ("shell-period", "value", period), ("shell-dates", "start_date", start),
              ("shell-dates", "end_date", end)]
    body = {"output": SYNC, "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
            "inputs": [{"id": i, "property": p, "value": v} for i, p, v in values],
            "changedPropIds": [changed], "state": []}
    response = post_callback(client, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {(i, p): v for i, props in response.get_json()["response"].items() for p, v in props.items()}


def test_choosing_a_street_and_a_period_writes_them_into_the_url(data_app):
    """东城's head picks 东华门 and 本年 in the drawer: the URL says so (a bookmarkable view)."""
    client = signed_in(data_app, "dongcheng_dept_head")
    got = sync(client, "", org=SCOPE_CODES["street"], period="this_year", changed="shell-org.value")
    assert got[("_pages_location", "search")] == f"?org={SCOPE_CODES['street']}&period=this_year"
    assert "东华门" in got[("shell-filter-summary", "children")]


def test_a_url_naming_another_district_is_refused_and_changes_nothing(data_app):
    """A shared or forged link ?org=<西城> opened by 东城's head: a warning, no new scope."""
    client = signed_in(data_app, "dongcheng_dept_head")
    got = sync(client, "?org=110102&period=this_month")
    assert got[("shell-filter-error", "is_open")] is True
    assert ("_pages_location", "search") not in got and ("shell-org", "value") not in got


def test_a_custom_range_travels_in_the_url_and_a_bad_one_is_refused(data_app):
    """自定义 with two dates writes start and end; an inverted range gets the reason."""
    client = signed_in(data_app, "city_leader")
    got = sync(client, "", org=SCOPE_CODES["city"], period="custom", start="2025-10-01",
               end="2025-10-31", changed="shell-dates.end_date")
    assert got[("_pages_location", "search")] == "?period=custom&start=2025-10-01&end=2025-10-31"
    bad = sync(client, "", org=SCOPE_CODES["city"], period="custom", start="2025-10-31",
               end="2025-10-01", changed="shell-dates.end_date")
    assert bad[("shell-filter-error", "is_open")] is True and "早于" in bad[("shell-filter-error", "children")]


def test_menu_links_carry_the_filters_and_list_only_permitted_pages(data_app):
    """The menu keeps ?org=&period= on every link; the leader sees 数据运行, staff do not."""
    body = {"output": "..shell-nav.children...shell-user.children..",
            "outputs": [{"id": "shell-nav", "property": "children"},
                        {"id": "shell-user", "property": "children"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                       {"id": "_pages_location", "property": "search",
                        "value": f"?org={SCOPE_CODES['district']}&period=last_month"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    leader = post_callback(signed_in(data_app, "city_leader"), body).get_json()
    links = [t for t in texts(leader) if t.startswith("/")]
    assert "/data?org=110101&period=last_month" in links and "/?org=110101&period=last_month" in links
    staff = texts(post_callback(signed_in(data_app, "city_staff"), body).get_json())
    assert not any(t.startswith("/data") for t in staff)
