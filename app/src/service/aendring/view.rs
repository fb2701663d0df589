//! Reading ændringsønsker: lists (per role), the ændringsønske page, the scoring matrix.

use super::{MATRIX_STATUSES, cells, may_view, passive_cutoff, status_of, summary};
use crate::clock;
use crate::domain::aendring::AendringType;
use crate::domain::aendring::flow::precondition;
use crate::domain::aendring::worklist::Worklist;
use crate::domain::aendring::{
    Criterion, Status, allowed_actions, changed_fields, may_appeal, may_assess, may_join, priority,
};
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::{
    AendringDetail, AendringList, AendringQuery, AppealView, AssessmentView, DiffPart, EventView, FieldChangeView,
    Matrix, MatrixRow, TextVersionView, WorklistCount,
};
use crate::state::AppContext;
use crate::store::aendring::aendringer::{self, Filter, ListSort};
use crate::store::aendring::{scores, version};

pub const PAGE_SIZE: i64 = 50;

pub async fn list(ctx: &AppContext, user: &SessionUser, q: &AendringQuery) -> Result<AendringList, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let waiting = Worklist::parse(&q.waiting).filter(|w| w.role() == user.role);
    let mut f = match waiting {
        Some(w) => worklist_filter(user, w),
        None => viewer_filter(user),
    };
    f.limit = PAGE_SIZE;
    f.offset = q.page.max(0) * PAGE_SIZE;
    if let Some(s) = Status::parse(&q.status) {
        f.statuses = vec![s.key().to_string()];
    }
    f.legacy = q.legacy;
    f.oeir = q.oeir;
    f.theme = (!q.theme.is_empty()).then(|| q.theme.clone());
    // KOMBIT's filters of the visitering queue (other viewers' kommune filter stays their own).
    if user.role == Role::Kombit {
        f.kommune = q.kommune;
    }
    f.aendring_type = AendringType::parse(&q.aendring_type).map(|t| t.key().to_string());
    f.filed_before =
        q.older_than_days.filter(|d| *d > 0).map(|d| (clock::today() - chrono::Days::new(d as u64)).to_string());
    f.sort = match q.sort.as_str() {
        "aeldste" => ListSort::Oldest,
        "kommuner" => ListSort::MostKommuner,
        "titel" => ListSort::Titel,
        _ => ListSort::Newest,
    };
    if let Some(fts) = crate::domain::aendring::text::fts_query(&q.search) {
        f.ids = Some(aendringer::search(&mut conn, &fts, 500).await?);
    }
    let (rows, total) = aendringer::list(&mut conn, &f).await?;
    Ok(AendringList {
        items: rows.iter().map(summary).collect::<Result<_, _>>()?,
        waiting,
        total,
        page: q.page.max(0),
        page_size: PAGE_SIZE,
    })
}

/// The filter of one of the viewer's worklists (within what the viewer sees at all).
fn worklist_filter(user: &SessionUser, w: Worklist) -> Filter {
    let mut f = viewer_filter(user);
    f.statuses = w.statuses().iter().map(|s| s.key().to_string()).collect();
    match w {
        Worklist::ChangeboardDecision => f.assessed = Some(true),
        Worklist::Assessment => f.assessed = Some(false),
        Worklist::Estimate => f.estimated = Some(false),
        Worklist::Realiserbarhed | Worklist::Score => {
            f.owed_by = Some((user.id, w.owed_criteria().iter().map(|c| c.key().to_string()).collect()));
        }
        Worklist::Visitering | Worklist::FinalPrioritization | Worklist::Elaboration => {}
    }
    f
}

