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
