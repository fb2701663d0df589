//! Importing KMD Aktiv extracts into a real SQLite file.

use app::domain::{Kommunenr, Opgavepakke};
use app::service::import::{ImportError, ImportFailure, ImportOptions, ImportSummary, import_extract};
use app::store::AnyConn;
use app::store::counters;
use fixtures::testing::{ExtractBuilder, TestDb};
use std::path::Path;

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

async fn import(db: &TestDb, dir: &Path) -> Result<ImportSummary, ImportFailure> {
    import_extract(&db.ctx.db, aarhus(), dir, &ImportOptions::default()).await
}

async fn assert_counters_equal_recount(db: &TestDb) {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let kept = counters::read(&mut conn, aarhus()).await.unwrap();
    let recount = counters::recount(&mut conn, aarhus()).await.unwrap();
    assert_eq!(kept.counts, recount, "kept counters differ from GROUP BY recount");
}

/// The table of DOMAIN.md as (defects missing, med, uden). Every one of the 16 combinations of
/// B, R, K, P, the empty one needing no task.
const TABLE: [(&str, Option<u8>, Option<u8>); 16] = [
    ("", None, None),
    ("R", Some(1), Some(10)),
    ("K", Some(2), Some(11)),
    ("P", Some(3), Some(12)),
    ("PK", Some(4), Some(13)),
    ("PR", Some(5), Some(14)),
    ("KR", Some(6), Some(15)),
    ("PKR", Some(7), Some(16)),
    ("B", Some(8), Some(17)),
    ("BR", Some(8), Some(17)),
    ("BK", Some(8), Some(17)),
    ("BP", Some(8), Some(17)),
    ("BPK", Some(8), Some(17)),
    ("BPR", Some(8), Some(17)),
    ("BKR", Some(8), Some(17)),
    ("BPKR", Some(8), Some(17)),
];

/// How many fordringer of a combination to make, chosen so that every opgavepakke ends with a
/// count of its own (01–07: 1–7, 10–16: 8–14, 08: 8 × 2, 17: 8 × 3, 09: one per med fordring
/// with a task): a swapped mapping moves a count and fails.
fn how_many(row: usize, med: bool) -> usize {
    match (row, med) {
        (0, _) => 1,
        (1..=7, true) => row,
        (1..=7, false) => row + 7,
        (_, true) => 2,
        (_, false) => 3,
    }
}

/// Every combination, med and uden dækninger, `how_many` of each; one person per fordring, so
/// "samme kravtype" does not interfere.
fn all_patterns() -> ExtractBuilder {
    let mut x = ExtractBuilder::new();
    for (row, (missing, _, _)) in TABLE.iter().enumerate() {
        for med in [true, false] {
            for n in 0..how_many(row, med) {
                let cpr = x.person(&format!("Person {missing} {med} {n}"), "aarhus.mette");
                let b = x.bevilling(&cpr, "KTH");
                let f = x.fordring(&cpr, &b, missing);
                if med {
                    x.daekning(&f, "100,00");
                }
            }
        }
    }
    x
}

/// A smaller extract for the tests of the import itself: one fordring per package row (with and
/// without a dækning), plus one without defects; 27 tasks.
fn every_combination() -> ExtractBuilder {
    let mut x = ExtractBuilder::new();
    for (i, missing) in ["R", "K", "P", "PK", "PR", "KR", "PKR", "B", "BPKR", ""].iter().enumerate() {
        for with_daekning in [true, false] {
            let cpr = x.person(&format!("Person {i} {with_daekning}"), "aarhus.mette");
            let b = x.bevilling(&cpr, "KTH");
            let f = x.fordring(&cpr, &b, missing);
            if with_daekning {
                x.daekning(&f, "100,00");
            }
        }
    }
    x
}

