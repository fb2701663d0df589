//! Progress against the deadlines for one kommune (page "Fremdrift"): per group (med / uden)
//! and per opgavepakke the open tasks per day since the import, the pace of the last two weeks
//! and the day it leads to, the hours left from the measured time per task, and the caseworkers
//! it takes to make each deadline at the planned hours a week.

use super::{Actor, require_kommune};
use crate::clock;
use crate::domain::fremdrift::{Staffing, fill_days, minutes_per_task, projected_finish, reached_zero, recent_pace};
use crate::domain::opgavepakke::Gruppe;
use crate::domain::plan::{Plan, Ressourcer, Tilgang};
use crate::domain::{Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::fremdrift::{Burn, Fremdrift, GroupProgress, PackageProgress};
use crate::state::AppContext;
use crate::store::{counters, fremdrift, plan, users};
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub async fn fremdrift(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<Fremdrift, AppError> {
    require_kommune(ctx, actor, k, "fremdrift for MI 38").await?;
    if ctx.db.is_postgres() {
        // The day rows of the last moment's changes are kept when they are folded (a second at
        // most): fold now, so the burn-down shows every change up to this read.
        ctx.db.write(move |tx| Box::pin(async move { Ok(counters::fold(tx, k.get()).await.map(|_| ())?) })).await?;
    }
    let mut conn = ctx.db.read.acquire().await?;
    let plan = plan::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?;
    let counts = counters::read(&mut conn, k).await?;
    let rows = fremdrift::days(&mut conn, k.get()).await?;
    let mut seconds = BTreeMap::new();
    for p in Opgavepakke::all() {
        seconds.insert(p.nr(), fremdrift::measured_seconds(&mut conn, k.get(), p.nr()).await?);
    }
    let planned = match plan.ressourcer == Ressourcer::Alle && plan.tilgang != Tilgang::Fokuseret {
        true => users::count_sagsbehandlere(&mut conn, k.get()).await?.max(0) as u32,
        false => plan.medarbejdere.len() as u32,
    };
    drop(conn);

    let today = clock::today();
    // Per opgavepakke: the kept days, today's count from the counters (they are the truth).
    let mut points: BTreeMap<u8, Vec<(NaiveDate, i64)>> = BTreeMap::new();
    for (dag, p, open) in rows {
        if let Ok(day) = NaiveDate::parse_from_str(&dag, "%Y-%m-%d") {
            points.entry(p).or_default().push((day, open));
        }
    }
    let first = points.values().flatten().map(|(d, _)| *d).min().unwrap_or(today).min(today);
    let series = |p: Opgavepakke| -> Vec<(NaiveDate, i64)> {
        let mut pts = vec![(first, 0)];
        pts.extend(points.get(&p.nr()).into_iter().flatten().copied());
        pts.push((today, counts.get(p)));
        fill_days(&pts, today)
    };
    let per_package: BTreeMap<u8, Vec<(NaiveDate, i64)>> = Opgavepakke::all().map(|p| (p.nr(), series(p))).collect();

    let deadline_of = |g: Gruppe| -> Option<NaiveDate> {
        let text = match g {
            Gruppe::MedDaekninger | Gruppe::Ventetrin => Some(plan.deadline_med.as_str()),
            Gruppe::UdenDaekninger => plan.deadline_uden.as_deref().or(plan.deadline_uden_endelig.as_deref()),
        };
        text.and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
    };
    let group_seconds = |g: Gruppe| -> Vec<f64> {
        Opgavepakke::all().filter(|p| p.gruppe() == g).flat_map(|p| seconds[&p.nr()].iter().copied()).collect()
    };

    let mut packages = Vec::new();
    for p in Opgavepakke::all() {
        let days = &per_package[&p.nr()];
        let (minutes, basis) = minutes_per_task(&seconds[&p.nr()], &group_seconds(p.gruppe()));
        let burn = burn(days, today, deadline_of(p.gruppe()));
        // 09 tasks are processed by the system when their fordring's task is solved: no work.
        let hours_left = if p.gruppe() == Gruppe::Ventetrin { 0.0 } else { burn.open_now() as f64 * minutes / 60.0 };
        let zero_reached = reached_zero(days).map(|d| d.to_string());
        packages.push(PackageProgress {
            opgavepakke: p,
            burn,
            zero_reached,
            minutes_per_task: minutes,
            basis,
            hours_left,
        });
    }

    let hours_of =
        |g: Gruppe| packages.iter().filter(|p| p.opgavepakke.gruppe() == g).map(|p| p.hours_left).sum::<f64>();
    let mut groups = Vec::new();
    for (g, key, title) in [
        (Gruppe::MedDaekninger, "med", "Med dækninger (01–08)"),
        (Gruppe::UdenDaekninger, "uden", "Uden dækninger (10–17)"),
    ] {
        let days = sum_series(Opgavepakke::all().filter(|p| p.gruppe() == g).map(|p| &per_package[&p.nr()]));
        let deadline = deadline_of(g);
        let burn = burn(&days, today, deadline);
        // Uden comes after med: by the uden deadline the same people must have done both.
        let hours_left = match g {
            Gruppe::UdenDaekninger if deadline_of(Gruppe::MedDaekninger) <= deadline => {
                hours_of(g) + hours_of(Gruppe::MedDaekninger)
            }
            _ => hours_of(g),
        };
        let staffing = deadline.map(|d| Staffing::new(hours_left, today, d, plan.timer_pr_uge, planned));
        let sentence = match (&staffing, deadline) {
            (Some(s), Some(d)) => s.sentence(d, burn.open_now()),
            _ => "Kommunen har ikke sat en frist for fordringer uden dækninger – sæt den i planen, så kan behovet for sagsbehandlere regnes ud.".to_string(),
        };
        groups.push(GroupProgress {
            key: key.to_string(),
            title: title.to_string(),
            zero_reached: reached_zero(&days).map(|d| d.to_string()),
            burn,
            hours_left,
            staffing,
            sentence,
        });
    }
    let had_tasks = per_package.values().flatten().any(|(_, n)| *n > 0);
    let done = had_tasks && Opgavepakke::all().all(|p| counts.get(p) == 0);
    Ok(Fremdrift {
        kommune: k,
        version: counts.version,
        today: today.to_string(),
        groups,
        packages,
        ressourcer: ressourcer_label(&plan),
        planned,
        hours_per_week: plan.timer_pr_uge,
        done,
    })
}

fn ressourcer_label(plan: &Plan) -> String {
    match (plan.tilgang, plan.ressourcer) {
        (Tilgang::Fokuseret, Ressourcer::Alle) => "MI 38-teamet".to_string(),
        (_, r) => r.label().to_string(),
    }
}

/// The day-by-day sum of several series of the same days.
fn sum_series<'a>(series: impl Iterator<Item = &'a Vec<(NaiveDate, i64)>>) -> Vec<(NaiveDate, i64)> {
    let mut out: Vec<(NaiveDate, i64)> = Vec::new();
    for s in series {
        if out.is_empty() {
            out = s.clone();
        } else {
            for (o, (_, n)) in out.iter_mut().zip(s) {
                o.1 += n;
            }
        }
    }
    out
}

fn burn(days: &[(NaiveDate, i64)], today: NaiveDate, deadline: Option<NaiveDate>) -> Burn {
    let open: Vec<i64> = days.iter().map(|(_, n)| *n).collect();
    let pace = recent_pace(&open);
    let finish = projected_finish(today, open.last().copied().unwrap_or(0), pace);
    Burn {
        days: days.iter().map(|(d, _)| d.to_string()).collect(),
        open,
        pace,
        finish: finish.map(|d| d.to_string()),
        deadline: deadline.map(|d| d.to_string()),
    }
}
