//! `GET /api/v1/kommuner/{nr}/rapport?format=json|csv|xlsx` (CONTRACT.md): report R2.1 as a
//! download, streamed in chunks. The same filters and sort as the page (`opgavepakke`,
//! `sagsbehandler`, `tildelt`, `cpr`, `min_beloeb`, `kun_tilbagefoersel`, `sort`) may be given.
//!
//! Served outside the compression layer: the XLSX is a zip already, and compressing a CSV of
//! two million rows on the fly would cost more CPU than the transfer it saves on a LAN.

use crate::caller::{ApiActor, ApiError};
use crate::state::AppState;
use app::domain::Kommunenr;
use app::error::AppError;
use app::model::report::{ReportQuery, ReportSort};
use app::service::report::export::{self, ExportFormat};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::wrappers::ReceiverStream;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/kommuner/{nr}/rapport", get(get_rapport))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RapportParams {
    format: Option<String>,
    opgavepakke: String,
    sagsbehandler: String,
    tildelt: String,
    cpr: String,
    min_beloeb: String,
    kun_tilbagefoersel: Option<String>,
    sort: String,
}

async fn get_rapport(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
    Query(p): Query<RapportParams>,
) -> Result<Response, ApiError> {
    let k = Kommunenr::parse(&nr).map_err(|e| ApiError(AppError::NotFound(format!("Kommune {nr:?} ({e})"))))?;
    let format = ExportFormat::parse(p.format.as_deref())?;
    let query = ReportQuery {
        opgavepakke: p.opgavepakke,
        sagsbehandler: p.sagsbehandler,
        tildelt: p.tildelt,
        cpr: p.cpr,
        min_beloeb: p.min_beloeb,
        kun_tilbagefoersel: matches!(p.kun_tilbagefoersel.as_deref(), Some("1" | "true" | "ja" | "on")),
        sort: ReportSort::parse(&p.sort),
        page: 0,
    };
    let export = export::export(&state.ctx, &actor, k, &query, format).await?;
    let disposition = format!("attachment; filename=\"{}\"", export.filename);
    Ok((
        [
            (header::CONTENT_TYPE, export.format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::HeaderName::from_static("x-rapport-raekker"), export.rows.to_string()),
        ],
        Body::from_stream(ReceiverStream::new(export.body)),
    )
        .into_response())
}
