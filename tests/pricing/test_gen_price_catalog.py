#!/usr/bin/env python3
"""Tests for scripts/gen_price_catalog.py (standard library only).

    python3 -m unittest discover -s tests/pricing      # from the repository root

The end-to-end check needs the public price data at ../shared/data (as in CI); it is skipped
without it. The unit checks need nothing.
"""

import importlib.util
import json
import os
import unittest
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = importlib.util.spec_from_file_location(
    "gen_price_catalog", os.path.join(ROOT, "scripts", "gen_price_catalog.py"))
gen = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(gen)
DATA = os.path.join(ROOT, "..", "shared", "data")


class MoneyTest(unittest.TestCase):
    def setUp(self):
        gen.ROUNDED.clear()

    def test_exact_decimal_conversion(self):
        # $/token text times 1e15 = nano-dollars per million tokens, with no binary-float error:
        # float(3.3e-07) * 1e15 is 330000000.00000006 in binary floating point.
        self.assertEqual(gen.to_nanos(Decimal("3.3e-07"), 15, "x"), 330_000_000)
        self.assertEqual(gen.to_nanos(Decimal("2.4414e-07"), 15, "x"), 244_140_000)
        self.assertEqual(gen.to_nanos(Decimal("0.0375"), 9, "x"), 37_500_000)
        self.assertEqual(gen.to_nanos(0, 15, "x"), 0)
        self.assertEqual(gen.ROUNDED, {})

    def test_rounds_half_even_and_records(self):
        self.assertEqual(gen.to_nanos(Decimal("0.08333333333333334"), 9, "a"), 83_333_333)
        self.assertEqual(gen.to_nanos(Decimal("0.0000000005"), 9, "b"), 0)   # 0.5 → 0
        self.assertEqual(gen.to_nanos(Decimal("0.0000000015"), 9, "c"), 2)   # 1.5 → 2
        self.assertEqual(gen.to_nanos(Decimal("0.0000000025"), 9, "d"), 2)   # 2.5 → 2
        self.assertEqual(sorted(gen.ROUNDED), ["a", "b", "c", "d"])

    def test_usd_text(self):
        self.assertEqual(gen.usd_text(150_000_000), "0.15")
        self.assertEqual(gen.usd_text(3_000_000_000), "3")
        self.assertEqual(gen.usd_text(83_333_333), "0.083333333")
        self.assertEqual(gen.usd_text(0), "0")


class GenaiRulesTest(unittest.TestCase):
    def test_match_clauses(self):
        clause = {"or": [{"equals": "A-1"}, {"starts_with": "b-"}, {"regex": "^c\\d$"}]}
        self.assertTrue(gen.clause_matches(clause, "a-1"))
        self.assertTrue(gen.clause_matches(clause, "b-anything"))
        self.assertTrue(gen.clause_matches(clause, "c7"))
        self.assertFalse(gen.clause_matches(clause, "c77"))
        self.assertEqual(gen.equals_values(clause), ["A-1"])

    def test_periods_tiers_and_free(self):
        model = {"prices": [
            {"prices": {"input_mtok": 2, "output_mtok": {"base": 10, "tiers": [{"start": 200000,
                                                                                "price": 15}]}}},
            {"constraint": {"start_date": "2026-09-01"},
             "prices": {"input_mtok": 3, "cache_write_mtok": 3.75, "cache_write_1h_mtok": 6}}]}
        periods = gen.genai_periods(json.loads(json.dumps(model), parse_float=Decimal), "m")
        self.assertEqual(periods[0], (None, {"input": 2_000_000_000, "output": 10_000_000_000,
                                             "output>200000": 15_000_000_000}))
        self.assertEqual(periods[1], ("2026-09-01", {"input": 3_000_000_000,
                                                     "cache_write_5m": 3_750_000_000,
                                                     "cache_write_1h": 6_000_000_000}))
        self.assertEqual(gen.genai_price_set({}, "free"), {"input": 0, "output": 0})

    def test_reasoning_defaults_to_output_and_says_so(self):
        prices, src = {"output": 5, "output>200000": 7, "reasoning>200000": 6}, {}
        gen.derive_reasoning(prices, src)
        self.assertEqual(prices["reasoning"], 5)
        self.assertEqual(prices["reasoning>200000"], 6)  # listed: kept
        self.assertEqual(src, {"reasoning": "=output"})


class RenderTest(unittest.TestCase):
    def test_inc_is_the_json_in_short_raw_literals(self):
        doc = {"models": {"p": {"m": {"periods": [{"prices": {"input": 1}}]}}}, "pad": "x" * 130000}
        files = gen.render(doc)
        text = files[gen.OUT_JSON]
        literals = [line for line in files[gen.OUT_INC].split("\n") if line.startswith('R"json(')]
        self.assertGreater(len(literals), 2)
        joined = "".join(files[gen.OUT_INC].split('R"json(')[1:])
        self.assertEqual(joined.replace(')json"\n', ""), text)
        for chunk in files[gen.OUT_INC].split('R"json(')[1:]:
            self.assertLess(len(chunk), 60000)


@unittest.skipUnless(os.path.isdir(DATA), "needs the public price data in ../shared/data")
class EndToEndTest(unittest.TestCase):
    def test_committed_catalog_is_current(self):
        self.assertEqual(gen.main(["--check", "--data", DATA]), 0)

    def test_catalog_shape(self):
        with open(gen.OUT_JSON, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual([s["name"] for s in doc["sources"]], ["litellm", "genai-prices"])
        models = doc["models"]
        self.assertEqual(sorted(models), sorted(p[0] for p in gen.PROVIDERS))
        for provider, entries in models.items():
            for model, entry in entries.items():
                for period in entry["periods"]:
                    for value in period["prices"].values():
                        self.assertIsInstance(value, int, (provider, model))
                        self.assertGreaterEqual(value, 0)
        # Anthropic's 1-hour writes are 2x input everywhere (LiteLLM's two wrong values fixed).
        for model, entry in models["anthropic"].items():
            prices = entry["periods"][-1]["prices"]
            if "cache_write_1h" in prices:
                self.assertEqual(prices["cache_write_1h"], 2 * prices["input"], model)


if __name__ == "__main__":
    unittest.main()
