"""entities get numbers; statements and search keys refer to them by number

Revision ID: 0004
Revises: 0003

Entity ids are hashes, so a bulk import inserted statements and search keys at random
places in B-trees keyed by them. Each entity now gets an integer ``seq``, handed out in
the order records are written, and statements and search keys carry it in place of the
id: an import appends, and the rows are smaller (see ``store.tables``). Existing entities
are numbered in the order they were first seen; their rows are copied over.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TZ = sa.DateTime(timezone=True)
KEY_TEXT = sa.String(128).with_variant(sa.String(128, collation="C"), "postgresql")
BLOCK = 1 << 20  # store.writer.BLOCK, as it stood at this revision

ENTITY_COLUMNS = (
    "id, agency, schema, caption, source, source_record, batch_id, tlp, pap, handling, "
    "source_grading, info_grading, first_seen, last_seen"
)
STATEMENT_COLUMNS = "id, prop, prop_type, value, original, batch_id, first_seen, last_seen"


def _index_name(kind: str, table: str) -> str:
    """A key constraint's name while the old table still exists. On PostgreSQL a key's name
    is its index's, unique in the schema: the new table's keys take a suffix, renamed
    away once the old table is gone. SQLite's are local to their table."""
    suffix = "_new" if op.get_bind().dialect.name == "postgresql" else ""
    return f"{kind}_{table}{suffix}"


def _entities(name: str, numbered: bool) -> None:
    key = [sa.Column("seq", SEQ, nullable=False, autoincrement=False)] if numbered else []
    op.create_table(
        name,
        *key,
        sa.Column("id", sa.String(48), nullable=False),
        sa.Column("agency", sa.String(16), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("source_record", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.String(40), nullable=False),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("pap", sa.String(8), nullable=False),
        sa.Column("handling", sa.String(4), nullable=False),
        sa.Column("source_grading", sa.String(24), nullable=True),
        sa.Column("info_grading", sa.String(24), nullable=True),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("last_seen", TZ, nullable=False),
        sa.ForeignKeyConstraint(["agency"], ["agencies.code"], name="fk_entities_agency_agencies"),
        sa.PrimaryKeyConstraint("seq" if numbered else "id", name=_index_name("pk", "entities")),
        *([sa.UniqueConstraint("id", name=_index_name("uq", "entities_id"))] if numbered else []),
        sqlite_with_rowid=not numbered,
    )


def _statements(name: str, numbered: bool) -> None:
    entity = "entity_seq" if numbered else "entity_id"
    op.create_table(
        name,
        sa.Column(entity, SEQ if numbered else sa.String(48), nullable=False),
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("prop_type", sa.String(16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("original", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.String(40), nullable=False),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("last_seen", TZ, nullable=False),
        sa.PrimaryKeyConstraint(entity, "id", name=_index_name("pk", "statements")),
        sqlite_with_rowid=False,
    )


def _search_keys(name: str, numbered: bool) -> None:
    entity = "entity_seq" if numbered else "entity_id"
    op.create_table(
        name,
        sa.Column("key", KEY_TEXT, nullable=False),
        sa.Column(entity, SEQ if numbered else sa.String(48), nullable=False),
        sa.PrimaryKeyConstraint("key", entity, name=_index_name("pk", "search_keys")),
        sqlite_with_rowid=False,
    )


def _swap(numbered: bool) -> None:
    """Copy entities, statements and search keys into tables of the other shape, then put
    the new tables in the old ones' place, under the names the metadata gives them."""
    postgres = op.get_bind().dialect.name == "postgresql"
    _entities("entities_new", numbered)
    _statements("statements_new", numbered)
    _search_keys("search_keys_new", numbered)
    if numbered:
        op.execute(
            f"INSERT INTO entities_new (seq, {ENTITY_COLUMNS}) SELECT "  # noqa: S608
            f"ROW_NUMBER() OVER (ORDER BY first_seen, id), {ENTITY_COLUMNS} FROM entities"
        )
        op.execute(
            f"INSERT INTO statements_new (entity_seq, {STATEMENT_COLUMNS}) "  # noqa: S608
            f"SELECT e.seq, s.{STATEMENT_COLUMNS.replace(', ', ', s.')} FROM statements s "
            "JOIN entities_new e ON e.id = s.entity_id ORDER BY e.seq, s.id"
        )
        op.execute(
            "INSERT INTO search_keys_new (key, entity_seq) SELECT k.key, e.seq "
            "FROM search_keys k JOIN entities_new e ON e.id = k.entity_id ORDER BY k.key, e.seq"
        )
    else:
        op.execute(
            f"INSERT INTO entities_new ({ENTITY_COLUMNS}) "  # noqa: S608
            f"SELECT {ENTITY_COLUMNS} FROM entities"
        )
        op.execute(
            f"INSERT INTO statements_new (entity_id, {STATEMENT_COLUMNS}) "  # noqa: S608
            f"SELECT e.id, s.{STATEMENT_COLUMNS.replace(', ', ', s.')} FROM statements s "
            "JOIN entities e ON e.seq = s.entity_seq"
        )
        op.execute(
            "INSERT INTO search_keys_new (key, entity_id) SELECT k.key, e.id "
            "FROM search_keys k JOIN entities e ON e.seq = k.entity_seq"
        )
    op.drop_index("ix_statements_ref", table_name="statements")
    op.drop_index("ix_entities_agency_schema", table_name="entities")
    for table in ("search_keys", "statements", "entities"):
        op.drop_table(table)
        op.rename_table(f"{table}_new", table)
        if postgres:
            op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT pk_{table}_new TO pk_{table}")
    if postgres and numbered:
        op.execute("ALTER TABLE entities RENAME CONSTRAINT uq_entities_id_new TO uq_entities_id")
    op.create_index("ix_entities_agency_schema", "entities", ["agency", "schema"])
    op.create_index(
        "ix_statements_ref",
        "statements",
        ["value"],
        sqlite_where=sa.text("prop_type = 'entity'"),
        postgresql_where=sa.text("prop_type = 'entity'"),
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _swap(numbered=True)
    if postgres:
        op.execute("CREATE SEQUENCE entity_blocks")
        # Blocks handed out from here on start above every number given so far.
        op.execute(
            f"SELECT setval('entity_blocks', max(seq) / {BLOCK} + 1, false) "  # noqa: S608
            "FROM entities HAVING count(*) > 0"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE entity_blocks")
    _swap(numbered=False)
