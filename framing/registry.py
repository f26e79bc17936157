"""The models/ folder: model bundles with their manifest, hash check, versions and promotion.

A bundle is a folder with ``model.joblib`` (the fitted :class:`FramingClassifier`) and ``model.json``
(framing and scikit-learn versions, the codebook, thresholds, metrics, training-data hash, and the
SHA-256 of ``model.joblib``). A registry is a folder with ``registry.json`` and one bundle per version
(``v0001``, ``v0002``...); ``registry.json`` names the current version and records each bundle's hash.

Loading a pickle runs code from it, so a model file is unpickled only when its SHA-256 is vouched for
before it is opened:

* in a registry, by the hash ``registry.json`` records for that version;
* outside one, the hash must match ``model.json`` (else the file is corrupted or was changed) *and* be
  in this machine's trust store: the hashes of bundles saved on this machine (``save_bundle`` records
  them) or explicitly trusted by the user (``trust=True``, ``--trust-model``, which records the hash).
  A copy of ``model.joblib`` and ``model.json`` edited together to agree is therefore still refused.

The trust store is a JSON file, ``$FRAMING_TRUST_STORE`` if set, else
``$XDG_CONFIG_HOME/framing/trusted.json`` (``~/.config/framing/trusted.json``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import joblib

from . import __version__
from .codebook import Codebook, codebook_from_dict
from .cues import resources_digest
from .errors import ModelError, OutputError
from .io import _UMASK, folder_lock, swap_in_folder, write_json

MODEL_FILE = "model.joblib"
META_FILE = "model.json"
REGISTRY_FILE = "registry.json"
FORMAT_VERSION = 1


@dataclass
class Bundle:
    model: object
    meta: dict
    path: Path
    sha256: str = ""  # of the model.joblib that was loaded

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
    return datetime.now(UTC).isoformat(timespec="seconds")


# ------------------------------------------------------------------------------------------ trust store

TRUST_ENV = "FRAMING_TRUST_STORE"


def trust_store_path() -> Path:
    """``$FRAMING_TRUST_STORE``, else ``$XDG_CONFIG_HOME/framing/trusted.json`` (default ``~/.config``)."""
    if os.environ.get(TRUST_ENV):
        return Path(os.environ[TRUST_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "framing" / "trusted.json"


def _read_trust_store(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, UnicodeDecodeError):
        warnings.warn(f"{path}: unreadable trust store, ignored; delete it or fix it", stacklevel=3)
        return {}
    hashes = data.get("sha256") if isinstance(data, dict) else None
    return hashes if isinstance(hashes, dict) else {}


def is_trusted(sha256: str) -> bool:
    return sha256 in _read_trust_store(trust_store_path())


@contextmanager
def _store_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write of the store between processes (POSIX advisory lock)."""
    try:
        import fcntl
    except ImportError:  # Windows: last writer wins; entries are only ever added
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def add_trusted(sha256: str, path: str | Path, reason: str) -> bool:
    """Record a model file's hash as trusted on this machine; False (with a warning) if the store cannot be written."""
    store = trust_store_path()
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        with _store_lock(store):
            hashes = _read_trust_store(store)
            if sha256 in hashes:
                return True
            hashes[sha256] = {"path": str(Path(path).resolve()), "reason": reason, "time": _now()}
            write_json(store, {"about": "SHA-256 of model files framing may unpickle on this machine", "sha256": hashes})
    except (OSError, OutputError) as exc:
        warnings.warn(f"{store}: cannot record the model as trusted ({exc}); loading it elsewhere will need --trust-model", stacklevel=2)
        return False
    return True


