//! Keys rendered by the generated functions from adversarial arguments, stored
//! in and read back from a real memcached over its text protocol: every key is
//! accepted, reads back exactly its own value, and no argument smuggles a
//! command to the server.
//!
//! The server is started on 127.0.0.1 only. Without a `memcached` binary the
//! tests are skipped, except under CI, where they fail: `.ci/run` installs it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::servers::{self, Server};

use crate::generated::{all_types, shop};

/// memcached refuses longer keys.
const MAX_KEY_LEN: usize = 250;
/// Read and write timeout on every connection.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest reply line read (a `VALUE` line with a 250-byte key is ~280).
const MAX_LINE: u64 = 4096;
/// Every key name the injection payloads below try to write.
const INJECTED_NAMES: [&str; 4] = ["injected", "injected2", "injected3", "pwned"];
/// Keys per multi-key `get`.
const MULTI_GET: usize = 16;

// ---------------------------------------------------------------------------
// The text protocol

/// One connection speaking memcached's text protocol.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        })
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer
            .write_all(bytes)
            .unwrap_or_else(|e| panic!("write to memcached: {e}"));
    }

    /// One reply line, without its `\r\n`.
    fn line(&mut self) -> String {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .unwrap_or_else(|e| panic!("read from memcached: {e}"));
        assert!(
            line.ends_with(b"\r\n"),
            "memcached sent an unterminated line (connection closed or line too long): {:?}",
            String::from_utf8_lossy(&line)
        );
        line.truncate(line.len() - 2);
        String::from_utf8(line).unwrap_or_else(|e| panic!("non-UTF-8 reply line: {e}"))
    }

    /// `set <key> 0 0 <len>`, returning the server's reply line.
    fn set(&mut self, key: &str, value: &[u8]) -> String {
        let mut request = format!("set {key} 0 0 {}\r\n", value.len()).into_bytes();
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
        self.send(&request);
        self.line()
    }

    /// `get <key>...`: the items returned, in order, as (key, data).
    fn get(&mut self, keys: &[&str]) -> Vec<(String, Vec<u8>)> {
        self.send(format!("get {}\r\n", keys.join(" ")).as_bytes());
        let mut items = Vec::new();
        // At most one item per requested key, then `END`.
        for _ in 0..=keys.len() {
            let line = self.line();
            if line == "END" {
                return items;
            }
            let fields: Vec<&str> = line.split(' ').collect();
            let ["VALUE", key, _flags, len] = fields[..] else {
                panic!("unexpected reply to get: {line:?}");
            };
            let len: usize = len
                .parse()
                .unwrap_or_else(|e| panic!("bad length in {line:?}: {e}"));
            let mut data = vec![0; len + 2];
            self.reader
                .read_exact(&mut data)
                .unwrap_or_else(|e| panic!("read the data of {line:?}: {e}"));
            assert!(data.ends_with(b"\r\n"), "data block of {line:?} not ended");
            data.truncate(len);
            items.push((key.to_owned(), data));
        }
        panic!(
            "more items than requested keys, or no END, for {} keys",
            keys.len()
        );
    }

    /// `stats`: every `STAT name value`.
    fn stats(&mut self) -> HashMap<String, String> {
        self.send(b"stats\r\n");
        let mut stats = HashMap::new();
        for _ in 0..1000 {
            let line = self.line();
            if line == "END" {
                return stats;
            }
            let mut fields = line.splitn(3, ' ');
            let (Some("STAT"), Some(name), Some(value)) =
                (fields.next(), fields.next(), fields.next())
            else {
                panic!("unexpected reply to stats: {line:?}");
            };
            stats.insert(name.to_owned(), value.to_owned());
        }
        panic!("stats did not end within 1000 lines");
    }

    /// A numeric statistic.
    fn stat(&mut self, name: &str) -> u64 {
        let stats = self.stats();
        let value = stats
            .get(name)
            .unwrap_or_else(|| panic!("no `{name}` in stats"));
        value
            .parse()
            .unwrap_or_else(|e| panic!("stat {name} = {value:?}: {e}"))
    }
}

