"""The real catalogue with every step shortened, for hands-free timing tests.

Content validation rightly refuses steps under 10 s, so the short copy is built from the
validated catalogue with model_copy instead of from files.
"""

from __future__ import annotations

from bot.catalog import Catalog, load_catalog
from bot.catalog.texts import TEXTS_FILE, read_texts
from bot.config import DEFAULT_CONTENT_DIR


def real_catalog() -> Catalog:
    return load_catalog(DEFAULT_CONTENT_DIR, default_locale="en")


def fast_catalog(step_seconds: float, *, without: tuple[str, ...] = ()) -> Catalog:
    """Every step `step_seconds` long; the routines named in `without` left out."""
    real = real_catalog()
    routines = {
        routine.id: routine.model_copy(
            update={
                "steps": [s.model_copy(update={"duration_s": step_seconds}) for s in routine.steps]
            }
        )
        for routine in real.routines("en")
        if routine.id not in without
    }
    texts, problems = read_texts(
        DEFAULT_CONTENT_DIR / "en" / TEXTS_FILE, TEXTS_FILE, "en", reference=None
    )
    assert texts is not None and not problems, problems
    return Catalog(
        "en",
        {"en": routines},
        {"en": real.safety("en")},
        {"en": texts},
        {"en": real.adaptations("en")},
        # The same strokes, so that the steps have their pictures (when a test gives them).
        {
            routine.id: {
                step.id: strokes
                for step in routine.steps
                if (strokes := real.strokes(routine.id, step.id)) is not None
            }
            for routine in real.routines("en")
        },
    )
