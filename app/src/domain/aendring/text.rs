//! Danish-aware full-text search of ændringsønsker: the terms stored in the SQLite FTS5 column
//! and the MATCH expression built from what a user types. Both sides go through the same
//! `search_terms` pipeline (tokenize → drop stop words → Danish stem → fold → loosen), so
//! "ledighedsydelsen" finds "ledighedsydelser" and "okonomi" finds "Økonomi".

use rust_stemmers::{Algorithm, Stemmer};

/// Bounds the MATCH expression, so a pasted page of text cannot make a slow query.
pub const MAX_QUERY_TERMS: usize = 12;

/// Common Danish words that say nothing about an ændringsønske (Snowball's Danish list and a few more).
const STOP_WORDS: &[&str] = &[
    "ad", "af", "alle", "alt", "anden", "at", "blev", "blive", "bliver", "da", "de", "dem", "den", "denne", "der",
    "deres", "det", "dette", "dig", "din", "dog", "du", "efter", "eller", "en", "end", "er", "et", "for", "fra", "ham",
    "han", "hans", "har", "havde", "have", "hende", "hendes", "her", "hos", "hun", "hvad", "hvis", "hvor", "i", "ikke",
    "ind", "jeg", "jer", "jo", "kan", "kunne", "man", "mange", "med", "meget", "men", "mig", "min", "mine", "mit",
    "mod", "ned", "noget", "nogle", "nu", "når", "og", "også", "om", "op", "os", "over", "på", "selv", "sig", "sin",
    "sine", "sit", "skal", "skulle", "som", "sådan", "thi", "til", "ud", "under", "var", "vi", "vil", "ville", "vor",
    "være", "været",
];

/// Lowercases and folds Danish letters and diacritics to ASCII: æ→ae, ø→oe, å→aa, é→e, ü→u, ß→ss.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' | 'ǽ' => out.push_str("ae"),
            'ø' | 'ǿ' | 'œ' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ß' => out.push_str("ss"),
            'þ' => out.push_str("th"),
            _ => out.push(strip_diacritic(c)),
        }
    }
    out
}

/// Latin letters with diacritics as their base letter; anything else unchanged. A table
/// instead of Unicode decomposition keeps the browser bundle free of normalization tables.
fn strip_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => 'c',
        'ď' | 'đ' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ķ' => 'k',
        'ł' | 'ľ' | 'ļ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ő' => 'o',
        'ŕ' | 'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

/// Collapses the spellings of the Danish letters once folded (ae/a, oe/o, aa/a), because users
/// without a Danish keyboard write "okonomi" as often as "oekonomi". Index and query both go
/// through it, so the only cost is a rare extra hit.
fn loosen(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!((c, chars.peek()), ('a', Some('e' | 'a')) | ('o', Some('e'))) {
            chars.next();
        }
    }
    out
}

/// The Danish Snowball stem of one word, folded. The stemmer runs on the lowercase word with
/// æøå intact, since its suffix rules and vowel classes are written for them.
pub fn stem(word: &str) -> String {
    stem_with(&Stemmer::create(Algorithm::Danish), word)
}

fn stem_with(stemmer: &Stemmer, word: &str) -> String {
    fold(&stemmer.stem(&word.to_lowercase()))
}

fn terms(text: &str) -> impl Iterator<Item = String> {
    let stemmer = Stemmer::create(Algorithm::Danish);
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|t| t.chars().count() >= 2 && !STOP_WORDS.contains(&t.as_str()))
        .map(move |t| loosen(&stem_with(&stemmer, &t)))
}

/// The text to store in the FTS column: the search terms of `text`, space separated.
pub fn search_terms(text: &str) -> String {
    terms(text).collect::<Vec<_>>().join(" ")
}

/// An FTS5 MATCH expression for what the user typed: each distinct term as a quoted prefix
/// (`"term"*`), joined with OR; `None` when nothing searchable is left. Terms only hold
/// alphanumerics, and quotes are doubled anyway, so user input can never change the syntax.
pub fn fts_query(user_input: &str) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    for t in terms(user_input) {
        if !seen.contains(&t) {
            seen.push(t);
        }
        if seen.len() == MAX_QUERY_TERMS {
            break;
        }
    }
    if seen.is_empty() {
        return None;
    }
    let quoted: Vec<String> = seen.iter().map(|t| format!("\"{}\"*", t.replace('"', "\"\""))).collect();
    Some(quoted.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_turns_danish_letters_and_diacritics_into_ascii() {
        let table = [
            ("Økonomi", "oekonomi"),
            ("Ærø", "aeroe"),
            ("Århus", "aarhus"),
            ("Café Müller", "cafe muller"),
            ("Söderström", "soderstrom"),
            ("Straße", "strasse"),
            ("SAG-123", "sag-123"),
        ];
        for (input, expected) in table {
            assert_eq!(fold(input), expected, "{input}");
        }
    }

    #[test]
    fn inflections_of_ledighedsydelse_share_one_stem() {
        let expected = stem("ledighedsydelse");
        assert_eq!(stem("ledighedsydelsen"), expected);
        assert_eq!(stem("Ledighedsydelser"), expected);
        assert_eq!(stem("ledighedsydelserne"), expected);
    }

    #[test]
    fn oekonomisk_matches_however_the_oe_is_typed() {
        let expected = search_terms("Økonomisk");
        assert_eq!(search_terms("okonomisk"), expected);
        assert_eq!(search_terms("oekonomisk"), expected);
        assert_eq!(search_terms("ØKONOMISK"), expected);
        assert_eq!(fold("Økonomisk"), fold("oekonomisk"));
    }

    #[test]
    fn search_terms_drop_stop_words_and_one_letter_tokens() {
        assert_eq!(search_terms("Det er ikke muligt at se en fordring i KY"), "mul se fordring ky");
        assert_eq!(search_terms("  ,.;  "), "");
    }

    #[test]
    fn a_query_is_quoted_prefix_terms_joined_with_or() {
        assert_eq!(fts_query("Modregning af fordringer").as_deref(), Some("\"modregning\"* OR \"fordring\"*"));
        assert_eq!(fts_query("og i at"), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn user_input_cannot_break_the_fts_syntax() {
        let q = fts_query(r#"a" OR x NEAR(y) "*^:-"#).unwrap();
        assert_eq!(q, "\"or\"* OR \"near\"*");
        for hostile in [r#"""""#, r#"") OR ("#, "*", "NOT", "col:term", "\u{0}"] {
            if let Some(q) = fts_query(hostile) {
                let inner: String =
                    q.split(" OR ").map(|t| t.trim_start_matches('"').trim_end_matches("\"*")).collect();
                assert!(inner.chars().all(char::is_alphanumeric), "{hostile:?} gave {q}");
            }
        }
    }

    #[test]
    fn a_long_query_is_cut_to_the_maximum_number_of_terms() {
        let text: Vec<String> = (0..40).map(|i| format!("ord{i}")).collect();
        assert_eq!(fts_query(&text.join(" ")).unwrap().matches(" OR ").count(), MAX_QUERY_TERMS - 1);
    }
}
