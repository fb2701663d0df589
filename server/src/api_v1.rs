//! REST API v1 for integrations (CONTRACT.md): JSON, bearer token or session cookie; errors as
//! `{"error": "...", "field": "..."}` with a 4xx status. Each handler carries its OpenAPI
//! description (`#[utoipa::path]`), and each answer is a typed wire struct, so the document
//! served at `/api/v1/openapi.json` (`crate::openapi`) is the code's own.

use crate::caller::{ApiActor, ApiError, ApiErrorBody, ApiPath, ApiQuery};
use crate::state::AppState;
use app::domain::Kommunenr;
use app::domain::daekning::DaekningInput;
use app::error::AppError;
use app::live::CountsSnapshot;
use app::model::hoering::PublicHoering;
use app::service::aendring::backlog::BacklogJson;
use app::service::{board, daekning};
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kommuner/{nr}/opgavepakker", get(get_opgavepakker))
        .route("/api/v1/kommuner/{nr}/daekninger", post(post_daekning))
        .route("/api/v1/backlog", get(get_backlog))
        .route("/api/v1/hoeringer/{id}/svar", get(get_hoeringssvar))
        .route("/api/v1/kommuner/{nr}/bevillingstyper", get(get_bevillingstyper))
        .route("/api/v1/kommuner/{nr}/klik", get(get_klik))
        .route("/api/v1/succeskriterier", get(get_succeskriterier))
        .route("/api/v1/openapi.json", get(get_openapi))
}

/// This API's OpenAPI 3 document (`crate::openapi`).
pub(crate) async fn get_openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}

/// `?format=`: `json` (the default) or a file format the operation names (its `…Format`).
#[derive(serde::Deserialize)]
pub struct FormatQuery {
    format: Option<String>,
}

/// The formats of the backlog and hearing answers.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // read as text (`FormatQuery`), so an unknown one gets a field error
pub enum JsonOrCsv {
    Json,
    Csv,
}

/// The formats of UI 04's inventory.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum JsonOrXlsx {
    Json,
    Xlsx,
}

