//! Change ændringsønsker against a real SQLite file: filing, every transition × role through the
//! server's use case, duplicates, appeals, visibility, scoring with live events, the backlog
//! contract, weight versions, Danish search, the legacy clean-up and the pool import.

use app::domain::Role;
use app::domain::aendring::flow::TRANSITIONS;
use app::domain::aendring::{AendringDraft, AppealDraft, Criterion, Status, Weights};
use app::error::AppError;
use app::model::SessionUser;
use app::model::aendring::{AendringQuery, DiffPart};
use app::service::Actor;
use app::service::aendring::act::{Decision, act, appeal, estimate};
use app::service::aendring::cleanup::{self, BulkRejection};
use app::service::aendring::pool_import::{PoolImportFailure, import_pool};
use app::service::aendring::{backlog, file, score, view, weights};
use app::store::aendring::aendringer::{self, NewAendring};
use fixtures::testing::TestDb;

fn draft() -> AendringDraft {
    AendringDraft {
        titel: "Ret tilbagebetalingsparagraf på oprettet fordring".into(),
        udfordring: "Når fordringen er oprettet med forkert paragraf, kan den ikke rettes uden en supportsag.".into(),
        ydelsesarter: "Kontanthjælp, Uddannelseshjælp".into(),
        omfang: "Ca. 30 sager om måneden".into(),
        workaround: "Nej".into(),
        type_: "brugervenlighed".into(),
        beskrivelse: "Sagsbehandleren skal kunne rette tilbagebetalingsparagraffen på en oprettet fordring.".into(),
        minsupport_sagsid: String::new(),
    }
}

fn user(actor: Actor) -> SessionUser {
    match actor {
        Actor::User(u) => u,
        _ => unreachable!(),
    }
}

struct Fx {
    db: TestDb,
    support: SessionUser,
    kombit: SessionUser,
}

async fn fixture() -> Fx {
    let db = TestDb::new().await;
    let support = user(db.user("aarhus.support", Role::Supportberettiget, Some(751)).await);
    let kombit = user(db.user("kombit", Role::Kombit, None).await);
    Fx { db, support, kombit }
}

/// An ændringsønske straight into `status` (as if it had come that far).
async fn aendring_in(fx: &Fx, status: Status, key: &str, titel: &str, kommune: u16, filed_at: &str) -> i64 {
    let row = NewAendring {
        key: key.into(),
        text: aendringer::TemplateText {
            titel: titel.into(),
            udfordring: "Udfordring".into(),
            ydelsesarter: "Kontanthjælp".into(),
            omfang: "Mange".into(),
            workaround: "Nej".into(),
            aendring_type: "brugervenlighed".into(),
            beskrivelse: "Beskrivelse".into(),
            minsupport_sagsid: None,
        },
        kommune,
        requester_id: Some(fx.support.id),
        fagfaellesskab: "Kontanthjælp".into(),
        status: status.key().into(),
        filed_at: filed_at.into(),
        // closed yesterday: still inside the kommuner's 30 days whatever day the tests run
        closed_at: status.is_closed().then(|| (app::clock::today() - chrono::Duration::days(1)).to_string()),
        search_terms: app::domain::aendring::text::search_terms(titel),
        ..Default::default()
    };
    fx.db
        .ctx
        .write(move |tx| {
            Box::pin(async move {
                app::store::kommune::ensure(tx, app::domain::Kommunenr::try_from(kommune).unwrap()).await?;
                Ok::<_, app::error::AppError>(aendringer::insert(tx, &row).await?)
            })
        })
        .await
        .unwrap()
}

/// Test set-up through the one write path.
async fn write<T, F>(fx: &Fx, work: F) -> T
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut app::store::WriteTx) -> futures::future::BoxFuture<'c, Result<T, app::error::AppError>>
        + Send
        + 'static,
{
    fx.db.ctx.write(work).await.unwrap()
}

async fn version_of(fx: &Fx, id: i64) -> i64 {
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    aendringer::get(&mut conn, id).await.unwrap().unwrap().version
}

/// What the steps before an action leave behind: the leverandør's estimate and changeboard
/// assessment, and a score on every criterion.
async fn steps_before_done(fx: &Fx, id: i64) {
    let (v, scorer) = (version_of(fx, id).await, fx.kombit.id);
    write(fx, move |tx| {
        Box::pin(async move {
            aendringer::set_estimate(tx, id, 120, "Groft").await?;
            aendringer::set_assessment(tx, id, v + 1, "Et nyt felt på fordringen", "realistisk", "lev", "2026-11-01")
                .await?;
            for c in Criterion::ALL {
                app::store::aendring::scores::upsert(tx, id, c.key(), scorer, 3, "2026-11-01").await?;
            }
            Ok(())
        })
    })
    .await;
}

fn decision(action: &str, version: i64) -> Decision {
    Decision { action: action.into(), version, note: "Begrundelse for beslutningen.".into(), ..Default::default() }
}

