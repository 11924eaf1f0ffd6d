"""统一认证、电子签章 (/identity): login attempts, success rate and failures by reason per day, DAU
and MAU, logins by channel, e-signature volume, success rate and latency, and the accounts of each
unit (active, locked, never used, dormant), for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import identity
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "identity", "/identity", N_("统一认证、电子签章")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("运维"),
                   order=41)

# Values the tables show through the catalogue: the login channels.
CHANNELS = (N_("PC"), N_("执法城管通"), N_("京办"))
DAY = Column("attempt_date", N_("日期"), "date")
ATTEMPTS, SUCCESSES = Column("attempts", N_("登录次数"), "count"), Column("successes", N_("成功次数"), "count")
SUCCESS_RATE = Column("success_rate", N_("登录成功率"), "rate")
# The failure columns of logins_by_day, labelled with their reason.
FAILURES = (Column("failed_password", N_("密码错误"), "count"), Column("failed_locked", N_("账号锁定"), "count"),
            Column("failed_captcha", N_("验证码错误"), "count"),
            Column("failed_certificate", N_("证书无效"), "count"))
DAYS = (DAY, ATTEMPTS, SUCCESSES, Column("failures", N_("失败次数"), "count"), SUCCESS_RATE) + FAILURES + (
    Column("dau", N_("日活跃用户"), "count"), Column("mau", N_("月活跃用户（近30天）"), "count"))
SIGNATURES = (Column("month", N_("月份")), Column("attempts", N_("签章次数"), "count"),
              Column("successes", N_("签章成功次数"), "count"), Column("success_rate", N_("签章成功率"), "rate"),
              Column("latency_median", N_("签章耗时中位数（毫秒）"), "ms"),
              Column("latency_p95", N_("签章耗时 P95（毫秒）"), "ms"))

TILES = [
    kpi_tile(PAGE, (("login_attempts", N_("登录次数"), "count"), ("login_success_rate", N_("登录成功率"), "rate"),
                    ("active_users", N_("活跃用户"), "count"), ("signature_attempts", N_("签章次数"), "count"),
                    ("signature_success_rate", N_("签章成功率"), "rate"),
                    ("signature_latency_p95", N_("签章耗时 P95（毫秒）"), "ms"),
                    ("accounts_active", N_("正常账号"), "count"), ("accounts_locked", N_("锁定账号"), "count"),
                    ("accounts_dormant", N_("休眠账号（90天未登录）"), "count"))),
    Tile("logins_day", N_("逐日登录次数与成功率"), identity.logins_by_day, DAYS, width=12,
         chart=partial(figures.trend, x="attempt_date", y=("success_rate",), bars=("attempts",))),
    Tile("failures_day", N_("逐日登录失败原因"), identity.logins_by_day, DAYS, width=12,
         chart=partial(figures.bar, x="attempt_date", y=tuple(c.name for c in FAILURES), stacked=True)),
    Tile("active_day", N_("日活跃与月活跃用户"), identity.logins_by_day, DAYS,
         chart=partial(figures.trend, x="attempt_date", y=("dau", "mau"))),
    Tile("channels", N_("分渠道登录"), identity.logins_by_channel,
         (Column("channel", N_("渠道"), "msgid"), ATTEMPTS, SUCCESSES, SUCCESS_RATE,
          Column("users", N_("登录用户"), "count")),
         chart=partial(figures.bar, x="channel", y=("attempts", "successes"), line="success_rate")),
    Tile("signatures", N_("逐月电子签章量与成功率"), identity.signatures_by_month, SIGNATURES,
         chart=partial(figures.trend, x="month", y=("success_rate",), bars=("attempts",))),
    Tile("latency", N_("逐月电子签章耗时"), identity.signatures_by_month, SIGNATURES,
         chart=partial(figures.trend, x="month", y=("latency_median", "latency_p95"))),
    Tile("accounts_unit", N_("各单位账号状态"), identity.accounts_by_unit,
         (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")),
          Column("accounts", N_("账号数"), "count"), Column("active", N_("正常账号"), "count"),
          Column("locked", N_("锁定账号"), "count"), Column("never_used", N_("从未登录账号"), "count"),
          Column("dormant", N_("休眠账号（90天未登录）"), "count")),
         drill="unit_code", width=12,
         chart=partial(figures.bar, x="unit_name", y=("active", "locked", "never_used", "dormant"),
                       drill="unit_code")),
]


def layout(**query: str):
    """The identity tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
