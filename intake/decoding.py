"""Text encodings of uploaded files as spreadsheet programs write them.

Excel and its peers write UTF-8 with or without a byte-order mark, UTF-16 (little or big endian,
always with a BOM: "Unicode text" exports, tab-separated) and Windows-1252 ("CSV" on a Western
Windows). ``detect_encoding`` decides which, streaming: a file without a BOM is checked as UTF-8
by an incremental decoder over ``SCAN_BYTES`` chunks (never the whole file in memory) and falls
back to Windows-1252 at the first invalid byte sequence.
"""

from __future__ import annotations

import codecs
import io
from typing import IO

SCAN_BYTES = 1024 * 1024
UTF8, UTF8_BOM, UTF16, CP1252 = "utf-8", "utf-8-sig", "utf-16", "cp1252"


class EncodingError(ValueError):
    """The bytes are not text in any encoding accepted here."""


def _looks_utf16(head: bytes) -> bool:
    """A UTF-16 BOM followed by text that decodes and is mostly not NUL-free garbage: CSV and
    JSON text is mostly ASCII, so about half of its bytes after the BOM are zero."""
    body = head[2:]
    if len(body) < 2:
        return False
    body = body[: len(body) // 2 * 2]
    try:
        text = body.decode("utf-16-le" if head[:2] == codecs.BOM_UTF16_LE else "utf-16-be")
    except UnicodeDecodeError:
        return False
    ascii_chars = sum(1 for ch in text if ch < "\x80")
    return ascii_chars * 2 >= len(text)


def detect_encoding(binary: IO[bytes]) -> str:
    """The Python codec name for ``binary`` (a seekable byte stream), rewound afterwards.

    ``utf-8-sig`` for a UTF-8 BOM, ``utf-16`` for a UTF-16 BOM followed by UTF-16 text, else
    ``utf-8`` if every byte sequence is valid UTF-8, else ``cp1252``. ``EncodingError`` for a
    UTF-16 BOM that is not followed by UTF-16 text (it is binary data).
    """
    binary.seek(0)
    head = binary.read(4096)
    binary.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if _looks_utf16(head):
            return UTF16
        raise EncodingError(
            "The file is not UTF-8 text: it starts with a UTF-16 byte-order mark "
            "but is not UTF-16 text."
        )
    decoder = codecs.getincrementaldecoder(UTF8)()
    try:
        while chunk := binary.read(SCAN_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return CP1252
    finally:
        binary.seek(0)
    return UTF8


def open_text(binary: IO[bytes], encoding: str | None = None) -> io.TextIOWrapper:
    """Wrap ``binary`` as text in its detected (or the given) encoding, BOM dropped; universal
    newlines off, so the CSV reader sees quoted line breaks itself."""
    return io.TextIOWrapper(
        binary, encoding=encoding or detect_encoding(binary), errors="strict", newline=""
    )


def head_text(binary: IO[bytes], encoding: str, size: int = 4096) -> str:
    """The first ``size`` bytes of ``binary`` decoded (a cut multibyte character dropped),
    BOM removed; the stream is rewound."""
    binary.seek(0)
    raw = binary.read(size)
    binary.seek(0)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw)
    return text.lstrip("\ufeff")
