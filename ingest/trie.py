"""Alternations of literal words as prefix-tree regexes: the same matches, fewer branches. No Django.

`a|ab|abc|b…` with hundreds of keywords makes the regex engine try every keyword at
every position of a text. The same words as a prefix tree (`a(?:b(?:c)?)?|b…`) try
one branch per next character instead. Greedy optional groups make it prefer the
longest word at a position, so it finds what the alternation sorted longest first finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # key of a word ending at a node (no character is empty)


def pattern(words: Iterable[str]) -> str:
    """Regex source matching, at each position, the longest of `words` found there."""
    root: dict = {}
    for word in words:
        if not word:
            raise ValueError("an empty word would match everywhere")
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    if not root:
        raise ValueError("no words to match")
    return _source(root)


def _source(node: dict) -> str:
    """The regex of the words below `node`; optional as a whole when a word also ends here."""
    leaves = sorted(c for c, child in node.items() if c != _END and list(child) == [_END])
    branches = [
        re.escape(c) + _source(child)
        for c, child in sorted(node.items())
        if c != _END and c not in leaves
    ]
    if leaves:
        branches.append(re.escape(leaves[0]) if len(leaves) == 1 else _char_class(leaves))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if _END in node:
        return body + "?" if _is_atom(body, branches) else f"(?:{body})?"
    return body


def _is_atom(body: str, branches: list[str]) -> bool:
    """True when a `?` after `body` applies to all of it (one character, class or group)."""
    if len(branches) > 1:
        return True  # wrapped in (?:…) above
    return body.startswith("[") and body.endswith("]") or len(re.sub(r"\\(.)", r"\1", body)) == 1


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"
