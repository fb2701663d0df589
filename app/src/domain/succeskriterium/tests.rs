use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn pct(s: Sammenligning, v: f64) -> Maal {
    Maal { sammenligning: s, vaerdi: v, enhed: "pct.".into() }
}

#[test]
fn a_target_is_met_at_or_beyond_its_threshold() {
    let at_least = pct(Sammenligning::Mindst, 95.0);
    let at_most = pct(Sammenligning::Hoejst, 4.5);
    for (maal, value, expected) in [
        (&at_least, None, Opfyldelse::IkkeMaalt),
        (&at_least, Some(95.0), Opfyldelse::Opfyldt),
        (&at_least, Some(96.2), Opfyldelse::Opfyldt),
        (&at_least, Some(94.9), Opfyldelse::IkkeOpfyldt),
        (&at_most, Some(4.5), Opfyldelse::Opfyldt),
        (&at_most, Some(3.0), Opfyldelse::Opfyldt),
        (&at_most, Some(4.6), Opfyldelse::IkkeOpfyldt),
        (&at_most, None, Opfyldelse::IkkeMaalt),
    ] {
        assert_eq!(Opfyldelse::of(maal, value), expected, "{} against {value:?}", maal.text());
    }
    assert_eq!(at_least.text(), "≥ 95 pct.");
    assert_eq!(at_most.text(), "≤ 4,5 pct.");
}

#[test]
fn numbers_are_read_and_written_with_a_decimal_comma() {
    assert_eq!(parse_tal("83,3"), Some(83.3));
    assert_eq!(parse_tal(" 83.3 "), Some(83.3));
    assert_eq!(parse_tal("95"), Some(95.0));
    assert_eq!(parse_tal("−2"), Some(-2.0));
    for bad in ["", "abc", "1.250,5", "8,3,3", "NaN", "inf"] {
        assert_eq!(parse_tal(bad), None, "{bad}");
    }
    assert_eq!(format_tal(83.25), "83,3");
    assert_eq!(format_tal(95.0), "95");
    assert_eq!(format_tal(4.5), "4,5");
}

fn form(vaerdi: &str, stikproeve: &str, maalt: &str) -> MaalingForm {
    MaalingForm {
        kriterium_id: "7".into(),
        maalepunkt: "4".into(),
        vaerdi: vaerdi.into(),
        stikproeve: stikproeve.into(),
        maalt: maalt.into(),
        kilde: "Spørgeskema til sagsbehandlere".into(),
    }
}

fn fields(r: Result<NyMaaling, FormErrors>) -> Vec<String> {
    r.unwrap_err().into_iter().map(|(f, _)| f).collect()
}

#[test]
fn a_measurement_is_read_from_the_form() {
    let today = d("2027-03-01");
    let m = form("83,3", "120", "25.01.2027").to_maaling("pct.", today).unwrap();
    assert_eq!(
        m,
        NyMaaling {
            kriterium_id: 7,
            maalepunkt: 4,
            vaerdi: 83.3,
            stikproeve: Some(120),
            maalt: d("2027-01-25"),
            kilde: "Spørgeskema til sagsbehandlere".into(),
        }
    );
    // The sample size may be left out; today is not the future.
    assert_eq!(form("2", "", "01.03.2027").to_maaling("timer", today).unwrap().stikproeve, None);
}

#[test]
fn a_wrong_measurement_gets_a_danish_message_per_field() {
    let today = d("2027-03-01");
    assert_eq!(fields(form("", "", "").to_maaling("pct.", today)), ["vaerdi", "maalt"]);
    assert_eq!(fields(form("101", "0", "02.03.2027").to_maaling("pct.", today)), ["vaerdi", "stikproeve", "maalt"]);
    assert_eq!(fields(form("-1", "2,5", "31.02.2027").to_maaling("timer", today)), ["vaerdi", "stikproeve", "maalt"]);
    let mut no_source = form("50", "", "01.01.2027");
    no_source.kilde = "  ".into();
    no_source.maalepunkt = String::new();
    assert_eq!(fields(no_source.to_maaling("pct.", today)), ["maalepunkt", "kilde"]);
    let err = form("abc", "", "01.01.2027").to_maaling("pct.", today).unwrap_err();
    assert_eq!(err[0].1, "Værdien skal være et tal, fx 83,3.");
    let future = form("50", "", "02.03.2027").to_maaling("pct.", today).unwrap_err();
    assert_eq!(future[0].1, "Målingen kan ikke være foretaget i fremtiden.");
}

