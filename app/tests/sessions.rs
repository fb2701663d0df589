//! Sessions (issue 12 part 5): the idle timeout and the absolute lifetime, a user's list of
//! their sessions and ending the others, and every session ending when an administrator
//! changes the password or role or removes the user.

use app::clock;
use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::model::SessionUser;
use app::service::accounts::{self, RoleChange};
use app::service::{Actor, auth, sessions as my};
use app::state::Limits;
use app::store::{audit, sessions, users};
use chrono::{DateTime, Duration, Utc};
use fixtures::testing::TestDb;

const PASSWORD: &str = "hemmelig-kode";

/// A database whose sessions end after 60 idle minutes and 8 hours at most.
async fn db_with_user(username: &str, role: Role) -> (TestDb, SessionUser) {
    let mut db = TestDb::new().await;
    db.ctx = db.ctx.clone().with_limits(Limits { session_idle_minutes: 60, ..Limits::default() });
    let Actor::User(user) = db.user(username, role, Some(751)).await else { unreachable!() };
    (db, user)
}

async fn login(db: &TestDb, username: &str, agent: &str) -> String {
    auth::login_from(&db.ctx, username, PASSWORD, Some("10.0.0.7".parse().unwrap()), Some(agent)).await.unwrap().0
}

async fn valid_at(db: &TestDb, token: &str, at: DateTime<Utc>) -> bool {
    auth::session_user_at(&db.ctx, token, at).await.unwrap().is_some()
}

/// When the session was last used, as stored (waits for the spawned touch to commit).
async fn last_seen(db: &TestDb, user_id: i64, token: &str) -> String {
    let hash = auth::hash_token(token);
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let all = sessions::of_user(&mut conn, user_id, "0", "0").await.unwrap();
    all.into_iter().find(|s| s.token_hash == hash).map(|s| s.last_seen_at).unwrap_or_default()
}

async fn wait_for_touch(db: &TestDb, user_id: i64, token: &str, at: DateTime<Utc>) {
    let want = clock::stamp(at);
    for _ in 0..200 {
        if last_seen(db, user_id, token).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the session's use at {want} was not recorded");
}

#[tokio::test]
async fn a_session_unused_for_the_idle_timeout_ends() {
    let (db, _) = db_with_user("mette", Role::Sagsbehandler).await;
    let token = login(&db, "mette", "Firefox/133.0").await;
    let now = Utc::now();
    // (A valid use records itself, so the refusal is asked first.)
    assert!(!valid_at(&db, &token, now + Duration::minutes(61)).await);
    assert!(valid_at(&db, &token, now + Duration::minutes(59)).await);
}

#[tokio::test]
async fn use_is_recorded_at_most_once_a_minute_and_keeps_the_session_alive() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    let token = login(&db, "mette", "Firefox/133.0").await;
    let opened = last_seen(&db, user.id, &token).await;
    let now = clock::parse_stamp(&opened).unwrap();

    // Within the minute: no write.
    assert!(valid_at(&db, &token, now + Duration::seconds(30)).await);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(last_seen(&db, user.id, &token).await, opened);

    // 50 minutes on, the use is recorded, so the idle hour counts from there.
    let later = now + Duration::minutes(50);
    assert!(valid_at(&db, &token, later).await);
    wait_for_touch(&db, user.id, &token, later).await;
    assert!(!valid_at(&db, &token, later + Duration::minutes(61)).await);
    assert!(valid_at(&db, &token, later + Duration::minutes(59)).await);
}

#[tokio::test]
async fn a_session_in_constant_use_still_ends_after_its_absolute_lifetime() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    let token = login(&db, "mette", "Firefox/133.0").await;
    let now = clock::parse_stamp(&last_seen(&db, user.id, &token).await).unwrap();
    // Used every 45 minutes for the whole 8-hour lifetime (TestDb's `session_hours`).
    let mut at = now;
    while at + Duration::minutes(45) < now + Duration::hours(8) {
        at += Duration::minutes(45);
        assert!(valid_at(&db, &token, at).await, "still valid at {at}");
        wait_for_touch(&db, user.id, &token, at).await;
    }
    assert!(!valid_at(&db, &token, now + Duration::hours(8) + Duration::seconds(1)).await);
}

