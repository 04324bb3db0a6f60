//! The key catalogue: the one file where every cache key format lives.
//!
//! [`Catalogue`] is the validated model that code generation, `check` and
//! `lint` all read. It is built only by [`load`] / [`parse`], which report
//! every problem in the file at its exact YAML node, so an invalid model can
//! never reach the generator.

mod load;
pub(crate) mod names;
pub(crate) mod pattern;
pub(crate) mod yaml;

use std::path::PathBuf;
use std::time::Duration;

pub(crate) use load::variant_name;
pub use load::{RULE_CODES, load, parse};
pub use pattern::{Part, Pattern};

use crate::diagnostic::Location;

/// The store whose key limits apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Memcached: keys of at most 250 bytes, no whitespace or control bytes.
    Memcached,
    /// Redis: keys up to 512 MB; `check` warns past a sensible length.
    Redis,
    /// No store's limits.
    None,
}

impl Target {
    /// Every spelling accepted in `target:`.
    pub const NAMES: [&'static str; 3] = ["memcached", "redis", "none"];

    /// The spelling in `target:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Memcached => "memcached",
            Target::Redis => "redis",
            Target::None => "none",
        }
    }
}

/// How the head of every key (prefix and version) is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// `prefix<sep>version<sep>pattern`, each part only when set.
    #[default]
    Plain,
    /// What Django's cache framework stores with its default `KEY_FUNCTION`:
    /// `KEY_PREFIX:VERSION:key`, always both colons, even for an empty
    /// prefix (`:1:key`); the version defaults to Django's `1`. The
    /// catalogue's `prefix` is `KEY_PREFIX`, its `version` is `VERSION`, and
    /// a per-key `version` is what the call passes as `version=`.
    Django,
}

impl Layout {
    /// Every spelling accepted in `layout:`.
    pub const NAMES: [&'static str; 2] = ["plain", "django"];

    /// The spelling in `layout:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Plain => "plain",
            Layout::Django => "django",
        }
    }
}

/// A parsed, validated `keys.yaml`.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// The file, as given by the user.
    pub path: PathBuf,
    /// Its full text, for rendering diagnostics.
    pub source: String,
    /// `prefix:`: written in front of every key.
    pub prefix: Option<String>,
    /// Where the prefix is written, for diagnostics.
    pub prefix_location: Option<Location>,
    /// `separator:`: what joins prefix, version and pattern (`:` by default).
    pub separator: String,
    /// The default version of every key.
    pub version: Option<u64>,
    /// `target:`: the store whose key limits `check` applies.
    pub target: Target,
    /// How prefix and version are laid out in front of each key.
    pub layout: Layout,
    /// Entries in file order.
    pub keys: Vec<KeyEntry>,
    /// The `lint:` section.
    pub lint: LintSettings,
    /// `entities:`: what `depends_on` names, each with its identifying
    /// parameters, in file order.
    pub entities: Vec<Entity>,
}

/// Something whose change invalidates keys: `user: { user_id: u64 }`.
#[derive(Clone, Debug)]
pub struct Entity {
    /// The entity's name under `entities:`.
    pub name: String,
    /// Where the name is written.
    pub location: Location,
    /// The parameters that identify one entity, matched by name (and type)
    /// against the parameters of the entries that depend on it.
    pub params: Vec<Param>,
}

/// An entry's `depends_on` item, with how its keys are invalidated.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The entity's name.
    pub entity: String,
    /// Where the item is written.
    pub location: Location,
    /// How the entry's keys go when the entity changes.
    pub strategy: Strategy,
}

/// How the keys of one entry go when an entity changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// The entity's parameters are all of the entry's: one key per entity,
    /// which the invalidation deletes.
    Delete,
    /// The entry has parameters the entity does not determine, so its keys
    /// cannot be listed: the loader appended the parameter at this index,
    /// the entity's generation counter, and invalidation increments it.
    Generation {
        /// The index of the counter in the entry's parameters.
        param: usize,
    },
    /// The entity's parameters do not map onto the entry's (`check` reports
    /// it): the reason, for the diagnostic.
    Unmapped(String),
}

/// Settings for `cachekeys lint`, from the catalogue's `lint:` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintSettings {
    /// Rule codes not to report.
    pub ignore: Vec<String>,
    /// gitignore-style globs of paths not to scan.
    pub exclude: Vec<String>,
    /// The characters that separate key parts in hand-written keys; empty
    /// for the default `: _ / . | - #`.
    pub separators: Vec<char>,
    /// In-house stores: paths of functions or methods whose first argument
    /// is a key (`crate::store::put`, `Storage::get`), for the stores lint's
    /// table does not know.
    pub sinks: Vec<String>,
}

