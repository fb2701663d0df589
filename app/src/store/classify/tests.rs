//! The SQL classification equals `domain::defects` for every combination: each new fordring's
//! task (opgavepakke and defect bits) is what `defects_of(..).classify()` says with the person's
//! other fordringer (known and new) as siblings, its dækninger wait in 09 exactly when it needs
//! a task and are booked otherwise, and known fordringer are left alone.

use super::*;
use crate::domain::Kommunenr;
use crate::domain::defects::{FordringFacts, Sibling, defects_of};
use crate::store::extract::{DaekningRow, PersonRow, insert_rows};
use crate::store::{MIGRATOR, kommune};
use proptest::prelude::*;
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;

const STAMP: &str = "2026-11-30T12:00:00Z";
const EARLIER: &str = "2026-01-01T12:00:00Z";

/// One fordring of a generated kommune, with the cells that decide its defects.
#[derive(Clone, Debug)]
struct Fordring {
    person: usize,
    /// In the database before the import (not staged, never classified).
    known: bool,
    kravtype_bekraeftet: bool,
    bevilling: Option<&'static str>,
    reference: Option<&'static str>,
    kravtype: Option<&'static str>,
    udbetalingsparagraf: Option<&'static str>,
    tilbagebetalingsparagraf: Option<&'static str>,
    daekninger: usize,
}

/// (kind, fordring, dækning, opgavepakke, defect bits)
type TaskRow = (String, String, Option<String>, u8, u8);

#[derive(Debug, PartialEq)]
struct Outcome {
    tasks: Vec<TaskRow>,
    /// (dækning, behandlet)
    daekninger: Vec<(String, Option<String>)>,
    created: Created,
}

fn cpr(person: usize) -> String {
    format!("{:010}", 6_101_900_000u64 + person as u64)
}

/// What the domain rules say.
fn expected(world: &[Fordring]) -> Outcome {
    let mut tasks = Vec::new();
    let mut daekninger = Vec::new();
    let mut created = [0; 18];
    for (i, f) in world.iter().enumerate() {
        let id = format!("F{i}");
        let ids = (0..f.daekninger).map(|n| format!("D{i}-{n}"));
        if f.known {
            daekninger.extend(ids.map(|d| (d, Some(EARLIER.to_string()))));
            continue;
        }
        let facts = FordringFacts {
            bevilling_id: f.bevilling,
            ydelsesreference: f.reference,
            kravtype: f.kravtype,
            kravtype_bekraeftet: f.kravtype_bekraeftet,
            udbetalingsparagraf: f.udbetalingsparagraf,
            tilbagebetalingsparagraf: f.tilbagebetalingsparagraf,
            har_daekninger: f.daekninger > 0,
        };
        let siblings = world
            .iter()
            .enumerate()
            .filter(|(j, s)| *j != i && s.person == f.person)
            .map(|(_, s)| Sibling { kravtype: s.kravtype, bevilling_id: s.bevilling });
        let defects = defects_of(&facts, siblings);
        match defects.classify() {
            Some(opgavepakke) => {
                tasks.push(("opret".into(), id.clone(), None, opgavepakke.nr(), defects.bits()));
                created[usize::from(opgavepakke.nr())] += 1;
                for d in ids {
                    tasks.push(("daekning".into(), id.clone(), Some(d.clone()), Opgavepakke::VENTETRIN.nr(), 0));
                    created[usize::from(Opgavepakke::VENTETRIN.nr())] += 1;
                    daekninger.push((d, None));
                }
                assert!(defects.needs_task());
            }
            None => daekninger.extend(ids.map(|d| (d, Some(STAMP.to_string())))),
        }
    }
    tasks.sort();
    daekninger.sort();
    Outcome { tasks, daekninger, created }
}

