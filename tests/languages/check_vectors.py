"""Checks a generated Python key module against vectors from the Rust side.

Usage: python3 check_vectors.py MODULE.py VECTORS.json

For every render vector, calls the module's function with the arguments and
compares the key with the Rust key; for every parse vector, compares
`parse(key)` with the Rust decoding, and checks that a decoded key renders
back to the same text; every reject vector (an argument of the wrong type
or out of range) must raise TypeError or ValueError. Every jitter vector
calls `<key>_ttl(seed)` and every slot vector `slot(key)`, against the Rust
results; seeds outside u64 must raise ValueError. Every invalidate vector
compares `invalidate_<entity>(...)` with the Rust `invalidate::<entity>`. Prints each mismatch and exits 1 if there is one;
otherwise prints how many vectors it checked.
"""

import importlib.util
import json
import sys
import uuid


def load(path):
    spec = importlib.util.spec_from_file_location("generated_keys", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generated_keys"] = module
    spec.loader.exec_module(module)
    return module


def argument(module, param, arg):
    (tag, value), = arg.items()
    if tag == "int":
        return int(value)
    if tag == "uuid":
        return uuid.UUID(value)
    if tag == "enum":
        return getattr(module, param["enum_type"])(value)
    return value  # bool, str, digest, and `raw` values of the wrong type


def as_json(module, param, value):
    kind = param["kind"]
    if kind == "int":
        return {"int": str(value)}
    if kind == "bool":
        return {"bool": value}
    if kind == "uuid":
        return {"uuid": str(value)}
    if kind == "enum":
        return {"enum": value.value}
    if param["encoding"] == "sha256":
        return {"digest": value}
    # A bounded `str` decodes to the value, or to the digest of a longer one.
    sha256_text = getattr(module, "Sha256Text", None)
    if sha256_text is not None and isinstance(value, sha256_text):
        return {"digest": value.digest}
    return {"str": value}


def main():
    module = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        vectors = json.load(f)
    keys = {k["name"]: k for k in vectors["view"]["keys"]}
    failures = []
    for case in vectors["render"]:
        entry = keys[case["entry"]]
        args = [argument(module, p, a) for p, a in zip(entry["params"], case["args"])]
        try:
            got = getattr(module, entry["py_function"])(*args)
        except Exception as error:  # noqa: BLE001 - reported as a mismatch
            got = f"raised {error!r}"
        if got != case["key"]:
            failures.append({"render": case, "python": got})
    for case in vectors["parse"]:
        decoded = module.parse(case["key"])
        if decoded is None:
            got = None
        else:
            entry = keys[decoded.ENTRY]
            got = {
                "entry": decoded.ENTRY,
                "args": [as_json(module, p, getattr(decoded, p["py_name"])) for p in entry["params"]],
            }
            if decoded.render() != case["key"]:
                failures.append({"parse": case, "render_back": decoded.render()})
        if got != case["expected"]:
            failures.append({"parse": case, "python": got})
    for case in vectors["reject"]:
        entry = keys[case["entry"]]
        function = getattr(module, entry["py_function"])
        try:
            args = [argument(module, p, a) for p, a in zip(entry["params"], case["args"])]
            got = function(*args)
        except (TypeError, ValueError):
            continue
        failures.append({"reject": case, "python": got})
    for case in vectors["jitter"]:
        entry = keys[case["entry"]]
        try:
            got = getattr(module, entry["py_function"] + "_ttl")(int(case["seed"]))
        except Exception as error:  # noqa: BLE001 - reported as a mismatch
            got = f"raised {error!r}"
        if got != case["seconds"]:
            failures.append({"jitter": case, "python": got})
    for seed in vectors["jitter_reject"]:
        for entry in {case["entry"] for case in vectors["jitter"]}:
            function = getattr(module, keys[entry]["py_function"] + "_ttl")
            try:
                got = function(int(seed))
            except ValueError:
                continue
            failures.append({"jitter_reject": seed, "entry": entry, "python": got})
    for case in vectors["slot"]:
        got = module.slot(case["key"])
        if got != case["slot"]:
            failures.append({"slot": case, "python": got})
    entities = {e["name"]: e for e in vectors["view"]["entities"]}
    for case in vectors["invalidate"]:
        entity = entities[case["entity"]]
        params = entity["generation"]["params"]
        args = [argument(module, p, a) for p, a in zip(params, case["args"])]
        got = getattr(module, entity["py_invalidate"])(*args)
        if (got.delete, got.incr) != (case["delete"], case["incr"]):
            failures.append({"invalidate": case, "python": [got.delete, got.incr]})
    for failure in failures[:50]:
        print(json.dumps(failure, ensure_ascii=True))
    if failures:
        print(f"{len(failures)} mismatches")
        sys.exit(1)
    print(
        f"ok: {len(vectors['render'])} render, {len(vectors['parse'])} parse,"
        f" {len(vectors['reject'])} rejected, {len(vectors['jitter'])} jitter,"
        f" {len(vectors['slot'])} slot, {len(vectors['invalidate'])} invalidate"
    )


main()
