"""uniform (服装管理): uniform items, vendors and deliveries, the central store and staff requests."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

ITEM_CATEGORIES = ("帽类", "服装", "鞋类", "标志标识", "配饰")
MOVEMENT_KINDS = ("入库", "出库", "调整")
REQUEST_STATUSES = ("申领", "审核中", "已发放", "已签收", "驳回")


class UniformItem(Base):
    """An item of the 城管执法 uniform with its replacement cycle (使用年限) and safety stock."""

    __tablename__ = "uniform_item"
    __table_args__ = (
        check("cycle_months > 0", "cycle_positive"),
        check("safety_stock >= 0", "safety_stock_nonneg"),
        check("issue_quantity > 0", "issue_quantity_positive"),
        check("unit_price >= 0", "unit_price_nonneg"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(enum(*ITEM_CATEGORIES, name="uniform_category"))
    # Sizes stocked, comma-separated in fitting order (e.g. "165/84A,170/88A" or "39,40,41").
    sizes: Mapped[str] = mapped_column(String(200))
    unit_name: Mapped[str] = mapped_column(String(4))
    # Pieces handed out per issue (e.g. 3 short-sleeved shirts).
    issue_quantity: Mapped[int] = mapped_column(Integer)
    # Months before a holder may be issued the item again (期满换发).
    cycle_months: Mapped[int] = mapped_column(Integer)
    # Minimum on hand of each size; below it the store reorders and the dashboard alerts.
    safety_stock: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))


class UniformVendor(Base):
    """A supplier (厂商) of uniform items under a framework agreement."""

    __tablename__ = "uniform_vendor"

    name: Mapped[str] = mapped_column(String(60))
    # 统一社会信用代码.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    contact_name: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(100))


class UniformDelivery(Base, SoftDelete):
    """A purchase order line of one item and size from a vendor, and when it arrived."""

    __tablename__ = "uniform_delivery"
    __table_args__ = (
        check("quantity > 0", "quantity_positive"),
        check("promised_date >= ordered_date", "promised_after_ordered"),
        check("received_date IS NULL OR received_date >= ordered_date", "received_after_ordered"),
    )

    vendor_id: Mapped[int] = mapped_column(ForeignKey("uniform_vendor.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("uniform_item.id"), index=True)
    size: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int] = mapped_column(Integer)
    ordered_date: Mapped[dt.date] = mapped_column(Date)
    promised_date: Mapped[dt.date] = mapped_column(Date)
    # Null while in transit.
    received_date: Mapped[dt.date | None] = mapped_column(Date)


class UniformRequest(Base, SoftDelete):
    """A member of staff's request (申领) for an item: review, issue from the store, sign-off."""

    __tablename__ = "uniform_request"
    __table_args__ = (
        check("quantity > 0", "quantity_positive"),
        check("reviewed_at IS NULL OR reviewed_at >= requested_at", "reviewed_after_requested"),
        check("issued_at IS NULL OR (reviewed_at IS NOT NULL AND issued_at >= reviewed_at)",
              "issued_after_review"),
        check("signed_at IS NULL OR (issued_at IS NOT NULL AND signed_at >= issued_at)",
              "signed_after_issue"),
        check("status NOT IN ('已发放', '已签收') OR issued_at IS NOT NULL", "issued_has_time"),
        check("(status = '已签收' AND signed_at IS NOT NULL) OR (status <> '已签收' AND signed_at IS NULL)",
              "signed_iff_status"),
        check("status NOT IN ('申领', '审核中', '驳回') OR issued_at IS NULL", "not_issued_before_issue"),
        check("status <> '驳回' OR (reviewed_at IS NOT NULL AND reject_reason IS NOT NULL)",
              "rejection_reviewed"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("uniform_item.id"), index=True)
    size: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int] = mapped_column(Integer)
    # 申领 submitted; 审核中 with the reviewer (reviewed_at set once approved, waiting for the
    # store); 已发放 handed out; 已签收 receipt signed; 驳回 rejected.
    status: Mapped[str] = mapped_column(enum(*REQUEST_STATUSES, name="uniform_request_status"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reject_reason: Mapped[str | None] = mapped_column(String(100))


class UniformStockMovement(Base):
    """A change of the central store's stock of one item and size; on hand = sum of quantities.

    quantity is signed: 入库 positive (a delivery or the opening balance), 出库 negative (an
    issue against a request), 调整 either way (stocktaking).
    """

    __tablename__ = "uniform_stock_movement"
    __table_args__ = (
        check("(kind = '入库' AND quantity > 0) OR (kind = '出库' AND quantity < 0) OR "
              "(kind = '调整' AND quantity <> 0)", "sign_fits_kind"),
        check("delivery_id IS NULL OR kind = '入库'", "delivery_only_in"),
        check("request_id IS NULL OR kind = '出库'", "request_only_out"),
        check("kind <> '出库' OR request_id IS NOT NULL", "out_against_request"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("uniform_item.id"), index=True)
    size: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(enum(*MOVEMENT_KINDS, name="stock_movement_kind"))
    quantity: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[dt.datetime] = mapped_column(DateTime)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("uniform_delivery.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("uniform_request.id"), index=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(100))