#[tokio::test]
async fn an_incomplete_aendring_cannot_be_filed_and_each_missing_field_is_named() {
    let fx = fixture().await;
    let Err(AppError::Invalid(errors)) = file::file_aendring(&fx.db.ctx, &fx.support, &AendringDraft::default()).await
    else {
        panic!("expected field errors")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for f in ["titel", "udfordring", "ydelsesarter", "omfang", "workaround", "type", "beskrivelse"] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    assert!(!fields.contains(&"minsupport_sagsid"));
}

#[tokio::test]
async fn a_filed_aendring_waits_for_visitering_and_its_requester_is_told() {
    let fx = fixture().await;
    let id = file::file_aendring(&fx.db.ctx, &fx.support, &draft()).await.unwrap();
    let d = view::detail(&fx.db.ctx, Some(&fx.support), id).await.unwrap();
    assert_eq!(d.summary.status, Status::Visitering);
    assert!(d.summary.key.starts_with("AE-"));
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    assert_eq!(app::store::aendring::notices::count_for_aendring(&mut conn, id).await.unwrap(), 1);
    // only a support user of a kommune may file
    let err = file::file_aendring(&fx.db.ctx, &fx.kombit, &draft()).await.unwrap_err();
    assert_eq!(err, AppError::Forbidden);
}

#[tokio::test]
async fn every_transition_is_allowed_exactly_to_its_roles_by_the_server() {
    let fx = fixture().await;
    let mut by_role = vec![(Role::Supportberettiget, fx.support.clone()), (Role::Kombit, fx.kombit.clone())];
    for (role, name, kommune, ff) in [
        (Role::Sagsbehandler, "sb", Some(751), None),
        (Role::Projektleder, "pl", Some(751), None),
        (Role::Fagfaellesskab, "ff", None, Some("Kontanthjælp")),
        (Role::Leverandoer, "lev", None, None),
        (Role::Styregruppe, "sg", None, None),
    ] {
        let mut u = user(fx.db.user(name, role, kommune).await);
        u.fagfaellesskab = ff.map(str::to_string);
        by_role.push((role, u));
    }
    let mut n = 0;
    for (from, action, to, roles) in TRANSITIONS {
        for (role, u) in &by_role {
            n += 1;
            let id = aendring_in(&fx, *from, &format!("AE-T-{n}"), "Overgang", 751, "2025-01-01").await;
            steps_before_done(&fx, id).await;
            let mut d = decision(action.key(), version_of(&fx, id).await);
            d.duplicate_of = "AE-ORIGINAL".into();
            d.elaboration = draft();
            if *action == app::domain::aendring::Action::MarkerSomDublet {
                aendring_in(&fx, Status::IBacklog, &format!("AE-ORIG-{n}"), "Originalen", 461, "2024-01-01").await;
                d.duplicate_of = format!("AE-ORIG-{n}");
            }
            let result = act(&fx.db.ctx, u, id, &d).await;
            if roles.contains(role) {
                assert_eq!(result, Ok(*to), "{from:?} --{action:?}--> as {role:?}");
            } else {
                assert!(result.is_err(), "{from:?} --{action:?}--> as {role:?} must be refused");
            }
        }
    }
    // and an action that does not exist in a status is refused for everyone
    let id = aendring_in(&fx, Status::Oprettet, "AE-X", "Forkert", 751, "2025-01-01").await;
    let err =
        act(&fx.db.ctx, &fx.kombit, id, &decision("saet_i_backlog", version_of(&fx, id).await)).await.unwrap_err();
    assert!(matches!(err, AppError::Refused(_) | AppError::Forbidden), "{err:?}");
}

/// Each step needs the one before (DOMAIN.md B): the changeboard decision is KOMBIT's and needs
/// the leverandør's assessment; scoring needs the estimate; the backlog needs every weighted
/// criterion scored. The refusals say what is missing.
#[tokio::test]
async fn each_step_needs_the_step_before_on_the_server() {
    use app::service::aendring::act::assess;
    let fx = fixture().await;
    let lev = user(fx.db.user("lev", Role::Leverandoer, None).await);
    let refused = |r: Result<Status, AppError>| match r {
        Err(AppError::Refused(text)) => text,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // changeboard: KOMBIT alone cannot decide, nor can the leverandør
    let cb = aendring_in(&fx, Status::Changeboard, "AE-CB", "Changeboard", 751, "2025-01-01").await;
    let text = refused(act(&fx.db.ctx, &fx.kombit, cb, &decision("videresend", version_of(&fx, cb).await)).await);
    assert!(text.contains("leverandørens vurdering"), "{text}");
    assert_eq!(
        act(&fx.db.ctx, &lev, cb, &decision("videresend", version_of(&fx, cb).await)).await,
        Err(AppError::Forbidden)
    );
    let short = assess(&fx.db.ctx, &lev, cb, version_of(&fx, cb).await, "kort", "realistisk").await.unwrap_err();
    assert_eq!(short.field_errors()[0].field, "loesning");
    assert_eq!(
        assess(&fx.db.ctx, &fx.kombit, cb, version_of(&fx, cb).await, "To løsninger drøftet", "usikker").await,
        Err(AppError::Forbidden)
    );
    assess(&fx.db.ctx, &lev, cb, version_of(&fx, cb).await, "To løsninger drøftet: felt eller regel", "usikker")
        .await
        .unwrap();
    let d = view::detail(&fx.db.ctx, Some(&fx.kombit), cb).await.unwrap();
    assert_eq!(d.assessment.as_ref().map(|a| a.gennemfoerlighed.as_str()), Some("usikker"));
    assert_eq!(
        act(&fx.db.ctx, &fx.kombit, cb, &decision("videresend", version_of(&fx, cb).await)).await,
        Ok(Status::Estimering)
    );
    // estimering: no scoring before the estimate; the page says what it waits for
    let es = aendring_in(&fx, Status::Estimering, "AE-ES", "Estimering", 751, "2025-01-01").await;
    let d = view::detail(&fx.db.ctx, Some(&lev), es).await.unwrap();
    assert!(d.actions.is_empty() && d.waiting.iter().any(|w| w.contains("estimat")), "{:?}", d.waiting);
    let text = refused(act(&fx.db.ctx, &lev, es, &decision("send_til_scoring", version_of(&fx, es).await)).await);
    assert!(text.contains("estimat"), "{text}");
    estimate(&fx.db.ctx, &lev, es, "80", "").await.unwrap();
    assert_eq!(
        act(&fx.db.ctx, &lev, es, &decision("send_til_scoring", version_of(&fx, es).await)).await,
        Ok(Status::Scoring)
    );
    // endelig prioritering: not into the backlog while a weighted criterion has no score
    let ep = aendring_in(&fx, Status::EndeligPrioritering, "AE-EP", "Prioritering", 751, "2025-01-01").await;
    let scorer = fx.kombit.id;
    write(&fx, move |tx| {
        Box::pin(async move {
            for c in Criterion::ALL.into_iter().filter(|c| *c != Criterion::Effekt) {
                app::store::aendring::scores::upsert(tx, ep, c.key(), scorer, 4, "2026-11-01").await?;
            }
            Ok(())
        })
    })
    .await;
    let text = refused(act(&fx.db.ctx, &fx.kombit, ep, &decision("saet_i_backlog", version_of(&fx, ep).await)).await);
    assert!(text.ends_with("Mangler scoring: effekt."), "{text}");
    write(&fx, move |tx| {
        Box::pin(
            async move { Ok(app::store::aendring::scores::upsert(tx, ep, "effekt", scorer, 2, "2026-11-01").await?) },
        )
    })
    .await;
    assert_eq!(
        act(&fx.db.ctx, &fx.kombit, ep, &decision("saet_i_backlog", version_of(&fx, ep).await)).await,
        Ok(Status::IBacklog)
    );
}

#[tokio::test]
async fn a_decision_on_a_stale_version_is_refused_not_overwritten() {
    let fx = fixture().await;
    let id = aendring_in(&fx, Status::Visitering, "AE-1", "Samtidig", 751, "2025-01-01").await;
    let v = version_of(&fx, id).await;
    act(&fx.db.ctx, &fx.kombit, id, &decision("videresend", v)).await.unwrap();
    let err = act(&fx.db.ctx, &fx.kombit, id, &decision("afvis", v)).await.unwrap_err();
    assert!(matches!(err, AppError::Refused(_)), "{err:?}");
}

#[tokio::test]
async fn rejecting_needs_a_reason() {
    let fx = fixture().await;
    let id = aendring_in(&fx, Status::Visitering, "AE-1", "Uden grund", 751, "2025-01-01").await;
    let d = Decision { action: "afvis".into(), version: version_of(&fx, id).await, ..Default::default() };
    assert_eq!(act(&fx.db.ctx, &fx.kombit, id, &d).await.unwrap_err().field_errors()[0].field, "note");
}

#[tokio::test]
async fn a_decision_the_flow_forbids_is_refused_before_its_missing_fields_are_named() {
    let fx = fixture().await;
    let id = aendring_in(&fx, Status::Visitering, "AE-1", "Uden grund", 751, "2025-01-01").await;
    // the support user may not reject: a refusal, not "write a reason"
    let d = Decision { action: "afvis".into(), version: version_of(&fx, id).await, ..Default::default() };
    assert_eq!(act(&fx.db.ctx, &fx.support, id, &d).await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn the_estimate_is_read_with_the_forms_rule_and_stored_in_whole_hours() {
    let fx = fixture().await;
    let lev = user(fx.db.user("lev", Role::Leverandoer, None).await);
    let id = aendring_in(&fx, Status::Estimering, "AE-1", "Estimeres", 751, "2025-01-01").await;
    for typed in ["", "0", "1,5", "40 timer"] {
        let err = estimate(&fx.db.ctx, &lev, id, typed, "").await.unwrap_err();
        assert_eq!(err.field_errors()[0].field, "hours", "{typed:?}");
    }
    estimate(&fx.db.ctx, &lev, id, " 40 ", "Inkl. test").await.unwrap();
    let d = view::detail(&fx.db.ctx, Some(&lev), id).await.unwrap();
    assert_eq!((d.estimate_hours, d.estimate_note.as_deref()), (Some(40), Some("Inkl. test")));
    // only the leverandør estimates, whatever is typed
    assert_eq!(estimate(&fx.db.ctx, &fx.support, id, "", "").await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn tagging_names_a_missing_key_and_theme() {
    let fx = fixture().await;
    let err = cleanup::tag(&fx.db.ctx, &fx.kombit, &[], " ").await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["keys", "theme"]);
}

#[tokio::test]
async fn a_duplicate_counts_its_kommune_on_the_original() {
    let fx = fixture().await;
    let original = aendring_in(&fx, Status::Visitering, "AE-2025-05001", "Original", 461, "2025-01-01").await;
    let dup = aendring_in(&fx, Status::Visitering, "AE-2025-05002", "Dublet", 751, "2025-02-01").await;
    let mut d = decision("marker_som_dublet", version_of(&fx, dup).await);
    d.duplicate_of = "AE-2025-05001".into();
    assert_eq!(act(&fx.db.ctx, &fx.kombit, dup, &d).await, Ok(Status::Dublet));
    let o = view::detail(&fx.db.ctx, Some(&fx.kombit), original).await.unwrap();
    assert_eq!(o.summary.kommuner, 2);
    let dd = view::detail(&fx.db.ctx, Some(&fx.kombit), dup).await.unwrap();
    assert_eq!(dd.duplicate_of.map(|(id, ..)| id), Some(original));
}

#[tokio::test]
async fn a_rejection_may_be_appealed_once_with_sagsid_and_reason() {
    let fx = fixture().await;
    let id = aendring_in(&fx, Status::Afvist, "AE-1", "Afvist", 751, "2025-01-01").await;
    let bad = AppealDraft { sagsid: String::new(), begrundelse: "kort".into() };
    assert!(matches!(appeal(&fx.db.ctx, &fx.support, id, &bad).await, Err(AppError::Invalid(e)) if e.len() == 2));
    let good = AppealDraft {
        sagsid: "SAG-123456".into(),
        begrundelse: "Uden rettelsen må vi lave 30 manuelle sager om måneden.".into(),
    };
    appeal(&fx.db.ctx, &fx.support, id, &good).await.unwrap();
    assert!(appeal(&fx.db.ctx, &fx.support, id, &good).await.is_err(), "only one appeal per ændringsønske");
    let open = aendring_in(&fx, Status::Visitering, "AE-2", "Åben", 751, "2025-01-01").await;
    assert!(appeal(&fx.db.ctx, &fx.support, open, &good).await.is_err(), "only rejected ændringsønsker");
}

#[tokio::test]
async fn closed_aendringer_leave_the_kommunes_view_after_30_days_but_not_kombits() {
    let fx = fixture().await;
    let old = aendring_in(&fx, Status::Lukket, "AE-OLD", "Gammel", 751, "2024-01-01").await;
    let v = version_of(&fx, old).await;
    write(&fx, move |tx| {
        Box::pin(
            async move { Ok(aendringer::set_status(tx, old, v, "lukket", "lukket", Some("2026-01-01"), None).await?) },
        )
    })
    .await;
    let recent_close = (app::clock::today() - chrono::Duration::days(5)).to_string();
    let recent = aendring_in(&fx, Status::Afvist, "AE-NEW", "Ny", 751, "2025-01-01").await;
    let v = version_of(&fx, recent).await;
    write(&fx, move |tx| {
        Box::pin(async move {
            Ok(aendringer::set_status(tx, recent, v, "afvist", "afvist", Some(&recent_close), None).await?)
        })
    })
    .await;
    let kommune_keys: Vec<String> = view::list(&fx.db.ctx, &fx.support, &Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(kommune_keys, ["AE-NEW"]);
    assert!(view::detail(&fx.db.ctx, Some(&fx.support), old).await.is_err());
    assert_eq!(view::list(&fx.db.ctx, &fx.kombit, &Default::default()).await.unwrap().total, 2);
    assert!(view::detail(&fx.db.ctx, Some(&fx.kombit), old).await.is_ok());
}

/// One rule for the list and the detail page: on the 29th day after closing a kommune still sees
/// the ændringsønske in both; from the 30th it is gone from both (the list showed day 30 while
/// the detail page answered 404).
#[tokio::test]
async fn the_30_day_rule_is_the_same_in_the_list_and_on_the_detail_page() {
    let fx = fixture().await;
    for (days, key) in [(29, "AE-D29"), (30, "AE-D30")] {
        let id = aendring_in(&fx, Status::Afvist, key, key, 751, "2025-01-01").await;
        let v = version_of(&fx, id).await;
        let closed = format!("{}T10:00:00.000Z", app::clock::today() - chrono::Duration::days(days));
        write(&fx, move |tx| {
            Box::pin(
                async move { Ok(aendringer::set_status(tx, id, v, "afvist", "afvist", Some(&closed), None).await?) },
            )
        })
        .await;
        let listed =
            view::list(&fx.db.ctx, &fx.support, &Default::default()).await.unwrap().items.iter().any(|r| r.key == key);
        let opens = view::detail(&fx.db.ctx, Some(&fx.support), id).await.is_ok();
        assert_eq!(listed, opens, "{key}: listed {listed}, detail opens {opens}");
        assert_eq!(listed, days < 30, "{key}");
    }
}

async fn scorers(fx: &Fx) -> (SessionUser, SessionUser, SessionUser) {
    let mut ff = user(fx.db.user("ff1", Role::Fagfaellesskab, None).await);
    ff.fagfaellesskab = Some("Kontanthjælp".into());
    let mut other = user(fx.db.user("ff2", Role::Fagfaellesskab, None).await);
    other.fagfaellesskab = Some("Debitor".into());
    let lev = user(fx.db.user("lev", Role::Leverandoer, None).await);
    (ff, other, lev)
}

async fn score_all(fx: &Fx, ff: &SessionUser, lev: &SessionUser, id: i64, v: u8) {
    for c in Criterion::ALL {
        let who = if c.scored_by() == Role::Leverandoer { lev } else { ff };
        score::score(&fx.db.ctx, who, id, c.key(), v).await.unwrap();
    }
}

#[tokio::test]
async fn scoring_is_for_the_routed_community_and_pushes_the_new_cell() {
    let fx = fixture().await;
    let (ff, other, lev) = scorers(&fx).await;
    let id = aendring_in(&fx, Status::Scoring, "AE-1", "Scoring", 751, "2025-01-01").await;
    let mut rx = fx.db.ctx.live.subscribe_aendringer();
    score::score(&fx.db.ctx, &ff, id, "anvendelighed", 4).await.unwrap();
    let ev = rx.try_recv().unwrap();
    assert_eq!((ev.aendring_id, ev.cell.map(|(i, c)| (i, c.mean, c.n))), (id, Some((0, Some(4.0), 1))));
    assert!(score::score(&fx.db.ctx, &other, id, "anvendelighed", 2).await.is_err(), "another community");
    assert_eq!(score::score(&fx.db.ctx, &ff, id, "kompleksitet", 2).await.unwrap_err(), AppError::Forbidden);
    assert!(score::score(&fx.db.ctx, &lev, id, "kompleksitet", 2).await.is_ok());
    assert!(score::score(&fx.db.ctx, &ff, id, "anvendelighed", 6).await.is_err());
    // a second scorer: the cell shows the mean and the spread
    let mut ff3 = user(fx.db.user("ff3", Role::Fagfaellesskab, None).await);
    ff3.fagfaellesskab = Some("Kontanthjælp".into());
    let cell = score::score(&fx.db.ctx, &ff3, id, "anvendelighed", 2).await.unwrap();
    assert_eq!((cell.mean, cell.min, cell.max, cell.n), (Some(3.0), Some(2), Some(4), 2));
}

#[tokio::test]
async fn the_backlog_ranks_by_the_weighted_mean_ties_by_earliest_filing_and_explains_each_criterion() {
    let fx = fixture().await;
    let (ff, _, lev) = scorers(&fx).await;
    let late = aendring_in(&fx, Status::IBacklog, "AE-LATE", "Sen", 751, "2025-06-01").await;
    let early = aendring_in(&fx, Status::IBacklog, "AE-EARLY", "Tidlig", 751, "2025-01-01").await;
    let best = aendring_in(&fx, Status::IBacklog, "AE-BEST", "Bedst", 751, "2025-09-01").await;
    let unscored = aendring_in(&fx, Status::IBacklog, "AE-NONE", "Uden score", 751, "2024-01-01").await;
    score_all(&fx, &ff, &lev, late, 3).await;
    score_all(&fx, &ff, &lev, early, 3).await;
    score_all(&fx, &ff, &lev, best, 5).await;
    let b = backlog::backlog(&fx.db.ctx, None).await.unwrap();
    let order: Vec<&str> = b.items.iter().map(|i| i.key.as_str()).collect();
    // the unscored one is not ranked, but it does not vanish: listed last, marked
    assert_eq!(order, ["AE-BEST", "AE-EARLY", "AE-LATE", "AE-NONE"]);
    let none = &b.items[3];
    assert_eq!((none.id, none.rank, none.score, none.missing.len()), (unscored, None, None, 9));
    let json = serde_json::to_value(backlog::backlog_json(&b)).unwrap();
    assert_eq!(json["weights_version"], 1);
    let first = &json["items"][0];
    assert_eq!((first["rank"].as_u64(), first["score"].as_f64()), (Some(1), Some(100.0)));
    assert_eq!(json["items"][1]["score"].as_f64(), Some(50.0));
    let criteria = first["criteria"].as_object().unwrap();
    assert_eq!(criteria.len(), 9);
    assert_eq!(criteria["baeredygtighed"]["weight"].as_f64(), Some(1.0));
    assert_eq!(criteria["anvendelighed"]["score"].as_f64(), Some(5.0));
    assert_eq!(json["items"][3]["rank"], serde_json::Value::Null);
    assert_eq!(json["items"][3]["missing_scores"][0], "anvendelighed");
    let csv = backlog::backlog_csv(&b).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("a byte-order mark for Danish Excel");
    assert!(csv.lines().next().unwrap().starts_with("rank;id;key;title;status;kommuner;score;anvendelighed_weight"));
    assert_eq!(csv.lines().count(), 5);
    let early_row: Vec<&str> = csv.lines().nth(2).unwrap().split(';').collect();
    assert_eq!((early_row[2], early_row[6]), ("AE-EARLY", "50"), "decimal comma, no trailing zeros");
}

/// A new weight on a criterion nobody scored: the ændringsønske stays on the public backlog,
/// marked "mangler scoring: effekt"; KOMBIT and its fagfællesskab are told; the what-if input
/// shows it before adoption (`left_incomplete`).
#[tokio::test]
async fn a_backlog_aendring_left_incomplete_by_new_weights_stays_listed_marked_and_people_are_told() {
    use app::domain::aendring::left_incomplete;
    let fx = fixture().await;
    let (ff, _, lev) = scorers(&fx).await;
    let sg = user(fx.db.user("sg", Role::Styregruppe, None).await);
    let mut without_effekt = Weights { version: 0, weights: [1.0; 9] };
    without_effekt.set(Criterion::Effekt, 0.0);
    weights::adopt(&fx.db.ctx, &sg, &without_effekt, "Effekt tæller ikke foreløbig").await.unwrap();
    let a = aendring_in(&fx, Status::IBacklog, "AE-A", "Scoret på alt", 751, "2025-01-01").await;
    let b = aendring_in(&fx, Status::IBacklog, "AE-B", "Uden effekt", 751, "2025-01-02").await;
    score_all(&fx, &ff, &lev, a, 4).await;
    for c in Criterion::ALL.into_iter().filter(|c| *c != Criterion::Effekt) {
        let who = if c.scored_by() == Role::Leverandoer { &lev } else { &ff };
        score::score(&fx.db.ctx, who, b, c.key(), 3).await.unwrap();
    }
    assert_eq!(backlog::backlog(&fx.db.ctx, None).await.unwrap().items.iter().filter(|i| i.rank.is_some()).count(), 2);
    // the what-if sees it coming
    let view = weights::view(&fx.db.ctx, &sg).await.unwrap();
    let all = Weights { version: 0, weights: [1.0; 9] };
    assert_eq!(left_incomplete(&view.items, &view.current, &all), [(b, vec![Criterion::Effekt])]);
    assert_eq!(view.backlog_ids.len(), 2);
    weights::adopt(&fx.db.ctx, &sg, &all, "Effekt tæller fra i dag").await.unwrap();
    let listed = backlog::backlog(&fx.db.ctx, None).await.unwrap();
    let keys: Vec<(&str, Option<usize>)> = listed.items.iter().map(|i| (i.key.as_str(), i.rank)).collect();
    assert_eq!(keys, [("AE-A", Some(1)), ("AE-B", None)]);
    assert_eq!(listed.items[1].missing, [Criterion::Effekt]);
    for who in [&fx.kombit, &ff] {
        let inbox = app::service::aendring::notices(&fx.db.ctx, who).await.unwrap();
        assert!(
            inbox.iter().any(|n| n.subject == "AE-B: mangler scoring efter nye vægte" && n.body.contains("effekt")),
            "{} was not told: {inbox:?}",
            who.username
        );
    }
    let lev_inbox = app::service::aendring::notices(&fx.db.ctx, &lev).await.unwrap();
    assert!(lev_inbox.iter().all(|n| !n.subject.contains("mangler scoring")));
}

#[tokio::test]
async fn adopting_weights_makes_a_new_version_whose_ranking_stays_reproducible() {
    let fx = fixture().await;
    let (ff, _, lev) = scorers(&fx).await;
    let sg = user(fx.db.user("sg", Role::Styregruppe, None).await);
    let a = aendring_in(&fx, Status::IBacklog, "AE-A", "A", 751, "2025-01-01").await;
    let b = aendring_in(&fx, Status::IBacklog, "AE-B", "B", 751, "2025-01-02").await;
    score_all(&fx, &ff, &lev, a, 4).await;
    score_all(&fx, &ff, &lev, b, 3).await;
    // B is cheap and easy: with realiserbarhed weighing everything, B overtakes A
    for c in ["kompleksitet", "baeredygtighed", "anskaffelsespris"] {
        score::score(&fx.db.ctx, &lev, b, c, 5).await.unwrap();
        score::score(&fx.db.ctx, &lev, a, c, 1).await.unwrap();
    }
    let mut w = Weights { version: 0, weights: [0.0; 9] };
    for c in [Criterion::Kompleksitet, Criterion::Baeredygtighed, Criterion::Anskaffelsespris] {
        w.set(c, 1.0);
    }
    assert_eq!(weights::adopt(&fx.db.ctx, &fx.kombit, &w, "").await.unwrap_err(), AppError::Forbidden);
    let v2 = weights::adopt(&fx.db.ctx, &sg, &w, "Kun realiserbarhed tæller").await.unwrap();
    assert_eq!(v2, 2);
    let ranked = weights::ranking(&fx.db.ctx, 2).await.unwrap();
    assert_eq!(ranked.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["AE-B", "AE-A"]);
    assert_eq!(backlog::backlog(&fx.db.ctx, None).await.unwrap().weights.version, 2);
    // later scores do not change what version 2 produced
    score::score(&fx.db.ctx, &lev, a, "kompleksitet", 5).await.unwrap();
    assert_eq!(weights::ranking(&fx.db.ctx, 2).await.unwrap(), ranked);
    let mut zero = w;
    zero.weights = [0.0; 9];
    assert!(matches!(weights::adopt(&fx.db.ctx, &sg, &zero, "").await, Err(AppError::Invalid(_))));
    // an adoption needs a note for the version history
    let no_note = weights::adopt(&fx.db.ctx, &sg, &Weights { version: 0, weights: [1.0; 9] }, " ").await.unwrap_err();
    assert_eq!(no_note.field_errors()[0].field, "note");
}

#[tokio::test]
async fn duplicate_search_is_danish_aware() {
    let fx = fixture().await;
    aendring_in(&fx, Status::IBacklog, "AE-1", "Beregning af ledighedsydelsen ved ferie", 751, "2025-01-01").await;
    aendring_in(&fx, Status::Afvist, "AE-2", "Økonomisk overblik over modregninger", 461, "2025-01-01").await;
    let found = file::similar(&fx.db.ctx, Some(&fx.support), "ledighedsydelse").await.unwrap();
    assert_eq!(found.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["AE-1"]);
    let found = file::similar(&fx.db.ctx, Some(&fx.support), "okonomisk modregning").await.unwrap();
    assert_eq!(found.first().map(|s| s.key.as_str()), Some("AE-2"), "rejected ones are shown too, diacritics folded");
    assert!(file::similar(&fx.db.ctx, Some(&fx.support), "\" OR *").await.unwrap().is_empty());
}

#[tokio::test]
async fn the_bulk_rejection_dry_run_changes_nothing_and_the_run_notifies_once_per_requester() {
    let fx = fixture().await;
    for (i, theme) in ["Breve", "Breve", "Rapporter"].iter().enumerate() {
        let id =
            aendring_in(&fx, Status::Visitering, &format!("AE-2021-{i:05}"), "Gammelt ønske", 751, "2021-05-01").await;
        write(&fx, move |tx| {
            Box::pin(async move {
                aendringer::set_theme(tx, &[id], theme, false).await?;
                app::on_each!(tx, |cx| sqlx::query("UPDATE aendring SET legacy = TRUE WHERE id = $1")
                    .bind(id)
                    .execute(cx)
                    .await
                    .map(|_| ()))?;
                Ok(())
            })
        })
        .await;
    }
    let mut b = BulkRejection { themes: vec!["Breve".into()], keep: vec![], answer: String::new(), expected: None };
    let preview = cleanup::preview(&fx.db.ctx, &fx.kombit, &b).await.unwrap();
    assert_eq!((preview.aendringer, preview.notices, preview.kommuner.len()), (2, 1, 1));
    // the dry run lists the ændringsønsker, and the run confirms the number it showed
    let mut keys: Vec<&str> = preview.items.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["AE-2021-00000", "AE-2021-00001"]);
    b.expected = Some(3);
    assert!(matches!(cleanup::reject(&fx.db.ctx, &fx.kombit, &b).await, Err(AppError::Refused(_))), "3 ≠ 2");
    b.expected = Some(2);
    assert_eq!(
        view::list(&fx.db.ctx, &fx.kombit, &Default::default())
            .await
            .unwrap()
            .items
            .iter()
            .filter(|r| r.status == Status::Afvist)
            .count(),
        0
    );
    let done = cleanup::reject(&fx.db.ctx, &fx.kombit, &b).await.unwrap();
    assert!(done.done);
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let notices = app::store::aendring::notices::for_user(&mut conn, fx.support.id, 10).await.unwrap();
    assert_eq!(notices.len(), 1, "one notice listing both ændringsønsker");
    assert!(notices[0].body.contains("AE-2021-00000") && notices[0].body.contains("AE-2021-00001"));
    assert_eq!(
        app::store::audit::by_action(&mut conn, app::store::audit::AuditAction::BulkReject).await.unwrap().len(),
        2
    );
    assert_eq!(cleanup::preview(&fx.db.ctx, &fx.kombit, &b).await.unwrap().aendringer, 0);
}

#[tokio::test]
async fn the_legacy_pool_imports_all_or_nothing_with_line_errors() {
    let fx = fixture().await;
    let header = app::service::aendring::pool_import::COLUMNS.join(";");
    let good = "AE-2020-00001;Titel;Udfordring;Kontanthjælp;Mange;Nej;brugervenlighed;Beskrivelse;;751;2020-03-01;Breve;visitering;;";
    let bad = "AE-2020-00002;;Udfordring;Kontanthjælp;Mange;Nej;brugervenlighed;Beskrivelse;;999;2020-13-01;Breve;visitering;;";
    let data = format!("{header}\n{good}\n{bad}\n");
    let Err(PoolImportFailure::Invalid(errors)) = import_pool(&fx.db.ctx, "puljen.csv", data.as_bytes()).await else {
        panic!("expected errors")
    };
    let cells: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    for expected in [(3, "titel"), (3, "kommune"), (3, "indmeldt")] {
        assert!(cells.contains(&expected), "{expected:?} in {cells:?}");
    }
    assert_eq!(view::list(&fx.db.ctx, &fx.kombit, &Default::default()).await.unwrap().total, 0, "nothing written");
    let (rows, new) = import_pool(&fx.db.ctx, "puljen.csv", format!("{header}\n{good}\n").as_bytes()).await.unwrap();
    assert_eq!((rows, new), (1, 1));
    assert_eq!(import_pool(&fx.db.ctx, "puljen.csv", format!("{header}\n{good}\n").as_bytes()).await.unwrap(), (1, 0));
}

#[tokio::test]
async fn only_kombit_uploads_the_pool_and_each_upload_is_audited() {
    use app::service::aendring::pool_import::import_pool_as;
    let fx = fixture().await;
    let header = app::service::aendring::pool_import::COLUMNS.join(";");
    let good = "AE-2020-00001;Titel;Udfordring;Kontanthjælp;Mange;Nej;brugervenlighed;Beskrivelse;;751;2020-03-01;Breve;visitering;;";
    let data = format!("{header}\n{good}\n");
    let err = import_pool_as(&fx.db.ctx, &fx.support, "puljen.csv", data.as_bytes()).await.unwrap_err();
    assert_eq!(err, AppError::Forbidden);

    let bad = format!("{header}\n{}\n", good.replace(";751;", ";999;"));
    let report = import_pool_as(&fx.db.ctx, &fx.kombit, "puljen.csv", bad.as_bytes()).await.unwrap();
    assert_eq!((report.rows, report.new), (0, 0));
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].starts_with("puljen.csv:2: kolonne kommune:"), "{:?}", report.errors);

    let report = import_pool_as(&fx.db.ctx, &fx.kombit, "puljen.csv", data.as_bytes()).await.unwrap();
    assert_eq!((report.rows, report.new, report.errors.len()), (1, 1, 0));
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let audit = app::store::audit::by_action(&mut conn, app::store::audit::AuditAction::PoolImport).await.unwrap();
    assert_eq!(audit.len(), 2, "the refused upload is not an import; both real attempts are logged");
    assert!(audit.iter().all(|a| a.actor == "kombit"));
    assert!(audit.iter().any(|a| a.detail.contains("1 nye ønsker")), "{audit:?}");
}

/// One appeal per ændringsønske per kommune (one kommune's appeal no longer blocks another's).
/// KOMBIT's queue shows them beside the rejection; upholding answers the appellant in the inbox;
/// reopening puts the ændringsønske back into visitering and answers every open appeal of it.
#[tokio::test]
async fn appeals_are_per_kommune_and_kombit_decides_them_and_the_appellants_are_told() {
    use app::domain::aendring::AppealDecision::{Fasthold, Genoptag};
    use app::service::aendring::appeals;
    let fx = fixture().await;
    let odense = user(fx.db.user("odense.support", Role::Supportberettiget, Some(461)).await);
    let good = AppealDraft {
        sagsid: "SAG-123456".into(),
        begrundelse: "Uden rettelsen må vi lave 30 manuelle sager om måneden.".into(),
    };
    let (a, b) = (
        aendring_in(&fx, Status::Afvist, "AE-A", "Afvist A", 751, "2025-01-01").await,
        aendring_in(&fx, Status::Afvist, "AE-B", "Afvist B", 751, "2025-01-02").await,
    );
    write(&fx, move |tx| {
        Box::pin(async move {
            for id in [a, b] {
                aendringer::add_kommune(tx, id, 461, None).await?;
            }
            Ok(())
        })
    })
    .await;
    for id in [a, b] {
        appeal(&fx.db.ctx, &fx.support, id, &good).await.unwrap();
        appeal(&fx.db.ctx, &odense, id, &good).await.expect("another kommune may appeal too");
        assert!(appeal(&fx.db.ctx, &odense, id, &good).await.is_err(), "once per kommune");
    }
    assert_eq!(appeals::queue(&fx.db.ctx, &fx.support).await.unwrap_err(), AppError::Forbidden);
    let queue = appeals::queue(&fx.db.ctx, &fx.kombit).await.unwrap();
    assert_eq!(queue.len(), 4);
    let of = |key: &str, kommune: &str| queue.iter().find(|q| q.key == key && q.kommune == kommune).unwrap().id;
    // upheld: the rejection stands, Aarhus is answered, Odense's appeal still waits
    let short = appeals::decide(&fx.db.ctx, &fx.kombit, of("AE-A", "Aarhus"), Fasthold, "nej").await.unwrap_err();
    assert_eq!(short.field_errors()[0].field, "reply");
    let reply = "Ønsket er dækket af den kommende release 2027.2.";
    assert_eq!(
        appeals::decide(&fx.db.ctx, &fx.kombit, of("AE-A", "Aarhus"), Fasthold, reply).await,
        Ok(Status::Afvist)
    );
    assert!(appeals::decide(&fx.db.ctx, &fx.kombit, of("AE-A", "Aarhus"), Genoptag, reply).await.is_err(), "once");
    let inbox = app::service::aendring::notices(&fx.db.ctx, &fx.support).await.unwrap();
    assert!(
        inbox.iter().any(|n| n.subject.starts_with("AE-A: klagen er afgjort") && n.body.contains(reply)),
        "{inbox:?}"
    );
    let waiting = appeals::queue(&fx.db.ctx, &fx.kombit).await.unwrap();
    assert_eq!(waiting.iter().filter(|q| q.decision.is_none()).count(), 3);
    // reopened: B goes back to visitering, and both kommuners' appeals of it are answered
    assert_eq!(
        appeals::decide(&fx.db.ctx, &fx.kombit, of("AE-B", "Odense"), Genoptag, "Vi ser på det igen i visiteringen.")
            .await,
        Ok(Status::Visitering)
    );
    let d = view::detail(&fx.db.ctx, Some(&fx.kombit), b).await.unwrap();
    assert_eq!(d.summary.status, Status::Visitering);
    assert!(d.appeals.iter().all(|a| a.decision == Some(Genoptag)), "{:?}", d.appeals);
    let odense_inbox = app::service::aendring::notices(&fx.db.ctx, &odense).await.unwrap();
    assert!(odense_inbox.iter().any(|n| n.subject.starts_with("AE-B: klagen er afgjort")));
    assert_eq!(
        appeals::decide(&fx.db.ctx, &odense, of("AE-A", "Odense"), Genoptag, reply).await,
        Err(AppError::Forbidden)
    );
}

/// KOMBIT confirms or changes the fagfællesskab during visitering, with a reason in the history;
/// the new community then scores it. Nobody else, and not after visitering.
#[tokio::test]
async fn kombit_routes_during_visitering_with_a_reason() {
    use app::service::aendring::act::route;
    let fx = fixture().await;
    let id = aendring_in(&fx, Status::Visitering, "AE-R", "Modregning", 751, "2025-01-01").await;
    let v = version_of(&fx, id).await;
    assert_eq!(
        route(&fx.db.ctx, &fx.support, id, v, "Debitor", "", "Handler om modregning").await,
        Err(AppError::Forbidden)
    );
    let bad = route(&fx.db.ctx, &fx.kombit, id, v, "Ukendt", "", "kort").await.unwrap_err();
    assert_eq!(bad.field_errors().len(), 2);
    route(&fx.db.ctx, &fx.kombit, id, v, "Debitor", "Fordringer og debitor", "Handler om modregning i fordringer")
        .await
        .unwrap();
    let d = view::detail(&fx.db.ctx, Some(&fx.kombit), id).await.unwrap();
    assert_eq!((d.summary.fagfaellesskab.as_str(), d.summary.theme.as_str()), ("Debitor", "Fordringer og debitor"));
    assert!(d.events.iter().any(|e| e.note.contains("Fagfællesskab: Debitor (før Kontanthjælp)")), "{:?}", d.events);
    // a stale version is refused, not overwritten
    assert!(matches!(
        route(&fx.db.ctx, &fx.kombit, id, v, "Økonomi", "", "Handler om udbetalinger").await,
        Err(AppError::Refused(_))
    ));
    let scoring = aendring_in(&fx, Status::Scoring, "AE-S", "I scoring", 751, "2025-01-01").await;
    let v = version_of(&fx, scoring).await;
    assert!(matches!(
        route(&fx.db.ctx, &fx.kombit, scoring, v, "Debitor", "", "Handler om modregning").await,
        Err(AppError::Refused(_))
    ));
}

/// A status tab counts what it lists: a kommune's support user saw "Afvist 1" and no row, because
/// the counts left the passive ones in.
#[tokio::test]
async fn a_status_tab_counts_what_it_lists() {
    let fx = fixture().await;
    let old = aendring_in(&fx, Status::Afvist, "AE-OLD", "Gammel afvisning", 751, "2024-01-01").await;
    let v = version_of(&fx, old).await;
    write(&fx, move |tx| {
        Box::pin(async move {
            Ok(aendringer::set_status(tx, old, v, "afvist", "afvist", Some("2025-01-01T10:00:00.000Z"), None).await?)
        })
    })
    .await;
    aendring_in(&fx, Status::Afvist, "AE-NEW", "Ny afvisning", 751, "2025-01-01").await;
    aendring_in(&fx, Status::Visitering, "AE-V", "Til visitering", 751, "2025-01-01").await;
    for who in [&fx.support, &fx.kombit] {
        let counts = view::status_counts(&fx.db.ctx, who).await.unwrap();
        for (status, n) in counts {
            let q = AendringQuery { status: status.key().into(), ..Default::default() };
            let listed = view::list(&fx.db.ctx, who, &q).await.unwrap().total;
            assert_eq!(n, listed, "{} sees {status:?} {n} but lists {listed}", who.username);
        }
    }
    let support = view::status_counts(&fx.db.ctx, &fx.support).await.unwrap();
    assert_eq!(support.iter().find(|(s, _)| *s == Status::Afvist).map(|(_, n)| *n), Some(1));
}

/// An ændringsønske nobody answers for by name (as the legacy pool's are).
async fn legacy_in(fx: &Fx, status: Status, key: &str, kommune: u16) -> i64 {
    let id = aendring_in(fx, status, key, "Fra den gamle pulje", kommune, "2023-05-01").await;
    write(fx, move |tx| {
        Box::pin(async move {
            app::on_each!(tx, |cx| sqlx::query("UPDATE aendring SET requester_id = NULL WHERE id = $1")
                .bind(id)
                .execute(cx)
                .await
                .map(|_| ()))?;
            Ok(())
        })
    })
    .await;
    id
}

async fn notices_of(fx: &Fx, user: i64) -> Vec<String> {
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    app::store::aendring::notices::for_user(&mut conn, user, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.subject)
        .collect()
}

async fn outbox(fx: &Fx) -> Vec<(String, Option<String>)> {
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    app::on_each!(&mut conn, |cx| sqlx::query_as("SELECT to_address, error FROM outbox ORDER BY id")
        .fetch_all(cx)
        .await)
    .unwrap()
}

/// Hole 4: a returned ændringsønske's kommune may change every field of the template; each
/// version is kept and KOMBIT sees what changed, word by word.
#[tokio::test]
async fn an_elaboration_may_change_every_field_and_each_version_is_kept() {
    let fx = fixture().await;
    let id = aendring_in(&fx, Status::ReturneretTilUddybning, "AE-U", "Gammel titel", 751, "2025-01-01").await;
    let mut d = decision("uddyb", version_of(&fx, id).await);
    d.note = String::new();
    d.elaboration = AendringDraft {
        titel: "Ny og klarere titel".into(),
        omfang: "Ca. 400 sager om måneden".into(),
        type_: "lovmedholdelig".into(),
        minsupport_sagsid: "SAG-123456".into(),
        ..draft()
    };
    // an incomplete elaboration is refused field by field
    let mut missing = d.clone();
    missing.elaboration.omfang = " ".into();
    let err = act(&fx.db.ctx, &fx.support, id, &missing).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.iter().any(|f| f.field == "omfang")), "{err:?}");
    assert_eq!(act(&fx.db.ctx, &fx.support, id, &d).await, Ok(Status::Visitering));
    let detail = view::detail(&fx.db.ctx, Some(&fx.kombit), id).await.unwrap();
    assert_eq!(detail.summary.titel, "Ny og klarere titel");
    assert_eq!(detail.omfang, "Ca. 400 sager om måneden");
    assert_eq!(detail.aendring_type, app::domain::aendring::AendringType::Lovmedholdelig);
    assert_eq!(detail.minsupport_sagsid.as_deref(), Some("SAG-123456"));
    assert_eq!(detail.versions.len(), 1, "the filed text and the elaboration are kept");
    let changed: Vec<&str> = detail.versions[0].changes.iter().map(|c| c.label.as_str()).collect();
    assert!(
        changed.contains(&"Titel") && changed.contains(&"Omfang") && changed.contains(&"Er der tale om"),
        "{changed:?}"
    );
    let titel = &detail.versions[0].changes[0];
    assert!(titel.parts.iter().any(|p| matches!(p, DiffPart::Removed(t) if t.contains("Gammel"))), "{:?}", titel.parts);
    assert!(titel.parts.iter().any(|p| matches!(p, DiffPart::Added(t) if t.contains("klarere"))), "{:?}", titel.parts);
    assert!(detail.events.iter().any(|e| e.note.contains("Ændrede felter: Titel")), "the history says what changed");
    // the search finds it by its new words
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let q = app::domain::aendring::text::fts_query("klarere").unwrap();
    assert_eq!(aendringer::search(&mut conn, &q, 5).await.unwrap(), [id]);
}

/// Hole 5: with nobody named, the kommune's support users are told and mail goes to the
/// kommune's own support address; with no address at all the mail is kept as undeliverable for
/// KOMBIT — never sent to an invented address, never lost.
#[tokio::test]
async fn notices_go_to_whoever_answers_for_the_kommune_and_undeliverable_mail_is_visible_to_kombit() {
    use app::service::aendring::responsibility::{failed_mail, resend_mail, set_support_email};
    let fx = fixture().await;
    let id = legacy_in(&fx, Status::Visitering, "AE-L1", 751).await;
    act(&fx.db.ctx, &fx.kombit, id, &decision("afvis", version_of(&fx, id).await)).await.unwrap();
    assert_eq!(notices_of(&fx, fx.support.id).await.len(), 1, "the kommune's support user is told");
    let mail = outbox(&fx).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].0, "", "no invented address");
    assert!(mail[0].1.as_deref().is_some_and(|e| e.starts_with("Ingen modtager")), "{mail:?}");
    let failed = failed_mail(&fx.db.ctx, &fx.kombit).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].aendring.as_ref().map(|(_, k)| k.as_str()), Some("AE-L1"));
    assert_eq!(failed_mail(&fx.db.ctx, &fx.support).await.unwrap_err(), AppError::Forbidden);
    resend_mail(&fx.db.ctx, &fx.kombit, failed[0].id, "ky@aarhus.dk").await.unwrap();
    assert!(failed_mail(&fx.db.ctx, &fx.kombit).await.unwrap().is_empty());
    // with the kommune's support address set, the next notice goes there
    let err = set_support_email(&fx.db.ctx, &fx.support, None, "ikke en adresse").await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
    set_support_email(&fx.db.ctx, &fx.support, None, "KY-Support@Aarhus.dk").await.unwrap();
    let id2 = legacy_in(&fx, Status::Visitering, "AE-L2", 751).await;
    act(&fx.db.ctx, &fx.kombit, id2, &decision("afvis", version_of(&fx, id2).await)).await.unwrap();
    assert_eq!(outbox(&fx).await.last().unwrap(), &("ky-support@aarhus.dk".to_string(), None));
    // a support user of another kommune cannot set Aarhus's address (refused, audited)
    let odense = user(fx.db.user("odense.support", Role::Supportberettiget, Some(461)).await);
    let err = set_support_email(&fx.db.ctx, &odense, Some(751), "x@odense.dk").await.unwrap_err();
    assert_eq!(err, AppError::Forbidden);
}

