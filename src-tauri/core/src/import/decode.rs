//! From a file's bytes to a table of text: the encoding (a byte-order mark,
//! else UTF-8 when the bytes are valid UTF-8, else Windows-1252, which is
//! what Excel and older systems write on Windows), the separator (guessed
//! from the header line), then the csv crate for quoting.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::error::{Error, Result};

/// The largest file read: a client list of 50,000 rows is about 10 MB.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The most rows one import takes.
pub const MAX_ROWS: usize = 50_000;

/// The rows of a file, with the line each starts on (the header is line 1).
#[derive(Debug, Clone)]
pub struct Table {
    pub encoding: &'static str,
    pub separator: Separator,
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone)]
pub struct TableRow {
    pub line: u32,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Separator::Comma => "commas",
            Separator::Semicolon => "semicolons",
            Separator::Tab => "tabs",
        }
    }
}

fn unreadable(reason: impl Into<String>) -> Error {
    Error::invalid("file", reason)
}

/// The file's text and the name of the encoding it was read in.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str)> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(unreadable(
            "That file is larger than 50 MB, far more than a client list. Check that it is the right file.",
        ));
    }
    let (encoding, body): (&'static Encoding, &[u8]) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_length)) => (encoding, &bytes[bom_length..]),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        None => (WINDOWS_1252, bytes),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(unreadable(
            "Part of that file is not text Circle can read. Save it again as CSV (UTF-8) and choose it again.",
        ));
    }
    if text.contains('\0') {
        return Err(unreadable(
            "That file is not a CSV file (it holds binary data). Export the client list as CSV and choose that file.",
        ));
    }
    let name = match encoding {
        e if e == UTF_8 => "UTF-8",
        e if e == UTF_16LE || e == UTF_16BE => "UTF-16",
        _ => "Windows-1252",
    };
    Ok((text.into_owned(), name))
}

/// The separator the header line uses most, outside quotes.
fn separator_of(header_line: &str) -> Separator {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    // Ties go to the comma, the separator a CSV file is named after.
    let seps = [Separator::Comma, Separator::Semicolon, Separator::Tab];
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    seps[best]
}

/// Reads the file into a table: its header and every row with its line.
pub fn read_table(bytes: &[u8]) -> Result<Table> {
    let (text, encoding) = decode(bytes)?;
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if header_line.trim().is_empty() {
        return Err(unreadable(
            "That file is empty. Choose the file your old system exported.",
        ));
    }
    let separator = separator_of(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator.byte())
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| unreadable("Circle could not read the header line of that file."))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.len() < 2 {
        return Err(unreadable(
            "That file has one column only. A client list needs at least a first and a last name, separated by commas, semicolons or tabs.",
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            unreadable(format!(
                "Line {line} of that file is not valid CSV (a quote left open, perhaps). Correct it and choose the file again."
            ))
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(unreadable(format!(
                "That file has more than {MAX_ROWS} clients. Split it into smaller files and import each."
            )));
        }
        let line = record
            .position()
            .map(|p| u32::try_from(p.line()).unwrap_or(u32::MAX))
            .unwrap_or(0);
        rows.push(TableRow {
            line,
            cells: record.iter().map(|c| c.trim().to_owned()).collect(),
        });
    }
    Ok(Table {
        encoding,
        separator,
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart_by_bom_and_validity() {
        let text = "First;Last\nZoë;Ångström\n";
        let utf8_bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        let (cp1252, _, _) = WINDOWS_1252.encode(text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        for (bytes, name) in [
            (text.as_bytes().to_vec(), "UTF-8"),
            (utf8_bom, "UTF-8"),
            (cp1252.into_owned(), "Windows-1252"),
            (utf16, "UTF-16"),
        ] {
            let table = read_table(&bytes).unwrap();
            assert_eq!(table.encoding, name);
            assert_eq!(table.separator, Separator::Semicolon);
            assert_eq!(table.headers, ["First", "Last"]);
            assert_eq!(table.rows[0].cells, ["Zoë", "Ångström"], "{name}");
            assert_eq!(table.rows[0].line, 2);
        }
    }

    #[test]
    fn the_separator_comes_from_the_header_outside_quotes() {
        assert_eq!(
            separator_of("First,Last,\"Phone; mobile\""),
            Separator::Comma
        );
        assert_eq!(
            separator_of("First;Last;\"Name, preferred\""),
            Separator::Semicolon
        );
        assert_eq!(separator_of("First\tLast\tEmail"), Separator::Tab);
    }

    #[test]
    fn quoted_newlines_keep_the_line_numbers_true() {
        let table = read_table(b"First,Last\n\"Ann\",\"Lee\"\n\"Bo\nB\",Ray\nCy,Dee\n").unwrap();
        let lines: Vec<u32> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn empty_and_binary_files_are_refused_by_the_file_field() {
        for bytes in [&b""[..], b"\n\n", b"a\0b,c\n"] {
            assert!(
                matches!(read_table(bytes), Err(Error::Invalid { field, .. }) if field == "file")
            );
        }
    }
}
