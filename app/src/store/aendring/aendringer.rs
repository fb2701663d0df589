//! Ændringsønsker: filing, reading, listing, status changes (optimistic, by version), events,
//! the kommuner that want an ændringsønske, and full-text search.

use crate::store::Conn;
use sqlx::{Database, Encode, QueryBuilder, Type};

#[derive(Clone, Debug, Default)]
pub struct NewAendring {
    pub key: String,
    /// The template's texts.
    pub text: TemplateText,
    pub kommune: u16,
    pub requester_id: Option<i64>,
    pub fagfaellesskab: String,
    pub status: String,
    pub theme: String,
    pub oeir: bool,
    pub legacy: bool,
    pub filed_at: String,
    pub closed_at: Option<String>,
    /// Folded, stemmed words for search (domain::aendring::text::search_terms).
    pub search_terms: String,
}

pub async fn insert(conn: &mut Conn, r: &NewAendring) -> Result<i64, sqlx::Error> {
    let id: i64 = on_each!(conn, |cx| {
        sqlx::query_scalar(
        "INSERT INTO aendring (key, titel, udfordring, ydelsesarter, omfang, workaround, aendring_type, beskrivelse,
                               minsupport_sagsid, kommune, requester_id, fagfaellesskab, status, theme, oeir, legacy,
                               filed_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(&r.key)
    .bind(&r.text.titel)
    .bind(&r.text.udfordring)
    .bind(&r.text.ydelsesarter)
    .bind(&r.text.omfang)
    .bind(&r.text.workaround)
    .bind(&r.text.aendring_type)
    .bind(&r.text.beskrivelse)
    .bind(&r.text.minsupport_sagsid)
    .bind(i64::from(r.kommune))
    .bind(r.requester_id)
    .bind(&r.fagfaellesskab)
    .bind(&r.status)
    .bind(&r.theme)
    .bind(r.oeir)
    .bind(r.legacy)
    .bind(&r.filed_at)
    .bind(&r.closed_at)
    .fetch_one(cx).await
    })?;
    add_kommune(conn, id, r.kommune, None).await?;
    on_each!(conn, |cx| sqlx::query("INSERT INTO aendring_search (rowid, terms) VALUES ($1, $2)")
        .bind(id)
        .bind(&r.search_terms)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(id)
}

pub async fn exists_key(conn: &mut Conn, key: &str) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM aendring WHERE key = $1)")
        .bind(key)
        .fetch_one(cx)
        .await)
}

/// The next key of the year: `AE-2026-05012`. New-process keys start at 05001, above the
/// legacy pool's numbers.
pub async fn next_key(conn: &mut Conn, year: i32) -> Result<String, sqlx::Error> {
    let max: Option<i64> = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT max(CAST(substr(key, 9) AS BIGINT)) FROM aendring WHERE key LIKE $1"
    )
    .bind(format!("AE-{year}-%"))
    .fetch_one(cx)
    .await)?;
    Ok(format!("AE-{year}-{:05}", max.unwrap_or(0).max(5_000) + 1))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AendringRow {
    pub id: i64,
    pub key: String,
    pub titel: String,
    pub udfordring: String,
    pub ydelsesarter: String,
    pub omfang: String,
    pub workaround: String,
    pub aendring_type: String,
    pub beskrivelse: String,
    pub minsupport_sagsid: Option<String>,
    pub kommune: i64,
    pub requester_id: Option<i64>,
    pub fagfaellesskab: String,
    pub status: String,
    pub theme: String,
    pub oeir: bool,
    pub legacy: bool,
    pub duplicate_of: Option<i64>,
    pub filed_at: String,
    pub closed_at: Option<String>,
    pub estimate_hours: Option<i64>,
    pub estimate_note: Option<String>,
    pub decision_note: Option<String>,
    /// The leverandør's changeboard assessment: solution options, feasibility key, by, at.
    pub vurdering_loesning: Option<String>,
    pub vurdering_gennemfoerlighed: Option<String>,
    pub vurdering_by: Option<String>,
    pub vurdering_at: Option<String>,
    pub version: i64,
    /// How many kommuner want it (the requester's and merged duplicates').
    pub kommuner: i64,
}

