//! Slows password guessing: per username and per client address, failures in a row make the
//! next login wait (the rule is `domain::throttle::Backoff`); while either waits, even the right
//! password is refused. A successful login clears both.
//!
//! Kept in memory, not in the database: there is one server process (SQLite), so nothing needs
//! sharing; counting every attempt must not queue behind the single writer (only refusals and
//! new locks are written, as audit entries); and losing the counters on a restart only gives an
//! attacker what a restart gives anyway. The maps are bounded: a run over many usernames or
//! addresses evicts the stalest entries first (which can forget a lock — the price of a bound).
//!
//! An attempt is counted as failed before the password is checked and cleared if it was right,
//! so a burst of parallel requests cannot all slip in before the first failure is recorded.

use crate::domain::throttle::Backoff;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The client's address as the server determined it (the connection's peer, or the proxy's
/// `X-Forwarded-For` when configured to trust it), put into the request's extensions by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Entries kept per map; beyond it the stalest are forgotten.
const MAX_ENTRIES: usize = 10_000;
/// Failures are forgotten after this long without a new one: yesterday's typos do not count.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug)]
pub struct LoginThrottle {
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    usernames: Counters<String>,
    addresses: Counters<IpAddr>,
}

/// Which counter refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockedBy {
    Username,
    Address,
}

impl LockedBy {
    pub fn label(self) -> &'static str {
        match self {
            LockedBy::Username => "brugernavnet",
            LockedBy::Address => "adressen",
        }
    }
}

/// A refused attempt: how long until the next one is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locked {
    pub wait: Duration,
    pub by: LockedBy,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            inner: Mutex::new(Inner {
                usernames: Counters::new(Backoff::PER_USERNAME),
                addresses: Counters::new(Backoff::PER_ADDRESS),
            }),
        }
    }
}

impl LoginThrottle {
    /// Takes an attempt, or refuses it while the username or the address waits. A taken
    /// attempt counts as failed until `succeeded` clears it; the answer is the lock it starts.
    pub fn attempt(&self, username: &str, addr: Option<IpAddr>, now: Instant) -> Result<Option<Locked>, Locked> {
        let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let user = username_key(username);
        let addr = addr.map(address_key);
        let by_user = inner.usernames.waiting(&user, now).map(|wait| Locked { wait, by: LockedBy::Username });
        let by_addr =
            addr.and_then(|a| inner.addresses.waiting(&a, now)).map(|wait| Locked { wait, by: LockedBy::Address });
        if let Some(locked) = by_user.into_iter().chain(by_addr).max_by_key(|l| l.wait) {
            return Err(locked);
        }
        let user_lock = inner.usernames.fail(user, now).map(|wait| Locked { wait, by: LockedBy::Username });
        let addr_lock =
            addr.and_then(|a| inner.addresses.fail(a, now)).map(|wait| Locked { wait, by: LockedBy::Address });
        Ok(user_lock.into_iter().chain(addr_lock).max_by_key(|l| l.wait))
    }

    /// The password was right: the username and the address start afresh.
    pub fn succeeded(&self, username: &str, addr: Option<IpAddr>) {
        let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.usernames.entries.remove(&username_key(username));
        if let Some(a) = addr {
            inner.addresses.entries.remove(&address_key(a));
        }
    }
}

/// `Mette` and ` mette` are one account to the login, so they share a counter.
fn username_key(username: &str) -> String {
    username.trim().chars().take(64).collect::<String>().to_lowercase()
}

/// One IPv6 subscriber usually holds a whole /64, so the /64 is the address that counts.
fn address_key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

#[derive(Debug)]
struct Counters<K> {
    backoff: Backoff,
    entries: HashMap<K, Entry>,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
}

impl<K: Hash + Eq> Counters<K> {
    fn new(backoff: Backoff) -> Self {
        Counters { backoff, entries: HashMap::new() }
    }

    fn waiting(&self, key: &K, now: Instant) -> Option<Duration> {
        let until = self.entries.get(key)?.locked_until?;
        (until > now).then(|| until - now)
    }

