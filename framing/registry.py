"""The models/ folder: model bundles with their manifest, hash check, versions and promotion.

A bundle is a folder with ``model.joblib`` (the fitted :class:`FramingClassifier`) and ``model.json``
(framing and scikit-learn versions, the codebook, thresholds, metrics, training-data hash, and the
SHA-256 of ``model.joblib``). A registry is a folder with ``registry.json`` and one bundle per version
(``v0001``, ``v0002``...); ``registry.json`` names the current version and records each bundle's hash.

Loading never unpickles a file whose hash does not match the one recorded for it (in the registry when
the bundle is in one, else in ``model.json``) unless the user passes ``trust=True``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import joblib

from . import __version__
from .codebook import Codebook, codebook_from_dict
from .errors import ModelError, OutputError
from .io import write_json

MODEL_FILE = "model.joblib"
META_FILE = "model.json"
REGISTRY_FILE = "registry.json"
FORMAT_VERSION = 1


@dataclass
class Bundle:
    model: object
    meta: dict
    path: Path

    @property
    def codebook(self) -> Codebook:
        return codebook_from_dict(self.meta["codebook"], source=str(self.path / META_FILE))

    @property
    def version(self) -> str:
        return self.meta.get("version", self.path.name)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def save_bundle(model, folder: str | Path, meta: dict, overwrite: bool = False) -> Path:
    """Write a bundle atomically: build it in a temporary folder beside ``folder``, then rename."""
    import sklearn

    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise OutputError(f"{folder}: already exists and is not empty; choose another --out or pass --overwrite")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise OutputError(f"{folder.parent}: cannot write here ({exc.strerror}); choose a writable folder") from None
    try:
        joblib.dump(model, tmp / MODEL_FILE, compress=3)
        meta = dict(meta)
        meta.update({
            "format": FORMAT_VERSION,
            "framing_version": __version__,
            "sklearn_version": sklearn.__version__,
            "created": meta.get("created") or _now(),
            "sha256": sha256_file(tmp / MODEL_FILE),
        })
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{folder}: cannot save the model ({exc.strerror}); check free space and permissions") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def read_registry(root: str | Path) -> dict:
    p = Path(root) / REGISTRY_FILE
    try:
        reg = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"current": None, "versions": {}, "history": []}
    except (OSError, ValueError) as exc:
        raise ModelError(f"{p}: unreadable registry ({exc}); restore it from version control") from None
    if not isinstance(reg, dict) or "versions" not in reg:
        raise ModelError(f"{p}: not a framing model registry; restore it from version control")
    reg.setdefault("history", [])
    return reg


def write_registry(root: str | Path, reg: dict) -> None:
    write_json(Path(root) / REGISTRY_FILE, reg)


def resolve_model_path(path: str | Path) -> tuple[Path, str | None]:
    """A registry folder (-> its current version), a version folder, or a bundle folder.

    Returns the bundle folder and the hash the registry recorded for it (None outside a registry).
    """
    p = Path(path)
    if not p.exists():
        raise ModelError(f"{p}: no such model folder; pass --model with a folder made by `framing train` or `framing retrain`")
    if not p.is_dir():
        raise ModelError(f"{p}: not a folder; pass the model folder (with {META_FILE} and {MODEL_FILE}) or a registry folder")
    if (p / REGISTRY_FILE).exists():
        reg = read_registry(p)
        cur = reg.get("current")
        if not cur or cur not in reg["versions"]:
            raise ModelError(f"{p}: the registry has no current model; run `framing retrain` or `framing models promote VERSION`")
        return p / cur, reg["versions"][cur].get("sha256")
    if (p.parent / REGISTRY_FILE).exists():
        reg = read_registry(p.parent)
        entry = reg["versions"].get(p.name)
        return p, entry.get("sha256") if entry else None
    return p, None


def load_bundle(path: str | Path, trust: bool = False) -> Bundle:
    """Load and verify a model bundle. Raises :class:`ModelError` with a fix for every failure."""
    folder, registry_hash = resolve_model_path(path)
    meta_path, model_path = folder / META_FILE, folder / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise ModelError(f"{folder}: not a model folder (needs {META_FILE} and {MODEL_FILE}); pass a folder made by `framing train`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not an object")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{meta_path}: unreadable model metadata ({exc}); retrain or restore the model") from None
    if int(meta.get("format", 0)) > FORMAT_VERSION:
        raise ModelError(f"{folder}: made by a newer framing (format {meta.get('format')}, framing {meta.get('framing_version')}); upgrade framing to load it")
    if "codebook" not in meta or "sha256" not in meta:
        raise ModelError(f"{meta_path}: incomplete model metadata (no codebook or sha256); retrain the model")
    try:
        actual = sha256_file(model_path)
    except OSError as exc:
        raise ModelError(f"{model_path}: cannot be read ({exc.strerror}); check permissions") from None
    expected = registry_hash or meta["sha256"]
    if actual != expected and not trust:
        where = "the registry" if registry_hash else META_FILE
        raise ModelError(
            f"{model_path}: hash does not match the one recorded in {where}: the file is corrupted or was changed; "
            "restore it, or pass --trust-model if you trust its origin (loading runs code from the file)"
        )
    try:
        model = joblib.load(model_path)
    except Exception as exc:  # truncated or corrupted pickles raise many types
        raise ModelError(f"{model_path}: cannot be loaded ({type(exc).__name__}); the file is truncated or corrupted, retrain or restore it") from None
    import sklearn

    if meta.get("sklearn_version") and meta["sklearn_version"].split(".")[:2] != sklearn.__version__.split(".")[:2]:
        warnings.warn(f"model saved with scikit-learn {meta['sklearn_version']}, running {sklearn.__version__}; retrain if scores look wrong", stacklevel=2)
    return Bundle(model=model, meta=meta, path=folder)


def next_version(root: str | Path) -> str:
    reg = read_registry(root)
    nums = [int(v[1:]) for v in reg["versions"] if v.startswith("v") and v[1:].isdigit()]
    existing = [int(p.name[1:]) for p in Path(root).glob("v[0-9]*") if p.name[1:].isdigit()]
    return f"v{max(nums + existing + [0]) + 1:04d}"


def add_version(root: str | Path, model, meta: dict, promote: bool, note: str = "") -> str:
    """Save a new version into the registry (never overwriting one); optionally make it current."""
    root = Path(root)
    reg = read_registry(root)
    version = next_version(root)
    meta = dict(meta, version=version, parent=reg.get("current"))
    save_bundle(model, root / version, meta)
    saved = json.loads((root / version / META_FILE).read_text(encoding="utf-8"))
    reg["versions"][version] = {
        "sha256": saved["sha256"], "created": saved["created"], "parent": saved.get("parent"),
        "data_hash": saved.get("data_hash"), "metrics": saved.get("metrics", {}).get("macro_f1"), "note": note,
    }
    if promote:
        reg["history"].append({"time": _now(), "action": "promote", "from": reg.get("current"), "to": version, "note": note})
        reg["current"] = version
    write_registry(root, reg)
    return version
