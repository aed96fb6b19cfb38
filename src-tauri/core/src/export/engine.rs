//! Typesetting: one embedded `.typ` template and its data as JSON in, PDF
//! bytes out, through the typst compiler used as a library.
//!
//! The data never becomes markup: the template reads `/data.json` with
//! typst's `json()` and places its strings as text, so a client named
//! `#set page(width: 1cm)` prints exactly that. Templates see only the
//! files embedded here and that one data file; there is no file system and
//! no package access (no network crate is in the build).
//!
//! Fonts are typst's embedded ones plus the operating system's, found once
//! per process and kept ([`fonts`]): scanning takes a moment and the fonts
//! on a machine do not change while Circle runs.

use std::sync::OnceLock;

use chrono::{Datelike, Timelike};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontVariant};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};
use unicode_script::UnicodeScript;

use crate::error::{Error, Result};

/// The templates, embedded at build time. Each kind imports the shared
/// letterhead and footer from `letterhead.typ`.
const TEMPLATES: &[(&str, &str)] = &[
    ("/letterhead.typ", include_str!("templates/letterhead.typ")),
    (
        "/member-record.typ",
        include_str!("templates/member-record.typ"),
    ),
    (
        "/session-packet.typ",
        include_str!("templates/session-packet.typ"),
    ),
    ("/attendance.typ", include_str!("templates/attendance.typ")),
    ("/day-sheet.typ", include_str!("templates/day-sheet.typ")),
    (
        "/recovery-sheet.typ",
        include_str!("templates/recovery-sheet.typ"),
    ),
    (
        "/disclosures.typ",
        include_str!("templates/disclosures.typ"),
    ),
    ("/logo-check.typ", include_str!("templates/logo-check.typ")),
];

/// Where the template finds its data.
const DATA_PATH: &str = "/data.json";

/// A typeset document.
pub struct Typeset {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Scripts (by Unicode name, e.g. "Khitan Small Script") of text in the
    /// data that no font on this machine can show: printed as empty boxes.
    /// The export still succeeds and says so; such a file is a plain PDF,
    /// not PDF/A-2b (which forbids text without glyphs).
    pub missing_scripts: Vec<String>,
}

impl std::fmt::Debug for Typeset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Typeset({} pages, {} bytes)", self.pages, self.pdf.len())
    }
}

/// The fonts of this process: typst's own and the operating system's.
pub(crate) fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store.extend(typst_kit::fonts::system());
        store
    })
}

/// Finds the fonts now (the first export otherwise pays for it): the app
/// calls this in the background after sign-in. Returns how many there are.
pub fn prepare_fonts() -> usize {
    fonts().book().families().count()
}

/// The standard library, built once: the data arrives as a file, not as
/// `sys.inputs`, so every export shares it.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

fn file_id(path: &str) -> FileId {
    // The paths are the fixed ones above, all valid: a failure is a typo here.
    let vpath = VirtualPath::new(path).expect("template paths are valid virtual paths");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One compilation: a template as the main file, its data, the practice's
/// logo and the fonts.
struct ExportWorld {
    main: FileId,
    data: Bytes,
    /// (virtual path, bytes): "/logo.png" or "/logo.jpg".
    logo: Option<(&'static str, Bytes)>,
    today: chrono::NaiveDate,
}

/// Where the template finds a logo: typst tells PNG from JPEG by the name.
pub(crate) fn logo_path(bytes: &[u8]) -> &'static str {
    if is_png(bytes) {
        "/logo.png"
    } else {
        "/logo.jpg"
    }
}

impl World for ExportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let path = id.vpath().get_with_slash();
        TEMPLATES
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| Source::new(id, (*text).to_owned()))
            .ok_or_else(|| FileError::NotFound(path.into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().get_with_slash();
        if path == DATA_PATH {
            return Ok(self.data.clone());
        }
        if let Some((logo_path, bytes)) = &self.logo {
            if path == *logo_path {
                return Ok(bytes.clone());
            }
        }
        TEMPLATES
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| Bytes::from_string(*text))
            .ok_or_else(|| FileError::NotFound(path.into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            u8::try_from(self.today.month()).ok()?,
            u8::try_from(self.today.day()).ok()?,
        )
    }
}

