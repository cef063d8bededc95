"""What an outlet plugin declares about an outlet: names, publisher, domains, priority, house style."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Optional
from urllib.parse import urlparse

# Zotero's scale: site-specific 100, family of sites 150-270, generic 300 and above. Lower wins.
PRIORITY_SITE = 100
PRIORITY_AGGREGATOR = 90
PRIORITY_GENERIC = 300


@dataclass(frozen=True)
class QuoteStyle:
    """An outlet's house style: which marks open a quotation in the body and in headlines."""

    body: str = "double"        # "double" | "single"
    headline: str = "single"


@dataclass(frozen=True)
class Outlet:
    name: str
    publisher: Optional[str] = None
    aliases: tuple = ()
    domains: tuple = ()
    url_patterns: tuple = ()
    priority: int = PRIORITY_SITE
    quote_style: QuoteStyle = field(default_factory=QuoteStyle)
    # Domain -> edition name, e.g. {"thescottishsun.co.uk": "Scottish Sun"}
    editions: tuple = ()
    # Alias -> edition, for plain-text cards naming an edition ("Scottish Sun").
    edition_aliases: tuple = ()
    # A container (aggregator) republishes other outlets' stories.
    container: bool = False
    # Declared replacement of another outlet (third-party plugins only; see plugins.py).
    replaces: Optional[str] = None

    def all_names(self) -> tuple:
        return (self.name,) + tuple(self.aliases) + tuple(a for a, _ in self.edition_aliases)

    @cached_property
    def _name_keys(self) -> frozenset:
        # Every page asks every outlet; the names' keys are worked out once.
        return frozenset(name_key(n) for n in self.all_names())

    def matches_name(self, text: Optional[str]) -> bool:
        key = name_key(text)
        return bool(key) and key in self._name_keys

    def edition_for_name(self, text: Optional[str]) -> Optional[str]:
        key = name_key(text)
        for alias, edition in self.edition_aliases:
            if name_key(alias) == key:
                return edition
        return None

    def matches_url(self, url: Optional[str]) -> bool:
        host = host_of(url)
        if not host:
            return False
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return True
        return any(re.search(p, url) for p in self.url_patterns)

    def url_match(self, url: Optional[str]) -> int:
        """How closely url is this outlet's: the length of the longest of its domains the host is
        or lies under (so news.bbc.co.uk prefers bbc.co.uk over co.uk), 1 for a URL pattern
        alone, 0 when it is not this outlet's."""
        host = host_of(url)
        if not host:
            return 0
        best = max((len(d) for d in self.domains if host == d or host.endswith("." + d)), default=0)
        return best or int(any(re.search(p, url) for p in self.url_patterns))

    def edition_for_url(self, url: Optional[str]) -> Optional[str]:
        host = host_of(url)
        for domain, edition in self.editions:
            if host == domain or host.endswith("." + domain):
                return edition
        return None


@lru_cache(maxsize=4096)
def host_of(url: Optional[str]) -> str:
    if not url:
        return ""
    try:
        host = urlparse(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower()


@lru_cache(maxsize=4096)
def name_key(text: Optional[str]) -> str:
    words = re.findall(r"\w+", (text or "").lower())
    while words and words[0] == "the":
        words = words[1:]
    return " ".join(words)
