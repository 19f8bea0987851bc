"""Uploaded files: copied to a private temporary directory (size-capped), imported, deleted.

The file keeps a sanitised version of its name, because the name tells the importer its
format and appears in the batch and the validation report.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from fastapi import UploadFile

from narcolink.exc import BadRequest

CHUNK = 1 << 20


def safe_filename(name: str | None) -> str:
    """The last path component, with anything but letters, digits, '.', '-', '_' replaced."""
    base = PurePath((name or "").replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\-]", "_", base, flags=re.ASCII).lstrip(".")[:120]
    return cleaned or "upload"


@contextmanager
def stored_upload(upload: UploadFile, max_mb: int) -> Iterator[tuple[Path, str]]:
    """Yield (path on disk, display name); the copy is removed afterwards."""
    if upload.filename is None or upload.filename == "":
        raise BadRequest("choose a file to import")
    name = safe_filename(upload.filename)
    display = PurePath(upload.filename.replace("\\", "/")).name[:200] or name
    limit = max_mb * 1024 * 1024
    directory = Path(tempfile.mkdtemp(prefix="narcolink-upload-"))
    try:
        path = directory / name
        written = 0
        with path.open("wb") as out:
            while block := upload.file.read(CHUNK):
                written += len(block)
                if written > limit:
                    raise BadRequest(f"{display}: the file is larger than {max_mb} MiB")
                out.write(block)
        yield path, display
    finally:
        shutil.rmtree(directory, ignore_errors=True)
