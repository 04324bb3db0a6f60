//! Synthetic catalogues for the `check` and `gen` benches, generated rather
//! than committed: a 10,000-key catalogue is a megabyte of YAML.
//!
//! They look like a real service's: groups of related families, every
//! parameter type, and families whose literal prefixes overlap
//! (`items:{id}` and `items:{id}:meta`) so the collision search has real
//! work. [`adjacent`] is the pathological entry: parameters side by side
//! with no literal text between them.

/// A valid, collision-free catalogue with `n` keys.
pub fn catalogue(n: usize) -> String {
    let mut yaml = String::from("prefix: bench\nversion: 1\ntarget: memcached\nkeys:\n");
    for i in 0..n {
        let group = i / 10;
        let (pattern, params) = match i % 10 {
            0 => ("items:{id}", "{ id: u64 }"),
            1 => ("items:{id}:meta", "{ id: u64 }"),
            2 => ("by-name:{name}", "{ name: { type: str, max_len: 64 } }"),
            3 => ("session:{sid}", "{ sid: uuid }"),
            4 => ("flags:{uid}:{beta}", "{ uid: u32, beta: bool }"),
            5 => (
                "feed:{locale}:{page}",
                "{ locale: { type: enum, values: [en, fr, de, eu-west] }, page: u16 }",
            ),
            6 => ("delta:{d}", "{ d: i64 }"),
            7 => ("digest:{text}", "{ text: { type: str, encode: sha256 } }"),
            8 => ("pair:{a}:{b}", "{ a: i32, b: u8 }"),
            _ => ("static", "{}"),
        };
        yaml.push_str(&format!(
            "  g{group}.k{i}:\n    pattern: \"g{group}:k{i}:{pattern}\"\n    params: {params}\n    ttl: 5m\n"
        ));
    }
    yaml
}

/// [`catalogue`] of `n` keys, as text and loaded, checked clean.
pub fn clean_catalogue(n: usize) -> (String, cachekeys::catalogue::Catalogue) {
    let text = catalogue(n);
    let parsed =
        cachekeys::catalogue::parse("keys.yaml", text.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        cachekeys::check(&parsed).is_empty(),
        "bench catalogue must be clean"
    );
    (text, parsed)
}

/// One entry of `n` raw `str` parameters side by side (`{p0}{p1}...`),
/// on Redis (no length limit): ambiguous, and once a search quadratic in
/// `n` before the search was bounded.
#[allow(dead_code)] // The `check` bench does not use it.
pub fn adjacent(n: usize) -> String {
    let pattern: String = (0..n).map(|i| format!("{{p{i}}}")).collect();
    let params: Vec<String> = (0..n)
        .map(|i| format!("p{i}: {{ type: str, encode: none }}"))
        .collect();
    format!(
        "prefix: bench\nversion: 1\ntarget: redis\nkeys:\n  wide:\n    pattern: \"x:{pattern}\"\n    params: {{ {} }}\n    ttl: 5m\n",
        params.join(", ")
    )
}
