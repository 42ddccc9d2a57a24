#!/usr/bin/env python3
"""Draws the app icon (a white key on an indigo rounded square) as RGBA PNGs
in icons/, with no dependency beyond the standard library."""
import math, os, struct, zlib

def shape_alpha(x, y):
    """Coverage of the key at (x, y) in a 1x1 square; 1 inside the key."""
    # bow: a ring
    cx, cy = 0.36, 0.5
    d = math.hypot(x - cx, y - cy)
    if 0.085 <= d <= 0.175:
        return 1
    # shaft
    if 0.52 <= x <= 0.80 and 0.465 <= y <= 0.535:
        return 1
    # teeth
    if 0.66 <= x <= 0.71 and 0.535 <= y <= 0.63:
        return 1
    if 0.75 <= x <= 0.80 and 0.535 <= y <= 0.66:
        return 1
    return 0

def in_rounded_square(x, y, r=0.2):
    m = 0.04
    if not (m <= x <= 1 - m and m <= y <= 1 - m):
        return False
    lo, hi = m + r, 1 - m - r
    qx = min(max(x, lo), hi)
    qy = min(max(y, lo), hi)
    return math.hypot(x - qx, y - qy) <= r

def render(size, ss=4):
    bg = (79, 70, 229)
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            cover = key = 0
            for sj in range(ss):
                for si in range(ss):
                    x = (i + (si + 0.5) / ss) / size
                    y = (j + (sj + 0.5) / ss) / size
                    if in_rounded_square(x, y):
                        cover += 1
                        key += shape_alpha(x, y)
            n = ss * ss
            a = cover / n
            k = key / cover if cover else 0
            rgb = [round(c * (1 - k) + 255 * k) for c in bg]
            row += bytes(rgb + [round(a * 255)])
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

out = os.path.join(os.path.dirname(__file__), "..", "icons")
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("icon.png", 256)]:
    with open(os.path.join(out, name), "wb") as f:
        f.write(render(size))
