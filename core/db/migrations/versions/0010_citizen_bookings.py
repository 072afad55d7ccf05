"""confirmed bookings as mitra knows them (reminders the day before, cancellation)

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "citizen_bookings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("citizen_id", sa.Integer(), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("service_id", sa.String(96), nullable=False),
        sa.Column("what_en", sa.String(255), nullable=False),
        sa.Column("what_te", sa.String(255), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_citizen_bookings_citizen_id", "citizen_bookings", ["citizen_id"])
    op.create_index("ix_citizen_bookings_starts_at", "citizen_bookings", ["starts_at"])


def downgrade() -> None:
    op.drop_index("ix_citizen_bookings_starts_at", table_name="citizen_bookings")
    op.drop_index("ix_citizen_bookings_citizen_id", table_name="citizen_bookings")
    op.drop_table("citizen_bookings")