/// What the import's SQL does with the same rows.
async fn classified(world: &[Fordring]) -> Outcome {
    let k = Kommunenr::parse("751").unwrap();
    let mut conn =
        SqliteConnectOptions::from_str("sqlite::memory:").unwrap().foreign_keys(true).connect().await.unwrap();
    MIGRATOR.run(&mut conn).await.unwrap();
    kommune::ensure(&mut conn, k).await.unwrap();
    let persons = world.iter().map(|f| f.person).max().map_or(0, |p| p + 1);
    let rows = (0..persons).map(|p| PersonRow { cpr: cpr(p), navn: format!("Person {p}") }).collect();
    insert_rows(&mut conn, k.get(), rows).await.unwrap();
    begin(&mut conn).await.unwrap();
    for (i, f) in world.iter().enumerate() {
        let row = NewFordringRow {
            fordring_id: format!("F{i}"),
            cpr: cpr(f.person),
            bevilling_id: f.bevilling.map(str::to_string),
            ydelsesreference: f.reference.map(str::to_string),
            kravtype: f.kravtype.map(str::to_string),
            udbetalingsparagraf: f.udbetalingsparagraf.map(str::to_string),
            tilbagebetalingsparagraf: f.tilbagebetalingsparagraf.map(str::to_string),
            hovedstol: 100,
            stiftet: "2020-01-01".into(),
            tilbagefoersel: false,
            sagsbehandler: None,
        };
        if f.known {
            // known: in `fordring` only, as an earlier import left it
            insert_new_fordringer(&mut conn, k.get(), vec![row]).await.unwrap();
            sqlx::query("UPDATE fordring SET kravtype_bekraeftet = ? WHERE fordring_id = ?")
                .bind(f.kravtype_bekraeftet)
                .bind(format!("F{i}"))
                .execute(&mut conn)
                .await
                .unwrap();
            sqlx::query("DELETE FROM temp.import_fordring WHERE fordring_id = ?")
                .bind(format!("F{i}"))
                .execute(&mut conn)
                .await
                .unwrap();
        } else {
            insert_new_fordringer(&mut conn, k.get(), vec![row]).await.unwrap();
            sqlx::query("UPDATE temp.import_fordring SET kravtype_bekraeftet = ? WHERE fordring_id = ?")
                .bind(f.kravtype_bekraeftet)
                .bind(format!("F{i}"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        let daekninger = (0..f.daekninger)
            .map(|n| DaekningRow {
                daekning_id: format!("D{i}-{n}"),
                fordring_id: format!("F{i}"),
                art: "daekning".into(),
                beloeb: 10,
                dato: "2021-01-01".into(),
                modtaget: STAMP.into(),
                kilde: "udtraek".into(),
                behandlet: f.known.then(|| EARLIER.to_string()),
                opgavepakke_foer: None,
                opgavepakke_efter: None,
            })
            .collect();
        insert_rows(&mut conn, k.get(), daekninger).await.unwrap();
    }
    let created = create_tasks(&mut conn, k.get(), STAMP).await.unwrap();
    let mut tasks: Vec<TaskRow> =
        sqlx::query_as("SELECT kind, fordring_id, daekning_id, opgavepakke, defects FROM task")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    tasks.sort();
    let mut daekninger: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT daekning_id, behandlet FROM daekning").fetch_all(&mut conn).await.unwrap();
    daekninger.sort();
    Outcome { tasks, daekninger, created }
}

fn check(world: &[Fordring]) -> (Outcome, Outcome) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    (rt.block_on(classified(world)), expected(world))
}

const BEVILLING: &[Option<&str>] = &[None, Some(""), Some(" "), Some("B1"), Some("B2"), Some("B1 ")];
const TEXT: &[Option<&str>] = &[None, Some(""), Some(" \t"), Some("\u{a0}"), Some("§ 1")];
const KRAVTYPE: &[Option<&str>] =
    &[None, Some(""), Some("\u{3000}"), Some("KT"), Some(" KT"), Some("KT\u{2003}"), Some("KT2"), Some("kt")];

fn fordring(persons: usize) -> impl Strategy<Value = Fordring> {
    let pick = |values: &'static [Option<&'static str>]| proptest::sample::select(values);
    (
        (0..persons, any::<bool>(), any::<bool>()),
        (pick(BEVILLING), pick(TEXT), pick(KRAVTYPE), pick(TEXT), pick(TEXT)),
        0..3usize,
    )
        .prop_map(
            |((person, known, kravtype_bekraeftet), (bevilling, reference, kravtype, udb, tilb), daekninger)| {
                Fordring {
                    person,
                    known,
                    kravtype_bekraeftet,
                    bevilling,
                    reference,
                    kravtype,
                    udbetalingsparagraf: udb,
                    tilbagebetalingsparagraf: tilb,
                    daekninger,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random kommuner of up to three persons with up to eight fordringer between them.
    #[test]
    fn the_sql_classification_equals_the_domain_rules(world in (1..4usize).prop_flat_map(|p| proptest::collection::vec(fordring(p), 1..9))) {
        let (got, want) = check(&world);
        prop_assert_eq!(got, want);
    }
}

/// Every combination of a fordring's own cells (missing or not, with and without dækninger),
/// each alone and beside a sibling in every K situation: same kravtype on the same, another or
/// no bevilling, another kravtype, no kravtype; sibling known or new; confirmed or not.
#[test]
fn every_combination_of_defects_and_siblings_is_classified_as_the_domain_says() {
    let mut world = Vec::new();
    let mut person = 0;
    let siblings: [Option<(Option<&'static str>, Option<&'static str>)>; 6] = [
        None,
        Some((Some("KT"), Some("B1"))),
        Some((Some("KT"), Some("B2"))),
        Some((Some("KT"), None)),
        Some((Some("KT2"), Some("B2"))),
        Some((None, Some("B2"))),
    ];
    for bits in 0..64u8 {
        let on = |bit: u8| bits & (1 << bit) != 0;
        for sibling in siblings {
            for (sibling_known, confirmed) in [(false, false), (true, false), (false, true)] {
                world.push(Fordring {
                    person,
                    known: false,
                    kravtype_bekraeftet: confirmed,
                    bevilling: (!on(0)).then_some("B1"),
                    reference: (!on(1)).then_some("Y1"),
                    kravtype: (!on(2)).then_some("KT"),
                    udbetalingsparagraf: (!on(3)).then_some("§ 1"),
                    tilbagebetalingsparagraf: (!on(4)).then_some("§ 2"),
                    daekninger: usize::from(on(5)),
                });
                if let Some((kravtype, bevilling)) = sibling {
                    world.push(Fordring {
                        person,
                        known: sibling_known,
                        kravtype_bekraeftet: false,
                        bevilling,
                        reference: Some("Y2"),
                        kravtype,
                        udbetalingsparagraf: Some("§ 1"),
                        tilbagebetalingsparagraf: Some("§ 2"),
                        daekninger: 1,
                    });
                }
                person += 1;
            }
        }
    }
    let (got, want) = check(&world);
    assert_eq!(got, want);
    // every opgavepakke of the table is reached, 09 included
    assert!(got.created[1..].iter().all(|n| *n > 0), "{:?}", got.created);
}
