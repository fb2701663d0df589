//! Follow-on errors: rows that point at a row which could not be read.
//!
//! When personer.csv cannot be read, every sagsmappe and fordring of those persons would
//! otherwise be listed as "findes ikke", burying the one error that matters under hundreds.
//! Those rows are only counted, one line per file and what they point at, after the errors
//! that caused them. A row that points at an unread row is itself unread, so the count follows
//! the chain (personer → sagsmapper → bevillinger → ydelser …).

use super::columns::{FILES, PLURAL};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// "… og 213 rækker i fordringer.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)"
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowOn {
    /// The file of the rows that point.
    pub file: String,
    /// What they point at, in the plural ("personer").
    pub points_at: String,
    pub rows: u64,
}

impl fmt::Display for FollowOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = if self.rows == 1 { "række" } else { "rækker" };
        write!(
            f,
            "… og {} {rows} i {} henviser til {}, der ikke kunne læses (se fejlene ovenfor)",
            self.rows, self.file, self.points_at
        )
    }
}

/// What could not be read of one file.
#[derive(Default)]
struct Unread {
    /// The file, or its rows from some point on, could not be read: which keys it held is unknown.
    all: bool,
    /// Keys of rows that were read but refused.
    keys: HashSet<String>,
}

/// The unread rows of every file, and the rows elsewhere that point at them.
#[derive(Default)]
pub struct FollowOns {
    unread: [Unread; FILES.len()],
    /// (pointing file, file pointed at) → rows
    counts: BTreeMap<(usize, usize), u64>,
}

impl FollowOns {
    /// Nothing more of `file` can be read (the whole file, or the rest of it).
    pub fn lose_file(&mut self, file: usize) {
        self.unread[file].all = true;
    }

    /// A row of `file` was refused; rows pointing at `key` follow from its errors.
    pub fn lose_row(&mut self, file: usize, key: String) {
        let unread = &mut self.unread[file];
        if !unread.all {
            unread.keys.insert(key);
        }
    }

    /// A row of `from` points at `key` of `to`, which is not there. True (and counted) when that
    /// is because the row could not be read; false when the key is simply unknown.
    pub fn follows(&mut self, from: usize, to: usize, key: &str) -> bool {
        let unread = &self.unread[to];
        let follows = unread.all || unread.keys.contains(key);
        if follows {
            *self.counts.entry((from, to)).or_default() += 1;
        }
        follows
    }

    pub fn into_lines(self) -> Vec<FollowOn> {
        self.counts
            .into_iter()
            .map(|((from, to), rows)| FollowOn {
                file: FILES[from].0.to_string(),
                points_at: PLURAL[to].to_string(),
                rows,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_pointing_at_a_lost_file_or_a_refused_row_are_counted_once_per_file_pair() {
        let mut f = FollowOns::default();
        f.lose_file(0);
        f.lose_row(1, "SM-1".into());
        assert!(f.follows(1, 0, "0101851234"));
        assert!(f.follows(5, 0, "0101851234"));
        assert!(f.follows(5, 0, "0101851235"));
        assert!(f.follows(2, 1, "SM-1"));
        assert!(!f.follows(2, 1, "SM-2"), "an unknown key that was never lost is an error of its own");
        let lines: Vec<String> = f.into_lines().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "… og 1 række i sagsmapper.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)",
                "… og 1 række i bevillinger.csv henviser til sagsmapper, der ikke kunne læses (se fejlene ovenfor)",
                "… og 2 rækker i fordringer.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)",
            ]
        );
    }
}
