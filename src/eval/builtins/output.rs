//! Built-ins: output. `disp(x)` displays a value wherever it runs, also
//! inside a function body, whose statements never display on their own.

use super::*;

pub(super) static TABLE: &[Builtin] = &[builtin!(
    "output",
    "disp",
    "disp(x)",
    1,
    1,
    [],
    "Displays x now, also inside a function or a silenced statement; gives no value.",
    "disp([1, 2, 3])",
    reads: Reads::Metadata,
    rule: |_| Ok(Kind::Nothing),
    run: |cx, a| {
        cx.displayed.push(a.value(0).clone());
        Ok(Value::Nothing)
    }
)];
