//! Finite automata over bytes, just big enough to decide key collisions
//! exactly.
//!
//! Each parameter type renders to a regular language (canonical decimal up
//! to a bound, hex, percent-encoded text, a finite set of enum values), so a
//! key entry is a concatenation of literal text and regular languages: an
//! NFA whose states remember which part of the key they are in. Two entries
//! collide exactly when their NFAs accept a common string, and one entry is
//! ambiguous exactly when its NFA has two accepting runs on one string. Both
//! are reachability questions in a product automaton, answered by BFS, with
//! the path giving a concrete colliding key.
//!
//! Transitions are byte ranges rather than single bytes, so a product step
//! costs the number of overlapping range pairs, not 256.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// A deterministic automaton for one part of a key.
#[derive(Clone, Debug, Default)]
pub struct Dfa {
    /// `states[s]` lists `(lo, hi, next)`: on any byte in `lo..=hi`, go to `next`.
    pub states: Vec<Vec<(u8, u8, u32)>>,
    pub accepting: Vec<bool>,
}

impl Dfa {
    pub fn add_state(&mut self, accepting: bool) -> u32 {
        self.states.push(Vec::new());
        self.accepting.push(accepting);
        (self.states.len() - 1) as u32
    }

    pub fn edge(&mut self, from: u32, lo: u8, hi: u8, to: u32) {
        self.states[from as usize].push((lo, hi, to));
    }

    /// The language of exactly `text`.
    pub fn literal(text: &[u8]) -> Dfa {
        let mut dfa = Dfa::default();
        let mut state = dfa.add_state(text.is_empty());
        for (i, &b) in text.iter().enumerate() {
            let next = dfa.add_state(i + 1 == text.len());
            dfa.edge(state, b, b, next);
            state = next;
        }
        dfa
    }

