//! The hearing (høring, seed 003): KOMBIT sends material out in sections; each kommune's
//! høringsansvarlig answers against a section until the deadline; KOMBIT triages every submitted
//! answer into the seed's categories and replies in the seed's form. Here: the categories, the
//! reply's form, who may do what when, the material's sections as typed, and the summary the
//! slides show.

use crate::domain::Role;
use crate::domain::resolve::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// Why an answer needs no further work on the material.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IkkeYderligere {
    /// What the answer asks for is already in the material.
    AlleredeIMaterialet,
    IkkeRelevant,
}

/// What KOMBIT's analysis of an answer came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Analyse {
    Indarbejdet,
    /// Kept for a later version of KY ("KY 2.X"): becomes an ændringsønske in the pool.
    SenereVersion,
    IkkeRelevant,
}

/// KOMBIT's triage of one answer: the three groups of the slides and their outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Triage {
    IkkeYderligere(IkkeYderligere),
    IndarbejdetStraks,
    KraeverAnalyse(Analyse),
}

impl Triage {
    pub const ALL: [Triage; 6] = [
        Triage::IkkeYderligere(IkkeYderligere::AlleredeIMaterialet),
        Triage::IkkeYderligere(IkkeYderligere::IkkeRelevant),
        Triage::IndarbejdetStraks,
        Triage::KraeverAnalyse(Analyse::Indarbejdet),
        Triage::KraeverAnalyse(Analyse::SenereVersion),
        Triage::KraeverAnalyse(Analyse::IkkeRelevant),
    ];

    /// The stored and wire key.
    pub fn key(self) -> &'static str {
        match self {
            Triage::IkkeYderligere(IkkeYderligere::AlleredeIMaterialet) => "allerede_i_materialet",
            Triage::IkkeYderligere(IkkeYderligere::IkkeRelevant) => "ikke_relevant",
            Triage::IndarbejdetStraks => "indarbejdet_straks",
            Triage::KraeverAnalyse(Analyse::Indarbejdet) => "analyse_indarbejdet",
            Triage::KraeverAnalyse(Analyse::SenereVersion) => "analyse_senere_version",
            Triage::KraeverAnalyse(Analyse::IkkeRelevant) => "analyse_ikke_relevant",
        }
    }

    pub fn parse(key: &str) -> Option<Triage> {
        Triage::ALL.into_iter().find(|t| t.key() == key.trim())
    }

    /// Where in `ALL` (for counting per category).
    pub fn index(self) -> usize {
        Triage::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The group as the slides name it.
    pub fn group_label(self) -> &'static str {
        match self {
            Triage::IkkeYderligere(_) => "Kræver ikke yderligere vurdering",
            Triage::IndarbejdetStraks => "Indarbejdet med det samme",
            Triage::KraeverAnalyse(_) => "Kræver yderligere analyse",
        }
    }

    /// The category within its group.
    pub fn label(self) -> &'static str {
        match self {
            Triage::IkkeYderligere(IkkeYderligere::AlleredeIMaterialet) => "Allerede i materialet",
            Triage::IkkeYderligere(IkkeYderligere::IkkeRelevant) => "Ikke relevant",
            Triage::IndarbejdetStraks => "Indarbejdet",
            Triage::KraeverAnalyse(Analyse::Indarbejdet) => "Indarbejdet efter analyse",
            Triage::KraeverAnalyse(Analyse::SenereVersion) => "Senere version (KY 2.X)",
            Triage::KraeverAnalyse(Analyse::IkkeRelevant) => "Ikke relevant efter analyse",
        }
    }

    /// "Group: category", for a select or a table.
    pub fn full_label(self) -> String {
        match self {
            Triage::IndarbejdetStraks => self.group_label().to_string(),
            _ => format!("{}: {}", self.group_label(), self.label().to_lowercase()),
        }
    }

    /// The heading of KOMBIT's reply, word for word as on the slides.
    pub fn reply_heading(self) -> &'static str {
        match self {
            Triage::IkkeYderligere(_) | Triage::KraeverAnalyse(Analyse::IkkeRelevant) => {
                "Bearbejdes ikke yderligere i udbudsmaterialet fordi:"
            }
            Triage::IndarbejdetStraks | Triage::KraeverAnalyse(Analyse::Indarbejdet) => {
                "Indarbejdet i udbudsmaterialet:"
            }
            Triage::KraeverAnalyse(Analyse::SenereVersion) => "KY version 2.X:",
        }
    }

    /// Counted as incorporated in KY: already in the material, or worked in (at once or after
    /// analysis) — the slides' "ca. 270 indarbejdet" is 100 + 85 + 85.
    pub fn is_incorporated(self) -> bool {
        matches!(
            self,
            Triage::IkkeYderligere(IkkeYderligere::AlleredeIMaterialet)
                | Triage::IndarbejdetStraks
                | Triage::KraeverAnalyse(Analyse::Indarbejdet)
        )
    }

    /// Kept for a later version: becomes an ændringsønske in the pool.
    pub fn makes_aendring(self) -> bool {
        self == Triage::KraeverAnalyse(Analyse::SenereVersion)
    }
}

