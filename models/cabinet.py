"""cabinet (公文交换柜): smart exchange cabinets, their boxes, access cards, barcodes and deposits."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

BOX_SIZES = ("小", "中", "大")
CARD_STATES = ("有效", "挂失", "注销")


class Cabinet(Base):
    """A smart document-exchange cabinet installed at one unit (收发室 of the 市局 or a 区局)."""

    __tablename__ = "cabinet"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    location: Mapped[str] = mapped_column(String(60))
    installed_date: Mapped[dt.date] = mapped_column(Date)


class CabinetBox(Base):
    """One box of a cabinet; most are assigned to the receiving unit whose mail they hold."""

    __tablename__ = "cabinet_box"
    __table_args__ = (
        UniqueConstraint("cabinet_id", "box_no"),
        check("box_no > 0", "box_no_positive"),
    )

    cabinet_id: Mapped[int] = mapped_column(ForeignKey("cabinet.id"), index=True)
    box_no: Mapped[int] = mapped_column(Integer)
    size: Mapped[str] = mapped_column(enum(*BOX_SIZES, name="cabinet_box_size"))
    # NULL = a shared box for oversized or occasional deliveries.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)


class CabinetCard(Base):
    """An access card (门禁卡) that opens cabinets: issued to a person, or to a unit (person NULL)."""

    __tablename__ = "cabinet_card"
    __table_args__ = (
        check("status = '有效' OR status_changed_at IS NOT NULL", "changed_unless_valid"),
        check("status_changed_at IS NULL OR status_changed_at >= issued_at", "changed_after_issue"),
    )

    card_no: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The unit the card belongs to (the holder's unit at issue).
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(enum(*CARD_STATES, name="cabinet_card_status"))
    # When the card was reported lost (挂失) or cancelled (注销).
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CabinetBarcode(Base):
    """A barcode label printed for one document copy; scanning it routes the deposit."""

    __tablename__ = "cabinet_barcode"

    code: Mapped[str] = mapped_column(String(24), unique=True)
    # 发文字号 or another reference of the document in its own module (no foreign key).
    document_ref: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    sender_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CabinetTransaction(Base, SoftDelete):
    """One document deposited into a box for a receiving unit, and its pickup (NULL while waiting)."""

    __tablename__ = "cabinet_transaction"
    __table_args__ = (
        check("picked_up_at IS NULL OR picked_up_at >= deposited_at", "pickup_after_deposit"),
        check("(picked_up_at IS NULL) = (picked_up_by_id IS NULL)", "pickup_has_person"),
    )

    box_id: Mapped[int] = mapped_column(ForeignKey("cabinet_box.id"), index=True)
    barcode_id: Mapped[int] = mapped_column(ForeignKey("cabinet_barcode.id"), index=True)
    depositor_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    depositor_card_id: Mapped[int | None] = mapped_column(ForeignKey("cabinet_card.id"), index=True)
    receiving_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    deposited_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    picked_up_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    picked_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    pickup_card_id: Mapped[int | None] = mapped_column(ForeignKey("cabinet_card.id"), index=True)
