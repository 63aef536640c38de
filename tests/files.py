"""Real files of each accepted kind, made in memory, and hostile ones that look like them."""

import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter

DOCX_MAIN = "word/document.xml"
XLSX_MAIN = "xl/workbook.xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def pdf(pages: int = 1, password: str | None = None, padding: int = 0) -> bytes:
    """A real PDF of blank A4 pages; ``padding`` characters of metadata make it larger."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Subject": "x" * padding})
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(fmt: str, size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def png(size=(4, 3)) -> bytes:
    return image("PNG", size)


def jpeg(size=(4, 3)) -> bytes:
    return image("JPEG", size)


def png_canvas(width: int, height: int) -> bytes:
    """A tiny PNG declaring a ``width`` × ``height`` canvas: a decompression bomb's header."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def ooxml(main_part: str, body: str = '<?xml version="1.0" encoding="UTF-8"?><root/>') -> bytes:
    """An office package: the content types, and the part that says which kind it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(main_part, body)
    return buffer.getvalue()


def docx() -> bytes:
    return ooxml(DOCX_MAIN)


def xlsx() -> bytes:
    return ooxml(XLSX_MAIN)


# --- A zip bomb -----------------------------------------------------------------------------------

MIB = 1024 * 1024


def _crc32_of_zeros(mib: int) -> int:
    """CRC-32 of ``mib`` (a power of two) MiB of zeros, without running over them all.

    Running the CRC over n zeros is an affine map of the starting value: known by its value
    at 0 and at each bit, and the map for 2n is the one for n applied twice."""
    zeros = bytes(MIB)
    at_zero = zlib.crc32(zeros, 0)
    at_bits = [zlib.crc32(zeros, 1 << bit) for bit in range(32)]

    def apply(value):
        result = at_zero
        for bit in range(32):
            if value >> bit & 1:
                result ^= at_bits[bit] ^ at_zero
        return result

    while mib > 1:
        at_zero, at_bits = apply(at_zero), [apply(value) for value in at_bits]
        mib //= 2
    return at_zero


def _zip(entries) -> bytes:
    """A ZIP archive of (name, deflated data, CRC, uncompressed size) entries, written by hand
    so that a part can be far larger than the archive without ever being in memory."""
    out, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflated(text: str):
    raw = text.encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw)


def zip_bomb_docx(mib: int = 1024) -> bytes:
    """A DOCX of about 1 MB whose document part really inflates to ``mib`` MiB (default 1 GiB) of zeros.

    One MiB of zeros deflated and closed with a full flush is a block that stands alone, so
    the part is that block repeated, then an empty final block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    bomb = block * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return _zip(
        [
            ("[Content_Types].xml", *_deflated(CONTENT_TYPES)),
            (DOCX_MAIN, bomb, _crc32_of_zeros(mib), mib * MIB),
        ]
    )


def stored_files(media) -> list:
    """The files under the media folder ``media``: what uploads left on disk."""
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
