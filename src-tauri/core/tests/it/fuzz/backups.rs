//! Backups and restore (`src-tauri/src/commands/backup.rs`): the folder a
//! dialog could return, the keep count, "back up now" into any folder, and
//! any file offered as a backup (garbage, and a real backup cut short,
//! flipped or padded) with any credential.
//!
//! A backup that could not be written is not an error to the window: it
//! comes back as a run with `ok: false` and a message, and is recorded (a
//! `backup_runs` row and its audit entry, which are what Settings shows).
//! Here such a run counts as a refusal, held to the rule that nothing else
//! changed. A restore refused leaves the vault it would have replaced
//! exactly as it was, file by file.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use circle_core::backup::{self, Credential, Target};
use circle_core::vault::location::VaultLocation;
use circle_core::vault::secret::Passphrase;
use circle_core::Error;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::{scratch_dir, slow_cases, Fx, Who};
use crate::common::{copy_folder, OWNER, OWNER_PASS};

/// A folder as a dialog (or a script) could name it.
#[derive(Debug, Clone)]
enum Folder {
    /// A folder that exists and may be written.
    Good,
    Missing,
    /// A file, not a folder.
    AFile,
    Relative(String),
    Raw(Vec<u8>),
    Long(usize),
    /// The vault's own folder.
    Vault,
}

const RAW_FOLDERS: &[&[u8]] = &[
    b"/proc/self",
    b"/dev/null",
    b"/nonexistent/\xff\xfe",
    b"/tmp/a\0b",
    b"/sys/kernel",
];

fn folder() -> BoxedStrategy<Folder> {
    prop_oneof![
        2 => Just(Folder::Good),
        1 => Just(Folder::Missing),
        1 => Just(Folder::AFile),
        1 => Just(Folder::Vault),
        1 => select(&["backups", ".", "..", "", " ", "~/backups"][..]).prop_map(|s| Folder::Relative(s.to_owned())),
        2 => prop_oneof![
            select(RAW_FOLDERS).prop_map(<[u8]>::to_vec),
            vec(any::<u8>(), 1..40).prop_map(|mut b| { b.insert(0, b'/'); b }),
        ]
        .prop_map(Folder::Raw),
        1 => select(&[255usize, 256, 4096, 5000][..]).prop_map(Folder::Long),
    ]
    .boxed()
}

struct Places {
    root: tempfile::TempDir,
}

impl Places {
    fn new() -> Places {
        let root = scratch_dir();
        std::fs::create_dir(root.path().join("good")).expect("good folder");
        std::fs::write(root.path().join("a-file"), b"not a folder").expect("a file");
        Places { root }
    }

    fn path(&self, fx: &Fx, f: &Folder) -> PathBuf {
        let root = self.root.path();
        match f {
            Folder::Good => root.join("good"),
            Folder::Missing => root.join("missing"),
            Folder::AFile => root.join("a-file"),
            Folder::Relative(s) => PathBuf::from(s),
            Folder::Raw(b) => PathBuf::from(OsString::from_vec(b.clone())),
            Folder::Long(n) => root.join("a".repeat(*n)),
            Folder::Vault => fx.v.dir.path().to_path_buf(),
        }
    }
}

/// What a file offered as a backup holds.
#[derive(Debug, Clone)]
enum Offered {
    Garbage(Vec<u8>),
    Cut(usize),
    Flipped(usize, u8),
    Padded(Vec<u8>),
    Whole,
    Missing,
    AFolder,
}

fn offered() -> BoxedStrategy<Offered> {
    prop_oneof![
        2 => bytes().prop_map(Offered::Garbage),
        2 => any::<usize>().prop_map(Offered::Cut),
        3 => (any::<usize>(), 1u8..=255).prop_map(|(at, x)| Offered::Flipped(at, x)),
        1 => vec(any::<u8>(), 1..2048).prop_map(Offered::Padded),
        1 => Just(Offered::Whole),
        1 => Just(Offered::Missing),
        1 => Just(Offered::AFolder),
    ]
    .boxed()
}

fn write_offered(dir: &Path, real: &[u8], o: &Offered) -> PathBuf {
    let path = dir.join("offered.circlebackup");
    match o {
        Offered::Garbage(b) => std::fs::write(&path, b).expect("write"),
        Offered::Cut(at) => std::fs::write(&path, &real[..at % real.len()]).expect("write"),
        Offered::Flipped(at, x) => {
            let mut b = real.to_vec();
            let i = at % b.len();
            b[i] ^= x;
            std::fs::write(&path, b).expect("write")
        }
        Offered::Padded(extra) => {
            let mut b = real.to_vec();
            b.extend_from_slice(extra);
            std::fs::write(&path, b).expect("write")
        }
        Offered::Whole => std::fs::write(&path, real).expect("write"),
        Offered::Missing => {}
        Offered::AFolder => std::fs::create_dir(&path).expect("folder"),
    }
    path
}

