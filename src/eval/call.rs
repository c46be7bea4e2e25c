//! The calling convention of built-ins, a leaf of `eval/`: the table entry
//! (`Builtin`: name, signature, help, rule, run), the evaluated arguments with
//! their spans (`Args`) and the checks every built-in shares (arity, kinds,
//! sizes, axes, keywords), and the narrow context a built-in runs in (`Ctx`).
//! Each failed check names the argument in the source and shows the
//! function's signature.

use std::rc::Rc;

use super::errors::{blamed_arg, generic_error, needs_values};
use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::kernel::Exec;
use crate::ops::OpError;
use crate::ops::arrays::ArraysError;
use crate::ops::limits::Limits;
use crate::ops::random::Rng;
use crate::syntax::Span;
use crate::value::{Array, C64, DType, Dim, Kind, Meta, Value};

/// One built-in function. `rule` predicts the result's metadata from the
/// arguments' metadata and the constant arguments it needs, without
/// computing anything; the evaluator calls it before `run` (and checks the
/// result's size against the limits in between), the checker instead of it.
pub struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub category: &'static str,
    pub min_args: usize,
    pub max_args: usize,
    pub keywords: &'static [&'static str],
    pub rule: fn(&Args) -> EResult<Kind>,
    pub run: fn(&mut Ctx, &Args) -> EResult<Value>,
    /// What `run` reads, which decides what the checker may do with it.
    pub reads: Reads,
}

/// What a built-in's `run` reads besides its constant arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads {
    /// The numbers of its array arguments: with a shape-only argument only
    /// the rule runs.
    Values,
    /// Only its arguments' metadata (`shape`, `len`, `dtype`): it gives
    /// numbers even for shape-only arguments.
    Metadata,
    /// State outside its arguments (the random generator, the clock): the
    /// checker never runs it.
    World,
}

/// What a built-in may touch besides its arguments: the random state, the
/// stopwatch, the warning sink and the display sink. Nothing else of the
/// evaluator.
pub struct Ctx<'a> {
    pub rng: &'a mut Rng,
    pub timer: &'a mut std::time::Instant,
    pub warnings: &'a mut Vec<Diagnostic>,
    /// Values to display now (`disp`), wherever the call is.
    pub displayed: &'a mut Vec<Value>,
}

/// Upper bound for `max_args` meaning "any number".
pub const MANY: usize = usize::MAX;

/// One table entry.
macro_rules! builtin {
    ($cat:literal, $name:literal, $sig:expr, $min:expr, $max:expr, [$($kw:literal),*], $summary:literal, $example:literal, rule: $rule:expr, run: $run:expr) => {
        builtin!($cat, $name, $sig, $min, $max, [$($kw),*], $summary, $example, reads: $crate::eval::call::Reads::Values, rule: $rule, run: $run)
    };
    ($cat:literal, $name:literal, $sig:expr, $min:expr, $max:expr, [$($kw:literal),*], $summary:literal, $example:literal, reads: $reads:expr, rule: $rule:expr, run: $run:expr) => {
        $crate::eval::call::Builtin {
            name: $name,
            signature: $sig,
            summary: $summary,
            example: $example,
            category: $cat,
            min_args: $min,
            max_args: $max,
            keywords: &[$($kw),*],
            rule: $rule,
            run: $run,
            reads: $reads,
        }
    };
}
pub(crate) use builtin;

pub type EResult<T> = Result<T, Diagnostic>;

pub struct Args {
    pub builtin: &'static Builtin,
    pub call_span: Span,
    pub name_span: Span,
    pub pos: Vec<(Rc<Value>, Span)>,
    /// `(name, name span, value, value span)`.
    pub kw: Vec<(String, Span, Rc<Value>, Span)>,
    /// The source being evaluated, to quote arguments in suggested fixes.
    pub source: Rc<str>,
    /// The session's kernel settings and limits, for the operation called.
    pub exec: Exec,
    pub limits: Limits,
}

