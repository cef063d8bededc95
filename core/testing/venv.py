"""A fresh virtual environment with quoteledger and a plugin installed the way a user installs
them (python -m venv, then pip): the proof that a plugin package works outside the source tree."""
from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path


class FreshVenv:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        venv.EnvBuilder(with_pip=True, clear=True).create(self.folder)
        self.bin = self.folder / ("Scripts" if os.name == "nt" else "bin")

    def env(self) -> dict:
        """The environment a shell in this venv has: its bin first on PATH, no leaks from ours."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QUOTELEDGER_", "PYTHON", "VIRTUAL_ENV"))}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.folder)
        return env

    def run(self, *args, cwd=None, check=True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(a) for a in args], cwd=cwd, env=self.env(), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(map(str, args))} exited {done.returncode}\n"
                                 f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}")
        return done

    def pip_install(self, *targets) -> None:
        self.run(self.bin / "python", "-m", "pip", "install", "--quiet", *targets)


def project_root() -> Path:
    """The quoteledger source tree this package was installed from (editable installs only)."""
    here = Path(__file__).resolve().parent.parent.parent
    if not (here / "pyproject.toml").exists():
        raise RuntimeError(f"{here} is not a quoteledger source tree; install quoteledger with pip install -e")
    return here


__all__ = ["FreshVenv", "project_root"]
