"""Table definitions (SQLAlchemy Core). Alembic migrations create them; tests check that
the migrated schema equals this metadata on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

TZ = DateTime(timezone=True)
# Search keys compare in code-point order on every backend (migration 0003 says why).
KEY_TEXT = String(128).with_variant(String(128, collation="C"), "postgresql")

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("created_at", TZ, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", Text, nullable=False, default=""),
    Column("agency", String(16), ForeignKey("agencies.code"), nullable=False),
    Column("roles", Text, nullable=False),  # comma-separated role names
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", TZ, nullable=True),
    Column("created_at", TZ, nullable=False),
    Column("last_login", TZ, nullable=True),
)

# Login sessions (cookie) and API tokens (bearer): only a hash of the secret is stored.
credentials = Table(
    "credentials",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # "session" | "token"
    Column("label", Text, nullable=True),
    Column("csrf", String(64), nullable=True),
    Column("created_at", TZ, nullable=False),
    Column("expires_at", TZ, nullable=False),
    Column("revoked_at", TZ, nullable=True),
)

batches = Table(
    "batches",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("agency", String(16), ForeignKey("agencies.code"), nullable=False),
    Column("source", String(128), nullable=False),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("format", String(16), nullable=False),
    Column("markings", JSON, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("record_count", Integer, nullable=False, default=0),
    Column("statement_count", Integer, nullable=False, default=0),
    UniqueConstraint("agency", "source", "sha256"),
)

# Integer surrogate keys (``seq``) join an entity to its statements and search keys.
# Public ids are hashes of the source record, so they arrive in random order; numbers
# handed out as records are written make every bulk insert an append, and the rows that
# repeat them are a quarter of the size (migration 0004: the same million records load
# three times faster). Ids stay the only key seen outside the store.
SEQ = BigInteger().with_variant(Integer, "sqlite")  # on SQLite the rowid itself
# PostgreSQL: concurrent writers each take whole blocks of numbers from this sequence
# (``store.writer``); SQLite has one writer at a time, which counts on from the highest.
entity_blocks = Sequence("entity_blocks", metadata=metadata)

entities = Table(
    "entities",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=False),
    Column("id", String(48), nullable=False, unique=True),
    Column("agency", String(16), ForeignKey("agencies.code"), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("caption", Text, nullable=False),
    Column("source", String(128), nullable=False),
    Column("source_record", Text, nullable=False),
    Column("batch_id", String(40), nullable=False),
    Column("tlp", String(16), nullable=False),
    Column("pap", String(8), nullable=False),
    Column("handling", String(4), nullable=False),
    Column("source_grading", String(24), nullable=True),
    Column("info_grading", String(24), nullable=True),
    Column("first_seen", TZ, nullable=False),
    Column("last_seen", TZ, nullable=False),
    Index("ix_entities_agency_schema", "agency", "schema"),
)

# Clustered by entity (composite key, no rowid on SQLite): an entity's statements are one
# range scan, and a bulk import appends to one B-tree per table. Schema and agency are the
# entity's (a record belongs to one agency), so they are not repeated here.
statements = Table(
    "statements",
    metadata,
    Column("entity_seq", SEQ, primary_key=True, autoincrement=False),
    Column("id", String(32), primary_key=True),
    Column("prop", String(64), nullable=False),
    Column("prop_type", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("original", Text, nullable=True),
    Column("batch_id", String(40), nullable=False),
    Column("first_seen", TZ, nullable=False),
    Column("last_seen", TZ, nullable=False),
    Index(
        "ix_statements_ref",
        "value",
        sqlite_where=text("prop_type = 'entity'"),
        postgresql_where=text("prop_type = 'entity'"),
    ),
    sqlite_with_rowid=False,
)
# ix_statements_ref answers "which records point at this one" (entity-typed values only).

# Search keys: normalised tokens of names, phones, identifiers, wallets, emails.
search_keys = Table(
    "search_keys",
    metadata,
    # Byte-wise on PostgreSQL: prefix search is a range that needs code-point order.
    Column("key", KEY_TEXT, primary_key=True),
    Column("entity_seq", SEQ, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", String(48), nullable=False, index=True),
    Column("recipient", String(16), ForeignKey("agencies.code"), nullable=False),
    Column("shared_by", String(64), nullable=False),
    Column("purpose", Text, nullable=True),
    Column("created_at", TZ, nullable=False),
    Column("expires_at", TZ, nullable=True),
    Column("revoked_at", TZ, nullable=True),
    Index("ix_shares_recipient_entity", "recipient", "entity_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("at", TZ, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("agency", String(16), nullable=True),
    Column("action", String(32), nullable=False),
    Column("object_type", String(32), nullable=True),
    Column("object_id", Text, nullable=True),
    Column("detail", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# A single row holding the chain's head, so that deleting the newest rows is detected too.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

# --- entity resolution (migration 0002) -------------------------------------------------
# Derived rows only: a run never edits an entity or statement. Judgements are append-only;
# an undo is a new row naming the one it cancels.

resolution_runs = Table(
    "resolution_runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("agency", String(16), ForeignKey("agencies.code"), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("spec", JSON, nullable=False),
    Column("model", JSON, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("started_at", TZ, nullable=False),
    Column("finished_at", TZ, nullable=True),
    Column("record_count", Integer, nullable=False, default=0),
    Column("pair_count", Integer, nullable=False, default=0),
    Column("cluster_count", Integer, nullable=False, default=0),
    Index("ix_resolution_runs_agency_schema", "agency", "schema", "started_at"),
)

# Scored pairs of a run with the per-field weights that explain them.
resolution_matches = Table(
    "resolution_matches",
    metadata,
    Column("run_id", String(40), primary_key=True),
    Column("left_id", String(48), primary_key=True),
    Column("right_id", String(48), primary_key=True),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("explanation", JSON, nullable=False),
    Index("ix_resolution_matches_run_probability", "run_id", "probability"),
)

# Cluster membership after a run; a cluster id is the canonical entity's id and is kept
# from run to run while the cluster keeps most of its members.
resolution_members = Table(
    "resolution_members",
    metadata,
    Column("run_id", String(40), primary_key=True),
    Column("entity_id", String(48), primary_key=True),
    Column("cluster_id", String(40), nullable=False),
    Index("ix_resolution_members_cluster", "cluster_id", "run_id"),
)

resolution_judgements = Table(
    "resolution_judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(16), ForeignKey("agencies.code"), nullable=False),
    Column("left_id", String(48), nullable=False),
    Column("right_id", String(48), nullable=True),  # None for "split": stands alone
    Column("verdict", String(8), nullable=False),  # confirm | reject | split | undo
    Column("undoes", Integer, ForeignKey("resolution_judgements.id"), nullable=True),
    Column("note", Text, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", TZ, nullable=False),
    Index("ix_resolution_judgements_agency_left", "agency", "left_id"),
)
