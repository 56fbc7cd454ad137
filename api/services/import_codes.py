"""The one code scheme of imported records: a source's pupil, class and teacher codes become
platform codes prefixed with the school's code.

Codes are unique in a region, but pupil numbers, class names ("3KB-A") and teacher codes repeat
between its schools, so every import (EDEXML, Zermelo, Somtoday) stores `<school code>-<code>`,
made by this one function: the same pupil read from two sources of one school is one record.
"""

from __future__ import annotations

import re

from api.models import School

CODE_CHARS = re.compile(r"[^A-Za-z0-9_.:-]+")


def platform_code(school: School, code: str) -> str:
    """A source's code as the platform's ("3 KB A" of school 05FB00 -> "05FB00-3-KB-A")."""
    return CODE_CHARS.sub("-", f"{school.code}-{code.strip()}").rstrip("-")[:64]
