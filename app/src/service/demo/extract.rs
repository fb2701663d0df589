//! `arbejdsbord demo-data`: a synthetic KMD Aktiv extract in the import format, deterministic
//! for a seed. CPR numbers are synthetic only (day + 60, modulus 11). The mix of defects fills
//! all 17 opgavepakker; about two dækninger per fordring on average.

use crate::domain::resolve::KRAVTYPER;
use crate::domain::{Beloeb, Cpr, Kommunenr};
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::io::BufWriter;
use std::path::Path;

const FORNAVNE: [&str; 40] = [
    "Mette", "Lars", "Anne", "Jens", "Kirsten", "Peter", "Hanne", "Michael", "Susanne", "Søren", "Lone", "Henrik",
    "Camilla", "Thomas", "Maria", "Jesper", "Louise", "Martin", "Fatima", "Ahmed", "Sofie", "Mads", "Ida", "Frederik",
    "Emma", "Rasmus", "Julie", "Mikkel", "Anja", "Kasper", "Birgitte", "Niels", "Dorthe", "Ole", "Pia", "Jonas",
    "Zainab", "Ali", "Signe", "Bo",
];
const EFTERNAVNE: [&str; 30] = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Mikkelsen",
    "Lund",
    "Holm",
    "Yilmaz",
    "Hussein",
    "Kaya",
    "Berg",
    "Dahl",
];
/// KMD Aktiv bevillingstyper (standard and kommune-made) with their ydelsesart.
const BEVILLINGSTYPER: [(&str, &str); 9] = [
    ("KTH", "Kontanthjælp"),
    ("UDH", "Uddannelseshjælp"),
    ("LED", "Ledighedsydelse"),
    ("RFY", "Ressourceforløbsydelse"),
    ("SDP", "Sygedagpenge"),
    ("ENK", "Enkeltydelse"),
    ("REV", "Revalideringsydelse"),
    ("NUL", "Enkeltydelse (kommunal)"),
    ("NL1", "Lån til indskud"),
];
const PARAGRAFFER: [(&str, &str); 5] = [
    ("LAS § 25", "LAS § 91, stk. 1"),
    ("LAS § 81", "LAS § 92"),
    ("LAB § 73", "LAB § 74"),
    ("SDL § 7", "SDL § 71"),
    ("LAS § 23", "LAS § 91, stk. 2"),
];

/// The demo caseworkers of a kommune (usernames `aarhus.mette` ...), used as `sagsbehandler`.
pub fn caseworkers(k: Kommunenr) -> Vec<(String, String)> {
    let slug = slug(k);
    [("mette", "Mette Kjær"), ("jonas", "Jonas Vestergaard"), ("fatima", "Fatima Ali"), ("lars", "Lars Bech")]
        .iter()
        .map(|(u, name)| (format!("{slug}.{u}"), name.to_string()))
        .collect()
}

/// `aarhus`, `odense`, `hjoerring`: ASCII usernames from the kommune's name.
pub fn slug(k: Kommunenr) -> String {
    k.navn()
        .to_lowercase()
        .replace('æ', "ae")
        .replace('ø', "oe")
        .replace('å', "aa")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// A synthetic CPR number (day + 60, modulus 11) not used before in this extract.
fn unique_cpr(rng: &mut StdRng, used: &mut HashSet<Cpr>) -> std::io::Result<String> {
    for _ in 0..1_000 {
        let cpr = Cpr::synthetic(
            rng.gen_range(1..=28),
            rng.gen_range(1..=12),
            rng.gen_range(40..=99),
            rng.gen_range(0..10_000),
        )
        .ok_or_else(|| std::io::Error::other("no synthetic CPR for that date"))?;
        if used.insert(cpr) {
            return Ok(cpr.digits());
        }
    }
    Err(std::io::Error::other("ran out of synthetic CPR numbers"))
}

#[derive(Clone, Debug)]
pub struct DemoExtractOptions {
    pub kommune: Kommunenr,
    pub seed: u64,
    pub fordringer: usize,
}

/// Counts of what was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoExtractStats {
    pub personer: usize,
    pub bevillinger: usize,
    pub fordringer: usize,
    pub daekninger: usize,
}

