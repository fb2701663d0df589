//! Which fordringer of an import are new (their tasks are built inside SQLite by
//! `store::classify`), and re-checking known fordringer that new ones may affect.

use crate::domain::daekning::ValidDaekning;
use crate::domain::defects::{FordringFacts, Sibling, defects_of};
use crate::domain::{Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::store::Conn;
use crate::store::counters::CountDelta;
use crate::store::extract::{self, DaekningRow};
use crate::store::tasks::{self, HistoryEntry, NewTask};
use std::collections::HashSet;

/// The fordringer of the extract, told apart from the ones the database already knows.
pub struct NewFordringer {
    existing: HashSet<String>,
    /// Persons with known fordringer.
    existing_cprs: HashSet<String>,
    new: HashSet<String>,
    pub deferred: Vec<ValidDaekning>,
    affected: HashSet<String>,
}

impl NewFordringer {
    /// `known`: (fordring_id, cpr) of the kommune's fordringer.
    pub fn new(known: Vec<(String, String)>) -> Self {
        let mut existing = HashSet::with_capacity(known.len());
        let mut existing_cprs = HashSet::new();
        for (id, cpr) in known {
            existing.insert(id);
            existing_cprs.insert(cpr);
        }
        NewFordringer { existing, existing_cprs, new: HashSet::new(), deferred: Vec::new(), affected: HashSet::new() }
    }

    /// Registers a fordring; `Ok(false)` when the database already knows it.
    pub fn add(&mut self, id: &str, cpr: &str) -> Result<bool, String> {
        if self.existing.contains(id) {
            return Ok(false);
        }
        if !self.new.insert(id.to_string()) {
            return Err(format!("fordringen {id} står to gange i filen"));
        }
        if self.existing_cprs.contains(cpr) {
            self.affected.insert(cpr.to_string());
        }
        Ok(true)
    }

    /// A dækning of the extract: the row to insert, `None` when it belongs to a fordring the
    /// database already knew. A new fordring's dækninger are inserted unbooked (`behandlet`
    /// NULL): `store::classify::create_tasks` parks them in 09 or books them, by its task.
    pub fn add_daekning(&mut self, d: ValidDaekning, stamp: &str) -> Result<Option<DaekningRow>, String> {
        if !self.new.contains(&d.fordring_id) {
            if self.existing.contains(&d.fordring_id) {
                self.deferred.push(d);
                return Ok(None);
            }
            return Err(format!("fordringen {} findes ikke i fordringer.csv", d.fordring_id));
        }
        Ok(Some(DaekningRow {
            daekning_id: d.daekning_id,
            fordring_id: d.fordring_id,
            art: d.art.key().to_string(),
            beloeb: d.beloeb.oere(),
            dato: d.dato.to_string(),
            modtaget: stamp.to_string(),
            kilde: "udtraek".into(),
            behandlet: None,
            opgavepakke_foer: None,
            opgavepakke_efter: None,
        }))
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
