//! Symbolic sizes (`dim n, d`): a size that is a polynomial in named
//! symbols with integer coefficients (`n`, `n+m`, `n·d`, `2·n-1`), each
//! symbol with the value `dim n = 32` gave it, if any. Kept in a normal form
//! (terms sorted, equal monomials merged, no zero coefficients), so two
//! sizes are the same expression exactly when they are equal as values.

use std::fmt;
use std::sync::Arc;

/// One named size, and its value when `dim n = 32` gave one. Symbols order
/// by when they were declared, so `dim n, d` writes products as `n·d`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol {
    pub rank: u32,
    pub name: Arc<str>,
    pub value: Option<usize>,
}

/// `coef · atoms[0] · atoms[1] · ...`; no atoms is a constant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Term {
    atoms: Vec<Symbol>,
    coef: i64,
}

/// A sum of terms in normal form, with at least one symbol.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SymSize {
    terms: Vec<Term>,
}

/// What a sum, product or quotient of sizes comes to: a plain number, a
/// symbolic size, or nothing that can be written (overflow, a negative
/// number, a quotient that does not divide).
pub enum Combined {
    Number(usize),
    Sym(SymSize),
    Unwritable,
}

impl SymSize {
    pub fn symbol(name: &str, value: Option<usize>) -> SymSize {
        SymSize::declared(0, name, value)
    }

    /// The `rank`-th symbol declared.
    pub fn declared(rank: u32, name: &str, value: Option<usize>) -> SymSize {
        SymSize {
            terms: vec![Term {
                atoms: vec![Symbol {
                    rank,
                    name: Arc::from(name),
                    value,
                }],
                coef: 1,
            }],
        }
    }

    fn constant(c: usize) -> Option<SymSize> {
        Some(SymSize {
            terms: vec![Term {
                atoms: Vec::new(),
                coef: i64::try_from(c).ok()?,
            }],
        })
    }

    /// Brings `terms` into normal form and decides what they are.
    fn normal(mut terms: Vec<Term>) -> Combined {
        for t in &mut terms {
            t.atoms.sort();
        }
        terms.sort_by(|a, b| {
            b.atoms
                .len()
                .cmp(&a.atoms.len())
                .then_with(|| a.atoms.cmp(&b.atoms))
        });
        let mut out: Vec<Term> = Vec::with_capacity(terms.len());
        for t in terms {
            match out.last_mut() {
                Some(last) if last.atoms == t.atoms => match last.coef.checked_add(t.coef) {
                    Some(c) => last.coef = c,
                    None => return Combined::Unwritable,
                },
                _ => out.push(t),
            }
        }
        out.retain(|t| t.coef != 0);
        match out.as_slice() {
            [] => Combined::Number(0),
            [t] if t.atoms.is_empty() => match usize::try_from(t.coef) {
                Ok(n) => Combined::Number(n),
                Err(_) => Combined::Unwritable,
            },
            _ => Combined::Sym(SymSize { terms: out }),
        }
    }

    fn of(n: usize) -> Option<SymSize> {
        SymSize::constant(n)
    }

    /// `a + b` (either may be a number: pass it through `from_number`).
    pub fn add(a: &SymSize, b: &SymSize) -> Combined {
        SymSize::normal(a.terms.iter().chain(&b.terms).cloned().collect())
    }

    /// `a - b`.
    pub fn sub(a: &SymSize, b: &SymSize) -> Combined {
        let mut terms = a.terms.clone();
        for t in &b.terms {
            let Some(coef) = t.coef.checked_neg() else {
                return Combined::Unwritable;
            };
            terms.push(Term {
                atoms: t.atoms.clone(),
                coef,
            });
        }
        SymSize::normal(terms)
    }

    /// `a · b`.
    pub fn mul(a: &SymSize, b: &SymSize) -> Combined {
        let mut terms = Vec::with_capacity(a.terms.len() * b.terms.len());
        for x in &a.terms {
            for y in &b.terms {
                let Some(coef) = x.coef.checked_mul(y.coef) else {
                    return Combined::Unwritable;
                };
                terms.push(Term {
                    atoms: x.atoms.iter().chain(&y.atoms).cloned().collect(),
                    coef,
                });
            }
        }
        SymSize::normal(terms)
    }