// ---------------------------------------------------------------------------
// The keys

/// Short arguments that would break a hand-built key: the separator,
/// line breaks and command injection, whitespace, control bytes, non-ASCII,
/// `%` and braces. All are at most 64 bytes (the smallest `max_len` used).
fn adversarial_strings() -> Vec<String> {
    let strings = [
        "",
        "plain",
        ":",
        "::",
        "a:b",
        "a:1",
        "A:b c@x",
        "by-email:x",
        "\r\n",
        "\r",
        "\n",
        "a\r\nb",
        "\r\n\r\n",
        "\r\nset injected 0 0 1\r\nx\r\n",
        "x 0 0 1\r\ny\r\nset injected2 0 0 1\r\nz\r\n",
        "\nset injected3 0 0 1\nw\n",
        "k noreply\r\nset pwned 0 0 1 noreply\r\np",
        "\r\nget injected\r\n",
        "\r\ndelete t:3:flag:true\r\n",
        "\r\nflush_all\r\n",
        "\r\nquit\r\n",
        " ",
        "a b",
        " leading",
        "trailing ",
        "\t",
        "a\tb",
        "\0",
        "a\0b",
        "\x7f",
        "\x01\x1b[31m\x08",
        "é",
        "e\u{301}",
        "日本",
        "🦀",
        "👩\u{200d}👩\u{200d}👧",
        "\u{a0}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "%",
        "%%",
        "100%",
        "%3A",
        "a%3Ab",
        "%0D%0A",
        "%25",
        "{",
        "}",
        "{}",
        "{{",
        "}}",
        "{name}",
        "{{literal}}",
        "-._~",
        "~",
        ".",
        "..",
        "_",
        "\0\x7f\t :\r\n é日本🦀%{}",
    ];
    strings.map(String::from).to_vec()
}

/// 10 KB arguments, for `encode: sha256`.
fn long_strings() -> Vec<String> {
    let n = 10 * 1024;
    let injection = "\r\nset injected 0 0 1\r\nx\r\n";
    vec![
        "a".repeat(n),
        format!("{}b", "a".repeat(n - 1)),
        ":".repeat(n),
        " ".repeat(n),
        "\0".repeat(n),
        "\r\n".repeat(n / 2),
        "🦀".repeat(n / 4),
        "é".repeat(n / 2),
        injection.repeat(n / injection.len() + 1),
    ]
}

/// Arguments far over every `max_len`: 300 and 10,000 bytes, reserved
/// bytes and injections included, each pair differing in one byte.
fn over_long_strings() -> Vec<String> {
    let injection = "\r\nset injected 0 0 1\r\nx\r\n";
    let mut strings = Vec::new();
    for n in [300, 10_000] {
        strings.extend([
            "a".repeat(n),
            format!("{}b", "a".repeat(n - 1)),
            ":".repeat(n),
            " ".repeat(n),
            "\r\n".repeat(n / 2),
            "🦀".repeat(n / 4),
            injection.repeat(n / injection.len() + 1),
        ]);
    }
    for s in &strings {
        assert!(s.len() >= 300, "{s:?}");
    }
    strings
}

/// Arguments of exactly `max_len` bytes that percent-encode to the longest
/// key: every byte becomes `%XX`.
fn longest_strings(max_len: usize) -> Vec<String> {
    let strings: Vec<String> = ["🦀", "é", "\r\n", ":", " ", "%", "\0"]
        .iter()
        .map(|unit| unit.repeat(max_len / unit.len()))
        .collect();
    for s in &strings {
        assert_eq!(s.len(), max_len, "{s:?}");
    }
    strings
}

/// A short readable form of an argument for messages.
fn show(s: &str) -> String {
    if s.len() <= 40 {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(12).collect();
        format!("{head:?}... ({} bytes)", s.len())
    }
}

