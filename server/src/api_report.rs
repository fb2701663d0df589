//! `GET /api/v1/kommuner/{nr}/rapport?format=json|csv|xlsx` (CONTRACT.md): report R2.1 as a
//! download, streamed in chunks. The same filters and sort as the page (`opgavepakke`,
//! `sagsbehandler`, `tildelt`, `cpr`, `min_beloeb`, `kun_tilbagefoersel`, `sort`) may be given.
//!
//! Served outside the compression layer: the XLSX is a zip already, and compressing a CSV of
//! two million rows on the fly would cost more CPU than the transfer it saves on a LAN.

use crate::caller::{ApiActor, ApiError, ApiErrorBody, ApiPath, ApiQuery};
use crate::state::AppState;
use app::model::report::{ReportQuery, ReportSort};
use app::service::report::export::{self, ExportFormat};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::wrappers::ReceiverStream;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/kommuner/{nr}/rapport", get(get_rapport))
}

/// The page's filters and sort; each empty = no filter.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RapportParams {
    /// `json` (the default), `csv` (`;`, Danish decimals, a byte-order mark) or `xlsx`.
    #[param(value_type = Option<RapportFormat>)]
    format: Option<String>,
    /// "03".
    opgavepakke: String,
    /// The caseworker of the person's sagsmappe (username).
    sagsbehandler: String,
    /// Who the task is handed to (username).
    tildelt: String,
    /// The person's CPR, with or without the dash.
    cpr: String,
    /// Kroner, "1.234,56".
    min_beloeb: String,
    /// `1`, `true`, `ja` or `on`: only persons with a tilbageførsel.
    kun_tilbagefoersel: Option<String>,
    /// The page's sort key.
    sort: String,
}

#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // read as text, so an unknown one gets a field error
pub enum RapportFormat {
    Json,
    Csv,
    Xlsx,
}

/// Report R2.1 (CONTRACT.md), one row per open task; each export of CPR numbers is audited.
#[utoipa::path(
    get,
    path = "/api/v1/kommuner/{nr}/rapport",
    tag = "MI 38",
    params(crate::api_v1::KommunePath, RapportParams),
    responses(
        (status = 200, description = "The rows (`json`), or the same as CSV or a workbook; `x-rapport-raekker` says how many",
            content((app::service::report::export::RapportJson<'static> = "application/json"), (String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(("x-rapport-raekker" = i64, description = "The number of rows"))),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Another kommune's, or a role that may not read it", body = ApiErrorBody),
        (status = 404, description = "No such kommune", body = ApiErrorBody),
        (status = 422, description = "An unknown `format` or a filter that cannot be read", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_rapport(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(crate::api_v1::KommunePath { nr }): ApiPath<crate::api_v1::KommunePath>,
    ApiQuery(p): ApiQuery<RapportParams>,
) -> Result<Response, ApiError> {
    let k = crate::api_v1::kommune(&nr)?;
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
