//! The hearing against a real SQLite file: a høringsansvarlig's drafts and submission (locked,
//! receipt), the deadline, the kommune boundary (refusals audited), KOMBIT's triage with its
//! notice to the kommune and conflict detection, a later version becoming an ændringsønske
//! linked both ways, and the public answers without kommune or person.

use app::domain::hoering::{HoeringForm, ValidHoering, parse_afsnit};
use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::model::SessionUser;
use app::model::hoering::SvarFilter;
use app::service::Actor;
use app::service::aendring::{notices, view};
use app::service::hoering::triage::{TriageForm, triage};
use app::service::hoering::{self, public, svar};
use app::store::audit;
use fixtures::testing::TestDb;

fn user(actor: Actor) -> SessionUser {
    match actor {
        Actor::User(u) => u,
        _ => unreachable!(),
    }
}

struct Fx {
    db: TestDb,
    kombit: SessionUser,
    aarhus: SessionUser,
    aarhus2: SessionUser,
    odense: SessionUser,
    hoering: i64,
    afsnit: i64,
}

async fn fixture() -> Fx {
    let db = TestDb::new().await;
    let kombit = user(db.user("kombit", Role::Kombit, None).await);
    let aarhus = user(db.user("aarhus.hoering", Role::Hoeringsansvarlig, Some(751)).await);
    let aarhus2 = user(db.user("aarhus.hoering2", Role::Hoeringsansvarlig, Some(751)).await);
    let odense = user(db.user("odense.hoering", Role::Hoeringsansvarlig, Some(461)).await);
    let deadline = (app::clock::today() + chrono::Duration::days(14)).to_string();
    let form = HoeringForm {
        title: "Høring over udbudsmaterialet".into(),
        material: "Kravspecifikation og bilag".into(),
        sections: "3.1 Ansøgning\n3.2 Udbetaling".into(),
        deadline,
    };
    let hoering = hoering::open(&db.ctx, &kombit, &form).await.unwrap();
    let view = hoering::view(&db.ctx, &aarhus, hoering, &SvarFilter::default()).await.unwrap();
    let afsnit = view.sections[1].id;
    Fx { db, kombit, aarhus, aarhus2, odense, hoering, afsnit }
}

const TEXT: &str = "Det skal præciseres, hvor mange dages gennemløb der er på alm. gennemløb, straks og quick.";

async fn submitted(fx: &Fx) -> (i64, String) {
    let id = svar::new_draft(&fx.db.ctx, &fx.aarhus, fx.hoering, fx.afsnit, TEXT).await.unwrap();
    let receipt = svar::submit(&fx.db.ctx, &fx.aarhus, id, 1).await.unwrap();
    (id, receipt)
}

async fn refusals(fx: &Fx) -> Vec<audit::AuditRow> {
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    audit::by_action(&mut conn, audit::AuditAction::Refused).await.unwrap()
}

async fn version_of(fx: &Fx, user: &SessionUser, id: i64) -> i64 {
    let v = hoering::view(&fx.db.ctx, user, fx.hoering, &SvarFilter::default()).await.unwrap();
    v.answers.iter().find(|a| a.id == id).unwrap().version
}

#[tokio::test]
async fn a_submitted_answer_is_locked_numbered_and_its_receipt_is_in_the_inbox() {
    let fx = fixture().await;
    let id = svar::new_draft(&fx.db.ctx, &fx.aarhus, fx.hoering, fx.afsnit, "Første udkast").await.unwrap();
    svar::save_draft(&fx.db.ctx, &fx.aarhus, id, 1, fx.afsnit, TEXT).await.unwrap();
    let stale = svar::save_draft(&fx.db.ctx, &fx.aarhus, id, 1, fx.afsnit, "Gammel fane").await;
    assert!(matches!(stale, Err(AppError::Refused(_))), "{stale:?}");
    let receipt = svar::submit(&fx.db.ctx, &fx.aarhus, id, 2).await.unwrap();
    assert_eq!(receipt, format!("HØ-{}-{:04}-0001", chrono::Datelike::year(&app::clock::today()), fx.hoering));
    let locked = svar::save_draft(&fx.db.ctx, &fx.aarhus, id, 3, fx.afsnit, "Efter indsendelse").await;
    assert_eq!(locked, Err(AppError::Refused("Svaret er indsendt og kan ikke ændres.".into())));
    let inbox = notices(&fx.db.ctx, &fx.aarhus).await.unwrap();
    assert_eq!(inbox[0].subject, format!("Kvittering: {receipt}"));
    let v = hoering::view(&fx.db.ctx, &fx.aarhus, fx.hoering, &SvarFilter::default()).await.unwrap();
    assert_eq!(v.answers[0].text, TEXT);
    assert_eq!(v.answers[0].receipt.as_deref(), Some(receipt.as_str()));
    assert_eq!((v.summary.kommuner, v.summary.answers, v.summary.untriaged), (1, 1, 1));
}