fn kriterium_form() -> KriteriumForm {
    KriteriumForm {
        id: String::new(),
        version: String::new(),
        maalsaetning: "a".into(),
        nummer: "a4".into(),
        tekst: "Sagsbehandlerne har tillid til KY's beregninger.".into(),
        sammenligning: ">=".into(),
        maal: "95".into(),
        enhed: "pct.".into(),
        kilde: "Spørgeskema til sagsbehandlere".into(),
        maalepunkter: "4, 3 4".into(),
    }
}

#[test]
fn a_criterion_is_read_from_the_form() {
    let k = kriterium_form().to_kriterium().unwrap();
    assert_eq!((k.id, k.version, k.maalsaetning.as_str(), k.nummer.as_str()), (None, 0, "A", "A4"));
    assert_eq!(k.maal, pct(Sammenligning::Mindst, 95.0));
    assert_eq!(k.maalepunkter, [3, 4]);
    let change = KriteriumForm { id: "3".into(), version: "2".into(), ..kriterium_form() };
    let k = change.to_kriterium().unwrap();
    assert_eq!((k.id, k.version), (Some(3), 2));
}

#[test]
fn a_wrong_criterion_gets_a_message_per_field() {
    let bad = KriteriumForm {
        id: "3".into(),
        version: String::new(),
        nummer: "B4".into(),
        tekst: " ".into(),
        sammenligning: "=".into(),
        maal: "120".into(),
        maalepunkter: "tre".into(),
        ..kriterium_form()
    };
    let fields: Vec<String> = bad.to_kriterium().unwrap_err().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["version", "nummer", "tekst", "sammenligning", "maal", "maalepunkter"]);
}

#[test]
fn objectives_and_measuring_points_are_read_from_their_forms() {
    let ok = MaalsaetningForm { bogstav: "c".into(), titel: "Brugervenlig it-understøttelse".into() };
    assert_eq!(ok.to_maalsaetning().unwrap(), ("C".into(), "Brugervenlig it-understøttelse".into()));
    assert_eq!(MaalsaetningForm { bogstav: "AB".into(), titel: String::new() }.to_maalsaetning().unwrap_err().len(), 2);
    let p = MaalepunktForm { nr: "3".into(), navn: "Før kommunal ibrugtagning".into(), planlagt: "25.01.2027".into() };
    assert_eq!(p.to_maalepunkt().unwrap().planlagt, Some(d("2027-01-25")));
    let none = MaalepunktForm { planlagt: String::new(), ..p.clone() };
    assert_eq!(none.to_maalepunkt().unwrap().planlagt, None);
    let bad = MaalepunktForm { nr: "0".into(), navn: String::new(), planlagt: "i morgen".into() };
    assert_eq!(bad.to_maalepunkt().unwrap_err().len(), 3);
}

fn point(nr: i64, planlagt: Option<&str>) -> Maalepunkt {
    Maalepunkt { nr, navn: format!("Punkt {nr}"), planlagt: planlagt.map(d) }
}

#[test]
fn the_next_measurement_is_the_first_planned_point_without_one() {
    let points =
        [point(1, Some("2027-05-01")), point(3, Some("2027-02-01")), point(4, None), point(5, Some("2028-02-01"))];
    let today = d("2027-03-01");
    // Point 3 is planned first and has passed without a measurement: overdue.
    let next = naeste_maaling(&points, &[1, 3, 4, 5], &[], today).unwrap();
    assert_eq!((next.maalepunkt.nr, next.overdue), (3, true));
    // Measured: the next planned one, not overdue.
    let next = naeste_maaling(&points, &[1, 3, 4, 5], &[3], today).unwrap();
    assert_eq!((next.maalepunkt.nr, next.overdue), (1, false));
    // Points that do not apply are skipped; undated points come last.
    let next = naeste_maaling(&points, &[4, 5], &[5], today).unwrap();
    assert_eq!((next.maalepunkt.nr, next.overdue), (4, false));
    assert_eq!(naeste_maaling(&points, &[3, 4], &[3, 4], today), None);
}
