"""search keys compare byte-wise on PostgreSQL

Revision ID: 0003
Revises: 0002

Search matches a key by prefix as the range [token, token + U+10FFFF). That holds in
code-point order (SQLite, PostgreSQL's "C" collation) but not under a linguistic collation:
with glibc's en_US.UTF-8, the default of many PostgreSQL clusters, "raj" + U+10FFFF sorts
before "rajesh", so typing "raj" found nothing. The key column gets the "C" collation.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "search_keys",
            "key",
            type_=sa.String(length=128, collation="C"),
            existing_type=sa.String(length=128),
            existing_nullable=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "search_keys",
            "key",
            type_=sa.String(length=128),
            existing_type=sa.String(length=128, collation="C"),
            existing_nullable=False,
        )
