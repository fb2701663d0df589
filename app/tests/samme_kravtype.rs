//! "Samme kravtype" follows the answers: resolving a task re-classifies the person's other open
//! Opret fordringssag tasks in the same write (moves with their cause, closes when nothing is
//! left), and after any sequence of resolves every open task sits where its facts put it.

use app::domain::defects::{FordringFacts, Sibling, defects_of};
use app::domain::resolve::ResolveInput;
use app::domain::{Defects, Kommunenr};
use app::model::task::HistoryEvent;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, resolve};
use app::store::{counters, extract, tasks};
use fixtures::testing::{ExtractBuilder, TestDb};
use proptest::prelude::*;

const KOMMUNE: u16 = 751;
const KRAVTYPER: [&str; 3] =
    ["Tilbagebetaling af kontanthjælp", "Tilbagebetaling af sygedagpenge", "Tilbagebetaling af enkeltydelse"];

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

async fn import(db: &TestDb, x: &ExtractBuilder) {
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
}

async fn task_of(db: &TestDb, fordring: &str) -> tasks::TaskRow {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let id = tasks::opret_of_fordring(&mut conn, KOMMUNE, fordring).await.unwrap().unwrap();
    tasks::get(&mut conn, id).await.unwrap().unwrap()
}

/// Every open Opret fordringssag task has the defects and opgavepakke its fordring's current
/// facts give, and the kept counters equal a recount.
async fn assert_classified(db: &TestDb) {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let open: Vec<(i64,)> = app::on_each!(&mut conn, |cx| sqlx::query_as(
        "SELECT id FROM task WHERE kommune = $1 AND is_open = TRUE AND kind = 'opret' ORDER BY id"
    )
    .bind(i64::from(KOMMUNE))
    .fetch_all(cx)
    .await)
    .unwrap();
    for (id,) in open {
        let t = tasks::get(&mut conn, id).await.unwrap().unwrap();
        let all = extract::fordringer_of_person(&mut conn, KOMMUNE, &t.cpr).await.unwrap();
        let f = all.iter().find(|f| f.fordring_id == t.fordring_id).unwrap();
        let facts = FordringFacts {
            bevilling_id: f.bevilling_id.as_deref(),
            ydelsesreference: f.ydelsesreference.as_deref(),
            kravtype: f.kravtype.as_deref(),
            kravtype_bekraeftet: f.kravtype_bekraeftet,
            udbetalingsparagraf: f.udbetalingsparagraf.as_deref(),
            tilbagebetalingsparagraf: f.tilbagebetalingsparagraf.as_deref(),
            har_daekninger: extract::has_daekninger(&mut conn, KOMMUNE, &f.fordring_id).await.unwrap(),
        };
        let siblings = all
            .iter()
            .filter(|s| s.fordring_id != f.fordring_id)
            .map(|s| Sibling { kravtype: s.kravtype.as_deref(), bevilling_id: s.bevilling_id.as_deref() });
        let want = defects_of(&facts, siblings);
        assert_eq!(Defects::from_bits(t.defects), want, "task {id} (fordring {})", t.fordring_id);
        assert_eq!(want.classify().map(|p| p.nr()), Some(t.opgavepakke), "task {id} (fordring {})", t.fordring_id);
    }
    let kept = counters::read(&mut conn, aarhus()).await.unwrap();
    assert_eq!(kept.counts, counters::recount(&mut conn, aarhus()).await.unwrap(), "counters == recount");
    let stray: i64 = app::on_each!(&mut conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM task v WHERE v.kind = 'daekning' AND v.is_open = TRUE AND NOT EXISTS (
             SELECT 1 FROM task o WHERE o.kommune = v.kommune AND o.fordring_id = v.fordring_id AND o.kind = 'opret' AND o.is_open = TRUE)",
    )
    .fetch_one(cx).await)
    .unwrap();
    assert_eq!(stray, 0, "no 09 task waits for a closed task");
}

fn paragraffer(mut input: ResolveInput) -> ResolveInput {
    input.udbetalingsparagraf = "LAS § 25".into();
    input.tilbagebetalingsparagraf = "LAS § 91".into();
    input
}

