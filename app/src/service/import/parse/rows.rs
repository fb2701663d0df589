//! One handler per file: validates a row's cells against the rows before it and what the
//! database knows, and returns the new row, a known one, or why it was refused.

use super::{Cell, Parser, Refused, Row};
use crate::domain::daekning::{self, DaekningInput, parse_date, validate_id};
use crate::domain::{Beloeb, Cpr};
use crate::service::import::columns::{
    BEVILLINGER, Columns, DAEKNINGER, FILES, FORDRINGER, PERSONER, SAGSMAPPER, SINGULAR, UDBETALINGER, YDELSER,
};
use crate::store::classify::NewFordringRow;
use crate::store::extract::{BevillingRow, DaekningRow, PersonRow, SagsmappeRow, UdbetalingRow, YdelseRow};
use csv::StringRecord;

impl Parser {
    /// A row of file `from` points at `key` in file `to`, which is not there: a follow-on of
    /// the error that kept that row from being read, or else an error of this row.
    fn missing(&mut self, from: usize, to: usize, key: &str, column: &'static str) -> Refused {
        if self.follow_ons.follows(from, to, key) {
            return Refused::FollowOn;
        }
        Refused::Cells(vec![(column, format!("{} {key} findes ikke i {}", SINGULAR[to], FILES[to].0))])
    }

    /// The key of a refused row as rows elsewhere write it, when it can be read.
    pub(super) fn key_of(file: usize, c: &Columns, r: &StringRecord) -> Option<String> {
        let raw = c.key(r)?;
        if file == PERSONER { Cpr::parse(raw).ok().map(|c| c.digits()) } else { validate_id(raw).ok() }
    }

    pub(super) fn person(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<PersonRow>, Refused> {
        let mut bad = Vec::new();
        let cpr = cpr_cell(c, r, &mut bad);
        let navn = required(c, r, "navn", &mut bad);
        let (Some(cpr), Some(navn)) = (cpr, navn) else { return Err(bad.into()) };
        if self.known.persons.contains(&cpr) {
            return Ok(Row::Known);
        }
        if self.persons.insert(cpr.clone(), None).is_some() {
            return Err(vec![("cpr", format!("personen {cpr} står to gange i filen"))].into());
        }
        Ok(Row::New(PersonRow { cpr, navn }))
    }

    pub(super) fn sagsmappe(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<SagsmappeRow>, Refused> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "sagsmappe_id", &mut bad);
        let cpr = cpr_cell(c, r, &mut bad);
        let sagsbehandler = c.get(r, "sagsbehandler").map(str::to_string);
        let (Some(id), Some(cpr)) = (id, cpr) else { return Err(bad.into()) };
        let Some(first_caseworker) = self.persons.get_mut(&cpr) else {
            return Err(self.missing(SAGSMAPPER, PERSONER, &cpr, "cpr"));
        };
        if first_caseworker.is_none() {
            first_caseworker.clone_from(&sagsbehandler);
        }
        if self.known.sagsmapper.contains_key(&id) {
            return Ok(Row::Known);
        }
        if self.sagsmapper.insert(id.clone(), (cpr.clone(), sagsbehandler.clone())).is_some() {
            return Err(vec![("sagsmappe_id", format!("sagsmappen {id} står to gange i filen"))].into());
        }
        Ok(Row::New(SagsmappeRow { sagsmappe_id: id, cpr, sagsbehandler }))
    }