#[tokio::test]
async fn a_user_sees_their_sessions_and_ends_the_others_but_never_another_users() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    db.user("jens", Role::Sagsbehandler, Some(751)).await;
    let pc =
        login(&db, "mette", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0").await;
    let phone = login(&db, "mette", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1").await;
    let tablet = login(&db, "mette", "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Safari/537.36").await;
    let jens = login(&db, "jens", "Firefox/133.0").await;

    let list = my::my_sessions(&db.ctx, &user, &pc).await.unwrap();
    assert_eq!(list.sessions.len(), 3);
    assert_eq!(list.idle_minutes, 60);
    let current: Vec<_> = list.sessions.iter().filter(|s| s.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].browser, "Firefox på Windows");
    assert_eq!(current[0].client, "10.0.0.7");
    let mut browsers: Vec<_> = list.sessions.iter().map(|s| s.browser.as_str()).collect();
    browsers.sort_unstable();
    assert_eq!(browsers, ["Chrome på Android", "Firefox på Windows", "Safari på iOS"]);

    // Ending one by its id; another user's id is not found and ends nothing.
    let phone_id = auth::hash_token(&phone);
    my::end_session(&db.ctx, &user, phone_id).await.unwrap();
    assert!(auth::session_user(&db.ctx, &phone).await.unwrap().is_none());
    let err = my::end_session(&db.ctx, &user, auth::hash_token(&jens)).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    assert!(auth::session_user(&db.ctx, &jens).await.unwrap().is_some());

    assert_eq!(my::end_other_sessions(&db.ctx, &user, &pc).await.unwrap(), 1);
    assert!(auth::session_user(&db.ctx, &tablet).await.unwrap().is_none());
    assert!(auth::session_user(&db.ctx, &pc).await.unwrap().is_some());
    assert!(auth::session_user(&db.ctx, &jens).await.unwrap().is_some());
    assert_eq!(my::my_sessions(&db.ctx, &user, &pc).await.unwrap().sessions.len(), 1);

    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let ended = audit::by_action(&mut conn, audit::AuditAction::SessionsEnded).await.unwrap();
    assert_eq!(ended.len(), 2);
    assert!(ended.iter().all(|e| e.actor == "mette"));
}

#[tokio::test]
async fn changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    let here = login(&db, "mette", "Firefox/133.0").await;
    let there = login(&db, "mette", "Chrome/131.0").await;
    let wrong = my::change_password(&db.ctx, &user, &here, "forkert".into(), "ny-kode-123".into()).await.unwrap_err();
    assert_eq!(wrong.field_errors()[0].field, "old");
    let short = my::change_password(&db.ctx, &user, &here, PASSWORD.into(), "kort".into()).await.unwrap_err();
    assert_eq!(short.field_errors()[0].field, "password");

    assert_eq!(my::change_password(&db.ctx, &user, &here, PASSWORD.into(), "ny-kode-123".into()).await.unwrap(), 1);
    assert!(auth::session_user(&db.ctx, &here).await.unwrap().is_some());
    assert!(auth::session_user(&db.ctx, &there).await.unwrap().is_none());
    assert_eq!(auth::login(&db.ctx, "mette", PASSWORD, None).await.unwrap_err(), AppError::BadCredentials);
    auth::login(&db.ctx, "mette", "ny-kode-123", None).await.unwrap();
}

#[tokio::test]
async fn a_password_set_by_an_administrator_ends_every_session() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    let a = login(&db, "mette", "Firefox/133.0").await;
    let b = login(&db, "mette", "Chrome/131.0").await;
    assert_eq!(accounts::set_password(&db.ctx.db, "cli:admin", "mette", "ny-kode-123".into()).await.unwrap(), 2);
    assert!(auth::session_user(&db.ctx, &a).await.unwrap().is_none());
    assert!(auth::session_user(&db.ctx, &b).await.unwrap().is_none());
    auth::login(&db.ctx, "mette", "ny-kode-123", None).await.unwrap();
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let rows = audit::by_action(&mut conn, audit::AuditAction::PasswordChanged).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].actor.as_str(), rows[0].kommune), ("cli:admin", Some(751)));
    assert!(rows[0].detail.contains("2 sessioner"), "{}", rows[0].detail);
    drop(conn);
    let _ = user;
}

