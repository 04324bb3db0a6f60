//! A unified line diff, for `gen --check` to show what is stale.
//!
//! Myers' O((N+M)·D) algorithm over lines, after trimming the common prefix
//! and suffix, with three lines of context like `diff -u`. Its trace grows as
//! D², so past [`MAX_EDITS`] the middle is shown as one replacement: a diff
//! that long is capped in the output anyway. A hundred lines here instead of
//! a dependency, since this is the only diff the tool prints.

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;
/// The edit distance past which the middle is shown as one replacement.
const MAX_EDITS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    Keep,
    Delete,
    Insert,
}

/// `old` and `new` as a unified diff headed `--- old_name` / `+++ new_name`,
/// at most `max_lines` lines of hunks, then `... and N more lines`. Empty
/// when the texts are equal.
pub(crate) fn unified(
    old: &str,
    new: &str,
    old_name: &str,
    new_name: &str,
    max_lines: usize,
) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let edits = edits(&a, &b);
    let mut lines = Vec::new();
    // (old, new) line indices at edit `done`, advanced hunk by hunk.
    let (mut done, mut at) = (0, (0, 0));
    for hunk in hunks(&edits) {
        at = advance(at, &edits[done..hunk.start]);
        done = hunk.start;
        render_hunk(&edits[hunk], at, &a, &b, &mut lines);
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let hidden = lines.len().saturating_sub(max_lines);
    for line in lines.iter().take(max_lines) {
        out.push_str(line);
    }
    if hidden > 0 {
        out.push_str(&format!("... and {hidden} more lines\n"));
    }
    out
}

/// `diff` with removed lines red, added lines green and hunk headers cyan,
/// for a terminal.
pub(crate) fn paint(diff: &str) -> String {
    diff.split_inclusive('\n')
        .map(|line| {
            let color = if line.starts_with("---") || line.starts_with("+++") {
                "\x1b[1m"
            } else if line.starts_with('-') {
                "\x1b[31m"
            } else if line.starts_with('+') {
                "\x1b[32m"
            } else if line.starts_with("@@") {
                "\x1b[36m"
            } else {
                return line.to_owned();
            };
            let text = line.strip_suffix('\n').unwrap_or(line);
            let end = if line.ends_with('\n') { "\n" } else { "" };
            format!("{color}{text}\x1b[0m{end}")
        })
        .collect()
}

/// The edit script turning `a` into `b`.
fn edits(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let middle = myers(a_mid, b_mid).unwrap_or_else(|| {
        let mut edits = vec![Edit::Delete; a_mid.len()];
        edits.resize(a_mid.len() + b_mid.len(), Edit::Insert);
        edits
    });
    let mut edits = vec![Edit::Keep; prefix];
    edits.extend(middle);
    edits.resize(edits.len() + suffix, Edit::Keep);
    edits
}

/// Myers' shortest edit script, or `None` past [`MAX_EDITS`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Edit>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDITS) as isize;
    // v[k + offset]: the furthest x reached on diagonal k = x - y.
    let offset = max + 1;
    let mut v = vec![0isize; 2 * offset as usize + 1];
    // trace[d]: v over diagonals -d-1..=d+1 as it was before round d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=max {
        trace.push(v[(offset - d - 1) as usize..=(offset + d + 1) as usize].to_vec());
        for k in (-d..=d).step_by(2) {
            let at = |k: isize| v[(k + offset) as usize];
            let mut x = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
                at(k + 1)
            } else {
                at(k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(k + offset) as usize] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, n, m));
            }
        }
    }
    None
}

fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Edit> {
    let (mut x, mut y) = (n, m);
    let mut edits = Vec::new();
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let at = |k: isize| v[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            edits.push(Edit::Keep);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            edits.push(if x == prev_x {
                Edit::Insert
            } else {
                Edit::Delete
            });
        }
        (x, y) = (prev_x, prev_y);
    }
    edits.reverse();
    edits
}

/// Ranges of `edits` to show: each change with [`CONTEXT`] kept lines
/// around it, neighbours merged.
fn hunks(edits: &[Edit]) -> Vec<std::ops::Range<usize>> {
    let mut hunks: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, _) in edits
        .iter()
        .enumerate()
        .filter(|(_, edit)| **edit != Edit::Keep)
    {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + 1 + CONTEXT).min(edits.len());
        match hunks.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => hunks.push(start..end),
        }
    }
    hunks
}

/// The (old, new) line indices after `edits`, starting from `at`.
fn advance(at: (usize, usize), edits: &[Edit]) -> (usize, usize) {
    edits.iter().fold(at, |(x, y), edit| match edit {
        Edit::Keep => (x + 1, y + 1),
        Edit::Delete => (x + 1, y),
        Edit::Insert => (x, y + 1),
    })
}

