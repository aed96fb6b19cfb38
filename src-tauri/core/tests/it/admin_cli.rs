//! `circle-admin`: the exact command forms and exit codes scripts rely on.

use std::process::{Command, Output};

const OWNER_PASS: &str = "quiet lantern orchard tide";
const DESK_PASS: &str = "copper meadow violin harbor";

fn admin(vault: &std::path::Path, args: &[&str], passphrase: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_circle-admin"))
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("CIRCLE_PASSPHRASE", passphrase)
        .env("CIRCLE_NEW_PASSPHRASE", DESK_PASS)
        .output()
        .expect("run circle-admin")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn init(vault: &std::path::Path) -> String {
    let out = admin(
        vault,
        &[
            "init",
            "--practice",
            "Harbour Group Practice",
            "--owner",
            "dana",
            "--name",
            "Dana Reyes",
            "--timezone",
            "Europe/Dublin",
        ],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("recovery code:"))
        .expect("a line starting 'recovery code:'");
    line.trim_start_matches("recovery code:").trim().to_owned()
}

#[test]
fn init_add_list_audit_and_verify_work_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let code = init(dir.path());
    assert_eq!(code.len(), 39, "eight groups of four: {code}");

    let out = admin(
        dir.path(),
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "frontdesk",
            "--name",
            "Priya Castellanos",
            "--role",
            "front-desk",
        ],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let out = admin(
        dir.path(),
        &["--user", "dana", "staff", "list", "--json"],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let staff: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let roles: Vec<(&str, &str)> = staff
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["username"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert!(
        roles.contains(&("dana", "owner")) && roles.contains(&("frontdesk", "frontDesk")),
        "{roles:?}"
    );

    let out = admin(
        dir.path(),
        &["--user", "dana", "audit", "--json", "--limit", "3"],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("Priya"),
        "audit rows hold ids, not names"
    );

    let out = admin(dir.path(), &["--user", "dana", "verify"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let out = admin(
        dir.path(),
        &["--user", "dana", "unlock-time", "--runs", "1"],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("median"));
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    admin(
        dir.path(),
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "frontdesk",
            "--name",
            "Priya Castellanos",
            "--role",
            "front-desk",
        ],
        OWNER_PASS,
    );

    // 2: usage
    let out = admin(
        dir.path(),
        &[
            "--user", "dana", "staff", "add", "x", "--name", "X Y", "--role", "wizard",
        ],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = admin(dir.path(), &["frobnicate"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(2));
    // 3: wrong passphrase
    let out = admin(
        dir.path(),
        &["--user", "dana", "verify"],
        "not the passphrase at all",
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    // 4: not permitted
    let out = admin(
        dir.path(),
        &["--user", "frontdesk", "staff", "list"],
        DESK_PASS,
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let out = admin(dir.path(), &["--user", "frontdesk", "audit"], DESK_PASS);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    // 5: corrupt
    let db = dir.path().join("practice.db");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[300..320] {
        *b ^= 0x5A;
    }
    std::fs::write(&db, bytes).unwrap();
    let out = admin(dir.path(), &["--user", "dana", "verify"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("practice.db"));
}

#[test]
fn verify_exits_1_and_names_the_first_broken_audit_link() {
    use circle_core::vault::{
        db,
        keyring::{login_id, Keyring},
        secret::Passphrase,
    };
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    admin(
        dir.path(),
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "frontdesk",
            "--name",
            "Priya Castellanos",
            "--role",
            "front-desk",
        ],
        OWNER_PASS,
    );

    let mut keyring = Keyring::load(&dir.path().join("keyring.json")).unwrap();
    let keys = keyring
        .entry_mut("dana")
        .unwrap()
        .keys
        .open(&Passphrase::new(OWNER_PASS), &login_id("dana"))
        .unwrap()
        .keys;
    let conn = db::open(&dir.path().join("practice.db"), &keys.practice, false).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'session.lock' WHERE id = 2;")
        .unwrap();
    drop(conn);

    let out = admin(dir.path(), &["--user", "dana", "verify"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("the chain breaks at row 2"),
        "{}",
        text(&out)
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_circle-admin"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for line in [
        "0  ok",
        "1  findings",
        "2  usage",
        "3  wrong passphrase",
        "4  not permitted",
        "5  corrupt",
    ] {
        assert!(help.contains(line), "--help lacks {line:?}");
    }
}

/// Issue: `circle-admin` asked the front desk for the new person's
/// passphrase (failing with 2 without a terminal) before refusing.
#[test]
fn the_front_desk_adding_an_owner_is_refused_before_any_prompt() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    admin(
        dir.path(),
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "frontdesk",
            "--name",
            "Priya Castellanos",
            "--role",
            "front-desk",
        ],
        OWNER_PASS,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_circle-admin"))
        .arg("--vault")
        .arg(dir.path())
        .args([
            "--user",
            "frontdesk",
            "staff",
            "add",
            "mallory",
            "--name",
            "Mal Lory",
            "--role",
            "owner",
        ])
        .env("CIRCLE_PASSPHRASE", DESK_PASS)
        .env_remove("CIRCLE_NEW_PASSPHRASE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run circle-admin");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(!text(&out).contains("Initial passphrase"), "{}", text(&out));
}

/// `circle-admin` with extra environment (a recovery code, or no
/// passphrase at all) and no terminal to prompt on.
fn admin_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_circle-admin"));
    command
        .args(args)
        .env_remove("CIRCLE_PASSPHRASE")
        .env_remove("CIRCLE_RECOVERY_CODE")
        .stdin(std::process::Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run circle-admin")
}

fn path_arg(path: &std::path::Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// A vault with the owner and a front-desk login, and a backup of it
/// written by `backup --out FOLDER`.
fn vault_and_backup(root: &std::path::Path) -> (std::path::PathBuf, String, std::path::PathBuf) {
    let vault = root.join("vault");
    let code = init(&vault);
    let out = admin(
        &vault,
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "frontdesk",
            "--name",
            "Priya Castellanos",
            "--role",
            "front-desk",
        ],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let folder = root.join("backups");
    std::fs::create_dir(&folder).unwrap();
    let out = admin(
        &vault,
        &["--user", "dana", "backup", "--out", path_arg(&folder)],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        out.stderr.is_empty(),
        "no progress without a terminal: {}",
        text(&out)
    );
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = files[0].clone();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("circle-backup-") && name.ends_with(".circlebackup"),
        "{name}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("wrote {}", file.display())),
        "{stdout}"
    );
    assert!(stdout.contains("2 staff"), "{stdout}");
    (vault, code, file)
}

#[test]
fn backup_inspect_restore_then_verify_and_sign_in_on_the_restored_vault() {
    let root = tempfile::tempdir().unwrap();
    let (vault, _code, file) = vault_and_backup(root.path());
    let file_arg = path_arg(&file);

    // The outcome is recorded in the vault's audit trail.
    let out = admin(
        &vault,
        &["--user", "dana", "audit", "--json", "--limit", "5"],
        OWNER_PASS,
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("backup.written"),
        "{}",
        text(&out)
    );

    // An exact file name: that name, and nothing else in its folder.
    let named_folder = root.path().join("named");
    std::fs::create_dir(&named_folder).unwrap();
    let named = named_folder.join("harbour-nightly.circlebackup");
    let out = admin(
        &vault,
        &["--user", "dana", "backup", "--out", path_arg(&named)],
        OWNER_PASS,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let in_folder: Vec<_> = std::fs::read_dir(&named_folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(in_folder, vec![named.clone()]);
    // Neither a folder that is missing nor a name without the extension.
    for bad in [
        root.path().join("nowhere").join("x.circlebackup"),
        root.path().join("backup.zip"),
    ] {
        let out = admin(
            &vault,
            &["--user", "dana", "backup", "--out", path_arg(&bad)],
            OWNER_PASS,
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    }
    // The front desk may not back up.
    let out = admin(
        &vault,
        &[
            "--user",
            "frontdesk",
            "backup",
            "--out",
            path_arg(&named_folder),
        ],
        DESK_PASS,
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));

    // Inspect: no secret asked for.
    let out = admin_env(&["inspect-backup", file_arg], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let shown = text(&out);
    for expected in [
        "Harbour Group Practice",
        "created:",
        "app version:",
        "2 staff",
        "every part matches its SHA-256",
    ] {
        assert!(shown.contains(expected), "{expected:?} in {shown}");
    }
    let out = admin_env(&["inspect-backup", file_arg, "--json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["partsMatch"], true);
    assert_eq!(summary["practiceName"], "Harbour Group Practice");
    assert_eq!(summary["counts"]["staff"], 2);
    assert_eq!(
        summary["sizeBytes"].as_u64(),
        Some(std::fs::metadata(&file).unwrap().len())
    );

    // Restore onto a "new computer": a folder that does not exist yet.
    let restored = root.path().join("new-computer").join("Circle");
    let out = admin_env(
        &[
            "restore",
            file_arg,
            "--into",
            path_arg(&restored),
            "--user",
            "dana",
        ],
        &[("CIRCLE_PASSPHRASE", OWNER_PASS)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("restored Harbour Group Practice"),
        "{}",
        text(&out)
    );
    let out = admin(&restored, &["--user", "dana", "verify"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("ok:"), "{}", text(&out));
    let out = admin(
        &restored,
        &["--user", "frontdesk", "staff", "list"],
        DESK_PASS,
    );
    assert_eq!(
        out.status.code(),
        Some(4),
        "front desk signs in, then is refused: {}",
        text(&out)
    );
    let out = admin(&restored, &["--user", "dana", "staff", "list"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("frontdesk"), "{}", text(&out));

    // Restore over the vault itself: the old one is moved aside, not deleted.
    let out = admin_env(
        &[
            "restore",
            file_arg,
            "--into",
            path_arg(&vault),
            "--user",
            "dana",
        ],
        &[("CIRCLE_PASSPHRASE", OWNER_PASS)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let aside = stdout
        .lines()
        .find_map(|l| l.strip_prefix("the vault that was there is now in "))
        .and_then(|rest| rest.split(" (").next())
        .unwrap_or_else(|| panic!("where the old vault went: {stdout}"));
    assert!(
        std::path::Path::new(aside).join("keyring.json").is_file(),
        "{aside}"
    );
    let out = admin(&vault, &["--user", "dana", "verify"], OWNER_PASS);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn inspect_backup_of_a_damaged_file_exits_5_naming_the_part() {
    let root = tempfile::tempdir().unwrap();
    let (_vault, _code, file) = vault_and_backup(root.path());
    let mut archive = tar::Archive::new(std::fs::File::open(&file).unwrap());
    let (start, size) = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| e.path().unwrap().to_str() == Some("practice.db"))
        .map(|e| (e.raw_file_position(), e.header().size().unwrap()))
        .expect("a practice.db part");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[(start + size / 2) as usize] ^= 0x01;
    std::fs::write(&file, bytes).unwrap();

    let out = admin_env(&["inspect-backup", path_arg(&file)], &[]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("practice.db"), "{}", text(&out));
    let out = admin_env(&["inspect-backup", path_arg(&file), "--json"], &[]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["partsMatch"], false);
    assert!(summary["problem"]
        .as_str()
        .unwrap()
        .starts_with("practice.db"));

    // Restore refuses it before asking for a passphrase (none is set and
    // there is no terminal), and writes nothing.
    let parent = tempfile::tempdir().unwrap();
    let into = parent.path().join("Circle");
    let out = admin_env(
        &[
            "restore",
            path_arg(&file),
            "--into",
            path_arg(&into),
            "--user",
            "dana",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("practice.db"), "{}", text(&out));
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);

    let out = admin_env(
        &[
            "inspect-backup",
            path_arg(&root.path().join("missing.circlebackup")),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn restore_with_a_wrong_secret_exits_3_and_creates_nothing() {
    let root = tempfile::tempdir().unwrap();
    let (_vault, code, file) = vault_and_backup(root.path());
    let parent = tempfile::tempdir().unwrap();
    let into = parent.path().join("Circle");
    let restore = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["restore", path_arg(&file), "--into", path_arg(&into)];
        args.extend_from_slice(extra);
        admin_env(&args, env)
    };

    let out = restore(
        &["--user", "dana"],
        &[("CIRCLE_PASSPHRASE", "not the passphrase at all")],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);

    let wrong_code = "0000-1111-2222-3333-4444-5555-6666-7777";
    let out = restore(&["--recovery"], &[("CIRCLE_RECOVERY_CODE", wrong_code)]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("recovery code"), "{}", text(&out));
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);

    // Neither or both ways in: usage.
    assert_eq!(restore(&[], &[]).status.code(), Some(2));
    assert_eq!(
        restore(&["--user", "dana", "--recovery"], &[])
            .status
            .code(),
        Some(2)
    );

    // The recovery code of the time opens it.
    let out = restore(&["--recovery"], &[("CIRCLE_RECOVERY_CODE", &code)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(into.join("keyring.json").is_file());
}

#[test]
fn demo_makes_a_small_practice_prints_its_logins_and_refuses_a_vault_folder() {
    let root = tempfile::tempdir().unwrap();
    let vault = root.path().join("demo");
    let out = admin_env(
        &[
            "demo",
            "--scale",
            "small",
            "--vault",
            path_arg(&vault),
            "--seed",
            "7",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("demo practice: "), "{stdout}");
    assert!(stdout.contains("recovery code: "), "{stdout}");
    assert!(stdout.contains("throughput: "), "{stdout}");
    assert!(
        vault.join("demo-practice").is_file(),
        "the folder is marked"
    );

    // Every login printed signs in with the passphrase printed beside it.
    let logins: Vec<(String, String)> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("logins"))
        .skip(2)
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols[0].to_owned(), l.to_owned())
        })
        .collect();
    assert!(logins.len() >= 7, "the owner and six staff: {stdout}");
    for role in [
        "Owner",
        "Clinician",
        "Supervisor",
        "Practice manager",
        "Front desk",
    ] {
        assert!(
            logins.iter().any(|(_, l)| l.contains(role)),
            "a {role} login: {stdout}"
        );
    }
    let (owner, line) = &logins[0];
    // username, role (may be two words), four passphrase words, full name.
    let after_role = line
        .split_once("Owner")
        .map(|(_, rest)| rest.trim_start())
        .expect("the owner first");
    let passphrase: Vec<&str> = after_role.split_whitespace().take(4).collect();
    let out = admin(&vault, &["--user", owner, "verify"], &passphrase.join(" "));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let again = admin_env(
        &["demo", "--scale", "small", "--vault", path_arg(&vault)],
        &[],
    );
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("already holds a vault"),
        "{}",
        text(&again)
    );
}
