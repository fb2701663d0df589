//! `GET /api/v1/kommuner/{nr}/rapport` on the real server: who may download (token or session,
//! own kommune, project lead), and what the download looks like on the wire.

#![recursion_limit = "512"]

use app::domain::{Kommunenr, Role};
use app::service::auth;
use app::service::import::{ImportOptions, import_extract};
use fixtures::testing::{ExtractBuilder, TestDb};
use serde_json::Value;
use server::config::ServeOptions;
use server::startup::Application;

struct TestApp {
    base: String,
    _db: TestDb,
    token: String,
    odense_token: String,
    lead_cookie: String,
    caseworker_cookie: String,
    client: reqwest::Client,
}

async fn spawn_app() -> TestApp {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let b = x.bevilling(&cpr, "KTH");
    x.fordring(&cpr, &b, "P");
    x.fordring(&cpr, &b, "R");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    let aarhus = Kommunenr::parse("751").unwrap();
    import_extract(&db.ctx.db, aarhus, &dir, &ImportOptions::default()).await.unwrap();
    let token = auth::create_token(&db.ctx.db, aarhus, "oekonomi").await.unwrap();
    let odense_token = auth::create_token(&db.ctx.db, Kommunenr::parse("461").unwrap(), "oekonomi").await.unwrap();
    db.user("mette", Role::Sagsbehandler, Some(751)).await;
    db.user("aarhus.pl", Role::Projektleder, Some(751)).await;
    let cookie = |t: String| format!("{}={t}", auth::SESSION_COOKIE);
    let lead_cookie = cookie(auth::login(&db.ctx, "aarhus.pl", "hemmelig-kode", None).await.unwrap().0);
    let caseworker_cookie = cookie(auth::login(&db.ctx, "mette", "hemmelig-kode", None).await.unwrap().0);
    let opts = ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        production: false,
        secure_cookies: false,
        session_hours: 8,
        ..ServeOptions::from_env()
    };
    let app = Application::build(&db.url(), &opts).await.unwrap();
    let base = format!("http://127.0.0.1:{}/api/v1/kommuner", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap();
    TestApp { base, _db: db, token, odense_token, lead_cookie, caseworker_cookie, client }
}

#[tokio::test]
async fn the_report_needs_credentials_and_stays_within_the_kommune() {
    let app = spawn_app().await;
    let url = format!("{}/751/rapport", app.base);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    let other = app.client.get(&url).bearer_auth(&app.odense_token).send().await.unwrap();
    assert_eq!(other.status(), 403);
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["error"], "Du har ikke adgang til opgaverne i Aarhus (751).");
    let caseworker = app.client.get(&url).header("cookie", &app.caseworker_cookie).send().await.unwrap();
    assert_eq!(caseworker.status(), 403);

    let ok = app.client.get(&url).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["content-type"], "application/json");
    let body: Value = ok.json().await.unwrap();
    let codes: Vec<&str> =
        body["rows"].as_array().unwrap().iter().map(|r| r["opgavepakke"].as_str().unwrap()).collect();
    assert_eq!(codes, ["10", "12"]);

    let bad = app.client.get(format!("{url}?format=pdf")).bearer_auth(&app.token).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["field"], "format");
}

#[tokio::test]
async fn the_project_leads_download_links_give_named_files_that_are_never_stored() {
    let app = spawn_app().await;
    let get = |format: &str| {
        app.client
            .get(format!("{}/751/rapport?format={format}&opgavepakke=12", app.base))
            .header("cookie", &app.lead_cookie)
            .send()
    };
    let csv = get("csv").await.unwrap();
    assert_eq!(csv.status(), 200);
    let h = csv.headers().clone();
    assert_eq!(h["content-type"], "text/csv; charset=utf-8");
    assert_eq!(h["cache-control"], "no-store");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"rapport-r21-751-") && disposition.ends_with(".csv\""));
    assert_eq!(h["x-rapport-raekker"], "1");
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFopgavepakke;opgave_id;"));
    assert_eq!(String::from_utf8_lossy(&bytes).lines().count(), 2);

    let xlsx = get("xlsx").await.unwrap();
    assert_eq!(xlsx.status(), 200);
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
}
