//! The real server on a free port with a fresh SQLite file: REST API v1, live push, the
//! cross-origin guard, login through the server function, and pages.

#![recursion_limit = "512"]

use app::domain::{Kommunenr, Role};
use app::service::auth;
use app::service::import::{ImportOptions, import_extract};
use app::testing::{ExtractBuilder, TestDb};
use futures::StreamExt;
use serde_json::{Value, json};
use server::config::ServeOptions;
use server::startup::Application;
use std::time::Duration;

struct TestApp {
    base: String,
    db: TestDb,
    token: String,
    /// a fordring in package 12
    f12: String,
    client: reqwest::Client,
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
    let opts = ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        production: false,
        secure_cookies: false,
        session_hours: 8,
        ..ServeOptions::from_env()
    };
    let app = Application::build(&db.url(), &opts).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
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
    let pakker = body["pakker"].as_object().unwrap();
    assert_eq!(pakker.len(), 17);
    assert_eq!((pakker["12"].as_i64(), pakker["10"].as_i64(), pakker["03"].as_i64()), (Some(1), Some(1), Some(0)));
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
    assert!(csv.text().await.unwrap().starts_with("rank;id;key;title"));
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
