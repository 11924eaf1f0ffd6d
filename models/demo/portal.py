"""Demo portal: articles of the seven columns by the units that write them, and who read them."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any, Iterator

from models import portal
from models.demo.core import DemoContext
from models.demo.staffing import (
    Staffing, add_work_hours, is_active, is_workday, poisson, random_workday, scale_factor, staffing,
    unit_on, weighted, work_time, workday_on_or_after,
)

# Articles a year at city scale: (column, publishing level, count); 执法动态 come from the streets.
VOLUME = (
    ("城管要闻", "市局", 380), ("执法动态", "街乡镇", 2200), ("执法动态", "区局", 700),
    ("监管通报", "处室", 90), ("监管通报", "区局", 60), ("媒体新闻", "市局", 300),
    ("法治指引", "处室", 100), ("队伍建设", "处室", 150), ("队伍建设", "区局", 150),
    ("培训资料", "处室", 80), ("培训资料", "区局", 40),
)
# The 处室 that write each column for the bureau (宣传处 runs the front page).
WRITERS = {"城管要闻": "宣传处", "媒体新闻": "宣传处", "法治指引": "法制处", "队伍建设": "组织人事处",
           "培训资料": "组织人事处", "监管通报": "督察审计处"}
# Share of all staff who open an article of the column (the front page is read most), at the
# demo scale's article volume; with more articles each one gets a smaller share (attention is
# finite), so views grow with staff x years, not with staff x articles.
READ_SHARE = {"城管要闻": 0.06, "执法动态": 0.004, "监管通报": 0.035, "媒体新闻": 0.025,
              "法治指引": 0.025, "队伍建设": 0.018, "培训资料": 0.02}
DEMO_FACTOR = 2000 / 8088
# Articles shrink with the staff, but a small portal still has a few hundred articles a year.
ARTICLE_FLOOR = 0.12
# Clients by the reader's level: street officers read on the 执法城管通 app in the field.
CHANNEL_MIX = {
    "街乡镇": {"PC": 40, "执法城管通": 45, "京办": 15},
    "区局": {"PC": 65, "执法城管通": 22, "京办": 13},
    "other": {"PC": 78, "执法城管通": 10, "京办": 12},
}
TOPICS = ("违法建设治理", "占道经营整治", "生活垃圾分类执法检查", "施工工地扬尘治理", "户外广告设施规范",
          "共享单车停放秩序", "餐饮油烟污染治理", "燃气安全执法检查", "背街小巷环境整治", "夜间施工噪声治理",
          "渣土运输车辆执法", "违规停车治理", "群租房整治", "无照经营治理", "园林绿化执法",
          "非法小广告清理", "冬季供热执法检查", "接诉即办", "重大活动环境保障", "物业管理执法")
TITLES = {
    "城管要闻": ("市城管执法局部署{t}专项执法行动", "市城管执法局召开{t}工作推进会",
                 "市城管执法局领导调研{t}工作"),
    "执法动态": ("{u}开展{t}集中整治", "{u}联合多部门推进{t}", "{u}{t}工作取得阶段成效"),
    "监管通报": ("关于{t}执法检查情况的通报", "{m}月份{t}执法监管情况通报"),
    "媒体新闻": ("北京日报：{t}持续发力", "北京电视台关注{t}", "新华网：北京城管{t}见实效"),
    "法治指引": ("{t}法律适用指引", "{t}执法常见问题解答", "行政处罚裁量基准解读：{t}"),
    "队伍建设": ("{u}开展作风纪律教育活动", "{u}召开{t}业务培训暨警示教育会", "{u}举办岗位练兵比武"),
    "培训资料": ("{t}执法实务课件", "{t}案卷评查要点", "执法记录仪规范使用与{t}"),
}


def generate(ctx: DemoContext) -> None:
    """Insert portal_article and portal_article_view."""
    rng = ctx.rng("portal")
    st = staffing(ctx)
    # ids follow time, as they would in the real system
    articles = sorted(_articles(ctx, rng, st), key=lambda a: a["drafted_at"])
    for i, a in enumerate(articles, 1):
        a["id"] = i
    ctx.insert(portal.PortalArticle.__table__, articles)
    ctx.insert(portal.PortalArticleView.__table__, _views(ctx, rng, st, articles))


def _publishers(ctx: DemoContext, level: str, column: str) -> list[int]:
    """Units that publish a column from a level: the writing 处室, or every unit of that level."""
    if level == "市局":
        return [u["id"] for u in ctx.units if u["name"] == WRITERS[column]]
    if level == "处室" and column in WRITERS:
        return [u["id"] for u in ctx.units if u["name"] == WRITERS[column]]
    return [u["id"] for u in ctx.units if u["level"] == level]


def _articles(ctx: DemoContext, rng: random.Random, st: Staffing) -> Iterator[dict[str, Any]]:
    """Articles spread over the workdays of the period; a few drafts, withdrawals and deletions."""
    years = (ctx.end - ctx.start).days / 365.25
    factor = scale_factor(ctx, ARTICLE_FLOOR)
    aid = 0
    for column, level, per_year in VOLUME:
        units = _publishers(ctx, level, column)
        for _ in range(poisson(rng, per_year * years * factor)):
            day = random_workday(ctx, rng)
            unit_id = units[rng.randrange(len(units))]
            author = st.pick(rng, unit_id, day)
            if author is None:
                unit_id = st.organ(unit_id) if level == "处室" else unit_id
                author = st.pick_up(rng, unit_id, day)
                if author is None:
                    continue
                unit_id = unit_on(author, day)
            aid += 1
            drafted = work_time(rng, day)
            published = drafted + dt.timedelta(minutes=rng.randint(20, 60 * 30))
            if not is_workday(ctx, published.date()) or published.hour >= 19 or published.hour < 8:
                published = add_work_hours(ctx, published, rng.uniform(0.2, 2))
            status, withdrawn = "已发布", None
            age = (ctx.end - day).days
            if published > ctx.cutoff or (age < 20 and rng.random() < 0.25) or rng.random() < 0.01:
                status, published = "草稿", None
            elif rng.random() < 0.02:
                status = "已撤回"
                withdrawn = published + dt.timedelta(minutes=rng.randint(30, 60 * 72))
                if withdrawn > ctx.cutoff:
                    status, withdrawn = "已发布", None
            unit_name = ctx.unit(unit_id)["name"]
            yield dict(
                id=aid, column_name=column,
                title=rng.choice(TITLES[column]).format(t=rng.choice(TOPICS), u=unit_name,
                                                         m=day.month),
                unit_id=unit_id, author_id=author["id"], status=status, drafted_at=drafted,
                published_at=published, withdrawn_at=withdrawn,
                word_count=int(rng.lognormvariate(7.0, 0.5)),
                deleted_at=(min(drafted + dt.timedelta(days=rng.randint(1, 30)), ctx.cutoff)
                            if rng.random() < 0.008 else None),
            )


def _views(ctx: DemoContext, rng: random.Random, st: Staffing,
           articles: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Readers active on the day they read, mostly within days of publication, on their client."""
    audience = ctx.scale.staff * DEMO_FACTOR / scale_factor(ctx, ARTICLE_FLOOR)
    districts = {u["id"]: (u["parent_id"] if u["level"] == "街乡镇" else u["id"]) for u in ctx.units}
    vid = 0
    for a in articles:
        if a["published_at"] is None:
            continue
        published, stop = a["published_at"], a["withdrawn_at"] or ctx.cutoff
        # Local news is read mostly inside its own district.
        local = st.subtree(districts[a["unit_id"]]) if a["column_name"] == "执法动态" else None
        for _ in range(poisson(rng, READ_SHARE[a["column_name"]] * audience * rng.uniform(0.5, 1.6))):
            day = published.date() + dt.timedelta(days=min(int(rng.expovariate(0.7)), 90))
            if not is_workday(ctx, day) and rng.random() < 0.7:
                day = workday_on_or_after(ctx, day)
            reader = (st.pick_in(rng, local, day) if local and rng.random() < 0.6
                      else st.pick_any(rng, day))
            if reader is None:
                continue
            level = ctx.unit(unit_on(reader, day))["level"]
            channel = weighted(rng, CHANNEL_MIX.get(level, CHANNEL_MIX["other"]))
            late = 0.25 if channel != "PC" else 0.04
            viewed = work_time(rng, day, late)
            if viewed <= published:
                viewed = published + dt.timedelta(minutes=rng.randint(1, 240))
            if viewed >= stop or not is_active(reader, viewed.date()):
                continue
            vid += 1
            yield dict(id=vid, article_id=a["id"], reader_id=reader["id"], viewed_at=viewed,
                       channel=channel)
