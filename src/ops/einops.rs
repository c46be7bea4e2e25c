//! einops' `rearrange`, `reduce` and `repeat`: the pattern language (names,
//! groups in parentheses, `1` and `()`, anonymous lengths, `...`) parsed
//! into a plan whose rule works on symbolic sizes, and the kernels that
//! reshape, transpose, reduce and broadcast by it. An error carries the
//! byte range in the pattern of the group at fault, so the evaluator can
//! underline it inside the string; the words are in `eval/errors/einops.rs`.

use ndarray::{ArrayD, IxDyn};

use super::error::{OpError, OpResult};
use super::limits::{Limits, check_alloc};
use super::reduce::{Reduce, reduce, reduce_rule};
use crate::kernel::Exec;
use crate::value::{Array, DType, Dim, Meta};

/// Which of the three functions a pattern is for: each has its own rule
/// about names on one side only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Rearrange,
    Reduce(Reduce),
    Repeat,
}

/// A byte range in the pattern (half-open).
pub type At = (usize, usize);

/// Why a pattern does not fit, with where in the pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum EinopsError {
    /// No `->`, or more than one.
    Arrow,
    /// A character that is not a name, a number, `(`, `)`, `...` or space.
    Character { at: At, found: char },
    /// `(` without `)`, `)` without `(`, or `(` inside a group.
    Parenthesis { at: At },
    /// `...` twice on one side.
    EllipsisTwice { at: At },
    /// `...` on the right only, or inside a group on the left.
    EllipsisPlace { at: At, left_group: bool },
    /// A name twice on one side.
    Duplicate { at: At, name: String },
    /// A name on one side only (`left`: it is on the left side).
    OneSide { at: At, name: String, left: bool },
    /// An anonymous length other than 1 where the function has none.
    Anonymous { at: At, len: usize },
    /// A new axis of `repeat` without a length keyword.
    NewAxisLength { at: At, name: String },
    /// A length keyword whose name the pattern does not have.
    UnusedLength { name: String },
    /// The array has another number of axes than the left side.
    Rank {
        expected: usize,
        got: usize,
        ellipsis: bool,
    },
    /// A group whose known lengths do not multiply to its axis' length.
    Product { at: At, len: Dim, product: Dim },
    /// A group with one unknown length whose known ones do not divide.
    Divide { at: At, len: Dim, by: Dim },
    /// A group with two or more unknown lengths.
    Infer { at: At, names: Vec<String> },
    /// A group whose lengths, all numbers, multiply past the largest size
    /// there is (`usize::MAX`).
    Overflow { at: At },
}

impl EinopsError {
    /// Where in the pattern the error is, if it is at one place.
    pub fn at(&self) -> Option<At> {
        use EinopsError as E;
        match self {
            E::Character { at, .. }
            | E::Parenthesis { at }
            | E::EllipsisTwice { at }
            | E::EllipsisPlace { at, .. }
            | E::Duplicate { at, .. }
            | E::OneSide { at, .. }
            | E::Anonymous { at, .. }
            | E::NewAxisLength { at, .. }
            | E::Product { at, .. }
            | E::Divide { at, .. }
            | E::Infer { at, .. }
            | E::Overflow { at } => Some(*at),
            E::Arrow | E::UnusedLength { .. } | E::Rank { .. } => None,
        }
    }
}

fn fail<T>(err: EinopsError) -> OpResult<T> {
    Err(OpError::Einops { err, arg: Some(1) })
}

/// One axis name in a pattern: a name, an anonymous length (unique per
/// place: `2` on the left and `2` on the right are different axes, as in
/// einops), or the axes under `...`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Name {
    Id(String),
    Anon(usize, usize),
    Ellipsis,
}

#[derive(Clone, Debug)]
struct Item {
    name: Name,
    at: At,
}

/// A top-level item of one side: one axis of the array.
#[derive(Clone, Debug)]
struct Group {
    items: Vec<Item>,
    at: At,
    paren: bool,
}