#[tokio::test]
async fn every_defect_combination_lands_in_the_opgavepakke_of_the_table() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("x");
    all_patterns().write(&dir).unwrap();
    let s = import(&db, &dir).await.unwrap();
    let mut want = [0i64; 18];
    for (row, (_, med, uden)) in TABLE.iter().enumerate() {
        for (p, is_med) in [(med, true), (uden, false)] {
            if let Some(p) = p {
                want[usize::from(*p)] += how_many(row, is_med) as i64;
                if is_med {
                    want[9] += how_many(row, true) as i64;
                }
            }
        }
    }
    assert_eq!(&want[1..=17], &[1, 2, 3, 4, 5, 6, 7, 16, 44, 8, 9, 10, 11, 12, 13, 14, 24], "the expected counts");
    let mut distinct = want[1..=17].to_vec();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 17, "every opgavepakke has a count of its own");
    for p in 1..=17u8 {
        assert_eq!(s.counts.get(Opgavepakke::new(p).unwrap()), want[usize::from(p)], "opgavepakke {p:02}");
    }
    assert_counters_equal_recount(&db).await;
}

#[tokio::test]
async fn the_same_kravtype_on_two_bevillinger_of_a_person_is_a_k_defect() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "aarhus.mette");
    let (b1, b2) = (x.bevilling(&cpr, "KTH"), x.bevilling(&cpr, "UDH"));
    x.fordring_with_kravtype(&cpr, &b1, "", "Tilbagebetaling af kontanthjælp");
    x.fordring_with_kravtype(&cpr, &b2, "", "Tilbagebetaling af kontanthjælp");
    // same kravtype, same bevilling: no defect
    x.fordring_with_kravtype(&cpr, &b1, "", "Tilbagebetaling af enkeltydelse");
    x.fordring_with_kravtype(&cpr, &b1, "", "Tilbagebetaling af enkeltydelse");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    let s = import(&db, &dir).await.unwrap();
    assert_eq!(s.counts.get(Opgavepakke::new(11).unwrap()), 2);
    assert_eq!(s.counts.total(), 2);
}

#[tokio::test]
async fn reimporting_the_same_extract_changes_nothing() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("x");
    every_combination().write(&dir).unwrap();
    let first = import(&db, &dir).await.unwrap();
    let second = import(&db, &dir).await.unwrap();
    assert_eq!(second.counts.counts, first.counts.counts);
    assert_eq!(second.created, [0; 18]);
    assert!(second.files.iter().all(|f| f.new_rows == 0), "{:?}", second.files);
    assert_eq!(second.counts.version, first.counts.version, "nothing changed, so no new version");
    assert_counters_equal_recount(&db).await;
}

#[tokio::test]
async fn a_later_extract_adds_only_what_is_new_and_moves_tasks_it_affects() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Bo Berg", "aarhus.lars");
    let b = x.bevilling(&cpr, "KTH");
    let f = x.fordring(&cpr, &b, "P"); // opgavepakke 12
    let f01 = x.fordring(&cpr, &b, "R");
    let known = x.daekning(&f01, "50,00"); // opgavepakke 01, one dækning in 09
    let dir = db.dir.path().join("first");
    x.write(&dir).unwrap();
    let first = import(&db, &dir).await.unwrap();
    assert_eq!(first.counts.get(Opgavepakke::new(12).unwrap()), 1);
    assert_eq!(first.counts.get(Opgavepakke::VENTETRIN), 1);

    // the later extract repeats everything, plus a dækning on the opgavepakke-12 fordring
    x.daekning(&f, "1250,00");
    let dir = db.dir.path().join("later");
    x.write(&dir).unwrap();
    let later = import(&db, &dir).await.unwrap();
    assert_eq!(later.moved, 1);
    assert_eq!(later.counts.get(Opgavepakke::new(12).unwrap()), 0);
    assert_eq!(later.counts.get(Opgavepakke::new(3).unwrap()), 1);
    assert_eq!(later.counts.get(Opgavepakke::VENTETRIN), 2, "the known dækning {known} is not counted twice");
    assert_counters_equal_recount(&db).await;
}