impl Args {
    /// These arguments with every shape-only one of two possible dtypes
    /// (`int64 or float64`) taken as its other dtype; `None` when no
    /// argument has two. The checker runs a rule on both and keeps either
    /// answer (`Kind::either`), so a dtype the values decide stays open.
    pub fn other_dtypes(&self) -> Option<Args> {
        let other = |v: &Rc<Value>| match &**v {
            Value::Shaped(m) => m.other_dtype().map(|m| Rc::new(Value::Shaped(m))),
            _ => None,
        };
        let any = self.pos.iter().any(|p| other(&p.0).is_some())
            || self.kw.iter().any(|k| other(&k.2).is_some());
        any.then(|| Args {
            builtin: self.builtin,
            call_span: self.call_span,
            name_span: self.name_span,
            pos: self
                .pos
                .iter()
                .map(|(v, s)| (other(v).unwrap_or_else(|| v.clone()), *s))
                .collect(),
            kw: self
                .kw
                .iter()
                .map(|(k, ks, v, vs)| (k.clone(), *ks, other(v).unwrap_or_else(|| v.clone()), *vs))
                .collect(),
            source: self.source.clone(),
            exec: self.exec.clone(),
            limits: self.limits,
        })
    }

    pub fn len(&self) -> usize {
        self.pos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    pub fn span(&self, i: usize) -> Span {
        self.pos.get(i).map_or(self.call_span, |p| p.1)
    }

    /// Argument `i` as written.
    pub fn text(&self, i: usize) -> &str {
        let s = self.span(i);
        self.source.get(s.start..s.end).unwrap_or("?")
    }

    /// An error about argument `i` (or the whole call for `None`).
    pub fn error(
        &self,
        kind: ErrorKind,
        at: Option<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        let span = at.map_or(self.call_span, |i| self.span(i));
        Diagnostic::error(kind, format!("{}: {}", self.builtin.name, message.into()))
            .primary(span, label)
            .note(format!("signature: {}", self.builtin.signature))
    }

    pub fn type_error(&self, i: usize, expected: &str) -> Diagnostic {
        let got = self.pos[i].0.describe();
        self.error(
            ErrorKind::Type,
            Some(i),
            format!("argument {} must be {expected}", i + 1),
            format!("this is {got}"),
        )
    }

    /// Turns an operation's error into a diagnostic pointing at the argument
    /// it blames, or at the call.
    pub fn op_err(&self, e: OpError) -> Diagnostic {
        let at = blamed_arg(&e);
        let axis_span = match &e {
            OpError::Axis { arg: None, .. } => self
                .kw("axis")
                .map(|k| k.1)
                .or_else(|| (self.len() > 1).then(|| self.span(1))),
            // An axis the rule blames that was given as `axis=`.
            OpError::Axis { arg: Some(i), .. }
            | OpError::Arrays {
                err: ArraysError::DuplicateAxis { .. } | ArraysError::OneAxisOnly { .. },
                arg: Some(i),
            } if *i >= self.len() => self.kw("axis").map(|k| k.1),
            _ => None,
        };
        let span = axis_span.unwrap_or_else(|| at.map_or(self.call_span, |i| self.span(i)));
        let label = match at {
            Some(i) => self.pos.get(i).map_or(String::new(), |p| p.0.describe()),
            None => String::new(),
        };
        let mut d = generic_error(self.builtin.name, e).primary(span, label);
        if !d.message.starts_with(self.builtin.name) {
            d.message = format!("{}: {}", self.builtin.name, d.message);
        }
        d
    }

    pub fn value(&self, i: usize) -> &Value {
        &self.pos[i].0
    }

    pub fn array(&self, i: usize) -> EResult<&Array> {
        match &*self.pos[i].0 {
            Value::Array(a) => Ok(a),
            Value::Shaped(m) => Err(needs_values(m, self.span(i))),
            Value::Sizes(s) => Err(super::errors::needs_size_value(s, self.span(i))),
            _ => Err(self.type_error(i, "an array or a number")),
        }
    }

    /// The metadata of array argument `i`: what a rule may look at.
    pub fn meta(&self, i: usize) -> EResult<Meta> {
        match &*self.pos[i].0 {
            Value::Shaped(m) => Ok(m.clone()),
            Value::Sizes(s) => Ok(s.meta()),
            _ => self.array(i).map(Meta::of),
        }
    }

    /// The metadata of every positional argument from `start` on.
    pub fn metas_from(&self, start: usize) -> EResult<Vec<Meta>> {
        (start..self.len()).map(|i| self.meta(i)).collect()
    }

    /// All positional arrays from `start` on.
    pub fn arrays_from(&self, start: usize) -> EResult<Vec<Array>> {
        (start..self.len())
            .map(|i| self.array(i).cloned())
            .collect()
    }

    pub fn string(&self, i: usize) -> EResult<&str> {
        match &*self.pos[i].0 {
            Value::Str(s) => Ok(s),
            _ => Err(self.type_error(i, "a string in double quotes")),
        }
    }

    fn scalar_at(&self, i: usize, what: &str) -> EResult<C64> {
        let a = self.array(i)?;
        if !a.is_scalar() {
            return Err(self.type_error(i, what));
        }
        Ok(a.first_c64().expect("0-d arrays hold one element"))
    }

    /// A whole number: an int, a bool, or a float with no fraction.
    pub fn int(&self, i: usize) -> EResult<i64> {
        if let Value::Array(Array::Int(a)) = &*self.pos[i].0
            && a.ndim() == 0
        {
            return Ok(*a.iter().next().expect("0-d"));
        }
        let z = self.scalar_at(i, "a whole number")?;
        whole(z).ok_or_else(|| self.type_error(i, "a whole number"))
    }

    pub fn f64(&self, i: usize) -> EResult<f64> {
        let z = self.scalar_at(i, "a real number")?;
        if z.im != 0.0 {
            return Err(self.type_error(i, "a real number"));
        }
        Ok(z.re)
    }

    /// A size: a whole number that is not negative.
    pub fn size(&self, i: usize) -> EResult<usize> {
        if let Value::Array(Array::Int(a)) = &*self.pos[i].0
            && a.ndim() == 0
        {
            let v = *a.iter().next().expect("0-d");
            if (0..(1i64 << 62)).contains(&v) {
                return Ok(v as usize);
            }
            if v >= 0 {
                return Err(self.error(
                    ErrorKind::Limit,
                    Some(i),
                    format!("size {v} is too large"),
                    "too large",
                ));
            }
        }
        let z = self.scalar_at(i, "a size (a whole number ≥ 0)")?;
        self.size_from(z, Some(i))
    }

    fn size_from(&self, z: C64, at: Option<usize>) -> EResult<usize> {
        let bad = |why: String| {
            self.error(
                ErrorKind::Domain,
                at,
                format!("sizes must be whole numbers ≥ 0, {why}"),
                why.clone(),
            )
        };
        if z.im != 0.0 {
            return Err(bad("got a complex number".into()));
        }
        let v = z.re;
        if v.is_nan() {
            return Err(bad("got nan".into()));
        }
        if v.is_infinite() {
            return Err(bad("got an infinity".into()));
        }
        if v.fract() != 0.0 {
            return Err(bad(format!("got {}", crate::value::float_repr(v))));
        }
        if v < 0.0 {
            return Err(bad(format!("got {v}")));
        }
        if v >= 2f64.powi(62) {
            return Err(self.error(
                ErrorKind::Limit,
                at,
                format!("size {v:e} is too large"),
                "too large",
            ));
        }
        Ok(v as usize)
    }

    /// A shape given as separate numbers (`zeros(2, 3)`) or one array
    /// (`zeros([2, 3])`, `zeros(shape(A))`), starting at argument `start`.
    pub fn shape_from(&self, start: usize, end: usize) -> EResult<Vec<usize>> {
        if end == start + 1 && !self.array(start)?.is_scalar() {
            let a = self.array(start)?;
            if a.ndim() != 1 {
                return Err(self.type_error(start, "a shape: sizes, or one vector of sizes"));
            }
            return a
                .iter_c64()
                .map(|z| self.size_from(z, Some(start)))
                .collect();
        }
        (start..end).map(|i| self.size(i)).collect()
    }

    /// A size as a rule takes it: a number, or a symbolic size (`n`,
    /// `d*h`).
    pub fn dim(&self, i: usize) -> EResult<Dim> {
        match &*self.pos[i].0 {
            Value::Sizes(s) if !s.vector => Ok(s.dims[0].clone()),
            _ => self.size(i).map(Dim::Known),
        }
    }

    /// Sizes from argument `start` to `end` when one of them is symbolic:
    /// numbers, symbolic sizes, or one list of them, with `None` for a `-1`
    /// to infer; `None` when no size is
    /// symbolic. dims_from and reshape_request both read sizes through it;
    /// only reshape (`infer`) takes a separate `-1`.
    fn symbolic_sizes(
        &self,
        start: usize,
        end: usize,
        infer: bool,
    ) -> EResult<Option<Vec<Option<Dim>>>> {
        if end == start + 1
            && let Value::Sizes(s) = &*self.pos[start].0
            && s.vector
        {
            let dims = (s.dims.iter().enumerate())
                .map(|(i, d)| (s.infer != Some(i)).then(|| d.clone()))
                .collect();
            return Ok(Some(dims));
        }
        if !(start..end).any(|i| matches!(&*self.pos[i].0, Value::Sizes(_))) {
            return Ok(None);
        }
        (start..end)
            .map(|i| match &*self.pos[i].0 {
                Value::Sizes(s) if !s.vector => Ok(Some(s.dims[0].clone())),
                _ if infer && self.int(i)? == -1 => Ok(None),
                _ => self.size(i).map(|n| Some(Dim::Known(n))),
            })
            .collect::<EResult<Vec<_>>>()
            .map(Some)
    }

    /// `shape_from` where sizes may be symbolic: `zeros(n, 1)`,
    /// `randn([n, d])`, `zeros(shape(x))` of a shape-only `x`.
    pub fn dims_from(&self, start: usize, end: usize) -> EResult<Vec<Dim>> {
        let Some(dims) = self.symbolic_sizes(start, end, false)? else {
            return Ok(self
                .shape_from(start, end)?
                .into_iter()
                .map(Dim::Known)
                .collect());
        };
        (dims.into_iter().enumerate())
            .map(|(at, d)| match d {
                Some(d) => Ok(d),
                // A -1 is reshape's alone: as a size it is negative (only a
                // list holds one here; separate sizes were read as sizes).
                None => Err(self.error(
                    ErrorKind::Domain,
                    Some(start),
                    format!("sizes must be whole numbers ≥ 0, got -1 (position {at})"),
                    "got -1",
                )),
            })
            .collect()
    }

    /// reshape's requested lengths from argument `start` on, `None` for the
    /// `-1` to infer: numbers, symbolic sizes, or one list of them.
    pub fn reshape_request(&self, start: usize) -> EResult<Option<Vec<Option<Dim>>>> {
        self.symbolic_sizes(start, self.len(), true)
    }

    /// The numbers of sizes a rule accepted, for a kernel: `run` is only
    /// called when every argument has its numbers, so every size is known.
    pub fn lengths(&self, dims: &[Dim]) -> EResult<Vec<usize>> {
        dims.iter()
            .map(|d| {
                d.value().ok_or_else(|| {
                    self.error(
                        ErrorKind::NeedsValues,
                        None,
                        format!("the size {d} has no value"),
                        "symbolic size",
                    )
                })
            })
            .collect()
    }

    pub fn kw(&self, name: &str) -> Option<(&Value, Span)> {
        self.kw.iter().find(|k| k.0 == name).map(|k| (&*k.2, k.3))
    }

    /// Argument `i` if given positionally, else keyword `name`.
    /// A constant argument that is shape-only has no number to give: the
    /// checker takes the result as unknown.
    fn constant<'v>(&self, v: &'v Value, span: Span) -> EResult<&'v Value> {
        match v {
            Value::Shaped(m) => Err(needs_values(m, span)),
            Value::Sizes(s) => Err(super::errors::needs_size_value(s, span)),
            other => Ok(other),
        }
    }

    pub fn opt(&self, i: usize, name: &str) -> Option<(&Value, Span)> {
        if i < self.len() {
            Some((self.value(i), self.span(i)))
        } else {
            self.kw(name)
        }
    }

    /// The error for an optional argument `name` given at `span` that is not
    /// `expected`.
    pub fn kw_error(&self, span: Span, name: &str, expected: &str) -> Diagnostic {
        Diagnostic::error(
            ErrorKind::Type,
            format!("{}: `{name}` must be {expected}", self.builtin.name),
        )
        .primary(span, "here")
        .note(format!("signature: {}", self.builtin.signature))
    }

    /// An optional whole number: positional at `i` or keyword `name`.
    pub fn opt_int(&self, i: usize, name: &str) -> EResult<Option<i64>> {
        let Some((v, span)) = self.opt(i, name) else {
            return Ok(None);
        };
        let v = self.constant(v, span)?;
        match v {
            Value::Array(a) if a.is_scalar() => match whole(a.first_c64().expect("0-d")) {
                Some(n) => Ok(Some(n)),
                None => Err(self.kw_error(span, name, "a whole number")),
            },
            _ => Err(self.kw_error(span, name, "a whole number")),
        }
    }

    /// An optional real number: positional at `i` or keyword `name`.
    pub fn opt_f64(&self, i: usize, name: &str) -> EResult<Option<f64>> {
        let Some((v, span)) = self.opt(i, name) else {
            return Ok(None);
        };
        let v = self.constant(v, span)?;
        match v {
            Value::Array(a) if a.is_scalar() && a.dtype() != DType::Complex128 => {
                Ok(Some(a.first_c64().expect("0-d").re))
            }
            _ => Err(self.kw_error(span, name, "a real number")),
        }
    }

    /// An optional `true`/`false`: positional at `i` or keyword `name`.
    pub fn opt_bool(&self, i: usize, name: &str, default: bool) -> EResult<bool> {
        let Some((v, span)) = self.opt(i, name) else {
            return Ok(default);
        };
        let v = self.constant(v, span)?;
        match v {
            Value::Array(Array::Bool(b)) if b.ndim() == 0 => Ok(*b.iter().next().expect("0-d")),
            _ => Err(self.kw_error(span, name, "true or false")),
        }
    }

    /// An optional string among `allowed`: positional at `i` or keyword
    /// `name`.
    pub fn opt_choice(
        &self,
        i: usize,
        name: &str,
        default: &'static str,
        allowed: &[&'static str],
    ) -> EResult<String> {
        match self.opt(i, name) {
            None => Ok(default.to_string()),
            Some((Value::Str(s), _)) if allowed.contains(&s.as_str()) => Ok(s.clone()),
            Some((_, span)) => {
                let list = allowed
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(" or ");
                Err(self.kw_error(span, name, &list))
            }
        }
    }

    pub fn kw_int(&self, name: &str) -> EResult<Option<i64>> {
        self.opt_int(MANY, name)
    }

    pub fn kw_f64(&self, name: &str) -> EResult<Option<f64>> {
        self.opt_f64(MANY, name)
    }

    pub fn kw_bool(&self, name: &str, default: bool) -> EResult<bool> {
        self.opt_bool(MANY, name, default)
    }

    pub fn kw_dtype(&self, default: DType) -> EResult<DType> {
        let Some((v, span)) = self.kw("dtype") else {
            return Ok(default);
        };
        let names = DType::ALL.map(|d| format!("\"{d}\"")).join(", ");
        match v {
            Value::Str(s) => DType::from_name(s)
                .ok_or_else(|| self.kw_error(span, "dtype", &format!("one of {names}"))),
            _ => Err(self.kw_error(span, "dtype", &format!("a string: one of {names}"))),
        }
    }

    /// The `axis` argument: keyword `axis=`, or positional argument `i`;
    /// `None` (absent, or the value `None`) means every axis.
    pub fn axis(&self, i: usize) -> EResult<Option<i64>> {
        if matches!(self.opt(i, "axis"), Some((Value::Nothing, _))) {
            return Ok(None);
        }
        if let Some(v) = self.kw_int("axis")? {
            return Ok(Some(v));
        }
        if i < self.len() {
            return self.int(i).map(Some);
        }
        Ok(None)
    }

    /// `axis` where leaving it out means `default` and only `axis=None`
    /// means every axis (sort's `axis=-1`).
    pub fn axis_or(&self, i: usize, default: i64) -> EResult<Option<i64>> {
        match self.opt(i, "axis") {
            None => Ok(Some(default)),
            Some(_) => self.axis(i),
        }
    }

    /// The axes of a reduction: one (`axis=0`), several (`axis=[0, 2]`), or
    /// every axis (`None`: absent or `axis=None`).
    pub fn axes(&self, i: usize) -> EResult<Option<Vec<i64>>> {
        if let Some((Value::Array(x), span)) = self.opt(i, "axis")
            && x.ndim() == 1
        {
            return match x.to_i64_array() {
                Ok(v) if matches!(x.dtype(), DType::Int64) || x.is_empty() => {
                    Ok(Some(v.iter().copied().collect()))
                }
                _ => Err(self.kw_error(span, "axis", "a whole number or a list of them")),
            };
        }
        Ok(self.axis(i)?.map(|k| vec![k]))
    }
}

/// `Some(n)` when `z` is a real whole number that fits in int64.
pub fn whole(z: C64) -> Option<i64> {
    (z.im == 0.0 && z.re.fract() == 0.0 && z.re.abs() < 9.2e18).then_some(z.re as i64)
}
