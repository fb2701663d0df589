//! KLIK, the kommune's task list for the implementation (DOMAIN.md C): a catalogue of tasks that
//! KOMBIT keeps, each dated relative to the kommune's go-live — the end date an offset from
//! go-live, the start date an offset from the end date, in calendar days. MI 38 is the exception:
//! its end date is the kommune's med-dækninger deadline.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The task code whose end is the med-dækninger deadline rather than an offset from go-live.
pub const MI38: &str = "MI 38";
/// The bevillingstype review (seed 000).
pub const UI04: &str = "UI 04";

/// One task of KOMBIT's catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlikOpgave {
    pub master_id: i64,
    /// "UI 04", "MI 38".
    pub kode: String,
    pub titel: String,
    pub fase: String,
    pub tema: String,
    pub prioritet: String,
    pub sts: bool,
    /// "KY - Bølge 5" (several separated by commas).
    pub boelger: String,
    /// End date relative to go-live, in days (UI 04: -49).
    pub slut_offset: i64,
    /// Start date relative to the end date, in days (UI 04: -217).
    pub start_offset: i64,
    pub maal: String,
    pub resultat: String,
    pub anbefalet_udfoerer: String,
}

impl KlikOpgave {
    /// The task's (start, end) for a kommune going live on `go_live`; MI 38 ends on
    /// `deadline_med` when the kommune has one and keeps its start offset from there.
    pub fn dates(&self, go_live: NaiveDate, deadline_med: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
        let slut = match (self.kode.as_str(), deadline_med) {
            (MI38, Some(d)) => d,
            _ => go_live + Duration::days(self.slut_offset),
        };
        (slut + Duration::days(self.start_offset), slut)
    }
}

/// A catalogue task as KOMBIT types it (all text; checked by `to_opgave`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlikOpgaveForm {
    #[serde(default)]
    pub master_id: String,
    pub kode: String,
    pub titel: String,
    #[serde(default)]
    pub fase: String,
    #[serde(default)]
    pub tema: String,
    #[serde(default)]
    pub prioritet: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub sts: Option<String>,
    #[serde(default)]
    pub boelger: String,
    pub slut_offset: String,
    pub start_offset: String,
    #[serde(default)]
    pub maal: String,
    #[serde(default)]
    pub resultat: String,
    #[serde(default)]
    pub anbefalet_udfoerer: String,
}

impl KlikOpgaveForm {
    /// The task, or what is wrong per field.
    pub fn to_opgave(&self) -> Result<KlikOpgave, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut days = |field: &str, text: &str, what: &str| -> i64 {
            match text.trim().replace('\u{2212}', "-").parse::<i64>() {
                Ok(n) if n.abs() <= 3_650 => n,
                _ => {
                    errors.push((field.to_string(), format!("{what}: et helt antal dage, fx -49 (højst 10 år).")));
                    0
                }
            }
        };
        let slut_offset = days("slut_offset", &self.slut_offset, "Slutdato fra go-live");
        let start_offset = days("start_offset", &self.start_offset, "Startdato fra slutdato");
        if start_offset > 0 {
            errors.push((
                "start_offset".into(),
                "Startdatoen ligger før slutdatoen: brug 0 eller et negativt tal.".into(),
            ));
        }
        let master_id = match self.master_id.trim() {
            "" => 0,
            t => t.parse::<i64>().ok().filter(|n| *n > 0).unwrap_or_else(|| {
                errors.push(("master_id".into(), "Master-opgave ID er et positivt tal.".into()));
                0
            }),
        };
        if self.kode.trim().is_empty() || self.kode.trim().chars().count() > 20 {
            errors.push(("kode".into(), "Skriv opgavens kode, fx UI 04 (højst 20 tegn).".into()));
        }
        if self.titel.trim().is_empty() {
            errors.push(("titel".into(), "Skriv opgavens titel.".into()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(KlikOpgave {
            master_id,
            kode: self.kode.trim().to_string(),
            titel: self.titel.trim().to_string(),
            fase: self.fase.trim().to_string(),
            tema: self.tema.trim().to_string(),
            prioritet: self.prioritet.trim().to_string(),
            sts: self.sts.is_some(),
            boelger: self.boelger.trim().to_string(),
            slut_offset,
            start_offset,
            maal: self.maal.trim().to_string(),
            resultat: self.resultat.trim().to_string(),
            anbefalet_udfoerer: self.anbefalet_udfoerer.trim().to_string(),
        })
    }
}

/// How far a kommune is with a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KlikStatus {
    IkkeStartet,
    IGang,
    Faerdig,
}

impl KlikStatus {
    pub const ALL: [KlikStatus; 3] = [KlikStatus::IkkeStartet, KlikStatus::IGang, KlikStatus::Faerdig];

    pub fn key(self) -> &'static str {
        match self {
            KlikStatus::IkkeStartet => "ikke_startet",
            KlikStatus::IGang => "i_gang",
            KlikStatus::Faerdig => "faerdig",
        }
    }

    pub fn parse(key: &str) -> Option<KlikStatus> {
        KlikStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            KlikStatus::IkkeStartet => "Ikke startet",
            KlikStatus::IGang => "I gang",
            KlikStatus::Faerdig => "Færdig",
        }
    }
}

/// A task (or a plan item) is overdue when its end has passed and it is not done.
pub fn overdue(slut: NaiveDate, status: KlikStatus, today: NaiveDate) -> bool {
    slut < today && status != KlikStatus::Faerdig
}