/// Every file of a folder, name and bytes, sorted.
fn files_of(dir: &Path) -> Vec<(OsString, Vec<u8>)> {
    let mut out: Vec<(OsString, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| (e.file_name(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// "Back up now" as the command runs it; a run that was not written
/// comes back as a refusal carrying the message Settings would show.
fn back_up(fx: &Fx, who: Who, folder: &Path) -> Result<(), Error> {
    let s = fx.signed(who);
    let prepared = backup::prepare(&s, Some(folder))?;
    let finished = prepared.run(&mut |_| {});
    let run = backup::record(&s, &finished)?;
    if run.ok {
        Ok(())
    } else {
        let message = run.message.unwrap_or_default();
        assert!(!message.trim().is_empty(), "a failed backup says why");
        Err(Error::Conflict { message })
    }
}

#[test]
fn backup_folders_and_offered_files_take_any_input() {
    let fx = Fx::new("backups");
    let places = Places::new();

    fx.command("backup_status")
        .run(who(), |fx, who| backup::status(&fx.signed(who)).map(drop));
    fx.command("backup_set_keep")
        .run((who(), u32_edge()), |fx, (who, keep)| {
            backup::set_keep(&fx.signed(who), keep).map(drop)
        });
    fx.command("backup_choose_folder")
        .run((who(), folder()), |fx, (who, f)| {
            backup::set_folder(&fx.signed(who), &places.path(fx, &f)).map(drop)
        });
    fx.command("backup_now")
        .may_leave(&["backup_runs", "audit_log"])
        .run((who(), folder()), |fx, (who, f)| {
            let folder = places.path(fx, &f);
            back_up(fx, who, &folder)?;
            // Gone again, so thousands of cases do not keep thousands of
            // backups: scratch folders live in memory (/dev/shm), and each
            // case reads its folders back to compare. A stress run kept
            // 6.5 GB of them and was stopped by the kernel for memory.
            let written: Vec<PathBuf> = std::fs::read_dir(&folder)
                .expect("the folder just written")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "circlebackup"))
                .collect();
            for file in written {
                std::fs::remove_file(&file).expect("remove the backup");
            }
            Ok(())
        });

    // A real backup of this practice, to cut, flip and pad.
    let real_dir = scratch_dir();
    back_up(&fx, Who::Owner, real_dir.path()).expect("a backup");
    let real_path = std::fs::read_dir(real_dir.path())
        .expect("backup folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "circlebackup"))
        .expect("the backup file");
    let real = std::fs::read(&real_path).expect("read backup");

    fx.command("backup_choose_file")
        .accept(&["backupDamaged", "io", "invalid", "notFound"])
        .run(offered(), |_, o| {
            let dir = scratch_dir();
            let path = write_offered(dir.path(), &real, &o);
            backup::inspect(&path).map(drop)
        });

    // A second copy of the vault, as the one a restore would replace (the
    // test's own stays signed in).
    // In a folder of its own: a restore moves the vault it replaces aside,
    // beside it.
    let other_root = scratch_dir();
    let other = other_root.path().join("vault");
    std::fs::create_dir(&other).expect("vault folder");
    copy_folder(fx.v.dir.path(), &other);
    let credential = prop_oneof![
        3 => (
            prop_oneof![2 => Just(OWNER.to_owned()), 1 => name()],
            prop_oneof![2 => Just(OWNER_PASS.to_owned()), 1 => passphrase()],
        )
            .prop_map(|(u, p)| (Some(u), p)),
        1 => prop_oneof![1 => Just(fx.v.recovery_code.clone()), 2 => text()].prop_map(|c| (None, c)),
    ];
    fx.command("backup_restore")
        .cases(slow_cases() * 2)
        .accept(&[
            "backupDamaged",
            "io",
            "invalid",
            "notFound",
            "conflict",
            "wrongPassphrase",
            "rateLimited",
        ])
        .run(
            (offered(), credential, any::<bool>()),
            |_, (o, (username, secret), replace)| {
                let dir = scratch_dir();
                let path = write_offered(dir.path(), &real, &o);
                let credential = match username {
                    Some(username) => Credential::Passphrase {
                        username,
                        passphrase: Passphrase::new(secret),
                    },
                    None => Credential::RecoveryCode(Passphrase::new(secret)),
                };
                let target = if replace {
                    Target::Replace(VaultLocation::at(&other))
                } else {
                    Target::NewFolder(dir.path().join("restored"))
                };
                let before = files_of(&other);
                let result = backup::restore(&path, &credential, &target, &mut |_, _| {});
                if result.is_err() {
                    assert!(
                        files_of(&other) == before,
                        "a refused restore changed the vault it would have replaced"
                    );
                }
                result.map(drop)
            },
        );
}
