//! Source text to AST. The pest grammar lives in `grammar/tensorcalc.pest`;
//! pest's types never leave this module: callers get a `Program` (or, for a
//! script, runs of statements) or a `Diagnostic` with plain-words messages.

mod ast;
pub mod lex;
mod parser;
mod script;

pub use ast::*;
pub use parser::{
    KEYWORDS, MAX_NESTING, MAX_NESTING_CEILING, MAX_OPERATOR_CHAIN, PARSER_CALL_LIMIT, ParseLimits,
    parse,
};
pub use script::{RUN_BYTES, Script};
