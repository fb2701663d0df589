//! A dækning or afskrivning reported by the finance system (REST API): idempotent on its id;
//! moves an "uden dækninger" task to its "med" twin at once and parks the dækning in
//! ventetrin (09) while the fordring's task is open.

use super::{Actor, require_kommune};
use crate::clock;
use crate::domain::daekning::{DaekningInput, ValidDaekning, move_cause, validate};
use crate::domain::{Defects, Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::task::{HistoryEvent, TaskKind};
use crate::state::AppContext;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::counters::CountDelta;
use crate::store::extract::{self, DaekningRow};
use crate::store::tasks::{self, HistoryEntry, NewTask};
use crate::store::{Conn, WriteTx, audit};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingested {
    /// False when the dækning was already known (nothing changed).
    pub created: bool,
    pub opgavepakke_foer: Option<Opgavepakke>,
    pub opgavepakke_efter: Option<Opgavepakke>,
}

pub async fn ingest(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    input: &DaekningInput,
) -> Result<Ingested, AppError> {
    require_kommune(ctx, actor, k, "modtag dækning").await?;
    let d = validate(input)?;
    let actor_name = actor.name();
    ctx.write(move |tx| Box::pin(async move { ingest_in(tx, k, actor_name, &d).await })).await
}

/// The write itself, one job on the write path.
async fn ingest_in(
    tx: &mut WriteTx,
    k: Kommunenr,
    actor_name: String,
    d: &ValidDaekning,
) -> Result<Ingested, AppError> {
    let conn: &mut Conn = tx;
    extract::lock_for_daekning(conn, k.get(), &d.fordring_id, &d.daekning_id).await?;
    if let Some(known) = extract::daekning(conn, k.get(), &d.daekning_id).await? {
        let same = known.fordring_id == d.fordring_id
            && known.art == d.art.key()
            && known.beloeb == d.beloeb.oere()
            && known.dato == d.dato.to_string();
        if !same {
            return Err(AppError::field(
                "daekning_id",
                format!("Dækning {} er allerede modtaget med andre oplysninger.", d.daekning_id),
            ));
        }
        let ingested = Ingested {
            created: false,
            opgavepakke_foer: known.opgavepakke_foer.and_then(Opgavepakke::from_stored),
            opgavepakke_efter: known.opgavepakke_efter.and_then(Opgavepakke::from_stored),
        };
        return Ok(ingested);
    }
    let Some(fordring) = extract::fordring(conn, k.get(), &d.fordring_id).await? else {
        return Err(AppError::field("fordring_id", format!("Fordring {} findes ikke i kommune {k}.", d.fordring_id)));
    };
    let now = clock::now();
    let stamp = clock::stamp(now);
    let mut delta = CountDelta::default();
    let (foer, efter) = apply_to_open_task(conn, k, d, &actor_name, &stamp, &clock::hh_mm(now), &mut delta).await?;
    extract::insert_rows(
        conn,
        k.get(),
        vec![DaekningRow {
            daekning_id: d.daekning_id.clone(),
            fordring_id: d.fordring_id.clone(),
            art: d.art.key().to_string(),
            beloeb: d.beloeb.oere(),
            dato: d.dato.to_string(),
            modtaget: stamp.clone(),
            kilde: "api".into(),
            // Booked at once unless it must wait for the fordring's task.
            behandlet: if foer.is_some() { None } else { Some(stamp.clone()) },
            opgavepakke_foer: foer.map(|p| i64::from(p.nr())),
            opgavepakke_efter: efter.map(|p| i64::from(p.nr())),
        }],
    )
    .await?;
    let entry = AuditEntry {
        actor: actor_name,
        kommune: Some(k.get()),
        cpr: Some(fordring.cpr),
        action: AuditAction::ReceiveDaekning,
        detail: format!("{} {} på fordring {}", d.art.label(), d.daekning_id, d.fordring_id),
    };
    audit::record(conn, &entry).await?;
    tx.count(k, &delta);
    Ok(Ingested { created: true, opgavepakke_foer: foer, opgavepakke_efter: efter })
}

/// If the fordring's Opret fordringssag task is open: moves it to its "med dækninger" opgavepakke
/// (recording why) and parks the dækning in an opgavepakke-09 task. Returns the opgavepakke before and
/// after, or `(None, None)` when there is no open task.
pub async fn apply_to_open_task(
    conn: &mut Conn,
    k: Kommunenr,
    d: &ValidDaekning,
    actor: &str,
    stamp: &str,
    hh_mm: &str,
    delta: &mut CountDelta,
) -> Result<(Option<Opgavepakke>, Option<Opgavepakke>), AppError> {
    let Some((task_id, opgavepakke, bits)) = tasks::open_opret_of_fordring(conn, k.get(), &d.fordring_id).await? else {
        return Ok((None, None));
    };
    let from = Opgavepakke::new(opgavepakke).ok_or(AppError::Internal)?;
    let defects = Defects { d: true, ..Defects::from_bits(bits) };
    let to = defects.classify().ok_or(AppError::Internal)?;
    if to != from {
        tasks::move_to(conn, task_id, to, defects.bits()).await?;
        let cause = move_cause(from, to, d, hh_mm);
        tasks::record_history(
            conn,
            &HistoryEntry {
                task_id,
                at: stamp,
                event: HistoryEvent::Flyttet,
                from: Some(from),
                to: Some(to),
                cause: &cause,
                actor,
            },
        )
        .await?;
        delta.moved(from, to);
    }
    let fordring = extract::fordring(conn, k.get(), &d.fordring_id).await?.ok_or(AppError::Internal)?;
    let sagsbehandler = extract::sagsbehandler_of(conn, k.get(), &fordring.cpr).await?;
    tasks::insert(
        conn,
        &NewTask {
            kommune: k.get(),
            kind: TaskKind::Daekning,
            fordring_id: &d.fordring_id,
            daekning_id: Some(&d.daekning_id),
            opgavepakke: Opgavepakke::VENTETRIN,
            defects: 0,
            created_at: stamp,
            cpr: &fordring.cpr,
            hovedstol: d.beloeb.oere(),
            stiftet: &d.dato.to_string(),
            sagsbehandler: sagsbehandler.as_deref(),
        },
    )
    .await?;
    delta.add(Opgavepakke::VENTETRIN, 1);
    Ok((Some(from), Some(to)))
}