#[tokio::test]
async fn a_kravtype_set_on_one_fordring_moves_a_sibling_with_the_same_kravtype_and_says_why() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let (b1, b2) = (x.bevilling(&cpr, "KTH"), x.bevilling(&cpr, "SDP"));
    let f1 = x.fordring_with_kravtype(&cpr, &b1, "P", KRAVTYPER[0]); // 12
    let f2 = x.fordring(&cpr, &b2, "K"); // 11: kravtype missing
    import(&db, &x).await;
    assert_eq!(task_of(&db, &f1).await.opgavepakke, 12);
    let t2 = task_of(&db, &f2).await.id;
    let input = ResolveInput { kravtype: KRAVTYPER[0].into(), kravtype_bekraeftet: true, ..Default::default() };
    let done = resolve::resolve_task(&db.ctx, &Actor::System, t2, &input).await.unwrap();
    assert_eq!((done.andre_flyttet, done.andre_loest), (1, 0));
    let t1 = task_of(&db, &f1).await;
    assert_eq!(t1.opgavepakke, 13, "P + samme kravtype");
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let moved = tasks::history(&mut conn, t1.id).await.unwrap().pop().unwrap();
    assert_eq!(moved.event, HistoryEvent::Flyttet);
    assert_eq!(
        moved.cause,
        format!(
            "Flyttet fra 12 til 13, fordi kravtypen på fordring {f2} blev bekræftet som \"{}\" (opgave {t2}): fordringen har nu samme kravtype som en anden af borgerens fordringer på en anden bevilling.",
            KRAVTYPER[0]
        )
    );
    drop(conn);
    assert_classified(&db).await;
}

#[tokio::test]
async fn a_sibling_whose_only_defect_was_the_shared_kravtype_closes_and_its_ventetrin_is_processed() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let (b1, b2) = (x.bevilling(&cpr, "KTH"), x.bevilling(&cpr, "SDP"));
    let f1 = x.fordring_with_kravtype(&cpr, &b1, "", KRAVTYPER[0]); // K only (samme kravtype), med: 02
    x.daekning(&f1, "100,00");
    let f2 = x.fordring_with_kravtype(&cpr, &b2, "", KRAVTYPER[0]); // K only: 11
    import(&db, &x).await;
    assert_eq!(task_of(&db, &f1).await.opgavepakke, 2);
    let t2 = task_of(&db, &f2).await.id;
    // The caseworker corrects f2's kravtype: f1 no longer shares it.
    let input = ResolveInput { kravtype: KRAVTYPER[1].into(), kravtype_bekraeftet: true, ..Default::default() };
    let done = resolve::resolve_task(&db.ctx, &Actor::System, t2, &input).await.unwrap();
    assert_eq!((done.andre_flyttet, done.andre_loest), (0, 1));
    let t1 = task_of(&db, &f1).await;
    assert!(!t1.is_open);
    assert_eq!(t1.closed_by.as_deref(), Some("system"));
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let closed = tasks::history(&mut conn, t1.id).await.unwrap().pop().unwrap();
    assert_eq!(closed.event, HistoryEvent::Loest);
    assert!(
        closed.cause.starts_with(&format!("Løst automatisk, fordi kravtypen på fordring {f2}")),
        "{}",
        closed.cause
    );
    let waiting: i64 = app::on_each!(&mut conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM daekning WHERE fordring_id = $1 AND behandlet IS NULL"
    )
    .bind(&f1)
    .fetch_one(cx)
    .await)
    .unwrap();
    assert_eq!(waiting, 0, "the 09 dækning is booked");
    drop(conn);
    assert_classified(&db).await;
}

#[tokio::test]
async fn an_answer_that_cannot_change_samme_kravtype_leaves_the_siblings_alone() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let (b1, b2) = (x.bevilling(&cpr, "KTH"), x.bevilling(&cpr, "SDP"));
    let f1 = x.fordring_with_kravtype(&cpr, &b1, "R", KRAVTYPER[0]); // 10
    let f2 = x.fordring_with_kravtype(&cpr, &b2, "P", KRAVTYPER[1]); // 12
    import(&db, &x).await;
    let t2 = task_of(&db, &f2).await.id;
    let done = resolve::resolve_task(&db.ctx, &Actor::System, t2, &paragraffer(ResolveInput::default())).await.unwrap();
    assert_eq!((done.andre_flyttet, done.andre_loest), (0, 0));
    assert_eq!(task_of(&db, &f1).await.opgavepakke, 10);
    assert_classified(&db).await;
}

