//! The enum of an `enum` parameter: a variant per value, `as_str` and its
//! inverse `from_key_text`, and `Display` and `FromStr` on top of those, so
//! a `&str` from a request becomes a value with `.parse()`. `FromStr`'s
//! error is `UnknownValue`, one type at the root for every enum: the
//! parameter's name and the values it has.

use super::layout::{self, line};
use super::{NONE, some};
use crate::catalogue::Param;
use crate::catalogue::names::to_upper_camel;

/// A parameter's enum and its impls, `indent` deep.
pub(super) fn write(out: &mut String, indent: usize, param: &Param, values: &[String]) {
    let name = to_upper_camel(&param.name);
    let variants: Vec<String> = values
        .iter()
        .map(|v| crate::catalogue::variant_name(v))
        .collect();
    let texts: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    let root = "super::".repeat(indent / 4);
    let (i1, i2, i3) = (indent + 4, indent + 8, indent + 12);

    layout::docs(
        out,
        indent,
        &[format!("Values of the `{}` parameter.", param.name)],
    );
    line(
        out,
        indent,
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]",
    );
    line(out, indent, &format!("pub enum {name} {{"));
    for (variant, value) in variants.iter().zip(values) {
        layout::docs(out, i1, &[format!("Renders as `{value}`.")]);
        line(out, i1, &format!("{variant},"));
    }
    line(out, indent, "}");

    line(out, indent, &format!("impl {name} {{"));
    layout::docs(out, i1, &["Every value, in catalogue order."]);
    let all: Vec<String> = variants.iter().map(|v| format!("Self::{v}")).collect();
    layout::array(
        out,
        i1,
        &format!("pub const ALL: [Self; {}] = ", values.len()),
        &all,
        ";",
    );
    layout::docs(out, i1, &["The text this value renders as in a key."]);
    line(out, i1, "#[must_use]");
    line(out, i1, "pub const fn as_str(self) -> &'static str {");
    line(out, i2, "match self {");
    for (variant, text) in variants.iter().zip(&texts) {
        layout::arm(out, i3, &format!("Self::{variant}"), text);
    }
    line(out, i2, "}");
    line(out, i1, "}");
    layout::docs(
        out,
        i1,
        &[
            "The value that renders as `text`, if any: the inverse of",
            "[`Self::as_str`].",
        ],
    );
    line(out, i1, "#[must_use]");
    line(
        out,
        i1,
        "pub fn from_key_text(text: &str) -> ::core::option::Option<Self> {",
    );
    line(out, i2, "match text {");
    for (variant, text) in variants.iter().zip(&texts) {
        layout::arm(out, i3, text, &some(&format!("Self::{variant}")));
    }
    layout::arm(out, i3, "_", NONE);
    line(out, i2, "}");
    line(out, i1, "}");
    layout::docs(out, i1, &["Whether some value renders as `text`."]);
    line(out, i1, "#[must_use]");
    line(out, i1, "pub fn is_key_text(text: &str) -> bool {");
    line(out, i2, "Self::from_key_text(text).is_some()");
    line(out, i1, "}");
    line(out, indent, "}");

    impl_head(
        out,
        indent,
        "Writes the text the value renders as in a key.",
        "::core::fmt::Display",
        &name,
    );
    line(
        out,
        i1,
        "fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {",
    );
    line(out, i2, "f.write_str(self.as_str())");
    line(out, i1, "}");
    line(out, indent, "}");

    impl_head(
        out,
        indent,
        "The value that renders as the text: the inverse of `Display`.",
        "::core::str::FromStr",
        &name,
    );
    line(out, i1, &format!("type Err = {root}UnknownValue;"));
    line(
        out,
        i1,
        "fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {",
    );
    layout::array(
        out,
        i2,
        &format!("const EXPECTED: [&str; {}] = ", values.len()),
        &texts,
        ";",
    );
    line(
        out,
        i2,
        &format!("Self::from_key_text(text).ok_or({root}UnknownValue {{"),
    );
    line(out, i3, &format!("param: {:?},", param.name));
    line(out, i3, "expected: &EXPECTED,");
    line(out, i2, "})");
    line(out, i1, "}");
    line(out, indent, "}");
}

/// The documented head of a trait impl for the enum: `impl Trait for Name {`.
fn impl_head(
    out: &mut String,
    indent: usize,
    doc: &str,
    trait_path: &str,
    name: impl std::fmt::Display,
) {
    layout::docs(out, indent, &[doc]);
    line(out, indent, &format!("impl {trait_path} for {name} {{"));
}

/// `UnknownValue`, the error of every parameter enum's `FromStr`, at the
/// root.
pub(super) fn error_type(out: &mut String) {
    out.push_str(
        r#"/// The error of a parameter enum's `FromStr`: the text is none of the
/// values the catalogue lists for the parameter.
#[allow(dead_code, reason = "a crate need not use every key of its catalogue")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnknownValue {
    /// The parameter, as the catalogue names it.
    pub param: &'static str,
    /// The texts of its values, in catalogue order.
    pub expected: &'static [&'static str],
}
/// Names the parameter and lists its values.
impl ::core::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        ::core::write!(f, "not a value of `{}`; expected one of ", self.param)?;
        for (i, text) in self.expected.iter().enumerate() {
            let comma = if i == 0 { "" } else { ", " };
            ::core::write!(f, "{comma}`{text}`")?;
        }
        ::core::result::Result::Ok(())
    }
}
impl ::core::error::Error for UnknownValue {}
"#,
    );
}