struct Files {
    personer: csv::Writer<BufWriter<std::fs::File>>,
    sagsmapper: csv::Writer<BufWriter<std::fs::File>>,
    bevillinger: csv::Writer<BufWriter<std::fs::File>>,
    ydelser: csv::Writer<BufWriter<std::fs::File>>,
    udbetalinger: csv::Writer<BufWriter<std::fs::File>>,
    fordringer: csv::Writer<BufWriter<std::fs::File>>,
    daekninger: csv::Writer<BufWriter<std::fs::File>>,
}

/// The extract is KMD Aktiv's import format, read back by our importer, so cells are written as
/// they are (not through `domain::csv_cell`, whose `'` prefix would become part of the data); they
/// are synthetic: digits, dates, amounts and names from fixed lists.
fn writer(dir: &Path, name: &str, header: &[&str]) -> std::io::Result<csv::Writer<BufWriter<std::fs::File>>> {
    let file = BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join(name))?);
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(file);
    w.write_record(header)?;
    Ok(w)
}

pub fn write_demo_extract(dir: &Path, opts: &DemoExtractOptions) -> std::io::Result<DemoExtractStats> {
    std::fs::create_dir_all(dir)?;
    let mut f = Files {
        personer: writer(dir, "personer.csv", &["cpr", "navn"])?,
        sagsmapper: writer(dir, "sagsmapper.csv", &["sagsmappe_id", "cpr", "sagsbehandler"])?,
        bevillinger: writer(
            dir,
            "bevillinger.csv",
            &["bevilling_id", "sagsmappe_id", "bevillingstype", "status", "fra", "til"],
        )?,
        ydelser: writer(dir, "ydelser.csv", &["ydelse_id", "bevilling_id", "ydelsesart", "sats"])?,
        udbetalinger: writer(dir, "udbetalinger.csv", &["udbetaling_id", "ydelse_id", "dato", "beloeb"])?,
        fordringer: writer(
            dir,
            "fordringer.csv",
            &[
                "fordring_id",
                "cpr",
                "bevilling_id",
                "ydelsesreference",
                "kravtype",
                "udbetalingsparagraf",
                "tilbagebetalingsparagraf",
                "hovedstol",
                "stiftet",
            ],
        )?,
        daekninger: writer(dir, "daekninger.csv", &["daekning_id", "fordring_id", "art", "beloeb", "dato"])?,
    };
    let mut rng = StdRng::seed_from_u64(opts.seed ^ u64::from(opts.kommune.get()) << 32);
    let caseworkers = caseworkers(opts.kommune);
    let mut stats = DemoExtractStats::default();
    let base = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    let mut person_no = 0usize;
    let mut used_cprs = HashSet::new();
    let k = opts.kommune.get();
    while stats.fordringer < opts.fordringer {
        person_no += 1;
        let cpr = unique_cpr(&mut rng, &mut used_cprs)?;
        let navn = format!(
            "{} {}",
            FORNAVNE.choose(&mut rng).unwrap_or(&"Anne"),
            EFTERNAVNE.choose(&mut rng).unwrap_or(&"Hansen")
        );
        // Persons are unique by CPR; the serial walks with the person number so CPRs rarely repeat.
        f.personer.write_record([&cpr, &navn])?;
        stats.personer += 1;
        let sagsmappe = format!("S{k}-{person_no:07}");
        let caseworker = &caseworkers[rng.gen_range(0..caseworkers.len())].0;
        f.sagsmapper.write_record([sagsmappe.as_str(), &cpr, caseworker])?;

        let mut bevillinger = Vec::new();
        for b in 0..rng.gen_range(1..=3) {
            let id = format!("B{k}-{person_no:07}-{b}");
            let (typ, art) = BEVILLINGSTYPER[rng.gen_range(0..BEVILLINGSTYPER.len())];
            let fra = base + Duration::days(rng.gen_range(0..2_500));
            let closed = rng.gen_bool(0.25);
            let til = if closed { (fra + Duration::days(rng.gen_range(30..700))).to_string() } else { String::new() };
            let status = if closed { "afsluttet" } else { "aktiv" };
            f.bevillinger.write_record([id.as_str(), &sagsmappe, typ, status, &fra.to_string(), &til])?;
            let ydelse = format!("Y{k}-{person_no:07}-{b}");
            let sats = Beloeb(rng.gen_range(50_000..1_500_000));
            f.ydelser.write_record([ydelse.as_str(), &id, art, &sats.plain()])?;
            for u in 0..rng.gen_range(0..=2) {
                let dato = fra + Duration::days(30 * i64::from(u) + 1);
                f.udbetalinger.write_record([
                    format!("U{k}-{person_no:07}-{b}-{u}").as_str(),
                    &ydelse,
                    &dato.to_string(),
                    &sats.plain(),
                ])?;
            }
            bevillinger.push((id, fra));
            stats.bevillinger += 1;
        }

        let n_fordringer = rng.gen_range(1..=4).min(opts.fordringer - stats.fordringer);
        // A shared kravtype across bevillinger now and then, so "samme kravtype" occurs.
        let shared_kravtype = KRAVTYPER[rng.gen_range(0..KRAVTYPER.len())];
        for _ in 0..n_fordringer {
            stats.fordringer += 1;
            let id = format!("F{k}-{:08}", stats.fordringer);
            let (bevilling, fra) = &bevillinger[rng.gen_range(0..bevillinger.len())];
            let b_missing = rng.gen_bool(0.12);
            let r_missing = rng.gen_bool(0.45);
            let p_missing = rng.gen_bool(0.35);
            let kravtype = if rng.gen_bool(0.12) {
                ""
            } else if rng.gen_bool(0.3) {
                shared_kravtype
            } else {
                KRAVTYPER[rng.gen_range(0..KRAVTYPER.len())]
            };
            let (udb, tilb) = PARAGRAFFER[rng.gen_range(0..PARAGRAFFER.len())];
            let (udb, tilb) =
                if p_missing { if rng.gen_bool(0.5) { ("", tilb) } else { ("", "") } } else { (udb, tilb) };
            let reference =
                if r_missing { String::new() } else { format!("YR-{}-{:06}", fra.format("%Y"), stats.fordringer) };
            let hovedstol = Beloeb(rng.gen_range(20_000..6_000_000));
            let stiftet = *fra + Duration::days(rng.gen_range(20..900));
            f.fordringer.write_record([
                id.as_str(),
                &cpr,
                if b_missing { "" } else { bevilling.as_str() },
                &reference,
                kravtype,
                udb,
                tilb,
                &hovedstol.plain(),
                &stiftet.to_string(),
            ])?;
            let n_daekninger = if rng.gen_bool(0.4) { 0 } else { rng.gen_range(1..=6) };
            for d in 0..n_daekninger {
                stats.daekninger += 1;
                let art = if rng.gen_bool(0.85) { "daekning" } else { "afskrivning" };
                let beloeb = Beloeb(rng.gen_range(5_000..(hovedstol.oere() / 4).max(10_000)));
                let dato = stiftet + Duration::days(30 * (d + 1));
                f.daekninger.write_record([
                    format!("D{k}-{:09}", stats.daekninger).as_str(),
                    &id,
                    art,
                    &beloeb.plain(),
                    &dato.to_string(),
                ])?;
            }
        }
    }
    for w in [
        &mut f.personer,
        &mut f.sagsmapper,
        &mut f.bevillinger,
        &mut f.ydelser,
        &mut f.udbetalinger,
        &mut f.fordringer,
        &mut f.daekninger,
    ] {
        w.flush()?;
    }
    Ok(stats)
}
