//! Reading tasks: an opgavepakke's list, the task page, and "Næste opgave". Every person shown is
//! written to the audit log.

use super::{Actor, refuse_kommune, require_kommune};
use crate::clock;
use crate::domain::defects::{ExplainFacts, ventetrin_explanation};
use crate::domain::{Beloeb, Defects, Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::task::{
    BevillingView, DaekningView, FordringView, HistoryEvent, HistoryView, PersonView, TaskKind, TaskListItem, TaskPage,
};
use crate::model::{ListQuery, TaskDetail};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::distribution::{self, Scope};
use crate::store::{extract, fremdrift, plan, tasks, users};

use crate::domain::cpr::display as display_cpr;

pub async fn list_opgavepakke(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    opgavepakke: Opgavepakke,
    q: &ListQuery,
) -> Result<TaskPage, AppError> {
    require_kommune(ctx, actor, k, "opgaveliste").await?;
    let now = clock::stamp(clock::now());
    let (rows, total, caseworkers) = {
        let mut conn = ctx.db.read.acquire().await?;
        let (rows, total) = tasks::list_open(&mut conn, k.get(), opgavepakke, q, &now).await?;
        (rows, total, users::caseworkers(&mut conn, k.get()).await?)
    };
    ctx.audit(AuditEntry::per_cpr(
        &actor.name(),
        k.get(),
        rows.iter().map(|r| r.cpr.as_str()),
        AuditAction::ShowTaskList,
        &format!("opgavepakke {opgavepakke}"),
    ))
    .await?;
    Ok(TaskPage {
        kommune: k,
        opgavepakke,
        items: rows
            .into_iter()
            .map(|r| TaskListItem {
                id: r.id,
                cpr: display_cpr(&r.cpr),
                navn: r.navn,
                fordring_id: r.fordring_id,
                hovedstol: Beloeb(r.hovedstol),
                stiftet: clock::display_date(&r.stiftet),
                sagsbehandler: r.sagsbehandler,
                defects: Defects::from_bits(r.defects),
                claimed_by: r.claimed_by,
            })
            .collect(),
        total,
        page: q.page.max(0),
        page_size: crate::model::task::PAGE_SIZE,
        caseworkers,
    })
}

/// Hands the caller their next task (held for them for 15 minutes) by the kommune's plan: from
/// one opgavepakke when a package page asks, else from all in the kommune's order
/// (`store::distribution`). Refused, with the reason, when the plan names who works MI 38 and
/// the caller is not among them.
pub async fn next_task(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    opgavepakke: Option<Opgavepakke>,
) -> Result<Option<i64>, AppError> {
    require_kommune(ctx, actor, k, "næste opgave").await?;
    let plan = {
        let mut conn = ctx.db.read.acquire().await?;
        plan::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?
    };
    let by = actor.name();
    if !plan.works_mi38(&by) {
        return Err(AppError::Refused(format!(
            "{} arbejder {} med MI 38: kun {} tager opgaver. Spørg projektlederen, hvis du skal være med.",
            k.navn(),
            plan.tilgang.label().to_lowercase(),
            plan.medarbejdere.join(", ")
        )));
    }
    let packages = match opgavepakke {
        Some(p) => vec![p],
        None => plan.order(),
    };
    let now = clock::now();
    let (at, until) = (clock::stamp(now), clock::stamp(now + chrono::Duration::minutes(15)));
    let tilgang = plan.tilgang;
    ctx.write(move |tx| {
        Box::pin(async move {
            let scope = Scope { kommune: k.get(), tilgang, packages: &packages, username: &by };
            Ok(distribution::claim_next(tx, &scope, &at, &until).await?)
        })
    })
    .await
}

pub async fn task_detail(ctx: &AppContext, actor: &Actor, task_id: i64) -> Result<TaskDetail, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let task = tasks::get(&mut conn, task_id).await?.ok_or_else(|| AppError::NotFound("Opgaven".into()))?;
    let k = Kommunenr::try_from(task.kommune as u16).map_err(|_| AppError::Internal)?;
    if !actor.may_see_kommune(k) {
        drop(conn);
        return refuse_kommune(ctx, actor, k, &format!("opgave {task_id}")).await;
    }
    let f = extract::fordring(&mut conn, k.get(), &task.fordring_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Fordringen".into()))?;
    let navn = extract::person_name(&mut conn, k.get(), &f.cpr).await?.unwrap_or_default();
    let ventetrin: std::collections::HashMap<String, i64> =
        tasks::ventetrin_tasks_of_fordring(&mut conn, k.get(), &f.fordring_id).await?.into_iter().collect();
    let daekninger: Vec<DaekningView> = extract::daekninger_of_fordring(&mut conn, k.get(), &f.fordring_id)
        .await?
        .into_iter()
        .map(|d| DaekningView {
            task_id: ventetrin.get(&d.daekning_id).copied(),
            daekning_id: d.daekning_id,
            art: d.art,
            beloeb: Beloeb(d.beloeb),
            dato: clock::display_date(&d.dato),
            modtaget: clock::display_stamp(&d.modtaget),
            behandlet: d.behandlet.as_deref().map(clock::display_stamp),
        })
        .collect();
    let bevillinger = extract::bevillinger_of_person(&mut conn, k.get(), &f.cpr)
        .await?
        .into_iter()
        .map(|b| BevillingView {
            is_fordringens: f.bevilling_id.as_deref() == Some(b.bevilling_id.as_str()),
            bevilling_id: b.bevilling_id,
            bevillingstype: b.bevillingstype,
            status: b.status,
            fra: clock::display_date(&b.fra),
            til: b.til.as_deref().map(clock::display_date),
            sagsmappe_id: b.sagsmappe_id,
            sagsbehandler: b.sagsbehandler,
            ydelsesarter: b.ydelsesarter.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default(),
        })
        .collect();
    let history_rows = tasks::history(&mut conn, task_id).await?;
    let first_opgavepakke = history_rows.iter().find_map(|h| h.from_opgavepakke).unwrap_or(i64::from(task.opgavepakke));
    let mut history = vec![HistoryView {
        at: clock::display_stamp(&task.created_at),
        event: HistoryEvent::Oprettet,
        from_opgavepakke: None,
        to_opgavepakke: Opgavepakke::from_stored(first_opgavepakke),
        cause: if task.kind == TaskKind::Daekning {
            "Oprettet i ventetrin, fordi dækningen kom, mens fordringens Opret fordringssag-opgave var åben.".into()
        } else {
            "Oprettet ved sagstilknytningen af KMD Aktiv-fordringer (indlæst udtræk).".into()
        },
        actor: "system".into(),
    }];
    for h in history_rows {
        history.push(HistoryView {
            at: clock::display_stamp(&h.at),
            event: h.event,
            from_opgavepakke: h.from_opgavepakke.and_then(Opgavepakke::from_stored),
            to_opgavepakke: h.to_opgavepakke.and_then(Opgavepakke::from_stored),
            cause: h.cause,
            actor: match users::display_name(&mut conn, &h.actor).await? {
                Some(name) => name,
                None => h.actor,
            },
        });
    }
    let waits_for = if task.kind == TaskKind::Daekning {
        tasks::opret_of_fordring(&mut conn, k.get(), &task.fordring_id).await?
    } else {
        None
    };
    let closed_by = match &task.closed_by {
        Some(u) => Some(users::display_name(&mut conn, u).await?.unwrap_or_else(|| u.clone())),
        None => None,
    };
    // The explanation reads the facts the classification reads (`domain::defects`).
    let why = match task.kind {
        TaskKind::Daekning => ventetrin_explanation(task.daekning_id.as_deref().unwrap_or_default(), waits_for),
        TaskKind::Opret => {
            let siblings = extract::fordringer_of_person(&mut conn, k.get(), &f.cpr).await?;
            let trim = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
            let samme = siblings
                .iter()
                .find(|s| {
                    s.fordring_id != f.fordring_id
                        && trim(&s.kravtype).is_some()
                        && trim(&s.kravtype) == trim(&f.kravtype)
                        && s.bevilling_id != f.bevilling_id
                })
                .map(|s| s.fordring_id.clone());
            Defects::from_bits(task.defects).explain(&ExplainFacts {
                kravtype: f.kravtype.as_deref(),
                samme_kravtype_som: samme.as_deref(),
                udbetalingsparagraf: f.udbetalingsparagraf.as_deref(),
                tilbagebetalingsparagraf: f.tilbagebetalingsparagraf.as_deref(),
                daekninger: daekninger.len(),
            })
        }
    };
    let now = clock::stamp(clock::now());
    let (claimed_by, claimed_by_me, claimed_until) = match (&task.claimed_by, &task.claimed_until) {
        (Some(u), Some(until)) if until.as_str() > now.as_str() => (
            Some(users::display_name(&mut conn, u).await?.unwrap_or_else(|| u.clone())),
            *u == actor.name(),
            clock::parse_stamp(until).map(clock::hh_mm),
        ),
        _ => (None, false, None),
    };
    let mut take_overs = Vec::new();
    for (at, from, to) in tasks::take_overs(&mut conn, task_id).await? {
        let from = users::display_name(&mut conn, &from).await?.unwrap_or(from);
        let to = users::display_name(&mut conn, &to).await?.unwrap_or(to);
        take_overs.push(format!("{}: {to} overtog opgaven fra {from}", clock::display_stamp(&at)));
    }
    let known = super::resolve::known_values(&mut conn, k, &f.cpr, &f.fordring_id, Defects::FORM).await?;
    let (tildelt, tildelt_af) = match distribution::handed_to(&mut conn, k.get(), &f.cpr).await? {
        Some((to, by, at)) => {
            let to = users::display_name(&mut conn, &to).await?.unwrap_or(to);
            let by = users::display_name(&mut conn, &by).await?.unwrap_or(by);
            (Some(to), Some(format!("{by} {}", clock::display_stamp(&at))))
        }
        None => (None, None),
    };
    drop(conn);

    let shown = AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: Some(f.cpr.clone()),
        action: AuditAction::ShowTask,
        detail: format!("opgave {task_id}, fordring {}", f.fordring_id),
    };
    // A caseworker opening an open task starts the clock on it (time per task, "Fremdrift");
    // in the same write as the audit row of the read.
    let opens = matches!(actor, Actor::User(u) if u.role.works_tasks()) && task.is_open;
    let (username, at) = (actor.name(), now.clone());
    ctx.write(move |tx| {
        Box::pin(async move {
            audit::record(tx, &shown).await?;
            if opens {
                fremdrift::opened(tx, task_id, &username, &at).await?;
            }
            Ok(())
        })
    })
    .await?;

    Ok(TaskDetail {
        id: task.id,
        kind: task.kind,
        kommune: k,
        opgavepakke: Opgavepakke::new(task.opgavepakke).ok_or(AppError::Internal)?,
        defects: Defects::from_bits(task.defects),
        is_open: task.is_open,
        closed_by,
        closed_at: task.closed_at.as_deref().map(clock::display_stamp),
        claimed_by,
        claimed_by_me,
        claimed_until,
        take_overs,
        person: PersonView { cpr: display_cpr(&f.cpr), navn },
        fordring: FordringView {
            fordring_id: f.fordring_id,
            bevilling_id: f.bevilling_id,
            ydelsesreference: f.ydelsesreference,
            kravtype: f.kravtype,
            kravtype_bekraeftet: f.kravtype_bekraeftet,
            udbetalingsparagraf: f.udbetalingsparagraf,
            tilbagebetalingsparagraf: f.tilbagebetalingsparagraf,
            hovedstol: Beloeb(f.hovedstol),
            stiftet: clock::display_date(&f.stiftet),
        },
        daekninger,
        bevillinger,
        history,
        waits_for,
        known,
        tilbagefoersel: task.tilbagefoersel,
        tildelt,
        tildelt_af,
        why,
    })
}
