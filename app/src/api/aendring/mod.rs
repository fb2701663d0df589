//! Ændringsønsker: filing, the flow, scoring, weights, the backlog, notices, the clean-up —
//! one small file per server function or tight group.

mod act;
mod backlog;
mod cleanup;
mod file;
mod list;
mod notices;
mod responsibility;
mod score;
mod weights;

pub use act::*;
pub use backlog::*;
pub use cleanup::*;
pub use file::*;
pub use list::*;
pub use notices::*;
pub use responsibility::*;
pub use score::*;
pub use weights::*;

pub use crate::model::aendring::AendringEvent;
