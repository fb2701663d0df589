//! The automatic notice the requester gets on every status change: plain Danish, saying what
//! happened and what, if anything, the kommune must do now.

use super::Status;

const PASSIVE: &str = "Ændringsønsket bliver passivt og kan ikke ses af kommunerne 30 dage efter, \
    det er lukket. Gem det lokalt, hvis I vil beholde det.";

const APPEAL: &str = "Vurderer I, at ønsket er kritisk, kan I efter aftale med jeres lokale ledelse klage \
    over afvisningen én gang med SagsID og en begrundelse.";

pub fn notice_text(from: Status, to: Status) -> String {
    match (from, to) {
        (Status::ReturneretTilUddybning, Status::Visitering) => {
            "Tak for uddybningen. Dit ændringsønske er igen til visitering hos KOMBIT.".to_string()
        }
        (_, Status::Visitering) => {
            "Dit ændringsønske er modtaget og afventer visitering hos KOMBIT. Du får besked, når det flytter sig."
                .to_string()
        }
        (_, Status::ReturneretTilUddybning) => "KOMBIT har returneret dit ændringsønske til uddybning. \
            Svar på KOMBITs spørgsmål i ændringsønsket, så det kan blive visiteret igen."
            .to_string(),
        (_, Status::Changeboard) => "Dit ændringsønske er sendt videre til changeboard, \
            hvor KOMBIT og leverandøren drøfter løsningsmuligheder."
            .to_string(),
        (_, Status::Estimering) => "Dit ændringsønske er sendt videre til estimering hos leverandøren.".to_string(),
        (_, Status::Scoring) => "Dit ændringsønske er estimeret og sendt til scoring i fagfællesskaberne.".to_string(),
        (_, Status::EndeligPrioritering) => {
            "Dit ændringsønske er scoret og afventer endelig prioritering hos KOMBIT.".to_string()
        }
        (_, Status::IBacklog) => "Dit ændringsønske er sat i den prioriterede backlog. \
            Du kan følge dets placering i den offentlige backlog."
            .to_string(),
        (_, Status::IUdvikling) => "Udviklingen af dit ændringsønske er gået i gang.".to_string(),
        (_, Status::Lukket) => format!("Dit ændringsønske er udviklet og lukket. {PASSIVE}"),
        (_, Status::Dublet) => format!(
            "Dit ændringsønske er markeret som dublet af et eksisterende ændringsønske. \
             Jeres kommune tælles med på det oprindelige ønske, som du kan følge i stedet. {PASSIVE}"
        ),
        (from, Status::Afvist) => format!("Dit ændringsønske er afvist {}. {APPEAL} {PASSIVE}", rejected_where(from)),
        (from, to) => format!("Dit ændringsønske har skiftet status fra »{}« til »{}«.", from.label(), to.label()),
    }
}

fn rejected_where(from: Status) -> &'static str {
    match from {
        Status::Visitering => "ved KOMBITs visitering",
        Status::Changeboard => "på changeboardet",
        Status::EndeligPrioritering => "ved den endelige prioritering",
        Status::IBacklog => "og taget ud af den prioriterede backlog",
        _ => "af KOMBIT",
    }
}
