//! The OpenAPI 3 document of `/api/v1` (served at `/api/v1/openapi.json`), generated from the
//! handlers' `#[utoipa::path]` descriptions and the wire types' `ToSchema` derives — the code
//! is the document. CI runs Schemathesis against it (`scripts/api-check.sh`).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "KY Arbejdsbord",
        version = "1",
        description = "For integrations: a kommune's counts, dækninger from the finance system, report R2.1, the audit log, UI 04 and KLIK; the published backlog and hearing answers are public. Authenticate with `Authorization: Bearer TOKEN` (`arbejdsbord token add --kommune NNN --name NAME`) or a browser session. Every error is `{\"error\", \"field\"}` with a 4xx status. Texts are Danish.",
    ),
    paths(
        crate::api_v1::get_opgavepakker,
        crate::api_v1::post_daekning,
        crate::api_report::get_rapport,
        crate::api_audit::get_revisionslog,
        crate::api_v1::get_bevillingstyper,
        crate::api_v1::get_klik,
        crate::api_v1::get_backlog,
        crate::api_v1::get_hoeringssvar,
        crate::api_v1::get_succeskriterier,
    ),
    // Types only parameters name (bodies' types are collected from the paths).
    components(schemas(crate::api_v1::JsonOrCsv, crate::api_v1::JsonOrXlsx, crate::api_report::RapportFormat)),
    modifiers(&Security),
    security(("token" = []), ("session" = [])),
    tags(
        (name = "MI 38", description = "The kommune's migration work: counts, dækninger, report R2.1, KLIK"),
        (name = "UI 04", description = "The review of bevillingstyper"),
        (name = "Ændringsønsker", description = "The published backlog, hearings and success criteria"),
        (name = "Drift", description = "Operations: who looked at whom"),
    ),
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::service::auth::SESSION_COOKIE))),
        );
    }
}

/// The document, built once.
pub fn document() -> utoipa::openapi::OpenApi {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi).clone()
}
