//! Latencies per call and the errors, as the virtual users saw them.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Default)]
pub struct Stats {
    calls: Mutex<BTreeMap<&'static str, Vec<f64>>>,
    errors: AtomicUsize,
    examples: Mutex<Vec<String>>,
    closed_meanwhile: AtomicUsize,
}

impl Stats {
    pub fn ok(&self, call: &'static str, ms: f64) {
        self.calls.lock().expect("stats").entry(call).or_default().push(ms);
    }

    /// A failed call: counted, and the first few kept to show.
    pub fn error(&self, call: &'static str, what: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut examples = self.examples.lock().expect("stats");
        if examples.len() < 20 {
            examples.push(format!("{call}: {what}"));
        }
    }

    /// A resolve answered 409 because the task closed while its caseworker thought (another
    /// caseworker's answer about the same person settled it): what the page tells the user, not
    /// a failure.
    pub fn closed_meanwhile(&self) {
        self.closed_meanwhile.fetch_add(1, Ordering::Relaxed);
    }

    pub fn closed_meanwhile_count(&self) -> usize {
        self.closed_meanwhile.load(Ordering::Relaxed)
    }

    pub fn errors(&self) -> usize {
        self.errors.load(Ordering::Relaxed)
    }

    pub fn error_examples(&self) -> Vec<String> {
        self.examples.lock().expect("stats").clone()
    }

    /// One line for the terminal while the day runs.
    pub fn progress(&self) -> String {
        let calls = self.calls.lock().expect("stats");
        let n = |c: &str| calls.get(c).map_or(0, Vec::len);
        format!(
            "resolves {}  dækninger {}  scores {}  errors {}",
            n("resolve_task"),
            n("post_daekning"),
            n("score_aendring"),
            self.errors()
        )
    }

    /// Per call: how many, their rate and quantiles in ms.
    pub fn summary(&self) -> Value {
        let mut calls = self.calls.lock().expect("stats");
        let mut out = serde_json::Map::new();
        for (name, l) in calls.iter_mut() {
            l.sort_by(f64::total_cmp);
            out.insert(
                name.to_string(),
                json!({
                    "n": l.len(),
                    "p50_ms": quantile(l, 0.5),
                    "p95_ms": quantile(l, 0.95),
                    "p99_ms": quantile(l, 0.99),
                    "max_ms": quantile(l, 1.0),
                }),
            );
        }
        Value::Object(out)
    }
}

/// The q-quantile of sorted values (nearest rank); 0 when empty.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}