#[tokio::test]
async fn a_role_changed_by_an_administrator_ends_every_session_and_counts_at_the_next_login() {
    let (db, _) = db_with_user("mette", Role::Sagsbehandler).await;
    let token = login(&db, "mette", "Firefox/133.0").await;
    let change =
        RoleChange { role: Role::Projektleder, kommune: Some(Kommunenr::parse("751").unwrap()), fagfaellesskab: None };
    assert_eq!(accounts::set_role(&db.ctx.db, "cli:admin", "mette", change).await.unwrap(), 1);
    assert!(auth::session_user(&db.ctx, &token).await.unwrap().is_none());
    let (_, again) = auth::login(&db.ctx, "mette", PASSWORD, None).await.unwrap();
    assert_eq!(again.role, Role::Projektleder);

    // A kommune-bound role without a kommune is refused before anything changes.
    let bad = RoleChange { role: Role::Sagsbehandler, kommune: None, fagfaellesskab: None };
    let err = accounts::set_role(&db.ctx.db, "cli:admin", "mette", bad).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "kommune");
    let unknown = RoleChange { role: Role::Kombit, kommune: None, fagfaellesskab: None };
    let err = accounts::set_role(&db.ctx.db, "cli:admin", "ingen", unknown).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "username");

    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let rows = audit::by_action(&mut conn, audit::AuditAction::RoleChanged).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].detail.contains("sagsbehandler → projektleder"), "{}", rows[0].detail);
}

#[tokio::test]
async fn a_removed_user_stops_working_at_once_and_cannot_log_in_again() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    let token = login(&db, "mette", "Firefox/133.0").await;
    let headers = {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::COOKIE, format!("{}={token}", auth::SESSION_COOKIE).parse().unwrap());
        h
    };
    assert!(auth::actor_from_headers(&db.ctx, &headers).await.unwrap().is_some());

    assert_eq!(accounts::remove_user(&db.ctx.db, "cli:admin", "mette").await.unwrap(), 1);
    // The browser's next request and the REST API with its cookie are refused.
    assert!(auth::session_user(&db.ctx, &token).await.unwrap().is_none());
    assert!(auth::actor_from_headers(&db.ctx, &headers).await.unwrap().is_none());
    assert_eq!(auth::login(&db.ctx, "mette", PASSWORD, None).await.unwrap_err(), AppError::BadCredentials);
    // Removing twice says there is no such user; the removed user is no caseworker to hand to.
    let err = accounts::remove_user(&db.ctx.db, "cli:admin", "mette").await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "username");
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    assert!(users::caseworkers(&mut conn, 751).await.unwrap().is_empty());
    let rows = audit::by_action(&mut conn, audit::AuditAction::UserRemoved).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, "cli:admin");
    let _ = user;
}

#[tokio::test]
async fn the_clean_up_removes_sessions_past_their_lifetime_or_idle_timeout() {
    let (db, user) = db_with_user("mette", Role::Sagsbehandler).await;
    let token = login(&db, "mette", "Firefox/133.0").await;
    let now = Utc::now();
    let (at, idle) = (clock::stamp(now), auth::idle_cutoff(&db.ctx, now));
    let removed = db.ctx.write(move |tx| Box::pin(async move { Ok(sessions::delete_expired(tx, &at, &idle).await?) }));
    assert_eq!(removed.await.unwrap(), 0);
    let later = now + Duration::minutes(61);
    let (at, idle) = (clock::stamp(later), auth::idle_cutoff(&db.ctx, later));
    let removed = db.ctx.write(move |tx| Box::pin(async move { Ok(sessions::delete_expired(tx, &at, &idle).await?) }));
    assert_eq!(removed.await.unwrap(), 1);
    assert_eq!(last_seen(&db, user.id, &token).await, "");
}