/// UI 04 follows the review: done when every bevillingstype is decided and every plan item
/// done, under way once anything is decided or planned.
pub fn ui04_status(types: usize, decided: usize, plan_items: usize, plan_items_done: usize) -> KlikStatus {
    if types > 0 && decided == types && plan_items_done == plan_items {
        KlikStatus::Faerdig
    } else if decided > 0 || plan_items > 0 {
        KlikStatus::IGang
    } else {
        KlikStatus::IkkeStartet
    }
}

/// MI 38 follows the tasks: done when the kommune had tasks and none is left, under way while
/// any is open after some were worked.
pub fn mi38_status(had_tasks: bool, open_tasks: i64, closed_tasks: i64) -> KlikStatus {
    match (had_tasks, open_tasks) {
        (true, 0) => KlikStatus::Faerdig,
        (true, _) if closed_tasks > 0 => KlikStatus::IGang,
        _ => KlikStatus::IkkeStartet,
    }
}

/// UI 04 exactly as seed 000 states it.
pub fn ui04() -> KlikOpgave {
    KlikOpgave {
        master_id: 447,
        kode: UI04.into(),
        titel: "UI 04 Tag stilling til bevillingstyper i KMD Aktiv (B5)".into(),
        fase: "Fase 1: Opstart".into(),
        tema: "Ud- og indfasning".into(),
        prioritet: "Prioritet 2".into(),
        sts: false,
        boelger: "KY - Bølge 5".into(),
        slut_offset: -49,
        start_offset: -217,
        maal: "Målet med opgaven er, at kommunen får etableret et overblik over, hvilke bevillingstyper kommuner benytter i KMD Aktiv, samt hvorvidt disse alle skal videreføres i KY.".into(),
        resultat: "At kommunen har gennemgået brugen af bevillingstyper i KY. At kommunen har plan for håndteringen af 'andre ydelser' - både for hvis de skal i KY, men også hvis de skal til et andet system.".into(),
        anbefalet_udfoerer: "KY-projektleder og evt. administratorer/superbrugere af KMD Aktiv.".into(),
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
    fn ui04_ends_49_days_before_go_live_and_starts_217_days_before_its_end() {
        let (start, slut) = ui04().dates(d("2027-09-01"), None);
        assert_eq!(slut, d("2027-07-14"));
        assert_eq!(start, d("2026-12-09"));
    }

    #[test]
    fn mi38_ends_on_the_med_daekninger_deadline() {
        let mi38 = KlikOpgave { kode: MI38.into(), slut_offset: -10, start_offset: -90, ..ui04() };
        assert_eq!(mi38.dates(d("2027-09-01"), Some(d("2027-01-25"))), (d("2026-10-27"), d("2027-01-25")));
        assert_eq!(mi38.dates(d("2027-09-01"), None).1, d("2027-08-22"));
    }

    #[test]
    fn a_task_past_its_end_is_overdue_until_done() {
        let today = d("2027-01-10");
        assert!(overdue(d("2027-01-09"), KlikStatus::IGang, today));
        assert!(!overdue(d("2027-01-10"), KlikStatus::IGang, today));
        assert!(!overdue(d("2027-01-09"), KlikStatus::Faerdig, today));
    }

    #[test]
    fn statuses_follow_the_work() {
        assert_eq!(ui04_status(0, 0, 0, 0), KlikStatus::IkkeStartet);
        assert_eq!(ui04_status(31, 27, 5, 0), KlikStatus::IGang);
        assert_eq!(ui04_status(31, 31, 5, 4), KlikStatus::IGang);
        assert_eq!(ui04_status(31, 31, 5, 5), KlikStatus::Faerdig);
        assert_eq!(mi38_status(false, 0, 0), KlikStatus::IkkeStartet);
        assert_eq!(mi38_status(true, 10, 0), KlikStatus::IkkeStartet);
        assert_eq!(mi38_status(true, 10, 3), KlikStatus::IGang);
        assert_eq!(mi38_status(true, 0, 13), KlikStatus::Faerdig);
    }

    #[test]
    fn kombit_types_a_task_with_offsets_in_days() {
        let form = KlikOpgaveForm {
            kode: "UI 10".into(),
            titel: "UI 10 Test".into(),
            slut_offset: "−30".into(),
            start_offset: "-60".into(),
            sts: Some("on".into()),
            ..Default::default()
        };
        let t = form.to_opgave().unwrap();
        assert_eq!((t.slut_offset, t.start_offset, t.sts, t.master_id), (-30, -60, true, 0));
        let bad = KlikOpgaveForm { start_offset: "5".into(), slut_offset: "x".into(), ..form };
        let fields: Vec<String> = bad.to_opgave().unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["slut_offset", "start_offset"]);
    }

    proptest! {
        #[test]
        fn moving_go_live_by_n_days_moves_every_date_by_n(
            base in 0i64..20_000, n in -2_000i64..2_000, slut in -400i64..400, start in -400i64..0,
        ) {
            let task = KlikOpgave { slut_offset: slut, start_offset: start, ..ui04() };
            let go_live = d("2000-01-01") + Duration::days(base);
            let (s1, e1) = task.dates(go_live, None);
            let (s2, e2) = task.dates(go_live + Duration::days(n), None);
            prop_assert_eq!(s2 - s1, Duration::days(n));
            prop_assert_eq!(e2 - e1, Duration::days(n));
            prop_assert!(s1 <= e1);
        }
    }
}
