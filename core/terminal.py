"""Aligned text tables for the reading commands: columns padded to their widest cell, numbers to
the right, and on a terminal the one flexible column (a quotation's words) cut to the screen's width."""
from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Column:
    title: str
    right: bool = False          # numbers
    flexible: bool = False       # the column cut to fit the screen


def terminal_width(stream=None) -> Optional[int]:
    """The screen's width when `stream` (stdout) is a terminal; None when piped (nothing is cut)."""
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size((100, 24)).columns


def colour_wanted(stream=None) -> bool:
    """ANSI colour on a terminal, unless NO_COLOR is set (no-color.org)."""
    return terminal_width(stream) is not None and not os.environ.get("NO_COLOR")


def display_width(text: str) -> int:
    """Columns a string takes on a terminal: wide East Asian characters count two, marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "\u2026"


# Characters a page may carry that would act on the terminal instead of being shown: control
# characters (ESC opens the sequences that move the cursor, recolour or retitle the window) and the
# bidirectional overrides and isolates that reorder what follows them on the line.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """Text from pages made safe to print: whitespace runs become one space, and each control or
    bidirectional control character is shown as its escape (\\x1b, \\u202e) instead of acting."""
    text = " ".join(text.split())
    if text.isprintable():
        return text
    return "".join(_escape(c) if c in _BIDI_CONTROLS or unicodedata.category(c) == "Cc" else c for c in text)


def _escape(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return printable(str(value))               # a table row is one line: no newlines or tabs from pages


def render(columns: list, rows: list, width: Optional[int] = None, gap: str = "  ") -> str:
    """The table as text, one line a row under a line of titles. width: cut the flexible column
    so each line fits (never below 20 columns of it); None cuts nothing."""
    texts = [[cell(v) for v in row] for row in rows]
    widths = [max([display_width(c.title)] + [display_width(r[i]) for r in texts]) for i, c in enumerate(columns)]
    if width is not None:
        fixed = sum(w for w, c in zip(widths, columns) if not c.flexible) + len(gap) * (len(columns) - 1)
        for i, column in enumerate(columns):
            if column.flexible and fixed + widths[i] > width:
                widths[i] = max(20, width - fixed)
    lines = []
    for row in [[c.title for c in columns]] + texts:
        parts = []
        for i, (value, column) in enumerate(zip(row, columns)):
            value = cut(value, widths[i])
            pad = " " * (widths[i] - display_width(value))
            last = i == len(columns) - 1
            parts.append(pad + value if column.right else value + ("" if last else pad))
        lines.append(gap.join(parts).rstrip())
    return "\n".join(lines)
