//! Request kinds that cut across KY: reports, selvbetjening, stamdata, rights and
//! integrations. Wording as a kommune's support user would write it.

use super::Template;
use crate::domain::aendring::RequestType;

pub(super) const TEMPLATES: &[Template] = &[
    Template {
        theme: "Rapporter",
        titel: "Eksport af {x} til Excel",
        slots: &["opgavelisten", "listen over fordringer", "udbetalingsoversigten"],
        udfordring: "Vi kan ikke eksportere {x} fra KY. Skal vi bruge tallene til ledelsesinformation eller \
            afstemning, må vi skrive dem af eller tage skærmbilleder.",
        beskrivelse: "En knap til at eksportere {x} til Excel med de filtre og den sortering, brugeren har valgt.",
        workaround: "Vi skriver tallene af i hånden og tager skærmbilleder.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Rapporter",
        titel: "Ledelsesrapport over {x} pr. team",
        slots: &["sagsbehandlingstider", "antal åbne opgaver", "overskredne frister"],
        udfordring: "Ledelsen har ikke et overblik over {x} pr. team. Vi kan ikke følge op på, om vi overholder \
            vores servicemål, uden at bestille dataudtræk.",
        beskrivelse: "En rapport i KY Rapporter, der viser {x} pr. team og pr. måned og kan filtreres på \
            ydelsesart.",
        workaround: "Dataudtræk bestilt hos Netcompany som tilkøb.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Rapporter",
        titel: "Rapport over borgere med {x}",
        slots: &["udløbende bevillinger", "stoppede udbetalinger", "modregninger over en valgt beløbsgrænse"],
        udfordring: "Vi har brug for at finde borgere med {x} for at kunne følge op i tide. Det kan ikke trækkes i \
            KY Rapporter i dag.",
        beskrivelse: "En rapport over borgere med {x} med CPR-nummer, ansvarlig sagsbehandler og dato, som kan \
            eksporteres.",
        workaround: "Ingen.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Selvbetjening",
        titel: "Kvittering til borgeren ved {x} via selvbetjeningen",
        slots: &["ansøgning", "indsendt dokumentation", "ændringsanmeldelse"],
        udfordring: "Borgeren får ikke en tydelig kvittering ved {x} via selvbetjeningen. Mange ringer for at høre, \
            om vi har modtaget den, eller sender den igen på mail.",
        beskrivelse: "Borgeren skal straks have en kvittering i Digital Post med dato, sagsnummer og hvad der er \
            modtaget, og kvitteringen skal gemmes på sagen.",
        workaround: "Vi besvarer opkald og mails en ad gangen.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Selvbetjening",
        titel: "Selvbetjening til {x}",
        slots: &["ansøgning om enkeltydelse", "indberetning af arbejdstimer", "ændring af kontaktoplysninger"],
        udfordring: "Der er ikke en selvbetjeningsløsning til {x} i KY, så borgerne sender oplysningerne på mail \
            eller papir, og vi taster dem ind.",
        beskrivelse: "En selvbetjeningsløsning til {x}, hvor borgeren logger på med MitID, og oplysningerne lander \
            direkte på sagen som en opgave til sagsbehandleren.",
        workaround: "Papirblanket og manuel indtastning.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Selvbetjening",
        titel: "Vedhæftning af flere filer på én gang i selvbetjeningen",
        slots: &[],
        udfordring: "Borgeren kan kun vedhæfte én fil ad gangen, og filstørrelsen er begrænset. Mange opgiver og \
            sender i stedet dokumenterne til kommunens hovedpostkasse, hvor de ikke bliver koblet til sagen.",
        beskrivelse: "Borgeren skal kunne vedhæfte flere filer på én gang, også billeder taget med mobilen, og \
            filerne skal samles på sagen som ét dokument.",
        workaround: "Vi journaliserer dokumenter fra hovedpostkassen manuelt.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Stamdata",
        titel: "Automatisk opdatering af {x} fra CPR",
        slots: &["civilstand", "adresse og husstand", "børn i husstanden"],
        udfordring: "Ændringer i {x} fra CPR bliver ikke opdateret på sagen, før sagsbehandleren åbner den. Det \
            betyder, at beregningen kan være forkert i flere måneder.",
        beskrivelse: "KY skal opdatere {x} fra CPR automatisk og danne en opgave, når ændringen påvirker ydelsen.",
        workaround: "Månedlig manuel gennemgang af sagerne.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Stamdata",
        titel: "Registrering af {x} på borgeren",
        slots: &["navne- og adressebeskyttelse", "tolkebehov", "foretrukken kontaktform"],
        udfordring: "Der er ikke et felt til {x} på borgeren. Oplysningen står i journalnotaterne, hvor den let \
            bliver overset, fx når en kollega overtager sagen.",
        beskrivelse: "Et felt til {x} i borgerens stamdata, som vises tydeligt øverst på sagen.",
        workaround: "Vi skriver det i et journalnotat og i sagens titel.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Stamdata",
        titel: "Rettelse af {x} uden supportsag",
        slots: &["forkert registreret startdato", "fejl i bankoplysninger", "forkert ansvarlig sagsbehandler"],
        udfordring: "Når vi skal rette en {x}, kan vi ikke gøre det selv. Vi opretter en supportsag og venter, og \
            imens kan sagen ikke behandles færdig.",
        beskrivelse: "Kommunens superbrugere skal selv kunne rette en {x}, og rettelsen skal logges med en \
            begrundelse.",
        workaround: "Supportsag til Netcompany.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Rettigheder",
        titel: "Læseadgang for {x}",
        slots: &["økonomimedarbejdere", "revisionen", "jobcentrets medarbejdere"],
        udfordring: "Vi kan ikke give {x} adgang til at se sager uden også at give adgang til at ændre dem. Derfor \
            må sagsbehandlerne slå oplysningerne op for dem.",
        beskrivelse: "En rolle med læseadgang til sager, udbetalinger og fordringer for {x}, uden mulighed for at \
            ændre eller sende breve.",
        workaround: "Sagsbehandlerne tager skærmbilleder og sender dem.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Rettigheder",
        titel: "Godkendelse af {x} ved en anden medarbejder",
        slots: &["udbetalinger over en beløbsgrænse", "afskrivninger af fordringer", "manuelle udbetalinger"],
        udfordring: "Vores interne kontrol kræver, at {x} godkendes af en anden medarbejder. KY har ikke en \
            godkendelsesfunktion, så vi dokumenterer godkendelsen udenom systemet.",
        beskrivelse: "En funktion, hvor {x} skal godkendes af en anden medarbejder med en bestemt rolle, før de \
            gennemføres. Beløbsgrænsen skal kunne sættes af kommunen.",
        workaround: "Godkendelse på mail, som journaliseres i ESDH-systemet.",
        request_type: RequestType::OekonomiskFokus,
        ydelser: &[],
    },
    Template {
        theme: "Integrationer",
        titel: "Overførsel af {x} fra Momentum til KY",
        slots: &["sanktioner", "fraværsoplysninger", "tilbudsperioder"],
        udfordring: "Oplysninger om {x} registreres i Momentum, men kommer ikke automatisk over i KY. \
            Sagsbehandleren skal selv taste dem ind igen, og ydelsen bliver ikke altid nedsat i tide.",
        beskrivelse: "En integration, så oplysninger om {x} overføres automatisk fra Momentum og danner en opgave i \
            KY med forslag til ændring af ydelsen.",
        workaround: "Dobbeltregistrering og daglige lister fra jobcentret.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[
            "Kontanthjælp",
            "Uddannelseshjælp",
            "Ledighedsydelse",
            "Ressourceforløbsydelse",
            "Integrationsydelse",
        ],
    },
    Template {
        theme: "Integrationer",
        titel: "Automatisk journalisering af {x} i kommunens ESDH-system",
        slots: &["breve fra KY", "borgerens svar", "afgørelser"],
        udfordring: "Dokumenter som {x} ligger kun i KY og bliver ikke journaliseret i vores ESDH-system. Ved \
            aktindsigt og klagesager skal vi samle dokumenterne fra to steder.",
        beskrivelse: "En integration, der automatisk journaliserer {x} på den rigtige sag i ESDH-systemet.",
        workaround: "Manuel download og journalisering.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Integrationer",
        titel: "Opdatering af refusionsoplysninger til {x}",
        slots: &["Ydelsesrefusion", "Det Fælles Datagrundlag"],
        udfordring: "Rettelser i KY med virkning bagud i tid bliver ikke altid sendt videre til {x}. Det giver \
            forkert refusion, som vi først opdager ved revisionen.",
        beskrivelse: "KY skal sende de rettede oplysninger til {x}, når en udbetaling eller en periode ændres bagud \
            i tid, og vise status for afsendelsen på sagen.",
        workaround: "Manuel korrektion ved årsafslutningen.",
        request_type: RequestType::OekonomiskFokus,
        ydelser: &[],
    },
];
