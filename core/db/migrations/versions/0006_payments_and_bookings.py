"""payments and bookings: department inventory, holds, seats, bill settlements; payment orders, events, flags

Revision ID: 0006
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"  # 0004, 0005 were reserved and not needed  # the chain is fixed when the helpers' migrations are merged
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dept_inventory",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("resource_key", sa.String(160), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("free", sa.Integer(), nullable=False),
        sa.Column("price_paise", sa.Integer(), nullable=False),
        sa.CheckConstraint("free >= 0 AND free <= capacity", name="ck_inventory_free"),
    )
    op.create_table(
        "dept_holds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("inventory_id", sa.Integer(), sa.ForeignKey("dept_inventory.id"), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("amount_paise", sa.Integer(), nullable=False),
        sa.Column("refund_paise", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("reference", "inventory_id", name="uq_hold_line"),
    )
    op.create_index("ix_dept_holds_reference", "dept_holds", ["reference"])
    op.create_table(
        "dept_seats",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("inventory_id", sa.Integer(), sa.ForeignKey("dept_inventory.id"), nullable=False),
        sa.Column("seat_no", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), sa.ForeignKey("dept_holds.id"), nullable=False),
        sa.UniqueConstraint("inventory_id", "seat_no", name="uq_seat_once"),
    )
    op.create_table(
        "dept_bill_settlements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bill_key", sa.String(160), nullable=False, unique=True),
        sa.Column("amount_paise", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.String(40), nullable=False),
        sa.Column("paid_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "payment_orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("citizen_id", sa.Integer(), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("service_id", sa.String(80), nullable=False),
        sa.Column("subject_key", sa.String(160), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("amount_paise", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("gateway", sa.String(16), nullable=False),
        sa.Column("link_id", sa.String(64), nullable=True, unique=True),
        sa.Column("short_url", sa.String(255), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("expire_by", sa.DateTime(), nullable=False),
        sa.Column("gateway_payment_id", sa.String(64), nullable=True, unique=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("document_sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "payment_paid_subjects",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject_key", sa.String(160), nullable=False, unique=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("payment_orders.id"), nullable=False),
    )
    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(80), nullable=False, unique=True),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("order_reference", sa.String(40), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "payment_flags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_reference", sa.String(40), nullable=True),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    for table in ("payment_flags", "payment_events", "payment_paid_subjects", "payment_orders",
                  "dept_bill_settlements", "dept_seats", "dept_holds", "dept_inventory"):
        op.drop_table(table)
