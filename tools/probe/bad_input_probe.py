#!/usr/bin/env python3
"""Bad-input probe of refine-cli and the desktop app refine (issue 11).

Feeds both programs bad images, bad models, bad options, a full disk, read-only folders and
signals, and checks four invariants for every case:

  1. no abort: no death by a signal the probe did not send, no "terminate called", "Aborted",
     LibTorch backtrace ("Exception raised from", c10::) or sanitizer text in the output;
  2. no hang: every case ends within its timeout (a timeout is a failure);
  3. no modified input: the sha256 (or link target) of every file under the case's input and
     model folders is the same afterwards, and every new entry there is named like an output;
  4. no partial file: no temporary file (".tmp-XXXXXX", ".refine-write-check-N") is left, and
     every output file decodes completely (checked here structurally, then every output is
     decoded again by refine-cli itself in the last case, "outputs-decode-in-refine");

plus the case's own expectation (exit code, words in the message, seconds, files written).

Python 3 standard library only. Run it as root for the full probe (tmpfs mounts for the full
and read-only disks, the permission cases as user nobody); without root those cases are skipped.

    tools/probe/bad_input_probe.py --build build [--shared ../shared] [--out /tmp/probe]

docs/bad-input-probe.md describes the cases and the last recorded run.
"""

import argparse
import hashlib
import json
import os
import pickle
import random
import re
import shlex
import shutil
import signal
import stat
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "fuzz" / "corpus" / "image_decode"
SAMPLE_JPEG = REPO / "resources" / "samples" / "montstmichel.jpg"
DEFAULT_MODEL = REPO / "models" / "refine-x4"

EXIT_FAILED, EXIT_ARCHIVE, EXIT_MODEL, EXIT_CANCELLED = 1, 2, 3, 130
OPTION_ERROR = "option-error"  # any non-zero exit other than 1, 3 and 130, quickly, before any model is loaded
NONZERO = "non-zero"  # any exit code but 0 and 130, not by a signal

CRASH_TEXT = re.compile(
    r"terminate called|\bAborted\b|core dumped|Segmentation fault|Exception raised from|\bc10::|what\(\):"
    r"|AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:|std::bad_alloc|Assertion .* failed"
    r"|stack smashing|double free|free\(\): invalid|malloc\(\): |Traceback \(most recent call last\)")
