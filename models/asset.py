"""asset (固定资产): asset cards by GB/T 14885-2022 class, their life events and disposals."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

# GB/T 14885-2022 top-level classes (A03-A08 numbering is an estimate, see domain_facts.md 4).
CLASSES = {
    "A01": "房屋和构筑物", "A02": "设备", "A03": "文物和陈列品", "A04": "图书和档案",
    "A05": "家具和用具", "A06": "特种动植物", "A07": "物资", "A08": "无形资产",
}
STATUSES = ("在用", "闲置", "维修", "待处置", "已处置")
EVENT_KINDS = ("领用", "调拨", "维修", "盘点", "处置")
DISPOSAL_METHODS = ("报废", "调拨", "出售", "捐赠", "其他")


class AssetCard(Base, SoftDelete):
    """A fixed-asset card (资产卡片): what, how much, since when, where and who holds it."""

    __tablename__ = "asset_card"
    __table_args__ = (
        check("original_value >= 0", "original_value_nonneg"),
        # NULL life = not depreciated (文物和陈列品, 图书档案: 准则3号 Art. 15).
        check("useful_life_years IS NULL OR useful_life_years > 0", "useful_life_positive"),
        check("disposed_date IS NULL OR disposed_date >= acquired_date", "disposed_after_acquired"),
        check("(status = '已处置') = (disposed_date IS NOT NULL)", "disposed_iff_date"),
    )

    asset_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    # Top-level class A01..A08 and the full 9-character code, e.g. A02010105 台式计算机.
    class_code: Mapped[str] = mapped_column(enum(*CLASSES, name="asset_class"))
    category_code: Mapped[str] = mapped_column(String(9), index=True)
    spec: Mapped[str | None] = mapped_column(String(60))
    original_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    acquired_date: Mapped[dt.date] = mapped_column(Date)
    useful_life_years: Mapped[int | None] = mapped_column(Integer)
    # The unit that owns and uses the asset now (last 调拨 wins); kept on disposed cards too.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    custodian_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(enum(*STATUSES, name="asset_status"))
    disposed_date: Mapped[dt.date | None] = mapped_column(Date)


class AssetEvent(Base):
    """One thing that happened to an asset: issued to someone, transferred, repaired, counted, disposed."""

    __tablename__ = "asset_event"
    __table_args__ = (
        check("cost IS NULL OR cost >= 0", "cost_nonneg"),
        check("kind <> '调拨' OR (from_unit_id IS NOT NULL AND to_unit_id IS NOT NULL)",
              "transfer_has_units"),
        check("kind <> '领用' OR to_person_id IS NOT NULL", "issue_has_person"),
    )

    asset_id: Mapped[int] = mapped_column(ForeignKey("asset_card.id"), index=True)
    kind: Mapped[str] = mapped_column(enum(*EVENT_KINDS, name="asset_event_kind"))
    event_date: Mapped[dt.date] = mapped_column(Date, index=True)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    from_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # Repair bills (维修) in yuan; NULL for the other kinds.
    cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(String(200))


class AssetDisposal(Base, SoftDelete):
    """A disposal request (处置申请) for one asset: method, approval, date and proceeds."""

    __tablename__ = "asset_disposal"
    __table_args__ = (
        check("proceeds >= 0", "proceeds_nonneg"),
        check("(approved IS NULL) = (approved_date IS NULL)", "approved_with_date"),
        check("approved_date IS NULL OR approved_date >= requested_date", "approved_after_request"),
        # Only an approved request is carried out, and never before it was approved.
        check("disposed_date IS NULL OR (approved IS NOT NULL AND approved AND "
              "disposed_date >= approved_date)", "disposed_only_when_approved"),
    )

    asset_id: Mapped[int] = mapped_column(ForeignKey("asset_card.id"), index=True)
    method: Mapped[str] = mapped_column(enum(*DISPOSAL_METHODS, name="disposal_method"))
    reason: Mapped[str | None] = mapped_column(String(100))
    requested_date: Mapped[dt.date] = mapped_column(Date)
    # NULL while waiting for approval; False = rejected (the asset stays on the books).
    approved: Mapped[bool | None] = mapped_column(Boolean)
    approved_date: Mapped[dt.date | None] = mapped_column(Date)
    approval_no: Mapped[str | None] = mapped_column(String(40))
    disposed_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    proceeds: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    # The receiving unit of an 调拨 outside the bureau, or the buyer; free text.
    counterparty: Mapped[str | None] = mapped_column(String(60))
