//! The generated `Key::slot` against a real 3-node Redis Cluster on
//! 127.0.0.1: `CLUSTER KEYSLOT` agrees for 10,000 generated keys, and
//! multi-key commands (`MGET`, `MULTI`/`EXEC`) on the keys of a group run
//! without `CROSSSLOT`, while the same commands across groups are refused
//! (so the test can tell the two apart).
//!
//! Without `redis-server` the test is skipped, except under CI, where it
//! fails: `.ci/run` installs it.

use crate::servers;

use std::process::Command;
use std::time::{Duration, Instant};

use servers::{Redis, Reply, Server};

use crate::generated::{all_types, policy};

use policy::Key;

/// A 3-node cluster, each node holding a third of the slots.
struct Cluster {
    nodes: Vec<Server>,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn start() -> Option<Cluster> {
        let server = servers::binary("redis-server")?;
        let cli = servers::binary("redis-cli")?;
        let dir = tempfile::tempdir().unwrap();
        let mut seed = servers::new_seed();
        let nodes: Vec<Server> = (0..3)
            .map(|_| Server::redis(&server, dir.path(), true, &mut seed))
            .collect();
        let mut create = Command::new(cli);
        create.arg("--cluster").arg("create");
        for node in &nodes {
            create.arg(node.addr.to_string());
        }
        create.args(["--cluster-replicas", "0", "--cluster-yes"]);
        let output = create.output().expect("redis-cli runs");
        assert!(
            output.status.success(),
            "redis-cli --cluster create failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let cluster = Cluster { nodes, _dir: dir };
        cluster.wait_until_ok();
        Some(cluster)
    }

    /// Every node reports `cluster_state:ok`.
    fn wait_until_ok(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        for node in &self.nodes {
            let mut client = Redis::connect(node.addr);
            loop {
                let info = client.cmd(&["CLUSTER", "INFO"]).text();
                if info.contains("cluster_state:ok") {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "cluster never became ok:\n{info}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// A connection to the node that serves `slot`, from `CLUSTER SLOTS`.
    fn node_for(&self, slot: u16) -> Redis {
        let mut client = Redis::connect(self.nodes[0].addr);
        let Reply::Array(Some(ranges)) = client.cmd(&["CLUSTER", "SLOTS"]) else {
            panic!("CLUSTER SLOTS did not answer an array");
        };
        for range in ranges {
            let Reply::Array(Some(fields)) = range else {
                continue;
            };
            let (Reply::Int(lo), Reply::Int(hi)) = (&fields[0], &fields[1]) else {
                continue;
            };
            if (*lo..=*hi).contains(&i64::from(slot)) {
                let Reply::Array(Some(master)) = &fields[2] else {
                    continue;
                };
                let Reply::Int(port) = master[1] else {
                    continue;
                };
                let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port as u16));
                return Redis::connect(addr);
            }
        }
        panic!("no node serves slot {slot}");
    }
}

/// 10,000 keys of every entry of two catalogues, with varied arguments:
/// hash-tagged keys, keys with literal braces, percent-encoded text.
fn generated_keys() -> Vec<(String, u16)> {
    let mut keys = Vec::new();
    let mut n: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        n ^= n << 13;
        n ^= n >> 7;
        n ^= n << 17;
        n
    };
    let texts = [
        "",
        "a",
        "x{y}z",
        "{",
        "}",
        "{}",
        "é ü",
        "tag}{",
        "user:1{2}",
    ];
    while keys.len() < 10_000 {
        let r = next();
        let text = texts[(r % texts.len() as u64) as usize];
        let key = match keys.len() % 6 {
            0 => Key::UsersProfile { user_id: r },
            1 => Key::FeedsPage {
                user_id: r >> 3,
                page: r as u32,
                user_gen: r % 7,
            },
            2 => Key::CartItems { user_id: r >> 1 },
            3 => Key::CartTotal {
                user_id: r,
                currency: policy::cart::Currency::ALL[(r % 2) as usize],
            },
            4 => Key::ShopsStock {
                shop_id: r as u32,
                sku: policy::Text::Value(format!("{text}{r}")),
                shop_gen: r % 3,
            },
            _ => {
                // Literal braces in the pattern, text after them.
                let key = all_types::text::braces(&format!("{text}{}", r % 1000));
                keys.push((key.clone(), cachekeys::__private::key_text::slot(&key)));
                continue;
            }
        };
        keys.push((key.render(), key.slot()));
    }
    keys
}

#[test]
fn generated_slots_match_cluster_keyslot_and_groups_never_cross_slots() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let mut client = Redis::connect(cluster.nodes[0].addr);

    // Pipelined: every CLUSTER KEYSLOT in batches.
    let keys = generated_keys();
    assert_eq!(keys.len(), 10_000);
    let mut mismatches = Vec::new();
    for batch in keys.chunks(500) {
        for (key, _) in batch {
            client.send(&[b"CLUSTER", b"KEYSLOT", key.as_bytes()]);
        }
        for (key, slot) in batch {
            match client.read() {
                Reply::Int(redis) if redis == i64::from(*slot) => {}
                other => mismatches.push(format!("{key:?}: ours {slot}, redis {other:?}")),
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );

    // A group's keys share a slot: MSET, MGET and MULTI/EXEC succeed.
    for user_id in [0u64, 42, 7_000_000_001, u64::MAX] {
        let items = Key::CartItems { user_id };
        let total = Key::CartTotal {
            user_id,
            currency: policy::cart::Currency::Usd,
        };
        assert_eq!(items.group(), total.group());
        assert_eq!(items.slot(), total.slot());
        let mut node = cluster.node_for(items.slot());
        let (a, b) = (items.render(), total.render());
        assert_eq!(
            node.cmd(&["MSET", &a, "items", &b, "total"]),
            Reply::Status("OK".into())
        );
        assert_eq!(
            node.cmd(&["MGET", &a, &b]),
            Reply::Array(Some(vec![
                Reply::Bulk(Some(b"items".to_vec())),
                Reply::Bulk(Some(b"total".to_vec()))
            ]))
        );
        assert_eq!(node.cmd(&["MULTI"]), Reply::Status("OK".into()));
        assert_eq!(node.cmd(&["INCR", &format!("{a}:n")]).text(), "QUEUED");
        assert_eq!(node.cmd(&["DEL", &a, &b]).text(), "QUEUED");
        let exec = node.cmd(&["EXEC"]);
        assert_eq!(
            exec,
            Reply::Array(Some(vec![Reply::Int(1), Reply::Int(2)])),
            "{a} {b}"
        );
    }

    // Keys of no common group, in different slots: refused, as the group
    // check predicts.
    let items = Key::CartItems { user_id: 42 };
    let profile = Key::UsersProfile { user_id: 42 };
    assert_ne!(items.slot(), profile.slot());
    let mut node = cluster.node_for(items.slot());
    let reply = node.cmd(&["MGET", &items.render(), &profile.render()]);
    assert!(
        matches!(&reply, Reply::Error(e) if e.starts_with("CROSSSLOT")),
        "{reply:?}"
    );
}
