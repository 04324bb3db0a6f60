"""Checks the Django layout of a generated Python key module against a real
Django cache, configured in-process.

Usage: python3 django_check.py MODULE.py VECTORS.json locmem
       python3 django_check.py MODULE.py VECTORS.json pymemcache HOST:PORT OUT.json

With the catalogue's `prefix` and `version` as KEY_PREFIX and VERSION, for every render vector:
the module's full key equals the Rust key, and Django's `make_key` of the
module's `(key, version)` pair equals it too. With pymemcache, every entry is
also written through `cache.set` (with the key's TTL) and read back through
`cache.get`, and OUT.json lists the full keys and values written, for the
Rust side to read from the same memcached.
"""

import importlib.util
import json
import sys
import uuid

import django
from django.conf import settings

BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "pymemcache": "django.core.cache.backends.memcached.PyMemcacheCache",
}


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
    return value


def main():
    module = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        vectors = json.load(f)
    backend = sys.argv[3]
    # KEY_PREFIX and VERSION as the catalogue sets them; when it does not,
    # Django's defaults apply (an empty prefix, version 1).
    cache_settings = {"BACKEND": BACKENDS[backend]}
    if vectors["catalogue"]["prefix"] is not None:
        cache_settings["KEY_PREFIX"] = vectors["catalogue"]["prefix"]
    if vectors["catalogue"]["version"] is not None:
        cache_settings["VERSION"] = vectors["catalogue"]["version"]
    if backend == "pymemcache":
        cache_settings["LOCATION"] = sys.argv[4]
    settings.configure(CACHES={"default": cache_settings})
    django.setup()
    from django.core.cache import cache

    keys = {k["name"]: k for k in vectors["view"]["keys"]}
    failures = []
    written = []
    for i, case in enumerate(vectors["render"]):
        entry = keys[case["entry"]]
        args = [argument(module, p, a) for p, a in zip(entry["params"], case["args"])]
        full = getattr(module, entry["py_function"])(*args)
        key, version = getattr(module, entry["py_function"] + "_django")(*args)
        made = cache.make_key(key, version=version)
        if full != case["key"] or made != case["key"]:
            failures.append({"case": case, "full": full, "make_key": made})
            continue
        if backend == "pymemcache":
            value = f"value {i} of {case['entry']}"
            ttl = getattr(module, entry["shouty"] + "_TTL")
            cache.set(key, value, timeout=ttl, version=version)
            if cache.get(key, version=version) != value:
                failures.append({"case": case, "get": cache.get(key, version=version)})
            written.append({"key": made, "value": value})
    for failure in failures[:50]:
        print(json.dumps(failure, ensure_ascii=True))
    if failures:
        print(f"{len(failures)} mismatches")
        sys.exit(1)
    if backend == "pymemcache":
        with open(sys.argv[5], "w", encoding="utf-8") as f:
            json.dump(written, f)
    print(f"ok: {len(vectors['render'])} keys through {backend}")


main()
