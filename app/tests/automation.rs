//! Automatic paragraf- and kravtypekontrol against a real SQLite file: who may ask and switch,
//! what moves and closes (ventetrin dækninger processed), the cause in the history, counters
//! equal to a recount, running it twice, and later imports.

use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, automation};
use app::store::audit::{self, AuditAction};
use app::store::{counters, tasks};
use fixtures::testing::{ExtractBuilder, TestDb};

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

struct Fx {
    db: TestDb,
    extract: ExtractBuilder,
    p12: String,
    p03_with_09: String,
    pk13: String,
    pr14: String,
    r10: String,
}

async fn fixture() -> Fx {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne A", "a");
    let b = x.bevilling(&cpr, "KTH");
    let p12 = x.fordring_with_kravtype(&cpr, &b, "P", "Kravtype 1");
    let p03_with_09 = x.fordring_with_kravtype(&cpr, &b, "P", "Kravtype 2");
    x.daekning(&p03_with_09, "100,00");
    let pk13 = x.fordring(&cpr, &b, "PK");
    let pr14 = x.fordring_with_kravtype(&cpr, &b, "PR", "Kravtype 3");
    let r10 = x.fordring_with_kravtype(&cpr, &b, "R", "Kravtype 4");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    Fx { db, extract: x, p12, p03_with_09, pk13, pr14, r10 }
}

impl Fx {
    async fn where_is(&self, fordring: &str) -> (u8, bool) {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        let id = tasks::opret_of_fordring(&mut conn, 751, fordring).await.unwrap().unwrap();
        let t = tasks::get(&mut conn, id).await.unwrap().unwrap();
        (t.opgavepakke, t.is_open)
    }

    async fn counts(&self) -> [i64; 18] {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        let kept = counters::read(&mut conn, aarhus()).await.unwrap();
        assert_eq!(kept.counts, counters::recount(&mut conn, aarhus()).await.unwrap(), "counters == recount");
        kept.counts
    }
}

#[tokio::test]
async fn paragrafkontrol_moves_or_closes_every_open_task_in_one_go() {
    let fx = fixture().await;
    let before = fx.counts().await;
    assert_eq!((before[12], before[3], before[9], before[13], before[14], before[10]), (1, 1, 1, 1, 1, 1));
    let support = fx.db.user("support", Role::Supportberettiget, Some(751)).await;
    let req = automation::request(&fx.db.ctx, &support, aarhus(), true, false).await.unwrap();
    assert!(req.titel.contains("[KMD Aktiv fordringer]: Automatisering"));
    assert!(req.beskrivelse.contains("Prioritet: B") && req.beskrivelse.contains("Aarhus"));

    let supplier = fx.db.user("netcompany", Role::Leverandoer, None).await;
    let r = automation::switch_on(&fx.db.ctx, &supplier, aarhus(), true, false).await.unwrap();
    assert_eq!((r.moved, r.closed, r.ventetrin_processed), (2, 2, 1));
    assert_eq!(fx.where_is(&fx.p12).await, (12, false), "P only: closed");
    assert_eq!(fx.where_is(&fx.p03_with_09).await, (3, false), "P only with a dækning: closed");
    assert_eq!(fx.where_is(&fx.pk13).await, (11, true), "P+K: K is left");
    assert_eq!(fx.where_is(&fx.pr14).await, (10, true), "P+R: R is left");
    assert_eq!(fx.where_is(&fx.r10).await, (10, true), "untouched");
    let after = fx.counts().await;
    assert_eq!((after[12], after[3], after[9], after[13], after[14], after[11], after[10]), (0, 0, 0, 0, 0, 1, 2));
    assert_eq!(r.after.counts, after);

    // the history says why, naming who switched it on and who asked
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let id = tasks::opret_of_fordring(&mut conn, 751, &fx.pk13).await.unwrap().unwrap();
    let history = tasks::history(&mut conn, id).await.unwrap();
    let cause = &history.last().unwrap().cause;
    assert!(
        cause.starts_with("paragrafkontrol automatiseret")
            && cause.contains("af Bruger netcompany efter anmodning fra Bruger support"),
        "{cause}"
    );
    drop(conn);

    // again: nothing changes
    let again = automation::switch_on(&fx.db.ctx, &supplier, aarhus(), true, false).await.unwrap();
    assert!(again.unchanged);
    assert_eq!(fx.counts().await, after);
}

#[tokio::test]
async fn later_imports_get_the_automation_too() {
    let fx = fixture().await;
    automation::switch_on(&fx.db.ctx, &Actor::System, aarhus(), true, true).await.unwrap();
    let mut x = ExtractBuilder::after(&fx.extract);
    let cpr = x.person("Bo B", "a");
    let b = x.bevilling(&cpr, "KTH");
    let pk = x.fordring(&cpr, &b, "PK");
    let pkr = x.fordring_with_kravtype(&cpr, &b, "PKR", "Kravtype 9");
    let dir = fx.db.dir.path().join("y");
    x.write(&dir).unwrap();
    import_extract(&fx.db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    assert_eq!(fx.where_is(&pk).await, (13, false), "P+K with both automated: nothing left");
    assert_eq!(fx.where_is(&pkr).await, (10, true), "only R left");
    fx.counts().await;
}

#[tokio::test]
async fn only_the_supplier_switches_and_only_the_kommunes_support_user_asks() {
    let fx = fixture().await;
    let caseworker = fx.db.user("a", Role::Sagsbehandler, Some(751)).await;
    let lead = fx.db.user("lead", Role::Projektleder, Some(751)).await;
    for who in [&caseworker, &lead] {
        let e = automation::switch_on(&fx.db.ctx, who, aarhus(), true, false).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
    }
    let odense_support = fx.db.user("odense.support", Role::Supportberettiget, Some(461)).await;
    assert!(matches!(
        automation::request(&fx.db.ctx, &odense_support, aarhus(), true, false).await.unwrap_err(),
        AppError::Forbidden
    ));
    assert!(matches!(
        automation::request(&fx.db.ctx, &caseworker, aarhus(), true, false).await.unwrap_err(),
        AppError::Forbidden
    ));
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let refused = audit::by_action(&mut conn, AuditAction::Refused).await.unwrap();
    assert_eq!(refused.iter().filter(|r| r.detail.contains("automatisering")).count(), 4);
    drop(conn);
    assert_eq!(fx.where_is(&fx.p12).await, (12, true), "nothing changed");
}
