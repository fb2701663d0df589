//! Reading ændringsønsker: lists (per role), the ændringsønske page, the scoring matrix.

use super::{MATRIX_STATUSES, cells, may_view, passive_cutoff, status_of, summary};
use crate::clock;
use crate::domain::aendring::flow::precondition;
use crate::domain::aendring::{Criterion, Status, allowed_actions, may_appeal, may_assess, priority};
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::{AendringDetail, AendringList, AppealView, AssessmentView, EventView, Matrix, MatrixRow};
use crate::state::AppContext;
use crate::store::aendring::aendringer::{self, Filter};
use crate::store::aendring::{scores, version};
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 50;

/// Which list: the viewer's kommune's ændringsønsker, a work queue, or the legacy pool.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// A status key, or "" for the default of the viewer's role.
    pub status: String,
    pub legacy: Option<bool>,
    pub oeir: Option<bool>,
    pub theme: String,
    pub page: i64,
}

pub async fn list(ctx: &AppContext, user: &SessionUser, q: &ListQuery) -> Result<AendringList, AppError> {
    let mut f = Filter { limit: PAGE_SIZE, offset: q.page.max(0) * PAGE_SIZE, ..viewer_filter(user) };
    if let Some(s) = Status::parse(&q.status) {
        f.statuses = vec![s.key().to_string()];
    }
    f.legacy = q.legacy;
    f.oeir = q.oeir;
    f.theme = (!q.theme.is_empty()).then(|| q.theme.clone());
    let mut conn = ctx.db.read.acquire().await?;
    let (rows, total) = aendringer::list(&mut conn, &f).await?;
    Ok(AendringList {
        items: rows.iter().map(summary).collect::<Result<_, _>>()?,
        total,
        page: q.page.max(0),
        page_size: PAGE_SIZE,
    })
}

/// What a viewer's lists hold: a kommune's users their own kommune's ændringsønsker without the
/// passive ones, a fagfællesskab member its community's, everyone else all. The status tabs
/// count with the same filter, so a tab's number is what it lists.
fn viewer_filter(user: &SessionUser) -> Filter {
    let mut f = Filter::default();
    if user.role.is_kommune_bound() {
        f.kommune = user.kommune.map(Kommunenr::get);
        f.closed_after = Some(passive_cutoff());
    }
    if user.role == Role::Fagfaellesskab {
        f.fagfaellesskab = user.fagfaellesskab.clone();
    }
    f
}

pub async fn detail(ctx: &AppContext, user: Option<&SessionUser>, id: i64) -> Result<AendringDetail, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let row = aendringer::get(&mut conn, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
    let status = status_of(&row)?;
    // Without login only the published backlog is open.
    let public = user.is_some() || super::BACKLOG_STATUSES.contains(&status);
    if !public || !may_view(user, &row)? {
        return Err(AppError::NotFound("Ændringsønsket".into()));
    }
    let all_scores = scores::of_aendring(&mut conn, id).await?;
    let cells = cells(&all_scores);
    let mut my_scores = [None; 9];
    for (key, scorer, score) in &all_scores {
        if let (Some(c), Some(u)) = (Criterion::parse(key), user)
            && *scorer == u.id
        {
            my_scores[c.index()] = Some(*score);
        }
    }
    let kommuner = aendringer::kommuner(&mut conn, id).await?;
    let own_kommune = user.and_then(|u| u.kommune).is_some_and(|k| kommuner.contains(&i64::from(k.get())));
    let appeal_rows = aendringer::appeals(&mut conn, id).await?;
    let own_appeal =
        user.and_then(|u| u.kommune).is_some_and(|k| appeal_rows.iter().any(|a| a.kommune == i64::from(k.get())));
    let duplicate_of = match row.duplicate_of {
        Some(o) => aendringer::get(&mut conn, o).await?.map(|r| (r.id, r.key, r.titel)),
        None => None,
    };
    let weights = super::backlog::current_weights(&mut conn).await?;
    let events = aendringer::events(&mut conn, id).await?;
    let fra_hoering = crate::store::hoering::origin_of_aendring(&mut conn, id)
        .await?
        .map(|(hoering_id, title, nr)| crate::model::hoering::HoeringOrigin { hoering_id, title, nr });
    let role = user.map(|u| u.role);
    let facts = super::act::facts(&mut conn, &row).await?;
    let open_to_role = match user {
        Some(u) if u.role != Role::Supportberettiget || u.kommune.map(|k| i64::from(k.get())) == Some(row.kommune) => {
            allowed_actions(status, u.role)
        }
        _ => Vec::new(),
    };
    // Only actions the server would take are offered; the others say what they wait for.
    let (actions, blocked): (Vec<_>, Vec<_>) =
        open_to_role.into_iter().partition(|a| precondition(status, *a, &facts).is_ok());
    let mut waiting: Vec<String> =
        blocked.iter().filter_map(|a| precondition(status, *a, &facts).err()).map(|e| e.to_string()).collect();
    waiting.dedup();
    Ok(AendringDetail {
        summary: summary(&row)?,
        udfordring: row.udfordring.clone(),
        ydelsesarter: crate::domain::aendring::template::parse_ydelsesarter(&row.ydelsesarter),
        omfang: row.omfang.clone(),
        workaround: row.workaround.clone(),
        aendring_type: crate::domain::aendring::AendringType::parse(&row.aendring_type)
            .unwrap_or(crate::domain::aendring::AendringType::Brugervenlighed),
        beskrivelse: row.beskrivelse.clone(),
        minsupport_sagsid: row.minsupport_sagsid.clone(),
        kommune_navne: kommuner
            .iter()
            .filter_map(|k| Kommunenr::try_from(*k as u16).ok())
            .map(|k| format!("{} ({k})", k.navn()))
            .collect(),
        duplicate_of,
        estimate_hours: row.estimate_hours,
        estimate_note: row.estimate_note.clone(),
        version: row.version,
        events: events
            .into_iter()
            .map(|e| EventView {
                at: clock::display_stamp(&e.at),
                actor: e.actor,
                action: crate::domain::aendring::Action::parse(&e.action)
                    .map(|a| a.label().to_string())
                    .unwrap_or(e.action),
                from: e.from_status.as_deref().and_then(Status::parse),
                to: e.to_status.as_deref().and_then(Status::parse),
                note: e.note,
            })
            .collect(),
        actions,
        cells,
        my_scores,
        may_score: Criterion::ALL
            .map(|c| user.is_some_and(|u| super::score::may_score(u, c, &row.fagfaellesskab, status))),
        may_estimate: role == Some(Role::Leverandoer)
            && matches!(status, Status::Estimering | Status::Scoring | Status::EndeligPrioritering),
        assessment: row.vurdering_at.clone().map(|at| AssessmentView {
            loesning: row.vurdering_loesning.clone().unwrap_or_default(),
            gennemfoerlighed: row.vurdering_gennemfoerlighed.clone().unwrap_or_default(),
            by: row.vurdering_by.clone().unwrap_or_default(),
            at: clock::display_stamp(&at),
        }),
        may_assess: role.is_some_and(|r| may_assess(status, r).is_ok()),
        may_route: role.is_some_and(|r| crate::domain::aendring::may_route(status, r).is_ok()),
        waiting,
        appeals: appeal_rows
            .into_iter()
            .map(|a| AppealView {
                sagsid: a.sagsid,
                reason: a.reason,
                at: clock::display_stamp(&a.at),
                kommune: Kommunenr::name_of(a.kommune).to_string(),
                decision: a.decision.as_deref().and_then(crate::domain::aendring::AppealDecision::parse),
                reply: a.reply,
            })
            .collect(),
        may_appeal: role == Some(Role::Supportberettiget) && own_kommune && may_appeal(status, own_appeal).is_ok(),
        may_elaborate: role == Some(Role::Supportberettiget) && own_kommune && status == Status::ReturneretTilUddybning,
        priority: priority(&cells.map(|c| c.mean), &weights),
        fra_hoering,
    })
}