    /// `a / b` when `b` divides every term of `a` exactly (`n·d / d` is `n`,
    /// `(2·n) / 2` is `n`); `Unwritable` otherwise.
    pub fn div_exact(a: &SymSize, b: &SymSize) -> Combined {
        let [divisor] = b.terms.as_slice() else {
            return Combined::Unwritable;
        };
        if divisor.coef <= 0 {
            return Combined::Unwritable;
        }
        let mut terms = Vec::with_capacity(a.terms.len());
        for t in &a.terms {
            if t.coef % divisor.coef != 0 {
                return Combined::Unwritable;
            }
            let mut atoms = t.atoms.clone();
            for d in &divisor.atoms {
                match atoms.iter().position(|x| x == d) {
                    Some(i) => {
                        atoms.remove(i);
                    }
                    None => return Combined::Unwritable,
                }
            }
            terms.push(Term {
                atoms,
                coef: t.coef / divisor.coef,
            });
        }
        SymSize::normal(terms)
    }

    /// The same size with every valued symbol replaced by its value
    /// (`d·n` with `d = 64` is `64·n`): what division falls back to.
    pub fn folded(&self) -> Combined {
        let mut terms = Vec::with_capacity(self.terms.len());
        for t in &self.terms {
            let mut coef = t.coef;
            let mut atoms = Vec::new();
            for a in &t.atoms {
                match a.value {
                    Some(v) => match i64::try_from(v).ok().and_then(|v| coef.checked_mul(v)) {
                        Some(c) => coef = c,
                        None => return Combined::Unwritable,
                    },
                    None => atoms.push(a.clone()),
                }
            }
            terms.push(Term { atoms, coef });
        }
        SymSize::normal(terms)
    }

    /// A number as a (constant) expression, to combine with symbols.
    pub fn from_number(n: usize) -> Option<SymSize> {
        SymSize::of(n)
    }

    /// The number this size comes to when every symbol in it has a value.
    pub fn value(&self) -> Option<i64> {
        let mut total: i64 = 0;
        for t in &self.terms {
            let mut p = t.coef;
            for a in &t.atoms {
                p = p.checked_mul(i64::try_from(a.value?).ok()?)?;
            }
            total = total.checked_add(p)?;
        }
        Some(total)
    }

    /// The symbols in this size that have no value.
    pub fn has_free_symbol(&self) -> bool {
        self.terms
            .iter()
            .any(|t| t.atoms.iter().any(|a| a.value.is_none()))
    }

    /// `d = 64` for a valued size, else the expression alone.
    pub fn with_value(&self) -> String {
        match self.value() {
            Some(v) => format!("{self} = {v}"),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for SymSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            let mag = t.coef.unsigned_abs();
            if t.coef < 0 {
                f.write_str("-")?;
            } else if i > 0 {
                f.write_str("+")?;
            }
            if t.atoms.is_empty() || mag != 1 {
                write!(f, "{mag}")?;
                if !t.atoms.is_empty() {
                    f.write_str("·")?;
                }
            }
            for (j, a) in t.atoms.iter().enumerate() {
                if j > 0 {
                    f.write_str("·")?;
                }
                f.write_str(&a.name)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(n: &str) -> SymSize {
        SymSize::symbol(n, None)
    }

    fn text(c: Combined) -> String {
        match c {
            Combined::Number(n) => n.to_string(),
            Combined::Sym(s) => s.to_string(),
            Combined::Unwritable => "unwritable".into(),
        }
    }

    #[test]
    fn sums_and_products_have_one_normal_form() {
        let (n, m, d) = (sym("n"), sym("m"), sym("d"));
        assert_eq!(text(SymSize::add(&n, &m)), "m+n");
        assert_eq!(text(SymSize::add(&m, &n)), "m+n");
        assert_eq!(text(SymSize::mul(&n, &d)), "d·n");
        let Combined::Sym(nd) = SymSize::mul(&d, &n) else {
            panic!()
        };
        assert_eq!(text(SymSize::div_exact(&nd, &d)), "n");
        assert_eq!(text(SymSize::div_exact(&nd, &m)), "unwritable");
        assert_eq!(text(SymSize::sub(&n, &n)), "0");
        let one = SymSize::from_number(1).unwrap();
        assert_eq!(text(SymSize::sub(&n, &one)), "n-1");
        let Combined::Sym(two_n) = SymSize::add(&n, &n) else {
            panic!()
        };
        assert_eq!(two_n.to_string(), "2·n");
        let two = SymSize::from_number(2).unwrap();
        assert_eq!(text(SymSize::div_exact(&two_n, &two)), "n");
    }

    #[test]
    fn valued_symbols_have_a_value() {
        let d = SymSize::symbol("d", Some(64));
        let h = SymSize::symbol("h", Some(32));
        let Combined::Sym(dh) = SymSize::mul(&d, &h) else {
            panic!()
        };
        assert_eq!(dh.value(), Some(2048));
        assert_eq!(d.with_value(), "d = 64");
        assert_eq!(sym("n").value(), None);
        assert!(sym("n").has_free_symbol() && !dh.has_free_symbol());
    }
}
