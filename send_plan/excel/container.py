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
  reads whole as the workbook opens) larger than :data:`MAX_SHARED_STRINGS`, and
  any other part openpyxl reads whole (the styles, the list of sheets, relations)
  with more than :data:`MAX_TAGS` tags. The sheets' own XML is read as a stream
  (:mod:`send_plan.excel.stream`).

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
#: reads them whole, keeping an element beside each text as it reads: 60 MiB of
#: the smallest texts took 402 MiB and 40 s. The texts of the 10,000-action plan
#: of the benchmarks, saved by Excel, would take 2.3 MiB.
MAX_SHARED_STRINGS = 32 * 1024 * 1024
#: The most tags in any other part openpyxl reads whole as the workbook opens (the
#: styles, the list of sheets, relations, the document's properties): it builds an
#: object of each, and 250 MB of cell formats (``<xf/>``) took more than 12 GB.
#: Excel allows 64,000 cell formats. Sheets are read as streams, and the parts
#: import never reads (pivot caches, drawings, comments) are not counted.
MAX_TAGS = 500_000
_SHARED_STRINGS = "xl/sharedStrings.xml"
_MANIFEST = "[Content_Types].xml"
#: Parts openpyxl's read-only mode parses whole when it opens a workbook (besides
#: the shared strings and every relations part): found by name ...
_READ_WHOLE = (_MANIFEST, "xl/workbook.xml", "xl/styles.xml", "docProps/core.xml",
               "docProps/custom.xml")  # fmt: skip
#: ... or by their kind in the manifest (the workbook itself, chart sheets).
_WHOLE_KINDS = ("sheet.main+xml", "template.main+xml", "macroEnabled.main+xml", "chartsheet+xml")
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
            infos = sorted(zf.infolist(), key=lambda i: i.filename != _MANIFEST)
            texts, whole = {_SHARED_STRINGS}, set(_READ_WHOLE)
            for info in infos:  # the manifest first: it says which part is which
                problem = _scan(zf, info, info.filename in texts, info.filename in whole)
                if problem is None and info.filename == _MANIFEST:
                    texts, whole = _roles(zf.read(info), texts, whole)
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
        SyntaxError,  # the manifest is not XML (ElementTree's ParseError)
    ) as exc:
        raise UsageError(f"{name}: the workbook is corrupt and cannot be read ({exc})") from None
    return names


def _roles(manifest: bytes, texts: set[str], whole: set[str]) -> tuple[set[str], set[str]]:
    """The shared-strings parts, and the parts openpyxl reads whole as a workbook
    opens, as the manifest (``[Content_Types].xml``) names them: openpyxl finds
    them by the manifest too, wherever they are."""
    from xml.etree.ElementTree import fromstring  # no document type: checked first

    parts = {
        el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
        for el in fromstring(manifest)
        if el.tag.endswith("Override")
    }
    texts = texts | {p for p, kind in parts.items() if kind.endswith("sharedStrings+xml")}
    whole = whole | {p for p, kind in parts.items() if kind.endswith(_WHOLE_KINDS)}
    return texts, whole


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, texts: bool, whole: bool) -> str | None:
    """Read one part through (its checksum is checked at its end); for an XML part,
    what in it no spreadsheet program writes, if anything. ``texts``: a shared-strings
    part; ``whole``: a part openpyxl reads whole as the workbook opens."""
    xml = info.filename.lower().endswith(_XML)
    if texts and info.file_size > MAX_SHARED_STRINGS:
        return (
            f"its texts take {info.file_size:,} bytes, more than the "
            f"{MAX_SHARED_STRINGS:,} import reads"
        )
    counted = whole or info.filename.endswith(".rels")  # relations are read whole too
    run = tags = 0  # bytes since the last '<'; tags so far
    tail = b""  # the end of the last chunk, for a marker cut in two
    with zf.open(info) as part:
        while chunk := part.read(_CHUNK):
            if not xml:
                continue
            tags += chunk.count(b"<")
            if tags > MAX_TAGS and counted:
                return f"more than {MAX_TAGS:,} tags, more than a spreadsheet program writes"
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
