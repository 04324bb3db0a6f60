//! CK008: cache policy the store cannot honour.
//!
//! memcached reads an expiry over 30 days as an absolute Unix time (its
//! protocol.txt: "the actual value sent may either be Unix time ... or a
//! number of seconds starting from current time ... [which] must not
//! exceed 60*60*24*30"), so a longer `ttl` or `negative_ttl` expires the item
//! at once: every read misses and nothing says why. Redis takes any
//! relative expiry, so this is a memcached-only rule.

use crate::catalogue::{Catalogue, KeyEntry, Target, Ttl};
use crate::diagnostic::{Diagnostic, Location};

/// CK008: a memcached TTL over 30 days.
pub const TTL_OVER_30_DAYS: &str = crate::rules::ck008_ttl_over_30_days::RULE.code;

/// The longest relative expiry memcached accepts: 30 days.
pub const MEMCACHED_MAX_TTL: u64 = 60 * 60 * 24 * 30;

/// CK008 for one entry's `ttl` and `negative_ttl`.
pub fn check(catalogue: &Catalogue, key: &KeyEntry, out: &mut Vec<Diagnostic>) {
    if catalogue.target != Target::Memcached {
        return;
    }
    let fields: [(&str, &Option<Ttl>, &Option<Location>); 2] = [
        ("ttl", &key.ttl, &key.ttl_location),
        (
            "negative_ttl",
            &key.negative_ttl,
            &key.negative_ttl_location,
        ),
    ];
    for (field, ttl, location) in fields {
        let (Some(ttl), Some(location)) = (ttl, location) else {
            continue;
        };
        if ttl.seconds <= MEMCACHED_MAX_TTL {
            continue;
        }
        out.push(
            Diagnostic::error(
                format!(
                    "`{field}` of `{}` is {}, over the 30 days memcached takes as a relative expiry",
                    key.name,
                    ttl.describe()
                ),
                location.clone(),
            )
            .with_code(TTL_OVER_30_DAYS)
            .with_label("memcached reads this as an absolute Unix time, long past: the item expires at once")
            .with_help(format!(
                "use at most `30d` ({MEMCACHED_MAX_TTL} s), or remove `{field}` to cache until invalidated"
            )),
        );
    }
}
