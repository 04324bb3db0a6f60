// Checks a generated TypeScript key module (compiled to CommonJS by tsc)
// against vectors from the Rust side.
//
// Usage: node check_vectors.js MODULE.js VECTORS.json
//
// The same checks as check_vectors.py: every render vector through the key
// function, every parse vector through `parse`, every decoded key rendered
// back, and every reject vector must throw a TypeError or RangeError; every
// jitter vector through `<key>Ttl(seed)` (as a bigint, and as a number where
// exact), seeds outside u64 must throw a RangeError, and every slot vector
// through `slot(key)`, and every invalidate vector through
// `invalidate<Entity>(...)`. Exits 1 on a mismatch, printing it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const module_ = require(path.resolve(process.argv[2]));
const vectors = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const keys = new Map(vectors.view.keys.map((k) => [k.name, k]));

function argument(param, arg) {
  const [[tag, value]] = Object.entries(arg);
  if (tag === "int") {
    // 64-bit types take a bigint; narrower ones a number.
    return param.bits === 64 ? BigInt(value) : Number(value);
  }
  return value; // bool, uuid, enum, str, digest, and `raw` wrong values
}

function asJson(param, value) {
  switch (param.kind) {
    case "int":
      if ((param.bits === 64) !== (typeof value === "bigint")) {
        return { wrongType: typeof value };
      }
      return { int: value.toString() };
    case "bool":
      return { bool: value };
    case "uuid":
      return { uuid: value };
    case "enum":
      return { enum: value };
    default:
      if (param.encoding === "sha256") {
        return { digest: value };
      }
      // A bounded string decodes to the value, or to the digest of a longer one.
      if (module_.Sha256Text !== undefined && value instanceof module_.Sha256Text) {
        return { digest: value.digest };
      }
      return { str: value };
  }
}

// Deep equality of JSON values, whatever the order of object keys.
function same(a, b) {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return a === b;
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k], b[k]));
}

const failures = [];
for (const c of vectors.render) {
  const entry = keys.get(c.entry);
  const args = entry.params.map((p, i) => argument(p, c.args[i]));
  let got;
  try {
    got = module_[entry.ts_function](...args);
  } catch (error) {
    got = `raised ${error}`;
  }
  if (got !== c.key) {
    failures.push({ render: c, typescript: got });
  }
}
for (const c of vectors.parse) {
  const decoded = module_.parse(c.key);
  let got = null;
  if (decoded !== null) {
    const entry = keys.get(decoded.entry);
    got = {
      entry: decoded.entry,
      args: entry.params.map((p) => asJson(p, decoded.args[p.name])),
    };
    const back = module_.render(decoded);
    if (back !== c.key) {
      failures.push({ parse: c, renderBack: back });
    }
  }
  if (!same(got, c.expected)) {
    failures.push({ parse: c, typescript: got });
  }
}
for (const c of vectors.reject) {
  const entry = keys.get(c.entry);
  const args = entry.params.map((p, i) => argument(p, c.args[i]));
  try {
    const got = module_[entry.ts_function](...args);
    failures.push({ reject: c, typescript: got });
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) {
      failures.push({ reject: c, threw: String(error) });
    }
  }
}
for (const c of vectors.jitter) {
  const jittered = module_[keys.get(c.entry).ts_function + "Ttl"];
  // A bigint seed always; a number one too where it is exact.
  const seeds = [BigInt(c.seed)];
  if (BigInt(c.seed) <= BigInt(Number.MAX_SAFE_INTEGER)) {
    seeds.push(Number(c.seed));
  }
  for (const seed of seeds) {
    let got;
    try {
      got = jittered(seed);
    } catch (error) {
      got = `threw ${error}`;
    }
    if (got !== c.seconds) {
      failures.push({ jitter: c, seed: typeof seed, typescript: got });
    }
  }
}
for (const seed of vectors.jitter_reject) {
  for (const entry of new Set(vectors.jitter.map((c) => c.entry))) {
    try {
      const got = module_[keys.get(entry).ts_function + "Ttl"](BigInt(seed));
      failures.push({ jitterReject: seed, entry, typescript: got });
    } catch (error) {
      if (!(error instanceof RangeError)) {
        failures.push({ jitterReject: seed, entry, threw: String(error) });
      }
    }
  }
}
for (const c of vectors.slot) {
  const got = module_.slot(c.key);
  if (got !== c.slot) {
    failures.push({ slot: c, typescript: got });
  }
}
const entities = new Map(vectors.view.entities.map((e) => [e.name, e]));
for (const c of vectors.invalidate) {
  const entity = entities.get(c.entity);
  const args = entity.generation.params.map((p, i) => argument(p, c.args[i]));
  const got = module_[entity.ts_invalidate](...args);
  if (!same(got.delete, c.delete) || !same(got.incr, c.incr)) {
    failures.push({ invalidate: c, typescript: got });
  }
}
for (const f of failures.slice(0, 50)) {
  console.log(JSON.stringify(f, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}
if (failures.length > 0) {
  console.log(`${failures.length} mismatches`);
  process.exit(1);
}
console.log(
  `ok: ${vectors.render.length} render, ${vectors.parse.length} parse, ${vectors.reject.length} rejected, ` +
    `${vectors.jitter.length} jitter, ${vectors.slot.length} slot, ${vectors.invalidate.length} invalidate`,
);
