"""The EXIF Orientation tag: how a camera says its picture is to be turned to stand upright.

Phones store a photo's pixels as the sensor read them and the way up in this tag; OpenCV's
IMREAD_UNCHANGED (which keeps alpha and 16-bit depth) does not apply it, so a phone's photo of a
digit came in lying on its side. Read from JPEG (APP1), PNG (eXIf) and WebP (EXIF chunk).
"""

from __future__ import annotations

import struct

import numpy as np

TAG = 0x0112


def _from_tiff(tiff: bytes) -> int:
    """The Orientation in a TIFF-structured EXIF block's first directory, 1 when absent or damaged."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return 1
    e = "<" if tiff[:2] == b"II" else ">"
    (ifd,) = struct.unpack(e + "I", tiff[4:8])
    if ifd + 2 > len(tiff):
        return 1
    (count,) = struct.unpack(e + "H", tiff[ifd : ifd + 2])
    for i in range(min(count, 512)):
        at = ifd + 2 + 12 * i
        if at + 12 > len(tiff):
            return 1
        tag, kind = struct.unpack(e + "HH", tiff[at : at + 4])
        if tag == TAG and kind == 3:  # SHORT
            (value,) = struct.unpack(e + "H", tiff[at + 8 : at + 10])
            return value if 1 <= value <= 8 else 1
    return 1


def _jpeg(data: bytes) -> int:
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            return 1
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker == 0xE1 and data[i + 4 : i + 10] == b"Exif\x00\x00":
            return _from_tiff(data[i + 10 : i + 2 + length])
        i += 2 + length
    return 1


def _png(data: bytes) -> int:
    i = 8
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        if kind == b"eXIf":
            return _from_tiff(data[i + 8 : i + 8 + length])
        if kind in (b"IDAT", b"IEND"):  # eXIf must come before the image data
            return 1
        i += 12 + length
    return 1


def _webp(data: bytes) -> int:
    i = 12
    while i + 8 <= len(data):
        kind = data[i : i + 4]
        (length,) = struct.unpack("<I", data[i + 4 : i + 8])
        if kind == b"EXIF":
            block = data[i + 8 : i + 8 + length]
            return _from_tiff(block[6:] if block.startswith(b"Exif\x00\x00") else block)
        i += 8 + length + (length & 1)
    return 1


def exif_orientation(data: bytes) -> int:
    """The EXIF Orientation (1-8) of an encoded picture; 1 (as stored) when it has none."""
    try:
        if data[:2] == b"\xff\xd8":
            return _jpeg(data)
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except struct.error:  # a block cut short: damaged metadata means no turn, not no picture
        return 1
    return 1


def upright(img: np.ndarray, orientation: int) -> np.ndarray:
    """The decoded picture turned and mirrored as its EXIF Orientation says (1-8)."""
    if orientation == 2:
        return img[:, ::-1]
    if orientation == 3:
        return img[::-1, ::-1]
    if orientation == 4:
        return img[::-1]
    if orientation == 5:  # mirrored along the main diagonal
        return np.swapaxes(img, 0, 1)
    if orientation == 6:  # taken with the phone turned: a quarter turn clockwise stands it up
        return np.rot90(img, -1)
    if orientation == 7:
        return np.rot90(np.swapaxes(img, 0, 1), 2)
    if orientation == 8:
        return np.rot90(img, 1)
    return img
