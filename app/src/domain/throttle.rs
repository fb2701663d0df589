//! How long a login waits after wrong passwords (OWASP ASVS 2.2.1), and how the user is told.
//!
//! A few mistakes cost nothing; then each further failure doubles the wait, up to a cap, so
//! guessing is slowed to a handful of tries an hour while a user who mistyped waits seconds.
//! Pure arithmetic on seconds (no clock), so the rule is tested without waiting.

/// When the waiting starts and how long it grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Failures that cost nothing.
    pub free_failures: u32,
    /// The wait after the first failure past the free ones.
    pub first_wait_secs: u64,
    /// The longest wait.
    pub max_wait_secs: u64,
}

impl Backoff {
    /// Per username: the fifth wrong password in a row locks for 1 s, then 2, 4, … 15 min.
    pub const PER_USERNAME: Backoff = Backoff { free_failures: 4, first_wait_secs: 1, max_wait_secs: 15 * 60 };

    /// Per client address. A whole town hall can sit behind one address, so it takes more
    /// failures before the address waits; it still stops one machine trying many usernames.
    pub const PER_ADDRESS: Backoff = Backoff { free_failures: 19, first_wait_secs: 1, max_wait_secs: 15 * 60 };

    /// The wait after `failures` failures in a row, or `None` while they are still free.
    pub fn wait_after(self, failures: u32) -> Option<u64> {
        let past_free = failures.checked_sub(self.free_failures + 1)?;
        let factor = 1u64.checked_shl(past_free.min(63)).unwrap_or(u64::MAX);
        Some(self.first_wait_secs.saturating_mul(factor).min(self.max_wait_secs))
    }
}

/// "For mange forkerte forsøg. Prøv igen om 2 minutter (kl. 10.42)."
pub fn locked_message(wait_secs: u64, until_hh_mm: &str) -> String {
    format!("For mange forkerte forsøg. Prøv igen {} (kl. {until_hh_mm}).", wait_text(wait_secs))
}

/// "om 45 sekunder", "om 1 minut", "om 15 minutter" (minutes rounded up).
pub fn wait_text(secs: u64) -> String {
    match secs {
        0 | 1 => "om 1 sekund".to_string(),
        2..=59 => format!("om {secs} sekunder"),
        _ => match secs.div_ceil(60) {
            1 => "om 1 minut".to_string(),
            m => format!("om {m} minutter"),
        },
    }
}

/// Whether `text` looks like a time of day as the message shows it (`10.42`), so a page can take
/// it from its address without showing arbitrary text.
pub fn is_hh_mm(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5 && b[2] == b'.' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_four_failures_are_free_then_the_wait_doubles_up_to_fifteen_minutes() {
        let b = Backoff::PER_USERNAME;
        let waits: Vec<Option<u64>> = (1..=17).map(|n| b.wait_after(n)).collect();
        assert_eq!(&waits[..4], &[None; 4]);
        assert_eq!(&waits[4..9], &[Some(1), Some(2), Some(4), Some(8), Some(16)]);
        assert_eq!(waits[13], Some(512));
        assert_eq!(&waits[14..], &[Some(900); 3]);
        assert_eq!(b.wait_after(u32::MAX), Some(900));
        assert_eq!(b.wait_after(0), None);
    }

    #[test]
    fn an_address_gets_more_free_failures_than_a_username() {
        assert_eq!(Backoff::PER_ADDRESS.wait_after(19), None);
        assert_eq!(Backoff::PER_ADDRESS.wait_after(20), Some(1));
    }

    #[test]
    fn the_wait_is_told_in_danish() {
        assert_eq!(wait_text(1), "om 1 sekund");
        assert_eq!(wait_text(45), "om 45 sekunder");
        assert_eq!(wait_text(60), "om 1 minut");
        assert_eq!(wait_text(61), "om 2 minutter");
        assert_eq!(wait_text(900), "om 15 minutter");
        assert_eq!(locked_message(120, "10.42"), "For mange forkerte forsøg. Prøv igen om 2 minutter (kl. 10.42).");
    }

    #[test]
    fn only_a_time_of_day_is_taken_from_the_address() {
        assert!(is_hh_mm("10.42"));
        for bad in ["10:42", "1042", "<b>x", "10.4", "aa.bb"] {
            assert!(!is_hh_mm(bad), "{bad}");
        }
    }
}
