//! Ændringsønsker use cases: filing with a duplicate check, the flow through visitering,
//! changeboard, estimation, scoring and final prioritization, the live scoring matrix, weight
//! sets with what-if, the public backlog, notices, appeals and the legacy clean-up.

pub mod act;
pub mod appeals;
pub mod backlog;
pub mod cleanup;
pub mod file;
pub mod notify;
pub mod pool_import;
pub mod responsibility;
pub mod score;
pub mod view;
pub mod weights;

use crate::clock;
use crate::domain::aendring::cleanup::{is_legacy, is_oeir_theme};
use crate::domain::aendring::routing::route;
use crate::domain::aendring::text::search_terms;
use crate::domain::aendring::{AendringDraft, Criterion, Status, ValidAendring};
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::{AendringEvent, AendringSummary, Cell};
use crate::service::Actor;
use crate::state::AppContext;
use crate::store::Conn;
use crate::store::aendring::aendringer::{AendringRow, NewAendring, TemplateText};

/// What an ændringsønske's row needs besides the template's texts.
#[derive(Clone, Debug)]
pub struct Filing {
    pub key: String,
    pub kommune: u16,
    pub requester_id: Option<i64>,
    pub status: Status,
    pub theme: String,
    /// A date or a timestamp, as stored.
    pub filed_at: String,
    pub closed_at: Option<String>,
}

/// The row of an ændringsønske — filed through the form, imported from the legacy pool or loaded as
/// demo data alike: routed to its fagfællesskab, on the ØIR list by its theme, legacy by its
/// filing date, and with its search terms.
pub fn new_aendring(v: &ValidAendring, f: Filing) -> NewAendring {
    let text = format!("{} {} {}", v.titel, v.udfordring, v.beskrivelse);
    NewAendring {
        key: f.key,
        text: template_text(v),
        kommune: f.kommune,
        requester_id: f.requester_id,
        fagfaellesskab: route(&f.theme, &text).to_string(),
        status: f.status.key().to_string(),
        oeir: is_oeir_theme(&f.theme),
        legacy: is_legacy(&f.filed_at),
        theme: f.theme,
        filed_at: f.filed_at,
        closed_at: f.closed_at,
        search_terms: search_terms(&text),
    }
}

/// The template's texts as stored.
pub fn template_text(v: &ValidAendring) -> TemplateText {
    TemplateText {
        titel: v.titel.clone(),
        udfordring: v.udfordring.clone(),
        ydelsesarter: v.ydelsesarter.join(", "),
        omfang: v.omfang.clone(),
        workaround: v.workaround.clone(),
        aendring_type: v.aendring_type.key().to_string(),
        beskrivelse: v.beskrivelse.clone(),
        minsupport_sagsid: v.minsupport_sagsid.clone(),
    }
}

/// Stored template texts as the form shows them.
pub fn draft_of(t: &TemplateText) -> AendringDraft {
    AendringDraft {
        titel: t.titel.clone(),
        udfordring: t.udfordring.clone(),
        ydelsesarter: t.ydelsesarter.clone(),
        omfang: t.omfang.clone(),
        workaround: t.workaround.clone(),
        type_: t.aendring_type.clone(),
        beskrivelse: t.beskrivelse.clone(),
        minsupport_sagsid: t.minsupport_sagsid.clone().unwrap_or_default(),
    }
}

/// Statuses whose ændringsønsker appear in the scoring matrix and can be ranked.
pub const MATRIX_STATUSES: [Status; 5] =
    [Status::Estimering, Status::Scoring, Status::EndeligPrioritering, Status::IBacklog, Status::IUdvikling];

/// Statuses of the published backlog.
pub const BACKLOG_STATUSES: [Status; 2] = [Status::IBacklog, Status::IUdvikling];

pub fn status_of(row: &AendringRow) -> Result<Status, AppError> {
    Status::parse(&row.status).ok_or_else(|| {
        tracing::error!(id = row.id, status = %row.status, "unknown status in the database");
        AppError::Internal
    })
}

pub fn summary(row: &AendringRow) -> Result<AendringSummary, AppError> {
    let kommune = row.kommune as u16;
    Ok(AendringSummary {
        id: row.id,
        key: row.key.clone(),
        titel: row.titel.clone(),
        status: status_of(row)?,
        kommune,
        kommune_navn: Kommunenr::try_from(kommune).map(|k| k.navn().to_string()).unwrap_or_default(),
        kommuner: row.kommuner,
        filed_at: clock::display_date(&row.filed_at[..row.filed_at.len().min(10)]),
        theme: row.theme.clone(),
        oeir: row.oeir,
        legacy: row.legacy,
        fagfaellesskab: row.fagfaellesskab.clone(),
        decision_note: row.decision_note.clone(),
    })
}

