//! A believable pool of ændringsønsker for the demo, deterministic for a seed and pure (it only
//! returns data): the ~2,700 legacy requests filed in MinSupport before 1 November 2023, most of
//! them awaiting KOMBIT's clean-up, and ~60 requests filed since then through the new process.
//! Texts are assembled from templates written the way caseworkers write (`pool/*.rs`).

mod oekonomi;
mod pipeline;
mod sagsbehandling;
#[cfg(test)]
mod tests;
mod tvaergaaende;

use crate::domain::aendring::cleanup::is_oeir_theme;
use crate::domain::aendring::{Criterion, RequestDraft, RequestType, Status};
use chrono::{Datelike, Duration, NaiveDate};
use rand::distributions::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

pub use pipeline::new_requests;

/// Kommuner that file requests in the demo (real kommunenumre).
pub const POOL_KOMMUNER: [u16; 60] = [
    101, 147, 151, 157, 159, 165, 167, 169, 173, 175, 217, 219, 230, 253, 259, 265, 306, 316, 329, 330, 370, 376, 390,
    400, 410, 420, 430, 461, 479, 510, 540, 561, 573, 580, 607, 615, 621, 630, 657, 661, 706, 707, 710, 730, 740, 746,
    751, 756, 760, 766, 779, 787, 791, 810, 813, 820, 846, 849, 851, 860,
];

/// The largest kommuner file more requests; the demo kommuner file most of the new ones so
/// their support users have something to follow.
const BIG_KOMMUNER: [u16; 4] = [101, 751, 461, 851];
const DEMO_KOMMUNER: [u16; 3] = [751, 461, 860];

pub use crate::domain::aendring::cleanup::{OEIR_THEME, new_process_start};

#[derive(Clone, Debug, PartialEq)]
pub struct DemoRequest {
    /// E.g. "AE-2019-00417"; legacy requests are numbered from 00001 per year, new ones from 05001.
    pub key: String,
    pub titel: String,
    pub udfordring: String,
    pub ydelsesarter: Vec<String>,
    pub omfang: String,
    pub workaround: String,
    pub request_type: RequestType,
    pub beskrivelse: String,
    pub minsupport_sagsid: Option<String>,
    pub kommune: u16,
    pub filed_at: NaiveDate,
    pub theme: String,
    pub oeir: bool,
    pub status: Status,
    /// When a closed request (lukket, afvist, dublet) was closed.
    pub closed_at: Option<NaiveDate>,
    /// Other kommuner that want the same (their duplicates merged into this one).
    pub extra_kommuner: Vec<u16>,
    /// Scorer-major: the k-th score given to a criterion is the k-th scorer's, so a loader can
    /// hand scorer k's scores to fagfællesskab user k.
    pub scores: Vec<(Criterion, u8)>,
    /// For a request marked as dublet: the key of the request it duplicates.
    pub duplicate_of: Option<String>,
}

impl DemoRequest {
    /// The request as it would have been typed into the template.
    pub fn draft(&self) -> RequestDraft {
        RequestDraft {
            titel: self.titel.clone(),
            udfordring: self.udfordring.clone(),
            ydelsesarter: self.ydelsesarter.join(", "),
            omfang: self.omfang.clone(),
            workaround: self.workaround.clone(),
            type_: self.request_type.key().to_string(),
            beskrivelse: self.beskrivelse.clone(),
            minsupport_sagsid: self.minsupport_sagsid.clone().unwrap_or_default(),
        }
    }
}

/// One kind of request. `{x}` is filled from `slots` (one request per slot value), `{ydelse}`
/// with the request's first ydelsesart in lowercase.
struct Template {
    theme: &'static str,
    titel: &'static str,
    slots: &'static [&'static str],
    udfordring: &'static str,
    beskrivelse: &'static str,
    workaround: &'static str,
    request_type: RequestType,
    /// The ydelsesarter it concerns; empty = any.
    ydelser: &'static [&'static str],
}