/// Every key the test stores, as (call that rendered it, key).
fn rendered_keys() -> Vec<(String, String)> {
    let mut keys = Vec::new();
    let mut add = |label: String, key: String| keys.push((label, key));
    let adversarial = adversarial_strings();

    // all_types.yaml (prefix `t`, version 3).
    {
        use all_types::regions::Region;
        use all_types::std::{Option as Opt, String as Str};
        use all_types::{flags, ids, ints, regions, std as shadow, text};

        add("unversioned()".into(), all_types::unversioned());
        for on in [false, true] {
            add(format!("flags::flag({on})"), flags::flag(on));
        }
        for id in [0, 1, 1 << 127, u128::MAX >> 1, u128::MAX] {
            add(format!("ids::session({id:#x})"), ids::session(id));
        }
        for a in [u8::MIN, 1, u8::MAX] {
            for b in [u16::MIN, 1, u16::MAX] {
                for c in [u32::MIN, 1, u32::MAX] {
                    for d in [u64::MIN, 1, u64::MAX] {
                        let label = format!("ints::unsigned({a}, {b}, {c}, {d})");
                        add(label, ints::unsigned(a, b, c, d));
                    }
                }
            }
        }
        for a in [i8::MIN, -1, 0, i8::MAX] {
            for b in [i16::MIN, -1, 0, i16::MAX] {
                for c in [i32::MIN, 0, i32::MAX] {
                    for d in [i64::MIN, -1, 0, i64::MAX] {
                        let label = format!("ints::signed({a}, {b}, {c}, {d})");
                        add(label, ints::signed(a, b, c, d));
                    }
                }
            }
        }
        for region in Region::ALL {
            add(
                format!("regions::by_region({region:?})"),
                regions::by_region(region),
            );
        }
        for key in [u64::MIN, u64::MAX] {
            for string in Str::ALL {
                for option in Opt::ALL {
                    add(
                        format!("std::shadowing({key}, {string:?}, {option:?})"),
                        shadow::shadowing(key, string, option),
                    );
                }
            }
        }
        for s in &adversarial {
            for page in [u16::MIN, u16::MAX] {
                add(
                    format!("text::search({}, {page})", show(s)),
                    text::search(s, page),
                );
            }
            add(format!("text::braces({})", show(s)), text::braces(s));
        }
        for s in adversarial.iter().chain(&long_strings()) {
            for page in [u16::MIN, u16::MAX] {
                add(
                    format!("text::digest({}, {page})", show(s)),
                    text::digest(s, page),
                );
            }
        }
        // `text::raw` (`encode: none`) is left out on purpose: it writes its
        // argument as it is, which `check` refuses for memcached. The second
        // test shows what it lets through.
    }

    // keys.yaml (the shop catalogue, target memcached).
    {
        use shop::feeds::{Locale, Region};
        use shop::profiles::Size;
        use shop::{catalog, feeds, profiles, stats, users};

        add("health()".into(), shop::health());
        for user_id in [u64::MIN, u64::MAX] {
            add(
                format!("profiles::profile({user_id})"),
                profiles::profile(user_id),
            );
            for size in Size::ALL {
                add(
                    format!("profiles::avatar({user_id}, {size:?})"),
                    profiles::avatar(user_id, size),
                );
            }
            for beta in [false, true] {
                add(
                    format!("users::flags({user_id}, {beta})"),
                    users::flags(user_id, beta),
                );
            }
        }
        for id in [0, 1 << 127, u128::MAX] {
            add(format!("users::session({id:#x})"), users::session(id));
        }
        for locale in Locale::ALL {
            for page in [u32::MIN, u32::MAX] {
                add(
                    format!("feeds::home({locale:?}, {page})"),
                    feeds::home(locale, page),
                );
            }
            for region in Region::ALL {
                add(
                    format!("feeds::trending({locale:?}, {region:?})"),
                    feeds::trending(locale, region),
                );
            }
        }
        for product_id in [u32::MIN, u32::MAX] {
            for delta in [i16::MIN, -1, 0, i16::MAX] {
                add(
                    format!("catalog::price({product_id}, {delta})"),
                    catalog::price(product_id, delta),
                );
            }
        }
        for day in [i32::MIN, -1, 0, i32::MAX] {
            add(
                format!("stats::daily_visits({day})"),
                stats::daily_visits(day),
            );
        }
        // Within `max_len` (76 and 64), where `check` proves keys fit.
        for email in adversarial.iter().chain(&longest_strings(76)) {
            assert!(email.len() <= 76, "{email:?}");
            add(
                format!("users::by_email({})", show(email)),
                users::by_email(email),
            );
        }
        for sku in adversarial.iter().chain(&longest_strings(64)) {
            assert!(sku.len() <= 64, "{sku:?}");
            add(
                format!("catalog::product({})", show(sku)),
                catalog::product(sku),
            );
        }
        // Over `max_len`: the value's digest form, within the same bound.
        for long in over_long_strings() {
            add(
                format!("users::by_email({})", show(&long)),
                users::by_email(&long),
            );
            add(
                format!("catalog::product({})", show(&long)),
                catalog::product(&long),
            );
        }
    }
    keys
}

