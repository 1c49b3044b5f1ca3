#!/usr/bin/env python3
"""Generates switchyard's price catalog from the two public price sources (standard library only).

    python3 scripts/gen_price_catalog.py                  # write the catalog files
    python3 scripts/gen_price_catalog.py --check          # CI: committed files are what we'd write
    python3 scripts/gen_price_catalog.py --disagreements  # print unexplained rows as decision stubs
    options: --data DIR (default ../shared/data from the repo root), --date YYYY-MM-DD (generation date)

Inputs: LiteLLM's litellm-model-prices.json (the base: every chat, responses and embedding entry of
our 11 providers) and pydantic's genai-prices.json (the cross-check; also dated price changes and the
models LiteLLM lacks). Both are described in ../shared/data/README.md. Reviewed judgements live in
scripts/price_decisions.json: every field on which the sources disagree needs an entry there, and so
does every dated change after the LiteLLM snapshot; the run fails listing anything unexplained, and
also fails on a decision that no longer matches the data (stale) or is never used.

Outputs (byte-for-byte deterministic for a given --date): data/price_catalog.json (compact, sorted),
src/pricing/price_catalog_data.inc (the same JSON as adjacent C++ raw string literals), and the two
sources' MIT notices in data/. Prices are integer nano-dollars per million tokens, converted from the
sources' decimal text with exact decimal arithmetic (never binary floats).
"""

import argparse
import datetime as dt
import decimal
import hashlib
import json
import os
import re
import sys
from collections import Counter
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DECISIONS = os.path.join(ROOT, "scripts", "price_decisions.json")
OUT_JSON = os.path.join(ROOT, "data", "price_catalog.json")
OUT_INC = os.path.join(ROOT, "src", "pricing", "price_catalog_data.inc")
LICENSES = ("LICENSE-litellm.txt", "LICENSE-genai-prices.txt")
INC_CHUNK = 50000  # characters per raw string literal (some compilers cap one literal at 64 KiB)

# switchyard provider, LiteLLM litellm_provider values, key prefix, bare keys allowed, genai-prices id
PROVIDERS = [
    ("openai", ("openai",), "openai/", True, "openai"),
    ("anthropic", ("anthropic",), "anthropic/", True, "anthropic"),
    ("gemini", ("gemini",), "gemini/", True, "google"),
    ("groq", ("groq",), "groq/", False, "groq"),
    ("cerebras", ("cerebras",), "cerebras/", False, "cerebras"),
    ("mistral", ("mistral",), "mistral/", False, "mistral"),
    ("deepinfra", ("deepinfra",), "deepinfra/", False, None),
    ("xai", ("xai",), "xai/", False, "x-ai"),
    ("openrouter", ("openrouter",), "openrouter/", False, "openrouter"),
    ("together", ("together_ai",), "together_ai/", False, "together"),
    ("fireworks", ("fireworks_ai", "fireworks_ai-embedding-models"), "fireworks_ai/", False, "fireworks"),
]
MODES = ("chat", "responses", "embedding")
CLASSES = ("input", "cached_input", "cache_write_5m", "cache_write_1h", "output", "reasoning")
LL_FIELDS = {  # catalog class -> LiteLLM keys, first present wins (USD per token)
    "input": ("input_cost_per_token",),
    "cached_input": ("cache_read_input_token_cost", "input_cost_per_token_cache_hit"),
    "cache_write_5m": ("cache_creation_input_token_cost",),
    "cache_write_1h": ("cache_creation_input_token_cost_above_1hr",),
    "output": ("output_cost_per_token",),
    "reasoning": ("output_cost_per_reasoning_token",),
}
LL_TIER = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
                     r"cache_creation_input_token_cost_above_1hr|cache_creation_input_token_cost|"
                     r"output_cost_per_reasoning_token)_above_(\d+)k_tokens$")