#[tokio::test]
async fn no_answer_is_written_or_submitted_after_the_deadline() {
    let fx = fixture().await;
    let draft = svar::new_draft(&fx.db.ctx, &fx.aarhus, fx.hoering, fx.afsnit, TEXT).await.unwrap();
    // A hearing whose deadline was yesterday (the form would refuse one in the past).
    let past = ValidHoering {
        title: "Gammel høring".into(),
        material: "Materiale".into(),
        sections: vec![parse_afsnit("1 Indledning").unwrap()],
        deadline: app::clock::today() - chrono::Duration::days(1),
    };
    let old = fx
        .db
        .ctx
        .write(move |tx| {
            Box::pin(async move { hoering::insert_hoering(tx, &past, "kombit", "2026-01-01T00:00:00Z").await })
        })
        .await
        .unwrap();
    let v = hoering::view(&fx.db.ctx, &fx.aarhus, old, &SvarFilter::default()).await.unwrap();
    assert!(!v.open && !v.may_answer);
    let late = svar::new_draft(&fx.db.ctx, &fx.aarhus, old, v.sections[0].id, TEXT).await;
    assert_eq!(late, Err(AppError::Refused("Høringsfristen er overskredet.".into())));
    // The open hearing's draft can still be submitted.
    assert!(svar::submit(&fx.db.ctx, &fx.aarhus, draft, 1).await.is_ok());
}

#[tokio::test]
async fn another_kommunes_answer_and_other_roles_are_refused_and_audited() {
    let fx = fixture().await;
    let draft = svar::new_draft(&fx.db.ctx, &fx.aarhus, fx.hoering, fx.afsnit, TEXT).await.unwrap();
    assert_eq!(svar::save_draft(&fx.db.ctx, &fx.odense, draft, 1, fx.afsnit, "Odense").await, Err(AppError::Forbidden));
    assert_eq!(svar::submit(&fx.db.ctx, &fx.odense, draft, 1).await, Err(AppError::Forbidden));
    // Odense does not see Aarhus' draft; KOMBIT does not see drafts at all.
    let odense = hoering::view(&fx.db.ctx, &fx.odense, fx.hoering, &SvarFilter::default()).await.unwrap();
    assert!(odense.answers.is_empty());
    let kombit = hoering::view(&fx.db.ctx, &fx.kombit, fx.hoering, &SvarFilter::default()).await.unwrap();
    assert!(kombit.answers.is_empty());
    // KOMBIT writes no answers; a høringsansvarlig triages none.
    let kombit_answer = svar::new_draft(&fx.db.ctx, &fx.kombit, fx.hoering, fx.afsnit, TEXT).await;
    assert_eq!(kombit_answer, Err(AppError::Forbidden));
    let form = TriageForm { category: "indarbejdet_straks".into(), reply: "Bilag 3.".into(), ..Default::default() };
    assert_eq!(triage(&fx.db.ctx, &fx.aarhus, draft, 1, &form).await, Err(AppError::Forbidden));
    let refused = refusals(&fx).await;
    assert_eq!(refused.len(), 4, "{refused:?}");
    assert_eq!(refused.iter().filter(|r| r.actor == "odense.hoering" && r.kommune == Some(461)).count(), 2);
}