const SELECT: &str =
    "SELECT a.id, a.key, a.titel, a.udfordring, a.ydelsesarter, a.omfang, a.workaround, a.aendring_type,
        a.beskrivelse, a.minsupport_sagsid, a.kommune, a.requester_id, a.fagfaellesskab, a.status, a.theme, a.oeir,
        a.legacy, a.duplicate_of, a.filed_at, a.closed_at, a.estimate_hours, a.estimate_note, a.decision_note,
        a.vurdering_loesning, a.vurdering_gennemfoerlighed, a.vurdering_by, a.vurdering_at, a.version, (SELECT count(*) FROM aendring_kommune k WHERE k.aendring_id = a.id) AS kommuner
     FROM aendring a";

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<AendringRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1")))
        .bind(id)
        .fetch_optional(cx)
        .await)
}

/// (id, filed at) of every ændringsønske in one of `statuses`, scored or not.
pub async fn ids_in_statuses(conn: &mut Conn, statuses: &[&str]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    on_each!(conn, |cx| {
        let mut qb = QueryBuilder::new("SELECT id, filed_at FROM aendring WHERE status IN ");
        crate::store::push_list(&mut qb, statuses.iter().map(|s| s.to_string()));
        qb.push(" ORDER BY id");
        qb.build_query_as().fetch_all(cx).await
    })
}

pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<AendringRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    on_each!(conn, |cx| {
        let mut qb = QueryBuilder::new(format!("{SELECT} WHERE a.id IN "));
        crate::store::push_list(&mut qb, ids.iter().copied());
        qb.build_query_as().fetch_all(cx).await
    })
}

/// What a list shows; `None` = any.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub statuses: Vec<String>,
    pub kommune: Option<u16>,
    pub legacy: Option<bool>,
    pub oeir: Option<bool>,
    pub theme: Option<String>,
    pub fagfaellesskab: Option<String>,
    /// Closed ændringsønsker closed before this date are left out (kommune users' 30-day rule).
    pub closed_after: Option<String>,
    /// Only these (a full-text search's matches).
    pub ids: Option<Vec<i64>>,
    pub aendring_type: Option<String>,
    /// Filed before this date (how old).
    pub filed_before: Option<String>,
    /// With (`Some(true)`) or without the leverandør's changeboard assessment.
    pub assessed: Option<bool>,
    /// With or without the leverandør's estimate.
    pub estimated: Option<bool>,
    /// Those on which this scorer has not yet scored every one of these criteria.
    pub owed_by: Option<(i64, Vec<String>)>,
    pub sort: ListSort,
    pub limit: i64,
    pub offset: i64,
}

/// A list's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListSort {
    #[default]
    Newest,
    Oldest,
    MostKommuner,
    Titel,
}

impl ListSort {
    fn sql(self) -> &'static str {
        match self {
            ListSort::Newest => " ORDER BY a.filed_at DESC, a.id DESC",
            ListSort::Oldest => " ORDER BY a.filed_at, a.id",
            ListSort::MostKommuner => " ORDER BY kommuner DESC, a.filed_at, a.id",
            ListSort::Titel => " ORDER BY a.titel COLLATE NOCASE, a.id",
        }
    }
}