def save_bundle(model, folder: str | Path, meta: dict, overwrite: bool = False,
                extra: Callable[[Path], None] | None = None) -> Path:
    """Write a bundle atomically: build it in a temporary folder beside ``folder``, then rename.

    ``extra(tmp_folder)`` may add files (a report, a training snapshot) before the rename, so they
    appear together with the model or not at all. The model file's hash is added to the trust store.
    """
    import sklearn

    folder = Path(folder)
    old = folder.with_name(f".{folder.name}.old")
    if not folder.exists() and old.is_dir():  # an earlier save was killed between its two renames
        os.replace(old, folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise OutputError(f"{folder}: already exists and is not empty; choose another --out or pass --overwrite")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_builds(folder)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{os.getpid()}.", dir=folder.parent))
        os.chmod(tmp, 0o777 & ~_UMASK)  # mkdtemp makes 0700; a model folder is meant to be shared
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
        if extra is not None:
            extra(tmp)
        _fsync_tree(tmp)
        add_trusted(meta["sha256"], folder / MODEL_FILE, "saved on this machine")
        swap_in_folder(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{folder}: cannot save the model ({exc.strerror}); check free space and permissions") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _remove_stale_builds(folder: Path) -> None:
    """Remove half-built bundles (``.NAME.PID.xxxx``) left beside ``folder`` by a process that died."""
    for p in folder.parent.glob(f".{folder.name}.*.*"):
        pid = p.name[len(folder.name) + 2:].split(".")[0]
        if not (p.is_dir() and pid.isdigit()):
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _fsync_tree(folder: Path) -> None:
    """Flush a freshly written folder to disk before it is renamed into place (power loss safety)."""
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())


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
    if not p.exists() and p.with_name(f".{p.name}.old").is_dir():
        raise ModelError(f"{p}: missing, but an interrupted save left the previous model in {p.with_name(f'.{p.name}.old')}; "
                         "rename it back, or rerun the command that saves the model")
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


def load_bundle(path: str | Path, trust: bool = False, verified_sha256: str | None = None,
                load_model: bool = True, light: bool = False) -> Bundle:
    """Load and verify a model bundle. Raises :class:`ModelError` with a fix for every failure.

    Nothing is unpickled unless the file's hash is vouched for (see the module docstring). ``trust``
    loads it anyway and records the hash as trusted; ``verified_sha256`` is a hash the caller already
    vetted (a worker process loading the file its parent checked). ``load_model=False`` does every
    check but leaves the model unpickled (``Bundle.model`` is None): for a process that only hands the
    vetted file to workers. ``light``: the model is only used to score, so it is unpickled without
    importing scikit-learn where it can be (a :class:`~framing.model.LoadedFramingClassifier`, the same
    scores; see :func:`_unpickle_light`), else as usual.
    """
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
    vouched = verified_sha256 is not None and actual == verified_sha256
    expected = registry_hash or meta["sha256"]
    if actual != expected and not trust and not vouched:
        where = "the registry" if registry_hash else META_FILE
        raise ModelError(
            f"{model_path}: hash does not match the one recorded in {where}: the file is corrupted or was changed; "
            "restore it, or pass --trust-model if you trust its origin (loading runs code from the file)"
        )
    if not registry_hash and not vouched and not trust and not is_trusted(actual):
        raise ModelError(
            f"{model_path}: not a model saved on this machine nor one you trusted (sha256 {actual[:12]}...), and loading it "
            f"runs code from the file; pass --trust-model if you trust its origin (recorded in {trust_store_path()})"
        )
    _check_resources(folder, meta, quiet=vouched)
    model = _unpickle(model_path, meta, light) if load_model else None
    if trust and not registry_hash:
        add_trusted(actual, model_path, "trusted by the user (--trust-model)")
    return Bundle(model=model, meta=meta, path=folder, sha256=actual)


_WARNED_RESOURCES: set[str] = set()


def _check_resources(folder: Path, meta: dict, quiet: bool = False) -> None:
    """Warn (once per model and process) when the model was trained with other cue lexicons or registries
    than this framing ships: its features, and so its scores, differ from those its metrics were measured
    on. ``quiet``: a worker loading the file its parent checked (the parent warned)."""
    recorded = meta.get("resources_sha256")
    if not recorded or quiet or recorded == resources_digest() or str(folder) in _WARNED_RESOURCES:
        return
    _WARNED_RESOURCES.add(str(folder))
    warnings.warn(
        f"{folder}: trained with other cue lexicons and registries than this framing {__version__} ships "
        f"(resources {recorded[:12]} vs {resources_digest()[:12]}), so its scores differ from its recorded metrics; "
        "retrain it (`framing retrain`) or score with the framing version that trained it", stacklevel=3)


def _unpickle(model_path: Path, meta: dict, light: bool = False):
    model = _unpickle_light(model_path) if light else None
    if model is None:
        try:
            model = joblib.load(model_path)
        except Exception as exc:  # truncated or corrupted pickles raise many types
            raise ModelError(f"{model_path}: cannot be loaded ({type(exc).__name__}); the file is truncated or corrupted, retrain or restore it") from None
        import sklearn

        running = sklearn.__version__
    else:
        from importlib.metadata import PackageNotFoundError, version

        try:
            running = version("scikit-learn")
        except PackageNotFoundError:
            running = ""
    if meta.get("sklearn_version") and running and meta["sklearn_version"].split(".")[:2] != running.split(".")[:2]:
        warnings.warn(f"model saved with scikit-learn {meta['sklearn_version']}, running {running}; retrain if scores look wrong", stacklevel=3)
    return model


class _NeedsSklearn(Exception):
    pass


def _unpickle_light(model_path: Path):
    """The model unpickled for scoring without importing scikit-learn: the classes the pickle names are
    replaced by :data:`framing.model.LIGHT_CLASSES` (plain holders of the same fitted state). None when
    that cannot give the real model's scores (another scikit-learn class, character n-grams, a compressor
    other than zlib, an old joblib file, any error): the caller then loads it with joblib as usual, which reports a
    damaged file properly."""
    from joblib.numpy_pickle import NumpyUnpickler

    from .model import LIGHT_CLASSES, scores_without_sklearn

    class Unpickler(NumpyUnpickler):
        def find_class(self, module, name):
            light = LIGHT_CLASSES.get((module, name))
            if light is not None:
                return light
            if module == "sklearn" or module.startswith("sklearn."):
                raise _NeedsSklearn(f"{module}.{name}")
            return super().find_class(module, name)

    try:
        data = model_path.read_bytes()
        if data[:1] == b"x":  # joblib's zlib compression (``compress=`` 1-9, how save_bundle writes)
            data = zlib.decompress(data)
        elif data[:1] != b"\x80":  # not a pickle stream (another compressor, or joblib before 0.10)
            return None
        fh = io.BytesIO(data)
        try:
            unpickler = Unpickler(str(model_path), fh, ensure_native_byte_order=True)
        except TypeError:  # joblib < 1.5
            unpickler = Unpickler(str(model_path), fh)
        model = unpickler.load()
    except Exception:  # noqa: BLE001 - any doubt: the ordinary load decides
        return None
    return model if scores_without_sklearn(model) else None


def next_version(root: str | Path) -> str:
    reg = read_registry(root)
    nums = [int(v[1:]) for v in reg["versions"] if v.startswith("v") and v[1:].isdigit()]
    existing = [int(p.name[1:]) for p in Path(root).glob("v[0-9]*") if p.name[1:].isdigit()]
    return f"v{max(nums + existing + [0]) + 1:04d}"


_HELD_REGISTRIES: set[str] = set()


@contextmanager
def registry_lock(root: str | Path) -> Iterator[None]:
    """One writer at a time per registry: a second ``train --registry``/``retrain``/``promote`` is refused."""
    root = Path(root)
    key = os.path.realpath(root)
    if key in _HELD_REGISTRIES:  # re-entered by the same process (retrain -> add_version)
        yield
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{root}: cannot create the registry folder ({exc.strerror}); choose a writable folder") from None
    with folder_lock(root, what="model registry"):
        _HELD_REGISTRIES.add(key)
        try:
            yield
        finally:
            _HELD_REGISTRIES.discard(key)


def add_version(root: str | Path, model, meta: dict, promote: bool, note: str = "",
                extra: Callable[[Path], None] | None = None, history_extra: dict | None = None) -> str:
    """Save a new version into the registry (never overwriting one); optionally make it current.

    The version's folder (with ``extra``'s files) appears atomically, then ``registry.json`` is
    replaced atomically; a crash in between leaves an unlisted complete folder that the next version
    number skips.
    """
    root = Path(root)
    with registry_lock(root):
        reg = read_registry(root)
        version = next_version(root)
        meta = dict(meta, version=version, parent=reg.get("current"))
        save_bundle(model, root / version, meta, extra=extra)
        saved = json.loads((root / version / META_FILE).read_text(encoding="utf-8"))
        reg["versions"][version] = {
            "sha256": saved["sha256"], "created": saved["created"], "parent": saved.get("parent"),
            "data_hash": saved.get("data_hash"), "metrics": saved.get("metrics", {}).get("macro_f1"), "note": note,
        }
        if promote:
            reg["history"].append({"time": _now(), "action": "promote", "from": reg.get("current"), "to": version,
                                   "note": note, **(history_extra or {})})
            reg["current"] = version
        write_registry(root, reg)
    return version
