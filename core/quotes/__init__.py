"""The quote engine: finds direct quotations in a story's paragraphs and attributes them."""
from .engine import find_quotations

__all__ = ["find_quotations"]
