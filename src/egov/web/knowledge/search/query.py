"""What a reader typed, read the way PostgreSQL's ``websearch_to_tsquery`` reads it, so both
backends understand the same syntax and neither ever sees raw input.

- words are ANDed: ``smart government``;
- ``"whole of government"`` is a phrase;
- ``or`` between two terms is OR: ``korea or japan``;
- ``-draft`` excludes a word (or ``-"a phrase"``);
- the last word, while the reader is still typing it (no space after it), also matches as a
  prefix: ``kaz`` finds Kazakhstan.

Everything else (``*``, ``:``, ``(``, ``NEAR``, ``AND``, quotes left open, control characters)
is text: a term keeps only what the tokenizers index, and a term with no letter or digit is
dropped. Input is cut at :data:`MAX_LENGTH` characters and :data:`MAX_TERMS` terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

MAX_LENGTH: Final = 256
MAX_TERMS: Final = 24
#: A term is kept only if it has a letter or a digit (what unicode61 and PostgreSQL index).
_WORDY: Final = re.compile(r"[^\W_]")
#: A prefix term is letters and digits only, at least this long (shorter ones expand to too
#: many words to be useful, and are slow).
PREFIX_MIN: Final = 3
_PREFIXABLE: Final = re.compile(r"[^\W_]+")
#: Characters that are never part of a term: quotes and controls. The rest of the punctuation
#: is left to the tokenizers, which split on it.
_DROPPED: Final = re.compile(r'["\x00-\x1f\x7f]')


@dataclass(frozen=True, slots=True)
class Term:
    """One word (``"e-government"``, split by the tokenizer into a phrase) or a quoted phrase."""

    text: str
    quoted: bool = False
    negated: bool = False
    prefix: bool = False

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def shortened(self, letters: int) -> str:
        """The text looked for: a prefix ``letters`` shorter (see :func:`parse`)."""
        return self.text[: len(self.text) - letters] if self.prefix and letters else self.text


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """The terms as an AND of OR-groups; negated terms are kept apart (``NOT`` applies to the
    whole of the rest)."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to look for and nothing to exclude: every item."""
        return not self.groups and not self.excluded

    @property
    def plain_words(self) -> list[str]:
        """The words of the single-term groups, in order: what, written together, would be the
        phrase the reader probably means (``whole of government``)."""
        return [word for group in self.groups if len(group) == 1 for word in group[0].words]


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """``(text, quoted, negated)`` in order; ``or`` stays a bare token."""
    found: list[tuple[str, bool, bool]] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        negated = False
        if char == "-" and position + 1 < length and not text[position + 1].isspace():
            negated = True
            position += 1
            char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            end = length if end < 0 else end
            found.append((text[position + 1 : end], True, negated))
            position = end + 1
            continue
        end = position
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        found.append((text[position:end], False, negated))
        position = end
    return found


def parse(text: str) -> SearchQuery:
    """The query in ``text``. Never raises.

    >>> q = parse('smart "whole of  government" -draft korea or japan kaz')
    >>> [[t.text for t in group] for group in q.groups], [t.text for t in q.excluded]
    ([['smart'], ['whole of government'], ['korea', 'japan'], ['kaz']], ['draft'])
    >>> q.groups[-1][0].prefix, q.groups[0][0].prefix
    (True, False)
    >>> parse('"" * : ( NEAR ) -').is_empty, parse("ab ").groups[0][0].prefix
    (False, False)
    """
    text = text[:MAX_LENGTH]
    typing = bool(text) and not text[-1].isspace() and text.count('"') % 2 == 0
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # the previous token was "or"
    tokens = _tokens(text)
    for index, (raw, quoted, negated) in enumerate(tokens):
        if not quoted and not negated and raw.lower() == "or":
            joining = bool(groups)
            continue
        cleaned = " ".join(_DROPPED.sub(" ", raw).split())[:100]
        if not _WORDY.search(cleaned):
            continue
        last = index == len(tokens) - 1
        prefix = (
            typing
            and last
            and not quoted
            and not negated
            and not joining
            and len(cleaned) >= PREFIX_MIN
            and _PREFIXABLE.fullmatch(cleaned) is not None
        )
        term = Term(cleaned, quoted=quoted, negated=negated, prefix=prefix)
        if negated:
            excluded.append(term)
        elif joining:
            groups[-1].append(term)
        else:
            groups.append([term])
        joining = False
        if len(groups) + len(excluded) >= MAX_TERMS:
            break
    return SearchQuery(
        " ".join(text.split()), tuple(tuple(group) for group in groups), tuple(excluded)
    )
