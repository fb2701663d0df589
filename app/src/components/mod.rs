//! Reusable pieces of the UI.

pub mod layout;
pub mod live;
pub mod notice;

pub use layout::Layout;
pub use notice::{ErrorNotice, Loaded};