    /// Counts a failure; the wait it starts, if any.
    fn fail(&mut self, key: K, now: Instant) -> Option<Duration> {
        if !self.entries.contains_key(&key) {
            self.make_room(now);
        }
        let entry = self.entries.entry(key).or_insert(Entry { failures: 0, last_failure: now, locked_until: None });
        if now.duration_since(entry.last_failure) > FORGET_AFTER {
            entry.failures = 0;
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last_failure = now;
        let wait = self.backoff.wait_after(entry.failures).map(Duration::from_secs);
        entry.locked_until = wait.map(|w| now + w);
        wait
    }

    /// Forgets stale entries, and when that is not enough the oldest tenth (one sort per
    /// thousand new keys, not one scan per key).
    fn make_room(&mut self, now: Instant) {
        if self.entries.len() < MAX_ENTRIES {
            return;
        }
        self.entries.retain(|_, e| {
            e.locked_until.is_some_and(|u| u > now) || now.duration_since(e.last_failure) <= FORGET_AFTER
        });
        if self.entries.len() >= MAX_ENTRIES {
            let mut ages: Vec<Instant> = self.entries.values().map(|e| e.last_failure).collect();
            let cut = MAX_ENTRIES / 10;
            let (_, threshold, _) = ages.select_nth_unstable(cut);
            let threshold = *threshold;
            self.entries.retain(|_, e| e.last_failure > threshold);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDR: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));

    fn fail_times(t: &LoginThrottle, user: &str, n: u32, now: Instant) -> Option<Locked> {
        (0..n).map(|_| t.attempt(user, ADDR, now).expect("not locked yet")).last().flatten()
    }

    #[test]
    fn the_fifth_wrong_password_locks_the_username_and_even_the_right_one_waits() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        assert_eq!(fail_times(&t, "mette", 4, now), None);
        let lock = t.attempt("Mette ", ADDR, now).unwrap();
        assert_eq!(lock, Some(Locked { wait: Duration::from_secs(1), by: LockedBy::Username }));
        let refused = t.attempt("mette", ADDR, now + Duration::from_millis(400)).unwrap_err();
        assert_eq!(refused.wait, Duration::from_millis(600));
        assert!(t.attempt("anna", ADDR, now).is_ok(), "another username from the same address is not locked yet");
    }

    #[test]
    fn each_further_failure_doubles_the_wait_and_a_success_starts_afresh() {
        let t = LoginThrottle::default();
        let mut now = Instant::now();
        fail_times(&t, "mette", 5, now);
        let mut waits = Vec::new();
        for _ in 0..3 {
            now += Duration::from_secs(20);
            waits.push(t.attempt("mette", ADDR, now).unwrap().unwrap().wait.as_secs());
        }
        assert_eq!(waits, [2, 4, 8]);
        now += Duration::from_secs(8);
        t.attempt("mette", ADDR, now).unwrap();
        t.succeeded("mette", ADDR);
        assert_eq!(fail_times(&t, "mette", 4, now), None, "four free failures again");
    }

    #[test]
    fn an_address_trying_many_usernames_is_locked_after_twenty_failures() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..19 {
            assert_eq!(t.attempt(&format!("bruger{i}"), ADDR, now).unwrap(), None);
        }
        let lock = t.attempt("bruger19", ADDR, now).unwrap().unwrap();
        assert_eq!(lock.by, LockedBy::Address);
        assert_eq!(t.attempt("bruger20", ADDR, now).unwrap_err().by, LockedBy::Address);
        assert!(t.attempt("bruger20", None, now).is_ok(), "without an address only the username counts");
    }

    #[test]
    fn addresses_of_one_ipv6_network_count_together() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(address_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_day() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        fail_times(&t, "mette", 4, now);
        let later = now + FORGET_AFTER + Duration::from_secs(1);
        assert_eq!(t.attempt("mette", ADDR, later).unwrap(), None);
    }

    #[test]
    fn the_maps_stay_bounded() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..(MAX_ENTRIES + 50) {
            let _ = t.attempt(&format!("u{i}"), None, now + Duration::from_millis(i as u64));
        }
        assert!(t.inner.lock().unwrap().usernames.entries.len() <= MAX_ENTRIES);
    }
}
