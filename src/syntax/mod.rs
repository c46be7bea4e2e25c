//! Source text to AST. The pest grammar lives in `grammar/tensorcalc.pest`;
//! pest's types never leave this module: callers get a `Program` or a
//! `Diagnostic` with plain-words messages.

mod ast;
pub mod lex;
mod parser;

pub use ast::*;
pub use parser::{
    KEYWORDS, MAX_NESTING, MAX_NESTING_CEILING, MAX_OPERATOR_CHAIN, PARSER_CALL_LIMIT, ParseLimits,
    parse,
};
