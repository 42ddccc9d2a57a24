//! Plain text output: names made inert, tables aligned by display width,
//! counted nouns.
//!
//! Everything a user or an import file named (organizations, credentials,
//! field values) may hold characters a terminal acts on: control characters
//! (escape sequences), bidirectional overrides and isolates that reorder the
//! rest of the line, zero-width and other invisible characters that hide
//! text. [`inert`] shows each of them escaped (`\u{202e}`), so what reaches
//! the terminal is what is stored, visibly. JSON output is never passed
//! through it: serde_json writes it exact.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// "1 credential", "2 credentials".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether `c` must not reach a terminal raw: control characters (C0, DEL,
/// C1), Unicode format characters (general category Cf: bidi embeddings,
/// overrides, isolates and marks, zero-width space and joiners, word
/// joiner, invisible operators, byte order mark, interlinear annotation,
/// tags…), the line and paragraph separators, and the invisible fillers
/// (Hangul, Khmer) that show nothing yet take room.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c as u32,
            0x00AD
                | 0x0600..=0x0605
                | 0x061C
                | 0x06DD
                | 0x070F
                | 0x0890..=0x0891
                | 0x08E2
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180E
                | 0x200B..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x2064
                | 0x2066..=0x206F
                | 0x3164
                | 0xFEFF
                | 0xFFA0
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0001
                | 0xE0020..=0xE007F
        )
}

/// `s` with every [`is_unsafe`] character written as a visible escape:
/// `\t`, `\n`, `\r`, else `\u{hex}` (as Rust writes them). Text without
/// any is returned as it is.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A name in a message: inert, in double quotes (`"Acme Bots"`).
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", inert(name))
}

/// Columns left-aligned by display width (a CJK character or an emoji takes
/// two columns, a combining mark none), two spaces apart, the last column
/// not padded. Every cell is made [`inert`] first.
pub fn print_table(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| inert(c).into_owned()).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: &[&str]| {
        let mut text = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i < last {
                let pad = widths[i].saturating_sub(cell.width()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        text
    };
    writeln!(out, "{}", line(header))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_and_the_rest_is_kept() {
        assert_eq!(inert("Acme Bots"), "Acme Bots");
        assert_eq!(inert("日本語 🤖 Ünïcode"), "日本語 🤖 Ünïcode");
        assert_eq!(
            inert("a\u{202e}b\u{2066}c\u{200b}d\u{feff}e\u{2060}f"),
            "a\\u{202e}b\\u{2066}c\\u{200b}d\\u{feff}e\\u{2060}f"
        );
        assert_eq!(inert("\u{1b}[31mred\u{7}\t\n\r\u{9b}"), "\\u{1b}[31mred\\u{7}\\t\\n\\r\\u{9b}");
        assert_eq!(inert("\u{200e}\u{200f}\u{200c}\u{200d}\u{2069}"), "\\u{200e}\\u{200f}\\u{200c}\\u{200d}\\u{2069}");
        assert_eq!(inert("x\u{2028}y\u{e0041}"), "x\\u{2028}y\\u{e0041}");
    }

    #[test]
    fn columns_line_up_by_display_width() {
        let mut out = vec![];
        let rows = vec![
            vec!["日本".to_string(), "1".to_string()],
            vec!["ab".to_string(), "2".to_string()],
            vec!["🤖x".to_string(), "3".to_string()],
        ];
        print_table(&mut out, &["NAME", "N"], rows).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "NAME  N\n日本  1\nab    2\n🤖x   3\n");
    }

    #[test]
    fn escaped_cells_are_measured_as_shown() {
        let mut out = vec![];
        let rows = vec![vec!["a\u{202e}".to_string(), "1".to_string()], vec!["b".to_string(), "2".to_string()]];
        print_table(&mut out, &["NAME", "N"], rows).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "NAME       N\na\\u{202e}  1\nb          2\n");
    }
}
