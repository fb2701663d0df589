//! The kommune's MI 38 plan and what "Næste opgave" hands out under each approach, against a
//! real SQLite file: who may change the plan (refusals audited), tilbageførsler first, the
//! package order, sideløbende / fokuseret / rapportstyret, and never one task to two people.

use app::domain::plan::{Plan, Ressourcer, Tilgang};
use app::domain::{Kommunenr, Opgavepakke, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, plan, task_view};
use app::store::audit::{self, AuditAction};
use fixtures::testing::{ExtractBuilder, TestDb};
use std::collections::HashSet;

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

struct Fx {
    db: TestDb,
    /// caseworkers "a" and "b" and the project lead
    a: Actor,
    b: Actor,
    lead: Actor,
    /// fordringer: of a's person in 12; of b's persons in 03 (med dækninger) and 12; a
    /// tilbageførsel person of b's in 14
    a12: String,
    b03: String,
    b12: String,
    b14_tilbage: String,
    cpr_b: String,
}

async fn fixture() -> Fx {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let pa = x.person("Anne A", "a");
    let ba = x.bevilling(&pa, "KTH");
    let a12 = x.fordring(&pa, &ba, "P");
    let pb = x.person("Bent B", "b");
    let bb = x.bevilling(&pb, "KTH");
    let b03 = x.fordring_with_kravtype(&pb, &bb, "P", "Tilbagebetaling af enkeltydelse");
    x.daekning(&b03, "100,00");
    let b12 = x.fordring_with_kravtype(&pb, &bb, "P", "Tilbagebetaling af boligydelse");
    let pc = x.person("Carl C", "b");
    let bc = x.bevilling(&pc, "KTH");
    let b14_tilbage = x.fordring(&pc, &bc, "PR");
    x.tilbagefoersel(&b14_tilbage);
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    let a = db.user("a", Role::Sagsbehandler, Some(751)).await;
    let b = db.user("b", Role::Sagsbehandler, Some(751)).await;
    let lead = db.user("lead", Role::Projektleder, Some(751)).await;
    Fx { db, a, b, lead, a12, b03, b12, b14_tilbage, cpr_b: pb }
}

impl Fx {
    async fn task_of(&self, fordring: &str) -> i64 {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        app::store::tasks::opret_of_fordring(&mut conn, 751, fordring).await.unwrap().unwrap()
    }

    async fn plan(&self) -> Plan {
        plan::get_plan(&self.db.ctx, &self.lead, aarhus()).await.unwrap().plan
    }

    async fn set(&self, change: impl FnOnce(&mut Plan)) {
        let mut p = self.plan().await;
        change(&mut p);
        plan::save_plan(&self.db.ctx, &self.lead, aarhus(), p).await.unwrap();
    }

    async fn next(&self, who: &Actor) -> Option<i64> {
        task_view::next_task(&self.db.ctx, who, aarhus(), None).await.unwrap()
    }

