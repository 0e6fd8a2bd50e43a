#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-json.py SCHEMA FILE...: validate memtally's JSON against its schema.

Each FILE is validated against the $defs entry its name gives: NAME.json
or NAME-VARIANT.json (an optional "json-" prefix is dropped, as the guest
names what it ships) against $defs/NAME; a .jsonl file line by line.  One
line per file; the exit code is 1 if any failed.
check-json.py SCHEMA --self-test [FILE...]: a valid sample passes and the
same sample with a key renamed fails, so that the check is known to bite;
then each valid FILE with each of its keys renamed in turn (the first item
of each array; not the keys of maps, MAPS below) must fail too: every
object of a fixed shape lists its keys as required and allows no others.
"""
import json
import os
import re
import sys
import tempfile

from jsonschema import Draft202012Validator


def validator(schema, name):
    if name not in schema.get("$defs", {}):
        return None
    return Draft202012Validator(dict(schema, **{"$ref": "#/$defs/" + name}))


def def_name(path):
    base = os.path.basename(path)
    if base.startswith("json-"):
        base = base[5:]
    return re.split(r"[-.]", base, maxsplit=1)[0]


def errors_of(v, docs):
    for i, doc in enumerate(docs):
        for e in v.iter_errors(doc):
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            yield "%s%s: %s" % ("line %d: " % (i + 1) if len(docs) > 1
                                else "", where, e.message[:200])


def strict(const):
    raise ValueError("%s is not JSON (RFC 8259 has no such number)" % const)


def load(path):
    """The documents of @path: one, or a .jsonl file's lines"""
    with open(path) as f:
        if path.endswith(".jsonl"):
            return [json.loads(l, parse_constant=strict)
                    for l in f if l.strip()]
        return [json.load(f, parse_constant=strict)]


def check(schema, path):
    name = def_name(path)
    v = validator(schema, name)
    if v is None:
        return ["no $defs/%s in the schema" % name]
    try:
        docs = load(path)
    except (OSError, ValueError) as e:
        return ["not JSON: %s" % e]
    if not docs:
        return ["empty"]
    return list(errors_of(v, docs))


# Objects whose keys are data, not names (per $defs entry; "*" is any
# array index): renaming one of their keys is no error
MAPS = {
    "report": {"unavailable"},
    "snapshot": {"files"},
}


def shrink(doc, maps, path=""):
    """@doc with each array cut to its first item and each map to two
    entries: the same shapes, validated quickly"""
    if isinstance(doc, list):
        return [shrink(doc[0], maps, path + "/*")] if doc else []
    if isinstance(doc, dict):
        items = list(doc.items())
        if path.lstrip("/") in maps:
            items = items[:2]
        return {k: shrink(v, maps, path + "/" + k) for k, v in items}
    return doc


def renamed(doc, maps, path=""):
    """Each (path, key, parent object) of @doc whose key may be renamed"""
    if isinstance(doc, list):
        for item in doc[:1]:
            yield from renamed(item, maps, path + "/*")
    elif isinstance(doc, dict):
        for k in list(doc):
            if path.lstrip("/") not in maps:
                yield path + "/" + k, k, doc
            yield from renamed(doc[k], maps, path + "/" + k)


def self_test_file(schema, path):
    """Every key of @path renamed, one at a time: each must fail"""
    name = def_name(path)
    v = validator(schema, name)
    if v is None:
        return ["no $defs/%s in the schema" % name]
    docs = load(path)
    maps = MAPS.get(name, set())
    missed, n = [], 0
    for doc in docs:
        doc = shrink(doc, maps)
        if list(v.iter_errors(doc)):
            return ["not valid to begin with"]
        for where, k, parent in list(renamed(doc, maps)):
            # the same key order, one key renamed
            items = list(parent.items())
            parent.clear()
            parent.update((k + "_renamed" if x == k else x, y)
                          for x, y in items)
            n += 1
            if not list(v.iter_errors(doc)):
                missed.append(where)
            parent.clear()
            parent.update(items)
    print("self-test: %s: %d keys renamed, %d not caught"
          % (path, n, len(missed)))
    return ["renaming %s is not caught" % m for m in missed] if n else \
        ["no keys"]


def self_test(schema):
    status = {"version": "0.1.0", "kernel_release": "6.12.0",
              "nr_cgroups": 3, "unattributed": 0, "events_dropped": 0,
              "reclaim_unpaired": 0, "reclaim_names_memcg": False,
              "stall_threshold_us": 0,
              "hooks": [{"name": "faults-user",
                         "tracepoint": "page_fault_user",
                         "state": "attached", "errno": 0}]}
    rates = {"time": "2026-11-22T13:00:00Z", "interval_s": 1.001,
             "pgpgin_kb_per_s": 0.0, "pgpgout_kb_per_s": 4.0,
             "fault_per_s": 12.0, "majflt_per_s": 0.0,
             "pgfree_per_s": 30.0, "pgscank_per_s": 0.0,
             "pgscand_per_s": 0.0, "pgscanc_per_s": 10.5,
             "pgsteal_per_s": 9.0, "vmeff_pct": 85.71,
             "direct_stalls_per_s": 0.0, "memcg_stalls_per_s": 1.0,
             "slab_ms_per_s": None, "throttled_per_s": 0.0,
             "pgwriteback_per_s": 0.0, "oom_kills": 0}
    stall = {"event": "reclaim-stall", "timestamp_ns": 1, "pid": 42,
             "comm": "mt_touch", "cgroup_id": 7, "path": "/sq",
             "reclaim_kind": "memcg", "stall_ns": 1500, "reclaimed": 32}
    # (def, a valid sample, the key renamed in the invalid copy)
    cases = [("status", status, "nr_cgroups"),
             ("reclaim", rates, "pgsteal_per_s"),
             ("events", stall, "stall_ns")]
    ok = True
    for name, good, key in cases:
        bad = dict(good)
        bad[key[:-1]] = bad.pop(key)
        v = validator(schema, name)
        ok_good = v is not None and not list(v.iter_errors(good))
        ok_bad = v is not None and bool(list(v.iter_errors(bad)))
        print("self-test: a valid %s %s, one with %s renamed %s"
              % (name, "passes" if ok_good else "FAILS", key,
                 "fails" if ok_bad else "PASSES"))
        ok = ok and ok_good and ok_bad
    # NaN is no JSON number: a file holding one is refused
    fd, path = tempfile.mkstemp(prefix="json-reclaim-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(json.dumps(dict(rates, vmeff_pct=float("nan"))))
    nan_refused = any("not JSON" in e for e in check(schema, path))
    os.unlink(path)
    print("self-test: a reclaim line with NaN %s"
          % ("is refused" if nan_refused else "PASSES"))
    return ok and nan_refused


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    if sys.argv[2] == "--self-test":
        ok = self_test(schema)
        for path in sys.argv[3:]:
            for e in self_test_file(schema, path)[:10]:
                print("FAIL %s: %s" % (path, e))
                ok = False
        sys.exit(0 if ok else 1)
    failed = 0
    for path in sys.argv[2:]:
        errs = check(schema, path)
        if errs:
            failed += 1
            print("FAIL %s ($defs/%s)" % (path, def_name(path)))
            for e in errs[:10]:
                print("#   " + e)
        else:
            print("ok   %s ($defs/%s)" % (path, def_name(path)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
