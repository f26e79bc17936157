"""The codebook: the label set, read from ``data/codebook.toml``.

Training, scoring and reports take their label set from here (training stores the codebook inside the
model, so scoring and reports need no codebook file). Adding a label is an edit to the TOML file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CodebookError

DEFAULT_CODEBOOK = Path("data") / "codebook.toml"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# Okabe-Ito, colour-blind safe; used when a label names no colour.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


@dataclass(frozen=True)
class Label:
    name: str
    display: str
    definition: str
    color: str
    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()
    examples_yes: tuple[str, ...] = ()
    examples_no: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    labels: tuple[Label, ...]
    version: int = 1
    source: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def names(self) -> list[str]:
        return [lab.name for lab in self.labels]

    def __getitem__(self, name: str) -> Label:
        for lab in self.labels:
            if lab.name == name:
                return lab
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "labels": [
                {
                    "name": lab.name,
                    "display": lab.display,
                    "definition": lab.definition,
                    "color": lab.color,
                    "yes": list(lab.yes),
                    "no": list(lab.no),
                    "examples_yes": list(lab.examples_yes),
                    "examples_no": list(lab.examples_no),
                }
                for lab in self.labels
            ],
        }

    def to_markdown(self) -> str:
        out = [
            "# The framing codebook",
            "",
            "<!-- Generated from data/codebook.toml by `framing codebook --markdown`; edit the TOML. -->",
            "",
            "Unit: one sentence. Labels are independent: a sentence may carry any number of them, or none.",
            "Judge the **author's own voice**: words inside direct quotation marks attributed to someone else",
            "are that person's, and so are words in clearly attributed indirect speech. Exceptions: `hedging`",
            "counts quoted speculation too; `state_media` is judged on the attribution itself.",
            "The author is whoever wrote the text: a letter to the editor, an op-ed or a first-person essay is",
            "its writer's own voice; a transcript line under a speaker's name tag (\"SMITH: ...\") is that",
            "speaker's, attributed like a quotation. A sentence that ends with a closing quotation mark it never",
            "opened continues a quotation begun in an earlier sentence: the words up to that mark are quoted; a",
            "mark after a space at the very end (\"... and personal insults. ''\") opens the next sentence's quotation",
            "and quotes nothing. Indirect speech runs to the end of the reported clause, relative clauses inside it",
            "included (\"she explained that access is harder, which was already difficult because of ...\" is hers);",
            "an aside set off by dashes or parentheses, or a new main clause, is the author's. Any verb that reports",
            "what someone said or wrote opens indirect speech, whatever it implies about the clause's truth (\"Jacobson",
            "explains the probe was botched\", \"Bolton notes that ...\", \"she points out that ...\"). A sentence with no",
            "quotation marks and no speaker tag is the author's as written, even when it reads like a quotation that",
            "lost its marks (\"I will address it swiftly and vigorously.\").",
            "",
            "| label | name | definition |",
            "|---|---|---|",
        ]
        for lab in self.labels:
            out.append(f"| `{lab.name}` | {lab.display} | {lab.definition} |")
        for lab in self.labels:
            out += ["", f"## `{lab.name}` — {lab.display}", "", lab.definition, ""]
            for title, items in (
                ("YES when", lab.yes),
                ("NO when", lab.no),
                ("Examples: YES", lab.examples_yes),
                ("Examples: NO", lab.examples_no),
            ):
                if items:
                    out.append(f"**{title}**")
                    out.append("")
                    out += [f"- {item}" for item in items]
                    out.append("")
        return "\n".join(out).rstrip() + "\n"


def codebook_from_dict(data: dict, source: str = "<dict>") -> Codebook:
    """Validate a parsed codebook mapping and build a :class:`Codebook`."""
    labels_raw = data.get("labels")
    if not isinstance(labels_raw, list) or not labels_raw:
        raise CodebookError(f"{source}: no [[labels]] tables; add at least one label with name, display, definition")
    labels: list[Label] = []
    seen: set[str] = set()
    for i, item in enumerate(labels_raw, 1):
        if not isinstance(item, dict):
            raise CodebookError(f"{source}: label #{i} is not a table")
        name = item.get("name")
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise CodebookError(
                f"{source}: label #{i} has name {name!r}; use lower_snake_case letters, digits and _ (2-40 chars)"
            )
        if name in seen:
            raise CodebookError(f"{source}: label {name!r} is defined twice; keep one definition")
        seen.add(name)
        for key in ("display", "definition"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise CodebookError(f"{source}: label {name!r} has no {key!r}; add a non-empty string")
        color = item.get("color") or PALETTE[(i - 1) % len(PALETTE)]
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
            raise CodebookError(f"{source}: label {name!r} has colour {color!r}; use a hex colour like #0072B2")

        def _strings(key: str) -> tuple[str, ...]:
            val = item.get(key, [])
            if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
                raise CodebookError(f"{source}: label {name!r}: {key!r} must be a list of strings")
            return tuple(val)

        labels.append(
            Label(
                name=name,
                display=item["display"].strip(),
                definition=" ".join(item["definition"].split()),
                color=color,
                yes=_strings("yes"),
                no=_strings("no"),
                examples_yes=_strings("examples_yes"),
                examples_no=_strings("examples_no"),
            )
        )
    version = data.get("version", 1)
    return Codebook(labels=tuple(labels), version=int(version), source=source, raw=data)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook TOML file (default ``data/codebook.toml``)."""
    p = Path(path) if path is not None else DEFAULT_CODEBOOK
    if not p.is_file():
        raise CodebookError(f"codebook not found: {p}; pass --codebook PATH or run from the project folder")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{p}: not valid TOML ({exc}); fix the syntax") from None
    return codebook_from_dict(data, source=str(p))
