"""The hash-chained audit log: intact chains verify; any edit, deletion or reordering shows."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, delete, select, update

from narcolink.model.roles import Actor, Role
from narcolink.services.node import Node
from narcolink.store import audit
from narcolink.store import tables as t

A = t.audit_log
H = t.audit_head
ANALYST = Actor("ncb-analyst", "ncb", frozenset({Role.ANALYST}))


def append_rows(node: Node, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        with node.transaction() as conn:
            node.audit(conn, ANALYST, "read", "entity", f"ncb-{i:024x}", query=f"q{i}")


def verify(node: Node) -> tuple[int, list[str]]:
    with node.transaction() as conn:
        rows, problems = audit.verify(conn, node.store.audit_key)
    return rows, [str(p) for p in problems]


def tamper(node: Node, change: Callable[[Connection], object]) -> None:
    """Change the tables directly, as someone with database access but not the key would."""
    with node.transaction() as conn:
        change(conn)


def row(node: Node, seq: int) -> dict[str, object]:
    with node.transaction() as conn:
        return dict(conn.execute(select(A).where(A.c.seq == seq)).mappings().one())


@pytest.fixture
def chain(node: Node) -> Node:
    append_rows(node, 6)
    return node


def test_an_empty_log_verifies(node: Node) -> None:
    assert verify(node) == (0, [])


def test_appended_rows_verify_and_chain(chain: Node) -> None:
    assert verify(chain) == (6, [])
    first, second = row(chain, 1), row(chain, 2)
    assert first["prev_hash"] == audit.GENESIS
    assert second["prev_hash"] == first["hash"]
    assert first["actor"] == "ncb-analyst" and first["agency"] == "ncb"
    assert first["action"] == "read" and first["object_type"] == "entity"
    assert '"query": "q0"' in str(first["detail"])
    with chain.transaction() as conn:
        assert [r["seq"] for r in audit.recent(conn, limit=3)] == [6, 5, 4]
        assert audit.count(conn) == 6


def test_appends_survive_a_reopen_and_continue_the_chain(chain: Node) -> None:
    settings = chain.settings
    chain.close()
    again = Node.open(settings)
    try:
        append_rows(again, 2, start=6)
        assert verify(again) == (8, [])
    finally:
        again.close()


def test_a_rolled_back_transaction_leaves_no_audit_row(chain: Node) -> None:
    with pytest.raises(RuntimeError), chain.transaction() as conn:
        chain.audit(conn, ANALYST, "import", "batch", "b1")
        raise RuntimeError("the import failed")
    assert verify(chain) == (6, [])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("detail", '{"query": "something else"}'),
        ("actor", "someone-else"),
        ("agency", "dea"),
        ("action", "export"),
        ("object_id", "ncb-ffffffffffffffffffffffff"),
        ("at", None),  # moved to another day, below
    ],
)
def test_an_edited_row_is_reported(chain: Node, column: str, value: object) -> None:
    if column == "at":
        value = row(chain, 3)["at"].replace(year=2001)  # type: ignore[union-attr]
    tamper(chain, lambda c: c.execute(update(A).where(A.c.seq == 3).values({column: value})))
    rows, problems = verify(chain)
    assert rows == 6
    assert problems == ["row 3: content does not match its hash: row edited"]


def test_an_edited_hash_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(update(A).where(A.c.seq == 3).values(hash="0" * 64)))
    _, problems = verify(chain)
    assert "row 3: content does not match its hash: row edited" in problems
    assert "row 4: does not follow the previous row: reordered or a row removed" in problems


def test_a_deleted_middle_row_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(delete(A).where(A.c.seq == 3)))
    rows, problems = verify(chain)
    assert rows == 5
    assert problems == [
        "row 4: sequence jumps from 2 to 4: rows deleted",
        "row 4: does not follow the previous row: reordered or a row removed",
    ]


def test_deleted_first_rows_are_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(delete(A).where(A.c.seq <= 2)))
    _, problems = verify(chain)
    assert "row 3: sequence jumps from 0 to 3: rows deleted" in problems


def test_a_deleted_newest_row_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(delete(A).where(A.c.seq == 6)))
    rows, problems = verify(chain)
    assert rows == 5
    assert problems == [
        "log: head says the log ends at row 6, but it ends at row 5: newest rows deleted "
        "or replaced"
    ]


def test_a_deleted_newest_row_with_a_rewritten_head_is_reported(chain: Node) -> None:
    fifth = row(chain, 5)

    def drop_and_cover(conn: Connection) -> None:
        conn.execute(delete(A).where(A.c.seq == 6))
        conn.execute(update(H).where(H.c.id == 1).values(seq=5, hash=fifth["hash"]))

    tamper(chain, drop_and_cover)
    assert verify(chain)[1] == ["log: head record edited"]


def test_all_rows_deleted_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(delete(A)))
    rows, problems = verify(chain)
    assert rows == 0
    assert problems and "newest rows deleted" in problems[0]


def test_a_wiped_log_and_head_are_reported_when_the_store_holds_audited_work(
    chain: Node,
) -> None:
    from .conftest import Rec, write

    write(chain, "ncb", [Rec("Person", "p1", {"name": "A"})])  # an import exists
    tamper(chain, lambda c: (c.execute(delete(A)), c.execute(delete(H))))
    rows, problems = verify(chain)
    assert rows == 0
    assert problems == [
        "log: the log and its head are gone, but the store holds users or imports, whose "
        "creation is always audited: the log was wiped"
    ]


def test_a_deleted_head_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(delete(H)))
    assert verify(chain)[1] == ["log: head record missing"]


def test_an_edited_head_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(update(H).values(seq=99)))
    problems = verify(chain)[1]
    assert "log: head record edited" in problems


def test_an_edited_head_mac_is_reported(chain: Node) -> None:
    tamper(chain, lambda c: c.execute(update(H).values(mac="f" * 64)))
    assert verify(chain)[1] == ["log: head record edited"]


def test_two_rows_swapped_are_reported(chain: Node) -> None:
    """Reordering: rows 3 and 4 trade places (their sequence numbers are swapped)."""

    def swap(conn: Connection) -> None:
        conn.execute(update(A).where(A.c.seq == 3).values(seq=-3))
        conn.execute(update(A).where(A.c.seq == 4).values(seq=3))
        conn.execute(update(A).where(A.c.seq == -3).values(seq=4))

    tamper(chain, swap)
    rows, problems = verify(chain)
    assert rows == 6
    assert "row 3: does not follow the previous row: reordered or a row removed" in problems
    assert "row 3: content does not match its hash: row edited" in problems
    assert "row 4: content does not match its hash: row edited" in problems


def test_two_rows_contents_swapped_are_reported(chain: Node) -> None:
    """Reordering by moving contents (hashes included) between sequence numbers."""
    third, fourth = row(chain, 3), row(chain, 4)
    fields = [c.name for c in A.columns if c.name != "seq"]

    def swap(conn: Connection) -> None:
        conn.execute(update(A).where(A.c.seq == 3).values(**{f: fourth[f] for f in fields}))
        conn.execute(update(A).where(A.c.seq == 4).values(**{f: third[f] for f in fields}))

    tamper(chain, swap)
    problems = verify(chain)[1]
    assert any(p.startswith("row 3:") for p in problems)
    assert any(p.startswith("row 4:") for p in problems)


def test_a_forged_row_without_the_key_is_reported(chain: Node) -> None:
    """Re-computing hashes needs the key, which lives outside the database."""
    seventh = dict(row(chain, 6))
    seventh.update(seq=7, prev_hash=seventh["hash"], detail='{"forged": true}')
    forged_key = b"\x00" * 32
    seventh["hash"] = audit._mac(forged_key, audit._canonical(seventh))

    def insert(conn: Connection) -> None:
        conn.execute(A.insert().values(**seventh))
        conn.execute(
            update(H).values(
                seq=7, hash=seventh["hash"], mac=audit._head_mac(forged_key, 7, seventh["hash"])
            )
        )

    tamper(chain, insert)
    problems = verify(chain)[1]
    assert "row 7: content does not match its hash: row edited" in problems
    assert "log: head record edited" in problems


def test_a_different_key_does_not_verify(chain: Node) -> None:
    with chain.transaction() as conn:
        _, problems = audit.verify(conn, b"\x01" * 32)
    assert len(problems) == 6 + 1  # every row and the head


def test_concurrent_appends_keep_the_chain_valid(node: Node) -> None:
    """Two threads append in separate transactions at once; the chain stays one line."""
    per_thread = 25
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        actor = Actor(name, "ncb", frozenset({Role.ANALYST}))
        try:
            start.wait()
            for i in range(per_thread):
                with node.transaction() as conn:
                    node.audit(conn, actor, "read", "entity", f"{name}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"user{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify(node) == (2 * per_thread, [])
    with node.transaction() as conn:
        seqs = list(conn.execute(select(A.c.seq).order_by(A.c.seq)).scalars())
    assert seqs == list(range(1, 2 * per_thread + 1))