/// Hole 5: people leave — a kommune's ændringsønsker are handed to another support user, who
/// is told of their changes from then on. The count confirmed must still hold.
#[tokio::test]
async fn a_support_users_aendringer_are_handed_to_a_colleague_who_is_told_from_then_on() {
    use app::service::aendring::responsibility::{hand_over, overview};
    let fx = fixture().await;
    let colleague = user(fx.db.user("aarhus.support2", Role::Supportberettiget, Some(751)).await);
    let a = aendring_in(&fx, Status::Visitering, "AE-H1", "Første", 751, "2025-01-01").await;
    aendring_in(&fx, Status::Changeboard, "AE-H2", "Andet", 751, "2025-01-02").await;
    let before = overview(&fx.db.ctx, &fx.support, None).await.unwrap();
    assert_eq!(before.users.iter().find(|u| u.id == fx.support.id).unwrap().aendringer, 2);
    let err = hand_over(&fx.db.ctx, &fx.support, None, fx.support.id, colleague.id, 3).await.unwrap_err();
    assert!(matches!(err, AppError::Refused(_)), "a stale count is refused: {err:?}");
    let caseworker = user(fx.db.user("aarhus.sb", Role::Sagsbehandler, Some(751)).await);
    let err = hand_over(&fx.db.ctx, &caseworker, None, fx.support.id, colleague.id, 2).await.unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(hand_over(&fx.db.ctx, &fx.support, None, fx.support.id, colleague.id, 2).await, Ok(2));
    let told_before = notices_of(&fx, fx.support.id).await.len();
    act(&fx.db.ctx, &fx.kombit, a, &decision("videresend", version_of(&fx, a).await)).await.unwrap();
    assert_eq!(notices_of(&fx, fx.support.id).await.len(), told_before, "the one who left is not told");
    assert!(notices_of(&fx, colleague.id).await.iter().any(|s| s.starts_with("AE-H1")));
    let detail = view::detail(&fx.db.ctx, Some(&fx.kombit), a).await.unwrap();
    assert!(detail.events.iter().any(|e| e.note.starts_with("Overdraget fra Bruger aarhus.support")));
}

