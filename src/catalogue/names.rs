//! Identifier rules shared by key names, parameter names and enum variants.

/// Rust's strict and reserved keywords (2024 edition), which cannot name a
/// generated module, function or argument.
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `[a-z][a-z0-9]*(_[a-z0-9]+)*`: what rustc accepts without a
/// `non_snake_case` warning and what maps one-to-one to an UpperCamelCase name.
pub fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
        return false;
    }
    !name.ends_with('_')
        && !name.contains("__")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A snake_case suggestion for a name that is not: `userId` -> `user_id`.
pub fn to_snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let trimmed = out.trim_matches('_');
    let trimmed = trimmed.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
    if trimmed.is_empty() {
        "name".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `feed_kind` -> `FeedKind`, `eu-west` -> `EuWest`. Any run of characters
/// that are not ASCII letters or digits separates words.
pub fn to_upper_camel(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// `user_id` -> `USER_ID`, for constant names.
pub fn to_shouty(snake: &str) -> String {
    snake.to_ascii_uppercase()
}

/// The closest candidate within a small edit distance, for "did you mean".
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let sorted = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        chars.sort_unstable();
        chars
    };
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), sorted(c) != sorted(word), *c))
        .filter(|(d, _, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, not_anagram, _)| (*d, *not_anagram))
        .map(|(_, _, c)| c)
}

/// Optimal string alignment distance: Levenshtein plus adjacent
/// transpositions, the most common typo (`u46` for `u64`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case() {
        assert!(is_snake_case("user_id"));
        assert!(is_snake_case("v2"));
        assert!(!is_snake_case("userId"));
        assert!(!is_snake_case("_x"));
        assert!(!is_snake_case("a__b"));
        assert!(!is_snake_case("a_"));
        assert!(!is_snake_case("2a"));
        assert!(!is_snake_case(""));
        assert_eq!(to_snake_case("userId"), "user_id");
        assert_eq!(to_snake_case("by-email"), "by_email");
    }

    #[test]
    fn camel() {
        assert_eq!(to_upper_camel("eu-west"), "EuWest");
        assert_eq!(to_upper_camel("feed_kind"), "FeedKind");
        assert_eq!(to_upper_camel("en"), "En");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("paterns", &["pattern", "params"]),
            Some("pattern")
        );
        assert_eq!(did_you_mean("u46", &["u64", "u32"]), Some("u64"));
        assert_eq!(did_you_mean("zzzzzz", &["pattern"]), None);
    }
}
