"""quoteledger: direct quotations from news pages, with who said them and who published them."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"
