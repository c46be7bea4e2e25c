//! The checker's copy of the workspace, run beside the evaluator once a
//! `dim` has given a size a value. Evaluating, `dim d = 64` makes `d` the
//! number 64, so arrays can be computed, but their shapes forget the
//! symbol; the copy runs every statement through the rules alone with `d`
//! kept as a symbol, so a shape error can name it (`d = 64 ≠ h = 32`).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::call::EResult;
use super::interp::{Evaluator, Produced, checker_value, has_symbols};
use crate::diagnostic::ErrorKind;
use crate::syntax::{Stmt, StmtKind};
use crate::value::{Kind, Value};

pub struct Shadow {
    ev: Evaluator,
    /// For each variable, the evaluator's value the copy last took in, so
    /// an unchanged variable costs nothing to keep in step.
    synced: BTreeMap<String, Rc<Value>>,
}

/// Whether a statement gives a symbolic size a value (`dim d = 64`).
pub fn gives_dim_a_value(stmt: &Stmt) -> bool {
    matches!(&stmt.kind, StmtKind::Dim(items) if items.iter().any(|i| i.value.is_some()))
}

impl Shadow {
    pub fn of(main: &Evaluator) -> Shadow {
        let mut s = Shadow {
            ev: main.shape_only_copy(),
            synced: BTreeMap::new(),
        };
        s.sync(main);
        s
    }

    /// The copy: the workspace with every symbol named.
    pub fn evaluator(&self) -> &Evaluator {
        &self.ev
    }

    /// Runs `stmt` in `main` and in the copy. Where both fail with a shape
    /// error, the copy's names the symbols and is the one returned.
    pub fn exec(
        &mut self,
        main: &mut Evaluator,
        stmt: &Stmt,
        source: &Rc<str>,
    ) -> EResult<Produced> {
        let result = main.exec(stmt);
        self.ev.set_source(source.clone());
        let named = self.ev.exec(stmt);
        self.ev.warnings.clear();
        self.ev.shown.clear();
        let result = match (result, named) {
            (Err(d), Err(named))
                if d.kind == ErrorKind::Shape && named.kind == ErrorKind::Shape =>
            {
                Err(named)
            }
            // A shape-only result displays with the symbols' names.
            (Ok(mut p), Ok(q))
                if matches!(*p.value, Value::Shaped(_) | Value::Sizes(_))
                    && has_symbols(&q.value)
                    && Kind::of(&q.value).admits(&p.value) =>
            {
                p.value = q.value;
                Ok(p)
            }
            (r, _) => r,
        };
        self.sync(main);
        result
    }

    /// Brings the copy in step with the evaluator's workspace: a variable
    /// the evaluator changed is taken in as the checker sees it, unless the
    /// copy's own value for it names symbols and describes it.
    fn sync(&mut self, main: &Evaluator) {
        let gone: Vec<String> = (self.ev.vars().keys())
            .filter(|k| main.get(k).is_none())
            .cloned()
            .collect();
        for k in gone {
            self.ev.remove(&k);
            self.synced.remove(&k);
        }
        for (name, v) in main.vars() {
            if self.synced.get(name).is_some_and(|s| Rc::ptr_eq(s, v)) {
                continue;
            }
            let keep = self
                .ev
                .get(name)
                .is_some_and(|s| has_symbols(s) && Kind::of(s).admits(v));
            if !keep {
                self.ev.set(name, checker_value(v));
            }
            self.synced.insert(name.clone(), v.clone());
        }
    }
}
