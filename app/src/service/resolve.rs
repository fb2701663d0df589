//! Resolving an "Opret fordringssag" task: validate what the caseworker supplied, write it to
//! the fordring, close the task, process its ventetrin dækninger, update the counters — one
//! write job — and the writer pushes the new counts after commit.
//!
//! Everything the check needs is read before the write, on the read pool, so the single writer
//! only writes: the close is guarded (still open, same defects as checked), and a task closed or
//! changed meanwhile is answered from a fresh read.

use super::{Actor, refuse, refuse_kommune};
use crate::clock;
use crate::domain::daekning::processed_cause;
use crate::domain::resolve::{
    KRAVTYPER, KnownValues, Resolution, ResolveInput, YdelseChoice, reference_shape, validate,
};
use crate::domain::{Defects, Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::task::{Resolved, TaskKind};
use crate::state::AppContext;
use crate::store::counters::CountDelta;
use crate::store::tasks::{self, TaskRow};
use crate::store::writer::{SyncTx, WriteTx};
use crate::store::{extract, known, resolution, users};

pub async fn resolve_task(
    ctx: &AppContext,
    actor: &Actor,
    task_id: i64,
    input: &ResolveInput,
) -> Result<Resolved, AppError> {
    if let Actor::User(u) = actor
        && !u.role.works_tasks()
    {
        return refuse(ctx, actor, u.kommune, None, &format!("løs opgave {task_id} (rolle {})", u.role)).await;
    }
    let (task, cpr, known) = {
        let mut conn = ctx.db.read.acquire().await?;
        let task = tasks::get(&mut conn, task_id).await?.ok_or_else(|| AppError::NotFound("Opgaven".into()))?;
        let k = Kommunenr::try_from(task.kommune as u16).map_err(|_| AppError::Internal)?;
        if !actor.may_see_kommune(k) {
            drop(conn);
            return refuse_kommune(ctx, actor, k, &format!("løs opgave {task_id}")).await;
        }
        check_resolvable(&mut conn, &task).await?;
        super::take_over::refuse_if_held_by_other(ctx, &mut conn, actor, &task).await?;
        // Only what the task's defects check: the references of the kommune are 200 rows, each a
        // hop from sqlx's worker thread, and a resolve is the hottest request there is.
        let needs = Defects::from_bits(task.defects);
        let known = known_values(&mut conn, k, &task.cpr, &task.fordring_id, needs).await?;
        (task.clone(), task.cpr, known)
    };
    let k = Kommunenr::try_from(task.kommune as u16).map_err(|_| AppError::Internal)?;
    let defects = Defects::from_bits(task.defects);
    let resolution = validate(defects, input, &known)?;
    let plan = Plan {
        k,
        task_id,
        defects,
        fordring_id: task.fordring_id.clone(),
        cpr,
        actor: actor.name(),
        summary: summarize(&resolution),
        resolution,
    };
    let written = if ctx.db.is_postgres() {
        // A refused resolve must leave nothing behind: the job fails, so its transaction rolls
        // back (SQLite's guarded statements change nothing when refused).
        let job =
            ctx.db.write_as(move |tx| Box::pin(async move { plan.write_async(tx).await?.ok_or(Refused::Changed) }));
        match job.await {
            Ok(resolved) => Some(resolved),
            Err(Refused::Changed) => None,
            Err(Refused::Error(e)) => return Err(e),
        }
    } else {
        ctx.db.write_sync(move |tx| plan.write(tx)).await?
    };
    match written {
        Some(resolved) => Ok(resolved),
        // Closed, changed or taken by another caseworker since it was read: say by whom, or ask
        // for a reload.
        None => {
            let mut conn = ctx.db.read.acquire().await?;
            let task = tasks::get(&mut conn, task_id).await?.ok_or_else(|| AppError::NotFound("Opgaven".into()))?;
            check_resolvable(&mut conn, &task).await?;
            super::take_over::refuse_if_held_by_other(ctx, &mut conn, actor, &task).await?;
            Err(AppError::Refused("Opgaven er ændret, mens du arbejdede på den. Genindlæs siden.".into()))
        }
    }
}

/// What the extract knows for a fordring's form: the person's bevillinger and their ydelser, the
/// forms of the kommune's references, the kravtyper in use (`domain::resolve::KnownValues`) —
/// as far as `needs` checks them (`domain::resolve::validate`: B the bevillinger, R the ydelser
/// and references, K the kravtyper); the task page's form needs them all.
pub(crate) async fn known_values(
    conn: &mut crate::store::Conn,
    k: Kommunenr,
    cpr: &str,
    fordring_id: &str,
    needs: Defects,
) -> Result<KnownValues, AppError> {
    let mut known = KnownValues::default();
    if needs.b {
        known.bevillinger =
            extract::bevillinger_of_person(conn, k.get(), cpr).await?.into_iter().map(|b| b.bevilling_id).collect();
    }
    if needs.r {
        known.fordringens_bevilling = extract::fordring(conn, k.get(), fordring_id)
            .await?
            .and_then(|f| f.bevilling_id)
            .filter(|b| !b.trim().is_empty());
        known.ydelser = known::ydelser_of_person(conn, k.get(), cpr)
            .await?
            .into_iter()
            .map(|(bevilling_id, ydelse_id, ydelsesart)| YdelseChoice { bevilling_id, ydelse_id, ydelsesart })
            .collect();
        let references = known::sample_references(conn, k.get(), 200).await?;
        let mut reference_shapes: Vec<String> = references.iter().map(|r| reference_shape(r)).collect();
        reference_shapes.sort();
        reference_shapes.dedup();
        known.reference_shapes = reference_shapes;
        known.reference_example = references.into_iter().next();
    }
    if needs.k {
        let mut kravtyper = known::kravtyper_in_use(conn, k.get()).await?;
        for kt in KRAVTYPER {
            if !kravtyper.iter().any(|x| x == kt) {
                kravtyper.push(kt.to_string());
            }
        }
        known.kravtyper = kravtyper;
    }
    Ok(known)
}

/// Refuses a ventetrin task, or one already closed (saying by whom and when).
async fn check_resolvable(conn: &mut crate::store::Conn, task: &TaskRow) -> Result<(), AppError> {
    if task.kind != TaskKind::Opret {
        return Err(AppError::Refused(
            "Dækninger i ventetrin (09) behandles automatisk, når fordringens Opret fordringssag-opgave er løst."
                .into(),
        ));
    }
    if !task.is_open {
        let by = task.closed_by.clone().unwrap_or_default();
        let by = users::display_name(conn, &by).await?.unwrap_or(by);
        return Err(AppError::AlreadyResolved {
            by,
            at: task.closed_at.as_deref().map(clock::display_stamp).unwrap_or_default(),
        });
    }
    Ok(())
}

/// A checked answer, ready to write.
struct Plan {
    k: Kommunenr,
    task_id: i64,
    defects: Defects,
    fordring_id: String,
    cpr: String,
    actor: String,
    summary: String,
    resolution: Resolution,
}

impl Plan {
    /// The write: `None` when the task was closed or its defects changed since it was checked.
    fn write(self, tx: &mut SyncTx<'_>) -> Result<Option<Resolved>, AppError> {
        let facts = self.facts();
        let written = resolution::record(tx.db, facts.resolution(&self))?;
        self.finish(written, |k, delta| tx.count(k, delta))
    }

    /// `write` through sqlx (PostgreSQL), with the person's tasks held first.
    async fn write_async(self, tx: &mut WriteTx) -> Result<Option<Resolved>, AppError> {
        tasks::lock_person(tx, self.k.get(), tasks::PersonOf::Task(self.task_id)).await?;
        let facts = self.facts();
        let written = resolution::record_async(tx, facts.resolution(&self)).await?;
        self.finish(written, |k, delta| tx.count(k, delta))
    }

    fn facts(&self) -> Facts {
        let now = clock::stamp(clock::now());
        let detail = format!("opgave {}, fordring {}: {}", self.task_id, self.fordring_id, self.summary);
        let because = reclassify_because(self.task_id, &self.fordring_id, &self.resolution);
        Facts { processed_cause: processed_cause(self.task_id), now, detail, because }
    }

    /// The counters and the answer, from what was written.
    fn finish(
        self,
        written: Option<resolution::Written>,
        count: impl FnOnce(Kommunenr, &CountDelta),
    ) -> Result<Option<Resolved>, AppError> {
        let (k, task_id) = (self.k, self.task_id);
        let Some(w) = written else { return Ok(None) };
        let opgavepakke = Opgavepakke::new(w.opgavepakke).ok_or(AppError::Internal)?;
        let mut delta = CountDelta::default();
        delta.add(opgavepakke, -1);
        delta.add(Opgavepakke::VENTETRIN, -((w.processed + w.others_processed) as i64));
        for (from, to) in &w.moves {
            delta.add(Opgavepakke::new(*from).ok_or(AppError::Internal)?, -1);
            if let Some(to) = to {
                delta.add(Opgavepakke::new(*to).ok_or(AppError::Internal)?, 1);
            }
        }
        count(k, &delta);
        Ok(Some(Resolved {
            task_id,
            opgavepakke,
            processed_daekninger: w.processed,
            andre_flyttet: w.moves.iter().filter(|(_, to)| to.is_some()).count(),
            andre_loest: w.moves.iter().filter(|(_, to)| to.is_none()).count(),
        }))
    }
}

/// What a resolve writes beside the answer: when, the audit detail, the causes.
struct Facts {
    now: String,
    detail: String,
    because: Option<String>,
    processed_cause: String,
}

impl Facts {
    fn resolution<'a>(&'a self, plan: &'a Plan) -> resolution::Resolution<'a> {
        let r = &plan.resolution;
        resolution::Resolution {
            kommune: plan.k.get(),
            task_id: plan.task_id,
            to_fix_bits: plan.defects.to_fix_bits(),
            fordring_id: &plan.fordring_id,
            cpr: &plan.cpr,
            at: &self.now,
            actor: &plan.actor,
            summary: &plan.summary,
            processed_cause: &self.processed_cause,
            audit_detail: &self.detail,
            update: extract::FordringUpdate {
                kravtype_bekraeftet: plan.defects.k,
                bevilling_id: r.bevilling_id.clone(),
                ydelsesreference: r.ydelsesreference.clone(),
                kravtype: r.kravtype.clone(),
                udbetalingsparagraf: r.udbetalingsparagraf.clone(),
                tilbagebetalingsparagraf: r.tilbagebetalingsparagraf.clone(),
            },
            reclassify_because: self.because.as_deref(),
        }
    }
}

/// What in the answer can change "samme kravtype" for the person's other fordringer, as the
/// cause of their moves; `None` when nothing can (then they are not looked at).
fn reclassify_because(task_id: i64, fordring_id: &str, r: &Resolution) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(b) = &r.bevilling_id {
        parts.push(format!("bevilling {b} blev valgt på fordring {fordring_id}"));
    }
    if let Some(kt) = &r.kravtype {
        parts.push(format!("kravtypen på fordring {fordring_id} blev bekræftet som \"{kt}\""));
    }
    (!parts.is_empty()).then(|| format!("{} (opgave {task_id})", parts.join(" og ")))
}

fn summarize(r: &Resolution) -> String {
    let mut parts = Vec::new();
    if let Some(b) = &r.bevilling_id {
        parts.push(format!("bevilling {b} valgt"));
    }
    if let Some(y) = &r.ydelsesreference {
        parts.push(format!("ydelsesreference {y} angivet"));
    }
    if let Some(kt) = &r.kravtype {
        parts.push(format!("kravtype \"{kt}\" bekræftet"));
    }
    if let (Some(u), Some(t)) = (&r.udbetalingsparagraf, &r.tilbagebetalingsparagraf) {
        parts.push(format!("paragraffer angivet ({u} / {t})"));
    }
    format!("Løst: {}.", parts.join(", "))
}

/// Why a resolve's write job on PostgreSQL did not commit.
enum Refused {
    /// Closed, changed or taken since it was checked.
    Changed,
    Error(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Self {
        Refused::Error(e)
    }
}
