//! Progress against the deadlines (DOMAIN.md A, "Steering MI 38"; issue 8 part 4): the open
//! tasks per day since the import, the pace of the recent days and where it leads, the hours
//! left from the time caseworkers actually spend per task, and how many caseworkers at the
//! planned hours a week it takes to make a deadline.
//!
//! Pure arithmetic on days and counts; the store keeps one row per kommune, day and opgavepakke
//! (`store::fremdrift`), the service puts the pieces together.

use super::beloeb::{decimal, group_thousands};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// How many of the most recent days the pace is measured over.
pub const PACE_DAYS: usize = 14;
/// Below this many measured tasks a package borrows its group's time per task.
pub const MIN_MEASURED: usize = 5;
/// Minutes per task when nothing has been measured yet (stated on the page as an assumption).
pub const ASSUMED_MINUTES: f64 = 10.0;
/// How far ahead a projection is still a date.
pub const MAX_PROJECTION_DAYS: u64 = 730;
/// Measurements kept per package for the median: the recent work, not last month's.
pub const RECENT_MEASUREMENTS: i64 = 500;

/// The open count at the end of each day from the first day with data through `through`: a day
/// without a change carries the day before. `points` are (day, open) in any order; a later
/// point of the same day wins.
pub fn fill_days(points: &[(NaiveDate, i64)], through: NaiveDate) -> Vec<(NaiveDate, i64)> {
    let mut sorted = points.to_vec();
    sorted.sort_by_key(|(d, _)| *d);
    let Some(&(first, _)) = sorted.first() else { return Vec::new() };
    let mut out = Vec::new();
    let mut next = sorted.iter().peekable();
    let mut open = 0;
    let mut day = first;
    while day <= through {
        while let Some((_, n)) = next.next_if(|(d, _)| *d <= day) {
            open = *n;
        }
        out.push((day, open));
        day = day + Days::new(1);
    }
    out
}

/// Tasks finished per day at the recent pace: minus the least-squares slope of the open count
/// over the last `PACE_DAYS` days (positive while the count goes down). `None` with fewer than
/// two days: there is no pace yet.
pub fn recent_pace(open: &[i64]) -> Option<f64> {
    let recent = &open[open.len().saturating_sub(PACE_DAYS)..];
    if recent.len() < 2 {
        return None;
    }
    let n = recent.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = recent.iter().sum::<i64>() as f64 / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, y) in recent.iter().enumerate() {
        let dx = x as f64 - mean_x;
        sxy += dx * (*y as f64 - mean_y);
        sxx += dx * dx;
    }
    Some(-sxy / sxx)
}

/// The day the open tasks reach zero at `pace` tasks a day: today when none are left, `None`
/// when the count is not going down.
pub fn projected_finish(today: NaiveDate, open_now: i64, pace: Option<f64>) -> Option<NaiveDate> {
    if open_now <= 0 {
        return Some(today);
    }
    let pace = pace.filter(|p| *p > 0.0)?;
    let days = (open_now as f64 / pace).ceil();
    // Beyond two years is "not in sight", not a date: a trickle of moves is no pace.
    (days <= MAX_PROJECTION_DAYS as f64).then(|| today + Days::new(days as u64))
}

/// The day a series last reached zero: the first day of the zeros it ends with, after a day
/// with open tasks. `None` while tasks are open, or when there never were any.
pub fn reached_zero(days: &[(NaiveDate, i64)]) -> Option<NaiveDate> {
    let last_open = days.iter().rposition(|(_, n)| *n > 0)?;
    days.get(last_open + 1).map(|(d, _)| *d)
}

/// The median; `None` for no values. NaN-free input assumed (measured seconds).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
}

/// Mondays to Fridays after `today` up to and including `deadline`.
pub fn working_days_left(today: NaiveDate, deadline: NaiveDate) -> i64 {
    let mut n = 0;
    let mut day = today + Days::new(1);
    while day <= deadline {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
        day = day + Days::new(1);
    }
    n
}

/// What the time per task is based on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum EffortBasis {
    /// The median of this many saves in the package.
    Measured(u32),
    /// Too few saves in the package: the median of this many in its group.
    Group(u32),
    /// Nothing measured yet: `ASSUMED_MINUTES`.
    Assumed,
}

/// Minutes per task of a package from its own measurements (`package`, seconds), else its
/// group's (`group`), else the assumption. The median, not the mean: a task left open over
/// lunch is one long measurement among many and does not move it.
pub fn minutes_per_task(package: &[f64], group: &[f64]) -> (f64, EffortBasis) {
    if package.len() >= MIN_MEASURED {
        let m = median(&mut package.to_vec()).unwrap_or_default();
        return (m / 60.0, EffortBasis::Measured(package.len() as u32));
    }
    if group.len() >= MIN_MEASURED {
        let m = median(&mut group.to_vec()).unwrap_or_default();
        return (m / 60.0, EffortBasis::Group(group.len() as u32));
    }
    (ASSUMED_MINUTES, EffortBasis::Assumed)
}