/// Why `key` is not a valid memcached key, if it is not: memcached keys are
/// 1 to 250 bytes with no whitespace or control bytes.
fn key_problem(key: &str) -> Option<String> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Some(format!("{} bytes", key.len()));
    }
    key.bytes()
        .position(|byte| !byte.is_ascii_graphic())
        .map(|at| format!("byte {:#04x} at {at}", key.as_bytes()[at]))
}

/// The value stored under the `i`th key: unique per key.
fn value(i: usize) -> Vec<u8> {
    format!("value-{i}").into_bytes()
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn adversarial_arguments_render_keys_memcached_stores_apart() {
    let keys = rendered_keys();
    // Before any server: every key is distinct and valid for memcached.
    let mut by_key: HashMap<&str, &str> = HashMap::new();
    for (label, key) in &keys {
        if let Some(problem) = key_problem(key) {
            panic!("{label} rendered an invalid memcached key ({problem}): {key:?}");
        }
        if let Some(other) = by_key.insert(key, label) {
            panic!("{other} and {label} both render {key:?}");
        }
    }
    // The percent-encoding boundary is reached: a 76-byte email of reserved
    // bytes makes a key of exactly memcached's limit.
    assert!(
        keys.iter().any(|(_, key)| key.len() == MAX_KEY_LEN),
        "no key is exactly {MAX_KEY_LEN} bytes"
    );

    let Some(binary) = servers::binary("memcached") else {
        return;
    };
    let server = Server::memcached(&binary);
    let mut client = Client::connect(server.addr).expect("connect to memcached");
    let stats = client.stats();
    let stat = |name: &str| -> u64 { stats[name].parse().unwrap() };
    assert_eq!(stat("curr_items"), 0, "the server is not fresh");
    let (total_before, sets_before) = (stat("total_items"), stat("cmd_set"));

    // The server accepts every key.
    for (i, (label, key)) in keys.iter().enumerate() {
        let reply = client.set(key, &value(i));
        assert_eq!(reply, "STORED", "set of {label}, key {key:?}");
    }

    // Each key reads back exactly its own value...
    for (i, (label, key)) in keys.iter().enumerate() {
        let items = client.get(&[key.as_str()]);
        assert_eq!(
            items,
            [(key.clone(), value(i))],
            "get of {label}, key {key:?}"
        );
    }
    // ...also in multi-key gets, where the server splits the request line at
    // spaces: it must find exactly the keys sent, in order.
    let indexed: Vec<(usize, &str)> = keys
        .iter()
        .enumerate()
        .map(|(i, (_, key))| (i, key.as_str()))
        .collect();
    for chunk in indexed.chunks(MULTI_GET) {
        let names: Vec<&str> = chunk.iter().map(|&(_, key)| key).collect();
        let expected: Vec<(String, Vec<u8>)> = chunk
            .iter()
            .map(|&(i, key)| (key.to_owned(), value(i)))
            .collect();
        assert_eq!(client.get(&names), expected, "multi-get of {names:?}");
    }

    // No injected command ran: nothing under the injected names, exactly one
    // item and one set command per key, and the connection is still in step.
    let injected = client.get(&INJECTED_NAMES);
    assert!(injected.is_empty(), "injected keys exist: {injected:?}");
    let n = keys.len() as u64;
    assert_eq!(client.stat("curr_items"), n, "curr_items");
    assert_eq!(client.stat("total_items") - total_before, n, "total_items");
    assert_eq!(client.stat("cmd_set") - sets_before, n, "cmd_set");
    let mut fresh = Client::connect(server.addr).expect("connect to memcached");
    let injected = fresh.get(&INJECTED_NAMES);
    assert!(injected.is_empty(), "injected keys exist: {injected:?}");
    fresh.send(b"version\r\n");
    let version = fresh.line();
    assert!(version.starts_with("VERSION "), "{version:?}");
    println!("memcached ({version}) stored and read back {n} distinct keys");
}

/// A value over its `max_len` no longer breaks the store: 300- and
/// 10,000-byte values give keys within memcached's limit, which the server
/// stores and reads back apart, and `parse` decodes to their digests.
#[test]
fn values_over_max_len_give_keys_memcached_stores() {
    use shop::{Key, Text, catalog, users};
    // The README's example: the 22-byte head and the 72-byte form.
    assert_eq!(users::by_email(&"a".repeat(300)).len(), 94);
    let mut keys = Vec::new();
    for n in [300, 10_000] {
        for value in [
            "x".repeat(n),
            format!("{}y", "x".repeat(n - 1)),
            "é".repeat(n / 2),
        ] {
            let email = users::by_email(&value);
            let sku = catalog::product(&value);
            assert!(
                email.len() <= MAX_KEY_LEN && sku.len() <= MAX_KEY_LEN,
                "{email} {sku}"
            );
            assert!(
                email.starts_with("shop:2:users:by-email:%sha256-"),
                "{email}"
            );
            match shop::parse(&sku) {
                Some(Key::CatalogProduct {
                    sku: Text::Sha256(digest),
                }) => {
                    assert_eq!(digest.len(), 64);
                }
                other => panic!("{sku} parsed to {other:?}"),
            }
            keys.extend([email, sku]);
        }
    }
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "{keys:#?}");

    let Some(binary) = servers::binary("memcached") else {
        return;
    };
    let server = Server::memcached(&binary);
    let mut client = Client::connect(server.addr).expect("connect to memcached");
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(client.set(key, &value(i)), "STORED", "set {key}");
    }
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(
            client.get(&[key.as_str()]),
            [(key.clone(), value(i))],
            "get {key}"
        );
    }
}