/// The viewer's worklists with their counts, and for KOMBIT the appeals and undeliverable
/// notices waiting; the start page shows them.
pub async fn worklists(ctx: &AppContext, user: &SessionUser) -> Result<Vec<WorklistCount>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let mut out = Vec::new();
    for w in Worklist::for_role(user.role) {
        let mut f = worklist_filter(user, w);
        f.limit = 1;
        let (_, count) = aendringer::list(&mut conn, &f).await?;
        out.push(WorklistCount {
            label: w.label().to_string(),
            count,
            href: AendringQuery { waiting: w.key().to_string(), ..Default::default() }.url(0),
        });
    }
    if user.role == Role::Kombit {
        let appeals = aendringer::count_undecided_appeals(&mut conn).await?;
        out.push(WorklistCount {
            label: "Klager, der venter på afgørelse".into(),
            count: appeals,
            href: "/klager".into(),
        });
        let untriaged = crate::store::hoering::count_untriaged(&mut conn).await?;
        out.push(WorklistCount {
            label: "Høringssvar, der venter på triage".into(),
            count: untriaged,
            href: "/hoeringer".into(),
        });
        let failed = crate::store::aendring::notices::count_failed(&mut conn).await?;
        out.push(WorklistCount {
            label: "Meddelelser, der ikke kunne leveres".into(),
            count: failed,
            href: "/meddelelser".into(),
        });
    }
    let unread = crate::store::aendring::notices::unread(&mut conn, user.id).await?;
    out.push(WorklistCount {
        label: "Ulæste meddelelser i indbakken".into(), count: unread, href: "/indbakke".into()
    });
    Ok(out)
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
    // KOMBIT visiting an ændringsønske sees the likely duplicates beside it, to mark with one click.
    let likely_duplicates = match user {
        Some(u) if u.role == Role::Kombit && status == Status::Visitering => {
            let text = format!("{} {} {}", row.titel, row.udfordring, row.beskrivelse);
            super::file::similar_in(&mut conn, Some(u), &text, Some(id), 5).await?
        }
        _ => Vec::new(),
    };
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
        template: super::draft_of(&row.template_text()),
        versions: text_versions(&mut conn, id).await?,
        likely_duplicates,
        may_join: role.is_some_and(|r| may_join(status, r, own_kommune).is_ok()),
        fra_hoering,
    })
}

/// The kept versions of the template text after the first, each with what changed from the one
/// before it, word by word.
async fn text_versions(conn: &mut crate::store::Conn, id: i64) -> Result<Vec<TextVersionView>, AppError> {
    let rows = aendringer::text_versions(conn, id).await?;
    Ok(rows
        .windows(2)
        .map(|pair| {
            let (before, after) = (super::draft_of(&pair[0].text), super::draft_of(&pair[1].text));
            TextVersionView {
                nr: pair[1].nr,
                at: clock::display_stamp(&pair[1].at),
                by: pair[1].by_name.clone(),
                changes: changed_fields(&before, &after)
                    .into_iter()
                    .map(|(field, label)| FieldChangeView {
                        label: label.to_string(),
                        parts: word_diff(&before.field(field), &after.field(field)),
                    })
                    .collect(),
            }
        })
        .collect())
}

/// The words kept, removed and added between two texts (runs of one kind joined). A text
/// mostly rewritten reads better as the old one struck through, then the new one.
fn word_diff(before: &str, after: &str) -> Vec<DiffPart> {
    let diff = similar::TextDiff::from_words(before, after);
    if diff.ratio() < 0.5 {
        return [DiffPart::Removed(before.to_string()), DiffPart::Same(" ".into()), DiffPart::Added(after.to_string())]
            .into_iter()
            .filter(|p| !matches!(p, DiffPart::Removed(t) | DiffPart::Added(t) if t.is_empty()))
            .collect();
    }
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (parts.last_mut(), change.tag()) {
            (Some(DiffPart::Same(t)), similar::ChangeTag::Equal)
            | (Some(DiffPart::Removed(t)), similar::ChangeTag::Delete)
            | (Some(DiffPart::Added(t)), similar::ChangeTag::Insert) => t.push_str(text),
            (_, similar::ChangeTag::Equal) => parts.push(DiffPart::Same(text.to_string())),
            (_, similar::ChangeTag::Delete) => parts.push(DiffPart::Removed(text.to_string())),
            (_, similar::ChangeTag::Insert) => parts.push(DiffPart::Added(text.to_string())),
        }
    }
    parts
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