const YDELSER: [&str; 10] = [
    "Kontanthjælp",
    "Uddannelseshjælp",
    "Ledighedsydelse",
    "Ressourceforløbsydelse",
    "Sygedagpenge",
    "Enkeltydelser",
    "Boligstøtte-lån",
    "Integrationsydelse",
    "Revalidering",
    "Fleksløntilskud",
];

/// (text, lowest n, highest n).
const OMFANG: [(&str, u32, u32); 7] = [
    ("Ca. {n} sager om måneden hos os.", 5, 250),
    ("Flere gange om ugen for hver sagsbehandler i teamet. Vi er {n} sagsbehandlere.", 4, 35),
    ("Ca. {n} borgere om året.", 20, 900),
    ("Hver måned ved udbetalingskørslen, typisk {n} posteringer.", 10, 600),
    ("Sjældent, men hver gang tager det {n} timer at rette op.", 2, 12),
    ("Dagligt. Vi bruger samlet ca. {n} timer om ugen på det.", 2, 30),
    ("Det vedrører ca. {n} aktive sager.", 15, 1200),
];

const EXTRA_UDFORDRING: [&str; 5] = [
    "I KMD Aktiv kunne vi klare det direkte fra sagen.",
    "Det har været drøftet i vores superbrugernetværk, og flere kommuner oplever det samme.",
    "Vi har spurgt i supporten, og svaret var, at det kræver et ændringsønske.",
    "Det giver mange henvendelser fra borgerne.",
    "Problemet er blevet større efter idriftsættelsen, fordi alle sager nu ligger i KY.",
];

fn templates() -> impl Iterator<Item = &'static Template> {
    oekonomi::TEMPLATES.iter().chain(sagsbehandling::TEMPLATES).chain(tvaergaaende::TEMPLATES)
}

/// Every (template, slot) pair: one distinct kind of request.
fn variants() -> Vec<(&'static Template, Option<&'static str>)> {
    templates()
        .flat_map(|t| {
            let slots: Vec<Option<&'static str>> =
                if t.slots.is_empty() { vec![None] } else { t.slots.iter().map(|s| Some(*s)).collect() };
            slots.into_iter().map(move |s| (t, s))
        })
        .collect()
}

fn fill(text: &str, slot: Option<&str>, ydelse: &str) -> String {
    text.replace("{x}", slot.unwrap_or("")).replace("{ydelse}", &ydelse.to_lowercase())
}

/// The texts of one request; what differs between kommuner filing the same wish is chance.
fn compose(rng: &mut StdRng, t: &Template, slot: Option<&str>, legacy: bool) -> DemoRequest {
    let pool: &[&str] = if t.ydelser.is_empty() { &YDELSER } else { t.ydelser };
    let count = rng.gen_range(1..=pool.len().min(3));
    let mut ydelsesarter: Vec<String> = pool.choose_multiple(rng, count).map(|s| s.to_string()).collect();
    ydelsesarter.sort_by_key(|y| YDELSER.iter().position(|x| x == y));
    let ydelse = ydelsesarter[0].clone();

    let mut titel = fill(t.titel, slot, &ydelse);
    if legacy {
        match rng.gen_range(0..100) {
            0..=11 => titel = format!("Ønske: {titel}"),
            12..=17 => titel = format!("KY – {titel}"),
            18..=21 => titel.push_str(" (som i KMD Aktiv)"),
            _ => {}
        }
    }
    let mut udfordring = fill(t.udfordring, slot, &ydelse);
    if rng.gen_bool(if legacy { 0.35 } else { 0.15 }) {
        udfordring.push(' ');
        udfordring.push_str(EXTRA_UDFORDRING.choose(rng).expect("not empty"));
    }
    let (omfang, lo, hi) = OMFANG.choose(rng).expect("not empty");
    let workaround = match rng.gen_range(0..10) {
        0 => "Nej".to_string(),
        1 => "Ingen".to_string(),
        _ => t.workaround.to_string(),
    };
    let request_type =
        if rng.gen_bool(0.75) { t.request_type } else { *RequestType::ALL.choose(rng).expect("not empty") };
    let minsupport_sagsid = match (legacy, rng.gen_range(0..10)) {
        (true, 0..=6) => Some(format!("{:07}", rng.gen_range(100_000..2_000_000))),
        (false, 0..=4) => Some(format!("SAG-{}", rng.gen_range(200_000..400_000))),
        _ => None,
    };
    DemoRequest {
        key: String::new(),
        titel,
        udfordring,
        ydelsesarter,
        omfang: omfang.replace("{n}", &rng.gen_range(*lo..=*hi).to_string()),
        workaround,
        request_type,
        beskrivelse: fill(t.beskrivelse, slot, &ydelse),
        minsupport_sagsid,
        kommune: pick_kommune(rng, &BIG_KOMMUNER, 0.25),
        filed_at: new_process_start(),
        theme: t.theme.to_string(),
        oeir: is_oeir_theme(t.theme),
        status: Status::Visitering,
        closed_at: None,
        extra_kommuner: Vec::new(),
        scores: Vec::new(),
        duplicate_of: None,
    }
}

