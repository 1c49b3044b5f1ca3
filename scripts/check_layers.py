#!/usr/bin/env python3
"""Checks the folder layering of src/ (docs/architecture.md "Folders: who may include whom").

Every `#include "folder/..."` in src/<folder>/ must name a folder that <folder> may include; the
ledger's sub-folders are held to their own rules. Prints each include that breaks a rule, with its
file and line, and exits 1 if there is one. Usage: python3 scripts/check_layers.py [source root]
"""
import pathlib
import re
import sys

# Folder -> the other folders it may include. A folder may always include itself.
ALLOWED = {
    "core": set(),
    "json": {"core"},
    "sse": {"core"},
    "canonical": {"core", "json"},
    "wire": {"core", "canonical", "json"},
    "http": {"core"},
    "hosts": {"core", "wire"},
    "pricing": {"core", "canonical"},
    "capture": {"core", "canonical"},
    "regex": {"core"},
    "experiments": {"canonical", "core"},
    "json_schema": {"core", "json", "regex"},
    "config": {"core", "hosts", "http", "json_schema", "regex", "wire"},
    "ledger": {"core", "canonical", "config", "pricing"},
    "telemetry": {"core", "ledger"},
    "providers": {"core", "canonical", "config", "hosts", "http", "json", "sse", "wire"},
    "inbound": {"core", "canonical", "json", "sse", "wire"},
    "accept": {"core", "config", "json_schema", "regex", "wire"},
    "guardrails": {"accept", "canonical", "capture", "config", "core", "json", "json_schema",
                   "regex"},
    "routing": {"accept", "core", "canonical", "config", "experiments", "http", "json", "pricing",
                "providers"},
    "governance": {"canonical", "core", "config", "http", "ledger", "pricing", "redis"},
    "demo": {"core", "http"},
    "redis": {"core"},
    "cache": {"canonical", "capture", "config", "core", "http", "json", "pricing", "redis"},
    "gateway": {"accept", "cache", "experiments", "guardrails", "canonical", "capture", "config", "core", "governance", "hosts", "http",
                "inbound", "json", "json_schema", "ledger", "pricing", "providers", "redis", "regex",
                "routing", "sse", "telemetry", "wire"},
    "cli": {"accept", "cache", "experiments", "guardrails", "canonical", "capture", "config", "core", "demo", "gateway", "governance",
            "hosts", "http", "inbound", "json", "json_schema", "ledger", "pricing", "providers",
            "redis", "regex", "routing", "sse", "telemetry", "wire"},
    "third_party": set(),
}

# Headers a folder may include against its rules, each for a stated reason. canonical/ names the
# format enum, which includes nothing of the project, while the format tables in wire/<format>/
# build on canonical/.
EXCEPTIONS = {
    "canonical": {"wire/format.h"},
}
# ledger/: the record, the sink interface, time and the factory at the top; sub-folder -> the
# ledger sub-folders it may include ("" is the top of ledger/). Only the factory (at the top)
# knows the backends.
LEDGER_ALLOWED = {
    "sinks": {""},
    "query": {""},
    "migrations": {""},
    "sqlite": {"", "migrations", "query", "sinks"},
    "postgres": {"", "migrations", "query", "sinks"},
}
LEDGER_TOP_MAY_INCLUDE_BACKENDS = {"ledger_factory.cc", "ledger_factory.h"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def ledger_part(path_parts):
    """The sub-folder of ledger/ a path is in ("" for the top), from its parts after ledger/."""
    return path_parts[0] if len(path_parts) > 1 else ""


def check_ledger(rel, header):
    """Problems of one include inside ledger/: rel is the file's path parts after ledger/."""
    target = header.split("/")[1:]
    own, other = ledger_part(rel), ledger_part(target)
    if own == other or other == "":
        return None
    if own == "":
        if rel[-1] in LEDGER_TOP_MAY_INCLUDE_BACKENDS:
            return None
        return "only the factory at the top of ledger/ includes its sub-folders"
    if other in LEDGER_ALLOWED.get(own, set()):
        return None
    return f"ledger/{own}/ may not include ledger/{other}/"


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cc", ".inc") or len(path.relative_to(root).parts) < 2:
            continue
        parts = path.relative_to(root).parts
        folder = parts[0]
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or "/" not in match.group(1):
                continue
            header = match.group(1)
            target = header.split("/")[0]
            if not (root / target).is_dir():
                continue  # a system or third-party header spelled with quotes
            problem = None
            if target == folder:
                if folder == "ledger":
                    problem = check_ledger(parts[1:], header)
            elif folder not in ALLOWED:
                problem = f"{folder}/ has no entry in scripts/check_layers.py"
            elif target not in ALLOWED[folder] and header not in EXCEPTIONS.get(folder, set()):
                problem = f"{folder}/ may not include {target}/"
            if problem:
                problems.append(f"{path}:{number}: #include \"{header}\": {problem}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} include(s) break the layering (docs/architecture.md)")
        return 1
    print("layering: every include is allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
