"""The workbook as a file: what is not an .xlsx import can read is refused first.

:func:`check_container` refuses, with a message saying what to do, an old .xls, a
password-protected file, a CSV, an OpenDocument spreadsheet, a damaged zip, and
one whose parts would take more than import allows once unpacked. It reads every
part of the zip once (which checks each part's checksum) and looks, as it goes,
for what would make the XML readers hold far more than the file's size:

* a document type declaration (``<!DOCTYPE``), whose entities can expand a few
  bytes into gigabytes, and CDATA sections (``<![CDATA[``): no spreadsheet
  program writes either;
* a run of text longer than :data:`MAX_TEXT_RUN` between two tags: a cell holds
  at most 32,767 characters, and a reader keeps each text whole;
* a shared-strings part (the table of every text of every sheet, which openpyxl
  reads whole as the workbook opens) larger than :data:`MAX_SHARED_STRINGS`.

Each is refused as a damaged workbook (exit status 2); docs/limits.md gives the
figures measured without these checks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from send_plan.errors import UsageError
from send_plan.excel.layout import MAX_UNPACKED_BYTES

#: The longest run of text between two tags: Excel's 32,767 characters of a cell,
#: each up to six bytes as XML writes it (``&quot;``), is 196,602 bytes.
MAX_TEXT_RUN = 1024 * 1024
#: The largest shared-strings part (``xl/sharedStrings.xml``) unpacked. openpyxl
#: keeps an element beside each text it reads there: 64 MiB of the smallest
#: texts took about 400 MB.
MAX_SHARED_STRINGS = 64 * 1024 * 1024
_SHARED_STRINGS = "xl/sharedStrings.xml"
_CHUNK = 256 * 1024  # less than MAX_TEXT_RUN
_NEVER_WRITTEN = re.compile(rb"<!DOCTYPE|<!ENTITY|<!\[CDATA\[", re.IGNORECASE)
_XML = (".xml", ".rels", ".vml")
_TOO_LONG = f"a text of more than {MAX_TEXT_RUN:,} bytes, more than a cell holds"


def check_container(data: bytes, name: str) -> None:
    """Refuse, with a clear message, what is not an .xlsx workbook import can read."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE compound file
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UsageError(
                f"{name}: the workbook is password-protected; open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password) and save it"
            )
        raise UsageError(
            f"{name}: this is an old Excel 97-2003 workbook (.xls); open it in Excel and "
            "save it as an Excel Workbook (.xlsx)"
        )
    if not data.startswith(b"PK"):
        raise UsageError(
            f"{name}: not an Excel workbook (.xlsx); if it is a CSV or text file, open it "
            "in Excel and save it as an Excel Workbook (.xlsx)"
        )
    names = _zip_names(data, name)
    if "xl/workbook.xml" not in names:
        what = "an OpenDocument spreadsheet" if "content.xml" in names else "a zip file"
        raise UsageError(
            f"{name}: not an Excel workbook (.xlsx) but {what}; save it from your "
            "spreadsheet program as an Excel Workbook (.xlsx)"
        )


def _zip_names(data: bytes, name: str) -> set[str]:
    """The parts of the zip, once it is known to be whole and safe to read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise UsageError(
                    f"{name}: the workbook unpacks to {unpacked:,} bytes, more than the "
                    f"{MAX_UNPACKED_BYTES:,} import reads"
                )
            for info in zf.infolist():
                problem = _scan(zf, info)
                if problem is not None:
                    raise UsageError(
                        f"{name}: the workbook is corrupt and cannot be read "
                        f"({info.filename}: {problem})"
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,  # a compression method zipfile cannot unpack
        RuntimeError,  # a part encrypted with a zip password
    ) as exc:
        raise UsageError(f"{name}: the workbook is corrupt and cannot be read ({exc})") from None
    return names


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Read one part whole (its checksum is checked at its end); for an XML part,
    what in it no spreadsheet program writes, if anything."""
    xml = info.filename.lower().endswith(_XML)
    if info.filename == _SHARED_STRINGS and info.file_size > MAX_SHARED_STRINGS:
        return (
            f"its texts take {info.file_size:,} bytes, more than the "
            f"{MAX_SHARED_STRINGS:,} import reads"
        )
    run = 0  # bytes since the last '<'
    tail = b""  # the end of the last chunk, for a marker cut in two
    with zf.open(info) as part:
        while chunk := part.read(_CHUNK):
            if not xml:
                continue
            if _NEVER_WRITTEN.search(tail + chunk[:16]) or _NEVER_WRITTEN.search(chunk):
                return "a document type or CDATA section, which no spreadsheet program writes"
            tail = chunk[-16:]
            first = chunk.find(b"<")  # a run inside one chunk is shorter than the limit
            if first < 0:
                run += len(chunk)
            elif run + first > MAX_TEXT_RUN:
                return _TOO_LONG
            else:
                run = len(chunk) - chunk.rfind(b"<") - 1
            if run > MAX_TEXT_RUN:
                return _TOO_LONG
    return None