/// A generated fordring: bevilling index (None = B), missing R/P, kravtype index (None = K
/// missing), dækninger.
type GenFordring = (Option<usize>, bool, bool, Option<usize>, usize);

fn gen_person() -> impl Strategy<Value = (usize, Vec<GenFordring>)> {
    (1usize..=3).prop_flat_map(|bevillinger| {
        let fordring = (
            prop::option::weighted(0.8, 0..bevillinger),
            any::<bool>(),
            prop::bool::weighted(0.3),
            prop::option::weighted(0.85, 0..KRAVTYPER.len()),
            0usize..=2,
        );
        (Just(bevillinger), prop::collection::vec(fordring, 1..=4))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// After any sequence of resolves, every open task's opgavepakke is the classification of
    /// its fordring's current facts, and the counters equal a recount.
    #[test]
    fn after_any_sequence_of_resolves_every_open_task_sits_where_its_facts_put_it(
        persons in prop::collection::vec(gen_person(), 1..=3),
        steps in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..=8),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let db = TestDb::new().await;
            let mut x = ExtractBuilder::new();
            let mut bevillinger_of = std::collections::HashMap::new();
            for (i, (n, fordringer)) in persons.iter().enumerate() {
                let cpr = x.person(&format!("Person {i}"), "mette");
                let bevillinger: Vec<String> = (0..*n).map(|_| x.bevilling(&cpr, "KTH")).collect();
                for (b, r, p, k, d) in fordringer {
                    let missing: String = [(b.is_none(), 'B'), (*r, 'R'), (*p, 'P'), (k.is_none(), 'K')]
                        .iter().filter(|(on, _)| *on).map(|(_, c)| *c).collect();
                    let bevilling = bevillinger[b.unwrap_or(0)].clone();
                    let f = x.fordring_with_kravtype(&cpr, &bevilling, &missing, KRAVTYPER[k.unwrap_or(0)]);
                    for _ in 0..*d {
                        x.daekning(&f, "100,00");
                    }
                }
                bevillinger_of.insert(cpr, bevillinger);
            }
            import(&db, &x).await;
            assert_classified(&db).await;
            for (which, bevilling, kravtype) in steps {
                let open: Vec<(i64, String, i64)> = {
                    let mut conn = db.ctx.db.read.acquire().await.unwrap();
                    app::on_each!(&mut conn, |cx| sqlx::query_as("SELECT id, cpr, defects FROM task WHERE kommune = $1 AND is_open = TRUE AND kind = 'opret' ORDER BY id")
                        .bind(i64::from(KOMMUNE))
                        .fetch_all(cx).await)
                        .unwrap()
                };
                if open.is_empty() {
                    break;
                }
                let (id, cpr, bits) = which.get(&open).clone();
                let chosen = bevilling.get(&bevillinger_of[&cpr]).clone();
                // the reference: a ydelse of the bevilling the fordring has or gets
                let ydelse: String = {
                    let mut conn = db.ctx.db.read.acquire().await.unwrap();
                    app::on_each!(&mut conn, |cx| sqlx::query_scalar(
                        "SELECT y.ydelse_id FROM ydelse y WHERE y.bevilling_id = coalesce(
                             CASE WHEN $1 THEN $2 END,
                             (SELECT f.bevilling_id FROM fordring f JOIN task t ON t.fordring_id = f.fordring_id WHERE t.id = $3))",
                    )
                    .bind(Defects::from_bits(app::store::small(bits).unwrap()).b)
                    .bind(&chosen)
                    .bind(id)
                    .fetch_one(cx).await)
                    .unwrap()
                };
                let input = paragraffer(ResolveInput {
                    bevilling_id: chosen,
                    ydelsesreference: ydelse,
                    kravtype: kravtype.get(&KRAVTYPER).to_string(),
                    kravtype_bekraeftet: true,
                    ..Default::default()
                });
                resolve::resolve_task(&db.ctx, &Actor::System, id, &input).await.unwrap();
                assert_classified(&db).await;
            }
        });
    }
}
