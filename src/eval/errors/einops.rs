//! The words for einops patterns' errors (`ops::einops::EinopsError`). The
//! built-ins underline the group at fault inside the pattern.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::einops::EinopsError;

/// The label under the part of the pattern at fault.
pub fn label(err: &EinopsError) -> String {
    use EinopsError as E;
    match err {
        E::Divide { len, by, .. } => format!("{by} does not divide {}", len.with_value()),
        E::Product { len, product, .. } => format!("{product} ≠ {}", len.with_value()),
        E::Infer { .. } => "two unknown lengths".into(),
        E::Overflow { .. } => "too large".into(),
        E::OneSide { left: true, .. } => "only on the left".into(),
        E::OneSide { left: false, .. } => "only on the right".into(),
        E::NewAxisLength { .. } => "no length".into(),
        E::Duplicate { .. } => "given twice".into(),
        E::Anonymous { .. } => "a length without a name".into(),
        E::Parenthesis { .. } => "unbalanced".into(),
        E::EllipsisTwice { .. } | E::EllipsisPlace { .. } => "here".into(),
        E::Character { .. } => "not part of a pattern".into(),
        E::Arrow | E::UnusedLength { .. } | E::Rank { .. } => String::new(),
    }
}

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &EinopsError) -> Diagnostic {
    use EinopsError as E;
    let (kind, message, help): (ErrorKind, String, String) = match err {
        E::Arrow => (
            ErrorKind::Domain,
            "a pattern has one '->' between its two sides".into(),
            "write it as \"b c h w -> b (c h w)\"".into(),
        ),
        E::Character { found, .. } => (
            ErrorKind::Domain,
            format!("'{found}' cannot be part of a pattern"),
            "a pattern has names, numbers, parentheses, '...' and '->'".into(),
        ),
        E::Parenthesis { .. } => (
            ErrorKind::Domain,
            "parentheses in a pattern must pair up, one level deep".into(),
            "close every '(' before the next one and before '->'".into(),
        ),
        E::EllipsisTwice { .. } => (
            ErrorKind::Domain,
            "'...' may stand once on each side".into(),
            "name the other axes".into(),
        ),
        E::EllipsisPlace {
            left_group: true, ..
        } => (
            ErrorKind::Domain,
            "'...' cannot be inside parentheses on the left".into(),
            "put '...' on its own on the left; '(...)' is allowed on the right".into(),
        ),
        E::EllipsisPlace {
            left_group: false, ..
        } => (
            ErrorKind::Domain,
            "'...' on the right needs '...' on the left".into(),
            "add '...' on the left for the axes it stands for".into(),
        ),
        E::Duplicate { name, .. } => (
            ErrorKind::Domain,
            format!("axis '{name}' appears twice on one side"),
            "give each axis its own name".into(),
        ),
        E::OneSide { name, left, .. } => (
            ErrorKind::Domain,
            format!(
                "axis '{name}' is on the {} side only",
                if *left { "left" } else { "right" }
            ),
            if *left {
                "name it on the right too (reduce drops axes; rearrange keeps them all)".into()
            } else {
                "name it on the left too (repeat adds new axes with a length keyword)".into()
            },
        ),
        E::Anonymous { len, .. } => (
            ErrorKind::Domain,
            format!("an axis of length {len} needs a name here"),
            format!("name it and give its length, e.g. k={len}"),
        ),
        E::NewAxisLength { name, .. } => (
            ErrorKind::Domain,
            format!("new axis '{name}' has no length"),
            format!("give its length as a keyword, e.g. {name}=3"),
        ),
        E::UnusedLength { name } => (
            ErrorKind::Domain,
            format!("the pattern has no axis '{name}'"),
            "give lengths only for axes of the pattern".into(),
        ),
        E::Rank {
            expected,
            got,
            ellipsis,
        } => (
            ErrorKind::Shape,
            format!(
                "the left side names {}{expected} axes but the array has {got}",
                if *ellipsis { "at least " } else { "" }
            ),
            "name one axis per axis of the array, or use '...' for the rest".into(),
        ),
        E::Product { len, product, .. } => (
            ErrorKind::Shape,
            format!(
                "the group's lengths multiply to {product} but its axis has {}",
                len.with_value()
            ),
            "give lengths whose product is the axis' length".into(),
        ),
        E::Overflow { .. } => (
            ErrorKind::Limit,
            "the group's lengths multiply past the largest size there is".into(),
            "give smaller lengths".into(),
        ),
        E::Divide { len, by, .. } => (
            ErrorKind::Shape,
            format!(
                "an axis of length {} cannot be split into parts of {by}",
                len.with_value()
            ),
            "give a length that divides the axis".into(),
        ),
        E::Infer { names, .. } => (
            ErrorKind::Domain,
            format!(
                "the group has {} lengths to infer ({}); one can be inferred",
                names.len(),
                names.join(", ")
            ),
            format!("give all but one as keywords, e.g. {}=2", names[0]),
        ),
    };
    Diagnostic::error(kind, format!("{op}: {message}")).help(help)
}
