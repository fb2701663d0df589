//! Live push of opgavepakke counts to open boards.
//!
//! Server side: one `watch` channel per kommune holding its newest counts snapshot. A writer
//! publishes after commit; a snapshot only replaces an older version, so two commits finishing
//! out of order never show old numbers. A subscriber gets the current snapshot first, so a
//! reconnecting board is never stale. Browser side: an `EventSource` per open board, reopened
//! with exponential backoff (gloo-timers) when the connection drops.

#[cfg(feature = "ssr")]
pub use server::LiveHub;

use crate::domain::Opgavepakke;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use std::collections::BTreeMap;

/// A kommune's counts on the wire: `{"version": N, "pakker": {"01": n, ..., "17": n}}` — the
/// one form the live stream, `GET /api/v1/kommuner/{nr}/opgavepakker` and the browser share.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"version": 412, "pakker": {"01": 120, "02": 4, "03": 0}, "plan": 3})))]
pub struct CountsSnapshot {
    pub version: i64,
    /// Open tasks per opgavepakke code; the key is `pakker` on the wire (CONTRACT.md).
    #[serde(rename = "pakker")]
    pub opgavepakker: BTreeMap<String, i64>,
    /// The kommune's plan version (deadlines, approach); bumped when the project lead saves.
    #[serde(default)]
    pub plan: i64,
}

impl From<&OpgavepakkeCounts> for CountsSnapshot {
    fn from(counts: &OpgavepakkeCounts) -> Self {
        CountsSnapshot {
            version: counts.version,
            opgavepakker: Opgavepakke::all().map(|p| (p.code(), counts.get(p))).collect(),
            plan: counts.plan,
        }
    }
}

impl CountsSnapshot {
    pub fn into_counts(self) -> OpgavepakkeCounts {
        let mut counts = OpgavepakkeCounts { version: self.version, plan: self.plan, ..Default::default() };
        for (code, n) in self.opgavepakker {
            if let Ok(p) = Opgavepakke::parse(&code) {
                counts.counts[usize::from(p.nr())] = n;
            }
        }
        counts
    }
}

/// The SSE endpoint of a kommune's counts.
pub fn counts_url(kommune: crate::domain::Kommunenr) -> String {
    format!("/live/kommuner/{kommune}/opgavepakker")
}

#[cfg(feature = "ssr")]
mod server {
    use crate::domain::Kommunenr;
    use crate::domain::opgavepakke::OpgavepakkeCounts;
    use crate::model::aendring::AendringEvent;
    use std::collections::HashMap;
    use std::sync::{Arc, RwLock};
    use tokio::sync::{broadcast, watch};

    #[derive(Debug)]
    pub struct LiveHub {
        kommuner: RwLock<HashMap<Kommunenr, watch::Sender<Arc<OpgavepakkeCounts>>>>,
        /// Every change to scores, statuses and weights, in version order. A subscriber that
        /// falls behind is told to reload (it sees a gap in the versions).
        aendringer: broadcast::Sender<Arc<AendringEvent>>,
    }

    impl Default for LiveHub {
        fn default() -> Self {
            LiveHub { kommuner: RwLock::default(), aendringer: broadcast::Sender::new(1_024) }
        }
    }

    impl LiveHub {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn publish_aendring(&self, event: AendringEvent) {
            // No subscribers is fine.
            let _ = self.aendringer.send(Arc::new(event));
        }

        pub fn subscribe_aendringer(&self) -> broadcast::Receiver<Arc<AendringEvent>> {
            self.aendringer.subscribe()
        }

        /// Publishes a snapshot if it is newer than the one subscribers hold.
        pub fn publish(&self, kommune: Kommunenr, counts: OpgavepakkeCounts) {
            let sender = self.sender(kommune, &counts);
            let counts = Arc::new(counts);
            sender.send_if_modified(|current| {
                if counts.version > current.version {
                    *current = counts.clone();
                    true
                } else {
                    false
                }
            });
        }

        /// A receiver whose current value is the newest snapshot; `initial` seeds a kommune
        /// nobody has published for yet (read from the kept counters).
        pub fn subscribe(
            &self,
            kommune: Kommunenr,
            initial: OpgavepakkeCounts,
        ) -> watch::Receiver<Arc<OpgavepakkeCounts>> {
            let sender = self.sender(kommune, &initial);
            sender.send_if_modified(|current| {
                if initial.version > current.version {
                    *current = Arc::new(initial.clone());
                    true
                } else {
                    false
                }
            });
            sender.subscribe()
        }

        /// Subscribes to a kommune's counts if it has a snapshot already (no database read).
        pub fn try_subscribe(&self, kommune: Kommunenr) -> Option<watch::Receiver<Arc<OpgavepakkeCounts>>> {
            let map = self.kommuner.read().unwrap_or_else(|e| e.into_inner());
            map.get(&kommune).map(|s| s.subscribe())
        }

        /// The kommuner this hub holds snapshots of.
        pub fn kommuner(&self) -> Vec<Kommunenr> {
            let map = self.kommuner.read().unwrap_or_else(|e| e.into_inner());
            map.keys().copied().collect()
        }

        pub fn subscriber_count(&self) -> usize {
            let map = self.kommuner.read().unwrap_or_else(|e| e.into_inner());
            map.values().map(|s| s.receiver_count()).sum()
        }

        fn sender(&self, kommune: Kommunenr, seed: &OpgavepakkeCounts) -> watch::Sender<Arc<OpgavepakkeCounts>> {
            if let Some(s) = self.kommuner.read().unwrap_or_else(|e| e.into_inner()).get(&kommune) {
                return s.clone();
            }
            let mut map = self.kommuner.write().unwrap_or_else(|e| e.into_inner());
            map.entry(kommune).or_insert_with(|| watch::Sender::new(Arc::new(seed.clone()))).clone()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn counts(version: i64, p01: i64) -> OpgavepakkeCounts {
            let mut c = OpgavepakkeCounts { version, ..Default::default() };
            c.counts[1] = p01;
            c
        }

        #[test]
        fn an_older_snapshot_never_replaces_a_newer_one() {
            let hub = LiveHub::new();
            let k = Kommunenr::parse("751").unwrap();
            let rx = hub.subscribe(k, counts(1, 10));
            hub.publish(k, counts(3, 8));
            hub.publish(k, counts(2, 9));
            assert_eq!(rx.borrow().version, 3);
            assert_eq!(rx.borrow().counts[1], 8);
        }

        #[test]
        fn a_late_subscriber_gets_the_newest_snapshot_first() {
            let hub = LiveHub::new();
            let k = Kommunenr::parse("461").unwrap();
            hub.publish(k, counts(5, 1));
            let rx = hub.subscribe(k, counts(4, 2));
            assert_eq!(rx.borrow().version, 5);
        }
    }
}

/// The SSE endpoint of score, status and weight changes (public: backlog changes only).
pub fn aendringer_url(public: bool) -> &'static str {
    if public { "/live/backlog" } else { "/live/aendringer" }
}
