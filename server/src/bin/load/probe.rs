//! Change → count visible: a finance system's dækning is a probe. Its start is the moment the
//! POST was sent, its target the kommune's counts version read right after the answer (that
//! version or a later one shows the change); each open board of the kommune reports the versions
//! it receives, and the time until it has the target is one delivery. Conservative: a board that
//! had the target before the probe was registered counts from the POST to the registration.

use app::domain::Kommunenr;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A board that has not seen the target this long after the POST missed it.
const GIVE_UP: Duration = Duration::from_secs(10);

struct Probe {
    target: i64,
    sent: Instant,
    seen: Vec<bool>,
    left: usize,
}

#[derive(Default)]
struct Kommune {
    /// The newest version each board of the kommune has.
    latest: Vec<i64>,
    pending: Vec<Probe>,
}

pub struct Probes {
    kommuner: HashMap<u16, Mutex<Kommune>>,
    started: AtomicUsize,
    missed: AtomicUsize,
    latencies: Mutex<Vec<f64>>,
}

impl Probes {
    pub fn new(kommuner: &[Kommunenr]) -> Self {
        Probes {
            kommuner: kommuner.iter().map(|k| (k.get(), Mutex::default())).collect(),
            started: AtomicUsize::new(0),
            missed: AtomicUsize::new(0),
            latencies: Mutex::default(),
        }
    }

    fn kommune(&self, k: Kommunenr) -> &Mutex<Kommune> {
        &self.kommuner[&k.get()]
    }

    /// A new board of the kommune; its number there.
    pub fn register(&self, k: Kommunenr) -> usize {
        let mut s = self.kommune(k).lock().expect("probes");
        s.latest.push(0);
        for p in &mut s.pending {
            p.seen.push(false);
            p.left += 1;
        }
        s.latest.len() - 1
    }

    /// Board `board` of the kommune received `version` at `at`.
    pub fn seen(&self, k: Kommunenr, board: usize, version: i64, at: Instant) {
        let mut s = self.kommune(k).lock().expect("probes");
        s.latest[board] = s.latest[board].max(version);
        let mut delivered = Vec::new();
        for p in &mut s.pending {
            if version >= p.target && !p.seen[board] {
                p.seen[board] = true;
                p.left -= 1;
                delivered.push(at.duration_since(p.sent).as_secs_f64() * 1e3);
            }
        }
        s.pending.retain(|p| p.left > 0);
        drop(s);
        if !delivered.is_empty() {
            self.latencies.lock().expect("probes").extend(delivered);
        }
    }

    /// A change sent at `sent` is in `target` and later versions.
    pub fn start(&self, k: Kommunenr, target: i64, sent: Instant) {
        self.started.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let mut s = self.kommune(k).lock().expect("probes");
        let already = now.duration_since(sent).as_secs_f64() * 1e3;
        let seen: Vec<bool> = s.latest.iter().map(|&v| v >= target).collect();
        let early = seen.iter().filter(|&&b| b).count();
        let left = seen.len() - early;
        // Give up on probes nobody will complete any more.
        let mut missed = 0;
        s.pending.retain(|p| {
            let keep = now.duration_since(p.sent) < GIVE_UP;
            if !keep {
                missed += p.left;
            }
            keep
        });
        if left > 0 {
            s.pending.push(Probe { target, sent, seen, left });
        }
        drop(s);
        self.missed.fetch_add(missed, Ordering::Relaxed);
        self.latencies.lock().expect("probes").extend(std::iter::repeat_n(already, early));
    }

    pub fn count(&self) -> usize {
        self.started.load(Ordering::Relaxed)
    }

    /// Deliveries that did not come within `GIVE_UP` (and those still pending at the end).
    pub fn missed(&self) -> usize {
        let pending: usize = self
            .kommuner
            .values()
            .map(|s| s.lock().expect("probes").pending.iter().map(|p| p.left).sum::<usize>())
            .sum();
        self.missed.load(Ordering::Relaxed) + pending
    }

    /// Every delivery's latency in ms, sorted.
    pub fn latencies(&self) -> Vec<f64> {
        let mut l = self.latencies.lock().expect("probes").clone();
        l.sort_by(f64::total_cmp);
        l
    }
}
