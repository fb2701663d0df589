//! The hearing's pages: `/hoeringer` (list; KOMBIT opens one), `/hoeringer/:id` (answers for a
//! høringsansvarlig, the triage queue for KOMBIT, the live summary) and the public, anonymised
//! `/hoering/:id/svar`.

mod answer;
mod detail;
mod list;
mod public;
mod summary;
mod triage;

pub use detail::HoeringPage;
pub use list::HoeringerPage;
pub use public::PublicHoeringPage;

/// "77,1 %" — a share with a decimal comma.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".into();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64).replace('.', ",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_share_is_written_with_a_decimal_comma() {
        assert_eq!(super::percent(270, 350), "77,1 %");
        assert_eq!(super::percent(1, 0), "–");
    }
}