/// One key family: `profiles.profile` with its pattern and parameters.
#[derive(Clone, Debug)]
pub struct KeyEntry {
    /// The dotted name as written: `profiles.profile`.
    pub name: String,
    /// Where the name is written.
    pub location: Location,
    /// The parsed `pattern:`.
    pub pattern: Pattern,
    /// Where `pattern:` is written.
    pub pattern_location: Location,
    /// Parameters in declaration order; this is the generated argument order.
    pub params: Vec<Param>,
    /// `doc:`: what the key holds, for the generated docs.
    pub doc: Option<String>,
    /// `ttl:`: how long the key lives.
    pub ttl: Option<Ttl>,
    /// The per-key version override.
    pub version: Option<u64>,
    /// `check` findings accepted for this entry (`allow: [CK003]`), for
    /// legacy formats that must keep, say, `encode: none`.
    pub allow: Vec<Allowed>,
    /// `value:`: the type name or schema tag of the cached value, which
    /// `check --against` compares across versions of the catalogue.
    pub value: Option<String>,
    /// Where `ttl` is written.
    pub ttl_location: Option<Location>,
    /// `negative_ttl`: how long a miss (the entity does not exist) is cached.
    pub negative_ttl: Option<Ttl>,
    /// Where `negative_ttl` is written.
    pub negative_ttl_location: Option<Location>,
    /// `ttl_jitter`: the percentage of `ttl` by which expiries are spread.
    pub ttl_jitter: Option<u8>,
    /// `group:`: keys used together in multi-key commands, which must share
    /// a Redis Cluster slot.
    pub group: Option<String>,
    /// Where `group` is written.
    pub group_location: Option<Location>,
    /// `depends_on:`: the entities whose change invalidates these keys.
    pub depends_on: Vec<Dependency>,
}

/// One accepted rule code, with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowed {
    /// The rule code, such as `CK003`.
    pub code: &'static str,
    /// Where the code is written.
    pub location: Location,
}

impl KeyEntry {
    /// Whether `check` findings of rule `code` are accepted for this entry.
    pub fn allows(&self, code: &str) -> bool {
        self.allow.iter().any(|a| a.code == code)
    }
}

impl KeyEntry {
    /// Modules that hold the function: every segment but the last.
    pub fn groups(&self) -> Vec<&str> {
        let mut segments: Vec<&str> = self.name.split('.').collect();
        segments.pop();
        segments
    }

    /// The generated function's name: the last segment.
    pub fn function(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// The Rust path a user calls, e.g. `keys::profiles::profile`.
    pub fn rust_path(&self) -> String {
        self.name.replace('.', "::")
    }

    /// The entry's variant of the generated `Key` enum: the whole dotted
    /// name in UpperCamelCase, `profiles.profile` -> `ProfilesProfile`.
    pub fn variant(&self) -> String {
        names::to_upper_camel(&self.name)
    }
}

/// A time-to-live, kept with its spelling for docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ttl {
    /// The duration in seconds.
    pub seconds: u64,
    /// As written in the catalogue: `30m`.
    pub text: String,
}

impl Ttl {
    /// The duration.
    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.seconds)
    }

    /// For people: `30m (1800 s)`, or `30 s` when written in seconds.
    pub fn describe(&self) -> String {
        if self
            .text
            .ends_with(|c: char| c == 's' || c.is_ascii_digit())
        {
            format!("{} s", self.seconds)
        } else {
            format!("{} ({} s)", self.text, self.seconds)
        }
    }
}

/// A placeholder's declaration.
#[derive(Clone, Debug)]
pub struct Param {
    /// The parameter's name, as written in the pattern's `{name}`.
    pub name: String,
    /// Where the parameter is declared.
    pub location: Location,
    /// Its type.
    pub ty: ParamType,
    /// For `str`: the longest raw value in bytes (metadata for `check`).
    pub max_len: Option<u64>,
}

/// The integer types a parameter can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntType {
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

impl IntType {
    /// Every integer type.
    pub const ALL: [IntType; 8] = [
        IntType::U8,
        IntType::U16,
        IntType::U32,
        IntType::U64,
        IntType::I8,
        IntType::I16,
        IntType::I32,
        IntType::I64,
    ];

    /// The spelling in the catalogue and in Rust: `u64`.
    pub fn name(self) -> &'static str {
        match self {
            IntType::U8 => "u8",
            IntType::U16 => "u16",
            IntType::U32 => "u32",
            IntType::U64 => "u64",
            IntType::I8 => "i8",
            IntType::I16 => "i16",
            IntType::I32 => "i32",
            IntType::I64 => "i64",
        }
    }

    /// Whether negative values exist.
    pub fn signed(self) -> bool {
        matches!(
            self,
            IntType::I8 | IntType::I16 | IntType::I32 | IntType::I64
        )
    }

    /// The smallest and largest value.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntType::U8 => (0, u8::MAX.into()),
            IntType::U16 => (0, u16::MAX.into()),
            IntType::U32 => (0, u32::MAX.into()),
            IntType::U64 => (0, u64::MAX.into()),
            IntType::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntType::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntType::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntType::I64 => (i64::MIN.into(), i64::MAX.into()),
        }
    }

    /// The longest rendering in bytes, sign included: `-128` is 4.
    pub fn max_len(self) -> usize {
        let (min, max) = self.range();
        min.to_string().len().max(max.to_string().len())
    }
}

