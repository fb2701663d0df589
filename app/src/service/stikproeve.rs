//! Stikprøve (DOMAIN.md A, "Steering MI 38"): the kommune's project lead draws a random sample
//! of the open tasks that fell to paragraf- and/or kravtypekontrol (seed recorded, so the draw
//! can be redone); its caseworkers and project lead check each item against KMD Aktiv; the
//! results per control (error rate, 95 % Wilson interval) are what the kommune decides
//! automation on.
//!
//! Who: the results are read by the kommune's projektleder, sagsbehandlere and
//! supportberettigede (and KOMBIT) — they show no CPR. Drawing: the kommune's projektleder.
//! Checking (the item shows the person's CPR, so reading it is audited): the kommune's
//! sagsbehandlere and projektleder. Every refusal is audited.

use super::{Actor, refuse, refuse_kommune, require_kommune};
use crate::clock;
use crate::domain::resolve::FieldError;
use crate::domain::stikproeve::{self as rules, DrawForm, Kontrol, Tally};
use crate::domain::{Beloeb, Kommunenr, Opgavepakke, Role, check_text};
use crate::error::AppError;
use crate::model::stikproeve::{CheckInput, ControlResult, ItemDetail, ItemSummary, Stikproeve, StikproeveView};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::stikproeve::{self as store, Check, ItemRow, NewStikproeve, StikproeveRow};
use crate::store::{Conn, extract, users};

const MAX_NOTE: usize = 1_000;

fn role_of(actor: &Actor) -> Option<Role> {
    match actor {
        Actor::User(u) => Some(u.role),
        _ => None,
    }
}

/// The results page: the stikprøve `id` (default: the newest) and what the user may do.
pub async fn view(ctx: &AppContext, actor: &Actor, k: Kommunenr, id: Option<i64>) -> Result<StikproeveView, AppError> {
    require_kommune(ctx, actor, k, "stikprøve").await?;
    let role = role_of(actor);
    let reads = matches!(role, Some(Role::Projektleder | Role::Sagsbehandler | Role::Supportberettiget | Role::Kombit));
    if !reads {
        return refuse(ctx, actor, Some(k), None, "stikprøve").await;
    }
    let mut conn = ctx.db.read.acquire().await?;
    let all = store::of_kommune(&mut conn, k.get()).await?;
    let chosen = match id {
        Some(id) => Some(all.iter().find(|s| s.id == id).ok_or_else(|| AppError::NotFound("Stikprøven".into()))?),
        None => all.first(),
    };
    let current = match chosen {
        Some(row) => Some(summary(&mut conn, row).await?),
        None => None,
    };
    Ok(StikproeveView {
        kommune: k,
        may_draw: role == Some(Role::Projektleder),
        may_check: matches!(role, Some(Role::Projektleder | Role::Sagsbehandler)),
        population_now: store::population_sizes(&mut conn, k.get()).await?,
        current,
        all: all.iter().map(|s| (s.id, clock::display_stamp(&s.drawn_at))).collect(),
    })
}

async fn name_of(conn: &mut Conn, username: &str) -> Result<String, sqlx::Error> {
    Ok(users::display_name(conn, username).await?.unwrap_or_else(|| username.to_string()))
}

fn answers(row: &ItemRow) -> Vec<(Kontrol, Option<bool>)> {
    let mut out = Vec::new();
    if row.p {
        out.push((Kontrol::Paragraf, row.p_correct));
    }
    if row.k {
        out.push((Kontrol::Kravtype, row.k_correct));
    }
    out
}

async fn checked_text(conn: &mut Conn, row: &ItemRow) -> Result<Option<String>, sqlx::Error> {
    Ok(match (&row.checked_by, &row.checked_at) {
        (Some(by), Some(at)) => Some(format!("{} {}", name_of(conn, by).await?, clock::display_stamp(at))),
        _ => None,
    })
}

fn pakke_code(nr: i64) -> String {
    u8::try_from(nr).ok().and_then(Opgavepakke::new).map(Opgavepakke::code).unwrap_or_default()
}

async fn summary(conn: &mut Conn, row: &StikproeveRow) -> Result<Stikproeve, AppError> {
    let items = store::items(conn, row.id).await?;
    let (mut p, mut kk) = (Tally::default(), Tally::default());
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        p.add(item.p, item.p_correct);
        kk.add(item.k, item.k_correct);
        out.push(ItemSummary {
            position: item.position,
            task_id: item.task_id,
            fordring_id: item.fordring_id.clone(),
            opgavepakke: pakke_code(item.opgavepakke),
            is_open: item.is_open,
            answers: answers(item),
            checked: checked_text(conn, item).await?,
        });
    }
    let mut results = Vec::new();
    if row.paragrafkontrol {
        results.push(ControlResult { kontrol: Kontrol::Paragraf, tally: p, rate: p.rate_text() });
    }
    if row.kravtypekontrol {
        results.push(ControlResult { kontrol: Kontrol::Kravtype, tally: kk, rate: kk.rate_text() });
    }
    Ok(Stikproeve {
        id: row.id,
        kommune: Kommunenr::try_from(row.kommune as u16).map_err(|_| AppError::Internal)?,
        paragrafkontrol: row.paragrafkontrol,
        kravtypekontrol: row.kravtypekontrol,
        seed: u32::try_from(row.seed).map_err(|_| AppError::Internal)?,
        population: row.population,
        requested: row.requested.clone(),
        drawn_by: name_of(conn, &row.drawn_by).await?,
        drawn_at: clock::display_stamp(&row.drawn_at),
        results,
        items: out,
    })
}

