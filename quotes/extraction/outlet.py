"""Stage 6, outlet: the news organisation an article credits for a quote.

Rules, tried in order:

- ``carrier``: the outlet that quotes someone ("Xinhua quoted Wang as saying ...");
- ``credit``: an attribution phrase in the quote's sentences ("according to KCNA", "per
  Xinhua", "as stated in AP News", "KCNA reported");
- ``speaker``: an outlet speaking for itself ("KCNA reported that ...");
- ``media_report``: a report of someone's statement by the media ("Chinese media confirmed
  Wang Yi's declaration ..."): the media are the outlet, not a second speaker.

Example:
    >>> credited("Wang agreed, per Xinhua.", (0, 24))
    ('Xinhua', (17, 23))
"""

from __future__ import annotations

import re

from quotes.attribute import find_outlet, normalise_outlet
from quotes.extraction.model import Span

_MEDIA = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w’'-]*\s+)*(?:state\s+)?(?:media|press|news\s+agency|newspapers?|"
    r"television|broadcaster|news\s+outlets?)$",
    re.IGNORECASE,
)


def credited(text: str, region: Span) -> tuple[str, Span] | None:
    """The outlet an attribution phrase in ``text[region]`` credits, with its mention."""
    return find_outlet(text, region)


def outlet_name(mention: str) -> str | None:
    """An outlet's canonical name, or the mention itself for media in general ("Chinese media").

    Example:
        >>> outlet_name("Chinese media"), outlet_name("the Associated Press"), outlet_name("Lee")
        ('Chinese media', 'AP', None)
    """
    name = normalise_outlet(mention)
    if name is not None:
        return name
    cleaned = " ".join(mention.split())
    if _MEDIA.match(cleaned):
        return re.sub(r"^(?i:the)\s+", "", cleaned)
    return None
