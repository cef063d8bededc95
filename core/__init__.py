"""quoteledger: direct quotations from news pages, with who said them and who published them."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"

# Before any module of the package compiles its patterns (see patterncache).
from . import patterncache as _patterncache  # noqa: E402

_patterncache.install()
