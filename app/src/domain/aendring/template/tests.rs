//! Tests of the ændringsønske template and the appeal form.

use super::*;

fn complete() -> AendringDraft {
    AendringDraft {
        titel: "Flettefelt for ydelsesperiode i afgørelsesbrev".into(),
        udfordring: "Vi skal skrive ydelsesperioden ind i hånden i hvert afgørelsesbrev.".into(),
        ydelsesarter: " Kontanthjælp, ,Uddannelseshjælp ".into(),
        omfang: "Ca. 300 breve om måneden".into(),
        workaround: "Nej".into(),
        type_: "brugervenlighed".into(),
        beskrivelse: "Et flettefelt med ydelsesperiodens start- og slutdato.".into(),
        minsupport_sagsid: String::new(),
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<String> {
    errors.into_iter().map(|e| e.field).collect()
}

#[test]
fn a_complete_draft_is_trimmed_and_its_ydelsesarter_parsed() {
    let valid = validate_draft(&complete()).unwrap();
    assert_eq!(valid.ydelsesarter, ["Kontanthjælp", "Uddannelseshjælp"]);
    assert_eq!(valid.aendring_type, AendringType::Brugervenlighed);
    assert_eq!(valid.minsupport_sagsid, None);
    assert_eq!(valid.workaround, "Nej");
}

#[test]
fn an_empty_draft_names_every_required_field_but_not_the_sagsid() {
    let errors = validate_draft(&AendringDraft::default()).unwrap_err();
    assert_eq!(
        fields(errors.clone()),
        ["titel", "udfordring", "ydelsesarter", "omfang", "workaround", "type", "beskrivelse"]
    );
    let udfordring = errors.iter().find(|e| e.field == "udfordring").unwrap();
    assert_eq!(udfordring.message, "Beskriv den udfordring, I oplever i KY.");
}

#[test]
fn whitespace_only_counts_as_missing() {
    let draft = AendringDraft { workaround: "   ".into(), ydelsesarter: " , ,".into(), ..complete() };
    assert_eq!(fields(validate_draft(&draft).unwrap_err()), ["ydelsesarter", "workaround"]);
}

#[test]
fn texts_longer_than_the_limits_are_refused() {
    let draft = AendringDraft { titel: "x".repeat(121), beskrivelse: "æ".repeat(4001), ..complete() };
    let errors = validate_draft(&draft).unwrap_err();
    assert_eq!(fields(errors.clone()), ["titel", "beskrivelse"]);
    assert_eq!(errors[1].message, "Feltet må højst være 4.000 tegn.");
    let at_limit = AendringDraft { titel: "ø".repeat(120), beskrivelse: "æ".repeat(4000), ..complete() };
    assert!(validate_draft(&at_limit).is_ok());
}

#[test]
fn the_type_must_be_one_of_the_four_of_the_template() {
    for t in AendringType::ALL {
        let draft = AendringDraft { type_: t.key().into(), ..complete() };
        assert_eq!(validate_draft(&draft).unwrap().aendring_type, t);
    }
    let draft = AendringDraft { type_: "Økonomisk fokus".into(), ..complete() };
    assert_eq!(fields(validate_draft(&draft).unwrap_err()), ["type"]);
    assert_eq!(AendringType::OekonomiskFokus.label(), "Økonomisk fokus");
}

#[test]
fn the_sagsid_is_optional_but_must_look_like_a_minsupport_id_when_given() {
    let table = [
        ("SAG-123456", true),
        ("0417291", true),
        ("  4711  ", true),
        ("123", false),
        ("SAG 123456", false),
        ("SAG-12345678901234567", false),
        ("sag/1234", false),
    ];
    for (id, ok) in table {
        let draft = AendringDraft { minsupport_sagsid: id.into(), ..complete() };
        assert_eq!(validate_draft(&draft).is_ok(), ok, "{id:?}");
    }
    let draft = AendringDraft { minsupport_sagsid: " SAG-123456 ".into(), ..complete() };
    assert_eq!(validate_draft(&draft).unwrap().minsupport_sagsid.as_deref(), Some("SAG-123456"));
}

#[test]
fn the_draft_reads_the_type_field_under_its_form_name() {
    let draft: AendringDraft = serde_json::from_str(r#"{"titel": "T", "type": "lovmedholdelig"}"#).unwrap();
    assert_eq!(draft.type_, "lovmedholdelig");
    assert_eq!(draft.udfordring, "");
}

#[test]
fn an_appeal_needs_a_sagsid_and_a_real_reason() {
    let ok = AppealDraft {
        sagsid: " SAG-998877 ".into(),
        begrundelse: "Uden ændringen kan vi ikke overholde loven.".into(),
    };
    assert_eq!(validate_appeal(&ok).unwrap().sagsid, "SAG-998877");
    assert_eq!(fields(validate_appeal(&AppealDraft::default()).unwrap_err()), ["sagsid", "begrundelse"]);
    let short = AppealDraft { begrundelse: "Det er vigtigt.".into(), ..ok.clone() };
    assert_eq!(fields(validate_appeal(&short).unwrap_err()), ["begrundelse"]);
    let bad_id = AppealDraft { sagsid: "#12".into(), ..ok };
    assert_eq!(fields(validate_appeal(&bad_id).unwrap_err()), ["sagsid"]);
}

#[test]
fn changed_fields_names_every_field_that_differs_in_the_forms_order() {
    let before = complete();
    assert!(changed_fields(&before, &before).is_empty());
    let mut after = complete();
    after.omfang = "Ca. 400 breve om måneden".into();
    after.type_ = "lovmedholdelig".into();
    after.minsupport_sagsid = "SAG-123456".into();
    after.titel = format!(" {} ", before.titel);
    assert_eq!(
        changed_fields(&before, &after),
        [("omfang", "Omfang"), ("type", "Er der tale om"), ("minsupport_sagsid", "MinSupport SagsID")]
    );
    assert_eq!(after.field("type"), "Lovmedholdelig");
}

#[test]
fn a_valid_aendring_gives_back_the_draft_it_came_from() {
    let mut draft = complete();
    draft.ydelsesarter = "Kontanthjælp, Uddannelseshjælp".into();
    let valid = validate_draft(&draft).unwrap();
    assert_eq!(AendringDraft::from(&valid), draft);
}