fn render_hunk(
    edits: &[Edit],
    (mut x, mut y): (usize, usize),
    a: &[&str],
    b: &[&str],
    out: &mut Vec<String>,
) {
    let old_len = edits.iter().filter(|e| **e != Edit::Insert).count();
    let new_len = edits.iter().filter(|e| **e != Edit::Delete).count();
    out.push(format!(
        "@@ -{} +{} @@\n",
        range(x, old_len),
        range(y, new_len)
    ));
    for edit in edits {
        let (mark, line) = match edit {
            Edit::Keep => (' ', a[x]),
            Edit::Delete => ('-', a[x]),
            Edit::Insert => ('+', b[y]),
        };
        if *edit != Edit::Insert {
            x += 1;
        }
        if *edit != Edit::Delete {
            y += 1;
        }
        out.push(format!("{mark}{line}"));
        if !line.ends_with('\n') {
            out.push("\n\\ No newline at end of file\n".to_owned());
        }
    }
}

/// A hunk's range as `diff -u` writes it: 1-based start, count omitted
/// when 1, and an empty range starting at the line before.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &str, new: &str) -> String {
        unified(old, new, "a", "b", 100)
    }

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(diff("x\ny\n", "x\ny\n"), "");
        assert_eq!(diff("", ""), "");
    }

    #[test]
    fn a_removed_first_line() {
        assert_eq!(
            diff("head\n1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\n"),
            "--- a\n+++ b\n@@ -1,4 +1,3 @@\n-head\n 1\n 2\n 3\n"
        );
    }

    #[test]
    fn an_appended_line() {
        assert_eq!(
            diff("1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\n// more\n"),
            "--- a\n+++ b\n@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+// more\n"
        );
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        assert_eq!(
            diff("1\n2", "1\n2\n"),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n 1\n-2\n\\ No newline at end of file\n+2\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_close_ones_merge() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("18\n", "eighteen\n");
        let out = diff(&old, &new);
        assert_eq!(out.matches("@@ -").count(), 2, "{out}");
        assert!(out.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n"), "{out}");
        let close = old.replace("2\n", "two\n").replace("6\n", "six\n");
        assert_eq!(diff(&old, &close).matches("@@ -").count(), 1);
    }

    #[test]
    fn a_replacement_in_the_middle() {
        assert_eq!(
            diff("a\nb\nc\n", "a\nx\ny\nc\n"),
            "--- a\n+++ b\n@@ -1,3 +1,4 @@\n a\n-b\n+x\n+y\n c\n"
        );
    }

    #[test]
    fn from_and_to_empty() {
        assert_eq!(diff("", "a\n"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n");
        assert_eq!(diff("a\n", ""), "--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n");
    }

    #[test]
    fn the_output_is_capped_and_says_how_much_is_left() {
        let old: String = (0..50).map(|i| format!("{i}\n")).collect();
        let out = unified(&old, "", "a", "b", 10);
        // Header, 10 lines (hunk header and 9 deletions), the note.
        assert_eq!(out.lines().count(), 2 + 10 + 1, "{out}");
        assert!(out.ends_with("-8\n... and 41 more lines\n"), "{out}");
    }

    #[test]
    fn past_the_edit_limit_the_middle_is_one_replacement() {
        let old: String = (0..1500).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..1500).map(|i| format!("b{i}\n")).collect();
        let out = unified(&old, &new, "a", "b", usize::MAX);
        assert!(out.starts_with("--- a\n+++ b\n@@ -1,1500 +1,1500 @@\n-a0\n"));
        assert_eq!(out.lines().filter(|l| l.starts_with('-')).count(), 1501);
    }

    #[test]
    fn painting_colours_only_diff_lines() {
        let out = paint(&diff("a\nb\n", "a\nc\n"));
        assert_eq!(
            out,
            "\x1b[1m--- a\x1b[0m\n\x1b[1m+++ b\x1b[0m\n\x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n a\n\x1b[31m-b\x1b[0m\n\x1b[32m+c\x1b[0m\n"
        );
    }

    proptest::proptest! {
        /// Applying the script to the old lines gives the new ones, and the
        /// script is a shortest one.
        #[test]
        fn the_script_turns_old_into_new(
            a in proptest::collection::vec("[abc]\n", 0..30),
            b in proptest::collection::vec("[abc]\n", 0..30),
        ) {
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            let script = edits(&a, &b);
            let (mut x, mut y, mut rebuilt) = (0, 0, Vec::new());
            for edit in &script {
                match edit {
                    Edit::Keep => {
                        proptest::prop_assert_eq!(a[x], b[y]);
                        rebuilt.push(a[x]);
                        x += 1;
                        y += 1;
                    }
                    Edit::Delete => x += 1,
                    Edit::Insert => {
                        rebuilt.push(b[y]);
                        y += 1;
                    }
                }
            }
            proptest::prop_assert_eq!(x, a.len());
            proptest::prop_assert_eq!(&rebuilt, &b);
            // Shortest: it keeps as many lines as a longest common subsequence.
            let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in (0..a.len()).rev() {
                for j in (0..b.len()).rev() {
                    lcs[i][j] = if a[i] == b[j] {
                        lcs[i + 1][j + 1] + 1
                    } else {
                        lcs[i + 1][j].max(lcs[i][j + 1])
                    };
                }
            }
            let kept = script.iter().filter(|edit| **edit == Edit::Keep).count();
            proptest::prop_assert_eq!(kept, lcs[0][0]);
        }
    }
}