/// The filter's WHERE clause, for either database.
fn push_filter<DB: Database>(qb: &mut QueryBuilder<DB>, f: &Filter)
where
    for<'t> String: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> bool: Encode<'t, DB> + Type<DB>,
{
    qb.push(" WHERE 1 = 1");
    if !f.statuses.is_empty() {
        qb.push(" AND a.status IN (");
        let mut sep = qb.separated(", ");
        for s in &f.statuses {
            sep.push_bind(s.clone());
        }
        qb.push(")");
    }
    if let Some(k) = f.kommune {
        qb.push(" AND EXISTS (SELECT 1 FROM aendring_kommune k WHERE k.aendring_id = a.id AND k.kommune = ")
            .push_bind(i64::from(k))
            .push(")");
    }
    if let Some(l) = f.legacy {
        qb.push(" AND a.legacy = ").push_bind(l);
    }
    if let Some(o) = f.oeir {
        qb.push(" AND a.oeir = ").push_bind(o);
    }
    if let Some(t) = &f.theme {
        qb.push(" AND a.theme = ").push_bind(t.clone());
    }
    if let Some(ff) = &f.fagfaellesskab {
        qb.push(" AND a.fagfaellesskab = ").push_bind(ff.clone());
    }
    if let Some(after) = &f.closed_after {
        qb.push(" AND (a.closed_at IS NULL OR a.closed_at >= ").push_bind(after.clone()).push(")");
    }
    if let Some(ids) = &f.ids {
        // An empty list matches nothing (`IN (NULL)`).
        qb.push(" AND a.id IN (NULL");
        for id in ids {
            qb.push(", ").push_bind(*id);
        }
        qb.push(")");
    }
    if let Some(t) = &f.aendring_type {
        qb.push(" AND a.aendring_type = ").push_bind(t.clone());
    }
    if let Some(before) = &f.filed_before {
        qb.push(" AND a.filed_at < ").push_bind(before.clone());
    }
    if let Some(assessed) = f.assessed {
        qb.push(if assessed { " AND a.vurdering_at IS NOT NULL" } else { " AND a.vurdering_at IS NULL" });
    }
    if let Some(estimated) = f.estimated {
        qb.push(if estimated { " AND a.estimate_hours IS NOT NULL" } else { " AND a.estimate_hours IS NULL" });
    }
    if let Some((scorer, criteria)) = &f.owed_by {
        qb.push(" AND (SELECT count(*) FROM score s WHERE s.aendring_id = a.id AND s.scorer_id = ")
            .push_bind(*scorer)
            .push(" AND s.criterion IN (NULL");
        for criterion in criteria {
            qb.push(", ").push_bind(criterion.clone());
        }
        qb.push(")) < ").push_bind(criteria.len() as i64);
    }
}

pub async fn list(conn: &mut Conn, f: &Filter) -> Result<(Vec<AendringRow>, i64), sqlx::Error> {
    let rows = on_each!(conn, |cx| {
        let mut qb = QueryBuilder::new(SELECT);
        push_filter(&mut qb, f);
        qb.push(f.sort.sql());
        qb.push(" LIMIT ").push_bind(f.limit.max(1)).push(" OFFSET ").push_bind(f.offset.max(0));
        qb.build_query_as().fetch_all(cx).await
    })?;
    let total: i64 = on_each!(conn, |cx| {
        let mut qb = QueryBuilder::new("SELECT count(*) FROM aendring a");
        push_filter(&mut qb, f);
        qb.build_query_scalar().fetch_one(cx).await
    })?;
    Ok((rows, total))
}

/// Ids of all ændringsønsker matching the filter (for bulk actions).
pub async fn ids(conn: &mut Conn, f: &Filter) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| {
        let mut qb = QueryBuilder::new("SELECT a.id FROM aendring a");
        push_filter(&mut qb, f);
        qb.push(" ORDER BY a.id");
        qb.build_query_scalar().fetch_all(cx).await
    })
}

/// Themes with their number of ændringsønsker (legacy pool review).
pub async fn themes(conn: &mut Conn, legacy: bool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT theme, count(*) FROM aendring WHERE legacy = $1 GROUP BY theme ORDER BY count(*) DESC"
    )
    .bind(legacy)
    .fetch_all(cx)
    .await)
}

