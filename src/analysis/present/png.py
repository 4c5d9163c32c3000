"""PNG files from drawn pixels, fast enough to write one per figure per report.

Pillow chooses a filter for every row by trying all five PNG filters (as libpng does), and
on a 300-dpi figure that search costs more than the compression itself (measured: 0.08 s
of its 0.10 s for an 1874 × 2712 figure). A chart is flat colour with horizontal and
vertical edges, where the "Up" filter (each row minus the row above) does nearly as well
as the search: about 3 % larger files, written in half the time, by numpy and zlib.

    data = png.encode(rgba_array, dpi=300, text={"Software": "..."})

Opaque images are written as RGB (colour type 2): the pixels are the same, a quarter
fewer bytes go through zlib. Images with any transparency keep their alpha (type 6).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOUR_TYPE = {3: 2, 4: 6}  # channels -> PNG colour type (RGB, RGBA), 8 bits each
FILTER_UP = 2
INCHES_PER_METRE = 1 / 0.0254


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(body, zlib.crc32(kind)) & 0xFFFFFFFF)


def opaque(rgba: np.ndarray) -> np.ndarray:
    """The RGB channels of an (h, w, 4) array whose every pixel is opaque; else the array."""
    if rgba.shape[-1] == 4 and rgba[..., 3].min() == 255:
        return rgba[..., :3]
    return rgba


def encode(pixels: np.ndarray, dpi: float | None = None, text: dict[str, str] | None = None,
           level: int = 1) -> bytes:
    """PNG bytes of an (h, w, 3|4) uint8 array, rows filtered with "Up", zlib ``level``;
    ``dpi`` is stored as the pHYs chunk, ``text`` as tEXt chunks (Latin-1)."""
    pixels = opaque(np.asarray(pixels))
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in COLOUR_TYPE:
        raise ValueError(f"expected an (h, w, 3|4) uint8 array, got {pixels.dtype} "
                         f"{pixels.shape}")
    height, width, channels = pixels.shape
    rows = pixels.reshape(height, width * channels)
    filtered = np.empty((height, width * channels + 1), dtype=np.uint8)
    filtered[:, 0] = FILTER_UP
    filtered[0, 0] = 0  # the first row has no row above: unfiltered
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # wraps modulo 256, as PNG wants
    parts = [SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                    COLOUR_TYPE[channels], 0, 0, 0))]
    if dpi:
        per_metre = int(dpi * INCHES_PER_METRE + 0.5)
        parts.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    for key, value in (text or {}).items():
        parts.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
    parts += [_chunk(b"IDAT", zlib.compress(filtered.tobytes(), level)), _chunk(b"IEND", b"")]
    return b"".join(parts)
