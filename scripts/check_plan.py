#!/usr/bin/env python3
"""Check a Qingshan plan file (format qingshan.plan/1) before importing it.

    python3 scripts/check_plan.py PLAN.json [PLAN.json ...]
    python3 scripts/check_plan.py --schema schemas/plan.schema.json PLAN.json

Two passes, both reported in full:
  1. the JSON Schema (schemas/plan.schema.json, draft 2020-12; needs the Python package `jsonschema`);
  2. the rules the import applies: unique numbers, categories exist, each project's total equals
     fiscal + social + other (a blank cell counts as 0), each category's projects sum to its printed subtotal,
     the subtotals sum to projects_total, value objects agree with their kind, years are sensible.
Warnings (printed text that reads differently from kind/value/comparator/cumulative, a carried-down field that
is still empty, years that disagree with start/end years) do not fail the check unless --strict is given.

Exit status: 0 valid, 1 problems found, 2 the file or the schema could not be read.
Money is compared to the yuan (万元 x 10000, rounded), as the import does.
"""
import argparse
import json
import os
import re
import sys

FORMAT = "qingshan.plan/1"
DEFAULT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "plan.schema.json")
SPACE = " \t\r\n\u3000"


def yuan(wan):
    return int(round((wan or 0) * 10000))


def fmt(wan_or_yuan, from_yuan=False):
    v = wan_or_yuan / 10000 if from_yuan else wan_or_yuan
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def parse_text(text):
    """What the import reads from a printed cell when kind is omitted (mirror of PlanValue.parse)."""
    t = text.strip(SPACE)
    if t == "":
        return "blank", None, None, False
    if t in ("—", "-", "–", "——", "/"):
        return "none", None, None, False
    comparator, rest = None, t
    if rest[0] in "≥≧":
        comparator = "≥"
    elif rest[0] in "≤≦":
        comparator = "≤"
    elif rest[0] in "><":
        comparator = rest[0]
    if comparator:
        rest = rest[1:].lstrip(" ")
    m = re.fullmatch(r"[\[［]\s*(-?\d+(?:\.\d+)?)\s*[\]］]", rest)
    if m:
        return "number", float(m.group(1)), comparator, True
    m = re.match(r"-?\d+(?:\.\d+)?", rest)
    if m and (m.end() == len(rest) or rest[m.end()] in "（([%"):
        return "number", float(m.group(0)), comparator, False
    return "text", None, None, False


class Report:
    def __init__(self, name):
        self.name = name
        self.errors = []
        self.warnings = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def warn(self, where, message):
        self.warnings.append(f"{where}: {message}")


