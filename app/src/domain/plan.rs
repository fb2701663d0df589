//! The kommune's plan for MI 38 (DOMAIN.md A, "Steering MI 38"): the approach that decides what
//! "Næste opgave" hands a caseworker, the deadlines, who works MI 38 and for how many hours a
//! week, and the order of the packages when they are emptied one by one.

use super::Opgavepakke;
use super::resolve::FieldError;
use crate::error::AppError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the kommune distributes the tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tilgang {
    Sideloebende,
    Fokuseret,
    Rapportstyret,
    Opgavepakkestyret,
    Anden,
}

impl Tilgang {
    pub const ALL: [Tilgang; 5] =
        [Tilgang::Sideloebende, Tilgang::Fokuseret, Tilgang::Rapportstyret, Tilgang::Opgavepakkestyret, Tilgang::Anden];

    pub fn key(self) -> &'static str {
        match self {
            Tilgang::Sideloebende => "sideloebende",
            Tilgang::Fokuseret => "fokuseret",
            Tilgang::Rapportstyret => "rapportstyret",
            Tilgang::Opgavepakkestyret => "opgavepakkestyret",
            Tilgang::Anden => "anden",
        }
    }

    pub fn parse(key: &str) -> Option<Tilgang> {
        Tilgang::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Tilgang::Sideloebende => "Sideløbende",
            Tilgang::Fokuseret => "Fokuseret",
            Tilgang::Rapportstyret => "Rapportstyret",
            Tilgang::Opgavepakkestyret => "Opgavepakkestyret",
            Tilgang::Anden => "Anden tilgang",
        }
    }

    /// What the approach means for a caseworker pressing "Næste opgave".
    pub fn for_caseworkers(self) -> &'static str {
        match self {
            Tilgang::Sideloebende => {
                "Hver sagsbehandler får kun opgaver på de borgere, hvis sagsmapper de selv har, ved siden af den daglige drift."
            }
            Tilgang::Fokuseret => {
                "Et navngivet MI 38-team tager alle kommunens opgaver; andre sagsbehandlere får ingen."
            }
            Tilgang::Rapportstyret => {
                "Projektlederen fordeler borgere fra rapport R2.1; en sagsbehandler får kun opgaver på de borgere, der er tildelt dem."
            }
            Tilgang::Opgavepakkestyret => {
                "Pakkerne tømmes i kommunens rækkefølge: først den første pakke med opgaver, så den næste."
            }
            Tilgang::Anden => {
                "En kombination: først egne borgeres opgaver, så kommunens øvrige, i kommunens rækkefølge af pakker."
            }
        }
    }
}

/// Who works MI 38. Anything but "alle" names the people (`Plan::medarbejdere`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ressourcer {
    Alle,
    Team,
    Superbrugere,
    Vikarer,
}

impl Ressourcer {
    pub const ALL: [Ressourcer; 4] =
        [Ressourcer::Alle, Ressourcer::Team, Ressourcer::Superbrugere, Ressourcer::Vikarer];

    pub fn key(self) -> &'static str {
        match self {
            Ressourcer::Alle => "alle",
            Ressourcer::Team => "team",
            Ressourcer::Superbrugere => "superbrugere",
            Ressourcer::Vikarer => "vikarer",
        }
    }

    pub fn parse(key: &str) -> Option<Ressourcer> {
        Ressourcer::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Ressourcer::Alle => "Alle sagsbehandlere",
            Ressourcer::Team => "Et team",
            Ressourcer::Superbrugere => "Superbrugere",
            Ressourcer::Vikarer => "Vikarer",
        }
    }
}

/// The default order of the packages: med dækninger first, 08 and 17 early (they also fix the
/// missing sagstilknytning). 09 is never handed out: its tasks wait for their fordring's task.
pub const DEFAULT_ORDER: [u8; 16] = [8, 1, 2, 3, 4, 5, 6, 7, 17, 10, 11, 12, 13, 14, 15, 16];