LL_TIER_FIELD = {keys[0]: cls for cls, keys in LL_FIELDS.items()}
GP_FIELDS = {  # catalog class -> genai-prices keys, first present wins (USD per million tokens)
    "input": ("input_mtok", "input_text_mtok"),
    "cached_input": ("cache_read_mtok", "cache_text_read_mtok"),
    "cache_write_5m": ("cache_write_5m_mtok", "cache_write_mtok", "cache_text_write_5m_mtok",
                       "cache_text_write_mtok"),
    "cache_write_1h": ("cache_write_1h_mtok", "cache_text_write_1h_mtok"),
    "output": ("output_mtok", "output_text_mtok"),
    "reasoning": ("output_reasoning_mtok",),
}
CONVENTIONS = [
    "Prices are integer nano-dollars (1e-9 USD) per million tokens, per token class.",
    "Token classes are disjoint: input = uncached prompt tokens; cached_input = cache reads; "
    "cache_write_5m = cache writes (Anthropic's 5-minute TTL; other providers' only write price); "
    "cache_write_1h = Anthropic's 1-hour-TTL writes; output = every output token, reasoning included; "
    "reasoning = the price of the reasoning part of output.",
    "An absent price is unknown, never 0. A 0 is a listed free price.",
    "reasoning equals output unless a source lists a separate reasoning price; such derived fields "
    "are marked \"=output\" in the period's src.",
    "tiers: when the attempt's prompt total (input + cached_input + both cache writes) is greater "
    "than `above`, every token of the attempt is priced at that tier's prices; a class the tier "
    "does not price is unknown above the threshold.",
    "periods: `from` is the UTC day a price takes effect; the first period has no `from`.",
    "src names the source of any field not from the model's origin; tier fields are named "
    "CLASS>THRESHOLD.",
    "Not modelled: batch, flex and priority tiers, regional uplifts, fast modes, per-request and "
    "web-search fees, audio/image/video token prices.",
    "caps.context_window is the largest prompt the model accepts (LiteLLM max_input_tokens, else "
    "genai-prices context_window).",
]


class Fail(Exception):
    pass


# ------------------------------------------------------------------ money

STATS = Counter()
ROUNDED = {}  # where -> exact value, for prices that are not whole nano-dollars per million tokens


def to_nanos(usd, scale, where):
    """USD value (Decimal or int from the JSON text) times 10**scale, rounded half-even once."""
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(usd).scaleb(scale)
        whole = exact.to_integral_value(rounding=decimal.ROUND_HALF_EVEN)
    if whole != exact:
        ROUNDED[where] = str(exact)
    return int(whole)


def usd_text(nanos):
    """Nano-dollars per million tokens as exact USD-per-million text ('0.15', '3', '0.083333333')."""
    whole, frac = divmod(nanos, 10**9)
    return str(whole) + (("." + ("%09d" % frac).rstrip("0")) if frac else "")


def is_number(value):
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


# ------------------------------------------------------------------ genai-prices semantics

def clause_matches(clause, text):
    """genai-prices' match rules; `text` is lower-cased (as in its reference implementation)."""
    if "or" in clause:
        return any(clause_matches(c, text) for c in clause["or"])
    if "and" in clause:
        return all(clause_matches(c, text) for c in clause["and"])
    for op, test in (("equals", lambda a, b: a == b), ("starts_with", str.startswith),
                     ("ends_with", str.endswith), ("contains", lambda a, b: b in a)):
        if op in clause:
            return test(text, clause[op].lower())
    if "regex" in clause:
        return re.search(clause["regex"], text) is not None
    raise Fail("unknown genai-prices match clause %r" % (clause,))


def find_genai(provider, model_id):
    ref = model_id.lower()
    return next((m for m in provider["models"] if clause_matches(m["match"], ref)), None)


def equals_values(clause):
    if "or" in clause:
        return [v for c in clause["or"] for v in equals_values(c)]
    return [clause["equals"]] if "equals" in clause else []


def genai_periods(model, where):
    """[(from date or None, price set)] in date order; a price set is {class or CLASS>N: nanos}."""
    prices = model["prices"]
    conds = [{"prices": prices}] if isinstance(prices, dict) else prices
    out = []
    for cond in conds:
        constraint = cond.get("constraint")
        if constraint and set(constraint) != {"start_date"}:
            raise Fail("%s: genai-prices constraint %r is not a date" % (where, constraint))
        start = constraint["start_date"] if constraint else None
        out.append((start, genai_price_set(cond["prices"], where)))
    return sorted(out, key=lambda p: p[0] or "")


def genai_price_set(prices, where):
    if not prices:  # genai-prices writes a free model as an empty price object
        return {"input": 0, "output": 0}
    out = {}
    for cls, keys in GP_FIELDS.items():
        value = next((prices[k] for k in keys if k in prices), None)
        if value is None:
            continue
        base, tiers = (value["base"], value.get("tiers", [])) if isinstance(value, dict) else (value, [])
        out[cls] = to_nanos(base, 9, "%s %s" % (where, cls))
        for tier in tiers:
            out["%s>%d" % (cls, tier["start"])] = to_nanos(tier["price"], 9, "%s %s>%d" % (
                where, cls, tier["start"]))
    return out


