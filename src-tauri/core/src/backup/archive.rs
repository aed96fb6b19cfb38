//! The `.circlebackup` container: a plain tar archive (so anyone can list
//! it with `tar tf`), parts in a fixed order — the manifest and its MAC
//! first, so reading what a backup holds never reads the databases.
//!
//! Reading accepts exactly the part names below, each once: nothing in a
//! backup can name a path of its own choosing.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

use ring::digest::{Context, SHA256};

pub const EXTENSION: &str = "circlebackup";
pub const MANIFEST: &str = "manifest.json";
pub const MANIFEST_MAC: &str = "manifest.mac";
pub const KEYRING: &str = "keyring.json";
pub const PRACTICE_DB: &str = "practice.db";
pub const CLINICAL_DB: &str = "clinical.db";
/// A clinical.db copied without its key may carry its write-ahead log.
pub const CLINICAL_WAL: &str = "clinical.db-wal";

/// The manifest is small; anything larger is not one of ours.
const MANIFEST_LIMIT: u64 = 1 << 20;

const DATA_PARTS: [&str; 4] = [KEYRING, PRACTICE_DB, CLINICAL_DB, CLINICAL_WAL];

/// A part read back: its size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPart {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// What a backup holds, as read.
#[derive(Debug, Clone)]
pub struct Contents {
    pub manifest_json: Vec<u8>,
    pub manifest_mac: Vec<u8>,
    pub parts: Vec<ReadPart>,
}

/// Why a backup cannot be read, naming the part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub part: String,
    pub reason: String,
}

impl Damage {
    pub fn new(part: &str, reason: impl Into<String>) -> Self {
        Damage {
            part: part.to_owned(),
            reason: reason.into(),
        }
    }
}

/// SHA-256 (hex) of a file, streamed.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut context = Context::new(&SHA256);
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        context.update(&buffer[..n]);
    }
    Ok(hex::encode(context.finish()))
}

/// Counts bytes as they pass, for progress.
struct Counting<'a, R> {
    inner: R,
    on_bytes: &'a mut dyn FnMut(u64),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.on_bytes)(n as u64);
        Ok(n)
    }
}

/// Writes the archive to `file` (already created by the caller, who makes
/// it atomic): manifest, its MAC, then each data part from disk.
pub fn write(
    file: File,
    manifest_json: &[u8],
    manifest_mac: &[u8],
    parts: &[(&str, &Path)],
    on_bytes: &mut dyn FnMut(u64),
) -> io::Result<File> {
    let mut builder = tar::Builder::new(BufWriter::new(Flushing { file, unsynced: 0 }));
    builder.mode(tar::HeaderMode::Deterministic);
    for (name, bytes) in [(MANIFEST, manifest_json), (MANIFEST_MAC, manifest_mac)] {
        builder.append_data(&mut header(bytes.len() as u64), name, bytes)?;
    }
    for (name, path) in parts {
        let source = File::open(path)?;
        let size = source.metadata()?.len();
        let reader = Counting {
            inner: BufReader::new(source),
            on_bytes: &mut *on_bytes,
        };
        builder.append_data(&mut header(size), name, reader)?;
    }
    let writer = builder.into_inner()?;
    let flushing = writer
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    Ok(flushing.file)
}

/// Flushes a large file to disk a few MiB at a time as it is written, so no
/// single flush at the end holds up the practice's own writes for long.
struct Flushing {
    file: File,
    unsynced: u64,
}

const FLUSH_EVERY: u64 = 2 << 20;

