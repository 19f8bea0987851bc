"""entity resolution: runs, explained matches, cluster members, append-only judgements

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "resolution_runs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("pair_count", sa.Integer(), nullable=False),
        sa.Column("cluster_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency"], ["agencies.code"], name=op.f("fk_resolution_runs_agency_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_runs")),
    )
    op.create_index(
        "ix_resolution_runs_agency_schema",
        "resolution_runs",
        ["agency", "schema", "started_at"],
        unique=False,
    )
    op.create_table(
        "resolution_matches",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("left_id", sa.String(length=48), nullable=False),
        sa.Column("right_id", sa.String(length=48), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint(
            "run_id", "left_id", "right_id", name=op.f("pk_resolution_matches")
        ),
    )
    op.create_index(
        "ix_resolution_matches_run_probability",
        "resolution_matches",
        ["run_id", "probability"],
        unique=False,
    )
    op.create_table(
        "resolution_members",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=48), nullable=False),
        sa.Column("cluster_id", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "entity_id", name=op.f("pk_resolution_members")),
    )
    op.create_index(
        "ix_resolution_members_cluster",
        "resolution_members",
        ["cluster_id", "run_id"],
        unique=False,
    )
    op.create_table(
        "resolution_judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("left_id", sa.String(length=48), nullable=False),
        sa.Column("right_id", sa.String(length=48), nullable=True),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["agency"], ["agencies.code"], name=op.f("fk_resolution_judgements_agency_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["undoes"],
            ["resolution_judgements.id"],
            name=op.f("fk_resolution_judgements_undoes_resolution_judgements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_judgements")),
    )
    op.create_index(
        "ix_resolution_judgements_agency_left",
        "resolution_judgements",
        ["agency", "left_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_resolution_judgements_agency_left", table_name="resolution_judgements")
    op.drop_table("resolution_judgements")
    op.drop_index("ix_resolution_members_cluster", table_name="resolution_members")
    op.drop_table("resolution_members")
    op.drop_index("ix_resolution_matches_run_probability", table_name="resolution_matches")
    op.drop_table("resolution_matches")
    op.drop_index("ix_resolution_runs_agency_schema", table_name="resolution_runs")
    op.drop_table("resolution_runs")