/// "Samme kravtype" looks at all of a person's fordringer, known and new: a later extract that
/// brings a new fordring with a known fordring's kravtype on another bevilling gives the known
/// open task the K defect too, and it moves with the cause on its history.
#[tokio::test]
async fn a_later_extract_with_the_same_kravtype_on_another_bevilling_moves_the_known_task() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Bo Berg", "aarhus.lars");
    let (b1, b2) = (x.bevilling(&cpr, "KTH"), x.bevilling(&cpr, "SDP"));
    let kravtype = "Tilbagebetaling af kontanthjælp";
    let known = x.fordring_with_kravtype(&cpr, &b1, "P", kravtype); // P only: 12
    let dir = db.dir.path().join("first");
    x.write(&dir).unwrap();
    let first = import(&db, &dir).await.unwrap();
    assert_eq!(first.counts.get(Opgavepakke::new(12).unwrap()), 1);

    let new = x.fordring_with_kravtype(&cpr, &b2, "", kravtype); // K only (samme kravtype): 11
    let dir = db.dir.path().join("later");
    x.write(&dir).unwrap();
    let later = import(&db, &dir).await.unwrap();
    assert_eq!(later.counts.get(Opgavepakke::new(12).unwrap()), 0, "the known task left 12");
    assert_eq!(later.counts.get(Opgavepakke::new(13).unwrap()), 1, "P + samme kravtype");
    assert_eq!(later.counts.get(Opgavepakke::new(11).unwrap()), 1, "the new fordring {new}");
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let (task, opgavepakke): (i64, i64) = app::on_each!(&mut conn, |cx| sqlx::query_as(
        "SELECT id, opgavepakke FROM task WHERE fordring_id = $1 AND kind = 'opret' AND is_open = TRUE"
    )
    .bind(&known)
    .fetch_one(cx)
    .await)
    .unwrap();
    assert_eq!(opgavepakke, 13);
    let last = app::store::tasks::history(&mut conn, task).await.unwrap().pop().unwrap();
    assert!(last.cause.contains("ny fordring med samme kravtype"), "{}", last.cause);
    drop(conn);
    assert_counters_equal_recount(&db).await;
}

#[tokio::test]
async fn a_bad_extract_lists_every_error_with_file_line_and_column_and_writes_nothing() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("bad");
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "aarhus.mette");
    let other = x.person("Ole Olsen", "aarhus.mette");
    let b = x.bevilling(&cpr, "KTH");
    let other_b = x.bevilling(&other, "KTH");
    x.fordring(&cpr, &b, "R");
    x.fordring(&cpr, &other_b, "R"); // line 3: bevilling of another person
    x.fordring(&cpr, "B-UKENDT", "R"); // line 4: unknown bevilling
    x.write(&dir).unwrap();
    // line 3 of personer.csv: a bad CPR; daekninger: bad amount, bad date, unknown fordring
    let personer = std::fs::read_to_string(dir.join("personer.csv")).unwrap();
    std::fs::write(dir.join("personer.csv"), format!("{personer}12345;Ingen Cpr\n")).unwrap();
    std::fs::write(
        dir.join("daekninger.csv"),
        "daekning_id;fordring_id;art;beloeb;dato\nD1;F9;daekning;1.250,00;2023-13-01\nD2;F999;betaling;10;2023-01-01\n",
    )
    .unwrap();

    let Err(ImportFailure::Invalid { errors, more, .. }) = import(&db, &dir).await else { panic!("expected errors") };
    let found: Vec<(String, u64, String)> = errors.iter().map(|e| (e.file.clone(), e.line, e.column.clone())).collect();
    for expected in [
        ("personer.csv", 4, "cpr"),
        ("fordringer.csv", 3, "bevilling_id"),
        ("fordringer.csv", 4, "bevilling_id"),
        ("daekninger.csv", 2, "beloeb"),
        ("daekninger.csv", 2, "dato"),
        ("daekninger.csv", 3, "art"),
    ] {
        let expected = (expected.0.to_string(), expected.1, expected.2.to_string());
        assert!(found.contains(&expected), "missing {expected:?} in {found:?}");
    }
    assert!(errors.iter().all(|e| !e.reason.is_empty()));
    assert_eq!(more, 0);
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let persons: i64 =
        app::on_each!(&mut conn, |cx| sqlx::query_scalar("SELECT count(*) FROM person").fetch_one(cx).await).unwrap();
    assert_eq!(persons, 0, "nothing is written when the extract has errors");
}

