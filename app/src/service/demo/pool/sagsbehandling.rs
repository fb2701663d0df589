//! Request kinds from casework in KY: letters, the case overview, tasks and deadlines, and the
//! calculation of ydelser. Wording as a kommune's support user would write it.

use super::Template;
use crate::domain::aendring::RequestType;

pub(super) const TEMPLATES: &[Template] = &[
    Template {
        theme: "Breve og skabeloner",
        titel: "Flettefelt for {x} i afgørelsesbrev",
        slots: &["ydelsesperiode", "beregningsgrundlag", "klagefrist", "sagsbehandlers direkte telefonnummer"],
        udfordring: "Der findes ikke et flettefelt for {x}, så sagsbehandleren skal skrive det ind i hånden i hvert \
            afgørelsesbrev om {ydelse}. Det tager tid, og vi finder jævnligt fejl i de manuelt indtastede \
            oplysninger.",
        beskrivelse: "Et flettefelt for {x} i brevskabelonerne, som hentes fra sagen, når brevet dannes. \
            Flettefeltet skal kunne bruges i både standardskabelonerne og kommunens egne skabeloner.",
        workaround: "Manuel indtastning i hvert brev.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Breve og skabeloner",
        titel: "Mulighed for at besvare {x} via selvbetjeningen",
        slots: &["partshøringsbreve", "breve dannet på Tom skabelon", "breve om oplysningspligt"],
        udfordring: "Når vi sender {x}, kan borgeren ikke svare gennem selvbetjeningen. Svaret kommer i stedet via \
            Digital Post til kommunens hovedpostkasse og bliver ikke koblet til sagen, så vi tror, at borgeren \
            ikke har svaret, og sender brevet igen.",
        beskrivelse: "Det skal være muligt at markere {x} som breve, der kan besvares, så borgerens svar kommer ind \
            på den rigtige sag med en kvittering, præcis som ved anmodningsbreve.",
        workaround: "Vi holder øje med hovedpostkassen og journaliserer svarene manuelt på sagen.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Breve og skabeloner",
        titel: "Svarfristen i anmodningsbreve skal kunne tilpasses {x}",
        slots: &["borgerens situation", "helligdage og ferie", "sager med partsrepræsentant"],
        udfordring: "Svarfristen i anmodningsbreve er fast i brevskabelonen. Vi har brug for at tilpasse fristen \
            til {x}, men feltet kan ikke redigeres for den skabelon, vi skal bruge.",
        beskrivelse: "Sagsbehandleren skal kunne ændre svarfristen på det enkelte anmodningsbrev inden for et \
            interval, som kommunen selv sætter i systemparametrene for brevskabelonen.",
        workaround: "Vi skriver den rigtige frist i brevets fritekst, så der står to forskellige frister i samme \
            brev.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Breve og skabeloner",
        titel: "Kopi af breve til borgerens {x}",
        slots: &["værge", "partsrepræsentant", "advokat"],
        udfordring: "Når borgeren har en {x}, skal afgørelser og anmodninger også sendes dertil. KY kan kun sende \
            brevet til borgeren selv, så vi danner brevet to gange eller sender kopien manuelt.",
        beskrivelse: "Mulighed for at registrere en {x} på sagen, så breve automatisk sendes i kopi med Digital \
            Post eller fysisk post, og kopien journaliseres på sagen.",
        workaround: "Vi downloader brevet og sender det manuelt fra kommunens ESDH-system.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Sagsoverblik",
        titel: "Visning af {x} på borgeroverblikket",
        slots: &["aktive og afsluttede bevillinger", "kommende udbetalinger", "åbne opgaver på tværs af sager"],
        udfordring: "Borgeroverblikket viser ikke {x}. Når borgeren ringer, skal vi klikke os igennem flere faner \
            og sager for at finde svaret, mens borgeren venter i telefonen.",
        beskrivelse: "Borgeroverblikket skal vise {x} i en kort liste med link til den enkelte sag, så \
            sagsbehandleren kan svare borgeren uden at skifte fane.",
        workaround: "Ingen, vi klikker os igennem sagerne.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Sagsoverblik",
        titel: "Søgning på sager efter {x}",
        slots: &["ydelsesart og status", "sagsbehandler", "bevillingsperiode"],
        udfordring: "Vi kan kun søge sager frem på CPR-nummer og sagsnummer. Når vi fx skal gennemgå sager efter en \
            lovændring eller fordele en syg kollegas sager, kan vi ikke finde dem frem efter {x}.",
        beskrivelse: "En avanceret søgning på sager med filter for {x}, hvor resultatet kan eksporteres og bruges \
            til at fordele opgaver.",
        workaround: "Vi bestiller et dataudtræk eller fører lister i Excel.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Sagsoverblik",
        titel: "Historik over ændringer i {x}",
        slots: &["beregningsgrundlaget", "bevillingen", "borgerens stamdata"],
        udfordring: "Når noget er ændret i {x}, kan vi ikke se, hvem der har ændret hvad og hvornår. Det gør det \
            svært at besvare klager og at finde årsagen til fejl.",
        beskrivelse: "En historik for {x}, der viser feltets gamle og nye værdi, hvem der ændrede det og hvornår, \
            og som kan udskrives til brug i klagesager.",
        workaround: "Ingen.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Sagsoverblik",
        titel: "Journalnotater skal kunne {x}",
        slots: &["sorteres og filtreres", "skrives på tværs af borgerens sager", "oprettes ud fra en skabelon"],
        udfordring: "Journalnotaterne vises i en lang liste, og vi bruger meget tid på at finde det notat, vi leder \
            efter. Notaterne kan heller ikke {x}.",
        beskrivelse: "Journalnotater skal kunne {x}, så sagsbehandleren hurtigt kan dokumentere og finde \
            oplysninger i sagen.",
        workaround: "Vi skriver notaterne i Word og kopierer dem ind.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Opgaver og frister",
        titel: "Automatisk opgave ved {x}",
        slots: &[
            "udløb af en tidsbegrænset bevilling",
            "manglende svar på anmodningsbrev",
            "borgerens 30-års fødselsdag",
        ],
        udfordring: "KY danner ikke en opgave ved {x}. Sagsbehandlerne holder selv øje med datoerne i kalenderen, \
            og vi opdager for sent, at ydelsen skulle have været ændret.",
        beskrivelse: "KY skal danne en opgave til den ansvarlige sagsbehandler et antal dage før {x}. Antallet af \
            dage skal kunne sættes af kommunen.",
        workaround: "Påmindelser i Outlook og lister i Excel.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Opgaver og frister",
        titel: "Fordeling af opgaver til {x}",
        slots: &[
            "et team i stedet for en enkelt sagsbehandler",
            "en stedfortræder ved fravær",
            "flere sagsbehandlere på én gang",
        ],
        udfordring: "Opgaver kan kun tildeles én bestemt sagsbehandler. Ved sygdom og ferie hober opgaverne sig op \
            hos den fraværende, og fristerne overskrides, fordi ingen andre ser dem.",
        beskrivelse: "Mulighed for at tildele opgaver til {x}, så opgaverne vises i en fælles kø, og det fremgår, \
            hvem der har taget opgaven.",
        workaround: "Teamlederen flytter opgaverne manuelt hver morgen.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Opgaver og frister",
        titel: "Fristen på opgaver skal kunne {x}",
        slots: &["ændres af sagsbehandleren", "beregnes i arbejdsdage", "ses direkte i opgavelisten"],
        udfordring: "Fristen på opgaverne passer ikke til den måde, vi arbejder på. I dag kan fristen ikke {x}, og \
            derfor kan vi ikke bruge fristerne til at planlægge arbejdet.",
        beskrivelse: "Fristen på opgaver skal kunne {x}, og opgavelisten skal kunne sorteres efter frist, så de \
            mest presserende opgaver står øverst.",
        workaround: "Egne lister over frister i Excel.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Opgaver og frister",
        titel: "Afslutning af flere opgaver af samme type på én gang",
        slots: &[],
        udfordring: "Efter batchkørslerne får vi mange ens opgaver, fx om ændret adresse eller nye oplysninger fra \
            eIndkomst, som ikke kræver handling. Hver opgave skal åbnes og afsluttes for sig.",
        beskrivelse: "Sagsbehandleren skal kunne markere flere opgaver af samme type og afslutte eller omfordele \
            dem på én gang med en fælles bemærkning.",
        workaround: "Vi afslutter opgaverne én ad gangen. Det tager flere timer efter hver kørsel.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
    Template {
        theme: "Beregning af ydelser",
        titel: "Automatisk fradrag af {x} i {ydelse}",
        slots: &["feriepenge", "løn", "pension"],
        udfordring: "KY henter oplysninger om {x} fra eIndkomst, men fradraget i ydelsen skal stadig beregnes og \
            indtastes manuelt. Det er tidskrævende, og fejl fører til tilbagebetalingssager.",
        beskrivelse: "KY skal selv beregne fradraget for {x} ud fra oplysningerne i eIndkomst og foreslå det i \
            beregningen, så sagsbehandleren kun skal godkende det.",
        workaround: "Manuel beregning i regneark og indtastning af fradraget.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &["Kontanthjælp", "Uddannelseshjælp", "Ledighedsydelse", "Integrationsydelse"],
    },
    Template {
        theme: "Beregning af ydelser",
        titel: "Forholdsmæssig beregning ved {x} midt i en måned",
        slots: &["start", "ophør", "skift af sats"],
        udfordring: "Ved {x} midt i en måned beregner KY ikke altid ydelsen forholdsmæssigt korrekt, og \
            sagsbehandleren må selv regne beløbet ud og lave en manuel regulering.",
        beskrivelse: "Beregningen skal håndtere {x} på en vilkårlig dato i måneden og vise, hvordan det \
            forholdsmæssige beløb er udregnet.",
        workaround: "Manuel regulering efter beregning i regneark.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Beregning af ydelser",
        titel: "Genberegning af {ydelse} bagud i tid ved {x}",
        slots: &["ændret samlivsforhold", "nye oplysninger om indtægt", "ændret forsørgerstatus"],
        udfordring: "Når vi får oplysninger om {x} med virkning bagud i tid, kan KY ikke genberegne ydelsen for de \
            tidligere perioder. Vi regner differencen ud i hånden og opretter en fordring eller en efterbetaling \
            manuelt.",
        beskrivelse: "Mulighed for at genberegne ydelsen fra en valgt dato bagud, så KY selv opgør forskellen og \
            foreslår en fordring eller en efterbetaling.",
        workaround: "Manuel beregning og manuel oprettelse af fordring eller efterbetaling.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Beregning af ydelser",
        titel: "Forståelig visning af beregningen af {ydelse} for borgeren",
        slots: &[],
        udfordring: "Borgerne forstår ikke, hvordan deres ydelse er beregnet, fordi udbetalingsspecifikationen kun \
            viser slutbeløbet. Det giver mange opkald og klager, som handler om forklaring snarere end om fejl.",
        beskrivelse: "En letlæselig specifikation af beregningen med sats, fradrag, modregning og skat, som \
            borgeren kan se i selvbetjeningen, og som kan vedlægges afgørelsen.",
        workaround: "Vi forklarer beregningen i telefonen eller i et brev, vi skriver i hånden.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
];
