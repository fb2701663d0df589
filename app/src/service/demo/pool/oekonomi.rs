//! Request kinds from the finance side of KY: fordringer, udbetaling, modregning, ØIR and
//! eIndkomst. Wording as a kommune's support user would write it.

use super::Template;
use crate::domain::aendring::RequestType;

pub(super) const TEMPLATES: &[Template] = &[
    Template {
        theme: "Fordringer og debitor",
        titel: "Mulighed for at rette {x} på oprettet fordring",
        slots: &["tilbagebetalingsparagraf", "kravtype", "stiftelsesdato", "hovedstol"],
        udfordring: "Når en fordring er oprettet, kan vi ikke rette fordringens {x} i KY. Vælger sagsbehandleren \
            forkert ved oprettelsen, må vi bestille rettelsen hos Netcompany som tilkøb (afhjælpning af \
            brugerfejl), og imens kan fordringen ikke sendes videre til opkrævning.",
        beskrivelse: "Sagsbehandleren skal selv kunne rette {x} på en oprettet fordring, så længe fordringen ikke \
            er oversendt til opkrævning. Rettelsen skal fremgå af fordringens historik med dato og initialer, og \
            fordringsmeddelelsen skal kunne dannes igen med de rettede oplysninger.",
        workaround: "Vi annullerer fordringen og opretter den igen, hvilket giver forkerte datoer i \
            renteberegningen, eller vi bestiller en rettelse hos Netcompany.",
        request_type: RequestType::OekonomiskFokus,
        ydelser: &[],
    },
    Template {
        theme: "Fordringer og debitor",
        titel: "Annullering af fejlagtigt oprettet fordring",
        slots: &[],
        udfordring: "Oprettes en fordring ved en fejl, fx på den forkerte bevilling eller med et forkert beløb, kan \
            kommunen ikke selv annullere den. Fordringen ligger og venter, mens en supportsag behandles, og \
            borgeren risikerer at modtage en fordringsmeddelelse på et beløb, der ikke skyldes.",
        beskrivelse: "En funktion til at annullere en fordring, der endnu ikke er oversendt til opkrævning, med en \
            obligatorisk begrundelse. Annulleringen skal automatisk tilbageføre posteringerne til økonomisystemet \
            og fremgå af sagens historik.",
        workaround: "Supportsag til Netcompany. Det tager typisk 2–3 uger, og imens må vi holde fordringen tilbage \
            manuelt.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Fordringer og debitor",
        titel: "Kobling mellem afgørelsesbrev og fordring, når »Send fordringsmeddelelse« er undertrykt",
        slots: &[],
        udfordring: "Når vi undertrykker opgaven »Send fordringsmeddelelse«, fordi afgørelsen allerede er sendt i \
            et samlet brev, bliver afgørelsesbrevet ikke koblet til fordringen. Ved en senere klage eller ved \
            opkrævningen kan vi ikke se, hvilket brev fordringen bygger på.",
        beskrivelse: "Sagsbehandleren skal kunne vælge et allerede sendt afgørelsesbrev og koble det til \
            fordringen, så brevet vises under fordringens dokumenter og følger med ved oversendelse til \
            opkrævning.",
        workaround: "Vi skriver brevets titel og dato i et journalnotat på fordringen.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Fordringer og debitor",
        titel: "Samlet overblik over borgerens {x}",
        slots: &["fordringer på tværs af sager", "afdragsordninger", "restgæld"],
        udfordring: "Fordringerne ligger på de enkelte sager, og der er ikke et sted, hvor vi kan se borgerens {x} \
            samlet. Når borgeren ringer og spørger, hvor meget vedkommende skylder, må vi åbne hver sag for sig og \
            lægge beløbene sammen i hånden.",
        beskrivelse: "En fane på borgeroverblikket med borgerens {x}: beløb, restbeløb, status, \
            tilbagebetalingsparagraf og om fordringen er sendt til opkrævning. Listen skal kunne sorteres og \
            udskrives, så den kan bruges ved samtaler med borgeren.",
        workaround: "Vi trækker en rapport og sorterer i Excel, men den bliver ikke opdateret i løbet af dagen.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Udbetaling",
        titel: "Mulighed for at ændre udbetalingsdato på {x}",
        slots: &["enkeltydelser", "en manuel udbetaling", "efterbetalinger"],
        udfordring: "Udbetalingsdatoen beregnes automatisk og kan ikke flyttes. Når en borger har akut brug for \
            pengene, fx til husleje før en udsættelse, kan vi ikke få {x} udbetalt hurtigere end ved næste kørsel.",
        beskrivelse: "Sagsbehandleren skal kunne vælge en tidligere udbetalingsdato på {x} med en begrundelse. \
            Udbetalingen skal med i den første mulige kørsel, og ændringen skal logges.",
        workaround: "Vi udbetaler beløbet via økonomisystemet udenom KY og registrerer det bagefter som en manuel \
            postering.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Udbetaling",
        titel: "Udbetaling direkte til {x} i stedet for til borgerens NemKonto",
        slots: &["udlejer", "boligselskab", "forsyningsselskab"],
        udfordring: "Ved huslejerestancer og visse enkeltydelser er det en del af afgørelsen, at beløbet betales \
            direkte til borgerens {x}. KY kan kun udbetale til borgerens NemKonto, så vi må håndtere betalingen \
            udenom systemet.",
        beskrivelse: "Mulighed for at angive en anden betalingsmodtager på en ydelse (CVR-nummer eller NemKonto), \
            så KY udbetaler direkte til {x}. Borgeren skal have besked i afgørelsen, og udbetalingen skal fremgå \
            af historiske udbetalinger som normalt.",
        workaround: "Udbetaling via økonomisystemet og manuel registrering i KY.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &["Kontanthjælp", "Enkeltydelser", "Boligstøtte-lån", "Integrationsydelse"],
    },
    Template {
        theme: "Udbetaling",
        titel: "Tilbageholdelse af udbetaling, indtil {x} er modtaget",
        slots: &["dokumentation", "lønsedler", "en underskrevet erklæring"],
        udfordring: "Vi kan ikke sætte en udbetaling i bero, mens vi venter på {x} fra borgeren. Enten stopper vi \
            hele ydelsen, hvilket kræver en ny afgørelse, eller også udbetaler vi og risikerer en \
            tilbagebetalingssag.",
        beskrivelse: "En midlertidig tilbageholdelse af næste udbetaling med en frist og en årsag. Når {x} er \
            registreret, frigives udbetalingen automatisk, og sagsbehandleren får en opgave, hvis fristen \
            overskrides.",
        workaround: "Vi stopper ydelsen og genoptager den bagefter, hvilket giver ekstra breve til borgeren.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Modregning",
        titel: "Omdannelse af modregningsanmodning til fordring uden at afvente batchjob",
        slots: &[],
        udfordring: "En modregningsanmodning kan først omdannes til en fordring, når batchjobbet har dannet en \
            opfølgningsopgave, fordi der ikke længere er en aktiv LY- eller FLT-sag. Ved vi allerede, at borgeren \
            er ophørt, må vi vente på batchjobbet, før vi kan oprette fordringen.",
        beskrivelse: "Sagsbehandleren skal selv kunne omdanne en aktiv modregningsanmodning, der endnu ikke er \
            modregnet, til en fordring direkte fra fanen Modregninger, når der ikke længere er en aktiv sag at \
            modregne i.",
        workaround: "Vi sætter en påmindelse og venter på opfølgningsopgaven fra batchjobbet.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &["Ledighedsydelse", "Fleksløntilskud"],
    },
    Template {
        theme: "Modregning",
        titel: "Samlet overblik over borgerens modregninger",
        slots: &[],
        udfordring: "Modregningerne ligger under de enkelte sager, og det er svært at se, hvad der samlet bliver \
            modregnet i borgerens udbetaling, og om borgeren har nok tilbage at leve for efter reglerne.",
        beskrivelse: "Et samlet overblik over aktive og gennemførte modregninger på tværs af borgerens sager med \
            beløb pr. udbetaling, restbeløb og hvilken fordring der modregnes i.",
        workaround: "Vi regner det ud i et regneark ved hver henvendelse.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "Modregning",
        titel: "Valg af rækkefølge ved modregning af flere fordringer",
        slots: &[],
        udfordring: "Har borgeren flere fordringer, modregner KY i en fast rækkefølge, som ikke altid følger den \
            rækkefølge, afgørelsen fastsætter. Det giver forkerte restbeløb og klager fra borgerne.",
        beskrivelse: "Sagsbehandleren skal kunne angive rækkefølgen, som fordringerne modregnes i, fx ældste først \
            eller som fastsat i afgørelsen, og rækkefølgen skal vises på fanen Modregninger.",
        workaround: "Vi stopper de fordringer, der ikke skal modregnes endnu, og genoptager dem manuelt.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "Økonomi og ØIR-integration",
        titel: "Afstemning af posteringer mellem KY og {x}",
        slots: &["OPUS", "Prisme", "økonomisystemet"],
        udfordring: "Ved månedsafstemningen har vi poster, der ikke kan udlignes mellem KY og {x}. Rapporten \
            »Detaljer eIndkomst« viser indberetninger til Skat og kan ikke bruges til formålet, og \
            afstemningsvejledningen dækker ikke de tilfælde, hvor et bilag er afvist og sendt igen.",
        beskrivelse: "En afstemningsrapport pr. bilag, der viser hver postering fra KY med status i {x} (modtaget, \
            bogført eller afvist), så afviste og gensendte bilag kan følges til bunds.",
        workaround: "Manuel afstemning i regneark med udtræk fra begge systemer. Det tager en medarbejder 2–3 dage \
            om måneden.",
        request_type: RequestType::OekonomiskFokus,
        ydelser: &[],
    },
    Template {
        theme: "Økonomi og ØIR-integration",
        titel: "Korrektion af organisatorisk reference på finansbilag ved {x}",
        slots: &["omorganisering", "sammenlægning af afdelinger", "nye omkostningssteder"],
        udfordring: "Når kommunens organisation ændres, bliver finansbilag fra KY bogført med den gamle \
            organisatoriske reference. Rettelsen er et tilkøb hos Netcompany, og indtil den er lavet, bliver \
            bilagene afvist i økonomisystemet.",
        beskrivelse: "Kommunen skal selv kunne vedligeholde koblingen mellem organisation og kontering i KY med en \
            gyldighedsdato, og afviste bilag skal kunne sendes igen med den rettede reference.",
        workaround: "Tilkøb hos Netcompany: Korrektion af Finans (SF1590_A).",
        request_type: RequestType::OekonomiskFokus,
        ydelser: &[],
    },
    Template {
        theme: "Økonomi og ØIR-integration",
        titel: "Kontering af {x} på den rigtige art i den autoriserede kontoplan",
        slots: &["tilbagebetalte beløb", "renter af fordringer", "afskrivninger"],
        udfordring: "KY konterer {x} samlet på én art, selv om beløbene skal fordeles efter den autoriserede \
            kontoplan. Vi omposterer hver måned i økonomisystemet, og det giver fejl i refusionsopgørelsen.",
        beskrivelse: "Konteringen af {x} skal følge den samme opsætning som den oprindelige udbetaling (funktion, \
            dranst og art), så posteringerne lander rigtigt uden ompostering.",
        workaround: "Manuel ompostering i økonomisystemet hver måned.",
        request_type: RequestType::OekonomiskFokus,
        ydelser: &[],
    },
    Template {
        theme: "eIndkomst/Skat",
        titel: "Korrektion af indberetning til eIndkomst efter {x}",
        slots: &["tilbagebetaling", "annulleret udbetaling", "ændret ydelsesperiode"],
        udfordring: "Efter {x} bliver den oprindelige indberetning til eIndkomst ikke rettet automatisk. Borgerens \
            forskudsopgørelse og årsopgørelse bliver forkert, og vi får henvendelser fra både borgeren og \
            Skattestyrelsen.",
        beskrivelse: "KY skal automatisk sende en korrigerende indberetning til eIndkomst efter {x}, og \
            sagsbehandleren skal kunne se indberetningens status på sagen.",
        workaround: "Manuel korrektion direkte i eIndkomst, og når korrektionen sker udenom KY, er rettelser \
            bagefter et tilkøb.",
        request_type: RequestType::Lovmedholdelig,
        ydelser: &[],
    },
    Template {
        theme: "eIndkomst/Skat",
        titel: "Visning af trækprocent og fradrag fra skattekortet på {x}",
        slots: &["beregningen", "udbetalingsspecifikationen"],
        udfordring: "Borgere ringer og spørger, hvorfor der er trukket så meget i skat. Vi kan ikke se, hvilken \
            trækprocent og hvilket fradrag KY har brugt på {x}, uden at bestille et udtræk.",
        beskrivelse: "Trækprocent, månedsfradrag og om der er brugt hovedkort, bikort eller frikort skal vises på \
            {x}, så vi kan svare borgeren med det samme.",
        workaround: "Vi beder borgeren logge på skat.dk og læse det op for os.",
        request_type: RequestType::Brugervenlighed,
        ydelser: &[],
    },
    Template {
        theme: "eIndkomst/Skat",
        titel: "Rapport over indberetninger til eIndkomst pr. {x}",
        slots: &["måned", "ydelsesart", "borger"],
        udfordring: "Ved afstemning og ved spørgsmål fra Skattestyrelsen har vi brug for at se, hvad der er \
            indberettet pr. {x}. Rapporten »Detaljer eIndkomst« kan ikke filtreres på den måde og kan ikke \
            eksporteres.",
        beskrivelse: "En rapport over indberetninger til eIndkomst, der kan grupperes pr. {x}, viser A-indkomst, \
            AM-bidrag og A-skat og kan eksporteres til Excel.",
        workaround: "Dataudtræk bestilt hos Netcompany som betalbar ydelse.",
        request_type: RequestType::DriftsmaessigFokus,
        ydelser: &[],
    },
];
