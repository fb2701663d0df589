//! The resolve form offers what the extract knows and the server accepts only that: the ydelser
//! of the bevilling (or a reference in the kommune's form) and the kravtyper in use.

use app::domain::resolve::ResolveInput;
use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{resolve, task_view};
use fixtures::testing::{ExtractBuilder, TestDb};

#[tokio::test]
async fn the_form_offers_the_bevillings_ydelser_and_the_kommunes_kravtyper_and_refuses_anything_else() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let b = x.bevilling(&cpr, "KTH");
    let _known = x.fordring_with_kravtype(&cpr, &b, "", "Særlig kravtype i Aarhus");
    let f = x.fordring(&cpr, &b, "RK"); // 15: reference and kravtype missing
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, Kommunenr::parse("751").unwrap(), &dir, &ImportOptions::default()).await.unwrap();
    let mette = db.user("mette", Role::Sagsbehandler, Some(751)).await;
    let task = {
        let mut conn = db.ctx.db.read.acquire().await.unwrap();
        app::store::tasks::opret_of_fordring(&mut conn, 751, &f).await.unwrap().unwrap()
    };

    let detail = task_view::task_detail(&db.ctx, &mette, task).await.unwrap();
    let ydelser: Vec<&str> = detail.known.ydelser.iter().map(|y| y.ydelse_id.as_str()).collect();
    assert_eq!(ydelser.len(), 1, "the one ydelse of the bevilling");
    let ydelse = ydelser[0].to_string();
    assert!(detail.known.kravtyper.iter().any(|k| k == "Særlig kravtype i Aarhus"), "in use in the kommune");
    assert!(detail.known.kravtyper.iter().any(|k| k == "Tilbagebetaling af kontanthjælp"));

    let wrong = ResolveInput {
        ydelsesreference: "hej".into(),
        kravtype: "blabla".into(),
        kravtype_bekraeftet: true,
        ..Default::default()
    };
    match resolve::resolve_task(&db.ctx, &mette, task, &wrong).await {
        Err(AppError::Invalid(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["ydelsesreference", "kravtype"]);
            assert!(errors[0].message.contains(&ydelse), "{}", errors[0].message);
            assert!(
                errors[0].message.starts_with("\"hej\" er ikke en kendt ydelsesreference."),
                "{}",
                errors[0].message
            );
            assert!(
                errors[1].message.starts_with("\"blabla\" er ikke en kravtype, kommunen bruger."),
                "{}",
                errors[1].message
            );
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert!(task_view::task_detail(&db.ctx, &mette, task).await.unwrap().is_open, "nothing written");

    let right = ResolveInput {
        ydelsesreference: ydelse.to_lowercase(),
        kravtype: " særlig kravtype i aarhus ".into(),
        kravtype_bekraeftet: true,
        ..Default::default()
    };
    resolve::resolve_task(&db.ctx, &mette, task, &right).await.unwrap();
    let done = task_view::task_detail(&db.ctx, &mette, task).await.unwrap();
    assert_eq!(done.fordring.ydelsesreference.as_deref(), Some(ydelse.as_str()), "written as the extract spells it");
    assert_eq!(done.fordring.kravtype.as_deref(), Some("Særlig kravtype i Aarhus"));
}
