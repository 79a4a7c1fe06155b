"""Output folders that sesim owns: checked before a run, locked while it runs, replaced atomically.

sesim never deletes what it did not write (issue 13).  An output folder (``--out``) is

- used as it is when it does not exist or is empty;
- replaced only when it holds a sesim result of the same kind (its ``manifest.json`` says so)
  and nothing but the files that manifest lists;
- refused, with one line naming it, in every other case.

The new result is written into a hidden ``.NAME.partial-*`` folder beside ``out`` and swapped in
with one atomic ``renameat2(RENAME_EXCHANGE)`` where the system has it (Linux), so a kill at any
instant leaves either the old or the new complete result at ``out``.  Elsewhere the old result is
first renamed aside to ``.NAME.old-*`` and the next run into the same place puts it back if the
new one never arrived.  Leftover hidden folders of killed runs are removed by the next run into
the same place, under the lock.

Two commands writing the same ``out`` at once: the second is refused while the first holds the
lock file ``.NAME.lock`` beside ``out`` (``fcntl.flock``, released by the kernel if the holder
dies, so a killed run never leaves a stale lock).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import fnmatch
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .scenario import ScenarioError

MANIFEST = "manifest.json"
NAME_MAX = 200            # bytes of the folder name: the hidden siblings add about 25 to it (limit 255)
LEGACY_FILES = {          # what results written before manifests listed their files contained
    "run": {"summary.csv", "timeseries.parquet", "spells.parquet", "scenario.resolved.toml", MANIFEST},
    "compare": {"comparison.csv", "survival.csv", "summary.csv", "timeseries.parquet", "report.html", MANIFEST},
}
LEGACY_FIGURES = ("forest", "timeseries", "skills", "survival")


def current_umask() -> int:
    """The process's umask (read without a window in which it is changed, where Linux allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def result_kind(folder: Path) -> tuple[str | None, set[str] | None]:
    """The kind of sesim result in ``folder`` and the files it consists of (None if it is not one)."""
    try:
        m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(m, dict) or m.get("package") != "sesim":
        return None, None
    kind = m.get("kind") or ("compare" if "scenarios" in m else "run" if "scenario" in m and "sweep" not in m else None)
    files = m.get("files")
    if isinstance(files, list) and all(isinstance(f, str) for f in files):
        return kind, {*files, MANIFEST}
    if kind is None:
        return None, None
    figures = {f"{fig}.{ext}" for fig in LEGACY_FIGURES for ext in ("png", "svg")} if kind == "compare" else set()
    return kind, LEGACY_FILES.get(kind, set()) | figures


KEPT_KINDS = ("workshop",)   # results sesim cannot re-create (people's decisions): never replaced