    /// The language of a finite set of strings, as a trie.
    pub fn words<'a>(words: impl IntoIterator<Item = &'a [u8]>) -> Dfa {
        let mut dfa = Dfa::default();
        let root = dfa.add_state(false);
        for word in words {
            let mut state = root;
            for &b in word {
                let found = dfa.states[state as usize]
                    .iter()
                    .find(|&&(lo, _, _)| lo == b)
                    .map(|&(_, _, next)| next);
                state = match found {
                    Some(next) => next,
                    None => {
                        let next = dfa.add_state(false);
                        dfa.edge(state, b, b, next);
                        next
                    }
                };
            }
            dfa.accepting[state as usize] = true;
        }
        dfa
    }

    /// The language of either automaton: the product construction, over
    /// the pairs of states reachable together. Once one side is dead the
    /// other goes on alone, so those states are copied, not paired: a
    /// small side (the over-long form) costs its own size, not the product.
    pub fn union(&self, other: &Dfa) -> Dfa {
        /// Where an edge of the union goes, before the states are laid out.
        #[derive(Clone, Copy)]
        enum To {
            Both(u32),
            Left(u32),
            Right(u32),
        }
        let mut ids: HashMap<(u32, u32), u32> = HashMap::from([((0, 0), 0)]);
        let mut pairs = vec![(0u32, 0u32)];
        let mut edges: Vec<Vec<(u8, u8, To)>> = Vec::new();
        while let Some(&(a, b)) = pairs.get(edges.len()) {
            let left = &self.states[a as usize];
            let right = &other.states[b as usize];
            // Where some edge starts or ends: between two cuts, every byte
            // goes to the same pair.
            let mut cuts: Vec<u16> = left
                .iter()
                .chain(right)
                .flat_map(|&(lo, hi, _)| [u16::from(lo), u16::from(hi) + 1])
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut out = Vec::new();
            for window in cuts.windows(2) {
                let (lo, hi) = (window[0], window[1] - 1);
                let target = |edges: &[(u8, u8, u32)]| {
                    edges
                        .iter()
                        .find(|&&(a, b, _)| u16::from(a) <= lo && hi <= u16::from(b))
                        .map(|&(_, _, next)| next)
                };
                let to = match (target(left), target(right)) {
                    (None, None) => continue,
                    (Some(a), None) => To::Left(a),
                    (None, Some(b)) => To::Right(b),
                    (Some(a), Some(b)) => To::Both(*ids.entry((a, b)).or_insert_with(|| {
                        pairs.push((a, b));
                        (pairs.len() - 1) as u32
                    })),
                };
                // Cuts are byte values or 256, so `lo..=hi` is bytes.
                out.push((lo as u8, hi as u8, to));
            }
            edges.push(out);
        }
        // The pairs (the start first), then each side's states as they are.
        let left_offset = pairs.len() as u32;
        let right_offset = left_offset + self.states.len() as u32;
        let place = |to: To| match to {
            To::Both(id) => id,
            To::Left(s) => left_offset + s,
            To::Right(s) => right_offset + s,
        };
        let mut dfa = Dfa::default();
        for (&(a, b), out) in pairs.iter().zip(&edges) {
            let id = dfa.add_state(self.accepting[a as usize] || other.accepting[b as usize]);
            for &(lo, hi, to) in out {
                dfa.edge(id, lo, hi, place(to));
            }
        }
        for (side, offset) in [(self, left_offset), (other, right_offset)] {
            for (state, accepting) in side.states.iter().zip(&side.accepting) {
                let id = dfa.add_state(*accepting);
                for &(lo, hi, next) in state {
                    dfa.edge(id, lo, hi, offset + next);
                }
            }
        }
        dfa
    }

    /// Whether the language contains the empty string.
    pub fn accepts_empty(&self) -> bool {
        self.accepting.first().copied().unwrap_or(false)
    }

    /// Whether the DFA accepts `text`.
    #[cfg(test)]
    pub fn accepts(&self, text: &[u8]) -> bool {
        let mut state = 0u32;
        for &b in text {
            match self.states[state as usize]
                .iter()
                .find(|&&(lo, hi, _)| lo <= b && b <= hi)
            {
                Some(&(_, _, next)) => state = next,
                None => return false,
            }
        }
        self.accepting[state as usize]
    }

    /// A shortest string of the language, in readable bytes where there is
    /// a choice: what a part renders in a witness it takes no part in.
    pub fn shortest(&self) -> Option<Vec<u8>> {
        let mut parent: Vec<(u32, u8)> = vec![(u32::MAX, 0); self.states.len()];
        parent[0] = (0, 0);
        let mut queue = VecDeque::from([0u32]);
        while let Some(state) = queue.pop_front() {
            if self.accepting[state as usize] {
                return Some(bytes_to(&parent, state));
            }
            for &(lo, hi, next) in &self.states[state as usize] {
                if parent[next as usize].0 == u32::MAX {
                    parent[next as usize] = (state, representative(lo, hi));
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// A string of the language that contains `needle`, if there is one:
    /// a BFS over (state, how much of `needle` has matched).
    pub fn find_containing(&self, needle: &[u8]) -> Option<Vec<u8>> {
        if needle.is_empty() {
            return None;
        }
        let kmp = Kmp::new(needle);
        let done = needle.len();
        // Node `state * width + matched`; bounded `str` automata have
        // thousands of states, so the BFS keeps its marks in arrays.
        let width = done + 1;
        let mut parent: Vec<(u32, u8)> = vec![(u32::MAX, 0); self.states.len() * width];
        parent[0] = (0, 0);
        let mut queue = VecDeque::from([0u32]);
        while let Some(node) = queue.pop_front() {
            let (state, matched) = (node as usize / width, node as usize % width);
            if matched == done && self.accepting[state] {
                return Some(bytes_to(&parent, node));
            }
            for &(lo, hi, next) in &self.states[state] {
                // Every byte in a range behaves the same in this DFA, but not
                // in the needle matcher: try the needle's bytes in range and
                // one representative that is not a needle byte.
                let in_range = needle.iter().copied().filter(|b| (lo..=hi).contains(b));
                let other = representative_excluding(lo, hi, needle);
                for b in in_range.chain(other) {
                    let m = if matched == done {
                        done
                    } else {
                        kmp.step(matched, b)
                    };
                    let key = next as usize * width + m;
                    if parent[key].0 == u32::MAX {
                        parent[key] = (node, b);
                        queue.push_back(key as u32);
                    }
                }
            }
        }
        None
    }
}

/// The bytes read from node 0 to `end`, along BFS parent links kept in an
/// array: `parent[node]` is the node it was reached from and the byte.
fn bytes_to(parent: &[(u32, u8)], end: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut at = end;
    while at != 0 {
        let (prev, byte) = parent[at as usize];
        bytes.push(byte);
        at = prev;
    }
    bytes.reverse();
    bytes
}

/// The Knuth-Morris-Pratt automaton for one needle.
struct Kmp {
    needle: Vec<u8>,
    fail: Vec<usize>,
}

impl Kmp {
    fn new(needle: &[u8]) -> Kmp {
        let mut fail = vec![0; needle.len()];
        let mut k = 0;
        for i in 1..needle.len() {
            while k > 0 && needle[i] != needle[k] {
                k = fail[k - 1];
            }
            if needle[i] == needle[k] {
                k += 1;
            }
            fail[i] = k;
        }
        Kmp {
            needle: needle.to_vec(),
            fail,
        }
    }

    fn step(&self, mut matched: usize, b: u8) -> usize {
        while matched > 0 && self.needle[matched] != b {
            matched = self.fail[matched - 1];
        }
        if self.needle[matched] == b {
            matched + 1
        } else {
            0
        }
    }
}

/// A readable byte in `lo..=hi` that is not in `avoid`.
pub fn representative_excluding(lo: u8, hi: u8, avoid: &[u8]) -> Option<u8> {
    let readable = |b: &u8| b.is_ascii_alphanumeric();
    let all = lo..=hi;
    all.clone()
        .filter(|b| !avoid.contains(b))
        .find(readable)
        .or_else(|| {
            all.clone()
                .find(|b| !avoid.contains(b) && b.is_ascii_graphic())
        })
        .or_else(|| all.clone().find(|b| !avoid.contains(b)))
}

/// A readable byte in `lo..=hi`, so witnesses are easy to read.
pub fn representative(lo: u8, hi: u8) -> u8 {
    representative_excluding(lo, hi, &[]).unwrap_or(lo)
}

/// Walks BFS parent links back from `end`: the nodes after each byte, and
/// the bytes.
fn trace<S: Copy + Eq + std::hash::Hash, H: BuildHasher>(
    parent: &HashMap<S, (S, u8), H>,
    start: S,
    end: S,
) -> (Vec<S>, Vec<u8>) {
    let mut nodes = Vec::new();
    let mut bytes = Vec::new();
    let mut node = end;
    while node != start {
        let (prev, byte) = parent[&node];
        nodes.push(node);
        bytes.push(byte);
        node = prev;
    }
    nodes.reverse();
    bytes.reverse();
    (nodes, bytes)
}

/// A key entry as an NFA: the concatenation of its parts.
///
/// A run that may end its part may also start any later part that every
/// part in between lets be empty. Those moves are not copied onto each
/// state: with many adjacent parameters that can be empty (`{a}{b}{c}`
/// of raw `str`s) the copies would grow with the square of the pattern.
/// [`KeyNfa::transitions`] yields them on the fly instead, so the automaton
/// stays the size of its parts.
#[derive(Clone, Debug)]
pub struct KeyNfa {
    /// Per state: the transitions within its own part, to global ids.
    own: Vec<Vec<(u8, u8, u32)>>,
    /// Per state: the first part a run may start next, when it may end its
    /// part here (for the synthetic start, part 0).
    then: Vec<Option<usize>>,
    /// Per part: the transitions out of its start state, to global ids.
    starts: Vec<Vec<(u8, u8, u32)>>,
    /// Per part `k`: a run that may start part `k` may start every part in
    /// `k..entered_until[k]` (the parts up to the first that cannot be empty).
    entered_until: Vec<usize>,
    /// Per state: whether the key may end here.
    accepting: Vec<bool>,
    /// Per state: the index of the part it belongs to (`None` for the start).
    part: Vec<Option<usize>>,
}

impl KeyNfa {
    /// Concatenates one DFA per part. State 0 is a synthetic start.
    pub fn new(parts: &[Dfa]) -> KeyNfa {
        // Global id of each part's state 0 is offset[k].
        let mut offset = Vec::with_capacity(parts.len());
        let mut total = 1usize;
        for dfa in parts {
            offset.push(total);
            total += dfa.states.len();
        }
        // `tail_empty[k]`: parts k.. can all be empty.
        let mut tail_empty = vec![true; parts.len() + 1];
        // `entered_until[k]`: one past the first part from k on that cannot be empty.
        let mut entered_until = vec![parts.len(); parts.len()];
        for k in (0..parts.len()).rev() {
            tail_empty[k] = tail_empty[k + 1] && parts[k].accepts_empty();
            if !parts[k].accepts_empty() {
                entered_until[k] = k + 1;
            } else if k + 1 < parts.len() {
                entered_until[k] = entered_until[k + 1];
            }
        }
        let global = |k: usize, s: u32| (offset[k] + s as usize) as u32;
        let starts = parts
            .iter()
            .enumerate()
            .map(|(k, dfa)| {
                dfa.states[0]
                    .iter()
                    .map(|&(lo, hi, next)| (lo, hi, global(k, next)))
                    .collect()
            })
            .collect();
        let mut own = Vec::with_capacity(total);
        let mut then = Vec::with_capacity(total);
        let mut accepting = Vec::with_capacity(total);
        let mut part = Vec::with_capacity(total);
        own.push(Vec::new());
        then.push(Some(0));
        accepting.push(tail_empty[0]);
        part.push(None);
        for (k, dfa) in parts.iter().enumerate() {
            for (s, edges) in dfa.states.iter().enumerate() {
                own.push(
                    edges
                        .iter()
                        .map(|&(lo, hi, next)| (lo, hi, global(k, next)))
                        .collect(),
                );
                let done = dfa.accepting[s];
                then.push(done.then_some(k + 1));
                accepting.push(done && tail_empty[k + 1]);
                part.push(Some(k));
            }
        }
        KeyNfa {
            own,
            then,
            starts,
            entered_until,
            accepting,
            part,
        }
    }

    /// The transitions out of `state`: `(lo, hi, next)`, those within its
    /// part first, then those starting each part it may go on to, in order.
    pub fn transitions(&self, state: u32) -> impl Iterator<Item = (u8, u8, u32)> + Clone + '_ {
        let state = state as usize;
        let entered = match self.then[state] {
            Some(k) if k < self.starts.len() => k..self.entered_until[k],
            _ => 0..0,
        };
        self.own[state]
            .iter()
            .chain(entered.flat_map(|j| &self.starts[j]))
            .copied()
    }

    /// Whether a key may end in `state`.
    pub fn is_accepting(&self, state: u32) -> bool {
        self.accepting[state as usize]
    }

    /// The part `state` is in: `None` for the start state.
    pub fn part_of(&self, state: u32) -> Option<usize> {
        self.part[state as usize]
    }

    /// Splits an accepted string by the parts its run went through: the
    /// bytes each part consumed, `states[i]` being the state after byte i.
    pub fn split(&self, bytes: &[u8], states: &[u32]) -> Vec<Vec<u8>> {
        let mut out = vec![Vec::new(); self.starts.len()];
        for (b, s) in bytes.iter().zip(states) {
            if let Some(k) = self.part[*s as usize] {
                out[k].push(*b);
            }
        }
        out
    }
}

/// A string two runs accept, with how each run split it into parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    pub key: Vec<u8>,
    pub left: Vec<Vec<u8>>,
    pub right: Vec<Vec<u8>>,
}

/// How much searching is left: every product search draws on it, one step
/// per pair of transitions it compares, so `check` is bounded by
/// construction whatever the catalogue. A search that runs out proves
/// nothing either way and says so ([`GaveUp`]); the caller reports it.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Steps left for every search still to come.
    left: u64,
    /// The most one search may take.
    per_search: u64,
}

