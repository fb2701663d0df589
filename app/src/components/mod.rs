//! Reusable pieces of the UI.

pub mod layout;
pub mod live;
pub mod notice;

pub use layout::Header;
pub use notice::{ErrorNotice, Loaded};