# ------------------------------------------------------------------ LiteLLM entries

def litellm_models(litellm, decisions):
    """{provider: {model id: (LiteLLM key, entry)}} for our providers' chat/responses/embedding."""
    out = {p[0]: {} for p in PROVIDERS}
    seen = {}
    for key in sorted(litellm):
        entry = litellm[key]
        if key in ("sample_spec", "fallback_generalizations") or not isinstance(entry, dict):
            continue
        spec = next((p for p in PROVIDERS if entry.get("litellm_provider") in p[1]), None)
        if spec is None or entry.get("mode") not in MODES:
            continue
        name, _, prefix, bare_ok, _ = spec
        if key.startswith(prefix):
            model = key[len(prefix):]
        elif bare_ok:
            model = key
        else:
            STATS["skipped LiteLLM keys without the provider prefix (size buckets)"] += 1
            continue
        if not model or model.endswith("/"):
            STATS["skipped LiteLLM keys with an empty model id"] += 1
            continue
        if name == "fireworks" and "/" not in model:  # LiteLLM's short form of accounts/fireworks/...
            full = [f for f in ("accounts/fireworks/models/" + model, "accounts/fireworks/routers/" + model)
                    if prefix + f in litellm]
            if full:
                seen.setdefault((name, full[0]), []).append(key)
                STATS["LiteLLM short Fireworks keys folded into the full id"] += 1
                continue
        if decisions.take("exclude", (name, model)):
            continue
        seen.setdefault((name, model), []).append(key)
    for (name, model), keys in sorted(seen.items()):
        # Prefer Fireworks' full form; the short form must still price the model identically.
        chosen = sorted(keys, key=lambda k: not k.startswith("fireworks_ai/accounts/"))[0]
        if len(keys) > 1:
            shapes = {json.dumps(litellm_shape(litellm[k], name, model, decisions, False), sort_keys=True)
                      for k in keys}
            if len(shapes) > 1:
                pick = decisions.take("litellm_duplicates", (name, model))
                if not pick or pick["use"] not in keys:
                    decisions.problems.append("LiteLLM keys %s disagree for %s/%s: add a litellm_duplicates "
                                              "decision naming the key to use" % (keys, name, model))
                    continue
                chosen = pick["use"]
            STATS["LiteLLM duplicate keys for one model id"] += len(keys) - 1
        out[name][model] = (chosen, litellm[chosen])
    return out


def litellm_shape(entry, provider, model, decisions, count=True):
    """(price set, capabilities) of one LiteLLM entry; 0 is unknown unless a decision says free."""
    prices = {}
    for cls, keys in LL_FIELDS.items():
        key = next((k for k in keys if is_number(entry.get(k))), None)
        if key:
            prices[cls] = to_nanos(entry[key], 15, "%s/%s %s" % (provider, model, key))
    for key, value in entry.items():
        m = LL_TIER.match(key)
        if m and is_number(value):
            field = "%s>%d" % (LL_TIER_FIELD[m.group(1)], int(m.group(2)) * 1000)
            prices[field] = to_nanos(value, 15, "%s/%s %s" % (provider, model, key))
    for field in sorted(prices):
        if prices[field] != 0:
            continue
        if entry.get("mode") == "embedding" and field.split(">")[0] in ("output", "reasoning"):
            del prices[field]  # embeddings produce no output tokens; 0 there is not a price
            STATS["LiteLLM 0 output prices of embeddings dropped"] += count
        elif field not in (decisions.take("zero_is_free", (provider, model), mark=count) or {}).get(
                "fields", ()):
            del prices[field]
            STATS["LiteLLM 0 prices treated as unknown (placeholders)"] += count
    caps = {}
    for cap, key in (("context_window", "max_input_tokens"), ("max_output_tokens", "max_output_tokens")):
        if is_number(entry.get(key)) and int(entry[key]) == entry[key] and entry[key] > 0:
            caps[cap] = int(entry[key])
    for cap, key in (("tools", "supports_function_calling"), ("vision", "supports_vision"),
                     ("json_schema", "supports_response_schema")):
        if isinstance(entry.get(key), bool):
            caps[cap] = entry[key]
    return prices, caps