/// The kommune's project lead draws a stikprøve. The seed is the one given, or a random one;
/// either way it is recorded with the population size and the drawn tasks.
pub async fn draw(ctx: &AppContext, actor: &Actor, k: Kommunenr, form: &DrawForm) -> Result<Stikproeve, AppError> {
    if !actor.may_see_kommune(k) {
        return refuse_kommune(ctx, actor, k, "træk stikprøve").await;
    }
    if !matches!(actor, Actor::User(u) if u.role == Role::Projektleder && u.kommune == Some(k)) {
        return refuse(ctx, actor, Some(k), None, "træk stikprøve").await;
    }
    let spec = form.parse()?;
    let mut conn = ctx.db.read.acquire().await?;
    let population = store::population(&mut conn, k.get(), spec.paragrafkontrol, spec.kravtypekontrol).await?;
    drop(conn);
    let size = spec.size.resolve(u32::try_from(population.len()).unwrap_or(u32::MAX))?;
    let seed = spec.seed.unwrap_or_else(rand::random);
    let ids: Vec<i64> = population.iter().map(|(id, _, _)| *id).collect();
    let drawn = rules::draw(seed, &ids, size as usize);
    let by_id: std::collections::HashMap<i64, (bool, bool)> =
        population.iter().map(|(id, p, kk)| (*id, (*p, *kk))).collect();
    let items: Vec<(i64, bool, bool)> = drawn.iter().map(|id| (*id, by_id[id].0, by_id[id].1)).collect();
    let requested = spec.size.describe();
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let n = population.len() as i64;
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::DrawStikproeve,
        detail: format!(
            "{}: {} af {n} opgaver ({requested}), frø {seed}",
            crate::model::automation::controls(spec.paragrafkontrol, spec.kravtypekontrol),
            items.len()
        ),
    };
    let (p, kk) = (spec.paragrafkontrol, spec.kravtypekontrol);
    let id = ctx
        .write(move |tx| {
            Box::pin(async move {
                let new = NewStikproeve {
                    kommune: k.get(),
                    paragrafkontrol: p,
                    kravtypekontrol: kk,
                    seed,
                    population: n,
                    requested: &requested,
                    drawn_by: &by,
                    drawn_at: &at,
                };
                let id = store::insert(tx, &new, &items).await?;
                audit::record(tx, &entry).await?;
                tx.touch(k);
                Ok::<_, AppError>(id)
            })
        })
        .await?;
    let mut conn = ctx.db.read.acquire().await?;
    let row = store::get(&mut conn, id).await?.ok_or(AppError::Internal)?;
    summary(&mut conn, &row).await
}

/// Whether the actor may check items of `k`: its sagsbehandlere and projektleder.
async fn require_checker(ctx: &AppContext, actor: &Actor, k: Kommunenr, what: &str) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, what).await?;
    if matches!(role_of(actor), Some(Role::Sagsbehandler | Role::Projektleder)) {
        Ok(())
    } else {
        refuse(ctx, actor, Some(k), None, what).await
    }
}

async fn stikproeve_of(conn: &mut Conn, id: i64) -> Result<(StikproeveRow, Kommunenr), AppError> {
    let row = store::get(conn, id).await?.ok_or_else(|| AppError::NotFound("Stikprøven".into()))?;
    let k = Kommunenr::try_from(row.kommune as u16).map_err(|_| AppError::Internal)?;
    Ok((row, k))
}

/// One item to check, with the fordring's facts. Shows the person's CPR: the read is audited.
pub async fn item(ctx: &AppContext, actor: &Actor, stikproeve_id: i64, task_id: i64) -> Result<ItemDetail, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let (_, k) = stikproeve_of(&mut conn, stikproeve_id).await?;
    drop(conn);
    require_checker(ctx, actor, k, &format!("stikprøve {stikproeve_id}, opgave {task_id}")).await?;
    let detail = detail(ctx, k, stikproeve_id, task_id).await?;
    ctx.audit(vec![AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: Some(detail.cpr.clone()),
        action: AuditAction::ShowStikproeveItem,
        detail: format!("stikprøve {stikproeve_id}, opgave {task_id}"),
    }])
    .await?;
    Ok(detail)
}

