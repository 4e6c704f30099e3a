"""Make a Pagefind bundle reproducible: its filter files list values in hash-map order, which
changes from run to run (and so do the names of the files and of the meta file naming them).

`canonicalise(bundle)` sorts each filter's values and the meta file's list of filters, and names
the rewritten files by their content, so the same pages always give the same bytes. Only the
filter and meta files are touched: Pagefind's words index and fragments are already stable.
The files are gzip of b"pagefind_dcd" + CBOR (definite lengths), read and written here with the
small subset of CBOR they use.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
from pathlib import Path
from typing import Any

_PREFIX = b"pagefind_dcd"
_CHUNK = re.compile(r"^(?P<lang>.+)_[0-9a-f]+$")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_PREFIX):
        raise ValueError(f"{path.name}: not a Pagefind file")
    value, end = _decode(data, len(_PREFIX))
    if end != len(data):
        raise ValueError(f"{path.name}: trailing bytes")
    return value


def _packed(value: Any) -> bytes:
    return gzip.compress(_PREFIX + _encode(value), mtime=0)


def _name(lang: str, data: bytes, length: int) -> str:
    return f"{lang}_{hashlib.sha256(data).hexdigest()[:length]}"


def canonicalise(bundle: Path) -> None:
    """Rewrite `bundle`'s filter files and meta file in a fixed order (see the module's text)."""
    entry_file = bundle / "pagefind-entry.json"
    entry_text = entry_file.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    renamed: dict[str, str] = {}
    filters = bundle / "filter"
    for path in sorted(filters.glob("*.pf_filter")) if filters.is_dir() else []:
        name, values = _read(path)
        data = _packed([name, sorted(values, key=lambda v: v[0])])
        old = path.name.removesuffix(".pf_filter")
        new = _name(_lang(old), data, 7)
        path.unlink()
        (filters / f"{new}.pf_filter").write_bytes(data)
        renamed[old] = new
    for info in (entry["languages"][lang] for lang in sorted(entry["languages"])):
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        meta[3] = sorted(([f, renamed.get(h, h)] for f, h in meta[3]), key=lambda fh: fh[0])
        data = _packed(meta)
        new = _name(_lang(info["hash"]), data, 10)
        meta_file.unlink()
        (bundle / f"pagefind.{new}.pf_meta").write_bytes(data)
        entry_text = entry_text.replace(f'"hash":"{info["hash"]}"', f'"hash":"{new}"', 1)
    entry_file.write_text(entry_text, encoding="utf-8")


def _lang(chunk: str) -> str:
    match = _CHUNK.match(chunk)
    if not match:
        raise ValueError(f"unexpected Pagefind file name {chunk!r}")
    return match.group("lang")


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], at
        sizes = {25: (2, ">e"), 26: (4, ">f"), 27: (8, ">d")}
        size, fmt = sizes[info]
        return struct.unpack(fmt, data[at:at + size])[0], at + size
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError("indefinite lengths are not used by Pagefind")
    if major == 0:
        return arg, at
    if major == 1:
        return -1 - arg, at
    if major == 2:
        return data[at:at + arg], at + arg
    if major == 3:
        return data[at:at + arg].decode("utf-8"), at + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(arg):
            key, at = _decode(data, at)
            pairs[key], at = _decode(data, at)
        return pairs, at
    raise ValueError(f"CBOR major type {major} is not used by Pagefind")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__}")