#[tokio::test]
async fn the_hoeringsansvarlig_sees_none_of_the_kommunes_persons_or_tasks() {
    let fx = fixture().await;
    let aarhus = Kommunenr::parse("751").unwrap();
    let actor = Actor::User(fx.aarhus.clone());
    let board = app::service::board::board(&fx.db.ctx, &actor, aarhus).await;
    assert_eq!(board.unwrap_err(), AppError::OtherKommune(aarhus));
    assert!(!fx.aarhus.may_see_kommune(aarhus));
}

#[tokio::test]
async fn a_triage_tells_every_hoeringsansvarlig_of_the_kommune_and_a_stale_one_is_a_conflict() {
    let fx = fixture().await;
    let (id, _) = submitted(&fx).await;
    let form = TriageForm {
        category: "indarbejdet_straks".into(),
        reply: "De tre udbetalingsformer er indarbejdet i bilag 3.".into(),
        arbejdsgruppen: String::new(),
    };
    let version = version_of(&fx, &fx.kombit, id).await;
    assert_eq!(triage(&fx.db.ctx, &fx.kombit, id, version, &form).await, Ok(None));
    for u in [&fx.aarhus, &fx.aarhus2] {
        let inbox = notices(&fx.db.ctx, u).await.unwrap();
        assert_eq!(inbox[0].subject, "Svar på jeres høringssvar nr. 1: Indarbejdet");
        assert!(
            inbox[0].body.contains("Indarbejdet i udbudsmaterialet:\nDe tre udbetalingsformer"),
            "{}",
            inbox[0].body
        );
    }
    assert!(notices(&fx.db.ctx, &fx.odense).await.unwrap().is_empty());
    let stale = triage(&fx.db.ctx, &fx.kombit, id, version, &form).await;
    assert!(matches!(&stale, Err(e @ AppError::Refused(_)) if e.status_code() == 409), "{stale:?}");
    let v = hoering::view(&fx.db.ctx, &fx.aarhus, fx.hoering, &SvarFilter::default()).await.unwrap();
    assert_eq!(v.answers[0].reply.as_deref(), Some("De tre udbetalingsformer er indarbejdet i bilag 3."));
    assert_eq!((v.summary.incorporated, v.summary.untriaged), (1, 0));
}

/// The reply's mail follows the notice rule of every other notice: a kommune whose
/// høringsansvarlige have no address gets it at its support address, and with none it is kept as
/// undeliverable where KOMBIT sees it (`/meddelelser`) — never dropped.
#[tokio::test]
async fn a_triage_reply_with_no_address_is_kept_undeliverable_and_a_support_address_gets_it() {
    use app::service::aendring::responsibility::failed_mail;
    let fx = fixture().await;
    let (id, _) = submitted(&fx).await;
    let form = TriageForm {
        category: "indarbejdet_straks".into(),
        reply: "Indarbejdet i bilag 3.".into(),
        arbejdsgruppen: String::new(),
    };
    let version = version_of(&fx, &fx.kombit, id).await;
    triage(&fx.db.ctx, &fx.kombit, id, version, &form).await.unwrap();
    let failed = failed_mail(&fx.db.ctx, &fx.kombit).await.unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].subject, "Svar på jeres høringssvar nr. 1: Indarbejdet");
    assert_eq!(failed[0].error, app::service::aendring::notify::NO_GROUP_ADDRESS);
    let support = user(fx.db.user("aarhus.support", Role::Supportberettiget, Some(751)).await);
    app::service::aendring::responsibility::set_support_email(&fx.db.ctx, &support, None, "ky@aarhus.dk")
        .await
        .unwrap();
    let version = version_of(&fx, &fx.kombit, id).await;
    triage(&fx.db.ctx, &fx.kombit, id, version, &form).await.unwrap();
    assert_eq!(failed_mail(&fx.db.ctx, &fx.kombit).await.unwrap().len(), 1, "the second reply had an address");
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let to: Vec<String> =
        app::on_each!(&mut conn, |cx| sqlx::query_scalar("SELECT to_address FROM outbox WHERE error IS NULL")
            .fetch_all(cx)
            .await)
        .unwrap();
    assert_eq!(to, ["ky@aarhus.dk"]);
}