/// The plan as the project lead edits it. Dates are ISO (`2027-01-25`); `version` detects two
/// project leads saving at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub tilgang: Tilgang,
    pub deadline_med: String,
    pub deadline_uden: Option<String>,
    pub deadline_uden_endelig: Option<String>,
    pub go_live: Option<String>,
    pub ressourcer: Ressourcer,
    pub timer_pr_uge: f64,
    pub medarbejdere: Vec<String>,
    pub opgavepakke_order: Vec<u8>,
    pub version: i64,
}

impl Plan {
    /// Whether `username` takes MI 38 tasks under this plan.
    pub fn works_mi38(&self, username: &str) -> bool {
        let named = self.ressourcer != Ressourcer::Alle || self.tilgang == Tilgang::Fokuseret;
        !named || self.medarbejdere.iter().any(|m| m.eq_ignore_ascii_case(username))
    }

    /// The packages in the kommune's order.
    pub fn order(&self) -> Vec<Opgavepakke> {
        self.opgavepakke_order.iter().filter_map(|nr| Opgavepakke::new(*nr)).collect()
    }

    /// Checks the plan as entered; every problem is a field error in Danish.
    pub fn validate(&self) -> Result<(), AppError> {
        let mut errors = Vec::new();
        let date = |field: &str, value: &str, errors: &mut Vec<FieldError>| -> Option<NaiveDate> {
            match parse_date(value) {
                Some(d) => Some(d),
                None => {
                    errors.push(FieldError::new(field, "Angiv en dato som dd.mm.åååå, fx 25.01.2027."));
                    None
                }
            }
        };
        let med = date("deadline_med", &self.deadline_med, &mut errors);
        let uden = self.deadline_uden.as_deref().and_then(|d| date("deadline_uden", d, &mut errors));
        let endelig = self.deadline_uden_endelig.as_deref().and_then(|d| date("deadline_uden_endelig", d, &mut errors));
        if let Some(go_live) = self.go_live.as_deref() {
            date("go_live", go_live, &mut errors);
        }
        if let (Some(med), Some(endelig)) = (med, endelig)
            && endelig <= med
        {
            errors.push(FieldError::new(
                "deadline_uden_endelig",
                "Den endelige frist er til, når uden dækninger ikke kan nås inden KLIK-opgavens slutdato (fristen for med dækninger): den skal ligge efter den.",
            ));
        } else if let (Some(uden), Some(endelig)) = (uden, endelig)
            && endelig < uden
        {
            errors.push(FieldError::new(
                "deadline_uden_endelig",
                "Den endelige frist kan ikke ligge før fristen for uden dækninger.",
            ));
        }
        if !(self.timer_pr_uge > 0.0 && self.timer_pr_uge <= 37.0) {
            errors.push(FieldError::new("timer_pr_uge", "Angiv timer pr. uge pr. medarbejder mellem 0,5 og 37."));
        }
        let named = self.ressourcer != Ressourcer::Alle || self.tilgang == Tilgang::Fokuseret;
        if named && self.medarbejdere.is_empty() {
            errors.push(FieldError::new(
                "medarbejdere",
                "Navngiv mindst én medarbejder (brugernavn), der arbejder med MI 38 — ellers får ingen opgaver.",
            ));
        }
        let mut order = self.opgavepakke_order.clone();
        order.sort_unstable();
        let mut all = DEFAULT_ORDER.to_vec();
        all.sort_unstable();
        if order != all {
            errors.push(FieldError::new(
                "opgavepakke_order",
                "Rækkefølgen skal nævne hver pakke 01–17 undtagen 09 præcis én gang, fx 08, 01, 02 ….",
            ));
        }
        if errors.is_empty() { Ok(()) } else { Err(AppError::Invalid(errors)) }
    }
}

