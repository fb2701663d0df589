//! KOMBIT's success criteria against a real SQLite file: a measurement recorded by KOMBIT shows
//! on the dashboard as met or not met with what is due next; the styregruppe reads but cannot
//! write; others are refused; every refusal and every change is audited; a criterion changed
//! on a stale version is a conflict; the demo loads once.

use app::clock;
use app::domain::Role;
use app::domain::succeskriterium::{KriteriumForm, Maalepunkt, MaalingForm, Opfyldelse};
use app::error::AppError;
use app::model::succeskriterium::{KriteriumView, Succeskriterier};
use app::service::Actor;
use app::service::succeskriterium as succes;
use app::store::audit::{self, AuditAction};
use chrono::Duration;
use fixtures::testing::TestDb;

struct Fx {
    db: TestDb,
    kombit: Actor,
    styregruppe: Actor,
    a4: i64,
}

fn a4_form(id: Option<i64>, version: Option<i64>, maal: &str) -> KriteriumForm {
    KriteriumForm {
        id: id.map(|i| i.to_string()).unwrap_or_default(),
        version: version.map(|v| v.to_string()).unwrap_or_default(),
        maalsaetning: "A".into(),
        nummer: "A4".into(),
        tekst: "Sagsbehandlerne stoler på KY's beregninger.".into(),
        sammenligning: ">=".into(),
        maal: maal.into(),
        enhed: "pct.".into(),
        kilde: "Spørgeskema til sagsbehandlere".into(),
        maalepunkter: "3, 4".into(),
    }
}

/// Objective A, point 3 (planned ten days ago) and point 4 (in a year), criterion A4 ≥ 95 pct.
async fn fixture() -> Fx {
    let db = TestDb::new().await;
    let kombit = db.user("kombit", Role::Kombit, None).await;
    let styregruppe = db.user("styregruppe", Role::Styregruppe, None).await;
    let today = clock::today();
    succes::put_maalsaetning(&db.ctx, &kombit, "A".into(), "Korrekte og rettidige udbetalinger".into()).await.unwrap();
    for (nr, navn, days) in [(3, "Før kommunal ibrugtagning", -10), (4, "Et år efter kommunal ibrugtagning", 365)] {
        let p = Maalepunkt { nr, navn: navn.into(), planlagt: Some(today + Duration::days(days)) };
        succes::put_maalepunkt(&db.ctx, &kombit, p).await.unwrap();
    }
    let a4 = succes::put_kriterium(&db.ctx, &kombit, a4_form(None, None, "95").to_kriterium().unwrap()).await.unwrap();
    Fx { db, kombit, styregruppe, a4 }
}

fn maaling(id: i64, point: &str, value: &str, days_ago: i64) -> MaalingForm {
    MaalingForm {
        kriterium_id: id.to_string(),
        maalepunkt: point.into(),
        vaerdi: value.into(),
        stikproeve: "120".into(),
        maalt: (clock::today() - Duration::days(days_ago)).format("%d.%m.%Y").to_string(),
        kilde: "Spørgeskema til sagsbehandlere".into(),
    }
}

fn a4(d: &Succeskriterier) -> &KriteriumView {
    d.maalsaetninger.iter().flat_map(|m| &m.kriterier).find(|k| k.nummer == "A4").unwrap()
}

impl Fx {
    async fn audited(&self, action: AuditAction) -> Vec<audit::AuditRow> {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        audit::by_action(&mut conn, action).await.unwrap()
    }
}

#[tokio::test]
async fn a_measurement_recorded_by_kombit_shows_as_met_or_not_met_with_what_is_due_next() {
    let fx = fixture().await;
    let d = succes::dashboard(&fx.db.ctx, &fx.styregruppe).await.unwrap();
    assert!(!d.may_edit);
    let k = a4(&d);
    assert_eq!(k.opfyldelse, Opfyldelse::IkkeMaalt);
    let next = k.naeste.clone().unwrap();
    assert_eq!((next.maalepunkt.nr, next.overdue), (3, true), "point 3 was planned ten days ago");

    succes::record_maaling(&fx.db.ctx, &fx.kombit, maaling(fx.a4, "3", "83,3", 2)).await.unwrap();
    let d = succes::dashboard(&fx.db.ctx, &fx.styregruppe).await.unwrap();
    let k = a4(&d);
    assert_eq!(k.opfyldelse, Opfyldelse::IkkeOpfyldt);
    assert_eq!(k.latest().map(|m| (m.vaerdi, m.stikproeve)), Some((83.3, Some(120))));
    assert_eq!(k.naeste.as_ref().map(|n| (n.maalepunkt.nr, n.overdue)), Some((4, false)));

    succes::record_maaling(&fx.db.ctx, &fx.kombit, maaling(fx.a4, "4", "96", 0)).await.unwrap();
    let d = succes::dashboard(&fx.db.ctx, &fx.kombit).await.unwrap();
    assert!(d.may_edit);
    let k = a4(&d);
    assert_eq!(k.opfyldelse, Opfyldelse::Opfyldt);
    assert_eq!(k.maalinger.len(), 2);
    assert_eq!(k.naeste, None);
    let rows = fx.audited(AuditAction::MaalingRecorded).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].actor, "kombit");
    assert!(rows[0].detail.starts_with("A4: 83,3 ved måletidspunkt 3"), "{}", rows[0].detail);
}

