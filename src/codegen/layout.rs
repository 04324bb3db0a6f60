//! Where the generated text breaks its lines: as rustfmt (edition 2024,
//! default settings) lays out the few shapes the generator writes, so a
//! generated file is a fixed point of rustfmt without rustfmt, syn or a
//! pretty-printer in the build. The widths are rustfmt's defaults: lines of
//! 100 columns; calls, arrays and attribute lists on one line up to 60
//! columns of content; struct literals and patterns up to 18; array items
//! of at most 10 columns packed several to a line.
//!
//! Each writer appends whole lines, `indent` spaces deep, to a `String`.

pub const MAX_WIDTH: usize = 100;
pub const CALL_WIDTH: usize = 60;
pub const STRUCT_WIDTH: usize = 18;
/// rustfmt's `short_array_element_width_threshold`.
const SHORT_ITEM_WIDTH: usize = 10;

pub fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

/// One line.
pub fn line(out: &mut String, indent: usize, text: &str) {
    if !text.is_empty() {
        out.push_str(&pad(indent));
        out.push_str(text);
    }
    out.push('\n');
}

/// Doc comment lines, one `///` each; an empty line is a bare `///`.
pub fn docs<S: AsRef<str>>(out: &mut String, indent: usize, lines: &[S]) {
    for text in lines {
        let text = text.as_ref().trim_end();
        if text.is_empty() {
            line(out, indent, "///");
        } else {
            line(out, indent, &format!("/// {text}"));
        }
    }
}

/// Whether `items`, joined with `, `, fit on one line of `room` columns
/// and within `width`.
pub fn fits(items: &[String], width: usize, room: usize) -> bool {
    let joined = items.iter().map(String::len).sum::<usize>() + 2 * items.len().saturating_sub(1);
    joined <= width && joined <= room && items.iter().all(|i| !i.contains('\n'))
}

/// Items one per line; or, when every item is at most 10 columns, as many
/// per line as fit.
pub fn items(out: &mut String, indent: usize, items: &[String]) {
    if items.iter().any(|item| item.len() > SHORT_ITEM_WIDTH) {
        for item in items {
            line(out, indent, &format!("{item},"));
        }
        return;
    }
    let mut text = pad(indent);
    for (i, item) in items.iter().enumerate() {
        // As rustfmt counts: an item takes its `, `, but the last only its
        // trailing `,`, so a line that ends the list may reach column 100.
        let separator = if i + 1 == items.len() { 1 } else { 2 };
        if text.len() > indent && text.len() + item.len() + separator > MAX_WIDTH {
            out.push_str(text.trim_end());
            out.push('\n');
            text = pad(indent);
        }
        text.push_str(item);
        text.push_str(", ");
    }
    out.push_str(text.trim_end());
    out.push('\n');
}

/// `lead` `open` items `close`: on one line when the items take at most
/// `width` columns and the line fits, else one item per line.
pub fn list(
    out: &mut String,
    indent: usize,
    lead: &str,
    (open, close): (&str, &str),
    list_items: &[String],
    width: usize,
) {
    let one_line = format!(
        "{}{lead}{open}{}{close}",
        pad(indent),
        list_items.join(", ")
    );
    if fits(list_items, width, MAX_WIDTH) && one_line.len() <= MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{lead}{open}"));
    for item in list_items {
        line(out, indent + 4, &format!("{item},"));
    }
    line(out, indent, close);
}

/// An array after `lead`: on one line when it fits; after an `=`, on the
/// next line when it fits there; else its items (packed when short).
pub fn array(out: &mut String, indent: usize, lead: &str, array_items: &[String], end: &str) {
    let array = format!("[{}]{end}", array_items.join(", "));
    let short = fits(array_items, CALL_WIDTH, MAX_WIDTH);
    if short && indent + lead.len() + array.len() <= MAX_WIDTH {
        line(out, indent, &format!("{lead}{array}"));
        return;
    }
    if short && lead.ends_with("= ") && indent + 4 + array.len() <= MAX_WIDTH {
        line(out, indent, lead.trim_end());
        line(out, indent + 4, &array);
        return;
    }
    line(out, indent, &format!("{lead}["));
    items(out, indent + 4, array_items);
    line(out, indent, &format!("]{end}"));
}

