//! Reusable pieces of the UI.

pub mod action_error;
pub mod hydrated;
pub mod layout;
pub mod live;
pub mod notice;

pub use action_error::{ActionError, FieldMessages, action_error};
pub use hydrated::Hydrated;
pub use layout::Header;
pub use notice::{ErrorNotice, Loaded};