/// Heading written before the working group's optional comment.
pub const ARBEJDSGRUPPEN: &str = "Arbejdsgruppen siger:";

/// The reply's parts in the slides' order: (heading, text); the quote is shown before them.
pub fn reply_parts(triage: Triage, reply: &str, arbejdsgruppen: Option<&str>) -> Vec<(&'static str, String)> {
    let mut parts = vec![(triage.reply_heading(), reply.trim().to_string())];
    if let Some(a) = arbejdsgruppen.map(str::trim).filter(|a| !a.is_empty()) {
        parts.push((ARBEJDSGRUPPEN, a.to_string()));
    }
    parts
}

/// The whole reply as text (inbox, CSV): the quoted answer, then the parts.
pub fn format_reply(quote: &str, triage: Triage, reply: &str, arbejdsgruppen: Option<&str>) -> String {
    let mut out = format!("'{}'", quote.trim());
    for (heading, text) in reply_parts(triage, reply, arbejdsgruppen) {
        out.push_str(&format!("\n\n{heading}\n{text}"));
    }
    out
}

/// The state of an answer: a draft may change, a submitted one is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SvarState {
    Kladde,
    Indsendt,
}

impl SvarState {
    pub fn key(self) -> &'static str {
        match self {
            SvarState::Kladde => "kladde",
            SvarState::Indsendt => "indsendt",
        }
    }

    pub fn parse(key: &str) -> Option<SvarState> {
        [SvarState::Kladde, SvarState::Indsendt].into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            SvarState::Kladde => "Kladde",
            SvarState::Indsendt => "Indsendt",
        }
    }
}

/// Why an action on a hearing is refused. `Role` and `OtherKommune` are access refusals (audited);
/// the others are rules the user can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HoeringRefusal {
    #[error("Kun kommunens høringsansvarlige kan skrive høringssvar.")]
    Role,
    #[error("Svaret tilhører en anden kommune.")]
    OtherKommune,
    #[error("Svaret er indsendt og kan ikke ændres.")]
    Locked,
    #[error("Høringsfristen er overskredet.")]
    PastDeadline,
    #[error("Høringen er lukket.")]
    Closed,
    #[error("Kun KOMBIT kan behandle høringssvar.")]
    NotKombit,
    #[error("Kun indsendte svar kan behandles.")]
    NotSubmitted,
}

impl HoeringRefusal {
    /// Whether the refusal is about who asks (audited as a refused access).
    pub fn is_access(self) -> bool {
        matches!(self, HoeringRefusal::Role | HoeringRefusal::OtherKommune | HoeringRefusal::NotKombit)
    }
}