/// Moves an ændringsønske from `from` to `to` if nobody changed it since `version`.
pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    version: i64,
    from: &str,
    to: &str,
    closed_at: Option<&str>,
    note: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE aendring SET status = $1, closed_at = $2, decision_note = coalesce($3, decision_note), version = version + 1
         WHERE id = $4 AND version = $5 AND status = $6",
    )
    .bind(to)
    .bind(closed_at)
    .bind(note)
    .bind(id)
    .bind(version)
    .bind(from)
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn set_duplicate_of(conn: &mut Conn, id: i64, original: i64) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE aendring SET duplicate_of = $1 WHERE id = $2")
        .bind(original)
        .bind(id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// A history line without a status change (an estimate, an assessment, a routing).
pub async fn record_note(
    conn: &mut Conn,
    id: i64,
    at: &str,
    actor: &str,
    action: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    record_event(conn, id, NewEvent { at, actor, action, from: None, to: None, note }).await
}

pub async fn set_estimate(conn: &mut Conn, id: i64, hours: i64, note: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "UPDATE aendring SET estimate_hours = $1, estimate_note = $2, version = version + 1 WHERE id = $3"
    )
    .bind(hours)
    .bind(note)
    .bind(id)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Records the leverandør's changeboard assessment (replacing an earlier one), guarded by the
/// version the leverandør saw; `false` when someone changed the ændringsønske in between.
pub async fn set_assessment(
    conn: &mut Conn,
    id: i64,
    version: i64,
    loesning: &str,
    gennemfoerlighed: &str,
    by: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    Ok(on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE aendring SET vurdering_loesning = $1, vurdering_gennemfoerlighed = $2, vurdering_by = $3, vurdering_at = $4,
                             version = version + 1
         WHERE id = $5 AND version = $6",
    )
    .bind(loesning)
    .bind(gennemfoerlighed)
    .bind(by)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(cx).await.map(|r| r.rows_affected())
    })? == 1)
}

/// KOMBIT's routing during visitering: fagfællesskab, theme and ØIR membership, guarded by the
/// version KOMBIT saw.
pub async fn set_routing(
    conn: &mut Conn,
    id: i64,
    version: i64,
    fagfaellesskab: &str,
    theme: &str,
    oeir: bool,
) -> Result<bool, sqlx::Error> {
    Ok(on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE aendring SET fagfaellesskab = $1, theme = $2, oeir = $3, version = version + 1 WHERE id = $4 AND version = $5",
    )
    .bind(fagfaellesskab)
    .bind(theme)
    .bind(oeir)
    .bind(id)
    .bind(version)
    .execute(cx).await.map(|r| r.rows_affected())
    })? == 1)
}

/// Sets the theme (and with it the ØIR list membership) of ændringsønsker.
pub async fn set_theme(conn: &mut Conn, ids: &[i64], theme: &str, oeir: bool) -> Result<u64, sqlx::Error> {
    let mut n = 0;
    for id in ids {
        n += on_each!(conn, |cx| sqlx::query(
            "UPDATE aendring SET theme = $1, oeir = $2, version = version + 1 WHERE id = $3"
        )
        .bind(theme)
        .bind(oeir)
        .bind(id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(n)
}

/// The template's texts of an ændringsønske, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct TemplateText {
    pub titel: String,
    pub udfordring: String,
    pub ydelsesarter: String,
    pub omfang: String,
    pub workaround: String,
    pub aendring_type: String,
    pub beskrivelse: String,
    pub minsupport_sagsid: Option<String>,
}

impl AendringRow {
    pub fn template_text(&self) -> TemplateText {
        TemplateText {
            titel: self.titel.clone(),
            udfordring: self.udfordring.clone(),
            ydelsesarter: self.ydelsesarter.clone(),
            omfang: self.omfang.clone(),
            workaround: self.workaround.clone(),
            aendring_type: self.aendring_type.clone(),
            beskrivelse: self.beskrivelse.clone(),
            minsupport_sagsid: self.minsupport_sagsid.clone(),
        }
    }
}

/// One kept version of the template text.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TextVersionRow {
    pub nr: i64,
    pub at: String,
    pub by_name: String,
    #[sqlx(flatten)]
    pub text: TemplateText,
}

/// Every kept version of an ændringsønske's text, oldest first (none until it first changes).
pub async fn text_versions(conn: &mut Conn, id: i64) -> Result<Vec<TextVersionRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT nr, at, by_name, titel, udfordring, ydelsesarter, omfang, workaround, aendring_type, beskrivelse,
                minsupport_sagsid
         FROM aendring_tekst WHERE aendring_id = $1 ORDER BY nr",
    )
    .bind(id)
    .fetch_all(cx)
    .await)
}