/// "Vi har også behovet": another kommune joins, is counted like a merged duplicate and told of
/// every status change; it cannot join twice, nor join a closed ændringsønske.
#[tokio::test]
async fn a_kommune_that_shares_the_need_joins_and_is_told_with_it() {
    use app::service::aendring::responsibility::join;
    let fx = fixture().await;
    let odense = user(fx.db.user("odense.support", Role::Supportberettiget, Some(461)).await);
    let id = aendring_in(&fx, Status::Visitering, "AE-J", "Fælles behov", 751, "2025-01-01").await;
    let seen = view::detail(&fx.db.ctx, Some(&odense), id).await.unwrap();
    assert!(seen.may_join);
    join(&fx.db.ctx, &odense, id).await.unwrap();
    let after = view::detail(&fx.db.ctx, Some(&odense), id).await.unwrap();
    assert_eq!(after.summary.kommuner, 2);
    assert!(!after.may_join);
    assert!(matches!(join(&fx.db.ctx, &odense, id).await, Err(AppError::Refused(_))));
    assert_eq!(join(&fx.db.ctx, &fx.kombit, id).await.unwrap_err(), AppError::Forbidden);
    act(&fx.db.ctx, &fx.kombit, id, &decision("videresend", version_of(&fx, id).await)).await.unwrap();
    assert_eq!(notices_of(&fx, odense.id).await.iter().filter(|s| s.starts_with("AE-J")).count(), 2);
    assert!(notices_of(&fx, fx.support.id).await.iter().any(|s| s.starts_with("AE-J")));
    let closed = aendring_in(&fx, Status::Afvist, "AE-C", "Lukket", 751, "2025-01-01").await;
    assert!(matches!(join(&fx.db.ctx, &odense, closed).await, Err(AppError::Refused(_))));
}