impl Budget {
    /// A budget of `total` steps, at most `per_search` for one search.
    pub const fn new(total: u64, per_search: u64) -> Budget {
        Budget {
            left: total,
            per_search,
        }
    }

    /// Steps left for the searches to come.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// The most the next search may take.
    pub fn limit(&self) -> u64 {
        self.left.min(self.per_search)
    }

    /// Draws `steps` (at most [`Budget::limit`]) from what is left.
    pub fn spend(&mut self, steps: u64) {
        self.left -= steps.min(self.limit());
    }
}

/// The steps of one `check`: a few seconds of searching at most, more than
/// a hundred times what a 10,000-key catalogue of realistic entries takes.
/// One search may take a tenth of it, so one huge entry leaves room for the
/// others.
impl Default for Budget {
    fn default() -> Budget {
        Budget::new(16_000_000, 2_000_000)
    }
}

/// A search that ran out of [`Budget`] after `steps` steps: it found no
/// witness, and proved none exists only for what it explored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaveUp {
    pub steps: u64,
}

/// What a bounded search found: a witness, a proof that none exists
/// (`Ok(None)`), or neither.
pub type Search = Result<Option<Witness>, GaveUp>;

/// A string both entries accept, if any.
pub fn intersection(a: &KeyNfa, b: &KeyNfa, budget: &mut Budget) -> Search {
    product_search(a, b, false, budget)
}