/// What values a parameter takes and how they are rendered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// Canonical decimal.
    Int(IntType),
    /// `true` / `false`.
    Bool,
    /// A `u128`, rendered as lowercase hyphenated 8-4-4-4-12 hex.
    Uuid,
    /// A generated enum, rendered as the listed value.
    Enum(Vec<String>),
    /// `&str`, rendered by its [`Encoding`].
    Str(Encoding),
}

/// How a `str` parameter is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Every byte outside `A-Za-z0-9-._~` becomes `%XX`: injective, and
    /// keeps whitespace, control bytes and separators out of keys.
    Percent,
    /// The 64-character lowercase hex SHA-256 of the raw value: fixed
    /// length for unbounded text.
    Sha256,
    /// The raw value, for legacy formats. `check` reports what it lets in.
    None,
}

impl Encoding {
    /// Every encoding.
    pub const ALL: [Encoding; 3] = [Encoding::Percent, Encoding::Sha256, Encoding::None];
    /// Every spelling accepted in `encode:`.
    pub const NAMES: [&'static str; 3] = ["percent", "sha256", "none"];

    /// The spelling in `encode:`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Percent => "percent",
            Encoding::Sha256 => "sha256",
            Encoding::None => "none",
        }
    }
}

impl ParamType {
    /// Every spelling accepted in `type:`.
    pub const NAMES: [&'static str; 12] = [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "bool", "uuid", "enum", "str",
    ];

    /// The spelling in `type:`.
    pub fn name(&self) -> &'static str {
        match self {
            ParamType::Int(int) => int.name(),
            ParamType::Bool => "bool",
            ParamType::Uuid => "uuid",
            ParamType::Enum(_) => "enum",
            ParamType::Str(_) => "str",
        }
    }
}

impl Catalogue {
    /// The version a key renders with, if any. Under Django's layout
    /// every key has one: Django's default `VERSION` is 1.
    pub fn version_of(&self, key: &KeyEntry) -> Option<u64> {
        match self.layout {
            Layout::Plain => key.version.or(self.version),
            Layout::Django => Some(key.version.or(self.version).unwrap_or(1)),
        }
    }

    /// The text in front of every key's pattern: prefix and version with
    /// their separators, as the layout writes them.
    pub fn head(&self, key: &KeyEntry) -> String {
        let mut head = String::new();
        match self.layout {
            Layout::Plain => {
                if let Some(prefix) = &self.prefix {
                    head.push_str(prefix);
                    head.push_str(&self.separator);
                }
                if let Some(version) = self.version_of(key) {
                    head.push_str(&version.to_string());
                    head.push_str(&self.separator);
                }
            }
            // `"%s:%s:%s" % (key_prefix, version, key)` in
            // django.core.cache.backends.base.default_key_func.
            Layout::Django => {
                head.push_str(self.prefix.as_deref().unwrap_or(""));
                head.push(':');
                head.push_str(&self.version_of(key).unwrap_or(1).to_string());
                head.push(':');
            }
        }
        head
    }

    /// The full key as parts: prefix, version and pattern joined by the
    /// separator, adjacent literals merged.
    pub fn full_parts(&self, key: &KeyEntry) -> Vec<Part> {
        let mut parts = vec![Part::Literal(self.head(key))];
        parts.extend(key.pattern.parts.iter().cloned());
        pattern::merge_literals(parts)
    }

    /// The entity's generation counter, as an entry of its own:
    /// `gen:{entity}:{param}...`, under the catalogue's prefix and version.
    pub fn generation_entry(&self, entity: &Entity) -> KeyEntry {
        let mut parts = vec![Part::Literal(format!(
            "gen{sep}{}",
            entity.name,
            sep = self.separator
        ))];
        let mut text = format!("gen{}{}", self.separator, entity.name);
        for (i, param) in entity.params.iter().enumerate() {
            parts.push(Part::Literal(self.separator.clone()));
            parts.push(Part::Param(i));
            text.push_str(&format!("{}{{{}}}", self.separator, param.name));
        }
        KeyEntry {
            name: format!("gen.{}", entity.name),
            location: entity.location.clone(),
            pattern: Pattern {
                text,
                parts: pattern::merge_literals(parts),
            },
            pattern_location: entity.location.clone(),
            params: entity.params.clone(),
            doc: None,
            ttl: None,
            version: None,
            allow: Vec::new(),
            value: None,
            ttl_location: None,
            negative_ttl: None,
            negative_ttl_location: None,
            ttl_jitter: None,
            group: None,
            group_location: None,
            depends_on: Vec::new(),
        }
    }

    /// The full key shape with `{name}` holes, as documented and as the
    /// generated `*_PATTERN` constant.
    pub fn full_pattern(&self, key: &KeyEntry) -> String {
        pattern::display(&self.full_parts(key), &key.params)
    }
}