#[tokio::test]
async fn a_missing_column_is_named_and_columns_may_come_in_any_order_and_case() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("cols");
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "aarhus.mette");
    let b = x.bevilling(&cpr, "KTH");
    x.fordring(&cpr, &b, "R");
    x.write(&dir).unwrap();
    // swap the columns of personer.csv and shout the header
    let rows: Vec<String> = std::fs::read_to_string(dir.join("personer.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (c, n) = l.split_once(';').unwrap();
            format!("{n};{c}")
        })
        .collect();
    std::fs::write(dir.join("personer.csv"), format!("NAVN;CPR\n{}\n", rows.join("\n"))).unwrap();
    assert!(import(&db, &dir).await.is_ok());

    std::fs::write(dir.join("ydelser.csv"), "ydelse_id;bevilling_id;sats\n").unwrap();
    let Err(ImportFailure::Invalid { errors, .. }) = import(&db, &dir).await else { panic!("expected errors") };
    assert_eq!((errors[0].file.as_str(), errors[0].line, errors[0].column.as_str()), ("ydelser.csv", 1, "ydelsesart"));
}

#[tokio::test]
async fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("x");
    every_combination().write(&dir).unwrap();
    let opts = ImportOptions { dry_run: true, ..Default::default() };
    let s = import_extract(&db.ctx.db, aarhus(), &dir, &opts).await.unwrap();
    assert_eq!(s.counts.total(), 27);
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let tasks: i64 =
        app::on_each!(&mut conn, |cx| sqlx::query_scalar("SELECT count(*) FROM task").fetch_one(cx).await).unwrap();
    assert_eq!(tasks, 0);
}

#[tokio::test]
async fn the_demo_extract_fills_all_17_opgavepakker_and_imports_cleanly() {
    use fixtures::demo::{DemoExtractOptions, write_demo_extract};
    let db = TestDb::new().await;
    let dir = db.dir.path().join("demo");
    write_demo_extract(&dir, &DemoExtractOptions { kommune: aarhus(), seed: 7, fordringer: 2_000 }).unwrap();
    let s = import(&db, &dir).await.unwrap();
    for p in Opgavepakke::all() {
        assert!(s.counts.get(p) > 0, "package {p} is empty");
    }
    assert_counters_equal_recount(&db).await;
    // deterministic for a seed
    let again = db.dir.path().join("demo2");
    write_demo_extract(&again, &DemoExtractOptions { kommune: aarhus(), seed: 7, fordringer: 2_000 }).unwrap();
    for f in ["personer.csv", "fordringer.csv", "daekninger.csv"] {
        assert_eq!(std::fs::read(dir.join(f)).unwrap(), std::fs::read(again.join(f)).unwrap(), "{f}");
    }
    // every CPR is synthetic (day + 60) with a modulus-11 check digit
    let personer = std::fs::read_to_string(dir.join("personer.csv")).unwrap();
    for line in personer.lines().skip(1) {
        let cpr = app::domain::Cpr::parse(line.split(';').next().unwrap()).unwrap();
        assert!(cpr.is_synthetic() && cpr.has_modulus11(), "{cpr}");
    }
}

#[tokio::test]
async fn a_large_first_import_rebuilds_its_indexes_and_ends_in_the_same_state() {
    use fixtures::demo::{DemoExtractOptions, write_demo_extract};
    let db = TestDb::new().await;
    let dir = db.dir.path().join("demo");
    write_demo_extract(&dir, &DemoExtractOptions { kommune: aarhus(), seed: 3, fordringer: 1_500 }).unwrap();
    // Indexes and foreign keys (on SQLite: whether the writer checks them) as the schema has them.
    let shape = |db: &TestDb| {
        let read = db.ctx.db.read.clone();
        async move {
            let mut conn = read.acquire().await.unwrap();
            app::on_each!(&mut conn, |cx| {
                if PG {
                    sqlx::query_as::<_, (i64, i64)>(
                        "SELECT (SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()),
                                (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated)",
                    )
                    .fetch_one(cx)
                    .await
                } else {
                    sqlx::query_as::<_, (i64, i64)>(
                        "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'index'),
                                (SELECT count(*) FROM pragma_foreign_key_check)",
                    )
                    .fetch_one(cx)
                    .await
                }
            })
            .unwrap()
        }
    };
    // A bulk load builds the secondary indexes once at the end and skips the per-row
    // foreign-key checks (SQLite: turned off; PostgreSQL: the keys dropped and added again, each
    // checked by one join); the parser checked every reference. Afterwards every index is back
    // and every key holds.
    let before = shape(&db).await;
    let opts = ImportOptions { bulk_rows: Some(0), ..Default::default() };
    let bulk = import_extract(&db.ctx.db, aarhus(), &dir, &opts).await.unwrap();
    assert_counters_equal_recount(&db).await;
    assert_eq!(shape(&db).await, before, "every dropped index and key is back (SQLite: no row breaks a key)");
    if !db.is_postgres() {
        let checks: i64 = db
            .ctx
            .db
            .write(|tx| {
                Box::pin(async move { Ok(sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(tx.sqlite()?).await?) })
            })
            .await
            .unwrap();
        assert_eq!(checks, 1, "the writer checks foreign keys again");
    }

    let other = TestDb::new().await;
    let row_by_row = import(&other, &dir).await.unwrap();
    assert_eq!(bulk.counts.counts, row_by_row.counts.counts);
}

