//! How the Credentials list compares and searches text, as the window did in
//! JavaScript: sorting like `Intl.Collator(undefined, { sensitivity: 'base',
//! numeric: true })` and searching like `text.toLowerCase().includes(query
//! .trim().toLowerCase())`.
//!
//! The order is Unicode's root collation at primary strength: case and
//! accents are ignored ("cafe" = "Café"), runs of digits compare as numbers
//! ("API 9" < "API 10"), and spaces < punctuation < symbols < currency <
//! digits < letters. ASCII punctuation follows the root collation's own
//! sequence; other characters keep code point order within their group.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::props::GeneralCategory as Gc;
use icu_properties::CodePointMapData;
use std::cmp::Ordering;

/// ASCII spaces, punctuation, symbols and currency in root collation order.
const ASCII_ORDER: &[u8] = b"\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

const SPACE: u32 = 1 << 24;
const PUNCTUATION: u32 = 2 << 24;
const SYMBOL: u32 = 3 << 24;
const CURRENCY: u32 = 4 << 24;
const DIGIT: u32 = 5 << 24;
const LETTER: u32 = 6 << 24;
/// Non-ASCII characters of a group come after its ASCII ones.
const BEYOND_ASCII: u32 = 0x100;

/// The weight of each ASCII character other than a digit (0: ignored).
const ASCII_WEIGHTS: [u32; 128] = {
    let mut table = [0u32; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphabetic() { LETTER | (b as u8).to_ascii_lowercase() as u32 } else { 0 };
        b += 1;
    }
    let mut rank = 0;
    while rank < ASCII_ORDER.len() {
        let c = ASCII_ORDER[rank];
        let group = match c {
            b'\t'..=b'\r' | b' ' => SPACE,
            b'`' | b'^' | b'+' | b'<' | b'=' | b'>' | b'|' | b'~' => SYMBOL,
            b'$' => CURRENCY,
            _ => PUNCTUATION,
        };
        table[c as usize] = group | rank as u32;
        rank += 1;
    }
    table
};

/// Letters that root collation treats as a base letter (or two) at primary strength.
fn fold_letter(c: char, out: &mut Vec<u32>) -> bool {
    let base: &str = match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' => "d",
        'ł' => "l",
        'ħ' => "h",
        'ς' => "σ",
        _ => return false,
    };
    out.extend(base.chars().map(|b| LETTER | b as u32));
    true
}

/// Appends the primary weights of `text` to `out` (cleared first).
pub fn key_into(text: &str, out: &mut Vec<u32>) {
    out.clear();
    if text.is_ascii() {
        ascii_key(text.as_bytes(), out);
    } else {
        unicode_key(text, out);
    }
}

/// The primary weights of `text`: comparing two keys compares the texts.
pub fn key(text: &str) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len() + 2);
    key_into(text, &mut out);
    out
}

/// Compares two texts in the list's order.
pub fn compare(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b))
}

/// Whether `text` comes before `key` (`Less`), after it, or is equal to it:
/// as `self::key(text).cmp(key)`, stopping at the first difference.
pub fn compare_to_key(text: &str, key: &[u32]) -> Ordering {
    if !text.is_ascii() {
        return self::key(text).as_slice().cmp(key);
    }
    let mut at = 0;
    let mut order = Ordering::Equal;
    ascii_weights(text.as_bytes(), &mut |w| match key.get(at) {
        Some(&k) if k == w => {
            at += 1;
            true
        }
        Some(&k) => {
            order = w.cmp(&k);
            false
        }
        None => {
            order = Ordering::Greater;
            false
        }
    });
    if order == Ordering::Equal && at < key.len() {
        Ordering::Less
    } else {
        order
    }
}

/// A run of ASCII digits as a number: its count of significant digits, then them.
/// `emit` returns false to stop; so does this function then.
fn number_weights(digits: &[u8], emit: &mut impl FnMut(u32) -> bool) -> bool {
    let significant = digits.iter().position(|&d| d != b'0').map_or(&digits[digits.len()..], |i| &digits[i..]);
    emit(DIGIT | significant.len().min(0xff) as u32) && significant.iter().all(|&d| emit(DIGIT | u32::from(d - b'0')))
}

fn ascii_key(bytes: &[u8], out: &mut Vec<u32>) {
    ascii_weights(bytes, &mut |w| {
        out.push(w);
        true
    });
}

/// Emits the weights of ASCII `bytes` until `emit` returns false.
fn ascii_weights(bytes: &[u8], emit: &mut impl FnMut(u32) -> bool) {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let end = bytes[i..].iter().position(|d| !d.is_ascii_digit()).map_or(bytes.len(), |n| i + n);
            if !number_weights(&bytes[i..end], emit) {
                return;
            }
            i = end;
            continue;
        }
        let w = ASCII_WEIGHTS[usize::from(b & 0x7f)];
        if w != 0 && !emit(w) {
            return;
        }
        i += 1;
    }
}