/// Parses one side starting at byte `base` of the pattern.
fn parse_side(text: &str, base: usize, anon: &mut usize) -> OpResult<Vec<Group>> {
    let bytes = text.as_bytes();
    let mut groups: Vec<Group> = Vec::new();
    let mut open: Option<Group> = None;
    let mut i = 0;
    let mut ellipses = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'(' {
            if open.is_some() {
                return fail(EinopsError::Parenthesis {
                    at: (base + i, base + i + 1),
                });
            }
            open = Some(Group {
                items: vec![],
                at: (base + i, base + i + 1),
                paren: true,
            });
            i += 1;
            continue;
        }
        if c == b')' {
            let Some(mut g) = open.take() else {
                return fail(EinopsError::Parenthesis {
                    at: (base + i, base + i + 1),
                });
            };
            g.at.1 = base + i + 1;
            groups.push(g);
            i += 1;
            continue;
        }
        let item = if text[i..].starts_with("...") {
            i += 3;
            ellipses += 1;
            if ellipses > 1 {
                return fail(EinopsError::EllipsisTwice {
                    at: (base + start, base + i),
                });
            }
            Name::Ellipsis
        } else if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n: usize = text[start..i].parse().unwrap_or(usize::MAX);
            if n == 1 {
                // `1` is an axis of length 1 with no name: an empty group.
                if open.is_none() {
                    groups.push(Group {
                        items: vec![],
                        at: (base + start, base + i),
                        paren: false,
                    });
                }
                continue;
            }
            *anon += 1;
            Name::Anon(n, *anon)
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            Name::Id(text[start..i].to_string())
        } else {
            let found = text[i..].chars().next().unwrap_or('?');
            let end = i + found.len_utf8();
            return fail(EinopsError::Character {
                at: (base + start, base + end),
                found,
            });
        };
        let item = Item {
            name: item,
            at: (base + start, base + i),
        };
        match &mut open {
            Some(g) => g.items.push(item),
            None => groups.push(Group {
                at: item.at,
                items: vec![item],
                paren: false,
            }),
        }
    }
    if let Some(g) = open {
        return fail(EinopsError::Parenthesis { at: g.at });
    }
    Ok(groups)
}

/// What a pattern does to an array of a given shape: every length in it
/// (`Dim`, so symbolic sizes flow through), and the result's shape.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Lengths of the left side's names, in order (the input reshaped).
    left_sizes: Vec<Dim>,
    /// For each name of the right side, in order: its place on the left,
    /// or None for a new axis (repeat) with its length.
    right: Vec<(Option<usize>, Dim)>,
    /// Places on the left that are reduced (not on the right).
    reduced: Vec<usize>,
    /// The result's shape.
    pub shape: Vec<Dim>,
}

fn name_text(n: &Name) -> String {
    match n {
        Name::Id(s) if s.starts_with('…') => "...".into(),
        Name::Id(s) => s.clone(),
        Name::Anon(v, _) => v.to_string(),
        Name::Ellipsis => "...".into(),
    }
}

/// The elementary axes of a side after `...` is replaced by `k` names
/// (`…0`, `…1`, ..., which no pattern can write).
fn expand(groups: &[Group], k: usize) -> Vec<Group> {
    let dots = |at: At| {
        (0..k).map(move |j| Item {
            name: Name::Id(format!("…{j}")),
            at,
        })
    };
    let mut out = Vec::new();
    for g in groups {
        if !g.paren && g.items.len() == 1 && g.items[0].name == Name::Ellipsis {
            for it in dots(g.items[0].at) {
                out.push(Group {
                    at: it.at,
                    items: vec![it],
                    paren: false,
                });
            }
            continue;
        }
        let mut items = Vec::new();
        for it in &g.items {
            if it.name == Name::Ellipsis {
                items.extend(dots(it.at));
            } else {
                items.push(it.clone());
            }
        }
        out.push(Group {
            items,
            at: g.at,
            paren: g.paren,
        });
    }
    out
}