    /// Lets go of every claim, so the next call chooses afresh.
    async fn release_claims(&self) {
        self.db
            .ctx
            .write(|tx| {
                Box::pin(async move {
                    app::on_each!(tx, |cx| sqlx::query("UPDATE task SET claimed_by = NULL, claimed_until = NULL")
                        .execute(cx)
                        .await
                        .map(|_| ()))?;
                    Ok::<_, AppError>(())
                })
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_tilbagefoersel_person_comes_first_then_the_kommunes_package_order() {
    let fx = fixture().await;
    // default: opgavepakkestyret, order 08, 01, …, 03, … — the tilbageførsel task in 14 first
    assert_eq!(fx.next(&fx.a).await, Some(fx.task_of(&fx.b14_tilbage).await));
    fx.release_claims().await;
    fx.set(|p| p.opgavepakke_order = vec![12, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17]).await;
    // still first: the tilbageførsel; then 12 before 03 by the kommune's order
    assert_eq!(fx.next(&fx.a).await, Some(fx.task_of(&fx.b14_tilbage).await));
    let second = fx.next(&fx.b).await.unwrap();
    assert!([fx.task_of(&fx.a12).await, fx.task_of(&fx.b12).await].contains(&second), "a task of 12 first");
}

#[tokio::test]
async fn sideloebende_hands_a_caseworker_only_their_own_persons() {
    let fx = fixture().await;
    fx.set(|p| p.tilgang = Tilgang::Sideloebende).await;
    assert_eq!(fx.next(&fx.a).await, Some(fx.task_of(&fx.a12).await));
    // a's only task is held by a; a gets it again and nothing of b's
    assert_eq!(fx.next(&fx.a).await, Some(fx.task_of(&fx.a12).await));
    let mut got = HashSet::new();
    for _ in 0..3 {
        let t = fx.next(&fx.b).await.unwrap();
        got.insert(t);
        fx.db
            .ctx
            .write(move |tx| {
                Box::pin(async move {
                    app::on_each!(tx, |cx| sqlx::query("UPDATE task SET claimed_by = 'parkeret' WHERE id = $1")
                        .bind(t)
                        .execute(cx)
                        .await
                        .map(|_| ()))?;
                    Ok::<_, AppError>(())
                })
            })
            .await
            .unwrap();
    }
    let own_b: HashSet<i64> =
        [fx.task_of(&fx.b14_tilbage).await, fx.task_of(&fx.b03).await, fx.task_of(&fx.b12).await].into();
    assert_eq!(got, own_b, "b gets exactly b's persons' tasks");
}

#[tokio::test]
async fn fokuseret_lets_only_the_named_team_take_tasks() {
    let fx = fixture().await;
    fx.set(|p| {
        p.tilgang = Tilgang::Fokuseret;
        p.ressourcer = Ressourcer::Team;
        p.medarbejdere = vec!["b".into()];
    })
    .await;
    let refused = task_view::next_task(&fx.db.ctx, &fx.a, aarhus(), None).await.unwrap_err();
    assert!(matches!(&refused, AppError::Refused(m) if m.contains("kun b")), "{refused:?}");
    assert!(fx.next(&fx.b).await.is_some(), "the team member works the whole kommune");
}

#[tokio::test]
async fn rapportstyret_hands_a_caseworker_only_the_persons_handed_to_them() {
    let fx = fixture().await;
    fx.set(|p| p.tilgang = Tilgang::Rapportstyret).await;
    assert_eq!(fx.next(&fx.a).await, None, "nothing handed to a yet");
    let cpr = fx.cpr_b.clone();
    fx.db
        .ctx
        .write(move |tx| {
            Box::pin(async move {
                app::on_each!(tx, |cx| sqlx::query(
                    "INSERT INTO tildeling (kommune, cpr, username, tildelt_af, tildelt_at) VALUES (751, $1, 'a', 'lead', '2027-01-02T10:00:00Z')",
                )
                .bind(cpr)
                .execute(cx).await.map(|_| ()))?;
                Ok::<_, AppError>(())
            })
        })
        .await
        .unwrap();
    let first = fx.next(&fx.a).await.unwrap();
    // Bent's tasks, package order: 03 (med dækninger) before 12
    assert_eq!(first, fx.task_of(&fx.b03).await);
    assert_eq!(fx.next(&fx.b).await, None, "b has no persons handed to them");
}

#[tokio::test]
async fn two_caseworkers_pressing_at_once_never_get_the_same_task() {
    let fx = fixture().await;
    let mut handles = Vec::new();
    for i in 0..8 {
        let who = fx.db.user(&format!("c{i}"), Role::Sagsbehandler, Some(751)).await;
        let ctx = fx.db.ctx.clone();
        handles.push(tokio::spawn(async move { task_view::next_task(&ctx, &who, aarhus(), None).await.unwrap() }));
    }
    let mut got = Vec::new();
    for h in handles {
        got.extend(h.await.unwrap());
    }
    let distinct: HashSet<_> = got.iter().collect();
    assert_eq!(got.len(), 4, "four open tasks to hand out: {got:?}");
    assert_eq!(distinct.len(), got.len(), "no task twice: {got:?}");
}

#[tokio::test]
async fn only_the_kommunes_project_lead_changes_the_plan_and_refusals_are_audited() {
    let fx = fixture().await;
    let p = fx.plan().await;
    let err = plan::save_plan(&fx.db.ctx, &fx.a, aarhus(), p.clone()).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden));
    let other = fx.db.user("odense.lead", Role::Projektleder, Some(461)).await;
    assert!(plan::save_plan(&fx.db.ctx, &other, aarhus(), p.clone()).await.is_err());
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let refused = audit::by_action(&mut conn, AuditAction::Refused).await.unwrap();
    assert!(refused.iter().filter(|r| r.detail.contains("plan")).count() >= 2, "{refused:?}");
    drop(conn);
    // the lead's change is audited; a stale version is told, not overwritten
    let saved =
        plan::save_plan(&fx.db.ctx, &fx.lead, aarhus(), Plan { deadline_med: "25.01.2028".into(), ..p.clone() })
            .await
            .unwrap();
    assert_eq!(saved.deadline_med, "2028-01-25");
    let stale = plan::save_plan(&fx.db.ctx, &fx.lead, aarhus(), p).await.unwrap_err();
    assert!(matches!(stale, AppError::Refused(ref m) if m.contains("ændret af en anden")), "{stale:?}");
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    assert_eq!(audit::by_action(&mut conn, AuditAction::PlanChanged).await.unwrap().len(), 1);
    // the board shows the new deadline, and the live snapshot carries the new plan version
    let board = app::service::board::board(&fx.db.ctx, &fx.a, aarhus()).await.unwrap();
    assert_eq!(board.deadline_med, "25.01.2028");
    assert_eq!(board.counts.plan, 1);
}

#[tokio::test]
async fn a_package_page_hands_out_from_that_package_only() {
    let fx = fixture().await;
    let p12 = Opgavepakke::new(12).unwrap();
    let t = task_view::next_task(&fx.db.ctx, &fx.a, aarhus(), Some(p12)).await.unwrap().unwrap();
    assert!([fx.task_of(&fx.a12).await, fx.task_of(&fx.b12).await].contains(&t));
}
