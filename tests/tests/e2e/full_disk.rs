//! The disk fills while a note is being typed, in the real window (issue
//! 16, suite 2, the window half; the core half is circle-core's
//! `full_disk` tests, which lower RLIMIT_FSIZE in a child process).
//!
//! Here the disk really fills: the vault lives on a small tmpfs the test
//! mounts (it runs as root, as `make test` does here and in CI), and once
//! the first words are saved a filler file takes every free byte, so the
//! next save meets ENOSPC (SQLite: SQLITE_FULL). Removing the filler is the
//! person making room. (RLIMIT_FSIZE cannot stand in for this in the
//! window: WebKit's IPC in the app process sizes its shared memory with
//! `ftruncate`, which the limit refuses too, and the window stops
//! answering.)
//!
//! What a person sees: the autosave fails, the text stays in the editor,
//! and the save bar says the disk is full, with Try again. Once there is
//! room again the autosave, trying again on its own, saves it all without
//! anyone touching the note: after the app is killed and started again the
//! draft holds every word typed, and the vault verifies.

use std::ffi::CString;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use circle_e2e::harness::admin;
use circle_e2e::practice::{self, OneSession};
use circle_e2e::{App, AppOptions};

const OWNER_PASS: &str = "quiet lantern orchard tide";
/// Room for a new vault, WebKit's data and the app's log, many times over.
const DISK_SIZE: &str = "size=64m";

/// A small file system of its own, unmounted when dropped (lazily, so a
/// process that still holds a file there cannot keep it mounted).
struct SmallDisk {
    mount: tempfile::TempDir,
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).expect("a path without NUL")
}

impl SmallDisk {
    fn mount() -> SmallDisk {
        let mount = tempfile::Builder::new()
            .prefix("circle-full-disk-")
            .tempdir()
            .unwrap();
        let target = c_path(mount.path());
        let options = CString::new(format!("{DISK_SIZE},mode=0700")).unwrap();
        // SAFETY: every pointer is a NUL-terminated string that outlives the call.
        let mounted = unsafe {
            libc::mount(
                c"tmpfs".as_ptr(),
                target.as_ptr(),
                c"tmpfs".as_ptr(),
                0,
                options.as_ptr().cast(),
            )
        };
        assert_eq!(
            mounted,
            0,
            "mount a small tmpfs for the vault (the test needs root, as make test runs here): {}",
            std::io::Error::last_os_error()
        );
        SmallDisk { mount }
    }

    fn path(&self) -> &Path {
        self.mount.path()
    }

    /// Free bytes, as `df` would say.
    fn free(&self) -> u64 {
        let target = c_path(self.path());
        // SAFETY: statvfs fills the struct passed; the path is NUL-terminated.
        unsafe {
            let mut stats: libc::statvfs = std::mem::zeroed();
            assert_eq!(libc::statvfs(target.as_ptr(), &mut stats), 0, "statvfs");
            stats.f_bavail * stats.f_frsize
        }
    }

    /// Takes every free byte with `filler` (another program filling the
    /// disk); returns how many it took.
    fn fill(&self, filler: &Path) -> u64 {
        let mut file = std::fs::File::create(filler).expect("create the filler");
        let block = vec![0u8; 1 << 20];
        let (mut size, mut taken) = (block.len(), 0u64);
        loop {
            match file.write(&block[..size]) {
                Ok(0) => break,
                Ok(n) => taken += n as u64,
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) && size > 1 => size /= 2,
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        file.sync_all().ok();
        taken
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let target = c_path(self.path());
        // SAFETY: the path is NUL-terminated; MNT_DETACH only unmounts.
        unsafe {
            libc::umount2(target.as_ptr(), libc::MNT_DETACH);
        }
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb, tauri-driver and root (to mount a tmpfs); `make test` runs it with --ignored"]
async fn a_note_typed_while_the_disk_is_full_stays_on_screen_and_is_saved_once_there_is_room() {
    let disk = SmallDisk::mount();
    let v: PathBuf = disk.path().join("vault");
    admin(
        &v,
        &[
            "init",
            "--practice",
            "Harbour Light Counselling",
            "--owner",
            "dana",
            "--name",
            "Dana Reyes",
            "--timezone",
            "Europe/London",
        ],
        OWNER_PASS,
        "",
    );
    let app = App::launch(
        "full-disk-note",
        AppOptions {
            vault_dir: Some(v.clone()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let OneSession { session, .. } = practice::one_session(&app).await;
    app.open_note_from_today(session).await;

    let before = "Sleep routines; the group opened with a check-in. ";
    app.type_into("shared-topic", before).await;
    app.wait_for_text("save-status", "Saved").await;

    // Another program fills the disk.
    let filler = disk.path().join("filler");
    let taken = disk.fill(&filler);
    println!(
        "full-disk: the filler took {taken} bytes; {} left",
        disk.free()
    );
    let during = "Typed while the disk was full: every word of this must survive.";
    app.type_into("shared-topic", during).await;
    let line = app.wait_for_text("save-status", "Not saved").await;
    println!("full-disk: the save bar says {line:?}");
    assert!(
        line.contains("disk is full"),
        "the failure says the disk is full: {line:?}"
    );
    for raw in ["locked", "SQLite", "SQLITE", "I/O", "os error"] {
        assert!(
            !line.contains(raw),
            "no raw storage error reaches the screen ({raw}): {line:?}"
        );
    }
    assert_eq!(
        app.value_of("shared-topic").await,
        format!("{before}{during}"),
        "the text stays in the editor"
    );
    app.by_testid("save-retry").await;
    app.screenshot_as("full-disk-not-saved").await;

    // The person makes room and touches nothing: Circle tries again on its
    // own (as the bar says it will) and saves everything typed.
    std::fs::remove_file(&filler).unwrap();
    app.wait_for_text("save-status", "Saved").await;
    assert_eq!(app.count("[data-testid=save-retry]").await, 0);
    app.screenshot_as("full-disk-saved-again").await;

    // Killed as a crash would, then started again: the draft is whole.
    app.kill();
    let app = App::launch(
        "full-disk-note-restart",
        AppOptions {
            vault_dir: Some(v.clone()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    app.open_note_from_today(session).await;
    app.wait_for_text("note-status", "Draft").await;
    assert_eq!(
        app.value_of("shared-topic").await,
        format!("{before}{during}")
    );
    app.finish().await;

    // And the vault is whole: integrity, note hashes and the audit chain.
    let verified = admin(&v, &["--user", "dana", "verify"], OWNER_PASS, "");
    println!("full-disk: circle-admin verify: {}", verified.trim());
}
