#!/usr/bin/env python3
"""Tests for scripts/check_layers.py (standard library only).

    python3 -m unittest discover -s tests/layers      # from the repository root

Each case writes a small source tree into a temporary folder and runs the checker on it.
"""

import contextlib
import importlib.util
import io
import os
import pathlib
import tempfile
import unittest
import unittest.mock

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = importlib.util.spec_from_file_location(
    "check_layers", os.path.join(ROOT, "scripts", "check_layers.py"))
check_layers = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_layers)


def run_on(files):
    """Runs the checker on a tree of {path: text}; returns (exit code, printed lines)."""
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            target = pathlib.Path(root, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), unittest.mock.patch("sys.argv", ["x", root]):
            code = check_layers.main()
        return code, out.getvalue().splitlines()


class CheckLayersTest(unittest.TestCase):
    def test_allowed_includes_pass(self):
        code, lines = run_on({
            "core/result.h": "",
            "http/server/client_limits.h": '#include "core/result.h"\n',
            "config/config.h": '#include "http/server/client_limits.h"\n#include <vector>\n',
        })
        self.assertEqual(code, 0, lines)

    def test_http_including_config_fails_naming_file_and_line(self):
        code, lines = run_on({
            "config/config.h": "",
            "http/server/session.h": '// a comment\n#include "config/config.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn('session.h:2: #include "config/config.h": http/ may not include config/',
                      lines[0])

    def test_canonical_may_name_only_the_listed_wire_header(self):
        code, lines = run_on({
            "wire/format.h": "",
            "wire/openai/openai_format.h": "",
            "canonical/a.cc": '#include "wire/format.h"\n',
            "canonical/b.cc": '#include "wire/openai/openai_format.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertEqual(len(lines), 2, lines)  # one problem and the count
        self.assertIn("b.cc:1", lines[0])

    def test_a_ledger_backend_may_not_include_the_other(self):
        code, lines = run_on({
            "ledger/sqlite/ledger_schema.h": "",
            "ledger/query/ledger_store.h": "",
            "ledger/postgres/ok.cc": '#include "ledger/query/ledger_store.h"\n',
            "ledger/postgres/bad.cc": '#include "ledger/sqlite/ledger_schema.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("ledger/postgres/ may not include ledger/sqlite/", lines[0])
        self.assertEqual(len(lines), 2, lines)

    def test_only_the_factory_at_the_top_of_ledger_knows_the_backends(self):
        code, lines = run_on({
            "ledger/sqlite/sqlite_ledger_sink.h": "",
            "ledger/ledger_factory.cc": '#include "ledger/sqlite/sqlite_ledger_sink.h"\n',
            "ledger/call_record.cc": '#include "ledger/sqlite/sqlite_ledger_sink.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertEqual(len(lines), 2, lines)
        self.assertIn("call_record.cc:1", lines[0])

    def test_a_new_folder_must_get_an_entry(self):
        code, lines = run_on({"core/result.h": "", "vault/lru.h": '#include "core/result.h"\n'})
        self.assertEqual(code, 1)
        self.assertIn("vault/ has no entry", lines[0])

    def test_the_source_tree_keeps_its_layering(self):
        code, lines = run_on({})  # an empty tree passes ...
        self.assertEqual(code, 0)
        out = io.StringIO()  # ... and so must the real one
        with contextlib.redirect_stdout(out), unittest.mock.patch(
                "sys.argv", ["x", os.path.join(ROOT, "src")]):
            self.assertEqual(check_layers.main(), 0, out.getvalue())


if __name__ == "__main__":
    unittest.main()
