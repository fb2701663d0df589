//! Pure rules of the workbench: no IO, no SQL, no Leptos.
//!
//! Everything here compiles for the browser too, so a form validates with exactly the code the
//! server uses, and the what-if ranking runs on exactly the server's formula.

pub mod aendring;
pub mod beloeb;
pub mod bevillingstype;
pub mod cpr;
pub mod daekning;
pub mod defects;
pub mod estimat;
pub mod export;
pub mod fremdrift;
pub mod hoering;
pub mod klik;
pub mod kommune;
pub mod next_path;
pub mod opgavepakke;
pub mod plan;
pub mod report;
pub mod resolve;
pub mod role;
pub mod stikproeve;
pub mod succeskriterium;
pub mod text_input;
pub mod throttle;

pub use beloeb::Beloeb;
pub use cpr::Cpr;
pub use defects::Defects;
pub use export::csv_cell;
pub use kommune::Kommunenr;
pub use next_path::safe_next_path;
pub use opgavepakke::Opgavepakke;
pub use role::Role;
pub use text_input::{TextProblem, check_text};
