//! The real server on a free port with a fresh SQLite file: REST API v1, live push, the
//! cross-origin guard, login through the server function, and pages; then the security
//! checks: where a login may send the user, password guessing, how integrations are audited,
//! the Content-Security-Policy and its nonce, caching of personal data, and CSV cells.

#![recursion_limit = "512"]

use app::domain::{Kommunenr, Role};
use app::service::auth;
use app::service::import::{ImportOptions, import_extract};
use fixtures::testing::{ExtractBuilder, TestDb};
use futures::StreamExt;
use serde_json::{Value, json};
use server::config::ServeOptions;
use server::startup::Application;
use std::time::Duration;

struct TestApp {
    base: String,
    db: TestDb,
    token: String,
    /// a fordring in opgavepakke 12
    f12: String,
    client: reqwest::Client,
}

/// A server on a free port, plain HTTP.
fn serve_options() -> ServeOptions {
    ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        production: false,
        secure_cookies: false,
        session_hours: 8,
        ..ServeOptions::from_env()
    }
}

async fn spawn_app() -> TestApp {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let b = x.bevilling(&cpr, "KTH");
    let f12 = x.fordring(&cpr, &b, "P");
    x.fordring(&cpr, &b, "R");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, Kommunenr::parse("751").unwrap(), &dir, &ImportOptions::default()).await.unwrap();
    let token = auth::create_token(&db.ctx.db, Kommunenr::parse("751").unwrap(), "oekonomi").await.unwrap();
    db.user("mette", Role::Sagsbehandler, Some(751)).await;
    let opts = serve_options();
    let app = Application::build(&db.url(), &opts).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    // A bounded wait: a request that hangs fails its test instead of stalling the whole run.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp { base, db, token, f12, client }
}

impl TestApp {
    async fn get_counts(&self, token: Option<&str>, kommune: &str) -> reqwest::Response {
        let mut req = self.client.get(format!("{}/api/v1/kommuner/{kommune}/opgavepakker", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    async fn post_daekning(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/kommuner/751/daekninger", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn counts_need_credentials_and_stay_within_the_kommune() {
    let app = spawn_app().await;
    assert_eq!(app.get_counts(None, "751").await.status(), 401);
    assert_eq!(app.get_counts(Some("ab_wrong"), "751").await.status(), 401);
    let other = app.get_counts(Some(&app.token), "461").await;
    assert_eq!(other.status(), 403);
    let body: Value = other.json().await.unwrap();
    assert!(body["error"].is_string());

    let ok = app.get_counts(Some(&app.token), "751").await;
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    let opgavepakker = body["pakker"].as_object().unwrap();
    assert_eq!(opgavepakker.len(), 17);
    assert_eq!(
        (opgavepakker["12"].as_i64(), opgavepakker["10"].as_i64(), opgavepakker["03"].as_i64()),
        (Some(1), Some(1), Some(0))
    );
    assert!(body["version"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn a_daekning_is_created_once_and_moves_the_task() {
    let app = spawn_app().await;
    let body = json!({"daekning_id": "4711", "fordring_id": app.f12, "art": "daekning", "beloeb": 1250.0, "dato": "2026-11-20"});
    let first = app.post_daekning(&body).await;
    assert_eq!(first.status(), 201);
    assert_eq!(first.json::<Value>().await.unwrap(), json!({"opgavepakke_foer": "12", "opgavepakke_efter": "03"}));
    let again = app.post_daekning(&body).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), json!({"opgavepakke_foer": "12", "opgavepakke_efter": "03"}));
    let counts: Value = app.get_counts(Some(&app.token), "751").await.json().await.unwrap();
    assert_eq!((counts["pakker"]["03"].as_i64(), counts["pakker"]["09"].as_i64()), (Some(1), Some(1)));
}

#[tokio::test]
async fn bad_daekninger_get_a_4xx_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"daekning_id": "1", "fordring_id": app.f12, "art": "daekning", "beloeb": "abc", "dato": "2026-11-20"}),
            422,
            "beloeb",
        ),
        (
            json!({"daekning_id": "1", "fordring_id": "NOPE", "art": "daekning", "beloeb": "1", "dato": "2026-11-20"}),
            422,
            "fordring_id",
        ),
        (json!({"daekning_id": "1", "fordring_id": app.f12, "art": "daekning", "beloeb": "1"}), 422, "dato"),
        (
            json!({"daekning_id": "1", "fordring_id": app.f12, "art": "betaling", "beloeb": "1", "dato": "2026-11-20"}),
            422,
            "art",
        ),
    ];
    for (body, status, field) in cases {
        let res = app.post_daekning(&body).await;
        assert_eq!(res.status(), status, "{body}");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["field"], field, "{answer}");
        assert!(answer["error"].as_str().unwrap().contains(field));
    }
    let not_json = app
        .client
        .post(format!("{}/api/v1/kommuner/751/daekninger", app.base))
        .bearer_auth(&app.token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 422);
}