/// Whether the viewer may see the ændringsønske at all: kommune users see every ændringsønske that is not
/// passive (closed more than 30 days ago) — seeing other kommuners' ændringsønsker is what prevents
/// duplicates; everyone else sees all.
pub fn may_view(user: Option<&SessionUser>, row: &AendringRow) -> Result<bool, AppError> {
    let status = status_of(row)?;
    let kommune_view = user.is_none_or(|u| u.role.is_kommune_bound());
    if !kommune_view {
        return Ok(true);
    }
    let closed = row
        .closed_at
        .as_deref()
        .and_then(|c| chrono::NaiveDate::parse_from_str(&c[..c.len().min(10)], "%Y-%m-%d").ok());
    Ok(crate::domain::aendring::visible_to_kommuner(status, closed, clock::today()))
}

/// Who may follow every ændringsønske as it changes (the live stream behind the lists and the
/// scoring matrix): the logged-in users, of any role — the pages open to every role. Not an
/// integration's token: it exists for the finance system's fordringer and dækninger, not for
/// change ændringsønsker. A refusal is audited.
pub async fn require_viewer<'a>(ctx: &AppContext, actor: &'a Actor, what: &str) -> Result<&'a SessionUser, AppError> {
    match actor {
        Actor::User(user) => Ok(user),
        other => crate::service::refuse(ctx, other, None, None, what).await,
    }
}

/// The cutoff for the kommune users' 30-day rule, as stored text (`closed_at >= cutoff`).
pub fn passive_cutoff() -> String {
    crate::domain::aendring::flow::first_visible_closing_day(clock::today()).to_string()
}

/// Mean and spread per criterion from (criterion key, scorer, score) rows.
pub fn cells(scores: &[(String, i64, u8)]) -> [Cell; 9] {
    let mut values: [Vec<u8>; 9] = Default::default();
    for (key, _, score) in scores {
        if let Some(c) = Criterion::parse(key) {
            values[c.index()].push(*score);
        }
    }
    values.map(|v| cell(&v))
}

pub fn cell(values: &[u8]) -> Cell {
    if values.is_empty() {
        return Cell::default();
    }
    let sum: u32 = values.iter().map(|v| u32::from(*v)).sum();
    Cell {
        mean: Some(f64::from(sum) / values.len() as f64),
        min: values.iter().min().copied(),
        max: values.iter().max().copied(),
        n: values.len() as u8,
    }
}

/// Bumps the live version (inside the transaction) and returns the event to publish after commit.
/// Public when the ændringsønske enters or leaves the published backlog.
pub async fn change_event(
    conn: &mut Conn,
    aendring_id: i64,
    from: Option<Status>,
    to: Status,
) -> Result<AendringEvent, AppError> {
    let version = crate::store::aendring::bump_version(conn).await?;
    let in_backlog = |s: Status| BACKLOG_STATUSES.contains(&s);
    Ok(AendringEvent {
        version,
        aendring_id,
        cell: None,
        status: Some(to),
        weights_version: None,
        public: in_backlog(to) || from.is_some_and(in_backlog),
        hoering: None,
        succes: false,
    })
}

/// Refuses a user whose role may not do `what`, and writes the refusal to the audit log.
pub async fn require_role(ctx: &AppContext, user: &SessionUser, roles: &[Role], what: &str) -> Result<(), AppError> {
    if roles.contains(&user.role) {
        return Ok(());
    }
    refused(ctx, user, what).await
}

/// Audits a refusal of `user` and returns `Forbidden`.
pub async fn refused<T>(ctx: &AppContext, user: &SessionUser, what: &str) -> Result<T, AppError> {
    let actor = crate::service::Actor::User(user.clone());
    crate::service::refuse(ctx, &actor, user.kommune, None, &format!("{what} (rolle {})", user.role)).await
}

/// A `Forbidden` found inside a write (a rule that needs the row: the role the flow allows, the
/// kommune that owns the ændringsønske) is audited like any other refusal.
pub async fn audit_refusal<T>(
    ctx: &AppContext,
    user: &SessionUser,
    what: &str,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    match result {
        Err(AppError::Forbidden) => refused(ctx, user, what).await,
        other => other,
    }
}

pub fn publish(ctx: &AppContext, event: AendringEvent) {
    ctx.live.publish_aendring(event);
}

/// The user's newest notices.
pub async fn notices(
    ctx: &AppContext,
    user: &SessionUser,
) -> Result<Vec<crate::model::aendring::NoticeView>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let rows = crate::store::aendring::notices::for_user(&mut conn, user.id, 100).await?;
    Ok(rows
        .into_iter()
        .map(|n| crate::model::aendring::NoticeView {
            id: n.id,
            aendring_id: n.aendring_id,
            at: crate::clock::display_stamp(&n.at),
            subject: n.subject,
            body: n.body,
            unread: n.read_at.is_none(),
        })
        .collect())
}

/// Marks the user's notices read.
pub async fn notices_read(ctx: &AppContext, user: &SessionUser) -> Result<(), AppError> {
    let (id, at) = (user.id, crate::clock::stamp(crate::clock::now()));
    ctx.write(move |tx| Box::pin(async move { Ok(crate::store::aendring::notices::mark_read(tx, id, &at).await?) }))
        .await
}