/// Rewrites one file of a written extract.
fn edit(dir: &Path, file: &str, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    std::fs::write(dir.join(file), change(text)).unwrap();
}

async fn invalid(db: &TestDb, dir: &Path) -> (Vec<ImportError>, Vec<String>) {
    match import(db, dir).await {
        Err(ImportFailure::Invalid { errors, follow_ons, more }) => {
            assert_eq!(more, 0);
            (errors, follow_ons.iter().map(ToString::to_string).collect())
        }
        Err(ImportFailure::Internal(e)) => panic!("internal error: {e}"),
        Ok(_) => panic!("expected errors"),
    }
}

async fn assert_nothing_written(db: &TestDb) {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    for count in ["SELECT count(*) FROM person", "SELECT count(*) FROM fordring", "SELECT count(*) FROM task"] {
        let n: i64 = app::on_each!(&mut conn, |cx| sqlx::query_scalar(count).fetch_one(cx).await).unwrap();
        assert_eq!(n, 0, "{count}: nothing is written when the extract has errors");
    }
}

fn located(errors: &[ImportError]) -> Vec<(&str, u64, &str)> {
    errors.iter().map(|e| (e.file.as_str(), e.line, e.column.as_str())).collect()
}

#[tokio::test]
async fn a_windows_1252_file_gets_one_error_naming_the_file_and_how_to_save_it() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("ansi");
    let mut x = every_combination();
    let cpr = x.person("Søren Østergård", "aarhus.mette");
    let b = x.bevilling(&cpr, "KTH");
    x.fordring(&cpr, &b, "R");
    x.write(&dir).unwrap();
    // what Excel's "CSV (semikolonsepareret)" writes: one byte per character (Latin-1 part of 1252)
    let utf8 = std::fs::read_to_string(dir.join("personer.csv")).unwrap();
    let ansi: Vec<u8> = utf8.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
    std::fs::write(dir.join("personer.csv"), ansi).unwrap();

    let (errors, follow_ons) = invalid(&db, &dir).await;
    assert_eq!(located(&errors), [("personer.csv", 22, "-")], "exactly one error: {errors:#?}");
    let reason = &errors[0].reason;
    for says in
        ["UTF-8", "Windows-1252/ANSI", "\"ø\"", "Søren Østergård", "\"Gem som\"", "CSV UTF-8 (kommasepareret) (*.csv)"]
    {
        assert!(reason.contains(says), "{says:?} missing in {reason}");
    }
    // every row pointing into the unread file, and on down the chain, is one count line per file
    assert_eq!(
        follow_ons,
        [
            "… og 21 rækker i sagsmapper.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)",
            "… og 21 rækker i bevillinger.csv henviser til sagsmapper, der ikke kunne læses (se fejlene ovenfor)",
            "… og 21 rækker i ydelser.csv henviser til bevillinger, der ikke kunne læses (se fejlene ovenfor)",
            "… og 21 rækker i fordringer.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)",
            "… og 10 rækker i daekninger.csv henviser til fordringer, der ikke kunne læses (se fejlene ovenfor)",
        ]
    );
    assert_nothing_written(&db).await;
}