# ------------------------------------------------------------------ decisions

class Decisions:
    """The reviewed judgements in price_decisions.json, with use tracking (unused = stale)."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        self.index, self.used, self.problems = {}, set(), []
        for kind in ("exclude", "zero_is_free", "litellm_duplicates", "not_same_model", "fields",
                     "dated_changes"):
            for row in self.doc.get(kind, []):
                extra = {"fields": row.get("field"), "dated_changes": row.get("from")}.get(kind) or ""
                k = (kind, row["provider"], row["model"], extra)
                if k in self.index:
                    raise Fail("duplicate decision %r" % (k,))
                if row.get("reason") not in self.doc["reasons"]:
                    raise Fail("decision %r: reason %r is not in `reasons`" % (k, row.get("reason")))
                self.index[k] = row

    def take(self, kind, model_key, extra="", mark=True):
        k = (kind,) + model_key + (extra,)
        row = self.index.get(k)
        if row is not None and mark:
            self.used.add(k)
        return row

    def unused(self):
        return sorted(k for k in self.index if k not in self.used)


# ------------------------------------------------------------------ merging and cross-checking

def derive_reasoning(prices, src):
    for field in sorted(prices):
        cls, _, tier = field.partition(">")
        if cls == "output":
            target = "reasoning" + (">" + tier if tier else "")
            if target not in prices:
                prices[target] = prices[field]
                src[target] = "=output"


def make_period(start, prices, src):
    out = {"prices": {k: v for k, v in prices.items() if ">" not in k}}
    tiers = {}
    for field, value in prices.items():
        if ">" in field:
            cls, above = field.split(">")
            tiers.setdefault(int(above), {})[cls] = value
    if tiers:
        out["tiers"] = [{"above": a, "prices": tiers[a]} for a in sorted(tiers)]
    if start:
        out["from"] = start
    if src:
        out["src"] = src
    return out


def cross_check(provider, model, ll_prices, gp_model, as_of, decisions, report):
    """The catalog's periods for a LiteLLM model that genai-prices also prices."""
    where = "%s/%s" % (provider, model)
    periods = genai_periods(gp_model, where)
    current = max((i for i, p in enumerate(periods) if (p[0] or "") <= as_of), default=0)
    gp = periods[current][1]
    merged, src = {}, {}
    for field in sorted(set(ll_prices) | set(gp)):
        a, b = ll_prices.get(field), gp.get(field)
        if a is not None and b is not None and a != b:
            row = decisions.take("fields", (provider, model), field)
            stub = {"provider": provider, "model": model, "field": field, "genai_model": gp_model["id"],
                    "litellm": usd_text(a), "genai": usd_text(b)}
            if row is None:
                report["unexplained"].append(stub)
                continue
            if row.get("litellm") != stub["litellm"] or row.get("genai") != stub["genai"]:
                decisions.problems.append("stale decision %s %s: sources now say litellm %s, genai %s"
                                          % (where, field, stub["litellm"], stub["genai"]))
                continue
            report["resolved"]["field disagreements"][row["reason"]] += 1
            if row["take"] == "genai":
                merged[field], src[field] = b, "genai-prices"
            elif row["take"] == "litellm":
                merged[field] = a
            else:
                raise Fail("decision %s %s: take must be litellm or genai" % (where, field))
        elif a is not None:
            merged[field] = a
            report["counts"]["agree" if b is not None else "only LiteLLM (kept)"] += 1
        else:
            merged[field], src[field] = b, "genai-prices"
            report["counts"]["only genai-prices (filled in)"] += 1
    derive_reasoning(merged, src)
    out = []
    for i, (start, prices) in enumerate(periods):
        if i == current:
            out.append(make_period(start if i else None, merged, src))
            continue
        if (start or "") > as_of:
            row = decisions.take("dated_changes", (provider, model), start)
            if not row:
                report["unexplained"].append({"provider": provider, "model": model, "from": start,
                                              "genai_model": gp_model["id"], "kind": "dated change"})
                continue
            lost = sorted(set(out[-1]["prices"]) - set(prices) - {"reasoning"})
            if lost:
                decisions.problems.append("%s: the change from %s drops %s" % (where, start, lost))
            report["resolved"]["dated changes after the LiteLLM snapshot"][row["reason"]] += 1
        else:
            report["counts"]["earlier genai-prices periods kept as history"] += 1
        prices, psrc = dict(prices), {f: "genai-prices" for f in prices}
        derive_reasoning(prices, psrc)
        out.append(make_period(start if i else None, prices, psrc))
    return out