#[tokio::test]
async fn the_styregruppe_reads_but_cannot_write_and_the_refusal_is_audited() {
    let fx = fixture().await;
    succes::dashboard(&fx.db.ctx, &fx.styregruppe).await.unwrap();
    let err = succes::record_maaling(&fx.db.ctx, &fx.styregruppe, maaling(fx.a4, "3", "83,3", 2)).await.unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    let err =
        succes::put_kriterium(&fx.db.ctx, &fx.styregruppe, a4_form(Some(fx.a4), Some(1), "90").to_kriterium().unwrap())
            .await
            .unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    let refusals = fx.audited(AuditAction::Refused).await;
    assert_eq!(refusals.len(), 2);
    assert!(refusals.iter().all(|r| r.actor == "styregruppe"));
    assert!(a4(&succes::dashboard(&fx.db.ctx, &fx.kombit).await.unwrap()).maalinger.is_empty());
}

#[tokio::test]
async fn a_caseworker_and_the_leverandoer_are_refused_the_dashboard_and_it_is_audited() {
    let fx = fixture().await;
    let worker = fx.db.user("a", Role::Sagsbehandler, Some(751)).await;
    let supplier = fx.db.user("lev", Role::Leverandoer, None).await;
    assert_eq!(succes::dashboard(&fx.db.ctx, &worker).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(succes::dashboard(&fx.db.ctx, &supplier).await.unwrap_err(), AppError::Forbidden);
    let refusals = fx.audited(AuditAction::Refused).await;
    assert_eq!(refusals.iter().map(|r| r.actor.as_str()).collect::<Vec<_>>(), ["a", "lev"]);
    assert!(refusals.iter().all(|r| r.detail == "succeskriterier"));
}

#[tokio::test]
async fn a_criterion_changed_on_a_stale_version_is_a_conflict_naming_who_changed_it() {
    let fx = fixture().await;
    let change = |maal: &str, version: i64| a4_form(Some(fx.a4), Some(version), maal).to_kriterium().unwrap();
    succes::put_kriterium(&fx.db.ctx, &fx.kombit, change("90", 1)).await.unwrap();
    let colleague = fx.db.user("kombit2", Role::Kombit, None).await;
    let err = succes::put_kriterium(&fx.db.ctx, &colleague, change("80", 1)).await.unwrap_err();
    assert_eq!(err.status_code(), http::StatusCode::CONFLICT);
    assert!(err.to_string().contains("A4 er ændret af kombit"), "{err}");
    let k = a4(&succes::dashboard(&fx.db.ctx, &fx.kombit).await.unwrap()).clone();
    assert_eq!((k.maal.vaerdi, k.version), (90.0, 2));
    // Having seen the change, the colleague may make theirs.
    succes::put_kriterium(&fx.db.ctx, &colleague, change("80", 2)).await.unwrap();
    // A second criterion with a number in use is a field error.
    let dup = succes::put_kriterium(&fx.db.ctx, &fx.kombit, a4_form(None, None, "95").to_kriterium().unwrap()).await;
    assert_eq!(dup.unwrap_err().message_for("nummer").as_deref(), Some("A4 findes allerede."));
    assert_eq!(fx.audited(AuditAction::SuccesChanged).await.len(), 1 + 2 + 1 + 2);
}

#[tokio::test]
async fn a_wrong_measurement_is_refused_field_by_field() {
    let fx = fixture().await;
    let err = succes::record_maaling(&fx.db.ctx, &fx.kombit, maaling(fx.a4, "3", "101", -1)).await.unwrap_err();
    assert_eq!(err.message_for("vaerdi").as_deref(), Some("En procentdel ligger mellem 0 og 100."));
    assert_eq!(err.message_for("maalt").as_deref(), Some("Målingen kan ikke være foretaget i fremtiden."));
    let err = succes::record_maaling(&fx.db.ctx, &fx.kombit, maaling(fx.a4, "5", "50", 1)).await.unwrap_err();
    assert!(err.message_for("maalepunkt").is_some(), "{err:?}");
    assert!(fx.audited(AuditAction::MaalingRecorded).await.is_empty());
}

#[tokio::test]
async fn the_demo_loads_the_seeds_criteria_once_some_met_some_not() {
    let db = TestDb::new().await;
    fixtures::demo::succes::load(&db.ctx).await.unwrap();
    fixtures::demo::succes::load(&db.ctx).await.unwrap();
    let d = succes::dashboard(&db.ctx, &Actor::System).await.unwrap();
    let all: Vec<&KriteriumView> = d.maalsaetninger.iter().flat_map(|m| &m.kriterier).collect();
    assert_eq!(d.maalsaetninger.iter().map(|m| m.bogstav.as_str()).collect::<Vec<_>>(), ["A", "C"]);
    assert_eq!(all.len(), 16);
    assert_eq!(d.maalepunkter.len(), 6);
    assert_eq!(all.iter().map(|k| k.maalinger.len()).sum::<usize>(), 9);
    for o in [Opfyldelse::Opfyldt, Opfyldelse::IkkeOpfyldt, Opfyldelse::IkkeMaalt] {
        assert!(all.iter().any(|k| k.opfyldelse == o), "{o:?}");
    }
    assert!(all.iter().any(|k| k.naeste.as_ref().is_some_and(|n| n.overdue)));
    // C10 after C9, not after C1.
    let c: Vec<&str> = d.maalsaetninger[1].kriterier.iter().map(|k| k.nummer.as_str()).collect();
    assert_eq!(c.last(), Some(&"C10"));
}