/// Whether answers may still be written: an open hearing up to and including its deadline day.
pub fn is_open(closed: bool, deadline: NaiveDate, today: NaiveDate) -> bool {
    !closed && today <= deadline
}

/// Writing (a new draft, saving it, submitting it): only a høringsansvarlig of the answer's
/// kommune, only a draft, only while the hearing is open.
pub fn may_write(
    role: Role,
    user_kommune: Option<u16>,
    answer_kommune: u16,
    state: SvarState,
    closed: bool,
    deadline: NaiveDate,
    today: NaiveDate,
) -> Result<(), HoeringRefusal> {
    if role != Role::Hoeringsansvarlig {
        return Err(HoeringRefusal::Role);
    }
    if user_kommune != Some(answer_kommune) {
        return Err(HoeringRefusal::OtherKommune);
    }
    if state == SvarState::Indsendt {
        return Err(HoeringRefusal::Locked);
    }
    if closed {
        return Err(HoeringRefusal::Closed);
    }
    if today > deadline {
        return Err(HoeringRefusal::PastDeadline);
    }
    Ok(())
}

/// Triage (and changing a triage): KOMBIT, on submitted answers.
pub fn may_triage(role: Role, state: SvarState) -> Result<(), HoeringRefusal> {
    if role != Role::Kombit {
        return Err(HoeringRefusal::NotKombit);
    }
    if state != SvarState::Indsendt {
        return Err(HoeringRefusal::NotSubmitted);
    }
    Ok(())
}

/// The longest answer or reply accepted.
pub const MAX_TEXT: usize = 4_000;

/// A text typed into a form: required, at most `MAX_TEXT` characters, no control characters but
/// line breaks and tabs.
pub fn check_long_text(field: &str, text: &str, what: &str) -> Vec<FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return vec![FieldError::new(field, format!("Skriv {what}."))];
    }
    if t.chars().count() > MAX_TEXT {
        return vec![FieldError::new(field, format!("Højst {MAX_TEXT} tegn."))];
    }
    if t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return vec![FieldError::new(field, "Teksten indeholder usynlige styretegn.")];
    }
    Vec::new()
}

/// KOMBIT's reply form: a category and a reply; the working group's comment is optional.
pub fn check_triage(category: &str, reply: &str, arbejdsgruppen: &str) -> Result<Triage, Vec<FieldError>> {
    let mut errors = Vec::new();
    let triage = Triage::parse(category);
    if triage.is_none() {
        errors.push(FieldError::new("category", "Vælg en kategori."));
    }
    errors.extend(check_long_text("reply", reply, "svaret til kommunen"));
    if !arbejdsgruppen.trim().is_empty() {
        errors.extend(check_long_text("arbejdsgruppen", arbejdsgruppen, "arbejdsgruppens bemærkning"));
    }
    match triage {
        Some(t) if errors.is_empty() => Ok(t),
        _ => Err(errors),
    }
}

/// One section of the material, as KOMBIT types it: "3.2 Udbetaling".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Afsnit {
    pub number: String,
    pub title: String,
}

/// The form KOMBIT opens a hearing with, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HoeringForm {
    pub title: String,
    pub material: String,
    /// One section a line: "3.2 Titel".
    pub sections: String,
    /// YYYY-MM-DD (a date input) or DD.MM.YYYY.
    pub deadline: String,
}

/// A hearing ready to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidHoering {
    pub title: String,
    pub material: String,
    pub sections: Vec<Afsnit>,
    pub deadline: NaiveDate,
}