/// A string one entry accepts along two different runs, if any.
pub fn ambiguity(a: &KeyNfa, budget: &mut Budget) -> Search {
    product_search(a, a, true, budget)
}

/// A state of each automaton, and whether the runs have diverged.
type Pair = (u32, u32, bool);

/// BFS over pairs of states reading the same bytes. With `diverge`, the
/// search also tracks whether the two runs have ever been in different
/// states, and only a diverged accepting pair counts.
fn product_search(a: &KeyNfa, b: &KeyNfa, diverge: bool, budget: &mut Budget) -> Search {
    let limit = budget.limit();
    let mut steps = 0u64;
    let start: Pair = (0, 0, false);
    let mut parent: Parents = HashMap::default();
    let mut queue = VecDeque::from([start]);
    parent.insert(start, (start, 0));
    let done = |(p, q, diverged): Pair| {
        a.accepting[p as usize] && b.accepting[q as usize] && (diverged || !diverge)
    };
    // Nodes leave the queue in the order they enter it, so the first
    // accepting node to enter is the one BFS would stop at: stop there.
    let found = 'search: {
        if done(start) {
            break 'search Ok(Some(witness(a, b, &parent, start)));
        }
        while let Some(node) = queue.pop_front() {
            let (p, q, diverged) = node;
            for (alo, ahi, pn) in a.transitions(p) {
                for (blo, bhi, qn) in b.transitions(q) {
                    steps += 1;
                    if steps > limit {
                        break 'search Err(GaveUp { steps: limit });
                    }
                    let (lo, hi) = (alo.max(blo), ahi.min(bhi));
                    if lo > hi {
                        continue;
                    }
                    let next = (pn, qn, diverge && (diverged || pn != qn));
                    if let std::collections::hash_map::Entry::Vacant(slot) = parent.entry(next) {
                        slot.insert((node, representative(lo, hi)));
                        if done(next) {
                            break 'search Ok(Some(witness(a, b, &parent, next)));
                        }
                        queue.push_back(next);
                    }
                }
            }
        }
        Ok(None)
    };
    budget.spend(steps);
    found
}

