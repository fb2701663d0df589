//! Wire types: what server functions send to the browser. Display text (dates in Danish time,
//! amounts) is formatted on the server so the browser needs no time-zone tables.

pub mod aendring;
pub mod audit_log;
pub mod automation;
pub mod bevillingstyper;
pub mod board;
pub mod fremdrift;
pub mod hoering;
pub mod klik;
pub mod plan;
pub mod report;
pub mod session;
pub mod stikproeve;
pub mod succeskriterium;
pub mod task;
pub mod user;

pub use board::Board;
pub use task::{ListQuery, SortKey, TaskDetail, TaskListItem, TaskPage};
pub use user::SessionUser;
