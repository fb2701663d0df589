//! Classifying the fordringer of an import in memory (the K rule needs all of a person's
//! fordringer), and re-checking known fordringer that new ones may affect.

use crate::domain::daekning::ValidDaekning;
use crate::domain::defects::{FordringFacts, Sibling, defects_of};
use crate::domain::{Defects, Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::store::Conn;
use crate::store::counters::CountDelta;
use crate::store::extract::{self, DaekningRow, FordringRow, TaskInsertRow};
use crate::store::tasks::{self, HistoryEntry, NewTask};
use std::collections::{HashMap, HashSet};

/// A fordring new in this extract, as much as classification needs.
pub struct NewFordring {
    id: String,
    cpr: String,
    bevilling: Option<String>,
    kravtype: Option<String>,
    r_missing: bool,
    p_missing: bool,
    hovedstol: i64,
    stiftet: String,
    caseworker: Option<String>,
    daekninger: u32,
    same_kravtype: bool,
}

impl NewFordring {
    pub fn from_row(row: &FordringRow, caseworker: Option<String>) -> Self {
        let facts = FordringFacts {
            bevilling_id: row.bevilling_id.as_deref(),
            ydelsesreference: row.ydelsesreference.as_deref(),
            kravtype: row.kravtype.as_deref(),
            udbetalingsparagraf: row.udbetalingsparagraf.as_deref(),
            tilbagebetalingsparagraf: row.tilbagebetalingsparagraf.as_deref(),
            ..Default::default()
        };
        let own = defects_of(&facts, []);
        NewFordring {
            id: row.fordring_id.clone(),
            cpr: row.cpr.clone(),
            bevilling: row.bevilling_id.clone(),
            kravtype: row.kravtype.clone(),
            r_missing: own.r,
            p_missing: own.p,
            hovedstol: row.hovedstol,
            stiftet: row.stiftet.clone(),
            caseworker,
            daekninger: 0,
            same_kravtype: false,
        }
    }

    fn defects(&self) -> Defects {
        Defects {
            b: self.bevilling.is_none(),
            r: self.r_missing,
            k: self.kravtype.is_none() || self.same_kravtype,
            p: self.p_missing,
            d: self.daekninger > 0,
        }
    }
}

/// A known fordring's bevilling and kravtype.
type BevillingKravtype = (Option<String>, Option<String>);

pub struct Classifier {
    existing: HashSet<String>,
    /// cpr → (bevilling, kravtype) of the person's known fordringer
    existing_by_cpr: HashMap<String, Vec<BevillingKravtype>>,
    new: Vec<NewFordring>,
    index: HashMap<String, usize>,
    pub deferred: Vec<ValidDaekning>,
    ventetrin: Vec<TaskInsertRow>,
    affected: HashSet<String>,
}

impl Classifier {
    pub fn new(known: &[(String, String, Option<String>, Option<String>)]) -> Self {
        let mut existing_by_cpr: HashMap<String, Vec<_>> = HashMap::new();
        for (_, cpr, bevilling, kravtype) in known {
            existing_by_cpr.entry(cpr.clone()).or_default().push((bevilling.clone(), kravtype.clone()));
        }
        Classifier {
            existing: known.iter().map(|(id, ..)| id.clone()).collect(),
            existing_by_cpr,
            new: Vec::new(),
            index: HashMap::new(),
            deferred: Vec::new(),
            ventetrin: Vec::new(),
            affected: HashSet::new(),
        }
    }

    /// Registers a fordring; `Ok(false)` when the database already knows it.
    pub fn add(&mut self, f: NewFordring) -> Result<bool, String> {
        if self.existing.contains(&f.id) {
            return Ok(false);
        }
        if self.index.contains_key(&f.id) {
            return Err(format!("fordringen {} står to gange i filen", f.id));
        }
        if self.existing_by_cpr.contains_key(&f.cpr) {
            self.affected.insert(f.cpr.clone());
        }
        self.index.insert(f.id.clone(), self.new.len());
        self.new.push(f);
        Ok(true)
    }

    /// Marks "samme kravtype": a kravtype the person has on two or more different bevillinger
    /// (a missing bevilling counts as one value) makes each of those fordringer a K defect.
    pub fn settle_kravtyper(&mut self) {
        let mut groups: HashMap<(&str, &str), HashSet<Option<&str>>> = HashMap::new();
        for f in &self.new {
            if let Some(kt) = &f.kravtype {
                groups.entry((&f.cpr, kt)).or_default().insert(f.bevilling.as_deref());
            }
        }
        for (cpr, known) in &self.existing_by_cpr {
            for (bevilling, kravtype) in known {
                if let Some(kt) = kravtype
                    && let Some(set) = groups.get_mut(&(cpr.as_str(), kt.as_str()))
                {
                    set.insert(bevilling.as_deref());
                }
            }
        }
        let same: HashSet<(String, String)> = groups
            .into_iter()
            .filter(|(_, bevillinger)| bevillinger.len() >= 2)
            .map(|((cpr, kt), _)| (cpr.to_string(), kt.to_string()))
            .collect();
        for f in &mut self.new {
            if let Some(kt) = &f.kravtype {
                f.same_kravtype = same.contains(&(f.cpr.clone(), kt.clone()));
            }
        }
    }

    /// A dækning of the extract: the row to insert (booked at once, or parked in 09 when the
    /// fordring gets a task), `None` when it belongs to a fordring the database already knew.
    pub fn add_daekning(&mut self, d: ValidDaekning, stamp: &str) -> Result<Option<DaekningRow>, String> {
        let Some(&i) = self.index.get(&d.fordring_id) else {
            if self.existing.contains(&d.fordring_id) {
                self.deferred.push(d);
                return Ok(None);
            }
            return Err(format!("fordringen {} findes ikke i fordringer.csv", d.fordring_id));
        };
        let f = &mut self.new[i];
        f.daekninger += 1;
        let waits = f.defects().needs_task();
        if waits {
            self.ventetrin.push(TaskInsertRow {
                kind: crate::model::task::TaskKind::Daekning,
                fordring_id: f.id.clone(),
                daekning_id: Some(d.daekning_id.clone()),
                opgavepakke: Opgavepakke::VENTETRIN.nr(),
                defects: 0,
                created_at: stamp.to_string(),
                cpr: f.cpr.clone(),
                hovedstol: d.beloeb.oere(),
                stiftet: d.dato.to_string(),
                sagsbehandler: f.caseworker.clone(),
            });
        }
        Ok(Some(DaekningRow {
            daekning_id: d.daekning_id,
            fordring_id: d.fordring_id,
            art: d.art.key().to_string(),
            beloeb: d.beloeb.oere(),
            dato: d.dato.to_string(),
            modtaget: stamp.to_string(),
            kilde: "udtraek".into(),
            behandlet: if waits { None } else { Some(stamp.to_string()) },
            opgavepakke_foer: None,
            opgavepakke_efter: None,
        }))
    }

    /// All new tasks (ventetrin and Opret fordringssag) and how many land in each opgavepakke.
    pub fn opret_tasks(&mut self, stamp: &str) -> (Vec<TaskInsertRow>, [i64; 18]) {
        let mut created = [0i64; 18];
        let mut rows = std::mem::take(&mut self.ventetrin);
        created[usize::from(Opgavepakke::VENTETRIN.nr())] = rows.len() as i64;
        for f in &self.new {
            let defects = f.defects();
            if let Some(opgavepakke) = defects.classify() {
                created[usize::from(opgavepakke.nr())] += 1;
                rows.push(TaskInsertRow {
                    kind: crate::model::task::TaskKind::Opret,
                    fordring_id: f.id.clone(),
                    daekning_id: None,
                    opgavepakke: opgavepakke.nr(),
                    defects: defects.bits(),
                    created_at: stamp.to_string(),
                    cpr: f.cpr.clone(),
                    hovedstol: f.hovedstol,
                    stiftet: f.stiftet.clone(),
                    sagsbehandler: f.caseworker.clone(),
                });
            }
        }
        (rows, created)
    }

    pub fn affected_existing(&self) -> Vec<String> {
        let mut v: Vec<String> = self.affected.iter().cloned().collect();
        v.sort();
        v
    }
}

/// Re-classifies the fordringer of persons whose known fordringer got new siblings: an open
/// task moves (with its cause), a fordring that now needs a task gets one.
pub async fn reconcile_existing(
    tx: &mut Conn,
    k: Kommunenr,
    cprs: &[String],
    stamp: &str,
    delta: &mut CountDelta,
) -> Result<(), AppError> {
    for cpr in cprs {
        let fordringer = extract::fordringer_of_person(tx, k.get(), cpr).await?;
        for f in &fordringer {
            let siblings = fordringer
                .iter()
                .filter(|s| s.fordring_id != f.fordring_id)
                .map(|s| Sibling { kravtype: s.kravtype.as_deref(), bevilling_id: s.bevilling_id.as_deref() });
            let facts = FordringFacts {
                bevilling_id: f.bevilling_id.as_deref(),
                ydelsesreference: f.ydelsesreference.as_deref(),
                kravtype: f.kravtype.as_deref(),
                kravtype_bekraeftet: f.kravtype_bekraeftet,
                udbetalingsparagraf: f.udbetalingsparagraf.as_deref(),
                tilbagebetalingsparagraf: f.tilbagebetalingsparagraf.as_deref(),
                har_daekninger: extract::has_daekninger(tx, k.get(), &f.fordring_id).await?,
            };
            let defects = defects_of(&facts, siblings);
            let Some(to) = defects.classify() else { continue };
            match tasks::open_opret_of_fordring(tx, k.get(), &f.fordring_id).await? {
                Some((task_id, from, _)) if from != to.nr() => {
                    let from = Opgavepakke::new(from).ok_or(AppError::Internal)?;
                    tasks::move_to(tx, task_id, to, defects.bits()).await?;
                    let cause = format!(
                        "Flyttet fra {from} til {to} ved indlæsning af nyt udtræk: borgeren har fået en ny fordring med samme kravtype."
                    );
                    tasks::record_history(
                        tx,
                        &HistoryEntry {
                            task_id,
                            at: stamp,
                            event: crate::model::task::HistoryEvent::Flyttet,
                            from: Some(from),
                            to: Some(to),
                            cause: &cause,
                            actor: "import",
                        },
                    )
                    .await?;
                    delta.moved(from, to);
                }
                Some(_) => {}
                None if tasks::opret_of_fordring(tx, k.get(), &f.fordring_id).await?.is_none() => {
                    let caseworker = extract::sagsbehandler_of(tx, k.get(), cpr).await?;
                    tasks::insert(
                        tx,
                        &NewTask {
                            kommune: k.get(),
                            kind: crate::model::task::TaskKind::Opret,
                            fordring_id: &f.fordring_id,
                            daekning_id: None,
                            opgavepakke: to,
                            defects: defects.bits(),
                            created_at: stamp,
                            cpr,
                            hovedstol: f.hovedstol,
                            stiftet: &f.stiftet,
                            sagsbehandler: caseworker.as_deref(),
                        },
                    )
                    .await?;
                    delta.add(to, 1);
                }
                None => {}
            }
        }
    }
    Ok(())
}
