//! Indexing and indexed assignment in the tree walker: the items are
//! evaluated once, their metadata goes through `index_rule` (errors pointed
//! at the item at fault), and the kernel gathers or scatters; with a
//! shape-only target, index or value only the rules run.

use std::rc::Rc;

use ndarray::{ArrayD, IxDyn};

use super::*;

impl Evaluator {
    pub(super) fn assign_index(
        &mut self,
        name: &str,
        name_span: Span,
        items: &[IndexItem],
        value: &Expr,
    ) -> EResult<Produced> {
        let Some(current) = self.read_var(name).cloned() else {
            return Err(self.unknown_name(name, name_span));
        };
        self.check_store(name, name_span)?;
        if matches!(&*current, Value::Shaped(_) | Value::Unknown) {
            let vals = self.index_values(items)?;
            let metas = self.item_metas(&vals)?;
            // The index is checked before the value is evaluated, as for an
            // array with numbers.
            if let (Value::Shaped(m), Some(metas)) = (&*current, &metas) {
                index_rule(&m.shape, metas)
                    .map_err(|(pos, e)| self.index_error(items, pos, &m.shape, e))?;
            }
            let v = self.eval(value)?;
            return self.assign_index_shaped(
                name,
                name_span,
                current,
                items,
                metas,
                (v, value.span),
            );
        }
        let Value::Array(target) = &*current else {
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!("cannot index into {}", current.describe()),
            )
            .primary(name_span, current.describe()));
        };
        let vals = self.index_values(items)?;
        let metas = self.item_metas(&vals)?;
        let Some(specs) = Self::item_specs(&vals) else {
            let v = self.eval(value)?;
            return self.assign_index_shaped(
                name,
                name_span,
                current.clone(),
                items,
                metas,
                (v, value.span),
            );
        };
        if let Some(metas) = &metas {
            // The selection's offset table (one usize per selected element)
            // is a temporary as large as an int64 array.
            let shape = index_rule(&known(target.shape()), metas)
                .map_err(|(pos, e)| self.index_error(items, pos, &known(target.shape()), e))?;
            let offsets = Kind::Array(Meta::with_dims(shape, DType::Int64));
            self.check_fits(&offsets, "index", name_span)?;
        }
        let sel = select(target.shape(), &specs)
            .map_err(|(pos, e)| self.index_error(items, pos, &known(target.shape()), e))?;
        let v = self.eval(value)?;
        if matches!(&*v, Value::Shaped(_) | Value::Unknown) {
            return self.assign_index_shaped(
                name,
                name_span,
                current.clone(),
                items,
                metas,
                (v, value.span),
            );
        }
        let Value::Array(va) = &*v else {
            return Err(store_error(&v, value.span));
        };
        let target_dtype = target.dtype();
        // Scatter into the stored array itself when nothing else holds it,
        // so `A[i] = x` in a loop costs the selection, not a copy of `A`.
        // `scatter` checks everything before it writes, so a failure leaves
        // the array as it was either way.
        drop(current);
        let mut slot = self
            .scope_mut()
            .remove(name)
            .expect("read from this scope above");
        let done = match Rc::get_mut(&mut slot) {
            Some(Value::Array(a)) => scatter(a, &sel, va),
            _ => {
                let Value::Array(t) = &*slot else {
                    unreachable!("an array, checked above")
                };
                let mut updated = t.clone();
                let done = scatter(&mut updated, &sel, va);
                if done.is_ok() {
                    slot = Rc::new(Value::Array(updated));
                }
                done
            }
        };
        self.store(name, slot.clone());
        done.map_err(|e| {
            let target_span = name_span.to(items.last().map_or(name_span, |i| i.span()));
            match e {
                AssignError::Shape {
                    value: vs,
                    target: ts,
                } => assign_shape_error(&known(&vs), &known(&ts), target_span, value.span),
                AssignError::Cast(c) => {
                    // Decided by the values (an imaginary part, NaN, a
                    // number out of range), as for every cast.
                    let (msg, help) = cast_error_text(&c, target_dtype.name());
                    Diagnostic::error(ErrorKind::Domain, msg)
                        .secondary(target_span, format!("{target_dtype} array"))
                        .primary(value.span, va.dtype().name())
                        .help(format!(
                            "{help}; or convert the array first: {name} = {}({name})",
                            promote(target_dtype, false, va.dtype(), false)
                        ))
                }
            }
        })?;
        let stored = slot;
        Ok(Produced {
            name: Some(name.to_string()),
            value: stored,
        })
    }

    /// Indexed assignment where the target, an index or the value is
    /// shape-only: the rules run (the index fits, the value broadcasts to the
    /// selection) and the target stays what it was, shape-only.
    pub(super) fn assign_index_shaped(
        &mut self,
        name: &str,
        name_span: Span,
        current: Rc<Value>,
        items: &[IndexItem],
        metas: Option<Vec<IndexMeta>>,
        (v, value_span): (Rc<Value>, Span),
    ) -> EResult<Produced> {
        let target = match &*current {
            Value::Unknown => None,
            other => Some(self.meta_of(other, name_span)?),
        };
        let vm = match &*v {
            Value::Unknown => None,
            Value::Array(_) | Value::Shaped(_) => Some(self.meta_of(&v, value_span)?),
            other => return Err(store_error(other, value_span)),
        };
        if let (Some(t), Some(metas), Some(vm)) = (&target, &metas, &vm) {
            let sel = index_rule(&t.shape, metas)
                .map_err(|(pos, e)| self.index_error(items, pos, &t.shape, e))?;
            if !assign_fits(&vm.shape, &sel) {
                let target_span = name_span.to(items.last().map_or(name_span, |i| i.span()));
                return Err(assign_shape_error(&vm.shape, &sel, target_span, value_span));
            }
        }
        let stored = match target {
            Some(t) => Rc::new(Value::Shaped(t)),
            None => current,
        };
        self.store(name, stored.clone());
        Ok(Produced {
            name: Some(name.to_string()),
            value: stored,
        })
    }

    /// Evaluates every index item once.
    pub(super) fn index_values(&mut self, items: &[IndexItem]) -> EResult<Vec<ItemValue>> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(match item {
                IndexItem::Ellipsis(_) => ItemValue::Ellipsis,
                IndexItem::Slice {
                    start, stop, step, ..
                } => {
                    let mut bound = |e: &Option<Expr>| -> EResult<Option<(Rc<Value>, Span)>> {
                        match e {
                            Some(e) => Ok(Some((self.eval(e)?, e.span))),
                            None => Ok(None),
                        }
                    };
                    ItemValue::Slice([bound(start)?, bound(stop)?, bound(step)?])
                }
                IndexItem::Expr(e) => ItemValue::Value(self.eval(e)?, e.span),
            });
        }
        Ok(out)
    }

    /// What the index rule needs of the items, or `None` when a constant
    /// of the index (an integer, a slice bound) is itself not known.
    pub(super) fn item_metas(&self, vals: &[ItemValue]) -> EResult<Option<Vec<IndexMeta>>> {
        let mut out = Vec::with_capacity(vals.len());
        let mut unknown = false;
        for v in vals {
            out.push(match v {
                ItemValue::Ellipsis => IndexMeta::Ellipsis,
                ItemValue::Slice(bounds) => {
                    let mut b = [None; 3];
                    for (k, bound) in bounds.iter().enumerate() {
                        let Some((v, span)) = bound else { continue };
                        match &**v {
                            Value::Array(Array::Int(x)) if x.ndim() == 0 => {
                                b[k] = Some(*x.iter().next().expect("0-d"));
                            }
                            Value::Shaped(m) if m.is_scalar() && m.dtype == DType::Int64 => {
                                unknown = true
                            }
                            Value::Sizes(s) if !s.vector => unknown = true,
                            Value::Unknown => unknown = true,
                            other => return Err(self.index_type_error(other, *span)),
                        }
                    }
                    IndexMeta::Slice {
                        start: b[0],
                        stop: b[1],
                        step: b[2],
                    }
                }
                ItemValue::Value(v, span) => match &**v {
                    // `x[:, None]`: NumPy's newaxis.
                    Value::Nothing => IndexMeta::NewAxis,
                    Value::Array(Array::Int(x)) if x.ndim() == 0 => {
                        IndexMeta::Int(*x.iter().next().expect("0-d"))
                    }
                    Value::Array(Array::Bool(m)) if m.ndim() > 0 => {
                        IndexMeta::Mask(known(m.shape()))
                    }
                    Value::Array(Array::Int(x)) => IndexMeta::IntArray(known(x.shape())),
                    Value::Array(Array::F64(x)) if x.is_empty() => {
                        IndexMeta::IntArray(known(x.shape()))
                    }
                    // An int whose value is not known selects like a 0-d
                    // index array: the axis goes, whatever the number.
                    Value::Shaped(m) if m.dtype == DType::Int64 && m.is_scalar() => {
                        IndexMeta::IntArray(Vec::new())
                    }
                    // An empty float array selects nothing, as with numbers.
                    Value::Shaped(m) if m.dtype == DType::Float64 && m.elements() == Some(0) => {
                        IndexMeta::IntArray(m.shape.clone())
                    }
                    Value::Sizes(s) if !s.vector => IndexMeta::IntArray(Vec::new()),
                    Value::Sizes(s) => IndexMeta::IntArray(s.meta().shape),
                    Value::Shaped(m) if m.dtype == DType::Int64 => {
                        IndexMeta::IntArray(m.shape.clone())
                    }
                    Value::Shaped(m) if m.dtype == DType::Bool && !m.is_scalar() => {
                        IndexMeta::Mask(m.shape.clone())
                    }
                    Value::Unknown => {
                        unknown = true;
                        IndexMeta::Ellipsis
                    }
                    other => return Err(self.index_type_error(other, *span)),
                },
            });
        }
        Ok((!unknown).then_some(out))
    }

    /// The items as the kernel takes them, or `None` when one is
    /// shape-only. Their types were checked by `item_metas`.
    pub(super) fn item_specs(vals: &[ItemValue]) -> Option<Vec<IndexSpec>> {
        let scalar = |v: &Option<(Rc<Value>, Span)>| -> Option<Option<i64>> {
            match v {
                None => Some(None),
                Some((v, _)) => match &**v {
                    Value::Array(Array::Int(x)) => Some(x.iter().next().copied()),
                    _ => None,
                },
            }
        };
        vals.iter()
            .map(|v| match v {
                ItemValue::Ellipsis => Some(IndexSpec::Ellipsis),
                ItemValue::Slice([a, b, c]) => Some(IndexSpec::Slice {
                    start: scalar(a)?,
                    stop: scalar(b)?,
                    step: scalar(c)?,
                }),
                ItemValue::Value(v, _) => match &**v {
                    Value::Nothing => Some(IndexSpec::NewAxis),
                    Value::Array(Array::Bool(m)) if m.ndim() > 0 => {
                        Some(IndexSpec::Mask(m.clone()))
                    }
                    Value::Array(Array::Int(x)) if x.ndim() == 0 => {
                        x.iter().next().map(|&i| IndexSpec::Int(i))
                    }
                    Value::Array(Array::Int(x)) => Some(IndexSpec::IntArray(x.clone())),
                    Value::Array(Array::F64(x)) if x.is_empty() => {
                        Some(IndexSpec::IntArray(ArrayD::zeros(IxDyn(x.shape()))))
                    }
                    _ => None,
                },
            })
            .collect()
    }

    /// Part `k` of several results (`nonzero(x)[0]`, `split(x, 2)[-1]`):
    /// one whole number, negative from the end, as a Python tuple takes it.
    pub(super) fn tuple_part(
        &self,
        parts: &[(String, Value)],
        vals: &[ItemValue],
        items: &[IndexItem],
    ) -> EResult<Rc<Value>> {
        let span = items.first().map_or(Span::default(), |f| {
            f.span().to(items.last().expect("one").span())
        });
        let k = match vals {
            [ItemValue::Value(v, _)] => match &**v {
                Value::Array(Array::Int(x)) if x.ndim() == 0 => x.iter().next().copied(),
                _ => None,
            },
            _ => None,
        };
        let Some(k) = k else {
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!("{} results are picked by one whole number", parts.len()),
            )
            .primary(span, "not one whole number")
            .help("r[0] is the first result; or unpack them: a, b = ..."));
        };
        let len = parts.len() as i64;
        let at = if k < 0 { k + len } else { k };
        match parts.get(usize::try_from(at).unwrap_or(usize::MAX)) {
            Some((_, p)) => Ok(Rc::new(p.clone())),
            None => Err(generic_error(
                "index",
                crate::ops::OpError::Index {
                    axis: 0,
                    len: parts.len(),
                    index: k,
                },
            )
            .primary(
                span,
                match parts.len() {
                    1 => "1 result".to_string(),
                    n => format!("{n} results"),
                },
            )),
        }
    }

    pub(super) fn index_type_error(&self, v: &Value, span: Span) -> Diagnostic {
        match v {
            Value::Array(a) => index_type_error(&a.dtype(), &shape_text(a.shape()), span),
            Value::Shaped(m) => index_type_error(&m.dtype, &shape_text(&m.shape), span),
            other => self.expect_array(other, span).expect_err("not an array"),
        }
    }

    pub(super) fn index_error(
        &self,
        items: &[IndexItem],
        pos: Option<usize>,
        target: &[Dim],
        err: crate::ops::OpError,
    ) -> Diagnostic {
        let span = pos.and_then(|p| items.get(p)).map_or_else(
            || {
                items.first().map_or(Span::default(), |f| {
                    f.span().to(items.last().expect("non-empty").span())
                })
            },
            |i| i.span(),
        );
        let label = match &err {
            crate::ops::OpError::Index { axis, len, .. } => format!("axis {axis} has length {len}"),
            _ => format!("indexing a {} array", shape_text(target)),
        };
        generic_error("index", err).primary(span, label)
    }
}

/// One index item, evaluated.
pub(super) enum ItemValue {
    Ellipsis,
    Slice([Option<(Rc<Value>, Span)>; 3]),
    Value(Rc<Value>, Span),
}

fn store_error(v: &Value, span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::Type,
        format!("cannot store {} in an array", v.describe()),
    )
    .primary(span, v.describe())
}

fn assign_shape_error(
    value: &[Dim],
    target: &[Dim],
    target_span: Span,
    value_span: Span,
) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::Shape,
        format!(
            "cannot assign {} values to a {} selection",
            shape_text(value),
            shape_text(target)
        ),
    )
    .secondary(target_span, shape_text(target))
    .primary(value_span, shape_text(value))
    .note("the value must broadcast to the shape of the selection")
}

pub(super) fn index_type_error(dtype: &DType, shape: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::Type,
        format!("indices must be integers or bool masks, not {dtype}"),
    )
    .primary(span, format!("{shape} {dtype}"))
    .help("convert with int64(...) (it rounds toward zero), or build a mask with a comparison like A > 0")
}