/// A call `callee(args)` then `end`: on one line when it fits (a lone
/// argument may take the whole line, several at most 60 columns), else
/// the arguments on their own lines (see [`items`]).
pub fn call(out: &mut String, indent: usize, callee: &str, args: &[String], end: &str) {
    let one_line = format!("{}{callee}({}){end}", pad(indent), args.join(", "));
    let width = if args.len() == 1 {
        MAX_WIDTH
    } else {
        CALL_WIDTH
    };
    if one_line.len() <= MAX_WIDTH && fits(args, width, MAX_WIDTH) {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{callee}("));
    items(out, indent + 4, args);
    line(out, indent, &format!("){end}"));
}

/// A call with one argument that is a sum, `callee(a + b + c)` then `end`.
/// Too long for one line, the sum goes on its own line; too long for that,
/// one operand per line, each after a `+` (a first operand no wider than an
/// indent keeps the second on its line).
pub fn sum_call(out: &mut String, indent: usize, callee: &str, operands: &[String], end: &str) {
    let sum = operands.join(" + ");
    let one_line = format!("{}{callee}({sum}){end}", pad(indent));
    if one_line.len() <= MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{callee}("));
    if indent + 4 + sum.len() < MAX_WIDTH {
        line(out, indent + 4, &format!("{sum},"));
    } else {
        let short = usize::from(operands[0].len() <= 4);
        line(out, indent + 4, &operands[..=short].join(" + "));
        let rest = &operands[1 + short..];
        for (n, operand) in rest.iter().enumerate() {
            let comma = if n + 1 == rest.len() { "," } else { "" };
            line(out, indent + 8, &format!("+ {operand}{comma}"));
        }
    }
    line(out, indent, &format!("){end}"));
}

/// A function signature, `head(params) tail`: on one line when it fits,
/// else one parameter per line.
pub fn signature(out: &mut String, indent: usize, head: &str, params: &[String], tail: &str) {
    let one_line = format!("{}{head}({}){tail}", pad(indent), params.join(", "));
    if one_line.len() <= MAX_WIDTH || params.is_empty() {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{head}("));
    for param in params {
        line(out, indent + 4, &format!("{param},"));
    }
    line(out, indent, &format!("){tail}"));
}

/// `head = value;`, broken after `=` when too long and the value then fits.
pub fn assign(out: &mut String, indent: usize, head: &str, value: &str) {
    let one_line = format!("{}{head} = {value};", pad(indent));
    if one_line.len() <= MAX_WIDTH || indent + 4 + value.len() + 1 > MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{head} ="));
    line(out, indent + 4, &format!("{value};"));
}

/// A `pub const` of a generic type `outer<inner>`: on one line; or broken
/// after `=`; or, when not even that head fits, with the type's generics
/// broken; or, when not even `outer<` fits, broken after the `:` too.
pub fn generic_const(
    out: &mut String,
    indent: usize,
    name: &str,
    (outer, inner): (&str, &str),
    value: &str,
) {
    let head = format!("pub const {name}: {outer}<{inner}> =");
    let one_line = format!("{}{head} {value};", pad(indent));
    if one_line.len() <= MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
    } else if indent + head.len() <= MAX_WIDTH {
        line(out, indent, &head);
        line(out, indent + 4, &format!("{value};"));
    } else if indent + format!("pub const {name}: {outer}<").len() < MAX_WIDTH {
        line(out, indent, &format!("pub const {name}: {outer}<"));
        line(out, indent + 4, &format!("{inner},"));
        line(out, indent, &format!("> = {value};"));
    } else {
        line(out, indent, &format!("pub const {name}:"));
        line(out, indent + 4, &format!("{outer}<{inner}> ="));
        line(out, indent + 4, &format!("{value};"));
    }
}

/// An attribute with a list, `#[name(items)]`: on one line when the items
/// take at most 70 columns (rustfmt's `attr_fn_like_width`) and the line
/// fits, else one item per line.
pub fn attribute(out: &mut String, indent: usize, name: &str, attribute_items: &[&str]) {
    const ATTRIBUTE_WIDTH: usize = 70;
    let content = attribute_items.join(", ");
    let one_line = format!("{}#[{name}({content})]", pad(indent));
    if content.len() <= ATTRIBUTE_WIDTH && one_line.len() <= MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("#[{name}("));
    for (n, item) in attribute_items.iter().enumerate() {
        let comma = if n + 1 == attribute_items.len() {
            ""
        } else {
            ","
        };
        line(out, indent + 4, &format!("{item}{comma}"));
    }
    line(out, indent, ")]");
}

/// A match arm `pattern => expr,`; in a block when that is too long.
pub fn arm(out: &mut String, indent: usize, pattern: &str, expr: &str) {
    let one_line = format!("{}{pattern} => {expr},", pad(indent));
    if one_line.len() <= MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{pattern} => {{"));
    line(out, indent + 4, expr);
    line(out, indent, "}");
}

/// A struct literal or pattern, `lead` `Name { fields }` then `end`: on one
/// line when the fields take at most 18 columns and the line fits, else one
/// field per line.
pub fn struct_literal(out: &mut String, indent: usize, lead: &str, fields: &[String], end: &str) {
    let one_line = format!("{}{lead} {{ {} }}{end}", pad(indent), fields.join(", "));
    if fits(fields, STRUCT_WIDTH, MAX_WIDTH) && one_line.len() <= MAX_WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    line(out, indent, &format!("{lead} {{"));
    for field in fields {
        struct_field(out, indent + 4, field);
    }
    line(out, indent, &format!("}}{end}"));
}

/// A field `name: value` of a struct literal, one to a line. Past 100
/// columns, when the value ends in a call, rustfmt keeps `name: value(` on
/// the line and breaks the innermost call's arguments (short ones together
/// on one line); when that does not fit either, the value goes on the next
/// line.
pub fn struct_field(out: &mut String, indent: usize, field: &str) {
    let one_line = format!("{}{field},", pad(indent));
    if one_line.len() > MAX_WIDTH
        && let Some(lines) = break_field_call(indent, field)
    {
        for text in lines {
            out.push_str(&text);
            out.push('\n');
        }
        return;
    }
    // Else the value on the next line, where it is the shorter; still too
    // long there, its innermost call's arguments break as above.
    if one_line.len() > MAX_WIDTH
        && let Some((name, value)) = field.split_once(": ")
    {
        line(out, indent, &format!("{name}:"));
        // On its own line the value may reach column 100; its comma may
        // go past.
        let value_line = format!("{}{value},", pad(indent + 4));
        match break_call(indent + 4, "", value) {
            Some(lines) if value_line.len() > MAX_WIDTH + 1 => {
                for text in lines {
                    out.push_str(&text);
                    out.push('\n');
                }
            }
            _ => {
                out.push_str(&value_line);
                out.push('\n');
            }
        }
        return;
    }
    out.push_str(&one_line);
    out.push('\n');
}

fn break_field_call(indent: usize, field: &str) -> Option<Vec<String>> {
    let (name, value) = field.split_once(": ")?;
    break_call(indent, &format!("{name}: "), value)
}

/// `lead` then `value`, a value ending in a call, with that call's
/// arguments on their own lines; `None` when a line is still too long.
fn break_call(indent: usize, lead: &str, value: &str) -> Option<Vec<String>> {
    let open = value.rfind('(')?;
    let close = open + value[open..].find(')')?;
    let args: Vec<String> = value[open + 1..close]
        .split(", ")
        .map(str::to_owned)
        .collect();
    if args.iter().any(String::is_empty) {
        return None;
    }
    let mut text = format!("{}{lead}{}\n", pad(indent), &value[..=open]);
    items(&mut text, indent + 4, &args);
    text.push_str(&format!("{}{},", pad(indent), &value[close..]));
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Beside a field's name, rustfmt keeps a column for a trailing `?`
    // when it places the call's head: that line must then end before
    // column 100. On a line of its own the head may reach it.
    let try_op = usize::from(!lead.is_empty() && value.ends_with('?'));
    let fits = lines
        .iter()
        .enumerate()
        .all(|(i, l)| l.len() + if i == 0 { try_op } else { 0 } <= MAX_WIDTH);
    fits.then_some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short items fill lines as rustfmt fills them: a line may reach
    /// column 100 only with the list's last item, which takes `,` and no
    /// space (found by the random-catalogue rustfmt test; checked against
    /// rustfmt 1.95, edition 2024, on a call and on an array).
    #[test]
    fn short_items_fill_to_column_100_only_with_the_last_item() {
        let pad = " ".repeat(16);
        let args: Vec<String> = [
            "&mut key_",
            "a_user",
            "x_page",
            "customer",
            "revenue_x",
            "a",
            "user",
            "region",
            "account_q",
            "revenue",
        ]
        .map(String::from)
        .to_vec();
        let mut out = String::new();
        items(&mut out, 16, &args);
        assert_eq!(out, format!("{pad}{},\n", args.join(", ")));
        assert_eq!(out.trim_end().len(), 100);
        // The same line with an item after it: the space after its comma
        // would pass column 100, so the line breaks before `revenue`.
        let mut more = args.clone();
        more.push("x".into());
        let mut out = String::new();
        items(&mut out, 16, &more);
        assert_eq!(out.lines().next().map(str::len), Some(91));
        // 31 zeros after 8 columns would end at column 100 mid-list: 30.
        let zeros = vec!["0".to_string(); 45];
        let mut out = String::new();
        items(&mut out, 8, &zeros);
        assert_eq!(
            out.lines()
                .map(|l| l.matches('0').count())
                .collect::<Vec<_>>(),
            [30, 15]
        );
    }

    /// A field whose value is too long even on a line of its own: rustfmt
    /// breaks the value's call there too (found by the random-catalogue
    /// rustfmt test).
    #[test]
    fn a_long_field_value_on_its_own_line_breaks_its_call() {
        let mut out = String::new();
        struct_field(
            &mut out,
            28,
            "region_quarterly: revenue_customer::customer_page::RegionQuarterly::from_key_text(found[3])?",
        );
        let pad = " ".repeat(28);
        assert_eq!(
            out,
            format!(
                "{pad}region_quarterly:\n{pad}    revenue_customer::customer_page::RegionQuarterly::from_key_text(\n{pad}        found[3],\n{pad}    )?,\n"
            )
        );
    }

    /// When `name: value(` fits, the name stays and only the call breaks
    /// (both shapes checked against rustfmt 1.95, edition 2024).
    #[test]
    fn a_call_head_at_column_100_moves_the_value_to_the_next_line() {
        let mut out = String::new();
        struct_field(
            &mut out,
            24,
            "quarterly_quarterly: account::customer_a::QuarterlyQuarterly::from_key_text(found[0])?",
        );
        let pad = " ".repeat(24);
        assert_eq!(
            out,
            format!(
                "{pad}quarterly_quarterly:\n{pad}    account::customer_a::QuarterlyQuarterly::from_key_text(found[0])?,\n"
            )
        );
    }

    /// On a line of its own, a call's head may reach column 100.
    #[test]
    fn a_value_on_its_own_line_may_open_its_call_at_column_100() {
        let mut out = String::new();
        struct_field(
            &mut out,
            28,
            "region_quarterly: quarterly_revenue::revenue_customer::RegionQuarterly::from_key_text(found[4])?",
        );
        let pad = " ".repeat(28);
        assert_eq!(
            out,
            format!(
                "{pad}region_quarterly:\n{pad}    quarterly_revenue::revenue_customer::RegionQuarterly::from_key_text(\n{pad}        found[4],\n{pad}    )?,\n"
            )
        );
    }

    /// When `name: value(` fits, the name stays and only the call breaks.
    #[test]
    fn a_long_field_keeps_its_name_when_the_call_head_fits() {
        let mut out = String::new();
        struct_field(
            &mut out,
            28,
            "region_quarterly: customer_page::RegionQuarterly::from_key_text(found[3])?",
        );
        let pad = " ".repeat(28);
        assert_eq!(
            out,
            format!(
                "{pad}region_quarterly: customer_page::RegionQuarterly::from_key_text(\n{pad}    found[3],\n{pad})?,\n"
            )
        );
    }
}
