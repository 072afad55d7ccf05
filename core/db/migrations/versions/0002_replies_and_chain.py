"""keep outbound replies for replays; the certificate chain cannot fork

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("reply", sa.JSON(), nullable=True))
    op.create_index("uq_certificates_prev_hash", "certificates", ["prev_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_certificates_prev_hash", table_name="certificates")
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_column("reply")