/// Reads the form: a title, the material, at least one section with a number ("3", "3.2",
/// "3.2.1") and a title, no number twice, and a deadline not before today.
pub fn validate_hoering(form: &HoeringForm, today: NaiveDate) -> Result<ValidHoering, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(FieldError::new("title", "Skriv en titel (højst 200 tegn)."));
    }
    errors.extend(check_long_text("material", &form.material, "en beskrivelse af materialet"));
    let mut sections: Vec<Afsnit> = Vec::new();
    for (i, line) in form.sections.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        match parse_afsnit(line) {
            Some(a) if sections.iter().any(|s| s.number == a.number) => {
                errors
                    .push(FieldError::new("sections", format!("Linje {}: afsnit {} står to gange.", i + 1, a.number)));
            }
            Some(a) => sections.push(a),
            None => errors.push(FieldError::new(
                "sections",
                format!("Linje {}: skriv afsnittets nummer og titel, fx \"3.2 Udbetaling\".", i + 1),
            )),
        }
    }
    if sections.is_empty() && !errors.iter().any(|e| e.field == "sections") {
        errors.push(FieldError::new("sections", "Skriv mindst ét afsnit, ét pr. linje, fx \"3.2 Udbetaling\"."));
    }
    let deadline = parse_date(&form.deadline);
    match deadline {
        None => errors.push(FieldError::new("deadline", "Skriv fristen som dato, fx 25.01.2027.")),
        Some(d) if d < today => errors.push(FieldError::new("deadline", "Fristen kan ikke ligge før i dag.")),
        Some(_) => {}
    }
    match deadline {
        Some(deadline) if errors.is_empty() => {
            Ok(ValidHoering { title, material: form.material.trim().to_string(), sections, deadline })
        }
        _ => Err(errors),
    }
}

/// "3.2 Udbetaling" → number "3.2", title "Udbetaling".
pub fn parse_afsnit(line: &str) -> Option<Afsnit> {
    let (number, title) = line.trim().split_once(char::is_whitespace)?;
    let number = number.trim_end_matches('.');
    let numeric = !number.is_empty()
        && number.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    let title = title.trim();
    (numeric && !title.is_empty() && title.chars().count() <= 200)
        .then(|| Afsnit { number: number.to_string(), title: title.to_string() })
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y")).ok()
}

/// The receipt a kommune gets for a submitted answer: "HØ-2026-0001-0042" (year, hearing,
/// the answer's number in the hearing).
pub fn receipt(year: i32, hoering_id: i64, nr: i64) -> String {
    format!("HØ-{year}-{hoering_id:04}-{nr:04}")
}

/// What the slides show: how many kommuner answered, how many answers, how many per category,
/// how many are incorporated in total — over submitted answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Summary {
    pub kommuner: usize,
    pub answers: usize,
    /// Indexed like `Triage::ALL`.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<usize>, min_items = 6, max_items = 6))]
    pub per_category: [usize; 6],
    pub untriaged: usize,
    pub incorporated: usize,
}

impl Summary {
    /// From (kommune, triage) of every submitted answer.
    pub fn of(answers: impl IntoIterator<Item = (u16, Option<Triage>)>) -> Summary {
        let mut s = Summary::default();
        let mut kommuner = std::collections::BTreeSet::new();
        for (kommune, triage) in answers {
            kommuner.insert(kommune);
            s.answers += 1;
            match triage {
                Some(t) => {
                    s.per_category[t.index()] += 1;
                    if t.is_incorporated() {
                        s.incorporated += 1;
                    }
                }
                None => s.untriaged += 1,
            }
        }
        s.kommuner = kommuner.len();
        s
    }

    /// Answers in a group (the slides' three headlines).
    pub fn in_group(&self, group: fn(Triage) -> bool) -> usize {
        Triage::ALL.iter().filter(|t| group(**t)).map(|t| self.per_category[t.index()]).sum()
    }

    /// The chart's sentence: "34 kommuner gav 350 høringssvar; 270 er indarbejdet i KY."
    pub fn sentence(&self) -> String {
        let mut s = format!(
            "{} {} gav {} høringssvar; {} er indarbejdet i KY",
            self.kommuner,
            if self.kommuner == 1 { "kommune" } else { "kommuner" },
            self.answers,
            self.incorporated
        );
        if self.untriaged > 0 {
            s.push_str(&format!(", og {} venter på behandling", self.untriaged));
        }
        s.push('.');
        s
    }
}