/// Each role's worklist counts what it lists; KOMBIT's queue searches, filters and sorts, and
/// the ændringsønske being visited shows its likely duplicates.
#[tokio::test]
async fn worklists_count_what_they_list_and_the_visitering_queue_searches_and_filters() {
    let fx = fixture().await;
    let lev = user(fx.db.user("lev", Role::Leverandoer, None).await);
    let waiting = aendring_in(&fx, Status::Estimering, "AE-E1", "Mangler estimat", 751, "2025-01-01").await;
    let done = aendring_in(&fx, Status::Estimering, "AE-E2", "Har estimat", 751, "2025-01-01").await;
    write(&fx, move |tx| Box::pin(async move { Ok(aendringer::set_estimate(tx, done, 10, "").await?) })).await;
    let lists = view::worklists(&fx.db.ctx, &lev).await.unwrap();
    let estimat = lists.iter().find(|w| w.label == "Venter på mit estimat").unwrap();
    assert_eq!(estimat.count, 1);
    let q = AendringQuery { waiting: "estimat".into(), ..Default::default() };
    let listed = view::list(&fx.db.ctx, &lev, &q).await.unwrap();
    assert_eq!(listed.items.iter().map(|i| i.id).collect::<Vec<_>>(), [waiting]);
    // a worklist of another role is not the viewer's: the ordinary list
    let theirs = view::list(&fx.db.ctx, &fx.support, &q).await.unwrap();
    assert!(theirs.waiting.is_none());

    aendring_in(&fx, Status::Visitering, "AE-V1", "Tilbagebetaling af kontanthjælp", 751, "2024-01-01").await;
    let twin =
        aendring_in(&fx, Status::Visitering, "AE-V2", "Tilbagebetalinger på kontanthjælp", 461, "2025-06-01").await;
    aendring_in(&fx, Status::Visitering, "AE-V3", "Flettefelter i breve", 461, "2025-07-01").await;
    let queue = |q: AendringQuery| {
        let ctx = fx.db.ctx.clone();
        let kombit = fx.kombit.clone();
        async move {
            let q = AendringQuery { status: "visitering".into(), ..q };
            view::list(&ctx, &kombit, &q).await.unwrap().items.into_iter().map(|i| i.key).collect::<Vec<_>>()
        }
    };
    assert_eq!(queue(AendringQuery { search: "tilbagebetaling".into(), ..Default::default() }).await.len(), 2);
    assert_eq!(queue(AendringQuery { kommune: Some(461), ..Default::default() }).await, ["AE-V3", "AE-V2"]);
    assert_eq!(queue(AendringQuery { sort: "aeldste".into(), ..Default::default() }).await[0], "AE-V1");
    assert_eq!(queue(AendringQuery { older_than_days: Some(3650), ..Default::default() }).await.len(), 0);
    let kombits = view::worklists(&fx.db.ctx, &fx.kombit).await.unwrap();
    assert_eq!(kombits.iter().find(|w| w.label == "Venter på visitering").unwrap().count, 3);
    let detail = view::detail(&fx.db.ctx, Some(&fx.kombit), twin).await.unwrap();
    assert_eq!(detail.likely_duplicates.first().map(|s| s.key.as_str()), Some("AE-V1"));
    let theirs = view::detail(&fx.db.ctx, Some(&fx.support), twin).await.unwrap();
    assert!(theirs.likely_duplicates.is_empty(), "only KOMBIT visits");
}
