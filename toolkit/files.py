"""Writing files: atomically (never half of one), and zip archives that are the same bytes every time."""

from __future__ import annotations

import datetime
import io
import os
import tempfile
import zipfile
from pathlib import Path

_ZIP_EPOCH = datetime.date(1980, 1, 1)  # the earliest date a zip entry can hold


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename it into place: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def dated_zip(contents: dict[str, bytes], day: datetime.date) -> bytes:
    """A zip of contents (entry name -> bytes, in that order), every entry dated day and marked
    plain read-write on Unix, whatever the machine: the same contents, the same bytes."""
    stamp = max(day, _ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in contents.items():
            entry = zipfile.ZipInfo(name, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, data)
    return out.getvalue()