fn unicode_key(text: &str, out: &mut Vec<u32>) {
    const NFD: DecomposingNormalizerBorrowed<'static> = DecomposingNormalizerBorrowed::new_nfd();
    let categories = CodePointMapData::<Gc>::new();
    let mut digits: Vec<u8> = Vec::new();
    for c in NFD.normalize_iter(text.chars()) {
        if c.is_ascii_digit() {
            digits.push(c as u8);
            continue;
        }
        if !digits.is_empty() {
            ascii_key(&digits, out);
            digits.clear();
        }
        if c.is_ascii() {
            ascii_key(&[c as u8], out);
            continue;
        }
        let group = match categories.get(c) {
            Gc::NonspacingMark | Gc::EnclosingMark | Gc::Control | Gc::Format | Gc::Surrogate => continue,
            Gc::SpaceSeparator | Gc::LineSeparator | Gc::ParagraphSeparator => SPACE,
            Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::ConnectorPunctuation
            | Gc::OtherPunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation => PUNCTUATION,
            Gc::MathSymbol | Gc::ModifierSymbol | Gc::OtherSymbol => SYMBOL,
            Gc::CurrencySymbol => CURRENCY,
            Gc::DecimalNumber => DIGIT,
            _ => LETTER,
        };
        if group == LETTER {
            for l in c.to_lowercase() {
                if !fold_letter(l, out) {
                    out.push(LETTER | l as u32);
                }
            }
        } else {
            out.push(group | BEYOND_ASCII | c as u32);
        }
    }
    if !digits.is_empty() {
        ascii_key(&digits, out);
    }
}

/// JavaScript's `String.prototype.trim`: white space and line terminators
/// (which include U+FEFF and exclude U+0085, unlike Rust's `trim`).
pub fn js_trim(text: &str) -> &str {
    text.trim_matches(|c: char| {
        matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
        )
    })
}

/// What Search looks for: the query trimmed and lower-cased as JavaScript does
/// (Rust's `to_lowercase` is the same Unicode mapping as `toLowerCase`).
pub fn search_query(query: &str) -> String {
    js_trim(query).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn case_and_accents_are_ignored() {
        assert_eq!(compare("crm", "CRM"), Ordering::Equal);
        assert_eq!(compare("Café", "cafe"), Ordering::Equal);
        assert_eq!(compare("Ærø", "aero"), Ordering::Equal);
        assert_eq!(compare("Straße", "STRASSE"), Ordering::Equal);
        assert_eq!(compare("Émile", "Emile"), Ordering::Equal);
        assert_eq!(sorted(vec!["éclair", "Zeta", "apple", "Ébène"]), ["apple", "Ébène", "éclair", "Zeta"]);
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(sorted(vec!["API 10", "API 9", "API 1", "API 010b"]), ["API 1", "API 9", "API 10", "API 010b"]);
        assert_eq!(compare("a01", "a1"), Ordering::Equal);
        assert_eq!(compare("a0", "a"), Ordering::Greater);
        assert_eq!(sorted(vec!["x2y", "x10", "x1b"]), ["x1b", "x2y", "x10"]);
        // Digits outside ASCII keep their group.
        assert_ne!(compare("a\u{663}", "a3"), Ordering::Equal);
    }

    #[test]
    fn groups_come_in_root_collation_order() {
        assert_eq!(
            sorted(vec!["b", "1", "$", "+", "_", " ", "a", "-", "é"]),
            [" ", "_", "-", "+", "$", "1", "a", "b", "é"]
        );
        assert_eq!(sorted(vec!["ab", "a b", "a-b", "a"]), ["a", "a b", "a-b", "ab"]);
        assert_eq!(sorted(vec!["Ωmega", "zeta", "Ярослав"]), ["zeta", "Ωmega", "Ярослав"]);
        assert_eq!(sorted(vec!["a€", "a$", "a#"]), ["a#", "a$", "a€"]);
    }

    #[test]
    fn the_list_order_of_the_type_labels() {
        let labels: Vec<&str> = crate::model::TYPES.iter().map(|t| t.label).collect();
        assert_eq!(
            sorted(labels),
            [
                "Access Token",
                "Basic Authentication",
                "Consumer Authentication",
                "Consumer Pre-Authentication",
                "Mutual Authentication",
                "OAuth 2.0",
                "Third-party NLU"
            ]
        );
    }

    #[test]
    fn comparing_to_a_key_is_comparing_keys() {
        let texts = ["", "a", "ab", "a b", "API 9", "API 10", "API 010b", "Zeta", "éclair", "x1", "x01y", "$"];
        for a in texts {
            for b in texts {
                assert_eq!(compare_to_key(a, &key(b)), compare(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn search_folds_like_javascript() {
        assert_eq!(search_query("\u{feff}  Orders API\u{3000}\n"), "orders api");
        assert_eq!(js_trim("\u{85}x\u{85}"), "\u{85}x\u{85}");
        assert_eq!(search_query("İSTANBUL"), "i\u{307}stanbul");
        assert_eq!(search_query("\u{39f}\u{394}\u{39f}\u{3a3}"), "\u{3bf}\u{3b4}\u{3bf}\u{3c2}");
    }
}