#[tokio::test]
async fn a_row_that_cannot_be_read_is_reported_first_and_rows_pointing_at_it_are_only_counted() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("width");
    let mut x = ExtractBuilder::new();
    let ok = x.person("Bo Berg", "aarhus.lars");
    let bad = x.person("Anne Hansen", "aarhus.mette");
    let b = x.bevilling(&bad, "KTH");
    for _ in 0..5 {
        let f = x.fordring(&bad, &b, "R");
        x.daekning(&f, "10,00");
    }
    let ok_b = x.bevilling(&ok, "KTH");
    x.fordring(&ok, &ok_b, "R");
    x.fordring(&ok, "B-UKENDT", "R"); // line 8: a reference that is simply wrong
    x.write(&dir).unwrap();
    // line 3 of personer.csv gets a field too many: the row cannot be read
    edit(&dir, "personer.csv", |t| t.replace(&format!("{bad};Anne Hansen"), &format!("{bad};Hansen;Anne")));

    let (errors, follow_ons) = invalid(&db, &dir).await;
    assert_eq!(located(&errors), [("personer.csv", 3, "-"), ("fordringer.csv", 8, "bevilling_id")], "{errors:#?}");
    assert!(errors[0].reason.contains("3 felter, overskriften 2"), "{}", errors[0].reason);
    assert!(errors[1].reason.contains("B-UKENDT findes ikke i bevillinger.csv"), "{}", errors[1].reason);
    assert_eq!(
        follow_ons,
        [
            "… og 1 række i sagsmapper.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)",
            "… og 1 række i bevillinger.csv henviser til sagsmapper, der ikke kunne læses (se fejlene ovenfor)",
            "… og 1 række i ydelser.csv henviser til bevillinger, der ikke kunne læses (se fejlene ovenfor)",
            "… og 5 rækker i fordringer.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)",
            "… og 5 rækker i daekninger.csv henviser til fordringer, der ikke kunne læses (se fejlene ovenfor)",
        ]
    );
    assert_nothing_written(&db).await;
}

#[tokio::test]
async fn an_unclosed_quote_on_the_last_line_is_an_error_naming_the_file_and_line() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("quote");
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "aarhus.mette");
    let b = x.bevilling(&cpr, "KTH");
    x.fordring(&cpr, &b, "R");
    let last = x.person("Bo Berg", "aarhus.mette");
    x.write(&dir).unwrap();
    edit(&dir, "personer.csv", |t| t.replace(&format!("{last};Bo Berg"), &format!("{last};\"Bo Berg")));

    let (errors, follow_ons) = invalid(&db, &dir).await;
    assert_eq!(located(&errors), [("personer.csv", 3, "-")], "{errors:#?}");
    assert!(errors[0].reason.contains("anførselstegn"), "{}", errors[0].reason);
    // the sagsmappe of the person on that line points at a row that could not be read
    assert_eq!(
        follow_ons,
        ["… og 1 række i sagsmapper.csv henviser til personer, der ikke kunne læses (se fejlene ovenfor)"]
    );
    assert_nothing_written(&db).await;
}

#[tokio::test]
async fn an_unclosed_quote_inside_a_file_stops_reading_there_and_text_after_a_closing_quote_is_named() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("quotes");
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "aarhus.mette");
    let other = x.person("Bo Berg", "aarhus.mette");
    let b = x.bevilling(&cpr, "KTH");
    let fordringer: Vec<String> = (0..4).map(|_| x.fordring(&cpr, &b, "R")).collect();
    for f in &fordringer {
        x.daekning(f, "10,00");
    }
    x.write(&dir).unwrap();
    // fordringer.csv line 3 opens a quote that never closes: lines 3–5 are one field to csv
    let second = &fordringer[1];
    edit(&dir, "fordringer.csv", |t| {
        t.replace(&format!("{second};{cpr};{b};;Tilbage"), &format!("{second};{cpr};{b};;\"Tilbage"))
    });
    // personer.csv line 3: a name with text after its closing quote
    edit(&dir, "personer.csv", |t| t.replace(&format!("{other};Bo Berg"), &format!("{other};\"Bo\" Berg")));

    let (errors, follow_ons) = invalid(&db, &dir).await;
    assert_eq!(located(&errors), [("personer.csv", 3, "-"), ("fordringer.csv", 3, "-")], "{errors:#?}");
    assert!(errors[0].reason.contains("afsluttende anførselstegn"), "{}", errors[0].reason);
    assert!(errors[1].reason.contains("lukkes aldrig"), "{}", errors[1].reason);
    assert_eq!(
        follow_ons,
        ["… og 3 rækker i daekninger.csv henviser til fordringer, der ikke kunne læses (se fejlene ovenfor)"]
    );
    assert_nothing_written(&db).await;
}

