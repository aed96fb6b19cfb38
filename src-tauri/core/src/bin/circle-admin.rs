//! `circle-admin`: set up and look after a Circle vault from a terminal.
//! Scripts and tests depend on these exact command forms and exit codes.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use circle_core::accounts::{self, NewStaff};
use circle_core::audit::{self, AuditFilter};
use circle_core::error::Error;
use circle_core::export;
use circle_core::integrity;
use circle_core::roles::Role;
use circle_core::signin::{self, SetupRequest};
use circle_core::vault::{location::VaultLocation, secret::Passphrase};
use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  ok
  1  findings (verify found problems; verify-export: not released)
  2  usage or invalid input
  3  wrong passphrase (or too many attempts)
  4  not permitted for this login
  5  corrupt or unreadable vault

Passphrases are read from CIRCLE_PASSPHRASE (the acting user's, or the new
owner's for init) and CIRCLE_NEW_PASSPHRASE (a new staff member's initial
passphrase); when unset they are asked for without echo.";

#[derive(Parser)]
#[command(name = "circle-admin", version, about = "Set up and look after a Circle vault.", after_help = EXIT_CODES)]
struct Cli {
    /// The vault folder (default: CIRCLE_VAULT, else the OS app-data folder).
    #[arg(long, global = true)]
    vault: Option<PathBuf>,
    /// Who is acting (needed by every command except init).
    #[arg(long, global = true)]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault with its owner; prints the recovery code once.
    Init {
        #[arg(long)]
        practice: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. Europe/London (default: UTC).
        #[arg(long, default_value = "UTC")]
        timezone: String,
    },
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Check both databases and the audit chain.
    Verify,
    /// Show the audit trail, newest first.
    Audit {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Write a PDF (nothing is written when refused; exit 4).
    Export {
        #[command(subcommand)]
        kind: ExportCommand,
    },
    /// Is FILE exactly a PDF this practice released? When, by whom, to whom.
    VerifyExport { file: PathBuf },
    /// Measure how long an unlock takes (Argon2id + opening the databases).
    UnlockTime {
        #[arg(long, default_value_t = 3)]
        runs: u32,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a person; their initial passphrase comes from CIRCLE_NEW_PASSPHRASE.
    Add {
        username: String,
        #[arg(long)]
        name: String,
        /// owner | clinician | supervisor | manager | front-desk
        #[arg(long)]
        role: String,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Deactivate {
        username: String,
        /// Re-encrypt the databases under new keys afterwards.
        #[arg(long)]
        rotate_keys: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A client's record over a date range, redacted as their chart shows it.
    Record {
        #[arg(long)]
        client: i64,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
        /// Who receives it (default: the client themself).
        #[arg(long)]
        recipient: Option<String>,
        #[arg(long, default_value = "")]
        purpose: String,
    },
    /// One session's whole signed note.
    Session {
        #[arg(long)]
        session: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// A group's attendance over a date range.
    Attendance {
        #[arg(long)]
        group: i64,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// One day's sessions and appointments.
    Day {
        #[arg(long)]
        date: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// A client's accounting of disclosures.
    Disclosures {
        #[arg(long)]
        client: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("circle-admin: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Core(error)) => {
            let code = exit_code(&error);
            match error.field() {
                Some(field) => eprintln!("circle-admin: {field}: {error}"),
                None => eprintln!("circle-admin: {error}"),
            }
            ExitCode::from(code)
        }
    }
}

enum Failure {
    Usage(String),
    Core(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

fn exit_code(error: &Error) -> u8 {
    match error {
        Error::WrongPassphrase | Error::RateLimited { .. } => 3,
        Error::Forbidden | Error::ForbiddenBecause { .. } | Error::PassphraseChangeRequired => 4,
        Error::Corrupt { .. }
        | Error::BackupDamaged { .. }
        | Error::VaultTooNew { .. }
        | Error::Storage { .. }
        | Error::Io(_) => 5,
        Error::Locked | Error::NotFound { .. } | Error::Invalid { .. } | Error::Conflict { .. } => {
            2
        }
    }
}

fn location(cli_vault: Option<PathBuf>) -> Result<VaultLocation, Failure> {
    match cli_vault {
        Some(dir) => Ok(VaultLocation::at(dir)),
        None => VaultLocation::from_env_or_default()
            .ok_or_else(|| Failure::Usage("no vault folder: pass --vault DIR".into())),
    }
}

fn passphrase_from(var: &str, prompt: &str) -> Result<Passphrase, Failure> {
    match std::env::var(var) {
        Ok(value) => Ok(Passphrase::new(value)),
        Err(_) => rpassword::prompt_password(prompt)
            .map(Passphrase::new)
            .map_err(|e| Failure::Usage(format!("could not read a passphrase: {e}"))),
    }
}

fn sign_in(
    location: &VaultLocation,
    user: Option<String>,
) -> Result<circle_core::signed_in::SignedIn, Failure> {
    let user = user.ok_or_else(|| Failure::Usage("this command needs --user USERNAME".into()))?;
    let passphrase = passphrase_from("CIRCLE_PASSPHRASE", &format!("Passphrase for {user}: "))?;
    Ok(signin::unlock(location, &user, &passphrase)?)
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let location = location(cli.vault)?;
    match cli.command {
        Command::Init {
            practice,
            owner,
            name,
            timezone,
        } => {
            let passphrase = passphrase_from("CIRCLE_PASSPHRASE", "Owner's passphrase: ")?;
            let (session, code) = signin::setup(
                &location,
                SetupRequest {
                    practice_name: practice,
                    timezone,
                    owner_full_name: name,
                    owner_username: owner,
                    passphrase,
                },
            )?;
            session.lock()?;
            println!("vault created in {}", location.dir().display());
            println!("recovery code: {}", code.expose());
            println!("Store the recovery code somewhere safe and offline: it is shown only once.");
        }
        Command::Staff { command } => {
            let mut session = sign_in(&location, cli.user)?;
            match command {
                StaffCommand::Add {
                    username,
                    name,
                    role,
                } => {
                    let role = Role::from_cli(&role).ok_or_else(|| {
                        Failure::Usage(
                            "--role must be owner, clinician, supervisor, manager or front-desk"
                                .into(),
                        )
                    })?;
                    // Refuse before asking for anything: someone who may not
                    // add staff is never prompted for a passphrase.
                    accounts::may_add(&session, role)?;
                    let initial = passphrase_from(
                        "CIRCLE_NEW_PASSPHRASE",
                        &format!("Initial passphrase for {username}: "),
                    )?;
                    let member = accounts::add(
                        &session,
                        NewStaff {
                            username,
                            full_name: name,
                            role,
                            initial_passphrase: initial,
                        },
                    )?;
                    println!(
                        "added {} ({}) as {}",
                        member.username,
                        member.id,
                        member.role.label()
                    );
                }
                StaffCommand::List { json } => {
                    let members = accounts::list(&session)?;
                    if json {
                        print_json(&members)?;
                    } else {
                        for m in &members {
                            let status = if m.active { "active" } else { "deactivated" };
                            println!(
                                "{:<20} {:<18} {:<11} {}",
                                m.username,
                                m.role.label(),
                                status,
                                m.full_name
                            );
                        }
                    }
                }
                StaffCommand::Deactivate {
                    username,
                    rotate_keys,
                } => {
                    let member = accounts::list(&session)?
                        .into_iter()
                        .find(|m| m.username.eq_ignore_ascii_case(&username))
                        .ok_or(Error::NotFound {
                            what: "That username",
                        })?;
                    let outcome =
                        accounts::deactivate(&mut session, member.id, rotate_keys, &mut |p| {
                            eprintln!("[{}/{}] {}", p.step, p.of, p.label);
                        })?;
                    println!("deactivated {username}");
                    if let Some(o) = outcome {
                        println!(
                            "keys rotated: practice={} clinical={}; {} logins receive the new keys at next sign-in",
                            o.practice_rotated, o.clinical_rotated, o.colleagues_updated
                        );
                        if !o.clinical_rotated {
                            println!("clinical.db was not rotated: this login cannot open it. Ask an owner to rotate.");
                        }
                    }
                }
            }
            session.lock()?;
        }
        Command::Verify => {
            let session = sign_in(&location, cli.user)?;
            let report = integrity::verify(&session)?;
            session.lock()?;
            if !report.clinical_checked {
                println!("note: clinical.db not checked (this login cannot open it)");
            }
            if report.findings.is_empty() {
                println!("ok: databases intact, audit chain unbroken");
            } else {
                for f in &report.findings {
                    println!("{f}");
                }
                return Ok(ExitCode::from(1));
            }
        }
        Command::Audit { json, limit } => {
            let session = sign_in(&location, cli.user)?;
            let rows = audit::list_for(
                &session,
                &AuditFilter {
                    limit: Some(limit),
                    ..AuditFilter::default()
                },
            )?;
            session.lock()?;
            if json {
                print_json(&rows)?;
            } else {
                for r in &rows {
                    let entity = match (&r.entity_kind, r.entity_id) {
                        (Some(k), Some(id)) => format!("{k}#{id}"),
                        _ => "-".into(),
                    };
                    let actor = r
                        .actor_id
                        .map(|a| format!("staff#{a}"))
                        .unwrap_or_else(|| "-".into());
                    println!(
                        "{:>6}  {}  {:<10} {:<32} {:<12} {}",
                        r.id,
                        r.at,
                        actor,
                        r.action,
                        entity,
                        r.detail.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Command::Export { kind } => {
            let session = sign_in(&location, cli.user)?;
            let (prepared, out) = match kind {
                ExportCommand::Record {
                    client,
                    from,
                    to,
                    out,
                    recipient,
                    purpose,
                } => (
                    export::member_record::prepare(
                        &session,
                        &export::member_record::RecordRequest {
                            client_id: client,
                            from,
                            to,
                            recipient,
                            purpose,
                        },
                    )?,
                    out,
                ),
                ExportCommand::Session { session: id, out } => {
                    (export::session_packet::prepare(&session, id)?, out)
                }
                ExportCommand::Attendance {
                    group,
                    from,
                    to,
                    out,
                } => (
                    export::attendance_report::prepare(&session, group, &from, &to)?,
                    out,
                ),
                ExportCommand::Day { date, out } => {
                    (export::day_sheet::prepare(&session, &date)?, out)
                }
                ExportCommand::Disclosures { client, out } => {
                    (export::disclosure_report::prepare(&session, client)?, out)
                }
            };
            let released = export::export_to(&session, &prepared, &out)?;
            session.lock()?;
            println!(
                "wrote {} ({} pages, {} bytes) sha256 {}",
                out.display(),
                released.pages,
                released.bytes,
                released.sha256
            );
            if !released.missing_scripts.is_empty() {
                println!(
                    "warning: no font on this computer shows {}: that text prints as empty boxes",
                    released.missing_scripts.join(", ")
                );
            }
        }
        Command::VerifyExport { file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", file.display())))?;
            let session = sign_in(&location, cli.user)?;
            let outcome = export::verify(&session, &bytes)?;
            session.lock()?;
            match outcome {
                export::Verification::Released {
                    kind,
                    released_at,
                    released_by,
                    recipients,
                    sha256,
                } => {
                    println!(
                        "released: {} released {} by {}{} (sha256 {sha256})",
                        kind.label(),
                        released_at,
                        released_by,
                        if recipients.is_empty() {
                            String::new()
                        } else {
                            format!(" to {}", recipients.join(", "))
                        }
                    );
                }
                export::Verification::NotReleased { sha256 } => {
                    println!(
                        "not released: this file (sha256 {sha256}) is not one this practice released, or it was changed after release"
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::UnlockTime { runs } => {
            let user = cli
                .user
                .ok_or_else(|| Failure::Usage("this command needs --user USERNAME".into()))?;
            let passphrase =
                passphrase_from("CIRCLE_PASSPHRASE", &format!("Passphrase for {user}: "))?;
            let mut times = Vec::new();
            for _ in 0..runs.max(1) {
                let start = Instant::now();
                let session = signin::unlock(&location, &user, &passphrase)?;
                times.push(start.elapsed());
                session.lock()?;
            }
            times.sort();
            let median = times[times.len() / 2];
            println!(
                "unlock (Argon2id m=64 MiB t=3 p=1 + open practice.db and clinical.db): median {:.0} ms over {} runs (min {:.0} ms, max {:.0} ms)",
                median.as_secs_f64() * 1000.0,
                times.len(),
                times[0].as_secs_f64() * 1000.0,
                times[times.len() - 1].as_secs_f64() * 1000.0
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
