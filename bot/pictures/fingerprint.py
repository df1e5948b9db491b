"""What a picture shows, as a short key: equal keys mean equal PNGs, so a picture Telegram
already holds can be sent again by its file_id instead of being drawn again.

The key covers the kind of picture, everything its drawing function is given (the days done,
the labels in the user's language, today...) and the renderer itself: the source of this
package, its font files, and Pillow's and Babel's versions (Babel's CLDR data names the months
and weekdays). A change to the drawing code therefore never reuses a picture drawn by the old
code, without anyone having to remember to bump a version.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import cache
from pathlib import Path

import babel
import PIL


@cache
def renderer_version() -> str:
    digest = hashlib.sha256(f"{PIL.__version__} {babel.__version__}".encode())
    here = Path(__file__).parent
    # The names and numbers the pictures take from the locale are written by the domain's
    # localised.py: a change there is a change to the pictures too.
    words = here.parent / "domain" / "localised.py"
    for source in [*sorted(here.glob("*.py")), *sorted(here.glob("fonts/*.ttf")), words]:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _canonical(value: object) -> object:
    """A form whose repr is the same for equal inputs, whatever their order in memory."""
    if isinstance(value, set | frozenset):
        return ("set", sorted((_canonical(item) for item in value), key=repr))
    if isinstance(value, list | tuple):
        return tuple(_canonical(item) for item in value)
    if isinstance(value, dict):
        return ("dict", sorted(((repr(k), _canonical(v)) for k, v in value.items()), key=repr))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return (type(value).__qualname__, _canonical(fields))
    return value


def fingerprint(kind: str, **inputs: object) -> str:
    """A 64-character hex key for the picture `kind` drawn from `inputs`."""
    text = repr((kind, renderer_version(), _canonical(inputs)))
    return hashlib.sha256(text.encode()).hexdigest()
