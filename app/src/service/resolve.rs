//! Resolving an "Opret fordringssag" task: validate what the caseworker supplied, write it to
//! the fordring, close the task, process its ventetrin dækninger, update the counters — one
//! transaction — then push the new counts.

use super::{Actor, refuse};
use crate::clock;
use crate::domain::daekning::processed_cause;
use crate::domain::opgavepakke::PakkeCounts;
use crate::domain::resolve::{ResolveInput, validate};
use crate::domain::{Defects, Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::task::Resolved;
use crate::state::AppContext;
use crate::store::counters::{self, CountDelta};
use crate::store::tasks::{self, HistoryEntry};
use crate::store::{Conn, audit, extract, users};

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
    // Who may touch the task is settled before the write (a refusal is audited on its own).
    let kommune = {
        let mut conn = ctx.db.read.acquire().await?;
        tasks::get(&mut conn, task_id).await?.ok_or_else(|| AppError::NotFound("Opgaven".into()))?.kommune
    };
    let k = Kommunenr::try_from(kommune as u16).map_err(|_| AppError::Internal)?;
    if !actor.may_see_kommune(k) {
        return refuse(ctx, actor, Some(k), None, &format!("løs opgave {task_id}")).await;
    }
    let (actor_name, input) = (actor.name(), input.clone());
    let (resolved, counts) = ctx
        .writer
        .run(move |conn| Box::pin(async move { resolve_in(conn, k, &actor_name, task_id, &input).await }))
        .await?;
    ctx.live.publish(k, counts);
    Ok(resolved)
}

/// The write itself, inside a group-commit savepoint.
async fn resolve_in(
    conn: &mut Conn,
    k: Kommunenr,
    actor_name: &str,
    task_id: i64,
    input: &ResolveInput,
) -> Result<(Resolved, PakkeCounts), AppError> {
    let task = tasks::get(conn, task_id).await?.ok_or_else(|| AppError::NotFound("Opgaven".into()))?;
    if task.kommune != i64::from(k.get()) {
        return Err(AppError::Forbidden);
    }
    if task.kind != "opret" {
        return Err(AppError::Refused(
            "Dækninger i ventetrin (09) behandles automatisk, når fordringens Opret fordringssag-opgave er løst."
                .into(),
        ));
    }
    if !task.is_open {
        let by = task.closed_by.unwrap_or_default();
        let by = users::display_name(conn, &by).await?.unwrap_or(by);
        return Err(AppError::AlreadyResolved {
            by,
            at: task.closed_at.as_deref().map(clock::display_stamp).unwrap_or_default(),
        });
    }
    let pakke = Opgavepakke::new(task.opgavepakke).ok_or(AppError::Internal)?;
    let fordring = extract::fordring(conn, k.get(), &task.fordring_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Fordringen".into()))?;
    let candidates: Vec<String> = extract::bevillinger_of_person(conn, k.get(), &fordring.cpr)
        .await?
        .into_iter()
        .map(|b| b.bevilling_id)
        .collect();
    let defects = Defects::from_bits(task.defects);
    let resolution = validate(defects, input, &candidates)?;
    let summary = summarize(&resolution);
    extract::update_fordring(
        conn,
        k.get(),
        &fordring.fordring_id,
        extract::FordringUpdate {
            kravtype_bekraeftet: defects.k,
            bevilling_id: resolution.bevilling_id,
            ydelsesreference: resolution.ydelsesreference,
            kravtype: resolution.kravtype,
            udbetalingsparagraf: resolution.udbetalingsparagraf,
            tilbagebetalingsparagraf: resolution.tilbagebetalingsparagraf,
        },
    )
    .await?;

    let now = clock::stamp(clock::now());
    if !tasks::close_if_open(conn, task_id, actor_name, &now).await? {
        return Err(AppError::Refused("Opgaven blev lukket samtidig af en anden. Genindlæs siden.".into()));
    }
    tasks::record_history(
        conn,
        &HistoryEntry {
            task_id,
            at: &now,
            event: "loest",
            from: Some(pakke),
            to: None,
            cause: &summary,
            actor: actor_name,
        },
    )
    .await?;

    let mut delta = CountDelta::default();
    delta.add(pakke, -1);
    let waiting = tasks::open_ventetrin_of_fordring(conn, k.get(), &fordring.fordring_id).await?;
    let cause = processed_cause(task_id);
    for (ventetrin_id, _) in &waiting {
        tasks::close_if_open(conn, *ventetrin_id, "system", &now).await?;
        tasks::record_history(
            conn,
            &HistoryEntry {
                task_id: *ventetrin_id,
                at: &now,
                event: "behandlet",
                from: Some(Opgavepakke::VENTETRIN),
                to: None,
                cause: &cause,
                actor: "system",
            },
        )
        .await?;
        delta.add(Opgavepakke::VENTETRIN, -1);
    }
    let daekning_ids: Vec<String> = waiting.iter().map(|(_, d)| d.clone()).collect();
    extract::mark_daekninger_processed(conn, k.get(), &daekning_ids, &now).await?;
    let counts = counters::apply(conn, k, &delta).await?;
    audit::record(
        conn,
        &audit::AuditEntry {
            actor: actor_name,
            kommune: Some(k.get()),
            cpr: Some(&fordring.cpr),
            action: "løs opgave",
            detail: format!("opgave {task_id}, fordring {}: {summary}", fordring.fordring_id),
        },
    )
    .await?;
    let next_task = tasks::peek_next(conn, k.get(), pakke, &now).await?;
    Ok((Resolved { task_id, pakke, processed_daekninger: waiting.len(), next_task }, counts))
}

fn summarize(r: &crate::domain::resolve::Resolution) -> String {
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