def genai_only(provider, gp_provider, hit, catalog, decisions, report):
    """Models genai-prices lists that no LiteLLM key of the provider matches, by their exact ids."""
    for gm in gp_provider["models"]:
        if gm["id"] in hit:
            continue
        ids = equals_values(gm["match"])
        if clause_matches(gm["match"], gm["id"].lower()):
            ids.append(gm["id"])
        for model in sorted(set(ids)):
            if not model[-1].isalnum():
                STATS["genai-prices ids skipped: a match-rule prefix, not an id"] += 1
            elif ":" in model and provider != "openrouter":
                STATS["genai-prices ids skipped: another host's id form (':')"] += 1
            elif provider == "gemini" and model.startswith("claude"):
                STATS["genai-prices ids skipped: Claude on Vertex in Google's list"] += 1
            elif model in catalog[provider] or find_genai(gp_provider, model) is not gm:
                STATS["genai-prices ids skipped: already listed or priced by another rule"] += 1
            elif not decisions.take("exclude", (provider, model)):
                where = "%s/%s" % (provider, model)
                periods = []
                for i, (start, prices) in enumerate(genai_periods(gm, where)):
                    prices, src = dict(prices), {}
                    derive_reasoning(prices, src)
                    periods.append(make_period(start if i else None, prices, src))
                entry = {"origin": "genai-prices", "genai": gm["id"], "periods": periods, "caps": {}}
                if gm.get("context_window"):
                    entry["caps"]["context_window"] = gm["context_window"]
                if gm.get("deprecated"):
                    entry["deprecated"] = True
                catalog[provider][model] = entry
                report["genai_only"][provider] += 1