/// Keeps `text` as the ændringsønske's next version.
pub async fn keep_text_version(
    conn: &mut Conn,
    id: i64,
    at: &str,
    by: &str,
    text: &TemplateText,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO aendring_tekst (aendring_id, nr, at, by_name, titel, udfordring, ydelsesarter, omfang, workaround,
                                     aendring_type, beskrivelse, minsupport_sagsid)
         VALUES ($1, (SELECT coalesce(max(nr), 0) + 1 FROM aendring_tekst WHERE aendring_id = $2), $3, $4, $5, $6, $7, $8, $9, $10,
                 $11, $12)",
    )
    .bind(id)
    .bind(id)
    .bind(at)
    .bind(by)
    .bind(&text.titel)
    .bind(&text.udfordring)
    .bind(&text.ydelsesarter)
    .bind(&text.omfang)
    .bind(&text.workaround)
    .bind(&text.aendring_type)
    .bind(&text.beskrivelse)
    .bind(&text.minsupport_sagsid)
    .execute(cx).await.map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Replaces the template text of a returned ændringsønske (an elaboration) and its search terms.
/// (Its version moves with the status change that goes with it.)
pub async fn update_template(conn: &mut Conn, id: i64, t: &TemplateText, terms: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE aendring SET titel = $1, udfordring = $2, ydelsesarter = $3, omfang = $4, workaround = $5, aendring_type = $6,
                             beskrivelse = $7, minsupport_sagsid = $8
         WHERE id = $9",
    )
    .bind(&t.titel)
    .bind(&t.udfordring)
    .bind(&t.ydelsesarter)
    .bind(&t.omfang)
    .bind(&t.workaround)
    .bind(&t.aendring_type)
    .bind(&t.beskrivelse)
    .bind(&t.minsupport_sagsid)
    .bind(id)
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    on_each!(conn, |cx| sqlx::query("UPDATE aendring_search SET terms = $1 WHERE rowid = $2")
        .bind(terms)
        .bind(id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

pub async fn add_kommune(conn: &mut Conn, id: i64, kommune: u16, via: Option<i64>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO aendring_kommune (aendring_id, kommune, via, user_id)
         VALUES ($1, $2, $3, (SELECT requester_id FROM aendring WHERE id = $4)) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(i64::from(kommune))
    .bind(via)
    .bind(via)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// "Vi har også behovet": the kommune joins the ændringsønske with `user_id` answering for it.
pub async fn join(conn: &mut Conn, id: i64, kommune: u16, user_id: i64, at: &str) -> Result<bool, sqlx::Error> {
    Ok(on_each!(conn, |cx| sqlx::query(
        "INSERT INTO aendring_kommune (aendring_id, kommune, via, user_id, joined_at) VALUES ($1, $2, NULL, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(i64::from(kommune))
    .bind(user_id)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

pub async fn kommuner(conn: &mut Conn, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT kommune FROM aendring_kommune WHERE aendring_id = $1 ORDER BY kommune"
    )
    .bind(id)
    .fetch_all(cx)
    .await)
}

/// Who answers for each kommune that wants the ændringsønske: the requester for the filing
/// kommune, the joining user (or the merged duplicate's requester) for the others; `None` when
/// nobody does (legacy ændringsønsker).
pub async fn responsible(conn: &mut Conn, id: i64) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT k.kommune, CASE WHEN k.kommune = a.kommune THEN a.requester_id ELSE k.user_id END
         FROM aendring_kommune k JOIN aendring a ON a.id = k.aendring_id
         WHERE k.aendring_id = $1 ORDER BY k.kommune = a.kommune DESC, k.kommune",
    )
    .bind(id)
    .fetch_all(cx)
    .await)
}

/// Hands a kommune's ændringsønsker from one support user to another (people leave): the ones
/// filed by `from` and the ones `from` joined for the kommune. Returns the keys moved.
pub async fn hand_over(conn: &mut Conn, kommune: u16, from: i64, to: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let moved: Vec<(i64, String)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT a.id, a.key FROM aendring a WHERE a.kommune = $1 AND a.requester_id = $2
         UNION
         SELECT a.id, a.key FROM aendring_kommune k JOIN aendring a ON a.id = k.aendring_id
         WHERE k.kommune = $3 AND k.user_id = $4 AND a.kommune <> k.kommune
         ORDER BY 1",
    )
    .bind(i64::from(kommune))
    .bind(from)
    .bind(i64::from(kommune))
    .bind(from)
    .fetch_all(cx)
    .await)?;
    on_each!(conn, |cx| sqlx::query(
        "UPDATE aendring SET requester_id = $1, version = version + 1 WHERE kommune = $2 AND requester_id = $3"
    )
    .bind(to)
    .bind(i64::from(kommune))
    .bind(from)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query("UPDATE aendring_kommune SET user_id = $1 WHERE kommune = $2 AND user_id = $3")
        .bind(to)
        .bind(i64::from(kommune))
        .bind(from)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(moved)
}

/// The kommune's ændringsønsker nobody answers for by name (legacy ones without a requester).
pub async fn count_unowned(conn: &mut Conn, kommune: u16) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM aendring WHERE kommune = $1 AND requester_id IS NULL")
        .bind(i64::from(kommune))
        .fetch_one(cx)
        .await)
}