/// The plan as its form sends it: every field text, so a bad value becomes a field message
/// instead of an unreadable request. Names of people and packages are comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanForm {
    pub tilgang: String,
    pub deadline_med: String,
    pub deadline_uden: String,
    pub deadline_uden_endelig: String,
    pub go_live: String,
    pub ressourcer: String,
    pub timer_pr_uge: String,
    pub medarbejdere: String,
    pub opgavepakke_order: String,
    pub version: i64,
}

impl PlanForm {
    pub fn from_plan(p: &Plan) -> Self {
        let shown = |d: &str| parse_date(d).map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default();
        PlanForm {
            tilgang: p.tilgang.key().into(),
            deadline_med: shown(&p.deadline_med),
            deadline_uden: p.deadline_uden.as_deref().map(shown).unwrap_or_default(),
            deadline_uden_endelig: p.deadline_uden_endelig.as_deref().map(shown).unwrap_or_default(),
            go_live: p.go_live.as_deref().map(shown).unwrap_or_default(),
            ressourcer: p.ressourcer.key().into(),
            timer_pr_uge: format!("{}", p.timer_pr_uge).replace('.', ","),
            medarbejdere: p.medarbejdere.join(","),
            opgavepakke_order: p.opgavepakke_order.iter().map(|n| format!("{n:02}")).collect::<Vec<_>>().join(", "),
            version: p.version,
        }
    }

    /// The plan the form describes, checked (`Plan::validate`); dates stay as typed.
    pub fn to_plan(&self) -> Result<Plan, AppError> {
        let mut errors = Vec::new();
        let tilgang = Tilgang::parse(&self.tilgang);
        if tilgang.is_none() {
            errors.push(FieldError::new("tilgang", "Vælg en tilgang."));
        }
        let ressourcer = Ressourcer::parse(&self.ressourcer);
        if ressourcer.is_none() {
            errors.push(FieldError::new("ressourcer", "Vælg, hvem der arbejder med MI 38."));
        }
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let plan = Plan {
            tilgang: tilgang.unwrap_or(Tilgang::Opgavepakkestyret),
            deadline_med: self.deadline_med.trim().to_string(),
            deadline_uden: optional(&self.deadline_uden),
            deadline_uden_endelig: optional(&self.deadline_uden_endelig),
            go_live: optional(&self.go_live),
            ressourcer: ressourcer.unwrap_or(Ressourcer::Alle),
            timer_pr_uge: self.timer_pr_uge.trim().replace(',', ".").parse().unwrap_or(f64::NAN),
            medarbejdere: self
                .medarbejdere
                .split(',')
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect(),
            opgavepakke_order: parse_order(&self.opgavepakke_order),
            version: self.version,
        };
        if let Err(AppError::Invalid(more)) = plan.validate() {
            errors.extend(more);
        }
        if errors.is_empty() { Ok(plan) } else { Err(AppError::Invalid(errors)) }
    }
}

/// A date as the plan stores it (`2027-01-25`) or as a user types it (`25.01.2027`), 2000–2100.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let d =
        NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y")).ok()?;
    (2000..=2100).contains(&chrono::Datelike::year(&d)).then_some(d)
}

