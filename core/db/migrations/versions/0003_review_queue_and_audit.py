"""the analysts' review queue (with labels) and the audit log

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id"), nullable=True, unique=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("intent", sa.String(96), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=True),
        sa.Column("suggested_label", sa.String(96), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("label", sa.String(96), nullable=True),
        sa.Column("corrected_text", sa.Text(), nullable=True),
        sa.Column("labelled_by", sa.String(64), nullable=True),
        sa.Column("labelled_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_review_items_conversation_id", "review_items", ["conversation_id"])
    op.create_index("ix_review_items_status", "review_items", ["status"])
    op.create_index("ix_review_items_created_at", "review_items", ["created_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("review_items")