async fn detail(ctx: &AppContext, k: Kommunenr, stikproeve_id: i64, task_id: i64) -> Result<ItemDetail, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let row = store::item(&mut conn, stikproeve_id, task_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Punktet i stikprøven".into()))?;
    let all = store::items(&mut conn, stikproeve_id).await?;
    let unchecked = |i: &&ItemRow| i.checked_at.is_none() && i.task_id != task_id;
    let next_unchecked = all
        .iter()
        .filter(unchecked)
        .find(|i| i.position > row.position)
        .or_else(|| all.iter().find(unchecked))
        .map(|i| i.task_id);
    Ok(ItemDetail {
        stikproeve_id,
        kommune: k,
        task_id,
        position: row.position,
        count: all.len() as i64,
        navn: extract::person_name(&mut conn, k.get(), &row.cpr).await?.unwrap_or_default(),
        fordring_id: row.fordring_id.clone(),
        opgavepakke: pakke_code(row.opgavepakke),
        is_open: row.is_open,
        kravtype: row.kravtype.clone(),
        udbetalingsparagraf: row.udbetalingsparagraf.clone(),
        tilbagebetalingsparagraf: row.tilbagebetalingsparagraf.clone(),
        bevilling: row.bevilling_id.as_ref().map(|b| match &row.bevillingstype {
            Some(t) => format!("{b} ({t})"),
            None => b.clone(),
        }),
        ydelsesreference: row.ydelsesreference.clone(),
        beloeb: Beloeb(row.hovedstol),
        answers: answers(&row),
        note: row.note.clone().unwrap_or_default(),
        checked: checked_text(&mut conn, &row).await?,
        version: row.version,
        next_unchecked,
        may_check: true,
        cpr: row.cpr,
    })
}

fn answer(field: &str, kontrol: Kontrol, value: &str, errors: &mut Vec<FieldError>) -> Option<bool> {
    match value {
        "ja" => Some(true),
        "nej" => Some(false),
        _ => {
            errors.push(FieldError::new(field, format!("Svar ja eller nej: {}", kontrol.question().to_lowercase())));
            None
        }
    }
}

/// Records a check of one item. Guarded: when someone saved the item after the checker opened
/// it, nothing is overwritten and the checker is told who answered.
pub async fn check(ctx: &AppContext, actor: &Actor, input: &CheckInput) -> Result<ItemDetail, AppError> {
    let (sid, task_id) = (input.stikproeve_id, input.task_id);
    let mut conn = ctx.db.read.acquire().await?;
    let (_, k) = stikproeve_of(&mut conn, sid).await?;
    drop(conn);
    require_checker(ctx, actor, k, &format!("kontrollér stikprøve {sid}, opgave {task_id}")).await?;
    let mut conn = ctx.db.read.acquire().await?;
    let row =
        store::item(&mut conn, sid, task_id).await?.ok_or_else(|| AppError::NotFound("Punktet i stikprøven".into()))?;
    drop(conn);
    let mut errors = Vec::new();
    let p_correct = row.p.then(|| answer("paragraf", Kontrol::Paragraf, &input.paragraf, &mut errors)).flatten();
    let k_correct = row.k.then(|| answer("kravtype", Kontrol::Kravtype, &input.kravtype, &mut errors)).flatten();
    let note = input.note.trim().to_string();
    if let Err(problem) = check_text(&note, MAX_NOTE) {
        errors.push(FieldError::new("note", format!("Noten {problem}.")));
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let word = |v: Option<bool>| if v == Some(true) { "rigtig" } else { "forkert" };
    let answered: Vec<String> = [("paragraf", row.p, p_correct), ("kravtype", row.k, k_correct)]
        .iter()
        .filter(|(_, applies, _)| *applies)
        .map(|(what, _, v)| format!("{what} {}", word(*v)))
        .collect();
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: Some(k.get()),
        cpr: Some(row.cpr.clone()),
        action: AuditAction::CheckStikproeveItem,
        detail: format!(
            "stikprøve {sid}, opgave {task_id}: {}{}",
            answered.join(", "),
            if note.is_empty() { String::new() } else { format!("; note: {note}") }
        ),
    };
    let expected = input.version;
    let recorded = ctx
        .write(move |tx| {
            Box::pin(async move {
                let c =
                    Check { p_correct, k_correct, note: (!note.is_empty()).then_some(note.as_str()), by: &by, at: &at };
                if !store::record_check(tx, sid, task_id, expected, &c).await? {
                    return Ok(false);
                }
                audit::record(tx, &entry).await?;
                // A snapshot goes out: open results pages refetch.
                tx.touch(k);
                Ok::<_, AppError>(true)
            })
        })
        .await?;
    if !recorded {
        let mut conn = ctx.db.read.acquire().await?;
        let now = store::item(&mut conn, sid, task_id).await?.ok_or(AppError::Internal)?;
        let who = checked_text(&mut conn, &now).await?.unwrap_or_else(|| "en kollega".into());
        return Err(AppError::Refused(format!(
            "Punktet blev kontrolleret af {who}, mens du havde det åbent. Dit svar er ikke gemt: se kollegaens svar og gem igen, hvis du vil ændre det."
        )));
    }
    detail(ctx, k, sid, task_id).await
}