/// A package order as typed: `08, 01, 02` or `8 1 2`.
pub fn parse_order(text: &str) -> Vec<u8> {
    text.split(|c: char| c == ',' || c.is_whitespace()).filter_map(|s| s.trim().parse::<u8>().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            tilgang: Tilgang::Opgavepakkestyret,
            deadline_med: "2027-01-25".into(),
            deadline_uden: Some("2027-01-20".into()),
            deadline_uden_endelig: None,
            go_live: None,
            ressourcer: Ressourcer::Alle,
            timer_pr_uge: 10.0,
            medarbejdere: vec![],
            opgavepakke_order: DEFAULT_ORDER.to_vec(),
            version: 0,
        }
    }

    fn fields(p: &Plan) -> Vec<String> {
        p.validate().err().map(|e| e.field_errors().iter().map(|f| f.field.clone()).collect()).unwrap_or_default()
    }

    #[test]
    fn a_complete_plan_passes() {
        assert_eq!(fields(&plan()), Vec::<String>::new());
    }

    #[test]
    fn the_final_uden_deadline_lies_after_the_klik_end_and_the_uden_deadline() {
        let p = Plan { deadline_uden: Some("2027-06-30".into()), ..plan() };
        assert_eq!(fields(&p), Vec::<String>::new());
        let p = Plan { deadline_uden_endelig: Some("30.09.2027".into()), ..p };
        assert_eq!(fields(&p), Vec::<String>::new());
        let p = Plan { deadline_uden_endelig: Some("2027-03-01".into()), ..p };
        assert_eq!(fields(&p), ["deadline_uden_endelig"], "before the uden deadline");
        let p = Plan { deadline_uden: None, deadline_uden_endelig: Some("2027-01-10".into()), ..p };
        assert_eq!(fields(&p), ["deadline_uden_endelig"], "before the KLIK end");
    }

    #[test]
    fn a_team_must_be_named_and_only_it_works_mi38() {
        let p = Plan { tilgang: Tilgang::Fokuseret, ..plan() };
        assert_eq!(fields(&p), ["medarbejdere"]);
        let p = Plan { medarbejdere: vec!["aarhus.mette".into()], ..p };
        assert!(p.works_mi38("Aarhus.Mette") && !p.works_mi38("aarhus.anna"));
        assert!(plan().works_mi38("anyone"), "alle: everybody works MI 38");
        let vikarer = Plan { ressourcer: Ressourcer::Vikarer, medarbejdere: vec!["v1".into()], ..plan() };
        assert!(vikarer.works_mi38("v1") && !vikarer.works_mi38("aarhus.anna"));
    }

    #[test]
    fn the_order_names_every_package_but_09_once() {
        for bad in ["8,1,2", "8,1,2,3,4,5,6,7,17,10,11,12,13,14,15,16,9", "8,8,2,3,4,5,6,7,17,10,11,12,13,14,15,16"] {
            let p = Plan { opgavepakke_order: parse_order(bad), ..plan() };
            assert_eq!(fields(&p), ["opgavepakke_order"], "{bad}");
        }
        let p = Plan { opgavepakke_order: parse_order("01 02 03 04 05 06 07 08 10 11 12 13 14 15 16 17"), ..plan() };
        assert_eq!(fields(&p), Vec::<String>::new());
        assert_eq!(p.order()[0], Opgavepakke::new(1).unwrap());
    }

    #[test]
    fn the_form_round_trips_and_names_unreadable_fields() {
        let p = Plan { deadline_uden_endelig: Some("2027-09-30".into()), timer_pr_uge: 7.5, ..plan() };
        let form = PlanForm::from_plan(&p);
        assert_eq!(form.timer_pr_uge, "7,5");
        let back = form.to_plan().unwrap();
        assert_eq!(back.opgavepakke_order, p.opgavepakke_order);
        assert_eq!(parse_date(&back.deadline_med), parse_date(&p.deadline_med));
        let bad = PlanForm { tilgang: "hurtig".into(), timer_pr_uge: "mange".into(), ..form };
        let errors = bad.to_plan().unwrap_err();
        let fields: Vec<_> = errors.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["tilgang", "timer_pr_uge"]);
    }

    #[test]
    fn dates_are_read_in_both_forms_and_bad_ones_named() {
        assert_eq!(parse_date("25.01.2027"), parse_date("2027-01-25"));
        assert_eq!(parse_date("0000-01-01"), None);
        let p = Plan { deadline_med: "i morgen".into(), ..plan() };
        assert_eq!(fields(&p), ["deadline_med"]);
        let p = Plan { timer_pr_uge: 0.0, ..plan() };
        assert_eq!(fields(&p), ["timer_pr_uge"]);
    }
}