#[tokio::test]
async fn a_bom_and_crlf_line_endings_import_exactly_like_plain_files() {
    let plain_db = TestDb::new().await;
    let plain = plain_db.dir.path().join("plain");
    every_combination().write(&plain).unwrap();
    let expected = import(&plain_db, &plain).await.unwrap();

    let db = TestDb::new().await;
    let dir = db.dir.path().join("excel");
    every_combination().write(&dir).unwrap();
    for (file, _) in app::service::import::FILES {
        edit(&dir, file, |t| format!("\u{feff}{}", t.replace('\n', "\r\n")));
    }
    // Excel quotes a header when it must; after the BOM the quote still opens the field
    edit(&dir, "personer.csv", |t| t.replacen("cpr;navn", "\"cpr\";\"navn\"", 1));
    let s = import(&db, &dir).await.unwrap();
    assert_eq!(s.counts.counts, expected.counts.counts);
    assert_eq!(s.files, expected.files);
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let names: Vec<String> =
        app::on_each!(&mut conn, |cx| sqlx::query_scalar("SELECT navn FROM person").fetch_all(cx).await).unwrap();
    assert!(names.iter().all(|n| n.starts_with("Person ") && !n.contains(['\r', '\u{feff}'])), "{names:?}");
}

#[tokio::test]
async fn hidden_characters_and_overlong_text_are_refused_with_file_line_and_column() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("hidden");
    let mut x = ExtractBuilder::new();
    let anne = x.person("Anne \u{202e}nesnaH", "aarhus.mette"); // line 2: a bidi override
    x.person("Bo\tBerg", "aarhus.mette\u{2060}"); // line 3: a tab; its sagsmappe a word joiner
    x.person(&"Navn ".repeat(41), "aarhus.mette"); // line 4: 205 characters
    let b = x.bevilling(&anne, "KTH");
    x.fordring_with_kravtype(&anne, &b, "", "Tilbage\u{200b}betaling"); // line 2: zero width space
    x.fordring_with_kravtype(&anne, &b, "", &"k".repeat(81)); // line 3
    x.fordring_with_kravtype(&anne, &b, "", "Renter\0"); // line 4: NUL
    x.write(&dir).unwrap();

    let (errors, follow_ons) = invalid(&db, &dir).await;
    let expected = [
        ("personer.csv", 2, "navn", "U+202E"),
        ("personer.csv", 3, "navn", "U+0009 (tabulator)"),
        ("personer.csv", 4, "navn", "højst 200"),
        ("sagsmapper.csv", 3, "sagsbehandler", "U+2060"),
        ("fordringer.csv", 2, "kravtype", "U+200B"),
        ("fordringer.csv", 3, "kravtype", "højst 80"),
        ("fordringer.csv", 4, "kravtype", "U+0000"),
    ];
    assert_eq!(located(&errors), expected.map(|(f, l, c, _)| (f, l, c)), "{errors:#?}");
    for (e, (.., says)) in errors.iter().zip(expected) {
        assert!(e.reason.contains(says), "{says:?} missing in {e}");
    }
    assert!(follow_ons.is_empty(), "a row refused only for its text still names its key: {follow_ons:?}");
    assert_nothing_written(&db).await;
}

#[tokio::test]
async fn dates_with_year_0000_or_9999_are_refused_with_file_line_and_column() {
    let db = TestDb::new().await;
    let dir = db.dir.path().join("dates");
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "aarhus.mette");
    let b = x.bevilling(&cpr, "KTH");
    let f = x.fordring(&cpr, &b, "R");
    x.write(&dir).unwrap();
    edit(&dir, "bevillinger.csv", |t| t.replace("aktiv;2021-01-01;", "aktiv;2021-01-01;9999-12-31"));
    edit(&dir, "fordringer.csv", |t| {
        t.replace(&format!("{f};"), &format!("{f}X;")).replace("2022-03-01", "0000-01-01")
    });

    let (errors, _) = invalid(&db, &dir).await;
    assert_eq!(located(&errors), [("bevillinger.csv", 2, "til"), ("fordringer.csv", 2, "stiftet")], "{errors:#?}");
    assert!(errors.iter().all(|e| e.reason.contains("uden for 1900–2100")), "{errors:#?}");
    assert_nothing_written(&db).await;
}