/// The checks above can fail: `encode: none` (which `check` refuses under
/// memcached) writes its argument into the key as it is, and the same kind of
/// payload then does run a command on the server.
#[test]
fn an_encode_none_key_injects_and_the_checks_see_it() {
    let key = all_types::text::raw("x\r\nset injected 0 0 1\r\nx\r\nget t:3:raw:x");
    assert!(key_problem(&key).is_some(), "{key:?}");

    let Some(binary) = servers::binary("memcached") else {
        return;
    };
    let server = Server::memcached(&binary);
    let mut client = Client::connect(server.addr).expect("connect to memcached");
    let reply = client.set(&key, b"value");
    assert_ne!(reply, "STORED", "the raw key was stored as one key");
    // Drain the replies to the smuggled commands, up to `version`'s.
    client.send(b"version\r\n");
    let mut replies = vec![reply];
    for _ in 0..20 {
        let line = client.line();
        if line.starts_with("VERSION ") {
            break;
        }
        replies.push(line);
    }
    assert!(replies.iter().any(|r| r == "STORED"), "{replies:?}");
    assert_eq!(
        client.get(&["injected"]),
        [("injected".to_owned(), b"x".to_vec())],
        "the injected set did not run; replies: {replies:?}"
    );
    assert_eq!(client.stat("curr_items"), 1);
}
