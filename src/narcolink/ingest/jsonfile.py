"""JSON records: narcolink JSON lines and FtM entity JSON (lines or one array).

Both carry ``{"id", "schema", "properties": {prop: [values]}}``. narcolink JSON lines are
strict (unknown keys are errors) and take marking fields at the top level; FtM entity JSON
ignores FtM's own extra keys (caption, datasets, ...) and takes markings from the
``narcolink`` block that narcolink's FtM export writes. An array is decoded element by
element from a growing buffer, so neither form is read whole into memory.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narcolink.ingest.builder import MARKING_FIELDS, RecordBuilder
from narcolink.ingest.textio import SAVE_AS_UTF8, UTF8_BOM, LineState, text_lines
from narcolink.model.records import Record

JSONL_KEYS = frozenset({"id", "schema", "properties", *MARKING_FIELDS})
ALLOWED = ", ".join(sorted(JSONL_KEYS))
CHUNK = 1 << 20


def object_record(obj: Any, builder: RecordBuilder, row: int, *, strict: bool) -> Record | None:
    """The record described by one JSON object; issues reported, None if it has no id."""
    report = builder.report
    if not isinstance(obj, dict):
        report.add(row, None, f"expected a JSON object, got {type(obj).__name__}")
        return None
    if strict:
        for key in obj:
            if key not in JSONL_KEYS:
                report.add(
                    row, str(key)[:100], f"unknown key (allowed: {', '.join(sorted(JSONL_KEYS))})"
                )
    schema = builder.schema(obj.get("schema"), row)
    if schema is None:
        return None
    props = obj.get("properties", {})
    if not isinstance(props, dict):
        report.add(row, "properties", "properties must be an object of lists of values")
        props = {}
    record = builder.start(schema, obj.get("id"), row)
    target = record or Record(id="", schema=schema, source_record="")
    for name, values in props.items():
        plan = builder.lookup_plan(schema, name)
        if isinstance(plan, str):
            report.add(row, name[:100], plan)
            continue
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                kind = type(value).__name__
                builder.reject(name, row, name, f"{name}: expected text or a number, got {kind}")
            elif not isinstance(value, str) or (value and not value.isspace()):
                builder.add(target, plan, str(value), row, name)
    if strict:
        marks = {k: obj[k] for k in MARKING_FIELDS if k in obj}
    else:
        block = obj.get("narcolink")
        given = block.get("markings") if isinstance(block, dict) else None
        marks = (
            {k: given[k] for k in MARKING_FIELDS if k in given} if isinstance(given, dict) else {}
        )
    if marks:
        builder.mark(target, marks, row)
    builder.finish(target, row)
    return record


def read_jsonl(
    path: Path, builder: RecordBuilder, *, strict: bool = True
) -> Iterator[tuple[int, Record]]:
    """One object per line; the row of an issue is its line number."""
    report = builder.report
    state = LineState()
    for text in text_lines(path, builder.ctx.line_cap, state):
        for line, reason in state.drain():
            report.add(line, None, reason)
        if len(report.issues) >= report.limit:
            break
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            report.add(state.line, None, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            report.add(state.line, None, "not valid JSON: nested too deeply")
            continue
        record = object_record(obj, builder, state.line, strict=strict)
        if record is not None:
            yield state.line, record
    for line, reason in state.drain():
        report.add(line, None, reason)
    report.rows_read = state.line


def _first_char(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(4096)
    return head.removeprefix(UTF8_BOM).lstrip()[:1].decode("latin-1")


def read_ftm(path: Path, builder: RecordBuilder) -> Iterator[tuple[int, Record]]:
    """FtM entity JSON: a JSON array when the file starts with ``[``, JSON lines otherwise."""
    if _first_char(path) != "[":
        yield from read_jsonl(path, builder, strict=False)
        return
    for index, obj in _array_elements(path, builder):
        record = object_record(obj, builder, index, strict=False)
        if record is not None:
            yield index, record


def _array_elements(path: Path, builder: RecordBuilder) -> Iterator[tuple[int, Any]]:
    """Yield (1-based index, value) of a top-level JSON array, reading it in chunks."""
    report = builder.report
    cap = builder.ctx.line_cap
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    buf, pos, index, eof, offset = "", 0, 0, False, 0
    with path.open("rb") as fh:

        def more(size: int = CHUNK) -> bool:
            nonlocal buf, pos, eof, offset
            if eof:
                return False
            raw = fh.read(size)
            if offset == 0:
                raw = raw.removeprefix(UTF8_BOM)
            try:
                text = utf8.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                report.add(
                    index + 1,
                    None,
                    f"not valid UTF-8 near byte {offset + exc.start:,}; "
                    f"only UTF-8 is accepted: {SAVE_AS_UTF8}",
                )
                eof = True
                return False
            offset += len(raw)
            eof = not raw
            buf, pos = buf[pos:] + text, 0
            return bool(raw)

        def skip_space() -> bool:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf):
                    return True
                if not more():
                    return False

        if not skip_space() or buf[pos] != "[":
            report.add(None, None, "expected a JSON array of entities")
            return
        pos += 1
        while len(report.issues) < report.limit:
            if not skip_space():
                report.add(index + 1, None, "the file ends inside the array (cut off?)")
                return
            if buf[pos] == "]":
                pos += 1
                if skip_space():
                    report.add(None, None, "unexpected data after the end of the array")
                return
            if index:
                if buf[pos] != ",":
                    report.add(index + 1, None, "expected ',' between array elements")
                    return
                pos += 1
                if not skip_space():
                    report.add(index + 1, None, "the file ends inside the array (cut off?)")
                    return
            while True:
                try:
                    value, end = decoder.raw_decode(buf, pos)
                    break
                except json.JSONDecodeError as exc:
                    if len(buf) - pos > cap:
                        report.add(index + 1, None, f"element is larger than {cap:,} characters")
                        return
                    if not more(max(CHUNK, len(buf) - pos)):
                        report.add(index + 1, None, f"not valid JSON: {exc.msg}")
                        return
                except RecursionError:
                    report.add(index + 1, None, "not valid JSON: nested too deeply")
                    return
            index += 1
            pos = end
            report.rows_read = index
            yield index, value