/// Typesets `template` (a path in [`TEMPLATES`], e.g. "/member-record.typ")
/// with `data` as PDF/A-2b, tagged for screen readers.
pub(crate) fn typeset(
    template: &str,
    data: &serde_json::Value,
    logo: Option<&[u8]>,
) -> Result<Typeset> {
    let json = serde_json::to_vec(data).map_err(|e| Error::Storage {
        detail: format!("export data as JSON: {e}"),
    })?;
    let now = crate::clock::now();
    let world = ExportWorld {
        main: file_id(template),
        data: Bytes::new(json),
        logo: logo.map(|bytes| (logo_path(bytes), Bytes::new(bytes.to_vec()))),
        today: now.date_naive(),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| template_error(template, &errors))?;
    let timestamp = Datetime::from_ymd_hms(
        now.year(),
        u8::try_from(now.month()).unwrap_or(1),
        u8::try_from(now.day()).unwrap_or(1),
        u8::try_from(now.hour()).unwrap_or(0),
        u8::try_from(now.minute()).unwrap_or(0),
        u8::try_from(now.second()).unwrap_or(0),
    )
    .map(Timestamp::new_utc);
    let missing = missing_scripts(data);
    let options = PdfOptions {
        timestamp,
        // PDF/A forbids text without a glyph. A name in a script no font
        // here covers still prints (as boxes, and the export says so), in a
        // plain PDF rather than none at all.
        standards: if missing.is_empty() {
            PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| Error::Storage {
                detail: format!("PDF/A-2b settings: {e:?}"),
            })?
        } else {
            PdfStandards::default()
        },
        tagged: true,
        ..PdfOptions::default()
    };
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| template_error(template, &errors))?;
    // typst memoises layout across compilations; in a long-running app that
    // cache would keep clients' text in memory after the export. Drop it.
    typst::comemo::evict(0);
    Ok(Typeset {
        pages: document.pages().len(),
        pdf,
        missing_scripts: missing,
    })
}

fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x89, b'P', b'N', b'G'])
}

/// Whether typst can place `bytes` as the letterhead's logo (a PNG or JPEG
/// it can decode): checked when the logo is chosen, so no export fails on
/// it later.
pub fn check_logo(bytes: &[u8]) -> Result<()> {
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_png(bytes) && !is_jpeg {
        return Err(Error::invalid("logo", "Choose a PNG or JPEG image."));
    }
    let data = serde_json::json!({ "logo": logo_path(bytes) });
    typeset("/logo-check.typ", &data, Some(bytes))
        .map(|_| ())
        .map_err(|_| {
            Error::invalid(
                "logo",
                "This image cannot be read. Choose another PNG or JPEG.",
            )
        })
}

/// A template that does not compile is our bug, not the user's: say which
/// template and what typst said, without the data (it may hold names).
fn template_error(template: &str, errors: &[SourceDiagnostic]) -> Error {
    let said: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
    Error::Storage {
        detail: format!("typesetting {template}: {}", said.join("; ")),
    }
}

/// The scripts of the data's text that no font covers, by name, sorted.
pub(crate) fn missing_scripts(data: &serde_json::Value) -> Vec<String> {
    let book = fonts().book();
    let mut missing = std::collections::BTreeSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut check = |text: &str| {
        for c in text.chars() {
            // Marks, joiners and variation selectors ride on the letter
            // before them; typst needs no font of their own for them.
            let ignorable = matches!(c.script(), unicode_script::Script::Inherited)
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
            if c.is_whitespace() || c.is_control() || ignorable || !seen.insert(c) {
                continue;
            }
            let mut buf = [0u8; 4];
            if book
                .select_fallback(None, FontVariant::default(), c.encode_utf8(&mut buf))
                .is_none()
            {
                missing.insert(c.script().full_name().replace('_', " "));
            }
        }
    };
    visit_strings(data, &mut check);
    missing.into_iter().collect()
}

fn visit_strings(value: &serde_json::Value, f: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| visit_strings(v, f)),
        serde_json::Value::Object(map) => map.values().for_each(|v| visit_strings(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn text_no_font_can_show_is_named_by_its_script() {
        // `make test` installs the Noto fonts (Latin, Vietnamese, Arabic,
        // Hebrew, Chinese); joiners and combining marks need no font.
        let covered = json!({ "names": ["Zoë Ångström", "Nguyễn Thị Minh", "ليلى العلي", "נועה כהן", "王小明", "e\u{301}\u{200D}"] });
        assert_eq!(super::missing_scripts(&covered), Vec::<String>::new());
        // Khitan small script: in no font Debian ships.
        let nowhere = json!({ "client": "\u{18B00}\u{18B01}", "also": ["Zoë"] });
        assert_eq!(
            super::missing_scripts(&nowhere),
            vec!["Khitan Small Script"]
        );
    }
}
