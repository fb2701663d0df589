//! Where to send the user after logging in: only a path on this site.
//!
//! The `next` parameter comes from the address bar, so anyone can write a link that logs the
//! victim in and then sends them on. Browsers are lenient with what they take for "another
//! site": `//evil.example`, `/\evil.example` (a backslash counts as a slash), `/\t/evil.example`
//! (tabs and newlines are dropped before parsing) and their percent-encoded forms all leave the
//! origin. So the rule is an allow-list: one leading `/`, then a path with no backslash, no
//! control or blank characters and no second leading slash — also after percent-decoding, in
//! case the value is decoded once more on its way (a form field, a redirect).

/// The path to go to, or `None` when `raw` is not plainly a path on this site. Letters beyond
/// ASCII come back percent-encoded, so the path is always a valid `Location` header.
pub fn safe_next_path(raw: &str) -> Option<String> {
    if raw.len() > MAX_LEN || !is_plain_path(raw) {
        return None;
    }
    // Decode until nothing changes (bounded): `%255C` is `%5C` is `\`.
    let mut decoded = raw.to_string();
    for _ in 0..3 {
        let next = percent_decode(&decoded)?;
        if next == decoded {
            break;
        }
        if !is_plain_path(&next) {
            return None;
        }
        decoded = next;
    }
    Some(encode_non_ascii(raw))
}

/// A value for a query string: everything but unreserved characters and `/` percent-encoded.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

const MAX_LEN: usize = 2_000;

fn encode_non_ascii(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn is_plain_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

/// `None` for a broken escape (`%zz`, or bytes that are not UTF-8): not a path we wrote.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_pass_unchanged() {
        for path in ["/", "/opgavepakker", "/opgavepakker/03?kommune=751", "/aendringsoensker/12#noter", "/s%C3%B8g"] {
            assert_eq!(safe_next_path(path).as_deref(), Some(path), "{path}");
        }
    }

    #[test]
    fn anything_a_browser_could_take_for_another_site_is_refused() {
        for attack in [
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "/\\\\evil.example",
            "\\\\evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%255Cevil.example",
            "/%2F/evil.example",
            "/%2Fevil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/%09/evil.example",
            "/%0A/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " /opgavepakker",
            "evil.example",
            "",
            "/%zz",
            "/%",
        ] {
            assert_eq!(safe_next_path(attack), None, "{attack:?}");
        }
    }

    #[test]
    fn letters_beyond_ascii_come_back_encoded() {
        assert_eq!(safe_next_path("/søg?q=æble").as_deref(), Some("/s%C3%B8g?q=%C3%A6ble"));
        assert_eq!(safe_next_path("/\u{3000}/evil.example"), None, "an ideographic space");
    }

    #[test]
    fn an_overlong_path_is_refused() {
        assert_eq!(safe_next_path(&format!("/{}", "a".repeat(MAX_LEN))), None);
    }

    #[test]
    fn a_query_value_keeps_slashes_and_escapes_the_rest() {
        assert_eq!(encode_query_value("/opgavepakker/03?kommune=751&x"), "/opgavepakker/03%3Fkommune%3D751%26x");
        assert_eq!(encode_query_value("/søg"), "/s%C3%B8g");
    }
}
