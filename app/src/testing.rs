//! Builders for tests and benchmarks: a fresh database file, and small KMD Aktiv extracts
//! written exactly in the import format. Not used by the running product.

use crate::domain::{Cpr, Kommunenr, Role};
use crate::model::SessionUser;
use crate::service::Actor;
use crate::service::auth::{self, NewAccount};
use crate::state::{AppContext, Settings};
use crate::store::Db;
use std::fmt::Write as _;
use std::path::Path;

/// A database in its own temporary folder, deleted when dropped.
pub struct TestDb {
    pub ctx: AppContext,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect(&url).await.expect("database");
        TestDb { ctx: AppContext::new(db, Settings { secure_cookies: false, session_hours: 8 }), dir }
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("test.db").display())
    }

    /// Creates a user and returns them as an actor.
    pub async fn user(&self, username: &str, role: Role, kommune: Option<u16>) -> Actor {
        let kommune = kommune.map(|k| Kommunenr::try_from(k).expect("kommune"));
        let id = auth::create_user(
            &self.ctx.db,
            NewAccount {
                username: username.into(),
                display_name: format!("Bruger {username}"),
                password: "hemmelig-kode".into(),
                role,
                kommune,
                fagfaellesskab: (role == Role::Fagfaellesskab).then(|| "Kontanthjælp".to_string()),
                is_demo: false,
            },
        )
        .await
        .expect("user");
        Actor::User(SessionUser {
            id,
            username: username.into(),
            display_name: format!("Bruger {username}"),
            role,
            kommune,
            fagfaellesskab: None,
        })
    }
}

/// A hand-made extract. Defects are given as letters: `B` no bevilling, `R` no reference,
/// `K` no kravtype, `P` no paragraffer.
#[derive(Default)]
pub struct ExtractBuilder {
    personer: Vec<String>,
    sagsmapper: Vec<String>,
    bevillinger: Vec<String>,
    ydelser: Vec<String>,
    fordringer: Vec<String>,
    daekninger: Vec<String>,
    persons: u16,
    ids: u32,
}

impl ExtractBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.ids += 1;
        format!("{prefix}{}", self.ids)
    }

    /// A person with one sagsmappe handled by `sagsbehandler`; returns the CPR digits.
    pub fn person(&mut self, navn: &str, sagsbehandler: &str) -> String {
        self.persons += 1;
        let cpr = Cpr::synthetic(1 + (self.persons % 28) as u8, 3, 85, self.persons * 7).expect("cpr").digits();
        self.personer.push(format!("{cpr};{navn}"));
        self.sagsmapper.push(format!("SM-{cpr};{cpr};{sagsbehandler}"));
        cpr
    }

    /// An active bevilling of the person; returns its id.
    pub fn bevilling(&mut self, cpr: &str, bevillingstype: &str) -> String {
        let id = self.next_id("B");
        self.bevillinger.push(format!("{id};SM-{cpr};{bevillingstype};aktiv;2021-01-01;"));
        let ydelse = self.next_id("Y");
        self.ydelser.push(format!("{ydelse};{id};Kontanthjælp;1000,00"));
        id
    }

    /// A fordring lacking what `missing` says; returns its id.
    pub fn fordring(&mut self, cpr: &str, bevilling: &str, missing: &str) -> String {
        self.fordring_with_kravtype(cpr, bevilling, missing, "Tilbagebetaling af kontanthjælp")
    }

    pub fn fordring_with_kravtype(&mut self, cpr: &str, bevilling: &str, missing: &str, kravtype: &str) -> String {
        let id = self.next_id("F");
        let pick = |letter: char, value: &str| if missing.contains(letter) { String::new() } else { value.to_string() };
        let line = format!(
            "{id};{cpr};{};{};{};{};{};5000,00;2022-03-01",
            pick('B', bevilling),
            pick('R', &format!("YR-{id}")),
            pick('K', kravtype),
            pick('P', "LAS § 25"),
            pick('P', "LAS § 91"),
        );
        self.fordringer.push(line);
        id
    }

    pub fn daekning(&mut self, fordring: &str, beloeb: &str) -> String {
        let id = self.next_id("D");
        self.daekninger.push(format!("{id};{fordring};daekning;{beloeb};2023-01-10"));
        id
    }

    /// Writes the seven files (with headers) into `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let files: [(&str, &str, &Vec<String>); 7] = [
            ("personer.csv", "cpr;navn", &self.personer),
            ("sagsmapper.csv", "sagsmappe_id;cpr;sagsbehandler", &self.sagsmapper),
            ("bevillinger.csv", "bevilling_id;sagsmappe_id;bevillingstype;status;fra;til", &self.bevillinger),
            ("ydelser.csv", "ydelse_id;bevilling_id;ydelsesart;sats", &self.ydelser),
            ("udbetalinger.csv", "udbetaling_id;ydelse_id;dato;beloeb", &Vec::new()),
            (
                "fordringer.csv",
                "fordring_id;cpr;bevilling_id;ydelsesreference;kravtype;udbetalingsparagraf;tilbagebetalingsparagraf;hovedstol;stiftet",
                &self.fordringer,
            ),
            ("daekninger.csv", "daekning_id;fordring_id;art;beloeb;dato", &self.daekninger),
        ];
        for (name, header, rows) in files {
            let mut text = String::new();
            let _ = writeln!(text, "{header}");
            for row in rows {
                let _ = writeln!(text, "{row}");
            }
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }
}