/// How many ændringsønsker each support user of a kommune answers for: (user id, count).
pub async fn responsibility_counts(conn: &mut Conn, kommune: u16) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT user_id, count(*) FROM (
             SELECT requester_id AS user_id FROM aendring WHERE kommune = $1 AND requester_id IS NOT NULL
             UNION ALL
             SELECT k.user_id FROM aendring_kommune k JOIN aendring a ON a.id = k.aendring_id
             WHERE k.kommune = $2 AND k.user_id IS NOT NULL AND a.kommune <> k.kommune) AS answering
         GROUP BY user_id",
    )
    .bind(i64::from(kommune))
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: String,
}

/// One step in an ændringsønske's history.
#[derive(Clone, Copy, Debug)]
pub struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub note: &'a str,
}

pub async fn record_event(conn: &mut Conn, id: i64, e: NewEvent<'_>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO aendring_event (aendring_id, at, actor, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(e.at)
    .bind(e.actor)
    .bind(e.action)
    .bind(e.from)
    .bind(e.to)
    .bind(e.note)
    .execute(cx).await.map(|r| r.rows_affected()))
    .map(|_| ())
}

pub async fn events(conn: &mut Conn, id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT at, actor, action, from_status, to_status, note FROM aendring_event WHERE aendring_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(cx)
    .await)
}