def where_from_path(plan, path):
    """A schema error path turned into words a plan author recognises (project 9, indicator 5, ...)."""
    labels = {"indicators": "indicator", "projects": "project", "policies": "policy", "highlights": "highlight",
              "project_categories": "category"}
    out, node = [], plan
    parts = list(path)
    i = 0
    while i < len(parts):
        key = parts[i]
        if isinstance(node, dict) and key in labels and i + 1 < len(parts) and isinstance(parts[i + 1], int):
            item = node[key][parts[i + 1]] if parts[i + 1] < len(node[key]) else {}
            label = item.get("name") if key == "project_categories" else item.get("number")
            out.append(f"{labels[key]} {label}" if label is not None else f"{key}[{parts[i + 1]}]")
            node = item
            i += 2
            continue
        out.append(f"[{key}]" if isinstance(key, int) else str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        i += 1
    text = ".".join(out).replace(".[", "[")
    return text or "(top level)"


def check_schema(plan, schema, report):
    try:
        import jsonschema
    except ImportError:
        report.error("schema", "the Python package jsonschema is not installed (pip install jsonschema), "
                               "or run with --no-schema to check only the rules")
        return
    validator = jsonschema.Draft202012Validator(schema)
    for e in sorted(validator.iter_errors(plan), key=lambda e: [str(p) for p in e.absolute_path]):
        report.error(where_from_path(plan, e.absolute_path), e.message)


def check_value(where, v, report):
    if not isinstance(v, dict) or not isinstance(v.get("text"), str):
        return
    kind = v.get("kind")
    if kind is None:
        return  # read from text on import
    value = v.get("value")
    if kind == "number" and not isinstance(value, (int, float)):
        report.error(where, "kind is number but value is missing")
    if kind != "number" and value is not None:
        report.error(where, f"kind is {kind} but a value is given")
    pk, pv, pc, pcum = parse_text(v["text"])
    if pk != kind:
        report.warn(where, f"text {v['text']!r} reads as {pk}, but kind is {kind}")
    elif kind == "number":
        if isinstance(value, (int, float)) and pv is not None and abs(pv - value) > 1e-9:
            report.warn(where, f"text {v['text']!r} reads as {fmt(pv)}, but value is {fmt(value)}")
        if pc != v.get("comparator"):
            report.warn(where, f"text {v['text']!r} reads with comparator {pc}, but comparator is {v.get('comparator')}")
        if pcum != bool(v.get("cumulative", False)):
            report.warn(where, f"text {v['text']!r} reads as cumulative={pcum}, but cumulative is {v.get('cumulative')}")


def duplicates(values):
    seen, out = set(), []
    for v in values:
        if v in seen and v not in out:
            out.append(v)
        seen.add(v)
    return out


def check_rules(plan, report):
    def items(key):
        v = plan.get(key)
        return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []

    if plan.get("format") != FORMAT:
        report.error("format", f"expected {FORMAT!r}, found {plan.get('format')!r}")
    period = plan.get("period") or {}
    start, end = period.get("start_year"), period.get("end_year")
    if isinstance(start, int) and isinstance(end, int):
        if end < start:
            report.error("period", f"{start}-{end} is not a valid span of years")
        base = plan.get("baseline_year")
        if isinstance(base, int) and base > start:
            report.error("baseline_year", f"{base} is after the first year {start}")
        vision = plan.get("vision_year")
        if isinstance(vision, int) and vision < end:
            report.error("vision_year", f"{vision} is before the last year {end}")

    # indicators
    for n in duplicates([i.get("number") for i in items("indicators")]):
        report.error(f"indicator {n}", "number used more than once")
    for ind in items("indicators"):
        here = f"indicator {ind.get('number')}"
        for key in ("baseline", "target"):
            check_value(f"{here}.{key}", ind.get(key), report)
        for field in ind.get("carried_down") or []:
            if ind.get(field) in ("", None):
                report.warn(here, f"{field} is listed in carried_down but is empty")

    # review
    review = plan.get("review")
    if isinstance(review, dict):
        inds = [i for i in review.get("indicators") or [] if isinstance(i, dict)]
        for n in duplicates([i.get("number") for i in inds]):
            report.error(f"review indicator {n}", "number used more than once")
        for ind in inds:
            here = f"review indicator {ind.get('number')}"
            for key in ("base", "target", "result"):
                check_value(f"{here}.{key}", ind.get(key), report)
            for sub in ind.get("sub_rows") or []:
                if isinstance(sub, dict):
                    for key in ("base", "target", "result"):
                        check_value(f"{here} / {sub.get('name')}.{key}", sub.get(key), report)

    # categories and projects
    categories = items("project_categories")
    for name in duplicates([c.get("name") for c in categories]):
        report.error(f"category {name}", "category listed more than once")
    for n in duplicates([c.get("number") for c in categories]):
        report.error(f"category number {n}", "number used more than once")
    projects = items("projects")
    for n in duplicates([p.get("number") for p in projects]):
        report.error(f"project {n}", "number used more than once")
    names = {c.get("name") for c in categories}
    sums, counts = {}, {}
    for p in projects:
        here = f"project {p.get('number')}"
        if p.get("category") not in names:
            report.error(here, f"category {p.get('category')!r} is not among project_categories")
        inv = p.get("investment") if isinstance(p.get("investment"), dict) else {}
        amounts = {k: inv.get(k) for k in ("total", "fiscal", "social", "other")}
        if not all(a is None or isinstance(a, (int, float)) and not isinstance(a, bool) for a in amounts.values()):
            continue  # the schema pass reports the type
        if amounts["total"] is None:
            continue
        for k, a in amounts.items():
            if a is not None and a < 0:
                report.error(f"{here}.investment.{k}", f"must not be negative ({fmt(a)})")
        parts = yuan(amounts["fiscal"]) + yuan(amounts["social"]) + yuan(amounts["other"])
        if parts != yuan(amounts["total"]):
            report.error(here, f"total {fmt(amounts['total'])} 万元 is not fiscal + social + other = "
                               f"{fmt(parts, from_yuan=True)} 万元 (a blank cell counts as 0)")
        sy, ey = p.get("start_year"), p.get("end_year")
        if isinstance(sy, int) and isinstance(ey, int):
            if ey < sy:
                report.error(here, f"end_year {ey} is before start_year {sy}")
            years = p.get("years")
            if isinstance(years, str) and years and years not in (f"{sy}-{ey}", f"{sy}—{ey}", f"{sy}–{ey}") \
                    and not (sy == ey and years == str(sy)):
                report.warn(here, f"years {years!r} does not match start_year {sy} and end_year {ey}")
        for field in p.get("carried_down") or []:
            if p.get(field) in ("", None, []):
                report.warn(here, f"{field} is listed in carried_down but is empty")
        cat = p.get("category")
        sums[cat] = sums.get(cat, 0) + yuan(amounts["total"])
        counts[cat] = counts.get(cat, 0) + 1
    subtotal_sum = 0
    for c in categories:
        sub = c.get("subtotal")
        if not isinstance(sub, (int, float)):
            continue
        subtotal_sum += yuan(sub)
        got = sums.get(c.get("name"), 0)
        if got != yuan(sub):
            report.error(f"category {c.get('name')}",
                         f"its {counts.get(c.get('name'), 0)} projects sum to {fmt(got, from_yuan=True)} 万元 "
                         f"but the printed subtotal is {fmt(sub)} 万元")
    total = plan.get("projects_total")
    if isinstance(total, (int, float)) and subtotal_sum != yuan(total):
        report.error("projects_total", f"category subtotals sum to {fmt(subtotal_sum, from_yuan=True)} 万元 "
                                       f"but the printed total is {fmt(total)} 万元")

    # policies and highlights
    for n in duplicates([p.get("number") for p in items("policies")]):
        report.error(f"policy {n}", "number used more than once")
    for n in duplicates([h.get("number") for h in items("highlights")]):
        report.error(f"highlight {n}", "number used more than once")
    for h in items("highlights"):
        for field in h.get("carried_down") or []:
            if h.get(field) in ("", None, []):
                report.warn(f"highlight {h.get('number')}", f"{field} is listed in carried_down but is empty")


def summary(plan):
    projects = plan.get("projects") or []
    return (f"{len(plan.get('indicators') or [])} indicators, "
            f"{len((plan.get('review') or {}).get('indicators') or [])} review indicators, "
            f"{len(plan.get('project_categories') or [])} categories, {len(projects)} projects "
            f"totalling {fmt(plan.get('projects_total') or 0)} 万元, {len(plan.get('policies') or [])} policies, "
            f"{len(plan.get('highlights') or [])} highlights")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check a Qingshan plan file (qingshan.plan/1).")
    ap.add_argument("files", nargs="+", metavar="PLAN.json")
    ap.add_argument("--schema", default=DEFAULT_SCHEMA, help="JSON Schema to validate against (default: %(default)s)")
    ap.add_argument("--no-schema", action="store_true", help="skip the JSON Schema pass")
    ap.add_argument("--strict", action="store_true", help="treat warnings as problems")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = ap.parse_args(argv)

    schema = None
    if not args.no_schema:
        try:
            with open(args.schema, encoding="utf-8") as f:
                schema = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{args.schema}: cannot read the schema: {e}", file=sys.stderr)
            return 2

    status = 0
    for path in args.files:
        name = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                plan = json.load(f)
        except OSError as e:
            print(f"{name}: cannot read: {e}", file=sys.stderr)
            status = max(status, 2)
            continue
        except ValueError as e:
            print(f"{name}: not valid JSON: {e}", file=sys.stderr)
            status = max(status, 2)
            continue
        if not isinstance(plan, dict):
            print(f"{name}: a plan file is one JSON object", file=sys.stderr)
            status = max(status, 2)
            continue
        report = Report(name)
        if schema is not None:
            check_schema(plan, schema, report)
        check_rules(plan, report)
        problems = report.errors + (report.warnings if args.strict else [])
        for line in problems:
            print(f"{name}: {line}", file=sys.stderr)
        if not args.strict:
            for line in report.warnings:
                print(f"{name}: warning: {line}", file=sys.stderr)
        sys.stderr.flush()
        if problems:
            print(f"{name}: {len(problems)} problem(s)", file=sys.stderr)
            status = max(status, 1)
        elif not args.quiet:
            note = f", {len(report.warnings)} warning(s)" if report.warnings else ""
            print(f"{name}: ok ({summary(plan)}){note}")
    return status


if __name__ == "__main__":
    sys.exit(main())