def build(data_dir, decisions, generated):
    STATS.clear()
    ROUNDED.clear()
    sources = decisions.doc["sources"]
    for src in sources:
        with open(os.path.join(data_dir, src["file"]), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != src["sha256"]:
            raise Fail("%s changed (sha256 %s): update `sources` in %s (commit, date, sha256) from "
                       "the data README, then review the new disagreements" % (src["file"], digest, DECISIONS))
    with open(os.path.join(data_dir, sources[0]["file"]), encoding="utf-8") as f:
        litellm = json.load(f, parse_float=Decimal)
    with open(os.path.join(data_dir, sources[1]["file"]), encoding="utf-8") as f:
        genai = {p["id"]: p for p in json.load(f, parse_float=Decimal)}
    as_of = sources[0]["date"]
    report = {"unexplained": [], "resolved": {}, "counts": Counter(), "genai_only": Counter()}
    for kind in ("field disagreements", "ids genai-prices prices as another model",
                 "dated changes after the LiteLLM snapshot"):
        report["resolved"][kind] = Counter()
    catalog = {p[0]: {} for p in PROVIDERS}
    for provider, models in litellm_models(litellm, decisions).items():
        gp_provider = genai.get(dict((p[0], p[4]) for p in PROVIDERS)[provider])
        for model, (key, entry) in sorted(models.items()):
            prices, caps = litellm_shape(entry, provider, model, decisions)
            out = {"origin": "litellm", "mode": entry["mode"], "caps": caps}
            if isinstance(entry.get("deprecation_date"), str):
                out["deprecation_date"] = entry["deprecation_date"]
            gm = find_genai(gp_provider, model) if gp_provider else None
            wrong = decisions.take("not_same_model", (provider, model))
            if wrong and (gm is None or wrong.get("genai_model") != gm["id"]):
                decisions.problems.append("stale not_same_model decision for %s/%s" % (provider, model))
            if gm is not None and not wrong:
                out["genai"] = gm["id"]
                out["periods"] = cross_check(provider, model, prices, gm, as_of, decisions, report)
                if "context_window" not in caps and gm.get("context_window"):
                    caps["context_window"] = gm["context_window"]
            else:
                if wrong:
                    report["resolved"]["ids genai-prices prices as another model"][wrong["reason"]] += 1
                src = {}
                derive_reasoning(prices, src)
                out["periods"] = [make_period(None, prices, src)]
            catalog[provider][model] = out
        if gp_provider:
            hit = {m["id"] for k, e in litellm.items() if isinstance(e, dict)
                   and e.get("litellm_provider") in next(p[1] for p in PROVIDERS if p[0] == provider)
                   for m in [find_genai(gp_provider, strip_prefix(provider, k))] if m}
            genai_only(provider, gp_provider, hit, catalog, decisions, report)
    for k in decisions.unused():
        decisions.problems.append("decision never used (stale?): %s" % (k,))
    counts = {p: len(m) for p, m in catalog.items()}
    doc = {
        "schema": 1, "generated": generated, "generator": "scripts/gen_price_catalog.py",
        "sources": [{k: v for k, v in s.items() if k != "file"} for s in sources],
        "units": "nano-dollars (1e-9 USD) per million tokens", "conventions": CONVENTIONS,
        "stats": {"models": counts, "genai_only_models": dict(report["genai_only"]),
                  "disagreements_resolved": {k: dict(v) for k, v in report["resolved"].items()},
                  "field_comparisons": dict(report["counts"]), "rules": dict(STATS),
                  "non_integer_prices_rounded_half_even": dict(sorted(ROUNDED.items()))},
        "models": catalog,
    }
    return doc, report


def strip_prefix(provider, key):
    prefix = next(p[2] for p in PROVIDERS if p[0] == provider)
    key = key[len(prefix):] if key.startswith(prefix) else key
    if provider == "fireworks" and "/" not in key:
        key = "accounts/fireworks/models/" + key
    return key


# ------------------------------------------------------------------ output

def render(doc):
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
    if ')json"' in text:
        raise Fail("catalog text contains the raw-string delimiter")
    lines = ["// Generated by scripts/gen_price_catalog.py from data/price_catalog.json: do not edit.",
             "// The catalog's JSON as adjacent raw string literals (each under 60,000 characters)."]
    lines += ['R"json(%s)json"' % text[i:i + INC_CHUNK] for i in range(0, len(text), INC_CHUNK)]
    return {OUT_JSON: text, OUT_INC: "\n".join(lines) + "\n"}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--date", help="generation date YYYY-MM-DD (default: today, UTC)")
    ap.add_argument("--check", action="store_true", help="verify the committed files; write nothing")
    ap.add_argument("--disagreements", action="store_true", help="print unexplained rows as JSON")
    args = ap.parse_args(argv)
    generated = args.date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    if args.check and not args.date:
        try:
            with open(OUT_JSON, encoding="utf-8") as f:
                generated = json.load(f)["generated"]
        except (OSError, ValueError, KeyError) as e:
            print("check: cannot read %s: %s" % (OUT_JSON, e), file=sys.stderr)
            return 1
    try:
        decisions = Decisions(DECISIONS)
        doc, report = build(args.data, decisions, generated)
    except (Fail, OSError, ValueError, KeyError) as e:
        print("gen_price_catalog: %s" % e, file=sys.stderr)
        return 1
    if args.disagreements:
        print(json.dumps(report["unexplained"], indent=1, sort_keys=True))
    if report["unexplained"] or decisions.problems:
        for row in report["unexplained"]:
            print("unexplained disagreement: %s" % json.dumps(row, sort_keys=True), file=sys.stderr)
        for problem in decisions.problems:
            print("decision problem: %s" % problem, file=sys.stderr)
        print("gen_price_catalog: %d unexplained disagreement(s), %d decision problem(s); see %s"
              % (len(report["unexplained"]), len(decisions.problems), DECISIONS), file=sys.stderr)
        return 1
    files = render(doc)
    for name in LICENSES:
        with open(os.path.join(args.data, name), encoding="utf-8") as f:
            files[os.path.join(ROOT, "data", name)] = f.read()
    stale = []
    for path, text in sorted(files.items()):
        if args.check:
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                stale.append(os.path.relpath(path, ROOT))
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    if stale:
        print("check: out of date (run python3 scripts/gen_price_catalog.py --date %s): %s"
              % (generated, ", ".join(stale)), file=sys.stderr)
        return 1
    stats = doc["stats"]
    print("price catalog %s: %s" % (generated, ", ".join("%s %d" % kv for kv in stats["models"].items())))
    for kind, reasons in sorted(report["resolved"].items()):
        print("  %s: %d %s" % (kind, sum(reasons.values()), dict(sorted(reasons.items()))))
    print("  comparisons: %s" % dict(sorted(report["counts"].items())))
    print("  non-integer prices rounded half-even: %d %s" % (len(ROUNDED), sorted(ROUNDED)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
