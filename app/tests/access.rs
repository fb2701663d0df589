//! Who may see what: kommune boundaries, roles, and the audit log of reads and refusals.

use app::domain::{Kommunenr, Opgavepakke, Role};
use app::error::AppError;
use app::model::ListQuery;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, auth, board, resolve, task_view};
use app::store::audit;
use fixtures::testing::{ExtractBuilder, TestDb};

async fn with_one_task() -> (TestDb, i64, String) {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let b = x.bevilling(&cpr, "KTH");
    let f = x.fordring(&cpr, &b, "R");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, Kommunenr::parse("751").unwrap(), &dir, &ImportOptions::default()).await.unwrap();
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let task = app::store::tasks::opret_of_fordring(&mut conn, 751, &f).await.unwrap().unwrap();
    drop(conn);
    (db, task, cpr)
}

#[tokio::test]
async fn a_user_of_another_kommune_is_refused_and_the_refusal_is_logged() {
    let (db, task, _) = with_one_task().await;
    let odense = db.user("odense.sb", Role::Sagsbehandler, Some(461)).await;
    let aarhus = Kommunenr::parse("751").unwrap();
    let refused = AppError::OtherKommune(aarhus);
    assert_eq!(board::board(&db.ctx, &odense, aarhus).await.unwrap_err(), refused);
    assert_eq!(task_view::task_detail(&db.ctx, &odense, task).await.unwrap_err(), refused);
    let list =
        task_view::list_opgavepakke(&db.ctx, &odense, aarhus, Opgavepakke::new(10).unwrap(), &ListQuery::default())
            .await;
    assert_eq!(list.unwrap_err(), refused);
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let refusals = audit::by_action(&mut conn, audit::AuditAction::Refused).await.unwrap();
    assert_eq!(refusals.len(), 3);
    assert!(refusals.iter().all(|r| r.actor == "odense.sb" && r.kommune == Some(751)));
}

#[tokio::test]
async fn kombit_sees_every_kommune_but_an_integration_only_its_own() {
    let (db, task, _) = with_one_task().await;
    let kombit = db.user("kombit", Role::Kombit, None).await;
    assert!(task_view::task_detail(&db.ctx, &kombit, task).await.is_ok());
    let odense_system = Actor::Integration { kommune: Kommunenr::parse("461").unwrap(), name: "x".into(), token_id: 1 };
    let err = board::board(&db.ctx, &odense_system, Kommunenr::parse("751").unwrap()).await.unwrap_err();
    assert_eq!(err, AppError::OtherKommune(Kommunenr::parse("751").unwrap()));
}

#[tokio::test]
async fn a_refusal_of_another_kommune_names_the_kommune_and_is_a_403() {
    let (db, task, _) = with_one_task().await;
    let odense = db.user("odense.sb", Role::Sagsbehandler, Some(461)).await;
    let err = task_view::task_detail(&db.ctx, &odense, task).await.unwrap_err();
    assert_eq!(err.to_string(), "Du har ikke adgang til opgaverne i Aarhus (751).");
    assert_eq!(err.status_code(), http::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn roles_that_do_not_work_tasks_cannot_resolve_them() {
    let (db, task, _) = with_one_task().await;
    let support = db.user("support", Role::Supportberettiget, Some(751)).await;
    let input = app::domain::resolve::ResolveInput { ydelsesreference: "YR-F1".into(), ..Default::default() };
    assert_eq!(resolve::resolve_task(&db.ctx, &support, task, &input).await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn every_read_of_a_persons_data_is_audited_with_the_cpr() {
    let (db, task, cpr) = with_one_task().await;
    let mette = db.user("mette", Role::Sagsbehandler, Some(751)).await;
    task_view::task_detail(&db.ctx, &mette, task).await.unwrap();
    let aarhus = Kommunenr::parse("751").unwrap();
    task_view::list_opgavepakke(&db.ctx, &mette, aarhus, Opgavepakke::new(10).unwrap(), &ListQuery::default())
        .await
        .unwrap();
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let entries = audit::for_cpr(&mut conn, &cpr).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["vis opgave", "vis opgaveliste"]);
    assert!(entries.iter().all(|e| e.actor == "mette"));
}

#[tokio::test]
async fn login_checks_the_password_and_the_session_finds_the_user() {
    let (db, _, _) = with_one_task().await;
    db.user("mette", Role::Sagsbehandler, Some(751)).await;
    assert_eq!(auth::login(&db.ctx, "mette", "forkert", None).await.unwrap_err(), AppError::BadCredentials);
    assert_eq!(auth::login(&db.ctx, "ukendt", "hemmelig-kode", None).await.unwrap_err(), AppError::BadCredentials);
    let (token, user) = auth::login(&db.ctx, "mette", "hemmelig-kode", None).await.unwrap();
    assert_eq!(user.role, Role::Sagsbehandler);
    let found = auth::session_user(&db.ctx, &token).await.unwrap().unwrap();
    assert_eq!(found.username, "mette");
    auth::logout(&db.ctx, &token).await.unwrap();
    assert!(auth::session_user(&db.ctx, &token).await.unwrap().is_none());
}

#[tokio::test]
async fn the_login_page_offers_the_demo_password_only_with_demo_users_and_it_logs_them_in() {
    let (db, _, _) = with_one_task().await;
    assert_eq!(auth::demo_logins(&db.ctx).await.unwrap(), app::model::user::DemoUsers::default());
    let account = auth::NewAccount {
        username: "aarhus.demo".into(),
        display_name: "Demo".into(),
        password: app::model::user::DEMO_PASSWORD.into(),
        role: Role::Sagsbehandler,
        kommune: Some(Kommunenr::parse("751").unwrap()),
        fagfaellesskab: None,
        is_demo: true,
    };
    auth::create_user(&db.ctx.db, account).await.unwrap();
    let shown = auth::demo_logins(&db.ctx).await.unwrap();
    assert_eq!(shown.users.len(), 1);
    assert!(auth::login(&db.ctx, "aarhus.demo", &shown.password, None).await.is_ok());
}