/// The OpenAPI document is served and describes every route of `/api/v1` with its errors as
/// `{"error","field"}`; an undecodable path or query is answered in that form too.
#[tokio::test]
async fn the_api_is_described_and_answers_as_described() {
    let app = spawn_app().await;
    let res = app.client.get(format!("{}/api/v1/openapi.json", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/kommuner/{nr}/opgavepakker",
        "/api/v1/kommuner/{nr}/daekninger",
        "/api/v1/kommuner/{nr}/rapport",
        "/api/v1/kommuner/{nr}/revisionslog",
        "/api/v1/kommuner/{nr}/bevillingstyper",
        "/api/v1/kommuner/{nr}/klik",
        "/api/v1/backlog",
        "/api/v1/hoeringer/{id}/svar",
        "/api/v1/succeskriterier",
    ] {
        assert!(paths.contains_key(path), "{path} is not in the document");
    }
    // every reference resolves
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| match (k.as_str(), v) {
                ("$ref", Value::String(r)) => out.push(r),
                _ => refs(v, out),
            }),
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
        assert!(doc["components"]["schemas"].get(name).is_some(), "{r} does not resolve");
    }
    let error = &doc["components"]["schemas"]["ApiErrorBody"];
    assert_eq!(error["required"], json!(["error", "field"]), "{error}");
    let counts = &paths["/api/v1/kommuner/{nr}/opgavepakker"]["get"]["responses"];
    assert_eq!(counts["401"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiErrorBody");
    // what axum would answer in plain text
    let bad_path = app.client.get(format!("{}/api/v1/hoeringer/%FF/svar", app.base)).send().await.unwrap();
    assert_eq!(bad_path.status(), 404);
    let body: Value = bad_path.json().await.unwrap();
    assert!(body["error"].is_string() && body.get("field").is_some(), "{body}");
    let bad_query = app
        .client
        .get(format!("{}/api/v1/kommuner/751/revisionslog?foer=igaar", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_query.status(), 422);
    let body: Value = bad_query.json().await.unwrap();
    assert_eq!(body["field"], "query", "{body}");
}

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/sf/login", app.base))
        .header("origin", "https://evil.example")
        .form(&[("username", "mette"), ("password", "hemmelig-kode")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn login_sets_an_http_only_session_cookie_and_redirects_a_plain_form_post() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/sf/login", app.base))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .form(&[("username", "mette"), ("password", "hemmelig-kode")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/opgavepakker");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let wrong = app
        .client
        .post(format!("{}/sf/login", app.base))
        .header("accept", "text/html")
        .form(&[("username", "mette"), ("password", "nej")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 302);
    assert!(wrong.headers()["location"].to_str().unwrap().starts_with("/login?fejl=1"));
}

#[tokio::test]
async fn an_open_board_is_pushed_the_new_counts_when_a_daekning_arrives() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/live/kommuner/751/opgavepakker", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut stream = res.bytes_stream();
    let mut seen = String::new();
    let next_event = |seen: &mut String| {
        let end = seen.find("\n\n")?;
        let event: String = seen.drain(..end + 2).collect();
        let data = event.lines().find_map(|l| l.strip_prefix("data: "))?.to_string();
        serde_json::from_str::<Value>(&data).ok()
    };
    // the snapshot comes first
    let first = loop {
        if let Some(v) = next_event(&mut seen) {
            break v;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    };
    assert_eq!(first["pakker"]["12"], 1);

    let body =
        json!({"daekning_id": "9", "fordring_id": app.f12, "art": "afskrivning", "beloeb": "10", "dato": "2026-11-20"});
    assert_eq!(app.post_daekning(&body).await.status(), 201);
    let pushed = loop {
        if let Some(v) = next_event(&mut seen) {
            break v;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    };
    assert_eq!((pushed["pakker"]["12"].as_i64(), pushed["pakker"]["03"].as_i64()), (Some(0), Some(1)));
    assert!(pushed["version"].as_i64() > first["version"].as_i64());
}

#[tokio::test]
async fn pages_render_on_the_server_and_a_guest_is_sent_to_login() {
    let app = spawn_app().await;
    let login = app.client.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_eq!(login.status(), 200);
    assert!(login.text().await.unwrap().contains("Log ind på Arbejdsbord"));
    let missing = app.client.get(format!("{}/findes-ikke", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let _ = &app.db;
}

#[tokio::test]
async fn another_kommunes_pages_show_the_refusal_without_counts_list_or_buttons() {
    let app = spawn_app().await;
    app.db.user("odense.sb", Role::Sagsbehandler, Some(461)).await;
    let cookie = app.session("odense.sb").await;
    let task = {
        let mut conn = app.db.ctx.db.read.acquire().await.unwrap();
        app::store::tasks::opret_of_fordring(&mut conn, 751, &app.f12).await.unwrap().unwrap()
    };
    let refusal = "Du har ikke adgang til opgaverne i Aarhus (751).";
    let page = |path: String| {
        let (app, cookie) = (&app, &cookie);
        async move {
            let res = app.client.get(format!("{}{path}", app.base)).header("cookie", cookie).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res.text().await.unwrap()
        }
    };

    let opgavepakke = page("/opgavepakker/12?kommune=751".into()).await;
    assert!(opgavepakke.contains(refusal), "{opgavepakke}");
    for absent in ["Næste opgave", "åbne opgaver i", "pakke-antal", "<table", "Anne Hansen"] {
        assert!(!opgavepakke.contains(absent), "{absent:?} on a refused package page");
    }
    // the list is not asked for once the board is refused: one page view, one refusal
    assert_eq!(app.audit(app::store::audit::AuditAction::Refused).await.len(), 1);

    let board = page("/opgavepakker?kommune=751".into()).await;
    assert!(board.contains(refusal));
    assert!(!board.contains("data-opgavepakke"), "no tiles on a refused board");

    let task_page = page(format!("/opgaver/{task}")).await;
    assert!(task_page.contains(refusal));
    for absent in ["Anne Hansen", "Gem og luk opgaven", "Afslut bevilling"] {
        assert!(!task_page.contains(absent), "{absent:?} on a refused task page");
    }

    // the server function behind the list refuses with the same error, as a 403
    let answer = app
        .client
        .post(format!("{}/sf/get_board", app.base))
        .header("cookie", &cookie)
        .form(&[("kommune", "751")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    let error: app::error::AppError = answer.json().await.unwrap();
    assert_eq!(error.to_string(), refusal);
}

#[tokio::test]
async fn the_own_opgavepakke_page_shows_count_list_and_button_and_reads_the_list_once() {
    let app = spawn_app().await;
    let cookie = app.session("mette").await;
    let res = app
        .client
        .get(format!("{}/opgavepakker/12?kommune=751", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    for present in ["Næste opgave", "åbne opgaver i", "Anne Hansen"] {
        assert!(html.contains(present), "{present:?} missing from the package page");
    }
    // every person shown is audited, once per page view
    assert_eq!(app.audit(app::store::audit::AuditAction::ShowTaskList).await.len(), 1);
}

#[tokio::test]
async fn an_estimate_with_an_empty_or_mistyped_hours_field_gets_a_field_message_not_a_400() {
    let app = spawn_app().await;
    app.db.user("netcompany", Role::Leverandoer, None).await;
    let cookie = app.session("netcompany").await;
    for (hours, message) in
        [("", "Angiv et groft estimat i timer (1–100.000)."), ("1,5", "Skriv et helt antal timer med cifre, fx 40.")]
    {
        let answer = app
            .client
            .post(format!("{}/sf/estimate_aendring", app.base))
            .header("cookie", &cookie)
            .form(&[("id", "1"), ("hours", hours), ("note", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422, "{hours:?}");
        let error: app::error::AppError = answer.json().await.unwrap();
        assert_eq!(error.message_for("hours").as_deref(), Some(message), "{hours:?}");
    }
}

#[tokio::test]
async fn a_hearings_answers_are_public_as_json_and_csv_without_kommune_or_person() {
    use app::domain::hoering::HoeringForm;
    use app::service::hoering::{self, svar};
    let app = spawn_app().await;
    let user = |a: app::service::Actor| match a {
        app::service::Actor::User(u) => u,
        _ => unreachable!(),
    };
    let kombit = user(app.db.user("kombit", Role::Kombit, None).await);
    let aarhus = user(app.db.user("aarhus.hoering", Role::Hoeringsansvarlig, Some(751)).await);
    let form = HoeringForm {
        title: "Høring".into(),
        material: "Materiale".into(),
        sections: "3.3 Udbetaling".into(),
        deadline: (app::clock::today() + chrono::Duration::days(7)).to_string(),
    };
    let ctx = &app.db.ctx;
    let id = hoering::open(ctx, &kombit, &form).await.unwrap();
    let afsnit = hoering::view(ctx, &aarhus, id, &Default::default()).await.unwrap().sections[0].id;
    let answer = svar::new_draft(ctx, &aarhus, id, afsnit, "=1+1 ønsker straksudbetaling").await.unwrap();
    svar::submit(ctx, &aarhus, answer, 1).await.unwrap();
    let json = app.client.get(format!("{}/api/v1/hoeringer/{id}/svar", app.base)).send().await.unwrap();
    assert_eq!(json.status(), 200);
    let body: Value = json.json().await.unwrap();
    assert_eq!(body["svar"][0]["nr"], 1);
    assert!(body["svar"][0].get("kommune").is_none());
    assert!(!body.to_string().contains("aarhus.hoering"));
    let csv = app.client.get(format!("{}/api/v1/hoeringer/{id}/svar?format=csv", app.base)).send().await.unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}nr;afsnit;afsnit_titel;svar;"), "{text}");
    assert!(text.contains(";'=1+1 ønsker"), "a formula comes out as text: {text}");
    let missing = app.client.get(format!("{}/api/v1/hoeringer/999/svar", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    // The public page renders on the server, with the answer and without kommune or person.
    let page = app.client.get(format!("{}/hoering/{id}/svar", app.base)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Svar nr. 1") && html.contains("straksudbetaling"), "{html}");
    assert!(!html.contains("Aarhus") && !html.contains("aarhus.hoering"));
    // The logged-in pages render: KOMBIT's queue shows the answer with its kommune, the
    // høringsansvarlig's page the receipt; a høringsansvarlig starts at /hoeringer.
    let login = app.post_login("aarhus.hoering", "hemmelig-kode", None).await;
    assert_eq!(location(&login), "/hoeringer");
    for (who, expect) in [("kombit", "Aarhus"), ("aarhus.hoering", "Kvittering: H")] {
        let cookie = app.session(who).await;
        for path in ["/hoeringer".to_string(), format!("/hoeringer/{id}")] {
            let res = app.client.get(format!("{}{path}", app.base)).header("cookie", &cookie).send().await.unwrap();
            assert_eq!(res.status(), 200, "{who} {path}");
            let html = res.text().await.unwrap();
            if path != "/hoeringer" {
                assert!(html.contains(expect), "{who} {path}: {html}");
            }
        }
    }
}

#[tokio::test]
async fn the_backlog_is_public_as_json_and_csv() {
    let app = spawn_app().await;
    let json = app.client.get(format!("{}/api/v1/backlog", app.base)).send().await.unwrap();
    assert_eq!(json.status(), 200);
    let body: Value = json.json().await.unwrap();
    assert_eq!(body["weights_version"], 1);
    assert!(body["items"].as_array().unwrap().is_empty());
    let csv = app.client.get(format!("{}/api/v1/backlog?format=csv", app.base)).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.text().await.unwrap().starts_with("\u{feff}rank;id;key;title"), "a byte-order mark first");
    let bad = app.client.get(format!("{}/api/v1/backlog?format=xml", app.base)).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    // the public live stream answers without login; the full one needs it
    let live = app.client.get(format!("{}/live/backlog", app.base)).send().await.unwrap();
    assert_eq!(live.status(), 200);
    let full = app.client.get(format!("{}/live/aendringer", app.base)).send().await.unwrap();
    assert_eq!(full.status(), 401);
}

#[tokio::test]
async fn kombit_uploads_the_legacy_pool_as_multipart_and_others_are_refused() {
    let app = spawn_app().await;
    app.db.user("kombit", Role::Kombit, None).await;
    let login = |username: &'static str| {
        let app = &app;
        async move {
            let res = app
                .client
                .post(format!("{}/sf/login", app.base))
                .form(&[("username", username), ("password", "hemmelig-kode")])
                .send()
                .await
                .unwrap();
            let cookie = res.headers()["set-cookie"].to_str().unwrap();
            cookie.split(';').next().unwrap().to_string()
        }
    };
    let header = app::domain::aendring::cleanup::POOL_COLUMNS.join(";");
    let csv = format!(
        "{header}\nAE-2020-00001;Titel;Udfordring;Kontanthjælp;Mange;Nej;brugervenlighed;Beskrivelse;;751;2020-03-01;Breve;visitering;;\n"
    );
    let upload = |cookie: String, body: String| {
        let app = &app;
        async move {
            let part = reqwest::multipart::Part::text(body).file_name("puljen.csv").mime_str("text/csv").unwrap();
            let res = app
                .client
                .post(format!("{}/sf/import_pool_csv", app.base))
                .header("cookie", cookie)
                .multipart(reqwest::multipart::Form::new().part("fil", part))
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, _) = upload(login("mette").await, csv.clone()).await;
    assert_eq!(status, 403, "a caseworker may not import the pool");

    let kombit = login("kombit").await;
    let (status, body) = upload(kombit.clone(), csv.replace("2020-03-01", "2020-02-31")).await;
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["new"], 0);
    assert!(report["errors"][0].as_str().unwrap().starts_with("puljen.csv:2: kolonne indmeldt"), "{body}");

    let (status, body) = upload(kombit, csv).await;
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((report["rows"].as_u64(), report["new"].as_u64()), (Some(1), Some(1)), "{body}");
}

// ---- Security: redirects, password guessing, audit names, origins, headers, caching, CSV ----

impl TestApp {
    /// A login as a plain form post from our own page.
    async fn post_login(&self, username: &str, password: &str, next: Option<&str>) -> reqwest::Response {
        let mut form = vec![("username", username), ("password", password)];
        if let Some(n) = next {
            form.push(("next", n));
        }
        self.client
            .post(format!("{}/sf/login", self.base))
            .header("origin", &self.base)
            .header("accept", "text/html")
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// The session cookie (`name=value`) of a fresh login.
    async fn session(&self, username: &str) -> String {
        let res = self.post_login(username, "hemmelig-kode", None).await;
        assert_eq!(res.status(), 302, "login of {username}");
        res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
    }

    async fn audit(&self, action: app::store::audit::AuditAction) -> Vec<app::store::audit::AuditRow> {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        app::store::audit::by_action(&mut conn, action).await.unwrap()
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn login_only_ever_sends_the_user_on_to_a_path_on_this_site() {
    let app = spawn_app().await;
    for attack in [
        "/\\evil.example",
        "/\\\\evil.example",
        "/%5Cevil.example",
        "//evil.example",
        "/\t/evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
    ] {
        let res = app.post_login("mette", "hemmelig-kode", Some(attack)).await;
        assert_eq!((res.status().as_u16(), location(&res)), (302, "/opgavepakker".to_string()), "{attack:?}");
        let wrong = app.post_login("mette", "forkert-kode", Some(attack)).await;
        assert_eq!(location(&wrong), "/login?fejl=1&next=/", "{attack:?}");
    }
    let res = app.post_login("mette", "hemmelig-kode", Some("/opgavepakker/03?kommune=751")).await;
    assert_eq!(location(&res), "/opgavepakker/03?kommune=751");
    let wrong = app.post_login("mette", "forkert-kode", Some("/opgavepakker/03?kommune=751")).await;
    assert_eq!(location(&wrong), "/login?fejl=1&next=/opgavepakker/03%3Fkommune%3D751");
    // the login page does not carry a foreign `next` into its form either
    let page = app.client.get(format!("{}/login?next=/%5Cevil.example", app.base)).send().await.unwrap();
    assert!(!page.text().await.unwrap().contains("evil.example"));
}

#[tokio::test]
async fn guessing_passwords_makes_the_login_wait_even_for_the_right_one_and_is_audited() {
    let app = spawn_app().await;
    let json_login = |password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/sf/login", app.base))
                .form(&[("username", "mette"), ("password", password)])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..4 {
        assert_eq!(json_login("forkert-kode").await.status(), 401);
    }
    // The fifth wrong password locks for 1 s, each further one doubles it. Wait out the first
    // two locks (real time: the lock is real time), so the checks below run inside a 4 s lock.
    let mut wait = 0;
    for expected in [1, 2, 4] {
        tokio::time::sleep(Duration::from_millis(wait * 1000 + 100)).await;
        let res = json_login("forkert-kode").await;
        assert_eq!(res.status(), 429);
        wait = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert_eq!(wait, expected);
    }
    let right = json_login("hemmelig-kode").await;
    assert_eq!(right.status(), 429, "while locked even the right password is refused");
    assert!(right.headers().get("set-cookie").is_none());
    let body = right.text().await.unwrap();
    assert!(body.contains("TooManyAttempts"), "{body}");

    let form = app.post_login("mette", "hemmelig-kode", None).await;
    assert_eq!(form.status(), 302);
    let to = location(&form);
    assert!(to.starts_with("/login?fejl=spaerret&vent="), "{to}");
    let page = app.client.get(format!("{}{to}", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("For mange forkerte forsøg. Prøv igen om "), "{page}");
    assert!(page.contains(" sekunder (kl. ") || page.contains(" sekund (kl. "), "{page}");

    let audit = app.audit(app::store::audit::AuditAction::LoginLocked).await;
    assert_eq!(audit.len(), 5, "three locks and two refused attempts: {audit:?}");
    assert!(audit.iter().all(|a| a.actor == "anonym@127.0.0.1" && a.kommune == Some(751)), "{audit:?}");
    assert!(audit.iter().all(|a| a.detail.contains("\"mette\"")), "{audit:?}");

    // once the lock has run out the right password works, and the count starts afresh
    tokio::time::sleep(Duration::from_millis(4_100)).await;
    assert_eq!(json_login("hemmelig-kode").await.status(), 200);
    assert_eq!(json_login("forkert-kode").await.status(), 401);
}

#[tokio::test]
async fn an_integration_is_audited_with_its_kommune_and_token() {
    let app = spawn_app().await;
    let odense = auth::create_token(&app.db.ctx.db, Kommunenr::parse("461").unwrap(), "oekonomi").await.unwrap();
    assert_eq!(app.get_counts(Some(&app.token), "101").await.status(), 403);
    assert_eq!(app.get_counts(Some(&odense), "101").await.status(), 403);
    let actors: Vec<String> =
        app.audit(app::store::audit::AuditAction::Refused).await.into_iter().map(|a| a.actor).collect();
    assert_eq!(actors.len(), 2);
    assert!(actors[0].starts_with("api:751:oekonomi#"), "{actors:?}");
    assert!(actors[1].starts_with("api:461:oekonomi#"), "{actors:?}");
}

#[tokio::test]
async fn only_logged_in_users_follow_the_aendringer_stream_not_an_integration() {
    let app = spawn_app().await;
    let live = |auth: (&'static str, String)| {
        let app = &app;
        async move { app.client.get(format!("{}/live/aendringer", app.base)).header(auth.0, auth.1).send().await.unwrap() }
    };
    let token = live(("authorization", format!("Bearer {}", app.token))).await;
    assert_eq!(token.status(), 403);
    let refused = app.audit(app::store::audit::AuditAction::Refused).await;
    assert_eq!(refused.len(), 1);
    assert!(refused[0].actor.starts_with("api:751:") && refused[0].detail.contains("ændringsønsker"), "{refused:?}");
    let cookie = app.session("mette").await;
    assert_eq!(live(("cookie", cookie)).await.status(), 200);
}

#[tokio::test]
async fn a_write_from_another_scheme_or_with_a_foreign_referer_is_refused() {
    let app = spawn_app().await;
    let login = |header: Option<(&'static str, String)>| {
        let app = &app;
        async move {
            let mut req = app
                .client
                .post(format!("{}/sf/login", app.base))
                .form(&[("username", "mette"), ("password", "hemmelig-kode")]);
            if let Some((name, value)) = header {
                req = req.header(name, value);
            }
            req.send().await.unwrap().status().as_u16()
        }
    };
    let https_origin = app.base.replace("http://", "https://");
    assert_eq!(login(Some(("origin", https_origin))).await, 403, "https origin on an http site");
    assert_eq!(login(Some(("referer", "http://evil.example/side".into()))).await, 403);
    assert_eq!(login(Some(("referer", format!("{}/login", app.base.replace("127.0.0.1", "localhost"))))).await, 403);
    assert_ne!(login(Some(("referer", format!("{}/login?next=/x", app.base)))).await, 403);
    assert_ne!(login(None).await, 403, "integrations and curl send neither header");
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_whose_nonce_marks_every_inline_script() {
    let app = spawn_app().await;
    let nonce_of = |csp: &str| {
        let start = csp.find("'nonce-").expect("a nonce") + "'nonce-".len();
        csp[start..].split('\'').next().unwrap().to_string()
    };
    let page = app.client.get(format!("{}/login", app.base)).send().await.unwrap();
    let headers = page.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    for part in ["default-src 'self'", "'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let nonce = nonce_of(&csp);
    let html = page.text().await.unwrap();
    let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| &s[..s.find('>').unwrap()]).collect();
    assert!(!scripts.is_empty(), "the hydration script");
    for attrs in &scripts {
        assert!(attrs.contains(&format!("nonce=\"{nonce}\"")), "script without the nonce: <script{attrs}>");
    }
    assert!(!html.contains("style=\""), "an inline style attribute would be blocked");

    let again = app.client.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_ne!(nonce_of(again.headers()["content-security-policy"].to_str().unwrap()), nonce, "one nonce per response");
    // answers that are not pages allow nothing at all
    for path in ["/api/v1/backlog", "/live/backlog"] {
        let res = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert!(res.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"), "{path}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
    }
}

#[tokio::test]
async fn a_task_page_and_its_server_function_answer_are_never_stored() {
    let app = spawn_app().await;
    let task = {
        let mut conn = app.db.ctx.db.read.acquire().await.unwrap();
        app::store::tasks::opret_of_fordring(&mut conn, 751, &app.f12).await.unwrap().unwrap()
    };
    let cookie = app.session("mette").await;
    let page = app.client.get(format!("{}/opgaver/{task}", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let answer = app
        .client
        .post(format!("{}/sf/get_task", app.base))
        .header("cookie", &cookie)
        .form(&[("task_id", task.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    assert!(answer.text().await.unwrap().contains("Anne Hansen"));
    let counts = app.get_counts(Some(&app.token), "751").await;
    assert_eq!(counts.headers()["cache-control"], "no-store");
    let public = app.client.get(format!("{}/api/v1/backlog", app.base)).send().await.unwrap();
    assert_eq!(public.headers()["cache-control"], "public, max-age=60");
}

#[tokio::test]
async fn a_formula_in_a_backlog_title_comes_out_of_the_csv_as_text() {
    use app::domain::aendring::{Criterion, Status};
    use app::store::aendring::{aendringer, scores};
    let app = spawn_app().await;
    let formula = "=cmd|' /C calc'!A0";
    let scorer = {
        let mut conn = app.db.ctx.db.read.acquire().await.unwrap();
        app::store::users::by_username(&mut conn, "mette").await.unwrap().unwrap().id
    };
    let row = aendringer::NewAendring {
        key: "@AE-1".into(),
        text: aendringer::TemplateText {
            titel: formula.into(),
            aendring_type: "brugervenlighed".into(),
            ..Default::default()
        },
        kommune: 751,
        fagfaellesskab: "Kontanthjælp".into(),
        status: Status::IBacklog.key().into(),
        filed_at: "2025-01-01".into(),
        ..Default::default()
    };
    app.db
        .ctx
        .write(move |tx| {
            Box::pin(async move {
                let id = aendringer::insert(tx, &row).await?;
                for c in Criterion::ALL {
                    scores::upsert(tx, id, c.key(), scorer, 4, "2025-01-02T00:00:00.000Z").await?;
                }
                Ok(())
            })
        })
        .await
        .unwrap();
    let csv = app.client.get(format!("{}/api/v1/backlog?format=csv", app.base)).send().await.unwrap();
    let text = csv.text().await.unwrap();
    let row = text.lines().nth(1).expect("one request in the backlog");
    let cells: Vec<&str> = row.split(';').collect();
    assert_eq!((cells[2], cells[3]), ("'@AE-1", "'=cmd|' /C calc'!A0"), "{row}");
    assert!(cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])), "{row}");
}

// ---- Success criteria (issue 10) ----

#[tokio::test]
async fn the_success_criteria_page_shows_kombit_its_forms_and_the_styregruppe_none() {
    let app = spawn_app().await;
    fixtures::demo::succes::load(&app.db.ctx).await.unwrap();
    app.db.user("kombit", Role::Kombit, None).await;
    app.db.user("styregruppe", Role::Styregruppe, None).await;
    let page = |username: &'static str| {
        let app = &app;
        async move {
            let cookie = app.session(username).await;
            let res =
                app.client.get(format!("{}/succeskriterier", app.base)).header("cookie", cookie).send().await.unwrap();
            assert_eq!(res.status(), 200, "{username}");
            res.text().await.unwrap()
        }
    };
    let kombit = page("kombit").await;
    for present in [
        "Succeskriterier for KY",
        "data-testid=\"kriterium-A2\"",
        "Ikke opfyldt",
        "role=\"img\"",
        "Tallene bag grafen",
        "Næste måling: ",
        "Overskredet",
        "Gem måling",
        "name=\"form[vaerdi]\"",
        ">Succeskriterier</a>",
    ] {
        assert!(kombit.contains(present), "{present:?} on KOMBIT's page");
    }
    let styregruppe = page("styregruppe").await;
    assert!(styregruppe.contains("data-testid=\"kriterium-A2\"") && styregruppe.contains(">Succeskriterier</a>"));
    for absent in ["Gem måling", "Registrér en måling", "form[vaerdi]"] {
        assert!(!styregruppe.contains(absent), "{absent:?} on the styregruppe's page");
    }
    let worker = page("mette").await;
    assert!(worker.contains("Du har ikke adgang til dette."));
    assert!(!worker.contains(">Succeskriterier</a>"));
}

#[tokio::test]
async fn kombit_records_a_measurement_with_a_plain_form_post_and_reads_it_as_json() {
    let app = spawn_app().await;
    fixtures::demo::succes::load(&app.db.ctx).await.unwrap();
    app.db.user("kombit", Role::Kombit, None).await;
    let cookie = app.session("kombit").await;
    let c3 = {
        let d = app::service::succeskriterium::dashboard(&app.db.ctx, &app::service::Actor::System).await.unwrap();
        d.maalsaetninger[1].kriterier.iter().find(|k| k.nummer == "C3").unwrap().id
    };
    let today = app::clock::today().format("%d.%m.%Y").to_string();
    let c3_id = c3.to_string();
    let form = [
        ("form[kriterium_id]", c3_id.as_str()),
        ("form[maalepunkt]", "1"),
        ("form[vaerdi]", "83,3"),
        ("form[stikproeve]", "57"),
        ("form[maalt]", today.as_str()),
        ("form[kilde]", "Spørgeskema til ydelseschefer"),
    ];
    let res = app
        .client
        .post(format!("{}/sf/record_maaling", app.base))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .header("referer", format!("{}/succeskriterier", app.base))
        .header("accept", "text/html")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    // leptos_axum sends a plain form post back to the page it came from.
    assert!(location(&res).contains("/succeskriterier"), "{}", location(&res));

    let json =
        app.client.get(format!("{}/api/v1/succeskriterier", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(json.status(), 200);
    let body: Value = json.json().await.unwrap();
    let c3 = body["kriterier"].as_array().unwrap().iter().find(|k| k["nummer"] == "C3").unwrap().clone();
    assert_eq!(c3["opfyldt"], true);
    assert_eq!(c3["maalinger"][0]["vaerdi"], 83.3);
    assert_eq!(c3["maalinger"][0]["stikproeve"], 57);
    assert_eq!(c3["naeste_maaling"]["maaletidspunkt"], "Et år efter kommunal ibrugtagning");
    // A kommune's token does not read KOMBIT's criteria.
    let token =
        app.client.get(format!("{}/api/v1/succeskriterier", app.base)).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(token.status(), 403);
}

#[tokio::test]
async fn health_says_live_and_ready_and_a_stop_ends_live_streams_and_the_server() {
    let db = TestDb::new().await;
    let opts = serve_options();
    let app = Application::build(&db.url(), &opts).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let stopper = app.stopper();
    let server = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();

    let live = client.get(format!("{base}/health/live")).send().await.unwrap();
    assert_eq!(live.status(), 200);
    let ready = client.get(format!("{base}/health/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "ok");
    let newest = app::store::MIGRATOR.iter().map(|m| m.version).max().unwrap();
    assert_eq!(ready["schema"].as_i64(), Some(newest), "ready means every migration is applied");

    // A browser follows the public backlog; the server is told to stop.
    let stream = client.get(format!("{base}/live/backlog")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut stream = stream.bytes_stream();
    stopper.stop();
    // The stream ends (the browser reconnects elsewhere) and the server returns.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the live stream ends when the server stops");
    let stopped = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "the server stops once its streams have ended: {stopped:?}");
    assert!(client.get(format!("{base}/health/live")).send().await.is_err(), "nothing listens after the stop");
}

#[tokio::test]
async fn the_sessions_page_lists_the_browser_and_a_removed_user_is_refused_on_the_next_request() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/sf/login", app.base))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .header("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")
        .form(&[("username", "mette"), ("password", "hemmelig-kode")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let other = app.session("mette").await;

    let page = app.client.get(format!("{}/sessioner", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for present in ["Dine sessioner", "Firefox på Windows", "Ukendt browser", "Log ud alle andre steder (1)"] {
        assert!(html.contains(present), "{present:?} missing from the sessions page");
    }

    let api =
        |c: String| app.client.get(format!("{}/api/v1/kommuner/751/opgavepakker", app.base)).header("cookie", c).send();
    assert_eq!(api(cookie.clone()).await.unwrap().status(), 200);
    app::service::accounts::remove_user(&app.db.ctx.db, "cli:test", "mette").await.unwrap();
    assert_eq!(api(cookie.clone()).await.unwrap().status(), 401);
    assert_eq!(api(other).await.unwrap().status(), 401);
    let page = app.client.get(format!("{}/sessioner", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert!(!page.text().await.unwrap().contains("Firefox på Windows"));
}

#[tokio::test]
async fn the_data_protection_officer_searches_the_log_on_a_page_and_downloads_it_as_csv() {
    let app = spawn_app().await;
    app.db.user("aarhus.dpo", Role::Databeskyttelse, Some(751)).await;
    // mette looks at the package list: one audit row per person shown.
    let mette = app.session("mette").await;
    let list = app.client.get(format!("{}/opgavepakker/12?kommune=751", app.base)).header("cookie", &mette).send();
    assert_eq!(list.await.unwrap().status(), 200);

    let dpo = app.session("aarhus.dpo").await;
    let page = app.client.get(format!("{}/revisionslog?bruger=mette", app.base)).header("cookie", &dpo).send();
    let page = page.await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    for present in [
        "Revisionslog",
        "vis opgaveliste",
        "Hent som CSV",
        "/api/v1/kommuner/751/revisionslog?format=csv&amp;bruger=mette",
    ] {
        assert!(html.contains(present), "{present:?} missing from the audit page");
    }

    let csv = app
        .client
        .get(format!("{}/api/v1/kommuner/751/revisionslog?format=csv&bruger=mette", app.base))
        .header("cookie", &dpo)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("revisionslog-751-"));
    let body = csv.text().await.unwrap();
    assert!(body.starts_with("\u{feff}tidspunkt;bruger;cpr;handling;detaljer\r\n"), "{body}");
    assert!(body.contains(";mette;"));
    assert_eq!(app.audit(app::store::audit::AuditAction::ExportAuditLog).await.len(), 1);

    // A caseworker and an integration get 403 (audited), a guest 401.
    let refused = app.client.get(format!("{}/api/v1/kommuner/751/revisionslog", app.base));
    assert_eq!(refused.try_clone().unwrap().header("cookie", &mette).send().await.unwrap().status(), 403);
    assert_eq!(refused.try_clone().unwrap().bearer_auth(&app.token).send().await.unwrap().status(), 403);
    assert_eq!(refused.send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn an_open_board_of_a_removed_user_stops_its_live_stream_and_cannot_reconnect() {
    let app = spawn_app().await;
    let cookie = app.session("mette").await;
    let url = format!("{}/live/kommuner/751/opgavepakker", app.base);
    let res = app.client.get(&url).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut stream = res.bytes_stream();
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap();
    assert!(first.is_some_and(|c| c.is_ok()), "the snapshot");

    app::service::accounts::remove_user(&app.db.ctx.db, "cli:test", "mette").await.unwrap();
    // The stream ends at the next session check (15 s); keep-alives may come before that.
    let ended = tokio::time::timeout(Duration::from_secs(25), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    });
    assert!(ended.await.is_ok(), "the stream of a removed user ends");
    assert_eq!(app.client.get(&url).header("cookie", &cookie).send().await.unwrap().status(), 401);
}

/// Leptos marks "route generation in progress" with one flag for the whole process, and while
/// it is set every resource waits forever; building a second server in the process (as these
/// tests do) must not leave a page that is being served half-streamed.
#[test]
fn a_page_being_served_while_another_server_starts_does_not_hang() {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                // SQLite whatever the tests run on: hundreds of PostgreSQL pools would use up
                // the test server's connections; the database plays no part here.
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("starts.db").display());
                let mut built = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    drop(Application::build(&url, &serve_options()).await.unwrap());
                    built += 1;
                }
                built
            })
        })
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stalled = rt.block_on(async {
        let app = spawn_app().await;
        let cookie = app.session("mette").await;
        let mut stalled = Vec::new();
        for i in 0..150 {
            // Streamed (out of order) and whole (async) pages.
            let path = if i % 2 == 0 { "/plan" } else { "/opgavepakker/12" };
            let page = async {
                let res = app.client.get(format!("{}{path}", app.base)).header("cookie", &cookie).send().await?;
                assert_eq!(res.status(), 200, "{path}");
                res.text().await
            };
            match tokio::time::timeout(Duration::from_secs(5), page).await {
                Ok(html) => assert!(html.unwrap().contains("</html>"), "{path}"),
                Err(_) => stalled.push(path),
            }
        }
        stalled
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let built = builder.join().unwrap();
    assert!(built > 0);
    assert!(stalled.is_empty(), "{} of 150 pages stalled while {built} servers started: {stalled:?}", stalled.len());
}
