//! Filing an ændringsønske from the template (supportberettiget), and finding similar ændringsønsker while
//! typing so duplicates are not filed.

use super::{BACKLOG_STATUSES, Filing, change_event, may_view, new_aendring, publish, require_role, status_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::text::fts_query;
use crate::domain::aendring::{AendringDraft, Status, notice_text, validate_draft};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::SimilarAendring;
use crate::state::AppContext;
use crate::store::aendring::aendringer;

/// Files the ændringsønske and sends it on to visitering; returns its id.
pub async fn file_aendring(ctx: &AppContext, user: &SessionUser, draft: &AendringDraft) -> Result<i64, AppError> {
    require_role(ctx, user, &[Role::Supportberettiget], "indsend ændringsønske").await?;
    let kommune = user.kommune.ok_or(AppError::Forbidden)?;
    let valid = validate_draft(draft)?;
    let now = clock::now();
    let stamp = clock::stamp(now);
    let user = user.clone();
    let (id, event) = ctx
        .write(move |tx| {
            Box::pin(async move {
                let key = aendringer::next_key(tx, chrono::Datelike::year(&now.date_naive())).await?;
                let filing = Filing {
                    key: key.clone(),
                    kommune: kommune.get(),
                    requester_id: Some(user.id),
                    status: Status::Visitering,
                    theme: String::new(),
                    filed_at: stamp.clone(),
                    closed_at: None,
                };
                let id = aendringer::insert(tx, &new_aendring(&valid, filing)).await?;
                aendringer::record_event(
                    tx,
                    id,
                    aendringer::NewEvent {
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
                super::notify::tell(
                    tx,
                    kommune.get(),
                    Some(user.id),
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

/// Ændringsønsker like the text being typed: the published backlog and earlier ændringsønsker (rejected
/// ones too, with KOMBIT's decision), best matches first.
pub async fn similar(
    ctx: &AppContext,
    user: Option<&SessionUser>,
    text: &str,
) -> Result<Vec<SimilarAendring>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    similar_in(&mut conn, user, text, None, 8).await
}

/// Up to `limit` ændringsønsker the viewer may see whose text is like `text`, best first;
/// `except` (the ændringsønske itself) and duplicates already merged are left out.
pub async fn similar_in(
    conn: &mut crate::store::Conn,
    user: Option<&SessionUser>,
    text: &str,
    except: Option<i64>,
    limit: usize,
) -> Result<Vec<SimilarAendring>, AppError> {
    let Some(query) = fts_query(text) else { return Ok(Vec::new()) };
    let ids = aendringer::search(conn, &query, 40).await?;
    let rows = aendringer::by_ids(conn, &ids).await?;
    let backlog = super::backlog::ranked_backlog(conn).await?;
    let mut out = Vec::new();
    for id in ids {
        let Some(row) = rows.iter().find(|r| r.id == id) else { continue };
        let status = status_of(row)?;
        if Some(id) == except || (except.is_some() && status == Status::Dublet) || !may_view(user, row)? {
            continue;
        }
        out.push(SimilarAendring {
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
        if out.len() == limit {
            break;
        }
    }
    Ok(out)
}