impl Write for Flushing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.unsynced += n as u64;
        if self.unsynced >= FLUSH_EVERY {
            self.file.sync_data()?;
            self.unsynced = 0;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

/// Reads every part in order, hashing each; with `extract_to`, writes the
/// data parts there (by their fixed names only). `on_bytes` sees progress.
pub fn read(
    path: &Path,
    extract_to: Option<&Path>,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<Contents, Damage> {
    let file = File::open(path)
        .map_err(|e| Damage::new("the backup file", format!("it cannot be opened ({e})")))?;
    let mut archive = tar::Archive::new(BufReader::new(file));
    let entries = archive
        .entries()
        .map_err(|_| Damage::new(MANIFEST, "this is not a Circle backup"))?;
    let mut manifest_json = None;
    let mut manifest_mac = None;
    let mut parts: Vec<ReadPart> = Vec::new();
    let mut expected = MANIFEST;
    for entry in entries {
        let mut entry = entry.map_err(|_| {
            Damage::new(
                expected,
                "the file is damaged or ends early (the backup is truncated)",
            )
        })?;
        let name = entry
            .path()
            .ok()
            .and_then(|p| p.to_str().map(str::to_owned))
            .unwrap_or_default();
        let size = entry.header().size().unwrap_or(0);
        match name.as_str() {
            MANIFEST | MANIFEST_MAC => {
                let slot = if name == MANIFEST {
                    &mut manifest_json
                } else {
                    &mut manifest_mac
                };
                if slot.is_some() || size > MANIFEST_LIMIT {
                    return Err(Damage::new(&name, "this is not a Circle backup"));
                }
                let mut bytes = Vec::new();
                entry
                    .read_to_end(&mut bytes)
                    .map_err(|_| Damage::new(&name, "it ends early (the backup is truncated)"))?;
                *slot = Some(bytes);
                expected = if name == MANIFEST {
                    MANIFEST_MAC
                } else {
                    KEYRING
                };
            }
            known if DATA_PARTS.contains(&known) => {
                if parts.iter().any(|p| p.name == known) {
                    return Err(Damage::new(known, "it appears twice"));
                }
                let mut out = match extract_to {
                    Some(dir) => Some(BufWriter::new(create_private(&dir.join(known)).map_err(
                        |e| Damage::new(known, format!("it cannot be unpacked ({e})")),
                    )?)),
                    None => None,
                };
                let mut context = Context::new(&SHA256);
                let mut buffer = vec![0u8; 1 << 16];
                let mut read_total = 0u64;
                loop {
                    let n = entry.read(&mut buffer).map_err(|_| {
                        Damage::new(known, "it ends early (the backup is truncated)")
                    })?;
                    if n == 0 {
                        break;
                    }
                    read_total += n as u64;
                    context.update(&buffer[..n]);
                    if let Some(out) = out.as_mut() {
                        out.write_all(&buffer[..n]).map_err(|e| {
                            Damage::new(known, format!("it cannot be unpacked ({e})"))
                        })?;
                    }
                    on_bytes(n as u64);
                }
                if read_total != size {
                    return Err(Damage::new(
                        known,
                        "it ends early (the backup is truncated)",
                    ));
                }
                if let Some(out) = out {
                    let file = out.into_inner().map_err(|e| {
                        Damage::new(known, format!("it cannot be unpacked ({})", e.error()))
                    })?;
                    file.sync_all()
                        .map_err(|e| Damage::new(known, format!("it cannot be unpacked ({e})")))?;
                }
                parts.push(ReadPart {
                    name: known.to_owned(),
                    size,
                    sha256: hex::encode(context.finish()),
                });
            }
            other => {
                let shown = if other.is_empty() {
                    "an unnamed part"
                } else {
                    other
                };
                return Err(Damage::new(shown, "it is not part of a Circle backup"));
            }
        }
    }
    let manifest_json = manifest_json
        .ok_or_else(|| Damage::new(MANIFEST, "it is missing: this is not a Circle backup"))?;
    let manifest_mac = manifest_mac
        .ok_or_else(|| Damage::new(MANIFEST_MAC, "it is missing (the backup is truncated)"))?;
    Ok(Contents {
        manifest_json,
        manifest_mac,
        parts,
    })
}

/// Only the manifest and its MAC (the first two parts): what a backup
/// says it is, without reading its databases.
pub fn read_head(path: &Path) -> Result<(Vec<u8>, Vec<u8>), Damage> {
    let file = File::open(path)
        .map_err(|e| Damage::new("the backup file", format!("it cannot be opened ({e})")))?;
    let mut archive = tar::Archive::new(BufReader::new(file));
    let mut entries = archive
        .entries()
        .map_err(|_| Damage::new(MANIFEST, "this is not a Circle backup"))?;
    let mut next = |name: &str| -> Result<Vec<u8>, Damage> {
        let mut entry = entries
            .next()
            .ok_or_else(|| Damage::new(name, "it is missing: this is not a Circle backup"))?
            .map_err(|_| Damage::new(name, "this is not a Circle backup"))?;
        let is_named = entry.path().ok().is_some_and(|p| p.as_os_str() == name);
        if !is_named || entry.header().size().unwrap_or(u64::MAX) > MANIFEST_LIMIT {
            return Err(Damage::new(name, "this is not a Circle backup"));
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|_| Damage::new(name, "it ends early (the backup is truncated)"))?;
        Ok(bytes)
    };
    let json = next(MANIFEST)?;
    let mac = next(MANIFEST_MAC)?;
    Ok((json, mac))
}

/// A new file readable by the user alone.
pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