/// Ændringsønsker × criteria for those in scoring or later: each cell the mean with the spread.
/// A fagfællesskab member sees the ændringsønsker routed to their community.
pub async fn matrix(ctx: &AppContext, user: &SessionUser) -> Result<Matrix, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let live_version = version(&mut conn).await?;
    let weights = super::backlog::current_weights(&mut conn).await?;
    let f = Filter {
        statuses: MATRIX_STATUSES.iter().map(|s| s.key().to_string()).collect(),
        fagfaellesskab: (user.role == Role::Fagfaellesskab).then(|| user.fagfaellesskab.clone()).flatten(),
        limit: 5_000,
        ..Default::default()
    };
    let (rows, _) = aendringer::list(&mut conn, &f).await?;
    let keys: Vec<&str> = MATRIX_STATUSES.iter().map(|s| s.key()).collect();
    let mut all: std::collections::HashMap<i64, Vec<(String, i64, u8)>> = std::collections::HashMap::new();
    for (id, criterion, score) in scores::of_statuses_with_scorer(&mut conn, &keys).await? {
        all.entry(id).or_default().push((criterion.0, criterion.1, score));
    }
    let mut out = Vec::new();
    for row in rows {
        let status = status_of(&row)?;
        let s = all.remove(&row.id).unwrap_or_default();
        let mut mine = [None; 9];
        for (key, scorer, score) in &s {
            if *scorer == user.id
                && let Some(c) = Criterion::parse(key)
            {
                mine[c.index()] = Some(*score);
            }
        }
        out.push(MatrixRow {
            id: row.id,
            key: row.key.clone(),
            titel: row.titel.clone(),
            status,
            fagfaellesskab: row.fagfaellesskab.clone(),
            filed_at: row.filed_at.clone(),
            cells: cells(&s),
            my_scores: mine,
            may_score: Criterion::ALL.map(|c| super::score::may_score(user, c, &row.fagfaellesskab, status)),
        });
    }
    Ok(Matrix { version: live_version, weights, rows: out })
}

/// Ændringsønsker per status, counted with the filter the viewer's lists use (`viewer_filter`).
pub async fn status_counts(ctx: &AppContext, user: &SessionUser) -> Result<Vec<(Status, i64)>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let rows = aendringer::status_counts(&mut conn, &viewer_filter(user)).await?;
    Ok(rows.into_iter().filter_map(|(s, n)| Status::parse(&s).map(|s| (s, n))).collect())
}
