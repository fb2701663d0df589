//! REST API v1 for integrations (CONTRACT.md): JSON, bearer token or session cookie; errors as
//! `{"error": "...", "field": "..."}` with a 4xx status.

use crate::caller::{ApiActor, ApiError};
use crate::state::AppState;
use app::domain::Kommunenr;
use app::domain::daekning::DaekningInput;
use app::error::AppError;
use app::live::CountsSnapshot;
use app::service::{board, daekning};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kommuner/{nr}/opgavepakker", get(get_opgavepakker))
        .route("/api/v1/kommuner/{nr}/daekninger", post(post_daekning))
        .route("/api/v1/backlog", get(get_backlog))
        .route("/api/v1/hoeringer/{id}/svar", get(get_hoeringssvar))
        .route("/api/v1/kommuner/{nr}/bevillingstyper", get(get_bevillingstyper))
        .route("/api/v1/kommuner/{nr}/klik", get(get_klik))
        .route("/api/v1/succeskriterier", get(get_succeskriterier))
}

#[derive(serde::Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

/// UI 04's inventory (CONTRACT.md), or with `?format=xlsx` the whole review as a workbook.
async fn get_bevillingstyper(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
    axum::extract::Query(q): axum::extract::Query<FormatQuery>,
) -> Result<Response, ApiError> {
    use app::service::bevillingstyper;
    let k = kommune(&nr)?;
    match q.format.as_deref() {
        Some("xlsx") => {
            let bytes = bevillingstyper::review_xlsx(&state.ctx, &actor, k).await?;
            let name = format!("bevillingstyper-{}-{}.xlsx", k, app::clock::today().format("%Y-%m-%d"));
            Ok((
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                ],
                bytes,
            )
                .into_response())
        }
        None | Some("json") => {
            let inv = bevillingstyper::inventory(&state.ctx, &actor, k).await?;
            let items: Vec<Value> = inv
                .rows
                .iter()
                .map(|r| {
                    json!({
                        "bevillingstype": r.bevillingstype,
                        "bevillinger": r.bevillinger,
                        "aktive": r.aktive,
                        "personer": r.personer,
                        "aktive_personer": r.aktive_personer,
                        "ydelsesarter": r.ydelsesarter,
                        "udbetalinger_12_mdr": r.udbetalinger,
                        "udbetalt_12_mdr": r.udbetalt_oere as f64 / 100.0,
                        "aabne_mi38_opgaver": r.open_tasks,
                        "kommuneoprettet": r.kommune_made,
                        "beslutning": r.beslutning.as_ref().map(|b| json!({
                            "valg": b.valg.key(),
                            "ky_ydelsestype": b.ky_ydelsestype,
                            "system": b.system,
                            "afdeling": b.afdeling,
                            "begrundelse": b.begrundelse,
                            "besluttet_af": b.decided_by,
                            "besluttet": b.decided_at,
                            "version": b.version,
                        })),
                    })
                })
                .collect();
            Ok(Json(json!({ "items": items })).into_response())
        }
        Some(other) => {
            Err(ApiError(AppError::field("format", format!("Ukendt format {other:?}; brug json eller xlsx."))))
        }
    }
}