/// Each product node reached, with the node and byte it was reached from.
type Parents = HashMap<Pair, (Pair, u8), BuildHasherDefault<PairHasher>>;

/// The hash of product nodes: FxHash's multiply-rotate. SipHash's defence
/// against chosen keys buys nothing for state numbers, and cost most of a
/// search step.
#[derive(Default)]
struct PairHasher(u64);

impl PairHasher {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn witness(a: &KeyNfa, b: &KeyNfa, parent: &Parents, end: Pair) -> Witness {
    let (nodes, bytes) = trace(parent, (0, 0, false), end);
    let left: Vec<u32> = nodes.iter().map(|n| n.0).collect();
    let right: Vec<u32> = nodes.iter().map(|n| n.1).collect();
    Witness {
        left: a.split(&bytes, &left),
        right: b.split(&bytes, &right),
        key: bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any_lower() -> Dfa {
        let mut dfa = Dfa::default();
        let s = dfa.add_state(true);
        dfa.edge(s, b'a', b'z', s);
        dfa
    }

    /// The union accepts exactly what either side accepts, also where their
    /// byte ranges overlap only in part.
    #[test]
    fn union_is_exact() {
        let digits = {
            let mut dfa = Dfa::default();
            let s = dfa.add_state(false);
            let t = dfa.add_state(true);
            dfa.edge(s, b'0', b'9', t);
            dfa.edge(t, b'0', b'9', t);
            dfa
        };
        let hex_word = Dfa::words([&b"a1"[..], b"ff", b"%s"]);
        let union = any_lower().union(&digits).union(&hex_word);
        let inputs: Vec<Vec<u8>> = [
            "", "a", "abc", "0", "42", "a1", "ff", "%s", "%", "a1x", "1a", "A",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        for input in &inputs {
            let expected =
                any_lower().accepts(input) || digits.accepts(input) || hex_word.accepts(input);
            assert_eq!(
                union.accepts(input),
                expected,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
        // Exhaustively over two bytes from a small alphabet.
        let alphabet = b"09afz%sA";
        for &x in alphabet {
            for &y in alphabet {
                let input = [x, y];
                let expected = any_lower().accepts(&input)
                    || digits.accepts(&input)
                    || hex_word.accepts(&input);
                assert_eq!(union.accepts(&input), expected, "{input:?}");
            }
        }
    }

    #[test]
    fn literals_and_words() {
        let dfa = Dfa::words([&b"en"[..], b"fr", b"f"]);
        assert!(dfa.accepts(b"en") && dfa.accepts(b"f") && dfa.accepts(b"fr"));
        assert!(!dfa.accepts(b"e") && !dfa.accepts(b"frx"));
        assert!(Dfa::literal(b"ab").accepts(b"ab"));
        assert!(Dfa::literal(b"").accepts_empty());
    }

    #[test]
    fn containing() {
        let dfa = any_lower();
        assert_eq!(dfa.find_containing(b":"), None);
        let w = dfa.find_containing(b"ab").unwrap();
        assert!(w.windows(2).any(|x| x == b"ab"));
    }

    #[test]
    fn adjacent_free_text_is_ambiguous() {
        let nfa = KeyNfa::new(&[Dfa::literal(b"k:"), any_lower(), any_lower()]);
        let w = ambiguity(&nfa, &mut Budget::default()).unwrap().unwrap();
        assert_ne!(w.left, w.right);
        let separated = KeyNfa::new(&[any_lower(), Dfa::literal(b":"), any_lower()]);
        assert_eq!(ambiguity(&separated, &mut Budget::default()), Ok(None));
    }

    #[test]
    fn prefix_families_collide() {
        let client = KeyNfa::new(&[Dfa::literal(b"client_"), any_lower()]);
        let logo = KeyNfa::new(&[Dfa::literal(b"client_logo_"), any_lower()]);
        assert_eq!(
            intersection(&client, &logo, &mut Budget::default()),
            Ok(None),
            "`_` is not in [a-z]"
        );
        let mut with_underscore = any_lower();
        with_underscore.edge(0, b'_', b'_', 0);
        let client = KeyNfa::new(&[Dfa::literal(b"client_"), with_underscore]);
        let w = intersection(&client, &logo, &mut Budget::default())
            .unwrap()
            .unwrap();
        assert!(w.key.starts_with(b"client_logo_"));
    }
}
