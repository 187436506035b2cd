"""Does requirements.lock satisfy pyproject.toml? Exit 1 naming what is missing or out of range.

Run by `make install` after installing the lock: a dependency added to pyproject.toml without
`make lock` stops the install here instead of running on versions nobody tested.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def locked(text: str) -> dict[str, str]:
    """Package name → version, from the lock's `name==version` lines."""
    found = {}
    for line in text.splitlines():
        match = PINNED.match(line.strip())
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def problems(pyproject: dict, lock: dict[str, str]) -> list[str]:
    project = pyproject["project"]
    wanted = [*project["dependencies"], *project.get("optional-dependencies", {}).get("test", [])]
    wanted += project.get("optional-dependencies", {}).get("spark", [])
    found = []
    for text in wanted:
        requirement = Requirement(text)
        version = lock.get(canonicalize_name(requirement.name))
        if version is None:
            found.append(f"{requirement.name}：锁文件中没有")
        elif not requirement.specifier.contains(version, prereleases=True):
            found.append(f"{requirement.name}：锁定的 {version} 不满足 {requirement.specifier}")
    return found


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = locked((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    found = problems(pyproject, lock)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
