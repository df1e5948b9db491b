"""The content catalogue: routines, the safety note and interface texts, loaded from YAML.

Content lives in ``content/<locale>/`` and is validated once at start-up; a bad file stops the
bot with a message naming the file, line and field. See `load_catalog`.
"""

from .catalog import Catalog
from .errors import CatalogError
from .loader import load_catalog
from .models import Adaptations, Routine, SafetyNote, Step

__all__ = [
    "Adaptations",
    "Catalog",
    "CatalogError",
    "Routine",
    "SafetyNote",
    "Step",
    "load_catalog",
]