/// KOMBIT's success criteria with their measurements, verdicts and next measuring point: for
/// KOMBIT and the styregruppe (by session; a kommune's token is refused).
async fn get_succeskriterier(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Value>, ApiError> {
    let d = app::service::succeskriterium::dashboard(&state.ctx, &actor).await?;
    let kriterier: Vec<Value> = d
        .maalsaetninger
        .iter()
        .flat_map(|m| m.kriterier.iter().map(move |k| (m, k)))
        .map(|(m, k)| {
            json!({
                "maalsaetning": m.bogstav,
                "nummer": k.nummer,
                "tekst": k.tekst,
                "maal": { "sammenligning": k.maal.sammenligning.code(), "vaerdi": k.maal.vaerdi, "enhed": k.maal.enhed },
                "kilde": k.kilde,
                "opfyldt": match k.opfyldelse {
                    app::domain::succeskriterium::Opfyldelse::Opfyldt => Some(true),
                    app::domain::succeskriterium::Opfyldelse::IkkeOpfyldt => Some(false),
                    app::domain::succeskriterium::Opfyldelse::IkkeMaalt => None,
                },
                "maalinger": k.maalinger.iter().map(|x| json!({
                    "maaletidspunkt": x.maalepunkt_navn,
                    "vaerdi": x.vaerdi,
                    "stikproeve": x.stikproeve,
                    "maalt": x.maalt,
                    "kilde": x.kilde,
                })).collect::<Vec<_>>(),
                "naeste_maaling": k.naeste.as_ref().map(|n| json!({
                    "maaletidspunkt": n.maalepunkt.navn,
                    "planlagt": n.maalepunkt.planlagt.map(|p| p.format("%Y-%m-%d").to_string()),
                    "forsinket": n.overdue,
                })),
            })
        })
        .collect();
    let maalsaetninger: Vec<Value> =
        d.maalsaetninger.iter().map(|m| json!({ "bogstav": m.bogstav, "titel": m.titel })).collect();
    Ok(Json(json!({ "maalsaetninger": maalsaetninger, "kriterier": kriterier })))
}

/// The kommune's KLIK plan (CONTRACT.md): dates computed from go-live, null until it is set.
async fn get_klik(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let k = kommune(&nr)?;
    let plan = app::service::klik::plan(&state.ctx, &actor, k).await?;
    let opgaver: Vec<Value> = plan
        .opgaver
        .iter()
        .map(|r| {
            json!({
                "kode": r.opgave.kode,
                "titel": r.opgave.titel,
                "start": r.start,
                "slut": r.slut,
                "status": r.status.key(),
                "forsinket": r.overdue,
            })
        })
        .collect();
    Ok(Json(json!({ "go_live": plan.go_live, "opgaver": opgaver })))
}

#[derive(serde::Deserialize)]
struct BacklogQuery {
    format: Option<String>,
}

/// The published backlog, public: JSON, or CSV with `?format=csv`.
async fn get_backlog(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<BacklogQuery>,
) -> Result<Response, ApiError> {
    use app::service::aendring::backlog;
    let b = backlog::backlog(&state.ctx, None).await?;
    match q.format.as_deref() {
        Some("csv") => Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"ky-backlog.csv\""),
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
async fn get_hoeringssvar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<BacklogQuery>,
) -> Result<Response, ApiError> {
    use app::service::hoering::public;
    let id: i64 = id.parse().map_err(|_| ApiError(AppError::NotFound("Høringen".into())))?;
    let h = public::public(&state.ctx, id).await?;
    match q.format.as_deref() {
        Some("csv") => Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"hoeringssvar.csv\""),
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

fn kommune(nr: &str) -> Result<Kommunenr, ApiError> {
    Kommunenr::parse(nr).map_err(|e| ApiError(AppError::NotFound(format!("Kommune {nr:?} ({e})"))))
}

async fn get_opgavepakker(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
) -> Result<Json<CountsSnapshot>, ApiError> {
    let k = kommune(&nr)?;
    let board = board::board(&state.ctx, &actor, k).await?;
    Ok(Json(CountsSnapshot::from(&board.counts)))
}

async fn post_daekning(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let k = kommune(&nr)?;
    let Json(body) = body.map_err(|e| ApiError(AppError::field("body", format!("Ugyldig JSON: {}", e.body_text()))))?;
    let input = daekning_input(&body)?;
    let done = daekning::ingest(&state.ctx, &actor, k, &input).await?;
    let status = if done.created { StatusCode::CREATED } else { StatusCode::OK };
    let answer = json!({
        "opgavepakke_foer": done.opgavepakke_foer.map(|p| p.code()),
        "opgavepakke_efter": done.opgavepakke_efter.map(|p| p.code()),
    });
    Ok((status, Json(answer)).into_response())
}

/// Reads the body's fields as text; `beloeb` may be a JSON number or a string.
fn daekning_input(body: &Value) -> Result<DaekningInput, ApiError> {
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
