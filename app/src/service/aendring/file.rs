//! Filing a request from the template (supportberettiget), and finding similar requests while
//! typing so duplicates are not filed.

use super::{BACKLOG_STATUSES, Filing, change_event, may_view, new_request, publish, require_role, status_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::text::fts_query;
use crate::domain::aendring::{RequestDraft, Status, notice_text, validate_draft};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::SimilarRequest;
use crate::state::AppContext;
use crate::store::aendring::requests;

/// Files the request and sends it on to visitering; returns its id.
pub async fn file_request(ctx: &AppContext, user: &SessionUser, draft: &RequestDraft) -> Result<i64, AppError> {
    require_role(ctx, user, &[Role::Supportberettiget], "indsend ændringsønske").await?;
    let kommune = user.kommune.ok_or(AppError::Forbidden)?;
    let valid = validate_draft(draft)?;
    let now = clock::now();
    let stamp = clock::stamp(now);
    let user = user.clone();
    let (id, event) = ctx
        .write(move |tx| {
            Box::pin(async move {
                let key = requests::next_key(tx, chrono::Datelike::year(&now.date_naive())).await?;
                let filing = Filing {
                    key: key.clone(),
                    kommune: kommune.get(),
                    requester_id: Some(user.id),
                    status: Status::Visitering,
                    theme: String::new(),
                    filed_at: stamp.clone(),
                    closed_at: None,
                };
                let id = requests::insert(tx, &new_request(&valid, filing)).await?;
                requests::record_event(
                    tx,
                    id,
                    requests::NewEvent {
                        at: &stamp,
                        actor: &user.username,
                        action: "indsend",
                        from: Some("oprettet"),
                        to: Some("visitering"),
                        note: "",
                    },
                )
                .await?;
                let body = notice_text(Status::Oprettet, Status::Visitering);
                super::notify::tell_requester(
                    tx,
                    Some(user.id),
                    kommune.get(),
                    Some(id),
                    &format!("{key}: {}", valid.titel),
                    &body,
                )
                .await?;
                let event = change_event(tx, id, None, Status::Visitering).await?;
                Ok((id, event))
            })
        })
        .await?;
    publish(ctx, event);
    Ok(id)
}

/// Requests like the text being typed: the published backlog and earlier requests (rejected
/// ones too, with KOMBIT's decision), best matches first.
pub async fn similar(
    ctx: &AppContext,
    user: Option<&SessionUser>,
    text: &str,
) -> Result<Vec<SimilarRequest>, AppError> {
    let Some(query) = fts_query(text) else { return Ok(Vec::new()) };
    let mut conn = ctx.db.read.acquire().await?;
    let ids = requests::search(&mut conn, &query, 40).await?;
    let rows = requests::by_ids(&mut conn, &ids).await?;
    let backlog = super::backlog::ranked_backlog(&mut conn).await?;
    let mut out = Vec::new();
    for id in ids {
        let Some(row) = rows.iter().find(|r| r.id == id) else { continue };
        if !may_view(user, row)? {
            continue;
        }
        let status = status_of(row)?;
        out.push(SimilarRequest {
            id: row.id,
            key: row.key.clone(),
            titel: row.titel.clone(),
            status,
            decision_note: row.decision_note.clone(),
            kommuner: row.kommuner,
            backlog_rank: BACKLOG_STATUSES
                .contains(&status)
                .then(|| backlog.iter().find(|r| r.id == row.id).map(|r| r.rank))
                .flatten(),
        });
        if out.len() == 8 {
            break;
        }
    }
    Ok(out)
}