TEMP_NAME = re.compile(r"\.tmp-[a-z0-9]{6}$|\.refine-write-check-\d+$")
OUTPUT_NAME = re.compile(r".+_x[0-9]+_(c[0-9]+|clean|uncertainty)\.(png|jpg|jpeg|tif|tiff|webp)$", re.I | re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MODEL_LOADED = re.compile(r"^model \S+ on \S+", re.M)
STEP = re.compile(r"step ([1-9][0-9]*)/([0-9]+)")

# ==================================================================================================
# Image files, written by hand (PNG, TIFF, BigTIFF, APNG, animated WebP) or mutated from seeds
# ==================================================================================================


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def pattern_rows(width, height, channels, depth, kind="gradient", seed=1):
    """Raw scanlines (without filter bytes) of a test picture, fast even for 16-megapixel images."""
    bpp = channels * depth // 8
    row_bytes = width * bpp
    if kind == "noise":
        rng = random.Random(seed)
        return [rng.randbytes(row_bytes) for _ in range(height)]
    if kind == "flat":
        return [bytes(row_bytes)] * height
    period = 256
    values = bytearray()
    for x in range(width + period):
        for c in range(channels):
            v = (x * 3 + c * 70) & 0xFF
            values += bytes([v]) if depth == 8 else bytes([v, (x * 7) & 0xFF])
    base = bytes(values)
    return [base[(y % period) * bpp:(y % period) * bpp + row_bytes] for y in range(height)]


def zlib_rows(rows, level=6):
    z = zlib.compressobj(level)
    out = [z.compress(b"\x00" + row) for row in rows]
    out.append(z.flush())
    return b"".join(out)


def make_png(width, height, color=2, depth=8, kind="gradient", seed=1, before_idat=(), after_idat=(),
             idat=None, ihdr=None, level=6, palette=None):
    ihdr = ihdr or struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    chunks = [png_chunk(b"IHDR", ihdr)]
    if color == 3:
        chunks.append(png_chunk(b"PLTE", palette or bytes(range(0, 256, 1)) * 3))
    chunks += [png_chunk(k, d) for k, d in before_idat]
    if idat is None:
        if depth < 8:
            row = bytes(((width * depth + 7) // 8))
            idat = zlib_rows([row] * height, level)
        else:
            idat = zlib_rows(pattern_rows(width, height, CHANNELS[color], depth, kind, seed), level)
    for start in range(0, max(len(idat), 1), 1 << 20):
        chunks.append(png_chunk(b"IDAT", idat[start:start + (1 << 20)]))
    chunks += [png_chunk(k, d) for k, d in after_idat]
    chunks.append(png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def make_slow_png(width, height):
    """A 16-bit PNG whose every row uses the Paeth filter (the slowest to undo) and whose last IDAT chunk has
    a bad CRC: decoding it takes a while, then fails. A signal that is not honoured during the decode shows
    as exit 1 (the damaged file), not 130, and costs no enhancement."""
    z = zlib.compressobj(1)
    idat = b"".join(z.compress(b"\x04" + row) for row in pattern_rows(width, height, 3, 16)) + z.flush()
    data = bytearray(make_png(width, height, depth=16, idat=idat))
    crc = data.rfind(b"IEND") - 8
    data[crc:crc + 4] = bytes(4)
    return bytes(data)


def make_interlaced_png(width, height):
    """An Adam7-interlaced RGB PNG."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        cols = len(range(x0, width, dx))
        rows = len(range(y0, height, dy))
        if cols == 0 or rows == 0:
            continue
        for y in range(y0, height, dy):
            raw += b"\x00" + bytes(((x * 5 + y * 3 + c * 60) & 0xFF) for x in range(x0, width, dx) for c in range(3))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return make_png(width, height, ihdr=ihdr, idat=zlib.compress(bytes(raw)))


def make_apng(width, height, frames=3):
    """An animated PNG (acTL, fcTL, fdAT): the first frame is the default image."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = [png_chunk(b"IHDR", ihdr), png_chunk(b"acTL", struct.pack(">II", frames, 0))]
    sequence = 0
    for frame in range(frames):
        fctl = struct.pack(">IIIIIHHBB", sequence, width, height, 0, 0, 1, 10, 0, 0)
        chunks.append(png_chunk(b"fcTL", fctl))
        sequence += 1
        data = zlib_rows(pattern_rows(width, height, 3, 8, "noise", seed=frame))
        if frame == 0:
            chunks.append(png_chunk(b"IDAT", data))
        else:
            chunks.append(png_chunk(b"fdAT", struct.pack(">I", sequence) + data))
            sequence += 1
    chunks.append(png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def tiff_entries(width, height, spp, bps, photometric, strip_offset, strip_bytes, extra=()):
    tags = [(256, 4, [width]), (257, 4, [height]), (258, 3, [bps] * spp), (259, 3, [1]),
            (262, 3, [photometric]), (273, 4, [strip_offset]), (277, 3, [spp]), (278, 4, [height]),
            (279, 4, [strip_bytes]), (284, 3, [1])]
    if spp in (2, 4) and photometric != 5:
        tags.append((338, 3, [2]))  # unassociated alpha
    tags += list(extra)
    return sorted(tags)


def make_tiff(pages, big=False, order="<", patch=None):
    """A baseline (or Big) TIFF; pages: [(width, height, spp, bps, photometric, pixel bytes, extra tags)]."""
    e = order
    type_size = {1: 1, 2: 1, 3: 2, 4: 4, 16: 8}
    type_code = {1: "B", 2: "B", 3: "H", 4: "I", 16: "Q"}
    out = bytearray((b"II" if e == "<" else b"MM") + (struct.pack(e + "HHHI", 43, 8, 0, 0) + bytes(4)
                                                       if big else struct.pack(e + "HI", 42, 0)))
    first_ifd_at = 8 if big else 4
    previous_link = first_ifd_at
    for width, height, spp, bps, photometric, pixels, extra in pages:
        pixel_at = len(out)
        out += pixels
        if len(out) % 2:
            out += b"\x00"
        tags = tiff_entries(width, height, spp, bps, photometric, pixel_at, len(pixels), extra)
        if patch:
            tags = patch(tags)
        inline = 8 if big else 4
        # out-of-line values first
        values_at = {}
        for tag, kind, values in tags:
            size = type_size[kind] * len(values)
            if size > inline:
                values_at[tag] = len(out)
                out += struct.pack(e + type_code[kind] * len(values), *values)
                if len(out) % 2:
                    out += b"\x00"
        ifd_at = len(out)
        if big:
            out += struct.pack(e + "Q", len(tags))
        else:
            out += struct.pack(e + "H", len(tags))
        for tag, kind, values in tags:
            size = type_size[kind] * len(values)
            if big:
                out += struct.pack(e + "HHQ", tag, kind if kind != 4 or max(values) < 2**32 else 16, len(values))
            else:
                out += struct.pack(e + "HHI", tag, kind, len(values))
            if size > inline:
                out += struct.pack(e + ("Q" if big else "I"), values_at[tag])
            else:
                field = struct.pack(e + type_code[kind] * len(values), *values)
                out += field + bytes(inline - len(field))
        link_at = len(out)
        out += bytes(8 if big else 4)
        struct.pack_into(e + ("Q" if big else "I"), out, previous_link, ifd_at)
        previous_link = link_at
    return bytes(out)


def tiff_page(width, height, spp=3, bps=8, photometric=2, kind="gradient", extra=()):
    rows = pattern_rows(width, height, spp, bps, kind)
    return (width, height, spp, bps, photometric, b"".join(rows), list(extra))


def webp_chunks(data):
    chunks, at = [], 12
    while at + 8 <= len(data):
        kind = data[at:at + 4]
        size = struct.unpack("<I", data[at + 4:at + 8])[0]
        chunks.append((kind, data[at + 8:at + 8 + size]))
        at += 8 + size + (size & 1)
    return chunks


def riff(chunks):
    body = b"WEBP" + b"".join(k + struct.pack("<I", len(d)) + d + (b"\x00" if len(d) & 1 else b"") for k, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def make_animated_webp(frame_webp, frames=3):
    """An animated WebP (VP8X + ANIM + ANMF) whose frames are the seed's VP8 bitstream."""
    vp8 = [d for k, d in webp_chunks(frame_webp) if k == b"VP8 "][0]
    width = struct.unpack("<H", vp8[6:8])[0] & 0x3FFF
    height = struct.unpack("<H", vp8[8:10])[0] & 0x3FFF
    vp8x = struct.pack("<I", 0x02) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    chunks = [(b"VP8X", vp8x), (b"ANIM", struct.pack("<IH", 0, 0))]
    for _ in range(frames):
        frame = (bytes(6) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
                 + (100).to_bytes(3, "little") + b"\x00" + b"VP8 " + struct.pack("<I", len(vp8)) + vp8
                 + (b"\x00" if len(vp8) & 1 else b""))
        chunks.append((b"ANMF", frame))
    return riff(chunks)


def jpeg_segments(data):
    """(marker, offset of the marker, payload offset, payload length) up to the first SOS."""
    at, out = 2, []
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        out.append((marker, at, at + 4, length - 2))
        if marker == 0xDA:
            break
        at += 2 + length
    return out


def jpeg_with_size(data, width, height):
    data = bytearray(data)
    for marker, _, payload, _ in jpeg_segments(data):
        if marker in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", data, payload + 1, height, width)
    return bytes(data)


def jpeg_with_orientation(data, value):
    data = bytearray(data)
    for marker, _, payload, length in jpeg_segments(data):
        if marker == 0xE1 and data[payload:payload + 6] == b"Exif\x00\x00":
            tiff = payload + 6
            e = "<" if data[tiff:tiff + 2] == b"II" else ">"
            ifd = tiff + struct.unpack(e + "I", data[tiff + 4:tiff + 8])[0]
            count = struct.unpack(e + "H", data[ifd:ifd + 2])[0]
            for i in range(count):
                entry = ifd + 2 + 12 * i
                if struct.unpack(e + "H", data[entry:entry + 2])[0] == 0x0112:
                    struct.pack_into(e + "H", data, entry + 8, value)
                    return bytes(data)
    raise ValueError("no orientation tag")


def flip_bytes(data, start, count, seed=7):
    rng = random.Random(seed)
    data = bytearray(data)
    for i in range(start, min(len(data), start + count)):
        data[i] ^= rng.randrange(1, 256)
    return bytes(data)


def bmp_header(width, height):
    header = struct.pack("<2sIHHI", b"BM", 54 + 16, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0)
    return header + info + bytes(16)


# ==================================================================================================
# Structural decoders for the output files (complete: every byte of the pixel data is accounted for)
# ==================================================================================================


def lzw_decode(data):
    """TIFF LZW (MSB first, early change); returns the decoded bytes."""
    out = bytearray()
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    width, acc, nacc, prev = 9, 0, 0, None
    it = iter(data)
    while True:
        while nacc < width:
            byte = next(it, None)
            if byte is None:
                return bytes(out)
            acc = (acc << 8) | byte
            nacc += 8
        code = (acc >> (nacc - width)) & ((1 << width) - 1)
        nacc -= width
        if code == 256:
            table = table[:258]
            width, prev = 9, None
            continue
        if code == 257:
            return bytes(out)
        if prev is None:
            if code >= len(table):
                raise ValueError("LZW code before a table entry")
            entry = table[code]
        elif code < len(table):
            entry = table[code]
            table.append(prev + entry[:1])
        elif code == len(table):
            entry = prev + prev[:1]
            table.append(entry)
        else:
            raise ValueError("bad LZW code")
        out += entry
        prev = entry
        if len(table) >= (1 << width) - 1 and width < 12:
            width += 1


def packbits_decode(data):
    out, i = bytearray(), 0
    while i < len(data):
        n = data[i]
        i += 1
        if n < 128:
            out += data[i:i + n + 1]
            i += n + 1
        elif n > 128:
            out += data[i:i + 1] * (257 - n)
            i += 1
    return bytes(out)


def check_png(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    at, idat, ihdr, ended, frames = 8, [], None, False, 0
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if len(body) != length or at + 12 + length > len(data):
            raise ValueError(f"chunk {kind!r} is cut short")
        if zlib.crc32(kind + body) & 0xFFFFFFFF != struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0]:
            raise ValueError(f"chunk {kind!r} has a bad CRC")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"acTL":
            frames = struct.unpack(">I", body[:4])[0]
        elif kind == b"IEND":
            ended = True
            break
        at += 12 + length
    if not ihdr or not ended:
        raise ValueError("no IHDR or no IEND")
    width, height, depth, color, _, _, interlace = ihdr
    raw = zlib.decompressobj()
    pixels = raw.decompress(b"".join(idat))
    if not raw.eof:
        raise ValueError("the image data stops before its end")
    bits = CHANNELS[color] * depth
    if interlace:
        expected = 0
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
                               (0, 1, 1, 2)]:
            cols, rows = len(range(x0, width, dx)), len(range(y0, height, dy))
            if cols and rows:
                expected += rows * (1 + (cols * bits + 7) // 8)
    else:
        expected = height * (1 + (width * bits + 7) // 8)
    if len(pixels) != expected:
        raise ValueError(f"{len(pixels)} bytes of pixels, {expected} expected")
    return {"format": "png", "width": width, "height": height, "depth": depth, "frames": frames}


def check_jpeg(data):
    if data[:2] != b"\xff\xd8":
        raise ValueError("no JPEG start marker")
    at, size, scans = 2, None, 0
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            raise ValueError(f"no marker at byte {at}")
        marker = data[at + 1]
        if marker == 0xD9:
            if size is None or scans == 0:
                raise ValueError("ends before a frame and a scan")
            return {"format": "jpeg", "width": size[0], "height": size[1]}
        if marker == 0xFF:
            at += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if at + 2 + length > len(data):
            raise ValueError("a segment is cut short")
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            if width == 0 or height == 0:
                raise ValueError("a zero frame size")
            size = (width, height)
        at += 2 + length
        if marker == 0xDA:
            scans += 1
            while at + 1 < len(data):  # entropy-coded data up to the next marker
                if data[at] == 0xFF and data[at + 1] != 0x00 and not 0xD0 <= data[at + 1] <= 0xD7:
                    break
                at += 1
    raise ValueError("no end-of-image marker (truncated)")


def check_tiff(data):
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if not order:
        raise ValueError("no TIFF byte order")
    magic = struct.unpack(order + "H", data[2:4])[0]
    big = magic == 43
    if magic not in (42, 43):
        raise ValueError("no TIFF magic number")
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8}
    codes = {1: "B", 3: "H", 4: "I", 16: "Q", 8: "h", 9: "i", 17: "q"}
    ifd = struct.unpack(order + ("Q" if big else "I"), data[8:16] if big else data[4:8])[0]
    pages, seen = [], set()
    while ifd:
        if ifd in seen or ifd + 2 > len(data):
            raise ValueError("a directory loop or a directory outside the file")
        seen.add(ifd)
        count = struct.unpack(order + ("Q" if big else "H"), data[ifd:ifd + (8 if big else 2)])[0]
        if count == 0:
            raise ValueError(f"page {len(pages) + 1} is an empty directory")
        entry_size, at = (20, ifd + 8) if big else (12, ifd + 2)
        if at + count * entry_size + (8 if big else 4) > len(data):
            raise ValueError("a directory is cut short")
        tags = {}
        for i in range(count):
            e = at + i * entry_size
            tag, kind = struct.unpack(order + "HH", data[e:e + 4])
            n = struct.unpack(order + ("Q" if big else "I"), data[e + 4:e + (12 if big else 8)])[0]
            size = sizes.get(kind, 1) * n
            inline = 8 if big else 4
            value_at = e + (12 if big else 8)
            if size > inline:
                value_at = struct.unpack(order + ("Q" if big else "I"), data[value_at:value_at + inline])[0]
            if value_at + size > len(data):
                raise ValueError(f"tag {tag} points outside the file")
            if kind in codes and n <= 1 << 20:
                tags[tag] = list(struct.unpack(order + codes[kind] * n, data[value_at:value_at + size]))
        for required in (256, 257):
            if required not in tags:
                raise ValueError(f"page {len(pages) + 1} has no tag {required}")
        width, height = tags[256][0], tags[257][0]
        spp = tags.get(277, [1])[0]
        bps = tags.get(258, [1] * spp)
        compression = tags.get(259, [1])[0]
        planar = tags.get(284, [1])[0]
        if 273 in tags:
            offsets, counts = tags[273], tags.get(279, [])
            rows_per = min(tags.get(278, [height])[0], height)
            piece_w, piece_h = width, rows_per
        elif 324 in tags:
            offsets, counts = tags[324], tags.get(325, [])
            piece_w, piece_h = tags[322][0], tags[323][0]
        else:
            raise ValueError(f"page {len(pages) + 1} has neither strips nor tiles")
        if len(offsets) != len(counts) or not offsets:
            raise ValueError("strip offsets and byte counts disagree")
        row_bytes = (piece_w * (sum(bps) if planar == 1 else bps[0]) + 7) // 8
        decoded = 0
        for index, (offset, nbytes) in enumerate(zip(offsets, counts)):
            if offset + nbytes > len(data):
                raise ValueError("a strip lies outside the file")
            piece = data[offset:offset + nbytes]
            rows = piece_h
            if 273 in tags:
                rows = min(piece_h, height - (index % max(1, -(-height // piece_h))) * piece_h)
            need = rows * row_bytes
            if compression == 1:
                got = len(piece)
            elif compression == 5:
                got = len(lzw_decode(piece))
            elif compression in (8, 32946):
                got = len(zlib.decompress(piece))
            elif compression == 32773:
                got = len(packbits_decode(piece))
            else:
                got = need  # JPEG or other codecs: bounds only
            if got < need:
                raise ValueError(f"strip {index} holds {got} bytes of pixels, {need} expected")
            decoded += got
        pages.append((width, height, tags.get(297)))
        link = at + count * entry_size
        ifd = struct.unpack(order + ("Q" if big else "I"), data[link:link + (8 if big else 4)])[0]
    if not pages:
        raise ValueError("no page")
    for number, (_, _, page_number) in enumerate(pages):
        if page_number and len(page_number) == 2 and page_number[1] not in (0, len(pages)):
            raise ValueError(f"page {number + 1} says it is one of {page_number[1]} pages; the file has {len(pages)}")
    return {"format": "tiff", "width": pages[0][0], "height": pages[0][1], "pages": len(pages)}


def check_webp(data):
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("no RIFF/WEBP header")
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        raise ValueError("the RIFF size is not the file size")
    size, at = None, 12
    while at < len(data):
        if at + 8 > len(data):
            raise ValueError("a chunk header is cut short")
        kind = data[at:at + 4]
        length = struct.unpack("<I", data[at + 4:at + 8])[0]
        body = data[at + 8:at + 8 + length]
        if len(body) != length:
            raise ValueError(f"chunk {kind!r} is cut short")
        if kind == b"VP8 ":
            if body[3:6] != b"\x9d\x01\x2a":
                raise ValueError("no VP8 start code")
            size = (struct.unpack("<H", body[6:8])[0] & 0x3FFF, struct.unpack("<H", body[8:10])[0] & 0x3FFF)
        elif kind == b"VP8L":
            if body[0] != 0x2F:
                raise ValueError("no VP8L signature")
            bits = struct.unpack("<I", body[1:5])[0]
            size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        at += 8 + length + (length & 1)
    if not size:
        raise ValueError("no image data chunk")
    return {"format": "webp", "width": size[0], "height": size[1]}


def check_image(path):
    data = Path(path).read_bytes()
    if not data:
        raise ValueError("empty file")
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        info = check_png(data)
    elif data[:2] == b"\xff\xd8":
        info = check_jpeg(data)
    elif data[:2] in (b"II", b"MM"):
        info = check_tiff(data)
    elif data[:4] == b"RIFF":
        info = check_webp(data)
    else:
        raise ValueError("not a PNG, JPEG, TIFF or WebP file")
    extension = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "tif": "tiff", "tiff": "tiff", "webp": "webp"}
    if extension.get(Path(path).suffix.lower().lstrip(".")) != info["format"]:
        raise ValueError(f"a {info['format']} file named {Path(path).name}")
    return info


# ==================================================================================================
# Running one case
# ==================================================================================================


class Case:
    def __init__(self, name, category, prepare, exit=None, msg=None, forbid=None, seconds=None, outputs=None,
                 timeout=60, tool="cli", needs_root=False, signals=None, trigger=None, check=None, note="",
                 soft=False):
        self.name, self.category, self.prepare = name, category, prepare
        self.exit, self.msg, self.forbid, self.seconds = exit, msg, forbid, seconds
        self.outputs = outputs  # "none", "some" or None (whatever is there must decode)
        self.timeout, self.tool, self.needs_root = timeout, tool, needs_root
        self.signals, self.trigger, self.check, self.note = signals, trigger, check, note
        self.soft = soft  # the expectation is the probe's own, not the issue's: a miss is a warning


class Context:
    """One case's folders and settings; `prepare` fills it and returns the command."""

    def __init__(self, probe, case, root):
        self.probe, self.case, self.root = probe, case, root
        self.inp, self.out, self.models = root / "in", root / "out", root / "models"
        for d in (self.inp, self.models):
            d.mkdir(parents=True)
        self.env = dict(probe.base_env)
        self.user = None
        self.prlimit_as = None
        self.pty = False
        self.mounts = []
        self.guards = [self.inp, self.models]
        self.scan = [root]
        self.extra_checks = []
        self.mutable = set()  # earlier outputs among the inputs that --overwrite may replace
        self.argv = []

    # files -------------------------------------------------------------------------------------
    def write(self, relative, data, base=None):
        path = (base or self.inp) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def seed(self, name):
        return (SEEDS / name).read_bytes()

    def copy_model(self, folder_name, card_edit=None, weights=None, card_text=None):
        """A copy of the bundled model (card + weights) in this case's models folder, changed."""
        folder = self.models / folder_name
        folder.mkdir(parents=True)
        card = json.loads((DEFAULT_MODEL / "model.json").read_text())
        card["id"] = folder_name
        data = (DEFAULT_MODEL / "model.safetensors").read_bytes() if weights is None else weights
        if card_edit:
            card_edit(card, data)
        (folder / "model.safetensors").write_bytes(data)
        (folder / "model.json").write_text(card_text if card_text is not None else json.dumps(card, indent=2))
        return folder

    def mount_tmpfs(self, path, options):
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
        self.mounts.append(path)
        return path

    def remount(self, path, options):
        subprocess.run(["mount", "-o", "remount," + options, str(path)], check=True)

    # commands ----------------------------------------------------------------------------------
    def enhance(self, inputs, *extra, out=True, fast=True, quiet=True):
        """refine-cli enhance with the quickest settings, unless `extra` sets them itself."""
        extra = [str(e) for e in extra]
        args = [str(self.probe.cli), "enhance", *[str(i) for i in inputs]]
        if out is True:
            args += ["-o", str(self.out)]
        elif out:
            args += ["-o", str(out)]
        defaults = [("--seed", "1"), ("--threads", "1")] + ([("--preset", "Fast")] if fast else [])
        for option, value in defaults:
            if not any(e == option or e.startswith(option + "=") for e in extra):
                args += [option, value]
        if quiet:
            args += ["-q"]
        return args + extra

    def cli(self, *args):
        return [str(self.probe.cli), *[str(a) for a in args]]

    def as_nobody(self):
        self.user = "nobody"
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        os.chmod(home, 0o777)
        self.env["HOME"] = str(home)
        for d in (self.root, self.inp, self.models):
            os.chmod(d, 0o755)


def snapshot(paths):
    """Every entry under the folders: relative name -> (kind, sha256 or link target, mode)."""
    state = {}
    for base in paths:
        base = Path(base)
        if not base.exists() and not base.is_symlink():
            continue
        for top, dirs, files in os.walk(base):
            for name in dirs + files:
                path = Path(top) / name
                try:
                    st = path.lstat()
                except OSError:
                    continue
                key = str(path)
                if stat.S_ISLNK(st.st_mode):
                    state[key] = ("link", os.readlink(path), 0)
                elif stat.S_ISREG(st.st_mode):
                    state[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(st.st_mode))
                elif stat.S_ISDIR(st.st_mode):
                    state[key] = ("dir", "", stat.S_IMODE(st.st_mode))
                else:
                    state[key] = ("special", "", stat.S_IMODE(st.st_mode))
    return state


class Result:
    def __init__(self):
        self.rc, self.seconds, self.output, self.timed_out = None, 0.0, "", False
        self.sent, self.signal_at, self.exit_at, self.phase = [], None, None, ""
        self.failures, self.outputs, self.skipped, self.headline = [], [], "", ""
        self.warnings = []
        self.command = ""


def clean_text(raw):
    text = raw.decode("utf-8", "replace")
    text = ANSI.sub("", text).replace("\r\n", "\n")
    return "\n".join(part.split("\r")[-1] if "\r" in part else part for part in text.split("\n"))


def run_process(argv, env, timeout, use_pty=False, trigger=None, signals=None, ctx=None):
    """Runs argv in its own session; sends `signals` [(delay, signum)] once `trigger` says so."""
    result = Result()
    chunks = []
    lock = threading.Lock()
    if use_pty:
        import pty
        master, slave = pty.openpty()
        proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)

        def read():
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                with lock:
                    chunks.append(data)
    else:
        master = None
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)

        def read():
            for data in iter(lambda: proc.stdout.read1(65536), b""):
                with lock:
                    chunks.append(data)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    start = time.monotonic()
    fired = None
    pending = list(signals or [])
    while True:
        now = time.monotonic()
        if proc.poll() is not None:
            break
        if now - start > timeout:
            result.timed_out = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            break
        if fired is None and trigger:
            with lock:
                text = clean_text(b"".join(chunks))
            phase = trigger(now - start, text, ctx)
            if phase:
                fired, result.phase = now, phase
        while pending and fired is not None and now >= fired + pending[0][0]:
            _, signum = pending.pop(0)
            try:
                os.kill(proc.pid, signum)
            except ProcessLookupError:
                pass
            result.sent.append(signum)
            if result.signal_at is None:
                result.signal_at = time.monotonic()
        time.sleep(0.002 if (trigger and fired is None) else 0.01)
    end = time.monotonic()
    reader.join(timeout=2)
    if master is not None:
        os.close(master)
    result.rc = proc.returncode
    result.seconds = end - start
    result.exit_at = end
    result.output = clean_text(b"".join(chunks))
    return result


QT_NOISE = re.compile(r"propagateSizeHints|QStandardPaths|XDG_RUNTIME_DIR")


def headline(text, pattern=None):
    lines = [line.strip() for line in text.splitlines() if line.strip() and not QT_NOISE.search(line)]
    if pattern:
        for line in lines:
            if re.search(pattern, line, re.I):
                return line
    for line in lines:
        if line.startswith("refine-cli:") and "note:" not in line:
            return line
    return lines[0] if lines else ""


class Probe:
    def __init__(self, args):
        self.args = args
        self.build = Path(args.build).resolve()
        self.cli = self.build / "app" / "cli" / "refine-cli"
        self.app = self.build / "app" / "gui" / "refine"
        self.out = Path(args.out).resolve()
        shared = Path(args.shared) if args.shared else REPO.parent / "shared"
        self.shared = shared.resolve() if shared.is_dir() else None
        self.root = os.geteuid() == 0
        self.base_env = {k: v for k, v in os.environ.items() if not k.startswith("REFINE_")}
        self.base_env["LC_ALL"] = "C.UTF-8"
        self.base_env.pop("OMP_NUM_THREADS", None)
        self.marker = f"/tmp/refine-probe-pwned-{os.getpid()}"
        self.results = []
        self.roundtrip = []  # (case, copied output path)
        self.calibration = {}

    # ----------------------------------------------------------------------------------------
    def prefix(self, ctx):
        cmd = []
        if not self.args.no_nice:
            cmd += ["nice", "-n", str(self.args.nice)]
        cap = ctx.prlimit_as or self.args.memory_cap
        if cap and cap != "none":  # prlimit takes bytes, not "8G"
            text = str(cap)
            factor = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:].upper(), 1)
            limit = int(text[:-1] if factor > 1 else text) * factor
            cmd += ["prlimit", f"--as={limit}", "--"]
        if ctx.user == "nobody":
            cmd += ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        return cmd

    def run_case(self, case):
        result = Result()
        if case.needs_root and not self.root:
            result.skipped = "needs root (tmpfs mounts or user nobody)"
            return result
        root = self.out / case.name
        ctx = Context(self, case, root)
        try:
            argv = case.prepare(ctx)
            ctx.argv = argv
            if case.tool == "cli" and not self.cli.exists() or case.tool == "app" and not self.app.exists():
                result.skipped = "program not built"
                return result
            before = snapshot(ctx.guards)
            result.command = " ".join(shlex.quote(a) for a in self.prefix(ctx) + argv)
            command = result.command
            if case.tool == "app":
                result = self.run_app(ctx, argv)
            else:
                result = run_process(self.prefix(ctx) + argv, ctx.env, case.timeout, ctx.pty, case.trigger,
                                     case.signals, ctx)
            result.command = command
            after = snapshot(ctx.guards)
            self.check_invariants(case, ctx, result, before, after)
            invariant_failures = list(result.failures)
            self.check_expectation(case, ctx, result)
            for check in ctx.extra_checks + ([case.check] if case.check else []):
                problem = check(ctx, result)
                if problem:
                    result.failures.append(problem)
            if case.soft:
                result.warnings = result.failures[len(invariant_failures):]
                result.failures = invariant_failures
        except Exception as e:  # a probe problem must not stop the run; it fails the case
            result.failures.append(f"probe error: {type(e).__name__}: {e}")
        finally:
            for mount in reversed(ctx.mounts):
                subprocess.run(["umount", "-l", str(mount)], check=False)
            if self.root:
                subprocess.run(["chmod", "-R", "u+rwX", str(root)], check=False, stderr=subprocess.DEVNULL)
        if os.path.exists(self.marker):
            result.failures.append(f"{self.marker} exists: a pickle ran code")
            os.remove(self.marker)
        result.headline = headline(result.output, case.msg if isinstance(case.msg, str) else None).replace(
            str(root) + "/", "")
        return result

    def run_app(self, ctx, argv):
        """Starts the app, checks it is alive after a while, then terminates it with SIGTERM."""
        env = ctx.env
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "HOME"):
            folder = ctx.root / "appenv" / var.lower()
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
            env.setdefault(var, str(folder))
        env["QT_QPA_PLATFORM"] = "offscreen"
        log = (ctx.root / "app-output.txt").open("wb")
        start = time.monotonic()
        proc = subprocess.Popen(self.prefix(ctx) + argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                start_new_session=True)
        result = Result()
        alive_for = ctx.case.timeout
        while time.monotonic() - start < alive_for and proc.poll() is None:
            time.sleep(0.1)
        if proc.poll() is None:
            result.phase = f"alive after {alive_for:.0f} s"
            os.kill(proc.pid, signal.SIGTERM)
            result.sent.append(signal.SIGTERM)
            result.signal_at = time.monotonic()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                result.timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        else:
            result.phase = f"ended by itself after {time.monotonic() - start:.1f} s"
        result.exit_at = time.monotonic()
        result.rc = proc.returncode
        result.seconds = result.exit_at - start
        log.close()
        result.output = clean_text((ctx.root / "app-output.txt").read_bytes())
        return result

    # ----------------------------------------------------------------------------------------
    def check_invariants(self, case, ctx, result, before, after):
        f = result.failures
        # 1. no abort
        if result.rc is not None and result.rc < 0 and -result.rc not in result.sent:
            f.append(f"killed by signal {signal.Signals(-result.rc).name}")
        if result.rc in (134, 139):
            f.append(f"exit code {result.rc} (abort or crash)")
        crash = CRASH_TEXT.search(result.output)
        if crash:
            f.append(f"crash text in the output: {crash.group(0)!r}")
        # 2. no hang
        if result.timed_out:
            f.append(f"hang: still running after {case.timeout} s (killed)")
        # 3. no modified input
        replaced = []
        for key, value in before.items():
            if key not in after:
                f.append(f"input removed: {key}")
            elif after[key][:2] != value[:2]:
                if key in ctx.mutable:
                    replaced.append(Path(key))
                else:
                    f.append(f"input changed: {key}")
        for key in after:
            if key not in before and not OUTPUT_NAME.match(Path(key).name) and after[key][0] != "dir":
                f.append(f"new file among the inputs, not named like an output: {key}")
        # 4. no partial file; every output decodes
        outputs = list(replaced)
        for base in ctx.scan:
            for top, dirs, files in os.walk(base):
                for name in files:
                    path = Path(top) / name
                    if TEMP_NAME.search(name):
                        f.append(f"temporary file left: {path}")
                    elif OUTPUT_NAME.match(name) and not path.is_symlink() and str(path) not in before:
                        outputs.append(path)
        for path in sorted(outputs):
            try:
                info = check_image(path)
                result.outputs.append((path, info))
                # refine's consistency projection costs memory in the square of the longest side: keep
                # the decode-again check to ordinary shapes (docs/bad-input-probe.md, findings)
                if path.stat().st_size <= 8_000_000 and info["width"] * info["height"] <= 1_000_000 \
                        and max(info["width"], info["height"]) <= 2048 \
                        and case.name != "outputs-decode-in-refine":
                    copy = self.out / "_roundtrip" / f"{case.name}__{path.name}"
                    copy.parent.mkdir(exist_ok=True)
                    shutil.copyfile(path, copy)
                    self.roundtrip.append((case.name, copy))
            except Exception as e:
                f.append(f"output does not decode: {path.name}: {e}")

    def check_expectation(self, case, ctx, result):
        f = result.failures
        rc = result.rc
        if result.timed_out:
            return
        if case.exit == OPTION_ERROR:
            if rc in (0, 1, 3, 130) or rc is None or rc < 0:
                f.append(f"exit {rc}, expected an option error (another non-zero code)")
            if MODEL_LOADED.search(result.output):
                f.append("the model was loaded before the option was refused")
        elif case.exit == NONZERO:
            if rc in (0, 130) or rc is None or rc < 0:
                f.append(f"exit {rc}, expected a failure (non-zero) exit code")
        elif case.exit is not None:
            allowed = case.exit if isinstance(case.exit, (tuple, list, set)) else (case.exit,)
            if rc not in allowed:
                f.append(f"exit {rc}, expected {' or '.join(map(str, allowed))}")
        if case.msg and not re.search(case.msg, result.output, re.I):
            f.append(f"the message does not say /{case.msg}/")
        forbid = case.forbid
        if self.device == "cpu" and "--device" not in ctx.argv:  # never suggest the device already in use
            forbid = "|".join(p for p in (forbid, r"--device cpu") if p)
        if forbid:
            m = re.search(forbid, result.output, re.I)
            if m:
                f.append(f"misleading message: it says {m.group(0)!r}")
        if case.seconds and result.seconds > case.seconds:
            f.append(f"took {result.seconds:.1f} s, at most {case.seconds} s expected")
        if result.signal_at is not None and case.tool == "cli":
            late = result.exit_at - result.signal_at
            if late > self.args.signal_limit:
                f.append(f"ended {late:.2f} s after the signal, at most {self.args.signal_limit} s expected")
        if case.outputs == "none" and result.outputs:
            f.append(f"{len(result.outputs)} output file(s) written, none expected")
        enhancing = case.tool == "cli" and "enhance" in ctx.argv
        if case.outputs == "some" and not result.outputs:
            f.append("no output file written")
        elif rc == 0 and enhancing and case.outputs != "none" and not result.outputs:
            f.append("exit 0 without any output file")
        if case.tool == "app" and result.phase.startswith("ended by itself"):
            f.append(f"the app {result.phase} (exit {rc})")

    # ----------------------------------------------------------------------------------------
    def calibrate(self):
        """Times refine-cli's start (to main) and the large model's load, for the signal cases."""
        info = subprocess.run([str(self.cli), "info"], capture_output=True, text=True, env=self.base_env)
        self.device = "cuda" if "cuda available: yes" in info.stdout.lower() else "cpu"
        cal = self.out / "_calibration"
        cal.mkdir(parents=True)
        nice = [] if self.args.no_nice else ["nice", "-n", str(self.args.nice)]
        t0 = time.monotonic()
        subprocess.run(nice + [str(self.cli), "enhance", str(cal / "missing.png")], capture_output=True,
                       env=self.base_env)
        self.calibration["start_s"] = round(time.monotonic() - t0, 2)
        self.large_model = write_large_model(self.out / "_large-model")
        photo = cal / "p.png"
        photo.write_bytes(make_png(16, 12))
        seen = {}

        def watch(elapsed, text, ctx):
            if MODEL_LOADED.search(text) and "t" not in seen:
                seen["t"] = elapsed
            return None
        r = run_process(nice + [str(self.cli), "enhance", str(photo), "-o", str(cal / "out"), "--model",
                                str(self.large_model), "--preset", "Fast", "--threads", "1"],
                        self.base_env, 120, trigger=watch)
        self.calibration["model_line_s"] = round(seen.get("t", r.seconds), 2)
        shutil.rmtree(cal, ignore_errors=True)

    def roundtrip_case(self):
        """Every output the cases wrote (up to 2.5 MP) decoded again by refine-cli itself."""
        files = [copy for _, copy in self.roundtrip]

        def prepare(ctx):
            ctx.guards.append(self.out / "_roundtrip")
            model = write_decoder_model(ctx.models / "decoder")
            return ctx.enhance(files, "--scale", "2", "--model", model, out=ctx.out)
        case = Case("outputs-decode-in-refine", "outputs", prepare, exit=0, timeout=600)
        result = self.run_case(case) if files else Result()
        failed = re.findall(r"refine-cli: (\S+__\S+): (.*)", result.output)
        for path, why in failed:
            result.failures.append(f"{Path(path).name}: {why}")
        result.phase = f"{len(files)} files"
        return case, result


_CACHE = {}


def cached(key, make):
    """Large generated files are made once per run."""
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def write_safetensors(path, tensors, metadata=None):
    """tensors: [(name, dtype, shape, bytes)]."""
    header, data, at = {}, bytearray(), 0
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [at, at + len(payload)]}
        data += payload
        at += len(payload)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + bytes(data))


def read_safetensors(data):
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    return n, header


def write_residual_model(folder, model_id, channels, blocks, embedding=64, clean=None):
    """A residual-shift model with zero detail weights; `clean` (channels, blocks) gives a zero clean
    upscaler too (its result is then bicubic), None keeps the bundled one."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = (DEFAULT_MODEL / "model.safetensors").read_bytes()
    n, header = read_safetensors(data)
    tensors, shapes = [], {}
    if clean is None:
        for name, spec in header.items():
            if name.startswith("clean."):
                begin, end = spec["data_offsets"]
                tensors.append((name, spec["dtype"], spec["shape"], data[8 + n + begin:8 + n + end]))
    else:
        k, kb = clean
        shapes.update({"clean.head.weight": [k, 3, 5, 5], "clean.head.bias": [k], "clean.tail.weight": [48, k, 3, 3],
                       "clean.tail.bias": [48]})
        for b in range(kb):
            p = f"clean.blocks.{b}."
            shapes.update({p + "conv1.weight": [k, k, 3, 3], p + "conv1.bias": [k], p + "conv2.weight": [k, k, 3, 3],
                           p + "conv2.bias": [k]})
    c, e = channels, embedding
    shapes.update({"detail.embed.0.weight": [e, 32], "detail.embed.0.bias": [e], "detail.embed.2.weight": [e, e],
                   "detail.embed.2.bias": [e], "detail.head.weight": [c, 96, 3, 3], "detail.head.bias": [c],
                   "detail.tail.weight": [48, c, 3, 3], "detail.tail.bias": [48]})
    for b in range(blocks):
        p = f"detail.blocks.{b}."
        shapes.update({p + "conv1.weight": [c, c, 3, 3], p + "conv1.bias": [c], p + "conv2.weight": [c, c, 3, 3],
                       p + "conv2.bias": [c], p + "modulation.weight": [2 * c, e], p + "modulation.bias": [2 * c]})
    for name, shape in sorted(shapes.items()):
        count = 1
        for size in shape:
            count *= size
        tensors.append((name, "F16", shape, bytes(2 * count)))
    tensors.sort()
    write_safetensors(folder / "model.safetensors", tensors, {"format": "refine-residual-shift"})
    card = json.loads((DEFAULT_MODEL / "model.json").read_text())
    card.update({"id": model_id, "sha256": hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()})
    card["residual_shift"]["detail"] = {"blocks": blocks, "channels": c, "embedding": e}
    if clean is not None:
        card["residual_shift"]["clean"] = {"blocks": clean[1], "channels": clean[0]}
    card.pop("parameters", None)
    (folder / "model.json").write_text(json.dumps(card, indent=2))
    return folder


def write_large_model(folder):
    """About 150 MB of weights: a load long enough to be interrupted."""
    return write_residual_model(folder, "probe-large", channels=512, blocks=16)


def write_decoder_model(folder):
    """The smallest model the card allows, all zeros: refine-cli with it decodes, resizes and encodes, nearly
    nothing else (its clean result is bicubic), so every output can be decoded again by refine itself quickly."""
    return write_residual_model(folder, "probe-decoder", channels=8, blocks=1, embedding=8, clean=(4, 0))


# ==================================================================================================
# The cases
# ==================================================================================================


def build_cases(probe):
    cases = []

    def add(*args, **kw):
        cases.append(Case(*args, **kw))

    def photo_case(name, filename, make, exit=EXIT_FAILED, msg=None, extra=(), seconds=None, category="bad images",
                   outputs=None, check=None, prlimit=None, forbid=None, timeout=60):
        def prepare(ctx):
            data = make(ctx) if callable(make) else make
            path = ctx.write(filename, data)
            ctx.prlimit_as = prlimit
            return ctx.enhance([path], *extra)
        add(name, category, prepare, exit=exit, msg=msg, seconds=seconds, outputs=outputs, check=check,
            forbid=forbid, timeout=timeout, needs_root=False)

    seed = lambda n: (SEEDS / n).read_bytes()
    jpeg = SAMPLE_JPEG.read_bytes()
    png = make_png(64, 48, kind="noise")
    tif = make_tiff([tiff_page(48, 32)])
    webp = seed("rgb.webp")
    READABLE = r"not a readable image|truncated|damaged|corrupt|cannot|unknown format|not a"
    BOMB = r"pixels|MP|too large|megapixel|memory"

    # ---- bad images: empty, text, wrong extension ----------------------------------------------
    for ext in ("jpg", "png", "tif", "webp", "bmp"):
        photo_case(f"image-empty-{ext}", f"empty.{ext}", b"", msg="empty", seconds=15, outputs="none")
    photo_case("image-text-named-jpg", "notes.jpg", b"Shopping list:\nmilk\neggs\n" * 20, msg=READABLE,
               outputs="none")
    photo_case("image-text-named-png", "notes.png", b"just text, not a PNG\n", msg=READABLE, outputs="none")
    photo_case("image-html-named-webp", "page.webp", b"<!doctype html><html><body>404</body></html>",
               msg=READABLE, outputs="none")
    photo_case("image-random-bytes-jpg", "noise.jpg", random.Random(3).randbytes(4096), msg=READABLE,
               outputs="none")
    photo_case("image-gif-named-png", "anim.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", msg="GIF",
               outputs="none")
    photo_case("image-png-named-jpg", "realpng.jpg", png, exit=0, outputs="some")
    photo_case("image-jpeg-named-png", "realjpeg.png", jpeg, exit=0, outputs="some")
    photo_case("image-tiff-named-webp", "realtiff.webp", tif, exit=0, outputs="some")
    photo_case("image-webp-named-tif", "realwebp.tif", webp, exit=0, outputs="some")

    # ---- truncated and corrupt ----------------------------------------------------------------
    photo_case("image-jpeg-truncated-half", "half.jpg", jpeg[:len(jpeg) // 2], msg=READABLE, outputs="none")
    photo_case("image-jpeg-truncated-header", "head.jpg", jpeg[:200], msg=READABLE, outputs="none")
    photo_case("image-jpeg-no-eoi", "noeoi.jpg", jpeg[:-2], exit=(0, 1), msg=None)
    photo_case("image-jpeg-soi-only", "soi.jpg", b"\xff\xd8", msg=READABLE, outputs="none")
    photo_case("image-jpeg-flipped-scan", "flipped.jpg", flip_bytes(jpeg, 700, 400), exit=(0, 1))
    photo_case("image-jpeg-flipped-tables", "tables.jpg", flip_bytes(jpeg, 20, 300, seed=2), exit=(0, 1))
    photo_case("image-png-truncated-half", "half.png", png[:len(png) // 2], msg=READABLE, outputs="none")
    photo_case("image-png-signature-only", "sig.png", png[:8], msg=READABLE, outputs="none")
    photo_case("image-png-no-iend", "noiend.png", png[:-12], exit=(0, 1))
    photo_case("image-png-bad-ihdr-crc", "crc.png", png[:29] + b"\x00\x00\x00\x00" + png[33:], exit=(0, 1),
               msg=None)
    photo_case("image-png-corrupt-zlib", "zlib.png", flip_bytes(png, 60, 200), msg=READABLE, exit=(0, 1))
    photo_case("image-png-zero-width", "zero.png", make_png(0, 16, ihdr=struct.pack(">IIBBBBB", 0, 16, 8, 2, 0, 0, 0),
                                                            idat=zlib.compress(b"")), msg=READABLE, outputs="none")
    photo_case("image-png-16bit-palette", "pal16.png",
               make_png(4, 4, ihdr=struct.pack(">IIBBBBB", 4, 4, 16, 3, 0, 0, 0), idat=zlib.compress(bytes(40))),
               msg=READABLE, outputs="none")
    photo_case("image-tiff-truncated-half", "half.tif", tif[:len(tif) // 2], msg=READABLE, outputs="none")
    photo_case("image-tiff-magic-only", "magic.tif", b"II*\x00", msg=READABLE, outputs="none")
    photo_case("image-tiff-ifd-outside", "ifd.tif", tif[:4] + struct.pack("<I", 10_000_000) + tif[8:], msg=READABLE,
               outputs="none")
    photo_case("image-tiff-strip-outside", "strip.tif",
               make_tiff([tiff_page(48, 32)], patch=lambda t: [(a, k, [9_999_999] if a == 273 else v) for a, k, v in t]),
               msg=READABLE, outputs="none")

    def ifd_loop(ctx):
        data = bytearray(make_tiff([tiff_page(8, 8), tiff_page(8, 8)]))
        first = struct.unpack("<I", data[4:8])[0]
        count = struct.unpack("<H", data[first:first + 2])[0]
        link = first + 2 + 12 * count
        second = struct.unpack("<I", data[link:link + 4])[0]
        count2 = struct.unpack("<H", data[second:second + 2])[0]
        struct.pack_into("<I", data, second + 2 + 12 * count2, first)  # page 2 links back to page 1
        return bytes(data)
    photo_case("image-tiff-ifd-loop", "loop.tif", ifd_loop, exit=(0, 1))
    photo_case("image-webp-truncated-half", "half.webp", webp[:len(webp) // 2], msg=READABLE, outputs="none")
    photo_case("image-webp-riff-only", "riff.webp", b"RIFF\x04\x00\x00\x00WEBP", msg=READABLE, outputs="none")
    photo_case("image-webp-riff-size-huge", "riffsize.webp", webp[:4] + struct.pack("<I", 0xFFFFFFF0) + webp[8:],
               exit=(0, 1))
    photo_case("image-webp-corrupt-vp8", "vp8.webp", flip_bytes(webp, 30, 60), exit=(0, 1))
    photo_case("image-bmp-truncated", "half.bmp", seed("rgb.bmp")[:60], msg=READABLE, outputs="none")

    # ---- decompression bombs: headers claiming huge sizes --------------------------------------
    photo_case("bomb-png-100000x100000", "bomb.png",
               make_png(100000, 100000, ihdr=struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0),
                        idat=zlib.compress(bytes(1000))), msg=BOMB, seconds=8, outputs="none")
    photo_case("bomb-png-9500x9500-tiny", "bomb95.png",
               make_png(9500, 9500, ihdr=struct.pack(">IIBBBBB", 9500, 9500, 8, 2, 0, 0, 0),
                        idat=zlib.compress(bytes(20000))), msg=BOMB + "|" + READABLE, seconds=10, outputs="none")
    photo_case("bomb-png-iccp-zlib-bomb", "iccp.png",
               make_png(32, 32, before_idat=[(b"iCCP", b"icc\x00\x00" + zlib.compress(bytes(64 << 20), 9))]),
               exit=(0, 1), seconds=15)
    photo_case("bomb-jpeg-65500x65500", "bomb.jpg", jpeg_with_size(jpeg, 65500, 65500), msg=BOMB, seconds=8,
               outputs="none")
    photo_case("bomb-jpeg-9000x9000", "bomb9k.jpg", jpeg_with_size(jpeg, 9000, 9000), msg=BOMB, seconds=10,
               outputs="none")
    photo_case("bomb-jpeg-9000x9000-x2", "bomb9kx2.jpg", jpeg_with_size(jpeg, 9000, 9000),
               msg=BOMB + "|" + READABLE, extra=("--scale", "2"), seconds=20, outputs="none", exit=1)
    photo_case("bomb-tiff-2e31", "bomb.tif",
               make_tiff([tiff_page(8, 8)], patch=lambda t: [(a, k, [2**31 - 1] if a in (256, 257) else v)
                                                            for a, k, v in t]), msg=BOMB + "|" + READABLE, seconds=8,
               outputs="none")
    photo_case("bomb-tiff-60000x60000", "bomb60k.tif",
               make_tiff([tiff_page(8, 8)], patch=lambda t: [(a, k, [60000] if a in (256, 257, 278) else v)
                                                            for a, k, v in t]), msg=BOMB + "|" + READABLE, seconds=8,
               outputs="none")

    def bigtiff_bomb(ctx):
        page = tiff_page(64, 64, kind="noise")
        data = make_tiff([page], big=True,
                         patch=lambda t: [(a, 16 if a in (256, 257) else k, [200000] if a in (256, 257, 278) else v)
                                          for a, k, v in t])
        return data
    photo_case("bomb-bigtiff-13kb", "bomb.tif", bigtiff_bomb, msg=BOMB + "|" + READABLE, seconds=8, outputs="none")
    photo_case("image-bigtiff-valid", "big.tif", make_tiff([tiff_page(24, 16)], big=True), exit=(0, 1))
    photo_case("bomb-webp-16383x16383", "bomb.webp",
               webp[:26] + struct.pack("<HH", 16383, 16383) + webp[30:], msg=BOMB + "|" + READABLE, seconds=8,
               outputs="none")

    def vp8x_bomb(ctx):
        data = bytearray(seed("rgba.webp"))
        data[24:27] = (0xFFFFFF).to_bytes(3, "little")
        data[27:30] = (0xFFFFFF).to_bytes(3, "little")
        return bytes(data)
    photo_case("bomb-webp-vp8x-canvas", "canvas.webp", vp8x_bomb, msg=BOMB + "|" + READABLE, seconds=8,
               outputs="none")
    photo_case("bomb-bmp-50000x50000", "bomb.bmp", bmp_header(50000, 50000), msg=BOMB + "|" + READABLE, seconds=8,
               outputs="none")

    # ---- pages, frames, depths, colour models, shapes -----------------------------------------
    def one_page_tiff(ctx, result):
        tiffs = [p for p, info in result.outputs if info["format"] == "tiff"]
        bad = [p.name for p, info in result.outputs if info.get("pages", 1) != 1]
        if not tiffs:
            return "no TIFF output"
        if bad:
            return f"output TIFF with more than one page: {bad}"
        return None
    photo_case("pages-tiff-two-pages-seed", "two.tif", seed("two_pages.tif"), exit=0, msg="page", outputs="some",
               check=one_page_tiff)
    photo_case("pages-tiff-three-pages", "three.tif",
               make_tiff([tiff_page(32, 24), tiff_page(16, 16), tiff_page(40, 8)]), exit=0, msg="page",
               outputs="some", check=one_page_tiff)
    photo_case("pages-tiff-page-number-tags", "pn.tif",
               make_tiff([tiff_page(24, 16, extra=[(297, 3, [0, 2])]), tiff_page(24, 16, extra=[(297, 3, [1, 2])])]),
               exit=0, msg="page", outputs="some", check=one_page_tiff)
    photo_case("pages-png-to-tiff-output", "totiff.png", png, exit=0, extra=("--format", "tif"), outputs="some",
               check=one_page_tiff)
    photo_case("frames-apng", "anim.png", make_apng(24, 16), exit=0, msg="frame|animat", outputs="some")
    photo_case("frames-webp-animated", "anim.webp", make_animated_webp(webp), exit=0, msg="frame|animat",
               forbid="damaged", outputs="some")
    photo_case("depth-png-16bit-rgba-seed", "rgba16.png", seed("rgba16.png"), exit=0, outputs="some")
    photo_case("depth-png-16bit-rgb", "rgb16.png", make_png(32, 24, depth=16), exit=0, outputs="some")
    photo_case("depth-png-16bit-grey", "grey16.png", make_png(32, 24, color=0, depth=16), exit=0, outputs="some")
    photo_case("depth-tiff-16bit-rgba-seed", "rgba16.tif", seed("rgba16.tif"), exit=0, outputs="some")
    photo_case("depth-png-1bit", "bw.png", make_png(32, 24, color=0, depth=1), exit=0, outputs="some")
    photo_case("colour-jpeg-cmyk-seed", "cmyk.jpg", seed("cmyk_adobe.jpg"), exit=0, outputs="some")
    photo_case("colour-tiff-cmyk", "cmyk.tif", make_tiff([tiff_page(24, 16, spp=4, photometric=5)]), exit=(0, 1),
               outputs=None)
    photo_case("colour-png-grey", "grey.png", make_png(32, 24, color=0), exit=0, outputs="some")
    photo_case("colour-png-grey-alpha", "greya.png", make_png(32, 24, color=4), exit=0, outputs="some")
    photo_case("colour-png-palette", "pal.png", make_png(32, 24, color=3), exit=0, outputs="some")
    photo_case("colour-png-rgba", "rgba.png", make_png(32, 24, color=6), exit=0, outputs="some")
    photo_case("colour-tiff-grey", "grey.tif", make_tiff([tiff_page(24, 16, spp=1, photometric=1)]), exit=0,
               outputs="some")
    photo_case("colour-webp-alpha-seed", "rgba.webp", seed("rgba.webp"), exit=0, outputs="some")
    photo_case("colour-png-interlaced", "adam7.png", make_interlaced_png(33, 17), exit=0, outputs="some")
    photo_case("shape-1x1-png", "one.png", make_png(1, 1), exit=(0, 1))
    photo_case("shape-1x1-tiff", "one.tif", make_tiff([tiff_page(1, 1)]), exit=(0, 1))
    # A shape the memory plan lets through must be enhanced, or refused up front: not fail half-way.
    MIDWAY = r"ran out of memory during"
    photo_case("shape-3x100000-png", "tall.png", make_png(3, 100000), exit=(0, 1), forbid=MIDWAY, seconds=30,
               timeout=90)
    photo_case("shape-100000x3-png", "wide.png", make_png(100000, 3), exit=(0, 1), forbid=MIDWAY, seconds=30,
               timeout=90)
    photo_case("shape-8x6000-png", "narrow.png", make_png(8, 6000), exit=(0, 1), forbid=MIDWAY, seconds=30,
               timeout=90)

    # ---- EXIF orientations ---------------------------------------------------------------------
    base_jpeg = seed("orientation6.jpg")  # 6 x 4 pixels as stored

    def orientation_check(value):
        def check(ctx, result):
            if result.rc != 0 or not result.outputs:
                return None
            info = result.outputs[0][1]
            upright = (4, 6) if value in (5, 6, 7, 8) else (6, 4)
            expected = (upright[0] * 4, upright[1] * 4)
            if (info["width"], info["height"]) != expected:
                return f"output is {info['width']}x{info['height']}, {expected[0]}x{expected[1]} expected"
            return None
        return check
    for value in range(1, 9):
        photo_case(f"exif-orientation-{value}", f"o{value}.jpg", jpeg_with_orientation(base_jpeg, value), exit=0,
                   outputs="some", check=orientation_check(value))
    for value in (0, 9, 65535):
        photo_case(f"exif-orientation-invalid-{value}", f"o{value}.jpg", jpeg_with_orientation(base_jpeg, value),
                   exit=(0, 1))

    def exif_broken(ctx):
        data = bytearray(base_jpeg)
        for marker, _, payload, length in jpeg_segments(data):
            if marker == 0xE1:
                struct.pack_into("<I", data, payload + 6 + 4, 0xFFFFFF00)  # IFD0 far outside the segment
        return bytes(data)
    photo_case("exif-ifd-outside", "exifbad.jpg", exif_broken, exit=(0, 1))

    # ---- folders of inputs --------------------------------------------------------------------
    def mixed_folder(ctx):
        ctx.write("good.png", make_png(16, 12))
        ctx.write("empty.jpg", b"")
        ctx.write("text.png", b"hello")
        ctx.write("bomb.png", make_png(1, 1, ihdr=struct.pack(">IIBBBBB", 90000, 90000, 8, 2, 0, 0, 0),
                                       idat=zlib.compress(b"")))
        os.mkfifo(ctx.inp / "pipe.png")
        os.symlink("loop.jpg", ctx.inp / "loop.jpg")
        os.symlink("missing.png", ctx.inp / "dangling.png")
        return ctx.enhance([ctx.inp])
    add("folder-mixed-bad-files", "bad images", mixed_folder, exit=1, msg="empty", outputs="some",
        check=lambda ctx, r: None if any(p.name.startswith("good_") for p, _ in r.outputs) else "good.png not enhanced")

    def fifo_named(ctx):
        os.mkfifo(ctx.inp / "pipe.png")
        return ctx.enhance([ctx.inp / "pipe.png"])
    add("image-fifo-named-png", "bad images", fifo_named, exit=1, msg="regular|pipe|not a", seconds=15,
        outputs="none", timeout=30)

    def dir_named(ctx):
        (ctx.inp / "folder.jpg").mkdir()
        return ctx.enhance([ctx.inp / "folder.jpg"])
    add("image-folder-named-jpg", "bad images", dir_named, exit=1, outputs="none")

    def dev_zero(ctx):
        os.symlink("/dev/zero", ctx.inp / "zero.png")
        return ctx.enhance([ctx.inp / "zero.png"])
    add("image-link-to-dev-zero", "bad images", dev_zero, exit=1, seconds=15, outputs="none", timeout=30)

    # ==== bad models ============================================================================
    def models_case(name, make_folder, command="models", exit=0, msg=None, model_arg=None, category="bad models",
                    outputs=None, seconds=None, prlimit="16G", check=None):
        def prepare(ctx):
            target = make_folder(ctx)
            ctx.env["REFINE_MODELS_DIR"] = str(ctx.models)
            ctx.prlimit_as = prlimit
            if command == "models":
                return ctx.cli("models")
            photo = ctx.write("p.png", make_png(16, 12))
            arg = model_arg(ctx, target) if callable(model_arg) else model_arg
            return ctx.enhance([photo], *(["--model", arg] if arg else []))
        add(name, category, prepare, exit=exit, msg=msg, outputs=outputs, seconds=seconds, check=check)

    def broken_card(text):
        def make(ctx):
            folder = ctx.models / "broken"
            folder.mkdir()
            (folder / "model.json").write_text(text)
            shutil.copy(DEFAULT_MODEL / "model.safetensors", folder)
            return folder
        return make

    def weights_field(value):
        return lambda ctx: ctx.copy_model("badweights", card_edit=lambda card, data: card.update({"weights": value}))

    def card_folder(ctx):
        folder = ctx.models / "dircard"
        (folder / "model.json").mkdir(parents=True)
        shutil.copy(DEFAULT_MODEL / "model.safetensors", folder)
        return folder

    def card_loop(ctx):
        folder = ctx.models / "loopcard"
        folder.mkdir()
        os.symlink("model.json", folder / "model.json")
        shutil.copy(DEFAULT_MODEL / "model.safetensors", folder)
        return folder

    def folder_loop(ctx):
        os.symlink("loopdir", ctx.models / "loopdir")
        return ctx.models / "loopdir"

    def card_dev_zero(ctx):
        folder = ctx.models / "zerocard"
        folder.mkdir()
        os.symlink("/dev/zero", folder / "model.json")
        shutil.copy(DEFAULT_MODEL / "model.safetensors", folder)
        return folder

    problems = {
        "malformed-json": broken_card("{ not json"),
        "weights-not-a-string": weights_field(5),
        "weights-outside-folder": weights_field("../../../etc/passwd"),
        "weights-absolute-path": weights_field("/etc/passwd"),
        "card-is-a-folder": card_folder,
        "card-symlink-loop": card_loop,
        "folder-symlink-loop": folder_loop,
        "card-links-to-dev-zero": card_dev_zero,
        "card-is-a-json-array": broken_card("[1, 2, 3]"),
        "card-nested-100000-deep": broken_card("[" * 100000 + "]" * 100000),
        "card-2mb": broken_card('{"id": "big", "pad": "' + "x" * (2 << 20) + '"}'),
    }
    for label, make in problems.items():
        models_case(f"models-list-{label}", make, msg="skipping the model folder|refine-x4", seconds=20,
                    check=lambda ctx, r: None if "refine-x4" in r.output else "the healthy model is not listed")
    for label in ("malformed-json", "card-symlink-loop", "weights-outside-folder", "card-2mb"):
        models_case(f"models-enhance-default-beside-{label}", problems[label], command="enhance", exit=0,
                    outputs="some", model_arg=None)
    for label in ("weights-not-a-string", "weights-outside-folder", "weights-absolute-path"):
        models_case(f"model-by-id-{label}", problems[label], command="enhance", exit=EXIT_MODEL,
                    msg="weights", model_arg="badweights", outputs="none")
    for label in ("card-is-a-folder", "card-symlink-loop", "card-links-to-dev-zero", "malformed-json"):
        models_case(f"model-by-path-{label}", problems[label], command="enhance", exit=EXIT_MODEL,
                    model_arg=lambda ctx, folder: str(folder), outputs="none", seconds=20)

    def weights_variant(label, mutate, keep_sha=False, msg=None, exit=EXIT_MODEL, outputs="none", by="path"):
        def make(ctx):
            data = mutate((DEFAULT_MODEL / "model.safetensors").read_bytes())

            def edit(card, weights):
                if keep_sha == "right":
                    card["sha256"] = hashlib.sha256(weights).hexdigest()
                elif not keep_sha:
                    card.pop("sha256", None)
            return ctx.copy_model("variant", card_edit=edit, weights=data)
        arg = (lambda ctx, folder: str(folder / "model.safetensors")) if by == "path" else "variant"
        models_case(f"weights-{label}", make, command="enhance", exit=exit, msg=msg, model_arg=arg, outputs=outputs,
                    seconds=30)

    def patch_header(fn):
        def mutate(data):
            n, header = read_safetensors(data)
            header = fn(header)
            text = json.dumps(header).encode()
            return struct.pack("<Q", len(text)) + text + data[8 + n:]
        return mutate

    weights_variant("truncated-with-sha256", lambda d: d[:len(d) // 2], keep_sha=True, msg="sha256|truncated")
    weights_variant("truncated-without-sha256", lambda d: d[:len(d) // 2], msg="truncated|size|short|bytes|offset")
    weights_variant("garbage", lambda d: random.Random(5).randbytes(len(d)), msg="safetensors|header|model")
    weights_variant("empty-file", lambda d: b"", msg="safetensors|empty|short|header|model")
    weights_variant("header-length-2e60", lambda d: struct.pack("<Q", 1 << 60) + d[8:], msg="header|safetensors")
    weights_variant("header-not-json", lambda d: d[:8] + b"{" * 8 + d[16:], msg="header|JSON|safetensors")
    weights_variant("offsets-beyond-file", patch_header(lambda h: {
        k: (dict(v, data_offsets=[v["data_offsets"][0], v["data_offsets"][1] + 10**12]) if k.endswith("tail.weight")
            else v) for k, v in h.items()}), msg="offset|bytes|size|beyond|outside")
    weights_variant("shape-disagrees-with-bytes", patch_header(lambda h: {
        k: (dict(v, shape=[4096, 4096, 3, 3]) if k == "clean.head.weight" else v) for k, v in h.items()}),
        msg="shape|size|bytes")
    weights_variant("unknown-dtype", patch_header(lambda h: {
        k: (dict(v, dtype="F8_E9M9") if k == "clean.head.bias" else v) for k, v in h.items()}), msg="dtype|type")
    weights_variant("missing-tensor", patch_header(lambda h: {k: v for k, v in h.items() if k != "detail.tail.bias"}),
                    msg="missing|tail")
    weights_variant("valid-without-sha256", lambda d: d, keep_sha=False, msg=None, exit=0, outputs="some")

    def wrong_sha(ctx):
        return ctx.copy_model("variant", card_edit=lambda card, data: card.update({"sha256": "0" * 64}))
    models_case("weights-wrong-sha256-in-card", wrong_sha, command="enhance", exit=EXIT_MODEL, msg="sha256",
                model_arg="variant", outputs="none")

    def nan_weights(value):
        def mutate(data):
            n, header = read_safetensors(data)
            data = bytearray(data)
            for name, spec in header.items():
                if name.startswith("clean.") and name != "__metadata__":
                    begin, end = spec["data_offsets"]
                    data[8 + n + begin:8 + n + end] = value * ((end - begin) // 2)
            return bytes(data)
        return mutate
    NONFINITE = r"not finite|NaN|invalid"
    for label, value in (("nan", b"\x00\x7e"), ("inf", b"\x00\x7c")):
        weights_variant(f"{label}-without-sha256", nan_weights(value), msg=NONFINITE, exit=(1, 3), by="id")
        weights_variant(f"{label}-with-right-sha256", nan_weights(value), keep_sha="right", msg=NONFINITE,
                        exit=(1, 3), by="path")

    def card_variant(label, edit, msg, exit=EXIT_MODEL, seconds=20, by="id"):
        def make(ctx):
            return ctx.copy_model("variant", card_edit=lambda card, data: edit(card))
        arg = "variant" if by == "id" else (lambda ctx, folder: str(folder))
        models_case(f"card-{label}", make, command="enhance", exit=exit, msg=msg, model_arg=arg, outputs="none",
                    seconds=seconds)

    def sr3(unet=None, schedule=None):
        def edit(card):
            card["kind"] = "sr3"
            card.pop("residual_shift", None)
            card["presets"] = [{"name": "Balanced", "sampler": "ddim", "steps": 4}]
            card["unet"] = dict({"in_channel": 6, "out_channel": 3, "inner_channel": 8, "norm_groups": 4,
                                 "channel_multiplier": [1, 2], "attn_res": [], "res_blocks": 1, "dropout": 0,
                                 "image_size": 64}, **(unet or {}))
            card["beta_schedule"] = dict({"schedule": "linear", "n_timestep": 100, "linear_start": 1e-6,
                                          "linear_end": 0.01}, **(schedule or {}))
        return edit
    card_variant("sr3-inner-channel-200000", sr3({"inner_channel": 200000}), msg="inner_channel")
    card_variant("sr3-inner-channel-200000-by-path", sr3({"inner_channel": 200000}), msg="inner_channel", by="path")
    card_variant("sr3-n-timestep-2000000000", sr3(schedule={"n_timestep": 2000000000}), msg="timestep|n_timestep")
    card_variant("sr3-n-timestep-negative", sr3(schedule={"n_timestep": -1}), msg="timestep|n_timestep")
    card_variant("sr3-channel-multiplier-huge", sr3({"channel_multiplier": [1, 2**30]}), msg="multiplier|channel")
    card_variant("sr3-weights-do-not-match", sr3(), msg="tensor|missing|unexpected|shape")
    card_variant("default-preset-unknown-sampler",
                 lambda c: c.update({"presets": [{"name": "Balanced", "sampler": "euler", "steps": 4}]}),
                 msg="preset|sampler|euler")
    card_variant("default-preset-not-a-preset", lambda c: c.update({"default_preset": "Turbo"}), msg="Turbo|preset")
    card_variant("preset-steps-2000000000",
                 lambda c: c.update({"presets": [{"name": "Balanced", "sampler": "resshift", "steps": 2000000000}]}),
                 msg="steps|preset")
    card_variant("residual-channels-100000", lambda c: c["residual_shift"]["detail"].update({"channels": 100000}),
                 msg="channels")
    card_variant("native-scale-1000", lambda c: c.update({"native_scale": 1000, "kind": "sr3"}),
                 msg="native_scale|scale|unet|tensor")
    card_variant("kind-unknown", lambda c: c.update({"kind": "gan"}), msg="kind")
    card_variant("steps-not-a-number",
                 lambda c: c.update({"presets": [{"name": "Balanced", "sampler": "resshift", "steps": "four"}]}),
                 msg="steps|number")

    # hostile and broken .pth checkpoints
    class Hostile:
        def __init__(self, command):
            self.command = command

        def __reduce__(self):
            return (os.system, (self.command,))

    def pth_zip(payload):
        def make(ctx):
            folder = ctx.models / "pth"
            folder.mkdir()
            with zipfile.ZipFile(folder / "evil.pth", "w", zipfile.ZIP_STORED) as z:
                z.writestr("archive/data.pkl", payload)
                z.writestr("archive/version", "3\n")
            return folder / "evil.pth"
        return make

    touch = f"touch {probe.marker}"
    pickles = {
        "pth-hostile-os-system": pickle.dumps(Hostile(touch), protocol=2),
        "pth-hostile-in-state-dict": pickle.dumps({"denoise_fn.downs.0.weight": Hostile(touch)}, protocol=2),
        "pth-hostile-builtins-eval": (b"\x80\x02cbuiltins\neval\nX" + struct.pack("<I", len(f"__import__('os').system('{touch}')"))
                                     + f"__import__('os').system('{touch}')".encode() + b"\x85R."),
        "pth-hostile-protocol-5": pickle.dumps(Hostile(touch), protocol=5),
    }
    for label, payload in pickles.items():
        models_case(label, pth_zip(payload), command="enhance", exit=EXIT_MODEL, msg="refuse|not allowed|pickle|global",
                    model_arg=lambda ctx, path: str(path), outputs="none")

    def raw_file(name, data):
        def make(ctx):
            path = ctx.models / name
            path.write_bytes(data)
            return path
        return make
    models_case("pth-legacy-raw-pickle", raw_file("legacy.pth", pickle.dumps(Hostile(touch), protocol=2)),
                command="enhance", exit=EXIT_MODEL, model_arg=lambda ctx, p: str(p), outputs="none")
    models_case("pth-garbage", raw_file("garbage.pth", random.Random(9).randbytes(5000)), command="enhance",
                exit=EXIT_MODEL, model_arg=lambda ctx, p: str(p), outputs="none")
    models_case("pth-empty", raw_file("empty.pth", b""), command="enhance", exit=EXIT_MODEL,
                model_arg=lambda ctx, p: str(p), outputs="none")

    def zip_claims_4gb(ctx):
        path = pth_zip(pickle.dumps({}, protocol=2))(ctx)
        data = bytearray(path.read_bytes())
        at = data.rfind(b"PK\x01\x02")
        while at >= 0:
            struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)  # uncompressed size in the central directory
            at = data.rfind(b"PK\x01\x02", 0, at)
        path.write_bytes(bytes(data))
        return path
    models_case("pth-zip-record-claims-4gb", zip_claims_4gb, command="enhance", exit=EXIT_MODEL,
                model_arg=lambda ctx, p: str(p), outputs="none", seconds=20)

    def link_to(target, name):
        def make(ctx):
            os.symlink(target, ctx.models / name)
            return ctx.models / name
        return make
    models_case("model-link-to-dev-zero", link_to("/dev/zero", "zero.safetensors"), command="enhance",
                exit=EXIT_MODEL, model_arg=lambda ctx, p: str(p), outputs="none", seconds=20)
    models_case("model-unknown-name", lambda ctx: None, command="enhance", exit=EXIT_MODEL, msg="no model named",
                model_arg="no-such-model", outputs="none")
    models_case("model-unknown-extension", raw_file("weights.txt", b"hello"), command="enhance", exit=EXIT_MODEL,
                msg="format|safetensors", model_arg=lambda ctx, p: str(p), outputs="none")
    models_case("model-empty-folder", lambda ctx: (ctx.models / "emptydir").mkdir() or ctx.models / "emptydir",
                command="enhance", exit=EXIT_MODEL, msg="not found|no model|does not exist",
                model_arg=lambda ctx, p: str(p), outputs="none")

    def file_models_dir(ctx):
        (ctx.inp / "file.txt").write_text("not a folder")
        ctx.env["REFINE_MODELS_DIR"] = str(ctx.inp / "file.txt") + ":" + str(ctx.root / "missing")
        return ctx.cli("models")
    add("models-dir-is-a-file-or-missing", "bad models", file_models_dir, exit=0, msg="refine-x4")

    def unreadable_models(ctx):
        ctx.as_nobody()
        shutil.copytree(DEFAULT_MODEL, ctx.models / "locked", ignore=shutil.ignore_patterns("*.md", "*.csv", "*.txt"))
        os.chmod(ctx.models / "locked", 0o000)
        ctx.env["REFINE_MODELS_DIR"] = str(ctx.models)
        return ctx.cli("models")
    add("models-unreadable-folder-as-nobody", "bad models", unreadable_models, exit=0, msg="refine-x4",
        needs_root=True)

    # ==== bad options ==========================================================================
    def option_case(name, *options, exit=OPTION_ERROR, msg=None, outputs=None, fast=True, forbid=None, seconds=15):
        def prepare(ctx):
            photo = ctx.write("p.png", make_png(16, 12))
            return ctx.enhance([photo], *options, fast=fast)
        add(name, "bad options", prepare, exit=exit, msg=msg, outputs=outputs, forbid=forbid, seconds=seconds)

    option_case("opt-seed-minus-5", "--seed", "-5", msg="seed")
    option_case("opt-seed-equals-minus-5", "--seed=-5", msg="seed")
    option_case("opt-seed-2-pow-64", "--seed", "18446744073709551616", msg="seed")
    option_case("opt-seed-2-pow-64-minus-1", "--seed", "18446744073709551615", exit=0, outputs="some", seconds=None)
    option_case("opt-seed-not-a-number", "--seed", "abc", msg="seed")
    option_case("opt-seed-empty", "--seed", "", msg="seed")
    option_case("opt-seed-plus-5", "--seed", "+5", msg="seed")
    option_case("opt-seed-1e3", "--seed", "1e3", msg="seed")
    for scale in ("3", "0", "32", "-4", "four"):
        option_case(f"opt-scale-{scale}", "--scale", scale, msg="scale")
    for n in ("0", "-1", "1000", "2.5"):
        option_case(f"opt-candidates-{n}", "--candidates", n, msg="candidates")
    for n in ("0", "-1", "3000"):
        option_case(f"opt-steps-{n}", "--steps", n, msg="steps")
    option_case("opt-preset-unknown", "--preset", "Ultra", exit=NONZERO, msg="Ultra|preset", outputs="none")
    option_case("opt-sampler-unknown", "--sampler", "euler", msg="sampler|euler")
    option_case("opt-sampler-wrong-family", "--sampler", "ddpm", exit=NONZERO, msg="ddpm|sampler|residual",
                outputs="none", fast=False)
    option_case("opt-format-gif", "--format", "gif", msg="format|gif")
    option_case("opt-device-tpu", "--device", "tpu", exit=EXIT_MODEL, msg="tpu|device", outputs="none")
    option_case("opt-device-cuda-without-gpu" if probe.device == "cpu" else "opt-device-cuda-99",
                "--device", "cuda" if probe.device == "cpu" else "cuda:99", exit=EXIT_MODEL, msg="CUDA|device",
                outputs="none")
    option_case("opt-precision-fp8", "--precision", "fp8", msg="precision|fp8")
    option_case("opt-tile-1", "--tile", "1", msg="tile")
    option_case("opt-tile-100000", "--tile", "100000", msg="tile")
    option_case("opt-jpeg-quality-200", "--jpeg-quality", "200", msg="jpeg-quality|quality")
    option_case("opt-quality-200", "--quality", "200", msg="quality")
    option_case("opt-quality-0", "--quality", "0", msg="quality")
    for value in ("nan", "inf", "-1", "3", "1e400"):
        option_case(f"opt-detail-{value}", "--detail", value, msg="detail", fast=False)
    option_case("opt-eta-nan", "--eta", "nan", msg="eta", fast=False)
    option_case("opt-cascade-noise-nan-x16", "--cascade-noise", "nan", "--scale", "16", "--steps", "1", msg="cascade",
                fast=False)
    sr3_fixture = probe.shared / "fixtures" / "sr3-reference" if probe.shared else None
    if sr3_fixture and (sr3_fixture / "tiny_gen.pth").exists():
        def sr3_eta(value):
            def prepare(ctx):
                fixture = json.loads((sr3_fixture / "fixture.json").read_text())
                shutil.copy(sr3_fixture / "tiny_gen.pth", ctx.models / "tiny_gen.pth")
                (ctx.models / "tiny_gen.json").write_text(json.dumps({
                    "id": "tiny-sr3", "unet": fixture["unet"], "beta_schedule": fixture["beta_schedule"],
                    "native_scale": 4}))
                return ctx.enhance([ctx.write("p.png", make_png(16, 12))], "--model", ctx.models / "tiny_gen.pth",
                                   "--sampler", "ddim", "--steps", "2", "--eta", value, fast=False)
            return prepare
        add("opt-eta-nan-sr3-ddim", "bad options", sr3_eta("nan"), exit=OPTION_ERROR, msg="eta",
            forbid="weights may be damaged|reinstall")
        add("opt-eta-0.5-sr3-ddim", "bad options", sr3_eta("0.5"), exit=0, outputs="some")
    option_case("opt-threads-0", "--threads", "0", msg="threads")
    option_case("opt-consistency-unknown", "--consistency", "loose", msg="consistency")
    option_case("opt-unknown-option", "--frobnicate", msg="frobnicate|extra|unknown")

    def no_inputs(ctx):
        return ctx.cli("enhance", "-o", ctx.out)
    add("opt-no-inputs", "bad options", no_inputs, exit=OPTION_ERROR, msg="inputs|required")
    add("opt-unknown-subcommand", "bad options", lambda ctx: ctx.cli("sharpen", "x.png"), exit=OPTION_ERROR,
        msg="sharpen|extra|subcommand")

    def out_case(name, make_out, exit, msg=None, outputs=None, forbid=None, seconds=15):
        def prepare(ctx):
            photo = ctx.write("p.png", make_png(16, 12))
            return ctx.enhance([photo], out=make_out(ctx))
        add(name, "bad options", prepare, exit=exit, msg=msg, outputs=outputs, forbid=forbid, seconds=seconds)

    def out_file(ctx):
        (ctx.root / "afile").write_text("a file, not a folder")
        ctx.guards.append(ctx.root / "afile")
        return ctx.root / "afile"
    out_case("out-is-a-file", out_file, exit=1, msg="file, not a folder", outputs="none")
    out_case("out-is-the-input-photo", lambda ctx: ctx.inp / "p.png", exit=1, msg="file, not a folder",
             outputs="none")
    out_case("out-missing-deep-path", lambda ctx: ctx.out / "a" / "b" / "c" / "d" / "e", exit=0, outputs="some",
             seconds=None)
    out_case("out-below-a-file", lambda ctx: (out_file(ctx) / "sub"), exit=1, msg="file, not a folder|part of the path",
             outputs="none")
    out_case("out-dev-null", lambda ctx: "/dev/null", exit=1, msg="not a folder|file", outputs="none")
    out_case("out-in-proc", lambda ctx: "/proc/self/refine-probe", exit=1, msg="cannot|permission|exist",
             outputs="none")

    def same_twice(ctx):
        photo = ctx.write("p.png", make_png(16, 12))
        os.symlink("p.png", ctx.inp / "alias.png")
        return ctx.enhance([photo, photo, f"{ctx.inp}/../in/p.png", ctx.inp / "alias.png", ctx.inp])

    def one_set(ctx, result):
        names = sorted(p.name for p, _ in result.outputs)
        return None if len(names) == 1 else f"outputs {names}, one expected"
    add("in-same-photo-five-spellings", "bad options", same_twice, exit=0, msg="once", outputs="some", check=one_set)

    def earlier_output(ctx):
        ctx.write("p.png", make_png(16, 12, kind="noise"))
        ctx.write("p_x4_clean.png", make_png(64, 48, kind="noise", seed=4))
        ctx.write("p_x4_c1.png", make_png(64, 48, kind="noise", seed=5))
        ctx.mutable.add(str(ctx.inp / "p_x4_clean.png"))  # an earlier output, not an input: --overwrite replaces it
        return ctx.enhance([ctx.inp], "--overwrite", out=False)

    def not_enhanced_again(ctx, result):
        again = [p.name for p in ctx.inp.iterdir() if re.search(r"_x4_(c\d+|clean)_x4_", p.name)]
        if again:
            return f"earlier outputs enhanced again: {again}"
        if "left out" not in result.output:
            return "no note that earlier outputs were left out"
        return None
    add("in-folder-with-earlier-outputs-overwrite", "bad options", earlier_output, exit=0, check=not_enhanced_again)

    def output_named_input(ctx):
        p = ctx.write("p.png", make_png(16, 12, kind="noise"))
        c = ctx.write("p_x4_clean.png", make_png(64, 48, kind="noise", seed=5))
        return ctx.enhance([p, c], "--overwrite", out=False)
    add("in-output-name-is-an-input-overwrite", "bad options", output_named_input, exit=1,
        msg="replace an input|never replaces")

    def rerun_no_overwrite(ctx):
        p = ctx.write("p.png", make_png(16, 12))
        subprocess.run(ctx.enhance([p], out=False), capture_output=True, env=ctx.env)  # the earlier run
        return ctx.enhance([ctx.inp, p], out=False)
    add("in-rerun-without-overwrite", "bad options", rerun_no_overwrite, exit=(0, 1), msg="exists|left out")

    def loop_in_folder(ctx):
        ctx.write("good.png", make_png(16, 12))
        os.symlink("x.jpg", ctx.inp / "x.jpg")
        return ctx.enhance([ctx.inp])
    add("in-symlink-loop-x-jpg-in-folder", "bad options", loop_in_folder, exit=1, msg="loop", outputs="some")

    def loop_named(ctx):
        os.symlink("x.jpg", ctx.inp / "x.jpg")
        return ctx.enhance([ctx.inp / "x.jpg"])
    add("in-symlink-loop-named-directly", "bad options", loop_named, exit=1, msg="loop", outputs="none")

    def dangling(ctx):
        ctx.write("good.png", make_png(16, 12))
        os.symlink("gone.png", ctx.inp / "gone-link.png")
        return ctx.enhance([ctx.inp])
    add("in-dangling-link-in-folder", "bad options", dangling, exit=1, msg="does not exist|link", outputs="some")
    add("in-missing-file", "bad options", lambda ctx: ctx.enhance([ctx.inp / "nope.png"]), exit=1,
        msg="no such file|does not exist", outputs="none")
    add("in-empty-folder", "bad options", lambda ctx: ctx.enhance([ctx.inp]), exit=1, msg="no supported images",
        outputs="none")
    add("in-unsupported-extension", "bad options",
        lambda ctx: ctx.enhance([ctx.write("photo.heic", make_png(8, 8))]), exit=1, msg="not a supported",
        outputs="none")
    add("in-path-4000-chars", "bad options", lambda ctx: ctx.enhance([ctx.inp / ("a" * 4000 + ".png")]), exit=1,
        outputs="none")
    add("in-odd-file-name", "bad options",
        lambda ctx: ctx.enhance([ctx.write("ph\u00f6to \u65e5\u672c 'q\"\n.png", make_png(16, 12))]), exit=0,
        outputs="some")

    def unreadable_folder(ctx):
        ctx.as_nobody()
        locked = ctx.inp / "locked"
        ctx.write("locked/p.png", make_png(16, 12))
        os.chmod(locked, 0o000)
        os.makedirs(ctx.out, exist_ok=True)
        os.chmod(ctx.out, 0o777)
        return ctx.enhance([locked])
    add("in-unreadable-folder-as-nobody", "bad options", unreadable_folder, exit=1, msg="permission",
        forbid="does not exist|no such file", outputs="none", needs_root=True)

    def unreadable_file(ctx):
        ctx.as_nobody()
        photo = ctx.write("p.png", make_png(16, 12))
        os.chmod(photo, 0o000)
        os.makedirs(ctx.out, exist_ok=True)
        os.chmod(ctx.out, 0o777)
        return ctx.enhance([photo])
    add("in-unreadable-file-as-nobody", "bad options", unreadable_file, exit=1, msg="permission",
        forbid="does not exist|no such file", outputs="none", needs_root=True)

    def unreadable_in_listed_folder(ctx):
        ctx.as_nobody()
        os.chmod(ctx.inp, 0o777)
        ctx.write("good.png", make_png(16, 12))
        locked = ctx.write("locked.png", make_png(16, 12))
        os.chmod(locked, 0o000)
        return ctx.enhance([ctx.inp], out=False)
    add("in-unreadable-file-in-folder-as-nobody", "bad options", unreadable_in_listed_folder, exit=1,
        msg="permission", forbid="does not exist|no such file", outputs="some", needs_root=True)

    def untraversable_parent(ctx):
        ctx.as_nobody()
        ctx.write("hidden/deeper/p.png", make_png(16, 12))
        os.chmod(ctx.inp / "hidden", 0o600)
        os.makedirs(ctx.out, exist_ok=True)
        os.chmod(ctx.out, 0o777)
        return ctx.enhance([ctx.inp / "hidden" / "deeper" / "p.png"])
    add("in-untraversable-parent-as-nobody", "bad options", untraversable_parent, exit=1, msg="permission",
        forbid="does not exist|no such file", outputs="none", needs_root=True)

    # ==== archive mode (a few) ===================================================================
    def archive_bad(ctx):
        ctx.write("good.png", make_png(16, 12))
        ctx.write("bad.jpg", b"not a jpeg")
        os.symlink("loop.png", ctx.inp / "loop.png")
        return ctx.cli("archive", "plan", ctx.inp, "-o", ctx.out, "--preset", "Fast", "--seed", "1")
    add("archive-plan-bad-files", "bad options", archive_bad, exit=(0, 1), msg="bad.jpg|loop", soft=True)

    def archive_garbage(ctx):
        manifest = ctx.write("refine-archive.jsonl", b'{"not": "a manifest"}\n\x00\xff garbage\n')
        return ctx.cli("archive", "run", manifest, "--threads", "1")
    add("archive-run-garbage-manifest", "bad options", archive_garbage, exit=EXIT_ARCHIVE, msg="manifest")
    add("archive-status-missing-manifest", "bad options",
        lambda ctx: ctx.cli("archive", "status", ctx.inp / "missing.jsonl"), exit=EXIT_ARCHIVE, msg="manifest|exist")

    # ==== memory ==================================================================================
    MEMORY = r"memory"
    NOBACKTRACE = r"Exception raised from|c10::|--device cpu|bad_alloc"

    def memory_case(name, make, extra, prlimit=None, seconds=15, msg=MEMORY, exit=1):
        def prepare(ctx):
            path = ctx.write(make[0], make[1](ctx) if callable(make[1]) else make[1])
            ctx.prlimit_as = prlimit
            return ctx.enhance([path], *extra, fast=False)
        add(name, "memory", prepare, exit=exit, msg=msg, forbid=NOBACKTRACE, seconds=seconds, outputs="none",
            timeout=120)

    twelve_mp = ("photo12mp.png", lambda ctx: cached("12mp", lambda: make_png(4000, 3000, level=1)))
    memory_case("memory-12mp-x4-4-candidates", twelve_mp, ("--scale", "4", "--candidates", "4"))
    memory_case("memory-12mp-x4-4-candidates-as-8g", twelve_mp, ("--scale", "4", "--candidates", "4"), prlimit="8G")
    memory_case("memory-header-20000x5000-jpeg-x16", ("huge.jpg", jpeg_with_size(jpeg, 20000, 5000)),
                ("--scale", "16",))
    memory_case("memory-header-8000x8000-png-x16", ("huge.png", make_png(8000, 8000,
                ihdr=struct.pack(">IIBBBBB", 8000, 8000, 8, 2, 0, 0, 0), idat=zlib.compress(bytes(1000)))),
                ("--scale", "16"))
    memory_case("memory-header-8000x8000-x16-as-8g", ("huge.png", make_png(8000, 8000,
                ihdr=struct.pack(">IIBBBBB", 8000, 8000, 8, 2, 0, 0, 0), idat=zlib.compress(bytes(1000)))),
                ("--scale", "16"), prlimit="8G")
    memory_case("memory-2400x2400-x2-16-candidates-as-4g", ("flat.png", lambda ctx: make_png(2400, 2400, kind="flat")),
                ("--scale", "2", "--candidates", "16"), prlimit="4G")
    memory_case("memory-header-9000x9000-x2-as-2g", ("huge2.png", make_png(9000, 9000,
                ihdr=struct.pack(">IIBBBBB", 9000, 9000, 8, 2, 0, 0, 0), idat=zlib.compress(bytes(1000)))),
                ("--scale", "2", "--preset", "Fast"), prlimit="2G")

    def tiny_under_cap(ctx):
        ctx.prlimit_as = "1500M"
        return ctx.enhance([ctx.write("p.png", make_png(16, 12))])
    add("memory-tiny-job-as-1500m", "memory", tiny_under_cap, exit=(0, 1, 3), forbid=NOBACKTRACE, timeout=60)

    # ==== full disk =============================================================================
    def disk_case(name, size, make_inputs, extra=(), exit=1, msg=r"full|no space", check=None, beside=False,
                  outputs=None, seconds=None, options="size={size}"):
        def prepare(ctx):
            disk = ctx.mount_tmpfs(ctx.root / "disk", options.format(size=size))
            inputs = make_inputs(ctx, disk)
            if beside:
                ctx.guards.append(disk)
            return ctx.enhance(inputs, *extra, out=False if beside else disk)
        add(name, "full disk", prepare, exit=exit, msg=msg, check=check, needs_root=True, outputs=outputs,
            seconds=seconds)

    noise64 = lambda ctx, disk: [ctx.write("p.png", make_png(64, 48, kind="noise"))]
    disk_case("disk-64k-png", "64k", noise64, outputs="none")
    disk_case("disk-64k-tif", "64k", noise64, extra=("--format", "tif"), outputs="none")
    disk_case("disk-64k-jpg", "64k", noise64, extra=("--format", "jpg", "--quality", "100"), outputs="none")
    disk_case("disk-64k-webp", "64k", lambda ctx, disk: [ctx.write("p.png", make_png(128, 96, kind="noise"))],
              extra=("--format", "webp", "--quality", "100"), outputs="none")
    disk_case("disk-64k-clean-and-uncertainty", "64k", noise64,
              extra=("--preset", "Balanced", "--steps", "1", "--candidates", "2", "--clean", "--uncertainty-map"))

    def fits_one(ctx, disk):
        return [ctx.write("p.png", make_png(48, 32, kind="noise"))]
    disk_case("disk-160k-second-candidate-does-not-fit", "160k", fits_one,
              extra=("--preset", "Balanced", "--steps", "1", "--candidates", "3"))

    def beside_inputs(ctx, disk):
        path = disk / "p.png"
        path.write_bytes(make_png(64, 48, kind="noise"))
        return [path]
    disk_case("disk-64k-beside-the-input", "64k", beside_inputs, beside=True, outputs="none")
    disk_case("disk-no-inodes", "1m", noise64, options="size={size},nr_inodes=1", outputs="none", seconds=15,
              msg=r"full|no space|cannot")

    def keep_old(ctx, disk):
        old = disk / "p_x4_clean.png"
        old.write_bytes(make_png(16, 16, kind="noise"))
        ctx.old_sha = hashlib.sha256(old.read_bytes()).hexdigest()
        return [ctx.write("p.png", make_png(64, 48, kind="noise"))]

    def old_intact(ctx, result):
        path = ctx.root / "disk" / "p_x4_clean.png"
        if not path.exists():
            return "the earlier output was removed by a failed --overwrite"
        if hashlib.sha256(path.read_bytes()).hexdigest() != ctx.old_sha:
            return "the earlier output was changed by a failed --overwrite"
        return None
    disk_case("disk-64k-overwrite-keeps-earlier-output", "64k", keep_old, extra=("--overwrite",), check=old_intact)

    # ==== read-only folders =======================================================================
    def ro_case(name, prepare_dirs, exit=1, msg=r"read-only|permission", outputs="none", seconds=15, forbid=None,
                nobody=False):
        def prepare(ctx):
            if nobody:
                ctx.as_nobody()
            return prepare_dirs(ctx)
        add(name, "read-only folders", prepare, exit=exit, msg=msg, needs_root=True, outputs=outputs,
            seconds=seconds, forbid=forbid)

    def ro_out(ctx):
        disk = ctx.mount_tmpfs(ctx.root / "ro", "size=1m")
        ctx.remount(disk, "ro")
        return ctx.enhance([ctx.write("p.png", make_png(16, 12))], out=disk)
    ro_case("ro-output-tmpfs", ro_out)

    def ro_out_subdir(ctx):
        disk = ctx.mount_tmpfs(ctx.root / "ro", "size=1m")
        ctx.remount(disk, "ro")
        return ctx.enhance([ctx.write("p.png", make_png(16, 12))], out=disk / "new" / "deeper")
    ro_case("ro-output-missing-below-read-only", ro_out_subdir)

    def ro_input(ctx):
        disk = ctx.mount_tmpfs(ctx.root / "rin", "size=1m")
        (disk / "p.png").write_bytes(make_png(16, 12))
        (disk / "q.jpg").write_bytes(jpeg)
        ctx.remount(disk, "ro")
        ctx.guards.append(disk)
        return ctx.enhance([disk], out=False)
    ro_case("ro-input-folder-no-o", ro_input, msg=r"read-only|cannot take")

    def ro_input_with_o(ctx):
        disk = ctx.mount_tmpfs(ctx.root / "rin", "size=1m")
        (disk / "p.png").write_bytes(make_png(16, 12))
        ctx.remount(disk, "ro")
        ctx.guards.append(disk)
        return ctx.enhance([disk / "p.png"])
    ro_case("ro-input-folder-with-o", ro_input_with_o, exit=0, msg=None, outputs="some", seconds=None)

    def nobody_out(ctx):
        locked = ctx.root / "locked-out"
        locked.mkdir()
        os.chmod(locked, 0o555)
        return ctx.enhance([ctx.write("p.png", make_png(16, 12))], out=locked)
    ro_case("ro-output-0555-as-nobody", nobody_out, msg="permission", forbid="does not exist", nobody=True)

    def nobody_out_create(ctx):
        locked = ctx.root / "locked-parent"
        locked.mkdir()
        os.chmod(locked, 0o555)
        return ctx.enhance([ctx.write("p.png", make_png(16, 12))], out=locked / "new")
    ro_case("ro-output-parent-0555-as-nobody", nobody_out_create, msg="permission", forbid="does not exist",
            nobody=True)

    def nobody_in(ctx):
        ctx.write("p.png", make_png(16, 12))
        os.chmod(ctx.inp, 0o555)
        return ctx.enhance([ctx.inp], out=False)
    ro_case("ro-input-folder-0555-as-nobody-no-o", nobody_in, msg="permission|cannot take", nobody=True)

    def nobody_existing_output(ctx):
        os.chmod(ctx.inp, 0o777)
        photo = ctx.write("p.png", make_png(16, 12))
        old = ctx.write("p_x4_clean.png", make_png(16, 16))
        os.chmod(old, 0o444)
        return ctx.enhance([photo], out=False)
    ro_case("ro-existing-output-no-overwrite-as-nobody", nobody_existing_output, msg="exists", nobody=True)

    # ==== signals =================================================================================
    LOAD_S = probe.calibration

    def at_load(elapsed, text, ctx):
        if MODEL_LOADED.search(text):
            return "missed: the model was already loaded"
        start = LOAD_S.get("start_s", 0.3)
        loaded = LOAD_S.get("model_line_s", start + 1.0)
        return "model load" if elapsed >= start + 0.4 * max(0.05, loaded - start) else None

    def after_model_line(delay, phase):
        def trigger(elapsed, text, ctx):
            m = MODEL_LOADED.search(text)
            if not m:
                return None
            ctx.model_line_at = getattr(ctx, "model_line_at", None) or elapsed
            if elapsed - ctx.model_line_at < delay:
                return None
            return phase if not STEP.search(text) else "missed: sampling had begun"
        return trigger

    def at_step(elapsed, text, ctx):
        m = STEP.search(text)
        return f"sampling (step {m.group(1)}/{m.group(2)})" if m else None

    def at_write(elapsed, text, ctx):
        try:
            names = os.listdir(ctx.out)
        except OSError:
            return None
        if any(TEMP_NAME.search(n) for n in names):
            return "writing (a temporary file exists)"
        finals = [n for n in names if OUTPUT_NAME.match(n)]
        return f"between writes ({len(finals)} written)" if finals else None

    def no_second_begun(ctx, result):
        if result.phase.startswith("missed"):
            return f"the signal missed its phase: {result.phase}"
        if result.phase == "decode" and "not a readable image" in result.output:
            return "the decode ended (the file's damage was reported) after the signal"
        return None

    def signal_case(name, prepare_photo, extra, trigger, signals, fast=False, model=None, prlimit=None):
        def prepare(ctx):
            ctx.pty = True
            ctx.prlimit_as = prlimit
            photo = prepare_photo(ctx)
            args = ctx.enhance([photo], *extra, fast=fast, quiet=False)
            if model == "large":
                args += ["--model", str(probe.large_model)]
            elif model == "decoder":  # little work after the decode, should the signal be missed
                args += ["--model", str(write_decoder_model(ctx.models / "decoder"))]
            return args
        add(name, "signals", prepare, exit=EXIT_CANCELLED, msg="cancelled", trigger=trigger, signals=signals,
            check=no_second_begun, timeout=90)

    SIGS = {"sigint": [(0, signal.SIGINT)], "sigint-twice": [(0, signal.SIGINT), (0.15, signal.SIGINT)],
            "sigterm": [(0, signal.SIGTERM)]}
    small = lambda ctx: ctx.write("p.png", make_png(32, 24))
    big_png = lambda ctx: ctx.write("big.png", cached("16mp-slow", lambda: make_slow_png(4000, 4000)))
    sampling_photo = lambda ctx: ctx.write("s.png", make_png(96, 96, kind="noise"))
    writing_photo = lambda ctx: ctx.write("w.png", make_png(200, 150, kind="noise"))
    for label, sigs in SIGS.items():
        signal_case(f"signal-{label}-during-model-load", small, ("--preset", "Fast"), at_load, sigs, model="large")
        signal_case(f"signal-{label}-during-decode", big_png, ("--scale", "2", "--preset", "Fast"),
                    after_model_line(0.1, "decode"), sigs, model="decoder", prlimit="none")
        signal_case(f"signal-{label}-during-sampling", sampling_photo,
                    ("--preset", "Balanced", "--steps", "400", "--candidates", "4"), at_step, sigs)
        signal_case(f"signal-{label}-during-writing", writing_photo,
                    ("--preset", "Balanced", "--steps", "1", "--candidates", "6", "--clean", "--uncertainty-map"),
                    at_write, sigs)


    # ==== the desktop app =========================================================================
    def app_case(name, make, args=(), alive=6, msg=None):
        def prepare(ctx):
            extra = make(ctx) if make else []
            ctx.env["REFINE_MODELS_DIR"] = str(ctx.models)
            return [str(probe.app), *[str(a) for a in args], *[str(a) for a in extra]]
        add(name, "app", prepare, tool="app", timeout=alive, msg=msg)

    def broken_models(ctx):
        problems["malformed-json"](ctx)
        weights_field("../../../etc/passwd")(ctx)
        card_loop(ctx)
        card_folder(ctx)
        return []
    app_case("app-broken-models-folder", broken_models)

    def nan_model(ctx):
        ctx.copy_model("refine-x4", card_edit=lambda card, data: card.pop("sha256", None),
                       weights=nan_weights(b"\x00\x7e")((DEFAULT_MODEL / "model.safetensors").read_bytes()))
        return []
    app_case("app-nan-default-model", nan_model)

    def hostile_default(ctx):
        folder = ctx.models / "refine-x4"
        folder.mkdir()
        (folder / "model.json").write_text(json.dumps({"id": "refine-x4", "kind": "sr3", "unet": {
            "inner_channel": 200000}, "beta_schedule": {"n_timestep": 2000000000}}))
        (folder / "model.safetensors").write_bytes(struct.pack("<Q", 1 << 60))
        return []
    app_case("app-hostile-default-model", hostile_default)
    app_case("app-corrupt-image-argument", lambda ctx: [ctx.write("bad.jpg", b"not a jpeg at all")])
    app_case("app-truncated-jpeg-argument", lambda ctx: [ctx.write("half.jpg", jpeg[:len(jpeg) // 2])])
    app_case("app-bomb-arguments", lambda ctx: [
        ctx.write("bomb.png", make_png(1, 1, ihdr=struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0),
                                       idat=zlib.compress(b""))),
        ctx.write("bomb.jpg", jpeg_with_size(jpeg, 65500, 65500)),
        ctx.write("bomb.tif", bigtiff_bomb(ctx))])
    app_case("app-missing-and-loop-arguments", lambda ctx: [
        ctx.inp / "missing.png", (os.symlink("l.jpg", ctx.inp / "l.jpg") or ctx.inp / "l.jpg")])

    def app_folder(ctx):
        mixed_folder(ctx)
        ctx.write("two.tif", seed("two_pages.tif"))
        ctx.write("anim.webp", make_animated_webp(webp))
        ctx.write("cmyk.jpg", seed("cmyk_adobe.jpg"))
        return [ctx.inp]
    app_case("app-folder-of-bad-files", app_folder)
    app_case("app-12mp-photo", lambda ctx: [ctx.write("photo12mp.png", cached("12mp", lambda: make_png(4000, 3000,
                                                                                                     level=1)))],
             alive=8)

    def unwritable_config(ctx):
        (ctx.root / "config-file").write_text("not a folder")
        ctx.env["XDG_CONFIG_HOME"] = str(ctx.root / "config-file")
        return [ctx.write("p.png", make_png(16, 12))]
    app_case("app-config-home-is-a-file", unwritable_config)

    def app_command(*args):
        def prepare(ctx):
            ctx.env["QT_QPA_PLATFORM"] = "offscreen"
            ctx.env["XDG_CONFIG_HOME"] = str(ctx.root)
            return [str(probe.app), *args]
        return prepare
    add("app-help", "app", app_command("--help"), exit=0, msg="photos", timeout=30)
    add("app-unknown-option", "app", app_command("--frobnicate"), exit=NONZERO, msg="frobnicate", timeout=30)
    return cases


# ==================================================================================================
# Main
# ==================================================================================================


def prepare_out(out):
    """The output folder, emptied: only one the probe made before (it holds a marker) is removed."""
    if out.exists():
        if not (out / ".bad-input-probe").exists() and any(out.iterdir()):
            sys.exit(f"{out} exists and was not made by this probe; choose another --out")
        with open("/proc/mounts") as mounts:
            for line in mounts:
                point = line.split()[1]
                if point.startswith(str(out) + "/"):
                    subprocess.run(["umount", "-l", point], check=False)
        subprocess.run(["chmod", "-R", "u+rwX", str(out)], check=False, stderr=subprocess.DEVNULL)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    os.chmod(out, 0o755)
    (out / ".bad-input-probe").write_text("made by tools/probe/bad_input_probe.py\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=str(REPO / "build"), help="build folder (default: build)")
    parser.add_argument("--shared", default=None,
                        help="the shared folder (default ../shared beside the checkout): its tiny SR3 checkpoint "
                             "adds two cases; without it they are left out")
    parser.add_argument("--out", default="/tmp/refine-probe", help="work folder, emptied first")
    parser.add_argument("--only", default=None, help="run the cases whose name matches this regular expression")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--nice", type=int, default=5, help="niceness of the programs run (default 5)")
    parser.add_argument("--no-nice", action="store_true")
    parser.add_argument("--signal-limit", type=float, default=1.0,
                        help="seconds a signalled refine-cli may take to end (default 1)")
    parser.add_argument("--memory-cap", default="12G",
                        help="address-space limit (prlimit --as) of every program run, unless a case sets its own; "
                             "keeps a runaway allocation from taking the machine down (default 12G, 'none': no cap)")
    parser.add_argument("--json", default=None, help="also write the results as JSON here")
    parser.add_argument("--markdown", default=None, help="also write the results as a Markdown table here")
    args = parser.parse_args()

    probe = Probe(args)
    out = probe.out
    if args.list:
        probe.device = "cpu"
        for case in build_cases(probe):
            print(f"{case.name:55} {case.category}")
        return 0
    if not probe.cli.exists():
        sys.exit(f"{probe.cli} is not built")
    prepare_out(out)
    guarded = snapshot([DEFAULT_MODEL, SEEDS, SAMPLE_JPEG.parent])
    started = time.time()
    probe.calibrate()
    cases = build_cases(probe)
    if args.only:
        cases = [c for c in cases if re.search(args.only, c.name)]
    print(f"refine bad-input probe: {len(cases)} cases, {probe.cli}, device {probe.device}, "
          f"start {probe.calibration.get('start_s', 0):.2f} s, large model loaded at "
          f"{probe.calibration.get('model_line_s', 0):.2f} s")
    header = f"{'case':52} {'category':17} {'exit':>5} {'sec':>6}  {'verdict':7} message"
    print(header)
    print("-" * len(header))
    rows = []

    def show(case, result):
        verdict = "SKIP" if result.skipped else ("FAIL" if result.failures else ("WARN" if result.warnings else "ok"))
        message = result.skipped or result.headline
        if result.phase:
            message = f"[{result.phase}] {message}"
        rc = "-" if result.rc is None else str(result.rc)
        print(f"{case.name:52} {case.category:17} {rc:>5} {result.seconds:6.1f}  {verdict:7} {message[:110]}",
              flush=True)
        for failure in result.failures:
            print(f"{'':52}   -> {failure[:200]}", flush=True)
        for warning in result.warnings:
            print(f"{'':52}   -> warning: {warning[:200]}", flush=True)
        rows.append({"case": case.name, "category": case.category, "exit": result.rc,
                     "seconds": round(result.seconds, 2), "verdict": verdict, "message": message,
                     "failures": result.failures, "warnings": result.warnings, "command": result.command,
                     "output": result.output[-4000:]})

    for case in cases:
        show(case, probe.run_case(case))
    if not args.only or re.search(args.only, "outputs-decode-in-refine"):
        case, result = probe.roundtrip_case()
        show(case, result)
    if snapshot([DEFAULT_MODEL, SEEDS, SAMPLE_JPEG.parent]) != guarded:
        print("FAIL: the bundled model, the seed images or the sample photo changed")
        rows.append({"case": "bundled-files-unchanged", "category": "outputs", "verdict": "FAIL", "exit": None,
                     "seconds": 0, "message": "changed", "failures": ["changed"], "output": ""})

    print()
    categories = {}
    for row in rows:
        c = categories.setdefault(row["category"], {"ok": 0, "WARN": 0, "FAIL": 0, "SKIP": 0})
        c[row["verdict"]] += 1
    print(f"{'category':20} {'cases':>6} {'ok':>5} {'warn':>5} {'fail':>5} {'skip':>5}")
    for name, c in categories.items():
        print(f"{name:20} {sum(c.values()):6} {c['ok']:5} {c['WARN']:5} {c['FAIL']:5} {c['SKIP']:5}")
    total = {k: sum(c[k] for c in categories.values()) for k in ("ok", "WARN", "FAIL", "SKIP")}
    print(f"{'total':20} {sum(total.values()):6} {total['ok']:5} {total['WARN']:5} {total['FAIL']:5} {total['SKIP']:5}")
    print(f"{time.time() - started:.0f} s; work folder {out}")
    if args.markdown:
        with open(args.markdown, "w") as md:
            md.write("| category | cases | ok | warn | fail | skip |\n|---|---:|---:|---:|---:|---:|\n")
            for name, c in categories.items():
                md.write(f"| {name} | {sum(c.values())} | {c['ok']} | {c['WARN']} | {c['FAIL']} | {c['SKIP']} |\n")
            md.write(f"| **total** | **{sum(total.values())}** | {total['ok']} | {total['WARN']} | {total['FAIL']} "
                     f"| {total['SKIP']} |\n\n")
            md.write("| case | category | exit | s | verdict | message |\n|---|---|---:|---:|---|---|\n")
            for row in rows:
                text = " ".join(str(row["message"]).split()).replace("|", "\\|")[:140]
                notes = "; ".join(row["failures"] + ["warning: " + w for w in row.get("warnings", [])])
                if notes:
                    text += " **" + " ".join(notes.split()).replace("|", "\\|")[:200] + "**"
                md.write(f"| {row['case']} | {row['category']} | {row['exit']} | {row['seconds']} | {row['verdict']} "
                         f"| {text} |\n")
    if args.json:
        Path(args.json).write_text(json.dumps({"started": started, "cases": rows, "calibration": probe.calibration},
                                              indent=1))
    return 1 if total["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
