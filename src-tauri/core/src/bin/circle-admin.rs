//! `circle-admin`: set up and look after a Circle vault from a terminal.
//! Scripts and tests depend on these exact command forms and exit codes.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use circle_core::accounts::{self, NewStaff};
use circle_core::audit::{self, AuditFilter};
use circle_core::backup::{self, BackupStage, BackupSummary, Credential, Target};
use circle_core::demo;
use circle_core::error::Error;
use circle_core::export;
use circle_core::import::{self, DateOrder, ImportChoices, ImportField, ImportReport, Table};
use circle_core::integrity;
use circle_core::retention;
use circle_core::roles::Role;
use circle_core::signin::{self, SetupRequest};
use circle_core::vault::{location::VaultLocation, secret::Passphrase};
use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  ok
  1  findings (verify found problems; verify-export: not released)
  2  usage or invalid input (including a backup folder that does not exist)
  3  wrong passphrase or recovery code (or too many attempts)
  4  not permitted for this login
  5  corrupt or unreadable vault or backup (inspect-backup and restore name
     the damaged part), or a backup that could not be written

Passphrases are read from CIRCLE_PASSPHRASE (the acting user's, or the new
owner's for init) and CIRCLE_NEW_PASSPHRASE (a new staff member's initial
passphrase); restore --recovery reads the recovery code from
CIRCLE_RECOVERY_CODE. When unset they are asked for without echo.";

