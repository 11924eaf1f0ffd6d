"""mail (邮件管理): internal messages, drafts and each recipient's reading."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

RECIPIENT_KINDS = ("收件人", "抄送", "密送")
READ_CHANNELS = ("PC", "执法城管通", "京办")
MOBILE_CHANNELS = ("执法城管通", "京办")


class MailMessage(Base, SoftDelete):
    """A message composed by a sender: a draft until sent_at is set."""

    __tablename__ = "mail_message"
    __table_args__ = (
        check("(is_draft AND sent_at IS NULL) OR (NOT is_draft AND sent_at IS NOT NULL)",
              "sent_unless_draft"),
        check("sent_at IS NULL OR sent_at >= composed_at", "sent_after_composed"),
        check("size_kb >= 0", "size_nonneg"),
    )

    sender_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    composed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    is_draft: Mapped[bool] = mapped_column(Boolean)
    has_attachment: Mapped[bool] = mapped_column(Boolean, default=False)
    size_kb: Mapped[int] = mapped_column(Integer, default=0)


class MailRecipient(Base, SoftDelete):
    """One addressee of a message; deleted_at when they delete it from their inbox."""

    __tablename__ = "mail_recipient"
    __table_args__ = (
        UniqueConstraint("message_id", "person_id"),
        check("(read_at IS NULL AND read_channel IS NULL) OR "
              "(read_at IS NOT NULL AND read_channel IS NOT NULL)", "channel_iff_read"),
    )

    message_id: Mapped[int] = mapped_column(ForeignKey("mail_message.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(enum(*RECIPIENT_KINDS, name="mail_recipient_kind"))
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    read_channel: Mapped[str | None] = mapped_column(enum(*READ_CHANNELS, name="mail_read_channel"))
