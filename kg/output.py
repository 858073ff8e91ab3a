"""Write output files atomically, so that a failed run never leaves a half-written or clobbered file."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kg.errors import UserError


@contextlib.contextmanager
def atomic_output(path: str | Path):
    """A binary stream whose content replaces ``path`` only if the block finishes without an error."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual permissions
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, data: bytes) -> None:
    with atomic_output(path) as stream:
        stream.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