def check_out(out: Path, kind: str, flag: str = "--out") -> Path:
    """Refuse, in one line, an output folder sesim may not write or replace; return it resolved."""
    out = Path(out)
    try:
        full = Path(os.path.abspath(out))
    except (OSError, ValueError) as e:
        raise ScenarioError(f"{flag} {out}: not a usable path ({e})") from None
    if full.parent == full:
        raise ScenarioError(f"{flag} {out}: the root folder cannot be an output folder; choose another with {flag} DIR")
    if len(os.fsencode(full.name)) > NAME_MAX:
        raise ScenarioError(f"{flag} {str(out)[:40]}...: folder name too long ({len(os.fsencode(full.name))} bytes; "
                            f"allowed at most {NAME_MAX}); choose a shorter one")
    if len(os.fsencode(str(full))) > 3800:
        raise ScenarioError(f"{flag} {str(out)[:40]}...: path too long; choose a shorter one")
    cwd = Path(os.path.abspath(os.getcwd()))
    if full == cwd or full in cwd.parents:
        raise ScenarioError(f"{flag} {out}: is the current folder or holds it; sesim writes results into a "
                            f"folder of their own (e.g. {flag} results/my-run)")
    probe = full.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ScenarioError(f"{flag} {out}: {probe} is a file, not a folder; choose another with {flag} DIR")
    if full.is_symlink():
        raise ScenarioError(f"{flag} {out}: is a symbolic link; give the folder it points to, or another")
    if full.exists() and not full.is_dir():
        raise ScenarioError(f"{flag} {out}: is a file, not a folder; choose another with {flag} DIR")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ScenarioError(f"{flag} {out}: folder is not writable; choose another with {flag} DIR")
    if full.is_dir():
        try:
            entries = {p.name for p in full.iterdir()}
        except OSError as e:
            raise ScenarioError(f"{flag} {out}: cannot read the folder ({e.strerror}); choose another") from None
        if entries:
            found, files = result_kind(full)
            if found is None:
                raise ScenarioError(f"{flag} {out}: folder is not empty and holds no sesim result; sesim replaces "
                                    f"only its own results: choose another folder with {flag} DIR")
            if found != kind:
                raise ScenarioError(f"{flag} {out}: holds the result of 'sesim {found}', not of 'sesim {kind}'; "
                                    f"choose another folder with {flag} DIR")
            if found in KEPT_KINDS:
                raise ScenarioError(f"{flag} {out}: holds the debrief of an earlier 'sesim {found}', whose decisions "
                                    f"people made and sesim cannot make again; choose another folder with {flag} DIR")
            extra = sorted(entries - (files or set()))
            if extra:
                raise ScenarioError(f"{flag} {out}: holds files sesim did not write ({', '.join(extra[:3])}"
                                    f"{', ...' if len(extra) > 3 else ''}); move them or choose another folder")
    return full


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class OutputSlot:
    """The right to write one output folder: lock, staging folder, atomic publication.

    >>> with OutputSlot(Path("results/baseline"), "run") as slot:    # doctest: +SKIP
    ...     tmp = slot.staging()
    ...     (tmp / "summary.csv").write_text("...")
    ...     slot.publish({"package": "sesim", ...})
    """

    def __init__(self, out: Path, kind: str, flag: str = "--out") -> None:
        self.requested, self.kind, self.flag = Path(out), kind, flag
        self.out = check_out(out, kind, flag)
        self._lock_fd: int | None = None
        self._tmp: Path | None = None

    # --- lock -------------------------------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.out.parent / f".{self.out.name}.lock"

    def __enter__(self) -> "OutputSlot":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise ScenarioError(f"{self.flag} {self.requested}: another sesim command is writing this folder "
                                    f"(lock {self.lock_path.name}); wait for it to finish or choose another "
                                    f"folder") from None
            try:                       # the holder before us may have removed the file: lock the one that is there
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._lock_fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())     # needs a block: fails on a full disk
            self._recover()
        except BaseException:
            self._release()                # a failed start must not lock the next attempt out
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            try:
                self.lock_path.unlink(missing_ok=True)
            finally:
                os.close(self._lock_fd)         # closing releases the lock
                self._lock_fd = None

    # --- leftovers of killed runs -------------------------------------------------------------
    def _siblings(self, tag: str) -> list[Path]:
        return sorted(p for p in self.out.parent.glob(f".{glob_escape(self.out.name)}.{tag}-*") if p.is_dir())

    def _recover(self) -> None:
        """Put back an old result a killed swap left aside; remove every other leftover of ours."""
        if not self.out.exists():
            for old in reversed(self._siblings("old")):
                if result_kind(old)[0] is not None:
                    os.rename(old, self.out)
                    break
        for p in self._siblings("old") + self._siblings("partial"):
            shutil.rmtree(p, ignore_errors=True)

    # --- writing ----------------------------------------------------------------------------
    def staging(self) -> Path:
        """A new hidden folder beside ``out`` to write the result into (permissions follow the umask)."""
        if self._lock_fd is None:
            raise RuntimeError("OutputSlot.staging() outside 'with'")
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-", dir=self.out.parent))
        os.chmod(self._tmp, 0o777 & ~current_umask())
        return self._tmp

    def publish(self, manifest: dict[str, Any]) -> Path:
        """Write ``manifest.json`` (listing every file written) last, then swap the result into place."""
        tmp = self._tmp
        if tmp is None:
            raise RuntimeError("OutputSlot.publish() before staging()")
        files = sorted(p.name for p in tmp.iterdir() if p.name != MANIFEST)
        manifest = {**manifest, "kind": self.kind, "files": files}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        check_out(self.out, self.kind, self.flag)        # still ours to replace after the long run?
        if self.out.is_dir() and any(self.out.iterdir()):
            if _exchange(tmp, self.out):
                shutil.rmtree(tmp, ignore_errors=True)   # tmp now holds the old result
            else:                                        # no atomic exchange here: old aside, new in
                aside = self.out.parent / f".{self.out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
                os.rename(self.out, aside)
                os.rename(tmp, self.out)
                shutil.rmtree(aside, ignore_errors=True)
        else:
            if self.out.is_dir():
                os.rmdir(self.out)                        # empty: nothing of anyone's is lost
            os.rename(tmp, self.out)
        self._tmp = None
        return self.out


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters taken literally."""
    import glob
    return glob.escape(name)


def check_resumable(out: Path, what: str, markers: tuple[str, ...], flag: str = "--out") -> Path:
    """For outputs that grow in place and resume (sweeps, calibrations): the folder must be new,
    empty, or already hold such an output (one of ``markers`` exists).  sesim adds its files to
    it and never removes a file it did not write."""
    full = check_out(out, kind="", flag=flag) if not Path(out).is_dir() else Path(os.path.abspath(out))
    if full.is_dir():
        try:
            entries = [p.name for p in full.iterdir()]
        except OSError as e:
            raise ScenarioError(f"{flag} {out}: cannot read the folder ({e.strerror}); choose another") from None
        if entries and not any((full / m).exists() for m in markers) and not any(
                fnmatch.fnmatch(e, m) for e in entries for m in markers):
            raise ScenarioError(f"{flag} {out}: folder is not empty and holds no {what}; choose an empty or new "
                                f"folder with {flag} DIR")
        if not os.access(full, os.W_OK | os.X_OK):
            raise ScenarioError(f"{flag} {out}: folder is not writable; choose another with {flag} DIR")
    return full
