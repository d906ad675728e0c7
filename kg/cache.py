"""The extraction cache: one file per document in the build folder, so that a rebuild
re-extracts only the documents that changed; and beside it the hashes of the validation
units the last build's check passed (:class:`PassedUnits`), so that it checks only the
others.

An entry's key hashes the document's file name and bytes with the versions of everything
its extraction depends on: kg's extraction source, the gazetteer file, the ontology files,
kiwipiepy and Python. A change to any of them gives new keys, so an old entry is never
read for a new build. An entry that cannot be read back (truncated, corrupt, written by
another format) is a miss and is written again. Entries are written once a build has
succeeded, so a failed build leaves the output folder as it was; only the entries of the
last successful build are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from kg.model import Extraction
from kg.ns import ONTOLOGY_PATH

__all__ = ["CACHE_DIR", "ExtractionCache", "PassedUnits", "fingerprint"]

CACHE_DIR = ".kg-cache"  # inside the build folder
_FORMAT = b"kg-extraction-cache 1\n"
_SUFFIX = ".pickle"
_PASSED_FILE = "passed-units"
_PASSED_FORMAT = b"kg-passed-units 1\n"
_KG = Path(__file__).resolve().parent
# what a document's Extraction is computed from, besides the document and the gazetteer
_SOURCES = ("extract/*.py", "ingest.py", "model.py", "gazetteer.py", "ontology.py", "script.py", "ns.py")


def _files(folder: Path, patterns: Iterable[str]) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.glob(pattern))


def fingerprint(gazetteer_path: Path) -> str:
    """The versions an extraction depends on, as one hash."""
    digest = hashlib.sha256(_FORMAT)
    sources = [*_files(_KG, _SOURCES), Path(gazetteer_path), *_files(ONTOLOGY_PATH.parent, ["*.ttl"])]
    for path in sources:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"kiwipiepy {metadata.version('kiwipiepy')} python {sys.version_info[:2]}".encode())
    return digest.hexdigest()


class ExtractionCache:
    """Extractions on disk under ``folder``, addressed by :meth:`key`."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder)
        self._fingerprint = fingerprint

    def key(self, name: str, data: bytes) -> str:
        """The key of the document called ``name`` whose file holds ``data``."""
        digest = hashlib.sha256(self._fingerprint.encode("ascii"))
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> Extraction | None:
        """The cached extraction, or None when it is missing or unreadable."""
        try:
            raw = self._path(key).read_bytes()
        except OSError:
            return None
        header = _FORMAT + key.encode("ascii") + b"\n"
        body = raw[len(header) + 32 :]
        if not raw.startswith(header) or raw[len(header) : len(header) + 32] != hashlib.sha256(body).digest():
            return None
        try:
            value = pickle.loads(body)
        except Exception:  # an entry from a kg whose classes have changed shape
            return None
        return value if isinstance(value, Extraction) else None

    def put(self, key: str, extraction: Extraction) -> None:
        """Store atomically: a reader sees the whole entry or none. Entries are not fsynced;
        one lost in a crash is only a miss."""
        body = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        _write_atomically(self._path(key), _FORMAT + key.encode("ascii") + b"\n" + hashlib.sha256(body).digest() + body)

    def update(self, entries: Iterable[tuple[str, Extraction]], keep: Iterable[str]) -> None:
        """Store ``entries``, then delete every entry whose key is not in ``keep``."""
        for key, extraction in entries:
            self.put(key, extraction)
        self.keep_only(keep)

    def keep_only(self, keys: Iterable[str]) -> None:
        """Delete every entry (and stray temporary file) but those of ``keys``."""
        wanted = {f"{key}{_SUFFIX}" for key in keys}
        if not self.folder.is_dir():
            return
        for folder in self.folder.iterdir():
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if entry.name not in wanted:
                    entry.unlink(missing_ok=True)
            if not any(folder.iterdir()):
                folder.rmdir()


class PassedUnits:
    """The hashes of the validation units (:mod:`kg.validate`) that the last successful
    build's check passed, one file in the cache ``folder``. A hash covers everything the
    unit's check reads, the shapes, the ontology, the validator's source, its libraries'
    and Python's versions included, so a hash found here is a unit known to pass whatever
    build it came from."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / _PASSED_FILE

    def get(self) -> frozenset[str]:
        """The hashes; none when the file is missing or damaged."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return frozenset()
        body = raw[len(_PASSED_FORMAT) + 32 :]
        if (
            not raw.startswith(_PASSED_FORMAT)
            or raw[len(_PASSED_FORMAT) : len(_PASSED_FORMAT) + 32] != hashlib.sha256(body).digest()
        ):
            return frozenset()
        return frozenset(body.decode("ascii").split())

    def put(self, hashes: Iterable[str]) -> None:
        """Replace the hashes with ``hashes``, atomically."""
        body = "".join(f"{digest}\n" for digest in sorted(set(hashes))).encode("ascii")
        _write_atomically(self.path, _PASSED_FORMAT + hashlib.sha256(body).digest() + body)


def _write_atomically(path: Path, payload: bytes) -> None:
    """A reader sees the whole file or none. Not fsynced: a file lost in a crash is only
    work to do again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
