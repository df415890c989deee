#!/usr/bin/env python3
"""Runs cfz with --json and validates every event against
docs/events.schema.json (a small JSON Schema validator for the keywords that
schema uses: no packages beyond the standard library).

usage: check_events.py CFZ TARGETS_DIR SCHEMA
Bounded by execution counts (--fuzz-time Nx), never by time."""
import json
import os
import subprocess
import sys
import tempfile

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
}


def resolve(root, ref):
    assert ref.startswith("#/"), ref
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def errors(root, schema, value, path="$"):
    """The list of reasons value does not match schema (empty: it does)."""
    out = []
    if "$ref" in schema:
        out += errors(root, resolve(root, schema["$ref"]), value, path)
    for sub in schema.get("allOf", []):
        out += errors(root, sub, value, path)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not errors(root, s, value, path)]
        if len(matches) != 1:
            out.append(f"{path}: matches {len(matches)} of oneOf")
    t = schema.get("type")
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(f"{path}: {value!r} is not an integer")
    elif t and not (isinstance(value, TYPES[t]) and not
                    (t != "boolean" and isinstance(value, bool))):
        out.append(f"{path}: {value!r} is not of type {t}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and isinstance(value, int) and value < schema["minimum"]:
        out.append(f"{path}: {value} < {schema['minimum']}")
    if "minLength" in schema and isinstance(value, str) and \
            len(value) < schema["minLength"]:
        out.append(f"{path}: too short")
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                out.append(f"{path}: missing {k}")
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                out += errors(root, props[k], v, f"{path}.{k}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}: unexpected {k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            out += errors(root, schema["items"], v, f"{path}[{i}]")
    return out


def no_floats(value):
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(no_floats(v) for v in value.values())
    if isinstance(value, list):
        return all(no_floats(v) for v in value)
    return True


def run(cfz, cwd, *args):
    p = subprocess.run([cfz, "run", "--json", "--cache-dir",
                        os.path.join(cwd, "cache"), *args], cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, check=False)
    events = []
    for line in p.stdout.splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            sys.exit(f"not a JSON event on stdout: {line!r}\n{p.stderr}")
    return p.returncode, events, p.stderr


def main():
    cfz, targets, schema_path = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    seen = {}
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            # failures of four kinds, minimized, deduplicated, restarts
            ("-j", "1", "--seed", "1", "--fuzz-time", "10000x",
             "--minimize-time", "500x", "--keep-going",
             os.path.join(targets, "multi_crash")),
            # a failing seed
            ("-j", "1", "--fuzz-time", "100x",
             os.path.join(targets, "fail_always")),
            # a flaky failure (it passes when replayed)
            ("-j", "1", "--seed", "1", "--fuzz-time", "20000x",
             os.path.join(targets, "flaky_first")),
        ]
        for i, args in enumerate(runs):
            cwd = os.path.join(tmp, str(i))
            os.mkdir(cwd)
            rc, events, err = run(cfz, cwd, *args)
            if rc != 1:
                sys.exit(f"cfz run {' '.join(args)}: exit {rc}\n{err}")
            if i == 1 and not any(e.get("event") == "failure" and "origin" in e
                                  for e in events):
                sys.exit(f"no failure event for the failing seed\n{err}")
            if i == 2 and not any(e.get("event") == "failure" and
                                  e.get("flaky") is True for e in events):
                sys.exit(f"no flaky failure event\n{err}")
            for ev in events:
                seen[ev.get("event")] = seen.get(ev.get("event"), 0) + 1
                why = errors(schema, schema, ev)
                if not no_floats(ev):
                    why.append("holds a floating-point number")
                if why:
                    bad += 1
                    print(f"invalid event {json.dumps(ev)}:\n  " +
                          "\n  ".join(why))
    print("events seen:", json.dumps(seen, sort_keys=True))
    want = ["stats", "new_coverage", "failure", "minimize_start",
            "minimize_end", "worker_restart", "summary"]
    missing = [w for w in want if w not in seen]
    if missing:
        sys.exit(f"no {', '.join(missing)} event in the runs")
    if bad:
        sys.exit(f"{bad} invalid event(s)")
    # the validator itself rejects what it should
    assert errors(schema, schema, {"event": "stats"}), "validator accepts junk"
    assert errors(schema, schema, {"event": "worker_restart", "elapsed_ms": 1.5,
                                   "worker": 0})


if __name__ == "__main__":
    main()