/// Full-text search: the best matches for an FTS5 query (domain::aendring::text::fts_query).
pub async fn search(conn: &mut Conn, fts_query: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(if PG {
        // The same terms in a GIN-indexed tsvector (app/migrations_pg/README.md).
        "SELECT rowid FROM aendring_search, arbejdsbord_tsquery($1) AS q
             WHERE tsv @@ q ORDER BY ts_rank(tsv, q, 1) DESC, rowid LIMIT $2"
    } else {
        "SELECT rowid FROM aendring_search WHERE aendring_search MATCH $1 ORDER BY rank LIMIT $2"
    })
    .bind(fts_query)
    .bind(limit)
    .fetch_all(cx)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AppealRow {
    pub id: i64,
    pub aendring_id: i64,
    pub kommune: i64,
    pub user_id: i64,
    pub sagsid: String,
    pub reason: String,
    pub at: String,
    /// `fasthold` or `genoptag` once KOMBIT has decided.
    pub decision: Option<String>,
    pub reply: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

const APPEAL: &str =
    "SELECT id, aendring_id, kommune, user_id, sagsid, reason, at, decision, reply, decided_by, decided_at
                      FROM appeal";

/// Every kommune's appeal of one ændringsønske, oldest first.
pub async fn appeals(conn: &mut Conn, aendring_id: i64) -> Result<Vec<AppealRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("{APPEAL} WHERE aendring_id = $1 ORDER BY at, id")))
        .bind(aendring_id)
        .fetch_all(cx)
        .await)
}

pub async fn appeal_by_id(conn: &mut Conn, id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("{APPEAL} WHERE id = $1")))
        .bind(id)
        .fetch_optional(cx)
        .await)
}

/// KOMBIT's queue: the undecided appeals oldest first, then the ones decided in the last 30 days.
pub async fn appeal_queue(conn: &mut Conn, decided_since: &str) -> Result<Vec<AppealRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{APPEAL} WHERE decision IS NULL OR decided_at >= $1 ORDER BY decision IS NOT NULL, at, id"
    )))
    .bind(decided_since)
    .fetch_all(cx)
    .await)
}

pub async fn count_undecided_appeals(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM appeal WHERE decision IS NULL").fetch_one(cx).await)
}

/// Records KOMBIT's decision; `false` when the appeal was decided already (by someone else).
pub async fn decide_appeal(
    conn: &mut Conn,
    id: i64,
    decision: &str,
    reply: &str,
    by: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    Ok(on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE appeal SET decision = $1, reply = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND decision IS NULL",
    )
    .bind(decision)
    .bind(reply)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(cx).await.map(|r| r.rows_affected())
    })? == 1)
}

pub async fn insert_appeal(
    conn: &mut Conn,
    id: i64,
    kommune: u16,
    user_id: i64,
    sagsid: &str,
    reason: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO appeal (aendring_id, kommune, user_id, sagsid, reason, at) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(id)
    .bind(i64::from(kommune))
    .bind(user_id)
    .bind(sagsid)
    .bind(reason)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

pub async fn ids_by_key(conn: &mut Conn, key: &str) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT id FROM aendring WHERE key = $1 COLLATE NOCASE")
        .bind(key)
        .fetch_all(cx)
        .await)
}

/// Ændringsønsker per status under the same filter a list uses (its statuses, limit and offset
/// aside), so a status tab counts what it lists.
pub async fn status_counts(conn: &mut Conn, f: &Filter) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let f = Filter { statuses: Vec::new(), ..f.clone() };
    on_each!(conn, |cx| {
        let mut qb = QueryBuilder::new("SELECT a.status, count(*) FROM aendring a");
        push_filter(&mut qb, &f);
        qb.push(" GROUP BY a.status");
        qb.build_query_as().fetch_all(cx).await
    })
}

/// Legacy ændringsønsker still waiting (visitering), per theme, ØIR ones apart.
pub async fn open_legacy_themes(conn: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT theme, count(*) FROM aendring WHERE legacy AND NOT oeir AND status = 'visitering'
         GROUP BY theme ORDER BY count(*) DESC, theme",
    )
    .fetch_all(cx)
    .await)
}
