"""the register of receipts and tickets (hash-chained like certificates)

Revision ID: 0009
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("serial", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False, unique=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("uq_issued_documents_prev_hash", "issued_documents", ["prev_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_issued_documents_prev_hash", table_name="issued_documents")
    op.drop_table("issued_documents")