/// The people it takes to finish `hours_left` of work by `deadline`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Staffing {
    pub hours_left: f64,
    pub working_days_left: i64,
    /// Caseworkers at `hours_per_week` it takes; `None` when the deadline has passed.
    pub needed: Option<f64>,
    /// Caseworkers the plan names (everyone of the kommune under "alle").
    pub planned: u32,
    pub hours_per_week: f64,
}

impl Staffing {
    pub fn new(hours_left: f64, today: NaiveDate, deadline: NaiveDate, hours_per_week: f64, planned: u32) -> Staffing {
        let days = working_days_left(today, deadline);
        let weeks = days as f64 / 5.0;
        let needed = (days > 0 && hours_per_week > 0.0).then(|| hours_left / (weeks * hours_per_week));
        Staffing { hours_left, working_days_left: days, needed, planned, hours_per_week }
    }

    /// How many more caseworkers it takes than planned (0 when the plan is enough).
    pub fn shortfall(&self) -> Option<f64> {
        self.needed.map(|n| (n - self.planned as f64).max(0.0))
    }

    /// The sentence a manager reads: "I mangler 2,5 sagsbehandlere for at nå fristen 25.01."
    pub fn sentence(&self, deadline: NaiveDate, open: i64) -> String {
        let frist = deadline.format("%d.%m.").to_string();
        if open == 0 {
            return format!("Alle opgaver er løst – fristen {frist} er nået.");
        }
        let Some(needed) = self.needed else {
            return format!(
                "Fristen {} er overskredet, og der er {} åbne opgaver tilbage.",
                deadline.format("%d.%m.%Y"),
                group_thousands(open)
            );
        };
        let hours = decimal(self.hours_per_week, 1);
        match self.shortfall() {
            Some(short) if short >= 0.05 => format!(
                "I mangler {} sagsbehandlere for at nå fristen {frist} (der skal {} til á {hours} timer om ugen; planen har {}).",
                decimal(short, 1),
                decimal(needed, 1),
                self.planned
            ),
            _ => format!(
                "Planen rækker: {} sagsbehandlere á {hours} timer om ugen når fristen {frist} (der skal {} til).",
                self.planned,
                decimal(needed, 1)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_without_change_carry_the_day_before() {
        let days = fill_days(&[(d("2026-11-03"), 40), (d("2026-11-01"), 50)], d("2026-11-05"));
        let open: Vec<i64> = days.iter().map(|(_, n)| *n).collect();
        assert_eq!(open, [50, 50, 40, 40, 40]);
        assert_eq!(days[0].0, d("2026-11-01"));
        assert!(fill_days(&[], d("2026-11-05")).is_empty());
    }

    #[test]
    fn pace_is_the_slope_of_the_recent_days() {
        assert_eq!(recent_pace(&[100, 90, 80, 70]), Some(10.0));
        assert_eq!(recent_pace(&[5]), None);
        // A flat or rising count has no positive pace.
        assert_eq!(recent_pace(&[10, 10, 10]), Some(0.0));
        assert!(recent_pace(&[10, 12, 14]).unwrap() < 0.0);
        // Only the last 14 days count: a fast start long ago does not flatter the pace.
        let mut open: Vec<i64> = (0..10).map(|i| 1000 - i * 100).collect();
        open.extend((0..14).map(|i| 100 - i));
        assert!((recent_pace(&open).unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn finish_is_open_over_pace_rounded_up() {
        let today = d("2026-11-30");
        assert_eq!(projected_finish(today, 95, Some(10.0)), Some(d("2026-12-10")));
        assert_eq!(projected_finish(today, 0, None), Some(today));
        assert_eq!(projected_finish(today, 5, Some(0.0)), None);
        assert_eq!(projected_finish(today, 5, None), None);
        assert_eq!(projected_finish(today, 147, Some(0.08)), None, "1.838 days is not in sight");
    }

    #[test]
    fn zero_is_reached_on_the_first_day_of_the_final_zeros() {
        let s = |v: &[i64]| {
            v.iter().enumerate().map(|(i, n)| (d("2026-11-01") + Days::new(i as u64), *n)).collect::<Vec<_>>()
        };
        assert_eq!(reached_zero(&s(&[3, 1, 0, 0])), Some(d("2026-11-03")));
        assert_eq!(reached_zero(&s(&[3, 0, 2, 0])), Some(d("2026-11-04")));
        assert_eq!(reached_zero(&s(&[3, 1])), None);
        assert_eq!(reached_zero(&s(&[0, 0])), None);
    }

    #[test]
    fn median_ignores_the_task_left_open_over_lunch() {
        let mut minutes = vec![5.0, 6.0, 7.0, 6.0, 65.0];
        assert_eq!(median(&mut minutes), Some(6.0));
        assert_eq!(median(&mut [4.0, 2.0]), Some(3.0));
        assert_eq!(median(&mut []), None);
        let (m, basis) = minutes_per_task(&[300.0, 360.0, 420.0, 360.0, 3900.0], &[]);
        assert_eq!((m, basis), (6.0, EffortBasis::Measured(5)));
        let (m, basis) = minutes_per_task(&[60.0], &[120.0, 120.0, 120.0, 120.0, 120.0, 60.0]);
        assert_eq!((m, basis), (2.0, EffortBasis::Group(6)));
        assert_eq!(minutes_per_task(&[], &[]), (ASSUMED_MINUTES, EffortBasis::Assumed));
    }

    #[test]
    fn working_days_skip_weekends() {
        // Monday 30.11.2026 → Friday 11.12.2026: 9 working days after today.
        assert_eq!(working_days_left(d("2026-11-30"), d("2026-12-11")), 9);
        assert_eq!(working_days_left(d("2026-11-30"), d("2026-11-30")), 0);
        assert_eq!(working_days_left(d("2026-12-04"), d("2026-12-06")), 0);
    }

    #[test]
    fn the_sentence_says_how_many_caseworkers_are_missing() {
        let today = d("2026-11-30");
        let deadline = d("2027-01-25");
        // 01.12.2026–25.01.2027: 40 working days = 8 weeks; 400 hours at 10 h a week = 5
        // caseworkers; 2 planned.
        let s = Staffing::new(400.0, today, deadline, 10.0, 2);
        assert_eq!(s.working_days_left, 40);
        assert!((s.needed.unwrap() - 5.0).abs() < 1e-9);
        assert_eq!(
            s.sentence(deadline, 1200),
            "I mangler 3,0 sagsbehandlere for at nå fristen 25.01. (der skal 5,0 til á 10,0 timer om ugen; planen har 2)."
        );
        let enough = Staffing::new(39.0, today, deadline, 10.0, 2);
        assert!(enough.sentence(deadline, 100).starts_with("Planen rækker: 2 sagsbehandlere"));
        let late = Staffing::new(39.0, deadline, deadline, 10.0, 2);
        assert_eq!(late.needed, None);
        assert_eq!(
            late.sentence(deadline, 1234),
            "Fristen 25.01.2027 er overskredet, og der er 1.234 åbne opgaver tilbage."
        );
    }

    proptest! {
        #[test]
        fn a_steady_burn_is_measured_exactly(start in 100i64..100_000, per_day in 0i64..50, days in 2usize..40) {
            let open: Vec<i64> = (0..days as i64).map(|i| start - i * per_day).collect();
            let pace = recent_pace(&open).unwrap();
            prop_assert!((pace - per_day as f64).abs() < 1e-6);
        }

        #[test]
        fn the_projection_reaches_zero_on_the_finish_day(open in 1i64..100_000, pace in 0.1f64..1_000.0) {
            let today = d("2026-11-30");
            if let Some(finish) = projected_finish(today, open, Some(pace)) {
                let days = (finish - today).num_days() as f64;
                prop_assert!(days * pace >= open as f64 - 1e-6);
                prop_assert!((days - 1.0) * pace < open as f64);
            }
        }

        #[test]
        fn filled_days_have_no_gaps(points in proptest::collection::vec((0u64..60, 0i64..1000), 1..20)) {
            let base = d("2026-10-01");
            let points: Vec<(NaiveDate, i64)> = points.into_iter().map(|(o, n)| (base + Days::new(o), n)).collect();
            let through = base + Days::new(70);
            let days = fill_days(&points, through);
            for pair in days.windows(2) {
                prop_assert_eq!(pair[1].0, pair[0].0 + Days::new(1));
            }
            prop_assert_eq!(days.last().unwrap().0, through);
        }

        #[test]
        fn more_hours_need_more_people(hours in 1.0f64..10_000.0, extra in 1.0f64..1_000.0) {
            let today = d("2026-11-30");
            let deadline = d("2027-06-30");
            let a = Staffing::new(hours, today, deadline, 10.0, 3).needed.unwrap();
            let b = Staffing::new(hours + extra, today, deadline, 10.0, 3).needed.unwrap();
            prop_assert!(b > a);
        }
    }
}