/// The kommune's number in the path: three digits ("751").
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KommunePath {
    #[param(example = "751", pattern = "^[0-9]{3}$")]
    pub(crate) nr: String,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// UI 04's inventory: one row per bevillingstype (CONTRACT.md).
#[derive(Serialize, ToSchema)]
pub struct BevillingstyperJson {
    items: Vec<BevillingstypeJson>,
}

#[derive(Serialize, ToSchema)]
pub struct BevillingstypeJson {
    bevillingstype: String,
    bevillinger: i64,
    /// With status aktiv.
    aktive: i64,
    /// Distinct persons.
    personer: i64,
    aktive_personer: i64,
    ydelsesarter: Vec<String>,
    udbetalinger_12_mdr: i64,
    /// In kroner.
    udbetalt_12_mdr: f64,
    aabne_mi38_opgaver: i64,
    kommuneoprettet: bool,
    /// The kommune's decision; null until one is made.
    beslutning: Option<BeslutningJson>,
}

#[derive(Serialize, ToSchema)]
pub struct BeslutningJson {
    /// `match`, `anden_ydelse`, `nedlaeg` or `flyt`.
    valg: &'static str,
    ky_ydelsestype: Option<String>,
    system: Option<String>,
    afdeling: String,
    begrundelse: String,
    besluttet_af: String,
    besluttet: String,
    version: i64,
}

/// UI 04's inventory (CONTRACT.md), or with `?format=xlsx` the whole review as a workbook.
#[utoipa::path(
    get,
    path = "/api/v1/kommuner/{nr}/bevillingstyper",
    tag = "UI 04",
    params(KommunePath, ("format" = Option<JsonOrXlsx>, Query, description = "`json` (the default) or `xlsx`")),
    responses(
        (status = 200, description = "The inventory (`json`) or the review as a workbook (`xlsx`)",
            content((BevillingstyperJson = "application/json"), (Vec<u8> = XLSX))),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Another kommune's, or a role that may not read it", body = ApiErrorBody),
        (status = 404, description = "No such kommune", body = ApiErrorBody),
        (status = 422, description = "An unknown `format`", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_bevillingstyper(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(KommunePath { nr }): ApiPath<KommunePath>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    use app::service::bevillingstyper;
    let k = kommune(&nr)?;
    match q.format.as_deref() {
        Some("xlsx") => {
            let bytes = bevillingstyper::review_xlsx(&state.ctx, &actor, k).await?;
            let name = format!("bevillingstyper-{}-{}.xlsx", k, app::clock::today().format("%Y-%m-%d"));
            Ok((
                [
                    (header::CONTENT_TYPE, XLSX.to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                ],
                bytes,
            )
                .into_response())
        }
        None | Some("json") => {
            let inv = bevillingstyper::inventory(&state.ctx, &actor, k).await?;
            let items = inv
                .rows
                .into_iter()
                .map(|r| BevillingstypeJson {
                    bevillingstype: r.bevillingstype,
                    bevillinger: r.bevillinger,
                    aktive: r.aktive,
                    personer: r.personer,
                    aktive_personer: r.aktive_personer,
                    ydelsesarter: r.ydelsesarter,
                    udbetalinger_12_mdr: r.udbetalinger,
                    udbetalt_12_mdr: r.udbetalt_oere as f64 / 100.0,
                    aabne_mi38_opgaver: r.open_tasks,
                    kommuneoprettet: r.kommune_made,
                    beslutning: r.beslutning.map(|b| BeslutningJson {
                        valg: b.valg.key(),
                        ky_ydelsestype: b.ky_ydelsestype,
                        system: b.system,
                        afdeling: b.afdeling,
                        begrundelse: b.begrundelse,
                        besluttet_af: b.decided_by,
                        besluttet: b.decided_at,
                        version: b.version,
                    }),
                })
                .collect();
            Ok(Json(BevillingstyperJson { items }).into_response())
        }
        Some(other) => {
            Err(ApiError(AppError::field("format", format!("Ukendt format {other:?}; brug json eller xlsx."))))
        }
    }
}

/// KOMBIT's success criteria.
#[derive(Serialize, ToSchema)]
pub struct SucceskriterierJson {
    maalsaetninger: Vec<MaalsaetningJson>,
    kriterier: Vec<KriteriumJson>,
}

#[derive(Serialize, ToSchema)]
pub struct MaalsaetningJson {
    bogstav: String,
    titel: String,
}

#[derive(Serialize, ToSchema)]
pub struct KriteriumJson {
    /// The letter of its objective.
    maalsaetning: String,
    nummer: String,
    tekst: String,
    maal: MaalJson,
    kilde: String,
    /// Whether the latest measurement meets the target; null before the first.
    opfyldt: Option<bool>,
    maalinger: Vec<MaalingJson>,
    naeste_maaling: Option<NaesteMaalingJson>,
}

#[derive(Serialize, ToSchema)]
pub struct MaalJson {
    /// `>=` or `<=`.
    sammenligning: &'static str,
    vaerdi: f64,
    enhed: String,
}

#[derive(Serialize, ToSchema)]
pub struct MaalingJson {
    maaletidspunkt: String,
    vaerdi: f64,
    /// The sample size, when it was a sample.
    stikproeve: Option<i64>,
    /// "YYYY-MM-DD".
    maalt: String,
    kilde: String,
}

#[derive(Serialize, ToSchema)]
pub struct NaesteMaalingJson {
    maaletidspunkt: String,
    /// "YYYY-MM-DD"; null when not planned.
    planlagt: Option<String>,
    forsinket: bool,
}

/// KOMBIT's success criteria with their measurements, verdicts and next measuring point: for
/// KOMBIT and the styregruppe (by session; a kommune's token is refused).
#[utoipa::path(
    get,
    path = "/api/v1/succeskriterier",
    tag = "Ændringsønsker",
    responses(
        (status = 200, description = "Objectives and criteria", body = SucceskriterierJson),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Not KOMBIT or the styregruppe", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_succeskriterier(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<SucceskriterierJson>, ApiError> {
    use app::domain::succeskriterium::Opfyldelse;
    let d = app::service::succeskriterium::dashboard(&state.ctx, &actor).await?;
    let kriterier = d
        .maalsaetninger
        .iter()
        .flat_map(|m| m.kriterier.iter().map(move |k| (m, k)))
        .map(|(m, k)| KriteriumJson {
            maalsaetning: m.bogstav.clone(),
            nummer: k.nummer.clone(),
            tekst: k.tekst.clone(),
            maal: MaalJson {
                sammenligning: k.maal.sammenligning.code(),
                vaerdi: k.maal.vaerdi,
                enhed: k.maal.enhed.clone(),
            },
            kilde: k.kilde.clone(),
            opfyldt: match k.opfyldelse {
                Opfyldelse::Opfyldt => Some(true),
                Opfyldelse::IkkeOpfyldt => Some(false),
                Opfyldelse::IkkeMaalt => None,
            },
            maalinger: k
                .maalinger
                .iter()
                .map(|x| MaalingJson {
                    maaletidspunkt: x.maalepunkt_navn.clone(),
                    vaerdi: x.vaerdi,
                    stikproeve: x.stikproeve,
                    maalt: x.maalt.clone(),
                    kilde: x.kilde.clone(),
                })
                .collect(),
            naeste_maaling: k.naeste.as_ref().map(|n| NaesteMaalingJson {
                maaletidspunkt: n.maalepunkt.navn.clone(),
                planlagt: n.maalepunkt.planlagt.map(|p| p.format("%Y-%m-%d").to_string()),
                forsinket: n.overdue,
            }),
        })
        .collect();
    let maalsaetninger = d
        .maalsaetninger
        .iter()
        .map(|m| MaalsaetningJson { bogstav: m.bogstav.clone(), titel: m.titel.clone() })
        .collect();
    Ok(Json(SucceskriterierJson { maalsaetninger, kriterier }))
}

/// The kommune's KLIK plan.
#[derive(Serialize, ToSchema)]
pub struct KlikJson {
    /// "YYYY-MM-DD"; null until the project lead sets it.
    go_live: Option<String>,
    opgaver: Vec<KlikOpgaveJson>,
}

#[derive(Serialize, ToSchema)]
pub struct KlikOpgaveJson {
    /// "UI 04", "MI 38".
    kode: String,
    titel: String,
    /// "YYYY-MM-DD", computed from go-live; null without one.
    start: Option<String>,
    slut: Option<String>,
    status: &'static str,
    forsinket: bool,
}

/// The kommune's KLIK plan (CONTRACT.md): dates computed from go-live, null until it is set.
#[utoipa::path(
    get,
    path = "/api/v1/kommuner/{nr}/klik",
    tag = "MI 38",
    params(KommunePath),
    responses(
        (status = 200, description = "The plan", body = KlikJson),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Another kommune's", body = ApiErrorBody),
        (status = 404, description = "No such kommune", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_klik(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(KommunePath { nr }): ApiPath<KommunePath>,
) -> Result<Json<KlikJson>, ApiError> {
    let k = kommune(&nr)?;
    let plan = app::service::klik::plan(&state.ctx, &actor, k).await?;
    let opgaver = plan
        .opgaver
        .into_iter()
        .map(|r| KlikOpgaveJson {
            kode: r.opgave.kode,
            titel: r.opgave.titel,
            start: r.start,
            slut: r.slut,
            status: r.status.key(),
            forsinket: r.overdue,
        })
        .collect();
    Ok(Json(KlikJson { go_live: plan.go_live, opgaver }))
}

/// The published backlog, public: JSON, or CSV with `?format=csv`.
#[utoipa::path(
    get,
    path = "/api/v1/backlog",
    tag = "Ændringsønsker",
    params(("format" = Option<JsonOrCsv>, Query, description = "`json` (the default) or `csv`")),
    security(()),
    responses(
        (status = 200, description = "Ranked, with each criterion's weight and mean score (`json`), or the same as CSV (`csv`: `;`, a byte-order mark)",
            content((BacklogJson = "application/json"), (String = "text/csv"))),
        (status = 422, description = "An unknown `format`", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_backlog(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    use app::service::aendring::backlog;
    let b = backlog::backlog(&state.ctx, None).await?;
    match q.format.as_deref() {
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"ky-backlog.csv\""),
            ],
            backlog::backlog_csv(&b)?,
        )
            .into_response()),
        None | Some("json") => Ok(Json(backlog::backlog_json(&b)).into_response()),
        Some(other) => {
            Err(ApiError(AppError::field("format", format!("Ukendt format {other:?}; brug json eller csv."))))
        }
    }
}

/// A hearing's answers and replies, anonymised and public: JSON, or CSV with `?format=csv`.
#[utoipa::path(
    get,
    path = "/api/v1/hoeringer/{id}/svar",
    tag = "Ændringsønsker",
    params(
        ("id" = String, Path, description = "The hearing's number", example = "1"),
        ("format" = Option<JsonOrCsv>, Query, description = "`json` (the default) or `csv`"),
    ),
    security(()),
    responses(
        (status = 200, description = "The published answers (`json`) or the same as CSV (`csv`)",
            content((PublicHoering = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such hearing, or not published", body = ApiErrorBody),
        (status = 422, description = "An unknown `format`", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_hoeringssvar(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    use app::service::hoering::public;
    let id: i64 = id.parse().map_err(|_| ApiError(AppError::NotFound("Høringen".into())))?;
    let h = public::public(&state.ctx, id).await?;
    match q.format.as_deref() {
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"hoeringssvar.csv\""),
            ],
            public::public_csv(&h)?,
        )
            .into_response()),
        None | Some("json") => Ok(Json(h).into_response()),
        Some(other) => {
            Err(ApiError(AppError::field("format", format!("Ukendt format {other:?}; brug json eller csv."))))
        }
    }
}

/// The kommune of a `{nr}` path segment; 404 when it names none.
pub(crate) fn kommune(nr: &str) -> Result<Kommunenr, ApiError> {
    Kommunenr::parse(nr).map_err(|e| ApiError(AppError::NotFound(format!("Kommune {nr:?} ({e})"))))
}

/// Open tasks per opgavepakke (CONTRACT.md): the same snapshot the live stream pushes.
#[utoipa::path(
    get,
    path = "/api/v1/kommuner/{nr}/opgavepakker",
    tag = "MI 38",
    params(KommunePath),
    responses(
        (status = 200, description = "Open tasks per opgavepakke, \"01\" to \"17\"", body = CountsSnapshot),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Another kommune's", body = ApiErrorBody),
        (status = 404, description = "No such kommune", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_opgavepakker(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(KommunePath { nr }): ApiPath<KommunePath>,
) -> Result<Json<CountsSnapshot>, ApiError> {
    let k = kommune(&nr)?;
    let board = board::board(&state.ctx, &actor, k).await?;
    Ok(Json(CountsSnapshot::from(&board.counts)))
}

/// A dækning from the finance system (CONTRACT.md). `beloeb` (kroner, "1.234,56" or 1234.56)
/// may be a number or text.
#[derive(ToSchema)]
#[allow(dead_code)] // read field by field from JSON (`daekning_input`), described here
pub struct DaekningBody {
    /// The finance system's id: the same id again is answered 200 and counted once.
    #[schema(example = "D-2027-000123")]
    daekning_id: String,
    #[schema(example = "F-751-000001")]
    fordring_id: String,
    #[schema(example = "indbetaling")]
    art: String,
    #[schema(value_type = Object, example = "1.234,56")]
    beloeb: Value,
    /// "YYYY-MM-DD" or "25.01.2027".
    #[schema(example = "2027-01-25")]
    dato: String,
}

/// Where the fordring's task went.
#[derive(Serialize, ToSchema)]
pub struct DaekningAnswer {
    /// "03"; null when the fordring had no open task.
    opgavepakke_foer: Option<String>,
    /// null when the task closed.
    opgavepakke_efter: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/kommuner/{nr}/daekninger",
    tag = "MI 38",
    params(KommunePath),
    request_body(content = DaekningBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded; the fordring's task moved or closed", body = DaekningAnswer),
        (status = 200, description = "This `daekning_id` was recorded before: nothing counted twice", body = DaekningAnswer),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Another kommune's, a role that may not post, or a cross-origin browser", body = ApiErrorBody),
        (status = 404, description = "No such kommune or fordring", body = ApiErrorBody),
        (status = 409, description = "Refused by the rules (e.g. the same id with other content)", body = ApiErrorBody),
        (status = 422, description = "Not JSON, or a field is missing or wrong; `field` names it (`body` when it is not JSON)", body = ApiErrorBody),
    )
)]
pub(crate) async fn post_daekning(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(KommunePath { nr }): ApiPath<KommunePath>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let k = kommune(&nr)?;
    let Json(body) = body.map_err(|e| ApiError(AppError::field("body", format!("Ugyldig JSON: {}", e.body_text()))))?;
    let input = daekning_input(&body)?;
    let done = daekning::ingest(&state.ctx, &actor, k, &input).await?;
    let status = if done.created { StatusCode::CREATED } else { StatusCode::OK };
    let answer = DaekningAnswer {
        opgavepakke_foer: done.opgavepakke_foer.map(|p| p.code()),
        opgavepakke_efter: done.opgavepakke_efter.map(|p| p.code()),
    };
    Ok((status, Json(answer)).into_response())
}

/// Reads the body's fields as text; `beloeb` may be a JSON number or a string.
fn daekning_input(body: &Value) -> Result<DaekningInput, ApiError> {
    if !body.is_object() {
        return Err(ApiError(AppError::field("body", "skal være et JSON-objekt")));
    }
    let text = |field: &str| -> Result<String, ApiError> {
        match body.get(field) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) if field == "beloeb" => Ok(n.to_string()),
            Some(Value::Number(n)) if field.ends_with("_id") => Ok(n.to_string()),
            Some(Value::Null) | None => Err(ApiError(AppError::field(field, "mangler"))),
            Some(_) => Err(ApiError(AppError::field(field, "har en forkert type"))),
        }
    };
    Ok(DaekningInput {
        daekning_id: text("daekning_id")?,
        fordring_id: text("fordring_id")?,
        art: text("art")?,
        beloeb: text("beloeb")?,
        dato: text("dato")?,
    })
}