    pub(super) fn bevilling(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<BevillingRow>, Refused> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "bevilling_id", &mut bad);
        let sagsmappe = id_cell(c, r, "sagsmappe_id", &mut bad);
        let bevillingstype = required(c, r, "bevillingstype", &mut bad);
        let status = match c.get(r, "status") {
            Some(s @ ("aktiv" | "afsluttet")) => Some(s.to_string()),
            other => {
                bad.push((
                    "status",
                    format!("skal være \"aktiv\" eller \"afsluttet\", ikke {:?}", other.unwrap_or("")),
                ));
                None
            }
        };
        let fra = date_cell(c, r, "fra", &mut bad);
        let til = c.get(r, "til").and_then(|t| match parse_date(t) {
            Ok(d) => Some(d),
            Err(m) => {
                bad.push(("til", m));
                None
            }
        });
        if let (Some(f), Some(t)) = (fra, til)
            && t < f
        {
            bad.push(("til", format!("slutdatoen {t} ligger før startdatoen {f}")));
        }
        let (Some(id), Some(sagsmappe), Some(bevillingstype), Some(status), Some(fra)) =
            (id, sagsmappe, bevillingstype, status, fra)
        else {
            return Err(bad.into());
        };
        if !bad.is_empty() {
            return Err(bad.into());
        }
        let Some((cpr, caseworker)) = self.sagsmapper.get(&sagsmappe).cloned() else {
            return Err(self.missing(BEVILLINGER, SAGSMAPPER, &sagsmappe, "sagsmappe_id"));
        };
        if self.known.bevillinger.contains_key(&id) {
            return Ok(Row::Known);
        }
        if self.bevillinger.insert(id.clone(), (cpr, caseworker)).is_some() {
            return Err(vec![("bevilling_id", format!("bevillingen {id} står to gange i filen"))].into());
        }
        Ok(Row::New(BevillingRow {
            bevilling_id: id,
            sagsmappe_id: sagsmappe,
            bevillingstype,
            status,
            fra: fra.to_string(),
            til: til.map(|t| t.to_string()),
        }))
    }

    pub(super) fn ydelse(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<YdelseRow>, Refused> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "ydelse_id", &mut bad);
        let bevilling = id_cell(c, r, "bevilling_id", &mut bad);
        let art = required(c, r, "ydelsesart", &mut bad);
        let sats = amount_cell(c, r, "sats", &mut bad);
        let (Some(id), Some(bevilling), Some(art), Some(sats)) = (id, bevilling, art, sats) else {
            return Err(bad.into());
        };
        if !self.bevillinger.contains_key(&bevilling) {
            return Err(self.missing(YDELSER, BEVILLINGER, &bevilling, "bevilling_id"));
        }
        if self.known.ydelser.contains(&id) {
            return Ok(Row::Known);
        }
        if !self.ydelser.insert(id.clone()) {
            return Err(vec![("ydelse_id", format!("ydelsen {id} står to gange i filen"))].into());
        }
        Ok(Row::New(YdelseRow { ydelse_id: id, bevilling_id: bevilling, ydelsesart: art, sats: sats.oere() }))
    }

    pub(super) fn udbetaling(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<UdbetalingRow>, Refused> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "udbetaling_id", &mut bad);
        let ydelse = id_cell(c, r, "ydelse_id", &mut bad);
        let dato = date_cell(c, r, "dato", &mut bad);
        let beloeb = amount_cell(c, r, "beloeb", &mut bad);
        let (Some(id), Some(ydelse), Some(dato), Some(beloeb)) = (id, ydelse, dato, beloeb) else {
            return Err(bad.into());
        };
        if !self.ydelser.contains(&ydelse) {
            return Err(self.missing(UDBETALINGER, YDELSER, &ydelse, "ydelse_id"));
        }
        if self.known.udbetalinger.contains(&id) {
            return Ok(Row::Known);
        }
        if !self.known.udbetalinger.insert(id.clone()) {
            return Err(vec![("udbetaling_id", format!("udbetalingen {id} står to gange i filen"))].into());
        }
        Ok(Row::New(UdbetalingRow {
            udbetaling_id: id,
            ydelse_id: ydelse,
            dato: dato.to_string(),
            beloeb: beloeb.oere(),
        }))
    }

    pub(super) fn fordring(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<NewFordringRow>, Refused> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "fordring_id", &mut bad);
        let cpr = cpr_cell(c, r, &mut bad);
        let hovedstol = amount_cell(c, r, "hovedstol", &mut bad);
        let stiftet = date_cell(c, r, "stiftet", &mut bad);
        let (Some(id), Some(cpr), Some(hovedstol), Some(stiftet)) = (id, cpr, hovedstol, stiftet) else {
            return Err(bad.into());
        };
        let Some(person_caseworker) = self.persons.get(&cpr).cloned() else {
            return Err(self.missing(FORDRINGER, PERSONER, &cpr, "cpr"));
        };
        let bevilling_id = c.get(r, "bevilling_id").map(str::to_string);
        let mut caseworker = person_caseworker;
        if let Some(b) = &bevilling_id {
            match self.bevillinger.get(b) {
                None => return Err(self.missing(FORDRINGER, BEVILLINGER, b, "bevilling_id")),
                Some((owner, _)) if *owner != cpr => {
                    return Err(vec![(
                        "bevilling_id",
                        format!("bevillingen {b} hører til en anden persons sagsmappe"),
                    )]
                    .into());
                }
                Some((_, cw)) => caseworker = cw.clone().or(caseworker),
            }
        }
        let tilbagefoersel = match c.get(r, "tilbagefoersel").map(str::to_lowercase).as_deref() {
            None | Some("nej") => false,
            Some("ja") => true,
            Some(other) => {
                return Err(vec![(
                    "tilbagefoersel",
                    format!("\"{other}\" kan ikke læses: skriv ja eller nej, eller lad feltet stå tomt"),
                )]
                .into());
            }
        };
        let text = |name| c.get(r, name).map(str::to_string);
        match self.fordringer.add(&id, &cpr) {
            Ok(true) => {}
            Ok(false) => return Ok(Row::Known),
            Err(reason) => return Err(vec![("fordring_id", reason)].into()),
        }
        Ok(Row::New(NewFordringRow {
            fordring_id: id,
            cpr,
            bevilling_id,
            ydelsesreference: text("ydelsesreference"),
            kravtype: text("kravtype"),
            udbetalingsparagraf: text("udbetalingsparagraf"),
            tilbagebetalingsparagraf: text("tilbagebetalingsparagraf"),
            hovedstol: hovedstol.oere(),
            stiftet: stiftet.to_string(),
            tilbagefoersel,
            sagsbehandler: caseworker,
        }))
    }

    pub(super) fn daekning(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<DaekningRow>, Refused> {
        let input = DaekningInput {
            daekning_id: c.text(r, "daekning_id").into(),
            fordring_id: c.text(r, "fordring_id").into(),
            art: c.text(r, "art").into(),
            beloeb: c.text(r, "beloeb").into(),
            dato: c.text(r, "dato").into(),
        };
        let d = daekning::validate(&input).map_err(|errs| {
            Refused::Cells(
                errs.into_iter()
                    .map(|e| (FIELD_NAMES.iter().find(|n| **n == e.field).copied().unwrap_or("-"), e.message))
                    .collect(),
            )
        })?;
        if self.known.daekninger.contains(&d.daekning_id) {
            return Ok(Row::Known);
        }
        if !self.known.daekninger.insert(d.daekning_id.clone()) {
            return Err(vec![("daekning_id", format!("dækningen {} står to gange i filen", d.daekning_id))].into());
        }
        let fordring = d.fordring_id.clone();
        match self.fordringer.add_daekning(d, &self.stamp) {
            // the only refusal: the fordring is not there
            Err(_) => Err(self.missing(DAEKNINGER, FORDRINGER, &fordring, "fordring_id")),
            // On a known fordring: applied after the bulk insert, like an API dækning.
            Ok(None) => Ok(Row::Known),
            Ok(Some(row)) => Ok(Row::New(row)),
        }
    }
}

const FIELD_NAMES: [&str; 5] = ["daekning_id", "fordring_id", "art", "beloeb", "dato"];

fn required(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<String> {
    let v = c.get(r, name).map(str::to_string);
    if v.is_none() {
        bad.push((name, "mangler".into()));
    }
    v
}

fn id_cell(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<String> {
    validate_id(c.text(r, name)).map_err(|m| bad.push((name, m))).ok()
}

fn cpr_cell(c: &Columns, r: &StringRecord, bad: &mut Vec<Cell>) -> Option<String> {
    let raw = c.text(r, "cpr");
    Cpr::parse(raw).map(|c| c.digits()).map_err(|e| bad.push(("cpr", format!("{raw:?}: {e}")))).ok()
}

fn date_cell(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<chrono::NaiveDate> {
    parse_date(c.text(r, name)).map_err(|m| bad.push((name, m))).ok()
}

fn amount_cell(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<Beloeb> {
    let raw = c.text(r, name);
    Beloeb::parse(raw).map_err(|e| bad.push((name, format!("{raw:?}: {e}")))).ok()
}