#[tokio::test]
async fn an_answer_for_a_later_version_becomes_an_aendring_linked_both_ways() {
    let fx = fixture().await;
    let (id, _) = submitted(&fx).await;
    let form = TriageForm {
        category: "analyse_senere_version".into(),
        reply: "Jobcenter-snitfladen understøtter ikke dette.".into(),
        arbejdsgruppen: "Man vil gerne se folk igen.".into(),
    };
    let aendring = triage(&fx.db.ctx, &fx.kombit, id, version_of(&fx, &fx.kombit, id).await, &form)
        .await
        .unwrap()
        .expect("an ændringsønske");
    let detail = view::detail(&fx.db.ctx, Some(&fx.kombit), aendring).await.unwrap();
    let origin = detail.fra_hoering.expect("origin");
    assert_eq!((origin.hoering_id, origin.title.as_str(), origin.nr), (fx.hoering, "Høring over udbudsmaterialet", 1));
    assert_eq!(detail.summary.status, app::domain::aendring::Status::Visitering);
    assert_eq!(detail.summary.kommune, 751);
    let v = hoering::view(&fx.db.ctx, &fx.aarhus, fx.hoering, &SvarFilter::default()).await.unwrap();
    assert_eq!(v.answers[0].aendring.as_ref().map(|a| a.0), Some(aendring));
    // Triaged again the same way, it makes no second ændringsønske.
    let again = triage(&fx.db.ctx, &fx.kombit, id, version_of(&fx, &fx.kombit, id).await, &form).await.unwrap();
    assert_eq!(again, None);
    // KOMBIT's queue filters by category.
    let filter = SvarFilter { category: "ubehandlet".into(), afsnit_id: None };
    assert!(hoering::view(&fx.db.ctx, &fx.kombit, fx.hoering, &filter).await.unwrap().answers.is_empty());
}

#[tokio::test]
async fn the_public_answers_name_no_kommune_and_no_person() {
    let fx = fixture().await;
    let (id, receipt) = submitted(&fx).await;
    let draft = svar::new_draft(&fx.db.ctx, &fx.aarhus, fx.hoering, fx.afsnit, "=Kladde, ikke indsendt").await.unwrap();
    let form = TriageForm {
        category: "allerede_i_materialet".into(),
        reply: "=Krav til uddannelsesmateriale er beskrevet andet sted.".into(),
        arbejdsgruppen: String::new(),
    };
    triage(&fx.db.ctx, &fx.kombit, id, version_of(&fx, &fx.kombit, id).await, &form).await.unwrap();
    let p = public::public(&fx.db.ctx, fx.hoering).await.unwrap();
    assert_eq!(p.svar.len(), 1, "drafts are not published ({draft})");
    let json = serde_json::to_string(&p).unwrap();
    for secret in ["Aarhus", "751", "aarhus.hoering", "Bruger", &receipt, "kombit"] {
        assert!(!json.contains(secret), "{secret} in {json}");
    }
    assert!(json.contains("Bearbejdes ikke yderligere i udbudsmaterialet fordi:"));
    let csv = public::public_csv(&p).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains(";'=Krav til uddannelsesmateriale"), "{csv}");
    assert!(!csv.contains("Aarhus"));
}

#[tokio::test]
async fn the_demo_hearing_reproduces_the_seeds_figures_and_loads_once() {
    let db = TestDb::new().await;
    let kombit = user(db.user("kombit", Role::Kombit, None).await);
    fixtures::demo::hoering::load(&db.ctx).await.unwrap();
    fixtures::demo::hoering::load(&db.ctx).await.unwrap();
    let list = hoering::list(&db.ctx, &kombit).await.unwrap();
    assert_eq!(list.len(), 1, "idempotent");
    let s = &list[0].summary;
    assert_eq!((s.kommuner, s.answers, s.untriaged), (34, 351, 1));
    assert_eq!(s.per_category, [100, 30, 85, 85, 37, 13]);
    assert_eq!(s.incorporated, 270);
    let later = SvarFilter { category: "analyse_senere_version".into(), afsnit_id: None };
    let v = hoering::view(&db.ctx, &kombit, list[0].id, &later).await.unwrap();
    assert_eq!(v.answers.iter().filter(|a| a.aendring.is_some()).count(), 37);
}