#[derive(Parser)]
#[command(name = "circle-admin", version, about = "Set up and look after a Circle vault.", after_help = EXIT_CODES)]
struct Cli {
    /// The vault folder (default: CIRCLE_VAULT, else the OS app-data folder).
    #[arg(long, global = true)]
    vault: Option<PathBuf>,
    /// Who is acting (needed by every command except init, inspect-backup
    /// and restore --recovery).
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
    /// Check both databases, the audit chain and its anchor, and the keyring.
    Verify,
    /// Write a backup (owner or manager; a manager's holds clinical.db
    /// still encrypted, unread).
    Backup {
        /// An existing folder (the file gets Circle's own name, e.g.
        /// circle-backup-2026-12-01-1830.circlebackup), or a file name ending
        /// in .circlebackup in an existing folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into DIR: a vault already there is moved aside
    /// (never deleted); otherwise DIR must be new or empty. Nothing is
    /// touched unless every part checks out and the login opens it.
    Restore {
        /// The .circlebackup file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where the vault goes: this computer's vault folder, or a new one.
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// Open the backup with the recovery code (CIRCLE_RECOVERY_CODE)
        /// instead of --user's passphrase.
        #[arg(long)]
        recovery: bool,
    },
    /// What a backup holds and whether every part matches its SHA-256 (no
    /// passphrase needed; exit 5 naming the part when one does not).
    InspectBackup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
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
    /// Make a demo practice of invented people in --vault DIR (refused when
    /// DIR holds a vault) and print its logins, passphrases and recovery code.
    Demo {
        /// small (40 clients, three months) or large (the benchmark's ten
        /// years: 2,000 clients, 60 groups).
        #[arg(long, value_name = "small|large")]
        scale: String,
        /// With large: this many years of history (1–10) instead of ten.
        #[arg(long, value_name = "N")]
        years: Option<u32>,
        /// The same seed makes the same practice.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Bring a client list in from a CSV file (another system's export or a
    /// spreadsheet), checked by the client form's rules.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Records past the retention period, and purging them for good.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
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
enum RetentionCommand {
    /// Clients whose records are due for review (owner or manager).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Purge clients on the due list for good (the owner): their records
    /// leave both databases, which are then compacted.
    Purge {
        /// A client's id (see `retention list`); repeat for several.
        #[arg(long = "client", value_name = "ID", required = true)]
        clients: Vec<i64>,
        /// Confirms the purge: it cannot be undone.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Clients from FILE: every row checked; those that pass written in one
    /// transaction (all or none). Likely duplicates are skipped unless
    /// --import-duplicates. Prints the report: refused rows by line.
    Clients {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Which column fills which field, e.g. first=Given,last=Surname,dob=Born
        /// (fields: first, middle, last, preferred, pronouns, dob, phone, email,
        /// emergency-name, emergency-phone, status). Columns not named are left
        /// out; without --map the columns are guessed from the headers.
        #[arg(long, value_name = "FIELD=HEADER,…")]
        map: Option<String>,
        /// How dates with slashes are written, when the file leaves it open.
        #[arg(long, value_name = "dmy|mdy")]
        date_order: Option<String>,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the rows flagged as likely duplicates too.
        #[arg(long)]
        import_duplicates: bool,
        /// Also write the refused rows, with line and reason, to this CSV file.
        #[arg(long, value_name = "FILE")]
        rejected: Option<PathBuf>,
        #[arg(long)]
        json: bool,
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

/// `first=Given,last=Surname`: one field per named header; other columns
/// are left out.
fn columns_from_map(map: &str, table: &Table) -> Result<Vec<Option<ImportField>>, Failure> {
    let mut columns = vec![None; table.headers.len()];
    for pair in map.split(',').filter(|p| !p.trim().is_empty()) {
        let (field, header) = pair
            .split_once('=')
            .ok_or_else(|| Failure::Usage(format!("--map: “{pair}” is not FIELD=HEADER")))?;
        let field = ImportField::from_cli_name(field.trim())
            .ok_or_else(|| Failure::Usage(format!("--map: “{}” is not a field", field.trim())))?;
        let index = table
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(header.trim()))
            .ok_or_else(|| {
                Failure::Usage(format!("--map: the file has no column “{}”", header.trim()))
            })?;
        columns[index] = Some(field);
    }
    Ok(columns)
}

fn print_import_report(report: &ImportReport, dry_run: bool) {
    println!(
        "read {} rows ({}, separated by {}){}",
        report.rows,
        report.encoding,
        report.separator,
        report
            .layout
            .as_deref()
            .map(|l| format!(", recognised as a {l}"))
            .unwrap_or_default()
    );
    for column in &report.columns {
        let into = column.field.map_or("not imported", import::field_words);
        println!("  column “{}” → {into}", column.header);
    }
    for field in &report.missing {
        println!(
            "no column holds the {}: name it with --map",
            import::field_words(*field)
        );
    }
    if let Some(order) = report.date_order {
        println!("dates with slashes read as {}", order.words());
    }
    for rejected in &report.rejected {
        println!(
            "line {}: {}: {}",
            rejected.line, rejected.column, rejected.reason
        );
    }
    for duplicate in &report.duplicates {
        let mut like: Vec<String> = duplicate
            .existing
            .iter()
            .map(|c| format!("{} {}", c.record_number, c.display_name))
            .collect();
        like.extend(duplicate.earlier_lines.iter().map(|l| format!("line {l}")));
        println!(
            "line {}: likely duplicate of {}{}",
            duplicate.line,
            like.join(", "),
            if duplicate.importing {
                " (imported all the same)"
            } else {
                " (skipped)"
            }
        );
    }
    if dry_run {
        println!(
            "dry run: {} of {} rows would be imported, {} refused, {} likely duplicates",
            report.ready,
            report.rows,
            report.rejected.len(),
            report.duplicates.len()
        );
    } else {
        println!(
            "imported {} of {} rows; {} refused, {} likely duplicates",
            report.imported,
            report.rows,
            report.rejected.len(),
            report.duplicates.len()
        );
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    // These two read a backup file, not a vault: no --vault is needed.
    let command = match cli.command {
        Command::InspectBackup { file, json } => return inspect_backup(&file, json),
        Command::Restore {
            file,
            into,
            recovery,
        } => return restore_backup(&file, &into, cli.user, recovery),
        // Never the default folder: a demo must not land where the
        // practice's own vault belongs.
        Command::Demo { scale, years, seed } => return make_demo(cli.vault, &scale, years, seed),
        command => command,
    };
    let location = location(cli.vault)?;
    match command {
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
        Command::Import {
            what:
                ImportCommand::Clients {
                    file,
                    map,
                    date_order,
                    dry_run,
                    import_duplicates,
                    rejected,
                    json,
                },
        } => {
            let session = sign_in(&location, cli.user)?;
            let table =
                import::read_table(&std::fs::read(&file).map_err(|e| {
                    Failure::Usage(format!("cannot read {}: {e}", file.display()))
                })?)?;
            let mut choices = ImportChoices {
                columns: map
                    .as_deref()
                    .map(|m| columns_from_map(m, &table))
                    .transpose()?,
                date_order: match date_order.as_deref() {
                    None => None,
                    Some("dmy") => Some(DateOrder::DayMonthYear),
                    Some("mdy") => Some(DateOrder::MonthDayYear),
                    Some(_) => {
                        return Err(Failure::Usage("--date-order must be dmy or mdy".into()))
                    }
                },
                import_anyway: Vec::new(),
            };
            if import_duplicates {
                let checked = import::preview(&session, &table, &choices)?;
                choices.import_anyway = checked.duplicates.iter().map(|d| d.line).collect();
            }
            let report = if dry_run {
                import::preview(&session, &table, &choices)?
            } else {
                import::import(&session, &table, &choices)?
            };
            if let Some(out) = rejected {
                std::fs::write(&out, import::rejected_csv(&table, &report)?)
                    .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", out.display())))?;
            }
            session.lock()?;
            if json {
                print_json(&report)?;
            } else {
                print_import_report(&report, dry_run);
            }
        }
        Command::Retention { command } => {
            let session = sign_in(&location, cli.user)?;
            match command {
                RetentionCommand::List { json } => {
                    let due = retention::due(&session)?;
                    if json {
                        print_json(&due)?;
                    } else if due.is_empty() {
                        println!("no records are due");
                    } else {
                        for d in &due {
                            println!(
                                "{}\t{}\t{}\tlast contact {}\tdue {}{}",
                                d.client.id,
                                d.client.record_number,
                                d.client.display_name,
                                d.last_contact,
                                d.due_on,
                                if d.minor_at_last_contact {
                                    "\tminor at last contact"
                                } else {
                                    ""
                                }
                            );
                        }
                    }
                }
                RetentionCommand::Purge { clients, yes } => {
                    if !yes {
                        return Err(Failure::Usage(
                            "purging cannot be undone: add --yes to confirm".into(),
                        ));
                    }
                    let count = u32::try_from(clients.len()).unwrap_or(u32::MAX);
                    let report = retention::purge(&session, &clients, count)?;
                    println!(
                        "purged {} ({} shared notes now name them by a label); both databases compacted",
                        report.purged.join(", "),
                        report.notes_relabelled
                    );
                    println!(
                        "Backups made before now still hold these records until they rotate out."
                    );
                }
            }
            session.lock()?;
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
        Command::Backup { out } => return back_up(&location, cli.user, &out),
        Command::InspectBackup { .. } | Command::Restore { .. } | Command::Demo { .. } => {
            unreachable!("handled before the vault is located")
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

/// `demo --scale small|large [--years N] --vault DIR [--seed N]`.
fn make_demo(
    vault: Option<PathBuf>,
    scale: &str,
    years: Option<u32>,
    seed: u64,
) -> Result<ExitCode, Failure> {
    let dir = vault.ok_or_else(|| {
        Failure::Usage("demo needs --vault DIR (a new or empty folder for the demo)".into())
    })?;
    let scale = demo::Scale::from_cli(scale)
        .ok_or_else(|| Failure::Usage("--scale must be small or large".into()))?;
    let scale = match (scale, years) {
        (_, None) => scale,
        (demo::Scale::Large, Some(n @ 1..=10)) => demo::Scale::LargeYears(n),
        _ => {
            return Err(Failure::Usage(
                "--years goes with --scale large and is 1 to 10".into(),
            ))
        }
    };
    let location = VaultLocation::at(&dir);
    if location.vault_exists() {
        return Err(Failure::Usage(format!(
            "{} already holds a vault: choose a new or empty folder for the demo",
            dir.display()
        )));
    }
    let mut progress = Progress::new();
    let made = demo::generate(&location, scale, seed, &mut |p| {
        progress.show(phase_label(p.phase), p.done as f64 / p.total.max(1) as f64)
    });
    progress.done();
    let practice = match made {
        Ok(practice) => practice,
        Err(e) => {
            eprintln!(
                "circle-admin: the demo was not finished; delete {} before trying again",
                dir.display()
            );
            return Err(e.into());
        }
    };
    demo::marker::mark(location.dir()).map_err(|e| Failure::Core(Error::Io(e)))?;
    let c = &practice.counts;
    println!(
        "demo practice: {} ({}) in {}",
        practice.practice_name,
        practice.timezone,
        location.dir().display()
    );
    println!("logins (every person is invented; sign in as any of them):");
    println!(
        "  {:<20} {:<18} {:<36} full name",
        "username", "role", "passphrase"
    );
    for login in &practice.logins {
        println!(
            "  {:<20} {:<18} {:<36} {}",
            login.username,
            login.role.label(),
            login.passphrase.expose(),
            login.full_name
        );
    }
    println!("recovery code: {}", practice.recovery_code.expose());
    println!(
        "made: {} staff, {} rooms, {} clients ({} prospects), {} groups, {} series, {} sessions ({} past, {} today), {} enrollments, {} attendance marks, {} goals, {} signed notes ({} co-signed, {} awaiting co-signature), {} drafts, {} member sections, {} addenda, {} appointments",
        c.staff,
        c.rooms,
        c.clients,
        c.prospects,
        c.groups,
        c.series,
        c.sessions,
        c.past_sessions,
        c.sessions_today,
        c.enrollments,
        c.attendance,
        c.goals,
        c.signed_notes,
        c.cosigned_notes,
        c.awaiting_cosign,
        c.drafts,
        c.member_sections,
        c.addenda,
        c.appointments
    );
    println!(
        "throughput: {:.1} sessions/s, {:.1} member sections/s (sessions phase {:.1} s; whole run {:.1} s)",
        practice.sessions_per_second(),
        practice.member_sections_per_second(),
        practice.sessions_elapsed.as_secs_f64(),
        practice.elapsed.as_secs_f64()
    );
    println!(
        "open it: CIRCLE_VAULT={} make run",
        location.dir().display()
    );
    Ok(ExitCode::SUCCESS)
}

fn phase_label(phase: demo::GenPhase) -> &'static str {
    match phase {
        demo::GenPhase::Staff => "staff",
        demo::GenPhase::Clients => "rooms and clients",
        demo::GenPhase::Roster => "groups and rosters",
        demo::GenPhase::Appointments => "appointments",
        demo::GenPhase::Sessions => "sessions and notes",
    }
}

/// `backup --out`: into a folder under Circle's own name, or under the
/// exact `.circlebackup` name asked for (written under Circle's name in
/// that folder, then renamed there: still never a half file under it).
fn back_up(
    location: &VaultLocation,
    user: Option<String>,
    out: &Path,
) -> Result<ExitCode, Failure> {
    let (folder, rename_to) = if out.is_dir() {
        (out.to_path_buf(), None)
    } else if out.extension().and_then(|e| e.to_str()) == Some(backup::archive::EXTENSION) {
        let folder = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(Failure::Usage(format!(
                "--out: the folder {} does not exist",
                folder.display()
            )));
        }
        (folder, Some(out.to_path_buf()))
    } else {
        return Err(Failure::Usage(format!(
            "--out must be an existing folder, or a file name ending in .{}",
            backup::archive::EXTENSION
        )));
    };
    let session = sign_in(location, user)?;
    let prepared = backup::prepare(&session, Some(&folder))?;
    let mut progress = Progress::new();
    let mut finished = prepared.run(&mut |p| progress.show(stage_label(p.stage), p.fraction));
    progress.done();
    let mut rename_error = None;
    if let (Some(target), Ok(written)) = (&rename_to, finished.result.as_mut()) {
        match std::fs::rename(&written.file, target) {
            Ok(()) => {
                written.file = target.clone();
                if let Err(e) = sync_dir(&folder) {
                    rename_error = Some(e);
                }
            }
            Err(e) => rename_error = Some(e),
        }
    }
    // The run row and audit entry name the file as it now is.
    backup::record(&session, &finished)?;
    session.lock()?;
    match &finished.result {
        Ok(written) => {
            println!(
                "wrote {} ({})",
                written.file.display(),
                size_text(written.size)
            );
            println!("holds: {}", holds(&written.manifest.counts));
            if written.manifest.clinical_copy == "file" {
                println!("{CLINICAL_AS_IS}");
            }
            if let Some(e) = rename_error {
                eprintln!(
                    "circle-admin: the backup is whole, but it could not be renamed to {}: {e}",
                    out.display()
                );
                return Ok(ExitCode::from(5));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(failed) => {
            eprintln!("circle-admin: {}", failed.message);
            Ok(ExitCode::from(match failed.kind {
                backup::BackupFailure::FolderMissing => 2,
                _ => 5,
            }))
        }
    }
}

const CLINICAL_AS_IS: &str = "clinical.db: copied as it is, still encrypted (this login holds no clinical key, so notes were neither read nor counted)";

/// `restore FILE --into DIR`: a vault in DIR is replaced (moved aside),
/// anything else is a new folder (the core refuses one that is not empty).
fn restore_backup(
    file: &Path,
    into: &Path,
    user: Option<String>,
    recovery: bool,
) -> Result<ExitCode, Failure> {
    if recovery == user.is_some() {
        return Err(Failure::Usage(
            "restore needs either --user USERNAME (their passphrase at the time of the backup) or --recovery".into(),
        ));
    }
    // A damaged backup is named before anyone is asked for a secret.
    if std::io::stderr().is_terminal() {
        eprintln!("checking {} …", file.display());
    }
    let summary = read_summary(file)?;
    if let Some(problem) = &summary.problem {
        let (part, reason) = problem
            .split_once(": ")
            .unwrap_or(("the backup file", problem));
        return Err(Error::BackupDamaged {
            part: part.to_owned(),
            reason: reason.to_owned(),
        }
        .into());
    }
    let credential = match user {
        Some(username) => {
            let passphrase =
                passphrase_from("CIRCLE_PASSPHRASE", &format!("Passphrase for {username}: "))?;
            Credential::Passphrase {
                username,
                passphrase,
            }
        }
        None => {
            Credential::RecoveryCode(passphrase_from("CIRCLE_RECOVERY_CODE", "Recovery code: ")?)
        }
    };
    let existing = VaultLocation::at(into);
    let target = if existing.vault_exists() {
        Target::Replace(existing)
    } else {
        Target::NewFolder(into.to_path_buf())
    };
    let mut progress = Progress::new();
    let result = backup::restore(file, &credential, &target, &mut |done, total| {
        progress.show("restoring", done as f64 / total.max(1) as f64)
    });
    progress.done();
    let restored = match result {
        Ok(restored) => restored,
        // A wrong recovery code is a wrong secret, like a wrong passphrase.
        Err(Error::Invalid { field, reason }) if field == "recoveryCode" => {
            eprintln!("circle-admin: {reason}");
            return Ok(ExitCode::from(3));
        }
        Err(e) => return Err(e.into()),
    };
    let s = &restored.summary;
    println!(
        "restored {} as it was at {} (backup made by Circle {}) into {}",
        s.practice_name,
        s.created_at,
        s.app_version,
        restored.location.dir().display()
    );
    println!("holds: {}", holds(&s.counts));
    if s.clinical_copied_without_key {
        println!("{CLINICAL_AS_IS}");
    }
    if let Some(aside) = &restored.moved_aside {
        println!(
            "the vault that was there is now in {} (nothing was deleted)",
            aside.display()
        );
    }
    println!("Sign in with a passphrase that was current when the backup was made.");
    Ok(ExitCode::SUCCESS)
}

/// `inspect-backup FILE`: no secret needed; exit 5 naming the part when
/// one does not match the manifest.
fn inspect_backup(file: &Path, json: bool) -> Result<ExitCode, Failure> {
    let summary = read_summary(file)?;
    if json {
        print_json(&summary)?;
    } else {
        println!("practice:     {}", summary.practice_name);
        println!("created:      {}", summary.created_at);
        println!("app version:  {}", summary.app_version);
        println!("size:         {}", size_text(summary.size_bytes));
        println!("holds:        {}", holds(&summary.counts));
        if summary.clinical_copied_without_key {
            println!("              {CLINICAL_AS_IS}");
        }
        match &summary.problem {
            None => println!("parts:        every part matches its SHA-256 in the manifest"),
            Some(problem) => println!("parts:        DAMAGED: {problem}"),
        }
    }
    match &summary.problem {
        Some(problem) => {
            eprintln!("circle-admin: This backup cannot be used: {problem}.");
            Ok(ExitCode::from(5))
        }
        None => Ok(ExitCode::SUCCESS),
    }
}

fn read_summary(file: &Path) -> Result<BackupSummary, Failure> {
    if !file.is_file() {
        return Err(Failure::Usage(format!(
            "cannot read {}: no such file",
            file.display()
        )));
    }
    Ok(backup::inspect(file)?)
}

fn holds(c: &backup::manifest::Counts) -> String {
    let count = |n: Option<i64>, what: &str| match n {
        Some(n) => format!("{n} {what}"),
        None => format!("{what} not counted"),
    };
    format!(
        "{} staff, {} clients, {} groups, {} sessions, {} attendance marks, {}, {}, {} audit rows",
        c.staff,
        c.clients,
        c.groups,
        c.sessions,
        c.attendance,
        count(c.signed_notes, "signed notes"),
        count(c.goals, "goals"),
        c.audit_rows
    )
}

fn size_text(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MIB {
        format!("{:.1} MiB, {bytes} bytes", bytes as f64 / MIB)
    } else {
        format!("{:.0} KiB, {bytes} bytes", bytes as f64 / 1024.0)
    }
}

fn stage_label(stage: BackupStage) -> &'static str {
    match stage {
        BackupStage::Practice => "copying practice.db",
        BackupStage::Clinical => "copying clinical.db",
        BackupStage::Writing => "writing the backup",
        BackupStage::Pruning => "removing old backups",
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // No directory fsync on Windows; the rename itself is durable enough.
    Ok(())
}

/// One line of progress on stderr, redrawn in place, and only when stderr
/// is a terminal: scripts and logs get the result lines alone.
struct Progress {
    on: bool,
    shown: Option<(&'static str, u32)>,
}

impl Progress {
    fn new() -> Self {
        Progress {
            on: std::io::stderr().is_terminal(),
            shown: None,
        }
    }

    fn show(&mut self, label: &'static str, fraction: f64) {
        let percent = (fraction.clamp(0.0, 1.0) * 100.0).floor() as u32;
        if !self.on || self.shown == Some((label, percent)) {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{label:<22} {percent:>3}%");
        let _ = err.flush();
        self.shown = Some((label, percent));
    }

    fn done(&mut self) {
        if self.on && self.shown.take().is_some() {
            eprint!("\r{:<27}\r", "");
        }
    }
}