fn has_ellipsis(groups: &[Group]) -> Option<(At, bool)> {
    groups.iter().find_map(|g| {
        g.items
            .iter()
            .find(|it| it.name == Name::Ellipsis)
            .map(|it| (it.at, g.paren))
    })
}

/// Parses `pattern` and fits it to `shape`, with the lengths given by
/// keyword. The rule of all three functions.
pub fn plan(op: Op, pattern: &str, shape: &[Dim], lengths: &[(String, Dim)]) -> OpResult<Plan> {
    let Some((lhs, rhs)) = pattern.split_once("->") else {
        return fail(EinopsError::Arrow);
    };
    if rhs.contains("->") {
        return fail(EinopsError::Arrow);
    }
    let mut anon = 0;
    let left = parse_side(lhs, 0, &mut anon)?;
    let right = parse_side(rhs, lhs.len() + 2, &mut anon)?;
    let (le, re) = (has_ellipsis(&left), has_ellipsis(&right));
    if let Some((at, true)) = le {
        return fail(EinopsError::EllipsisPlace {
            at,
            left_group: true,
        });
    }
    if let (None, Some((at, _))) = (le, re) {
        return fail(EinopsError::EllipsisPlace {
            at,
            left_group: false,
        });
    }
    // Rank: the ellipsis takes the axes the other groups leave.
    let named = left.len() - usize::from(le.is_some());
    if shape.len() < named || (le.is_none() && shape.len() != named) {
        return fail(EinopsError::Rank {
            expected: named,
            got: shape.len(),
            ellipsis: le.is_some(),
        });
    }
    let k = shape.len() - named;
    let (left, right) = (expand(&left, k), expand(&right, k));
    let names = |gs: &[Group]| -> OpResult<Vec<Item>> {
        let mut seen: Vec<Item> = Vec::new();
        for it in gs.iter().flat_map(|g| &g.items) {
            if seen.iter().any(|s| s.name == it.name) {
                return fail(EinopsError::Duplicate {
                    at: it.at,
                    name: name_text(&it.name),
                });
            }
            seen.push(it.clone());
        }
        Ok(seen)
    };
    let (lnames, rnames) = (names(&left)?, names(&right)?);
    let on = |list: &[Item], n: &Name| list.iter().position(|x| x.name == *n);
    // Rearrange keeps every axis and repeat may only add, so a left name
    // missing on the right is reduce's alone; an anonymous length on the
    // left is a reduced axis, so reduce's alone too.
    for it in &lnames {
        let on_right = on(&rnames, &it.name).is_some();
        match &it.name {
            Name::Anon(len, _) if !matches!(op, Op::Reduce(_)) => {
                return fail(EinopsError::Anonymous {
                    at: it.at,
                    len: *len,
                });
            }
            Name::Id(_) if !on_right && !matches!(op, Op::Reduce(_)) => {
                return fail(EinopsError::OneSide {
                    at: it.at,
                    name: name_text(&it.name),
                    left: true,
                });
            }
            _ => {}
        }
    }
    let length_of = |n: &str| lengths.iter().find(|(k, _)| k == n).map(|(_, d)| d.clone());
    for it in &rnames {
        match &it.name {
            Name::Anon(len, _) if op != Op::Repeat => {
                return fail(EinopsError::Anonymous {
                    at: it.at,
                    len: *len,
                });
            }
            Name::Id(n) if on(&lnames, &it.name).is_none() => {
                if op != Op::Repeat {
                    return fail(EinopsError::OneSide {
                        at: it.at,
                        name: name_text(&it.name),
                        left: false,
                    });
                }
                if length_of(n).is_none() {
                    return fail(EinopsError::NewAxisLength {
                        at: it.at,
                        name: n.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    for (n, _) in lengths {
        let used = lnames
            .iter()
            .chain(&rnames)
            .any(|it| it.name == Name::Id(n.clone()));
        if !used {
            return fail(EinopsError::UnusedLength { name: n.clone() });
        }
    }
    // Each left group's lengths: known ones from keywords and anonymous
    // lengths, at most one inferred from the axis.
    let mut left_sizes = Vec::with_capacity(lnames.len());
    for (g, len) in left.iter().zip(shape) {
        let mut sizes: Vec<Option<Dim>> = g
            .items
            .iter()
            .map(|it| match &it.name {
                Name::Anon(v, _) => Some(Dim::Known(*v)),
                Name::Id(n) => length_of(n),
                Name::Ellipsis => None,
            })
            .collect();
        let unknown: Vec<usize> = (0..sizes.len()).filter(|&i| sizes[i].is_none()).collect();
        let known = group_product(g.at, sizes.iter().flatten())?;
        match unknown.as_slice() {
            [] => {
                if known.clash(len) {
                    return fail(EinopsError::Product {
                        at: g.at,
                        len: len.clone(),
                        product: known,
                    });
                }
            }
            [i] => {
                if let (Some(n), Some(d)) = (len.value(), known.value())
                    && (d == 0 || n % d != 0)
                {
                    return fail(EinopsError::Divide {
                        at: g.at,
                        len: len.clone(),
                        by: known,
                    });
                }
                sizes[*i] = Some(if known.is_one() {
                    len.clone()
                } else {
                    Dim::div_exact(len, &known)
                });
            }
            many => {
                return fail(EinopsError::Infer {
                    at: g.at,
                    names: many.iter().map(|&i| name_text(&g.items[i].name)).collect(),
                });
            }
        }
        left_sizes.extend(sizes.into_iter().map(|d| d.expect("filled")));
    }
    let right_plan: Vec<(Option<usize>, Dim)> = rnames
        .iter()
        .map(|it| match on(&lnames, &it.name) {
            Some(p) => (Some(p), left_sizes[p].clone()),
            None => match &it.name {
                Name::Anon(v, _) => (None, Dim::Known(*v)),
                Name::Id(n) => (None, length_of(n).expect("checked above")),
                Name::Ellipsis => (None, Dim::Known(1)),
            },
        })
        .collect();
    let reduced = (0..lnames.len())
        .filter(|&p| !right_plan.iter().any(|(q, _)| *q == Some(p)))
        .collect();
    let mut out_shape = Vec::with_capacity(right.len());
    let mut next = 0;
    for g in &right {
        let n = g.items.len();
        out_shape.push(group_product(
            g.at,
            right_plan[next..next + n].iter().map(|(_, d)| d),
        )?);
        next += n;
    }
    Ok(Plan {
        left_sizes,
        right: right_plan,
        reduced,
        shape: out_shape,
    })
}

/// The rule: the result's metadata. For `reduce` the reduction's own rule
/// sees the kept axes as one and the reduced ones as another, so its dtype
/// and its refusals (min of nothing, max of complex) are the same here.
pub fn rule(op: Op, x: &Meta, pattern: &str, lengths: &[(String, Dim)]) -> OpResult<Meta> {
    let p = plan(op, pattern, &x.shape, lengths)?;
    let dtype = match op {
        Op::Reduce(kind) => {
            let (kept, reduced) = p.split();
            let m = Meta::with_dims(vec![kept, reduced], x.dtype);
            reduce_rule(kind, &m, Some(1), false)
                .map_err(|e| match e {
                    OpError::Reduce { err, .. } => OpError::Reduce { err, arg: Some(0) },
                    other => other,
                })?
                .dtype
        }
        _ => x.dtype,
    };
    // The kernel's steps (the input split into the left side's axes, the
    // right side's axes before they are grouped) and the result: an empty
    // one's other axes still count (ndarray's bound).
    let right: Vec<Dim> = p.right.iter().map(|(_, d)| d.clone()).collect();
    for dims in [&p.left_sizes, &right] {
        super::construct::fits(&Meta::with_dims(dims.clone(), dtype))?;
    }
    let m = Meta::with_dims(p.shape, dtype);
    super::construct::fits(&m)?;
    Ok(m)
}

/// The product of a group's lengths, refused when they are all numbers and
/// it does not fit in a size (it would otherwise be unknown, which matches
/// any axis, and the kernel needs every length).
fn group_product<'a>(at: At, dims: impl IntoIterator<Item = &'a Dim> + Clone) -> OpResult<Dim> {
    let product = Dim::product(dims.clone());
    let numbers = dims.into_iter().all(|d| matches!(d, Dim::Known(_)));
    if numbers && product.value().is_none() {
        return fail(EinopsError::Overflow { at });
    }
    Ok(product)
}

impl Plan {
    /// The lengths of all kept axes multiplied, and of all reduced ones.
    fn split(&self) -> (Dim, Dim) {
        let kept = Dim::product(
            self.right
                .iter()
                .filter(|(q, _)| q.is_some())
                .map(|(_, d)| d),
        );
        let reduced = Dim::product(self.reduced.iter().map(|&i| &self.left_sizes[i]));
        (kept, reduced)
    }
}

fn known(d: &[Dim]) -> Vec<usize> {
    d.iter()
        .map(|d| d.value().expect("arrays have known lengths"))
        .collect()
}

fn reshape(a: &Array, shape: &[usize]) -> Array {
    crate::map_array!(a, v => ArrayD::from_shape_vec(IxDyn(shape), v.iter().cloned().collect())
        .expect("same number of elements"))
}

/// Runs the plan on `x`.
pub fn apply(
    op: Op,
    x: &Array,
    pattern: &str,
    lengths: &[(String, Dim)],
    limits: &Limits,
    exec: &Exec,
) -> OpResult<Array> {
    let out = rule(op, &Meta::of(x), pattern, lengths)?;
    let p = plan(op, pattern, &Meta::of(x).shape, lengths)?;
    let out_shape = known(&out.shape);
    check_alloc(&out_shape, out.dtype, limits)?;
    let elems = reshape(x, &known(&p.left_sizes));
    // Kept axes in the right side's order, then the reduced ones.
    let kept: Vec<usize> = p.right.iter().filter_map(|(q, _)| *q).collect();
    let perm: Vec<usize> = kept.iter().chain(&p.reduced).copied().collect();
    let moved = crate::map_array!(&elems, v => v.clone().permuted_axes(IxDyn(&perm)));
    let moved = reshape(&moved, moved.shape());
    let result = match op {
        Op::Reduce(kind) if !p.reduced.is_empty() => {
            let (kept, reduced) = p.split();
            let dims = [kept, reduced].map(|d| d.value().expect("known"));
            reduce(kind, &reshape(&moved, &dims), Some(1), false, 0.0, exec)?
        }
        Op::Reduce(kind) => {
            // Nothing reduced: the reduction of one element keeps its value
            // but takes the reduction's dtype (sum of bools is int64).
            let dt = reduce_rule(kind, &Meta::scalar(x.dtype()), None, false)?.dtype;
            moved.widen(dt)
        }
        Op::Rearrange => moved,
        Op::Repeat => {
            // New axes as length 1, then broadcast to their lengths.
            let ones: Vec<usize> = p
                .right
                .iter()
                .map(|(q, d)| match q {
                    Some(_) => d.value().expect("known"),
                    None => 1,
                })
                .collect();
            let full: Vec<usize> = p
                .right
                .iter()
                .map(|(_, d)| d.value().expect("known"))
                .collect();
            let with_ones = reshape(&moved, &ones);
            crate::map_array!(&with_ones, v => v
                .broadcast(IxDyn(&full))
                .expect("1 broadcasts")
                .to_owned())
        }
    };
    Ok(
        if result.dtype() == DType::Bool || result.dtype() == out.dtype {
            reshape(&result, &out_shape)
        } else {
            reshape(&result.widen(out.dtype), &out_shape)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(v: &[usize]) -> Vec<Dim> {
        v.iter().map(|&n| Dim::Known(n)).collect()
    }

    fn arange(shape: &[usize]) -> Array {
        let n: usize = shape.iter().product();
        Array::Int(ArrayD::from_shape_vec(IxDyn(shape), (0..n as i64).collect()).unwrap())
    }

    fn run(op: Op, x: &Array, pattern: &str, lengths: &[(&str, usize)]) -> OpResult<Array> {
        let l: Vec<(String, Dim)> = lengths
            .iter()
            .map(|(k, v)| (k.to_string(), Dim::Known(*v)))
            .collect();
        apply(op, x, pattern, &l, &Limits::default(), &Exec::from_env())
    }

    fn err(r: OpResult<Array>) -> EinopsError {
        match r {
            Err(OpError::Einops { err, .. }) => err,
            other => panic!("expected a pattern error, got {other:?}"),
        }
    }

    #[test]
    fn rearrange_splits_groups_and_transposes() {
        // einops.rearrange(np.arange(24).reshape(2, 3, 4), 'b c (h w) -> b h w c', h=2)
        let x = arange(&[2, 3, 4]);
        let r = run(Op::Rearrange, &x, "b c (h w) -> b h w c", &[("h", 2)]).unwrap();
        assert_eq!(r.shape(), [2, 2, 2, 3]);
        let Array::Int(v) = &r else { panic!() };
        assert_eq!(
            v.iter().take(6).copied().collect::<Vec<_>>(),
            [0, 4, 8, 1, 5, 9]
        );
        let r = run(Op::Rearrange, &x, "b ... -> b (...)", &[]).unwrap();
        assert_eq!(r.shape(), [2, 12]);
        let r = run(Op::Rearrange, &x, "b c w -> b 1 (w c)", &[]).unwrap();
        assert_eq!(r.shape(), [2, 1, 12]);
    }

    #[test]
    fn reduce_and_repeat() {
        let x = arange(&[2, 3]);
        let r = run(Op::Reduce(Reduce::Sum), &x, "h w -> h", &[]).unwrap();
        assert_eq!(
            r,
            Array::Int(ArrayD::from_shape_vec(IxDyn(&[2]), vec![3, 12]).unwrap())
        );
        let r = run(Op::Reduce(Reduce::Max), &x, "h w -> w 1", &[]).unwrap();
        assert_eq!(r.shape(), [3, 1]);
        let r = run(Op::Repeat, &x, "h w -> h w c", &[("c", 2)]).unwrap();
        assert_eq!(r.shape(), [2, 3, 2]);
        let r = run(Op::Repeat, &x, "h w -> (2 h) w", &[]).unwrap();
        assert_eq!(r.shape(), [4, 3]);
        let Array::Int(v) = &r else { panic!() };
        assert_eq!(v[[2, 1]], 1);
    }

    #[test]
    fn lengths_that_multiply_past_a_size_are_refused_at_their_group() {
        // Unknown would match any axis, and the kernel needs every length
        // (found by the einops fuzz target: the rule accepted, the kernel
        // panicked).
        let x = arange(&[2, 3, 4]);
        let big = "b c (66666666666666666666666666666666 h w) -> h";
        for kind in [Reduce::Sum, Reduce::Max] {
            let e = err(run(Op::Reduce(kind), &x, big, &[("h", 2)]));
            assert!(matches!(e, EinopsError::Overflow { at: (4, _) }), "{e:?}");
        }
        let v = arange(&[2]);
        let e = err(run(Op::Repeat, &v, "h -> h (6666666666 7777777777)", &[]));
        assert!(matches!(e, EinopsError::Overflow { at: (7, _) }), "{e:?}");
        let e = err(run(
            Op::Repeat,
            &v,
            "h -> (h a b)",
            &[("a", 6666666666), ("b", 7777777777)],
        ));
        assert!(matches!(e, EinopsError::Overflow { .. }), "{e:?}");
    }

    #[test]
    fn an_empty_result_with_axes_past_a_size_is_refused_by_the_rule() {
        // Found by the einops fuzz target: repeat of a 0-d array to new
        // axes 0 and many long ones; the kernel's broadcast panicked.
        let x = arange(&[]);
        let pattern = "-> 0 5000000000 5000000000";
        let m = Meta::of(&x);
        assert!(rule(Op::Repeat, &m, pattern, &[]).is_err());
        assert!(run(Op::Repeat, &x, pattern, &[]).is_err());
        // Empty and countable is fine.
        let r = run(Op::Repeat, &x, "-> 0 5000000000", &[]).unwrap();
        assert_eq!(r.shape(), [0, 5000000000]);
        // The same for the kernel's steps: the input split into the left
        // side's axes, and the new axes before they are grouped (both
        // found by the fuzz target too).
        let e = arange(&[0, 3]);
        let split = "(a 88888888888888888888 c) b -> a (b c)";
        assert!(run(Op::Rearrange, &e, split, &[("a", 1)]).is_err());
        let v = arange(&[2]);
        let grouped = "h -> (h a b)";
        let lengths = [("a", 0), ("b", 5000000000000000000)];
        assert!(
            rule(
                Op::Repeat,
                &Meta::of(&v),
                grouped,
                &[
                    ("a".into(), Dim::Known(0)),
                    ("b".into(), Dim::Known(5000000000000000000))
                ]
            )
            .is_err()
        );
        assert!(run(Op::Repeat, &v, grouped, &lengths).is_err());
    }

    #[test]
    fn errors_point_at_the_group() {
        let x = arange(&[2, 3, 5]);
        let e = err(run(Op::Rearrange, &x, "b c (h w) -> b h w c", &[("h", 2)]));
        assert_eq!(
            e,
            EinopsError::Divide {
                at: (4, 9),
                len: Dim::Known(5),
                by: Dim::Known(2)
            }
        );
        let e = err(run(Op::Rearrange, &x, "b c (h w) -> b h c", &[("h", 5)]));
        assert!(
            matches!(e, EinopsError::OneSide { left: true, .. }),
            "{e:?}"
        );
        let e = err(run(Op::Rearrange, &x, "b c h w -> b c", &[]));
        assert!(matches!(
            e,
            EinopsError::Rank {
                expected: 4,
                got: 3,
                ..
            }
        ));
        let e = err(run(Op::Rearrange, &x, "b c (h w -> b", &[]));
        assert_eq!(e, EinopsError::Parenthesis { at: (4, 5) });
        let e = err(run(Op::Repeat, &x, "b c h -> b c h k", &[]));
        assert_eq!(
            e,
            EinopsError::NewAxisLength {
                at: (15, 16),
                name: "k".into()
            }
        );
    }

    #[test]
    fn symbolic_sizes_multiply_and_divide() {
        let n = Dim::symbol("n", None);
        let h = Dim::symbol("h", None);
        let w = Dim::symbol("w", None);
        let m = Meta::with_dims(vec![n.clone(), h.clone(), w.clone()], DType::Float64);
        let r = rule(Op::Rearrange, &m, "n h w -> n (h w)", &[]).unwrap();
        assert_eq!(r.shape, vec![n.clone(), Dim::mul(&h, &w)]);
        let m = Meta::with_dims(vec![Dim::mul(&h, &w)], DType::Float64);
        let r = rule(
            Op::Rearrange,
            &m,
            "(h w) -> w h",
            &[("h".into(), h.clone())],
        )
        .unwrap();
        assert_eq!(r.shape, vec![w, h]);
        let m = Meta::with_dims(vec![n], DType::Float64);
        let r = rule(
            Op::Rearrange,
            &m,
            "(a b) -> a b",
            &[("a".into(), Dim::Known(4))],
        )
        .unwrap();
        assert_eq!(r.shape[0], Dim::Known(4));
        assert_eq!(r.shape[1], Dim::Unknown);
        let _ = dims(&[1]);
    }
}
