"""acupoints: an offline reference to the WHO acupuncture points.

    >>> import acupoints
    >>> catalog = acupoints.load_catalog()
    >>> catalog.get("zusanli").code
    'ST36'

The package imports nothing heavy at import time: the catalog (and yaml, on a first read) is
loaded when `load_catalog` is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__ as __version__  # re-exported

__all__ = [
    "AcupointsError",
    "AmbiguousPointError",
    "Catalog",
    "CatalogError",
    "CategoryKind",
    "Caution",
    "CautionKind",
    "Category",
    "Finding",
    "Flags",
    "FrozenDict",
    "Limb",
    "Meridian",
    "Modality",
    "Needling",
    "Point",
    "Prescription",
    "Reference",
    "Region",
    "UnknownPointError",
    "UsageError",
    "load_catalog",
]

if TYPE_CHECKING:
    # each name from the module that defines it: a type checker run with --strict (no implicit
    # re-export) then knows them all
    from .catalog import Catalog, load_catalog
    from .errors import AcupointsError, AmbiguousPointError, CatalogError, UnknownPointError, UsageError
    from .flags import Flags
    from .model import Category, Caution, FrozenDict, Needling, Point, Reference
    from .prescribe import Prescription
    from .rules import Finding
    from .vocab import CategoryKind, CautionKind, Limb, Meridian, Modality, Region
else:  # the names load when first used, so `import acupoints` stays cheap

    def __getattr__(name: str) -> object:
        if name in ("Catalog", "load_catalog"):
            from . import catalog

            return getattr(catalog, name)
        if name in ("Flags", "Finding"):
            from . import safety

            return getattr(safety, name)
        if name == "Prescription":
            from .prescribe import Prescription

            return Prescription
        if name in ("CategoryKind", "CautionKind", "Limb", "Meridian", "Modality", "Region"):
            from . import vocab

            return getattr(vocab, name)
        if name in __all__:
            from . import model

            return getattr(model, name)
        raise AttributeError(f"module 'acupoints' has no attribute {name!r}")