fn pick_kommune(rng: &mut StdRng, favoured: &[u16], share: f64) -> u16 {
    let from = if rng.gen_bool(share) { favoured } else { &POOL_KOMMUNER[..] };
    *from.choose(rng).expect("not empty")
}

fn other_kommuner(rng: &mut StdRng, own: u16, n: usize) -> Vec<u16> {
    let mut out: Vec<u16> = POOL_KOMMUNER
        .iter()
        .copied()
        .filter(|k| *k != own)
        .collect::<Vec<_>>()
        .choose_multiple(rng, n)
        .copied()
        .collect();
    out.sort_unstable();
    out
}

/// Numbers the requests per filing year in filing order (the slice's order is kept).
fn assign_keys(requests: &mut [DemoRequest], first: u32) {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by_key(|i| requests[*i].filed_at);
    let (mut year, mut seq) = (0, first);
    for i in order {
        let y = requests[i].filed_at.year();
        if y != year {
            (year, seq) = (y, first);
        }
        requests[i].key = format!("AE-{y}-{seq:05}");
        seq += 1;
    }
}

/// The legacy pool: filed between 1 March 2019 and 31 October 2023, weighted towards the first
/// years after go-live. Many are near-duplicates from different kommuner, as in the real pool.
pub fn legacy_pool(seed: u64, n: usize) -> Vec<DemoRequest> {
    let mut rng = StdRng::seed_from_u64(seed);
    let variants = variants();
    // Each kind of request is equally likely whatever its number of slots, except ØIR
    // requests, which are a few percent of the real pool.
    let weights: Vec<u32> = variants
        .iter()
        .map(|(t, _)| (if t.theme == OEIR_THEME { 12 } else { 24 }) / t.slots.len().max(1) as u32)
        .collect();
    let pick = WeightedIndex::new(&weights).expect("positive weights");
    let start = NaiveDate::from_ymd_opt(2019, 3, 1).expect("valid date");
    let days = (new_process_start() - start).num_days() - 1;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let (t, slot) = variants[rng.sample(&pick)];
        let mut r = compose(&mut rng, t, slot, true);
        let skew: f64 = rng.gen_range(0.0f64..1.0).powf(1.6);
        r.filed_at = start + Duration::days((skew * days as f64) as i64);
        r.status = match rng.gen_range(0..100) {
            0..=5 => Status::Lukket,
            6..=11 => Status::Afvist,
            12..=13 => Status::Dublet,
            _ => Status::Visitering,
        };
        if r.status.is_closed() {
            let closed = r.filed_at + Duration::days(rng.gen_range(20..500));
            r.closed_at = Some(closed.min(new_process_start() - Duration::days(1)));
        }
        if rng.gen_bool(0.04) {
            let k = rng.gen_range(1..=3);
            r.extra_kommuner = other_kommuner(&mut rng, r.kommune, k);
        }
        out.push(r);
    }
    assign_keys(&mut out, 1);
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}
