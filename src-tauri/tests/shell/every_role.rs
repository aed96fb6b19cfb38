//! Issue 16, suite 3: every role × every command.
//!
//! Every command Circle registers is called through the shell (the real
//! invoke handler on the mock runtime, see `harness`) as the owner, a
//! clinician who facilitates the group of the client or session at hand, a
//! clinician who does not, a supervisor, the practice manager and the front
//! desk, each signed in to one real vault in turn, and once more while
//! locked. What each is expected to get is derived from DESIGN.md's role
//! table, row by row ([`Design`]); where Circle deliberately differs, the
//! difference is listed in [`DEVIATIONS`] with its reason, and the printed
//! table marks it. A command registered without a row here fails the test.
//!
//! The front desk's attempt on every clinical command is also watched from
//! outside: clinical.db (and its WAL) keep their bytes and modification
//! time, and practice.db's audit log gains no row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use circle_core::vault::keyring::{login_id, Keyring};
use circle_core::vault::secret::Passphrase;
use serde_json::{json, Value};

use crate::harness::{self, channel, client_input, date, full_draft, Answer, Shell, ZONE};

// ---------------------------------------------------------------- people

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Owner,
    /// A clinician who facilitates the group the fixtures belong to.
    ClinIn,
    /// A clinician who does not.
    ClinOut,
    Supervisor,
    Manager,
    FrontDesk,
}

impl Who {
    const ALL: [Who; 6] = [
        Who::Owner,
        Who::ClinIn,
        Who::ClinOut,
        Who::Supervisor,
        Who::Manager,
        Who::FrontDesk,
    ];

    fn i(self) -> usize {
        self as usize
    }

    fn username(self) -> &'static str {
        ["dana", "cin", "cout", "sam", "mia", "fran"][self.i()]
    }

    fn full_name(self) -> &'static str {
        [
            "Dana Reyes",
            "Carmen Inglis",
            "Colm Ortega",
            "Samira Haddad",
            "Mia Kowalski",
            "Fran Adeyemi",
        ][self.i()]
    }

    fn role(self) -> &'static str {
        [
            "owner",
            "clinician",
            "clinician",
            "supervisor",
            "manager",
            "frontDesk",
        ][self.i()]
    }

    fn column(self) -> &'static str {
        [
            "owner",
            "clin-in",
            "clin-out",
            "superv",
            "manager",
            "frontdesk",
        ][self.i()]
    }

    /// The passphrase each person chose at their first sign-in.
    fn own_passphrase(self) -> &'static str {
        [
            "quiet lantern orchard tide",
            "amber falcon river mosaic",
            "silver canyon tulip anchor",
            "velvet harbor comet juniper",
            "granite meadow puzzle otter",
            "saffron glacier violin ember",
        ][self.i()]
    }

    /// The one `change_own_passphrase` moves them to.
    fn next_passphrase(self) -> &'static str {
        [
            "cobalt willow summit lagoon",
            "maple thunder origami quartz",
            "lilac tempest harbor drum",
            "onyx prairie lantern fig",
            "coral bishop meadow spark",
            "ivory nomad crystal pine",
        ][self.i()]
    }

    fn clinical(self) -> bool {
        matches!(
            self,
            Who::Owner | Who::ClinIn | Who::ClinOut | Who::Supervisor
        )
    }
}

/// What an administrator gives a new login (they choose their own at once).
const ASSIGNED: &str = "tundra pebble quiver lantern";
/// What `staff_reset_passphrase` gives someone.
const RESET: &str = "marble cactus ripple dawn";

// ---------------------------------------------------------------- DESIGN.md

/// A row of DESIGN.md's "Roles" table (or the sentence around it) that a
/// command belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Called at the unlock screen, before anyone signs in (setup, unlock,
    /// recovery, restore's file choice): no role applies.
    BeforeSignIn,
    /// Anything a signed-in person does about their own sign-in (lock,
    /// keep-alive, own passphrase) or that shows nothing of the practice
    /// beyond its name and zone.
    AnySignedIn,
    /// Row 1: clients' demographics, groups, schedule, booking, check-in.
    Scheduling,
    /// Row 2, on one client's record or one group's session: read/write
    /// notes, goals. Clinician: own groups' clients only.
    NotesOfClient,
    /// Row 2, lists and search over every note (each shows only what the
    /// person may read): any clinical role.
    NotesLists,
    /// Row 3, "sign": owner, supervisor, and a clinician for own groups.
    Sign,
    /// Row 3, "co-sign a supervisee's note": owner and supervisor.
    CoSign,
    /// Row 4: staff accounts, practice settings, backups, audit log.
    Admin,
    /// Row 4 for something that wraps the clinical key (the recovery code):
    /// an administrator who holds that key, i.e. the owner.
    AdminClinicalKey,
    /// "changing facilitators is for owner, manager and supervisor".
    ChooseFacilitators,
    /// "Clinical access is never granted silently: a clinical-key holder
    /// approves it."
    ClinicalKeyHolder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    /// The command's typed refusal (`kind: "forbidden"`).
    Refused,
    NotApplicable,
    /// Anything else: a typed error of another kind, or an IPC failure.
    Other(String),
}

impl Outcome {
    fn cell(&self) -> String {
        match self {
            Outcome::Allowed => "✓".into(),
            Outcome::Refused => "–".into(),
            Outcome::NotApplicable => "n/a".into(),
            Outcome::Other(kind) => kind.clone(),
        }
    }
}

impl Design {
    fn source(self) -> &'static str {
        match self {
            Design::BeforeSignIn => "before sign-in",
            Design::AnySignedIn => "any signed-in person",
            Design::Scheduling => "R1 demographics/groups/schedule",
            Design::NotesOfClient => "R2 notes, goals (own groups)",
            Design::NotesLists => "R2 notes lists, search",
            Design::Sign => "R3 sign",
            Design::CoSign => "R3 co-sign",
            Design::Admin => "R4 staff/settings/backups/audit",
            Design::AdminClinicalKey => "R4 ∩ clinical key (owner)",
            Design::ChooseFacilitators => "facilitators: O/M/S",
            Design::ClinicalKeyHolder => "clinical-key holder approves",
        }
    }

    /// The cell of DESIGN.md's table for `who`.
    fn expect(self, who: Who) -> Outcome {
        use Who::*;
        let allowed = match self {
            Design::BeforeSignIn => return Outcome::NotApplicable,
            Design::AnySignedIn | Design::Scheduling => true,
            Design::NotesOfClient | Design::Sign => {
                matches!(who, Owner | ClinIn | Supervisor)
            }
            Design::NotesLists | Design::ClinicalKeyHolder => who.clinical(),
            Design::CoSign => matches!(who, Owner | Supervisor),
            Design::Admin => matches!(who, Owner | Manager),
            Design::AdminClinicalKey => who == Owner,
            Design::ChooseFacilitators => matches!(who, Owner | Manager | Supervisor),
        };
        if allowed {
            Outcome::Allowed
        } else {
            Outcome::Refused
        }
    }

    /// Clinical: the front desk's attempt must leave clinical.db alone.
    fn clinical(self) -> bool {
        matches!(
            self,
            Design::NotesOfClient
                | Design::NotesLists
                | Design::Sign
                | Design::CoSign
                | Design::ClinicalKeyHolder
                | Design::AdminClinicalKey
        )
    }
}

/// One row of the table: a command (with a variant when one command falls
/// under two rows, e.g. a group edit that changes its facilitators).
#[derive(Debug, Clone, Copy)]
pub struct Row {
    cmd: &'static str,
    variant: Option<&'static str>,
    design: Design,
}

const fn row(cmd: &'static str, design: Design) -> Row {
    Row {
        cmd,
        variant: None,
        design,
    }
}

const fn variant(cmd: &'static str, variant: &'static str, design: Design) -> Row {
    Row {
        cmd,
        variant: Some(variant),
        design,
    }
}

impl Row {
    fn name(&self) -> String {
        match self.variant {
            Some(v) => format!("{} [{v}]", self.cmd),
            None => self.cmd.to_owned(),
        }
    }
}

/// Commands called at the unlock screen, with what each must answer there.
const BEFORE_SIGN_IN: &[(&str, &str)] = &[
    ("app_info", "ok"),
    ("practice_locales", "ok"),
    ("passphrase_strength", "ok"),
    // A vault is there already: setup and the demo are for a first run.
    ("setup_practice", "conflict"),
    ("demo_create", "conflict"),
    // With a code that is not the recovery code: refused beside its field.
    ("recover", "invalid"),
    ("unlock", "ok"),
    ("backup_choose_file", "ok"),
];

/// Every signed-in command, in the order each person's turn calls them
/// (drafts before signing, the lock last). `backup_restore` runs after all
/// turns, at the unlock screen, with each person's own credential.
const ROWS: &[Row] = {
    use Design::*;
    &[
        row("current_sign_in", AnySignedIn),
        row("keep_alive", AnySignedIn),
        // Reading only (every screen's header shows the name and zone);
        // changing a setting is row 4.
        row("practice_settings", AnySignedIn),
        row("export_cancel", AnySignedIn),
        row("client_search", Scheduling),
        row("client_get", Scheduling),
        row("client_create", Scheduling),
        row("client_update", Scheduling),
        row("import_choose_file", Scheduling),
        row("import_preview", Scheduling),
        row("import_clients", Scheduling),
        row("import_save_rejected", Scheduling),
        row("client_enrollments", Scheduling),
        row("client_appointments", Scheduling),
        row("client_attendance", Scheduling),
        row("client_series_completion", Scheduling),
        row("room_list", Scheduling),
        row("room_create", Scheduling),
        row("staff_directory", Scheduling),
        row("group_list", Scheduling),
        row("group_get", Scheduling),
        // A new group names its facilitators.
        row("group_create", ChooseFacilitators),
        row("group_update", Scheduling),
        variant("group_update", "facilitators", ChooseFacilitators),
        row("group_set_archived", Scheduling),
        row("group_roster", Scheduling),
        row("enroll", Scheduling),
        row("accept_from_waitlist", Scheduling),
        row("discharge", Scheduling),
        variant("discharge", "clinical note", NotesOfClient),
        row("reorder_waitlist", Scheduling),
        row("series_create", Scheduling),
        row("series_update", Scheduling),
        row("group_sessions", Scheduling),
        row("session_move", Scheduling),
        row("session_cancel_check", Scheduling),
        row("session_cancel", Scheduling),
        row("appointment_book", Scheduling),
        // More sessions of an existing pairing: anyone who books; the first
        // opens the client's record to the clinician, so it is chosen like
        // a facilitator.
        row("individual_book", Scheduling),
        variant("individual_book", "new pairing", ChooseFacilitators),
        row("appointment_cancel", Scheduling),
        row("appointment_move", Scheduling),
        row("appointment_attendance_record", Scheduling),
        row("availability_get", Scheduling),
        row("availability_set", Scheduling),
        row("next_free_slot", Scheduling),
        row("attendance_record", Scheduling),
        row("check_in_list", Scheduling),
        row("series_completion", Scheduling),
        row("agenda", Scheduling),
        // A group's attendance report and the front desk's day sheet.
        row("export_attendance", Scheduling),
        row("export_day_sheet", Scheduling),
        row("note_templates", NotesLists),
        row("notes_to_do", NotesLists),
        row("notes_recently_signed", NotesLists),
        row("notes_search", NotesLists),
        row("session_note", NotesOfClient),
        row("note_save_draft", NotesOfClient),
        row("note_sign", Sign),
        row("note_add_addendum", Sign),
        row("note_cosign", CoSign),
        row("private_note_save", Sign),
        row("private_note_get", Sign),
        // Issue 19's outcome measures: the forms' wording names no one.
        row("measure_forms", AnySignedIn),
        row("measure_enter", NotesOfClient),
        row("measure_trends", NotesOfClient),
        // The group view names no member, but medians are still its notes'.
        row("measure_group_summary", NotesOfClient),
        row("measure_risk_flags", NotesLists),
        row("measure_acknowledge_risk", Sign),
        row("client_notes", NotesOfClient),
        row("client_goals", NotesOfClient),
        row("goal_create", NotesOfClient),
        row("goal_update", NotesOfClient),
        // 42 CFR Part 2 consents and the accounting of disclosures belong
        // to the client's record (DESIGN.md, Domain and Exports).
        row("client_consents", NotesOfClient),
        row("consent_add", NotesOfClient),
        row("consent_revoke", NotesOfClient),
        row("client_disclosures", NotesOfClient),
        row("export_member_record", NotesOfClient),
        row("export_session_packet", NotesOfClient),
        row("export_disclosures", NotesOfClient),
        // "Is this PDF one we released?": the answer names no client.
        row("export_verify", AnySignedIn),
        row("export_open", AnySignedIn),
        row("export_show_in_folder", AnySignedIn),
        row("clinical_access_waiting", ClinicalKeyHolder),
        row("clinical_access_approve", ClinicalKeyHolder),
        row("staff_list", Admin),
        row("staff_add", Admin),
        row("staff_change_role", Admin),
        row("staff_reset_passphrase", Admin),
        row("staff_set_supervisor", Admin),
        row("audit_list", Admin),
        row("verify_vault", Admin),
        row("set_idle_lock_minutes", Admin),
        row("retention_settings", Admin),
        row("retention_set_settings", Admin),
        row("retention_due", Admin),
        row("retention_purge", AdminClinicalKey),
        row("set_notes_scope_limited", Admin),
        row("set_practice_timezone", Admin),
        row("set_practice_locale", Admin),
        row("practice_set_letterhead", Admin),
        row("practice_choose_logo", Admin),
        row("practice_clear_logo", Admin),
        row("backup_choose_folder", Admin),
        row("backup_set_keep", Admin),
        row("backup_status", Admin),
        row("backup_now", Admin),
        row("replace_recovery_code", AdminClinicalKey),
        row("export_recovery_sheet", AdminClinicalKey),
        row("staff_deactivate", Admin),
        row("rotate_keys", Admin),
        row("change_own_passphrase", AnySignedIn),
        row("lock", AnySignedIn),
    ]
};

/// The restore row: by the login named in the credential, at the unlock screen.
const RESTORE: Row = row("backup_restore", Design::Admin);

/// Commands whose per-person answer is not a matter of role: each acts on
/// a file this sign-in exported, by an id the app keeps until the lock. A
/// turn passes the id of the previous person's export, which the lock
/// forgot: each must answer `notFound`.
const OWN_EXPORTS_ONLY: &[&str] = &["export_open", "export_show_in_folder"];

/// Where Circle deliberately differs from DESIGN.md's table, cell by cell,
/// and why. The test fails when a listed cell matches DESIGN again (drop
/// it) or when an unlisted one differs.
const DEVIATIONS: &[(&str, Who, &str, &str)] = &[
    (
        "discharge [clinical note]",
        Who::ClinOut,
        "invalid",
        "refused beside the clinicalNote field: the discharge is theirs to record, only the note is out of scope",
    ),
    (
        "group_set_archived",
        Who::ClinIn,
        "–",
        "archiving hides a group from every list: owner and manager only",
    ),
    (
        "group_set_archived",
        Who::ClinOut,
        "–",
        "archiving hides a group from every list: owner and manager only",
    ),
    (
        "group_set_archived",
        Who::Supervisor,
        "–",
        "archiving hides a group from every list: owner and manager only",
    ),
    (
        "group_set_archived",
        Who::FrontDesk,
        "–",
        "archiving hides a group from every list: owner and manager only",
    ),
    (
        "set_practice_timezone",
        Who::Manager,
        "–",
        "the zone moves every future session: owner only",
    ),
    (
        "retention_set_settings",
        Who::Manager,
        "–",
        "how long records are kept is the law's, applied by the owner: owner only (the manager reads it)",
    ),
    (
        "retention_purge",
        Who::Owner,
        "invalid",
        "allowed, and refused beside clientIds: the fixture's clients were seen today, so none is due (tests/it/retention.rs purges one that is)",
    ),
    (
        "set_practice_locale",
        Who::Manager,
        "–",
        "how every date is written: owner only, with the zone",
    ),
    (
        "measure_risk_flags",
        Who::Manager,
        "✓",
        "answers an empty list: Today asks whoever is signed in, and it says nothing about anyone's flags",
    ),
    (
        "measure_risk_flags",
        Who::FrontDesk,
        "✓",
        "answers an empty list: Today asks whoever is signed in, and it says nothing about anyone's flags",
    ),
];

// ---------------------------------------------------------------- the fixture

/// One practice, built through the commands by its owner and staff.
struct Practice {
    staff: [i64; 6],
    /// A clinician added by the manager, waiting for a clinical-key holder.
    pending: i64,
    room_a: i64,
    room_b: i64,
    /// The group whose clients and sessions the fixtures use: `ClinIn`
    /// facilitates it, `ClinOut` does not.
    group: i64,
    /// A group whose co-facilitators the turns change back and forth.
    facilitated: i64,
    facilitated_co: Vec<i64>,
    /// A group the turns archive.
    archivable: i64,
    series: i64,
    /// The group's sessions that have taken place, oldest first.
    past: Vec<i64>,
    /// Enrolled in the group from its first session.
    members: Vec<i64>,
    /// Each session's note screen as the owner first saw it.
    notes: BTreeMap<i64, Value>,
    goal: i64,
    // One of each per person, so what one turn uses up the next still has.
    not_enrolled: [i64; 6],
    waitlisted: [i64; 6],
    enrolled: [i64; 6],
    enrolled_for_note: [i64; 6],
    consents: [i64; 6],
    appt_to_cancel: [i64; 6],
    appt_to_move: [i64; 6],
    appt_past: [i64; 6],
    throwaway_staff: [i64; 6],
    recovery_code: String,
    passphrases: [String; 6],
    // What earlier calls of a turn left for later ones.
    draft_revision: [i64; 6],
    new_session: [Option<i64>; 6],
    last_export: Option<i64>,
    /// The latest measure entered (its PHQ-9 raised a risk flag).
    measure_entry: Option<i64>,
    foreign_export: i64,
}

fn id(value: &Value) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
}

fn created_client(shell: &Shell, first: &str, last: &str) -> i64 {
    let created = shell.ok(
        "client_create",
        json!({ "input": client_input(first, last, "0100 000 000"), "confirmDuplicate": true }),
    );
    id(&created["client"])
}

fn group_input(name: &str, primary: i64, co: &[i64], room: Option<i64>) -> Value {
    json!({
        "name": name,
        "kind": "rolling",
        "modality": "DBT skills",
        "capacity": 40,
        "primaryFacilitatorId": primary,
        "coFacilitatorIds": co,
        "defaultRoomId": room,
        "noteTemplate": "girp",
        "substanceUse": false,
    })
}

fn enroll(shell: &Shell, group: i64, client: i64, waitlist: bool, from: &str) -> i64 {
    let outcome = shell.ok(
        "enroll",
        json!({ "groupId": group, "clientId": client, "waitlist": waitlist, "fromDate": from }),
    );
    id(&outcome["enrollment"])
}

fn book(shell: &Shell, client: i64, clinician: i64, room: i64, day: i64, time: &str) -> i64 {
    id(&shell.ok(
        "appointment_book",
        json!({ "input": {
            "kind": "intake", "clientId": client, "clinicianId": clinician, "roomId": room,
            "date": date(day), "startTime": time, "durationMinutes": 45,
        }}),
    ))
}

fn consent_input() -> Value {
    json!({
        "recipient": "Dr Alex Lee",
        "purpose": "Continuity of care",
        "scopeFrom": null,
        "scopeTo": null,
        "signedOn": date(-10),
        "expiresOn": null,
    })
}

const NAMES: [&str; 6] = ["Ada", "Bram", "Cleo", "Dov", "Enid", "Farah"];

impl Practice {
    /// Sets the practice up through the commands, as its people would.
    fn build(shell: &Shell) -> Practice {
        let setup = shell.ok(
            "setup_practice",
            json!({ "form": {
                "practiceName": "Harbour Light Counselling",
                "timezone": ZONE,
                "ownerFullName": Who::Owner.full_name(),
                "ownerUsername": Who::Owner.username(),
                "passphrase": Who::Owner.own_passphrase(),
            }}),
        );
        let recovery_code = setup["recoveryCode"]
            .as_str()
            .expect("a recovery code")
            .to_owned();
        let mut staff = [0; 6];
        staff[0] = setup["signedIn"]["staffId"].as_i64().expect("owner id");
        for who in &Who::ALL[1..] {
            staff[who.i()] = id(&shell.ok(
                "staff_add",
                json!({ "form": {
                    "username": who.username(), "fullName": who.full_name(),
                    "role": who.role(), "initialPassphrase": ASSIGNED,
                }}),
            ));
        }
        let mut throwaway_staff = [0; 6];
        for (i, name) in NAMES.iter().enumerate() {
            throwaway_staff[i] = id(&shell.ok(
                "staff_add",
                json!({ "form": {
                    "username": format!("temp{i}"), "fullName": format!("{name} Temple"),
                    "role": "frontDesk", "initialPassphrase": ASSIGNED,
                }}),
            ));
        }
        let (cin, sam) = (staff[Who::ClinIn.i()], staff[Who::Supervisor.i()]);
        shell.ok(
            "staff_set_supervisor",
            json!({ "staffId": cin, "supervisorId": sam }),
        );
        let room_a = id(&shell.ok(
            "room_create",
            json!({ "input": { "name": "Room A", "capacity": 40 } }),
        ));
        let room_b = id(&shell.ok(
            "room_create",
            json!({ "input": { "name": "Room B", "capacity": 12 } }),
        ));
        let group = id(&shell.ok(
            "group_create",
            json!({ "input": group_input("Evening skills", cin, &[], Some(room_a)) }),
        ));
        let facilitated = id(&shell.ok(
            "group_create",
            json!({ "input": group_input("Morning recovery", cin, &[], Some(room_b)) }),
        ));
        let archivable = id(&shell.ok(
            "group_create",
            json!({ "input": group_input("Closed pilot", cin, &[], None) }),
        ));
        // Weekly at 18:00 from eight weeks and a day ago: nine sessions
        // have taken place, three are still to come.
        let created = shell.ok(
            "series_create",
            json!({ "groupId": group, "roomId": room_a, "recurrence": {
                "firstDate": date(-57), "startTime": "18:00", "durationMinutes": 90,
                "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null,
                "untilDate": null, "count": 12, "timezone": ZONE,
            }}),
        );
        let series = created["seriesId"].as_i64().expect("series id");
        let sessions: Vec<i64> = created["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .map(id)
            .collect();
        let past = sessions[..9].to_vec();

        let members: Vec<i64> = [
            "Nuala Byrne",
            "Tomás Ó Briain",
            "Zoë Martin",
            "Kwame Mensah",
        ]
        .iter()
        .map(|name| {
            let (first, last) = name.split_once(' ').expect("two names");
            created_client(shell, first, last)
        })
        .collect();
        for &client in &members {
            enroll(shell, group, client, false, &date(-57));
        }
        for &session in &past[..6] {
            for &client in &members {
                shell.ok(
                    "attendance_record",
                    json!({ "input": {
                        "sessionId": session, "clientId": client, "status": "present",
                        "arrivedAt": null, "leftAt": null,
                    }}),
                );
            }
        }
        // Kwame also sees the supervisor one to one: the pairing that lets
        // anyone who books add sessions.
        shell.ok(
            "individual_book",
            json!({ "input": {
                "format": "individual", "clientIds": [members[3]],
                "clinicianId": staff[Who::Supervisor.i()], "roomId": room_b,
                "date": date(59), "startTime": "11:00", "durationMinutes": 50,
                "repeat": "once", "sessions": 1, "noteTemplate": null,
            }}),
        );
        let mut not_enrolled = [0; 6];
        let mut waitlisted = [0; 6];
        let mut enrolled = [0; 6];
        let mut enrolled_for_note = [0; 6];
        let mut consents = [0; 6];
        let mut appt_to_cancel = [0; 6];
        let mut appt_to_move = [0; 6];
        let mut appt_past = [0; 6];
        for (i, name) in NAMES.iter().enumerate() {
            not_enrolled[i] = created_client(shell, name, "Newcomer");
            let waiting = created_client(shell, name, "Waiting");
            waitlisted[i] = enroll(shell, group, waiting, true, &date(0));
            let leaving = created_client(shell, name, "Leaving");
            enrolled[i] = enroll(shell, group, leaving, false, &date(0));
            let completing = created_client(shell, name, "Completing");
            enrolled_for_note[i] = enroll(shell, group, completing, false, &date(0));
            consents[i] = id(&shell.ok(
                "consent_add",
                json!({ "clientId": members[0], "input": consent_input() }),
            ));
            let day = 30 + i as i64;
            appt_to_cancel[i] = book(shell, members[2], sam, room_b, day, "09:00");
            appt_to_move[i] = book(shell, members[2], sam, room_b, day, "11:00");
            appt_past[i] = book(shell, members[2], sam, room_b, -2 - i as i64, "10:00");
        }
        let goal = id(&shell.ok(
            "goal_create",
            json!({ "clientId": members[0], "input": {
                "text": "Use one skill a day", "startedOn": date(-50), "targetOn": null,
                "status": "active",
            }}),
        ));
        let mut notes = BTreeMap::new();
        for &session in &past[..6] {
            notes.insert(
                session,
                shell.ok("session_note", json!({ "sessionId": session })),
            );
        }
        shell.lock();

        // Everyone else chooses their own passphrase at their first sign-in.
        for who in &Who::ALL[1..] {
            let first = shell.unlock(who.username(), ASSIGNED);
            assert_eq!(first["mustChangePassphrase"], true, "{who:?}");
            shell.ok(
                "change_own_passphrase",
                json!({ "current": ASSIGNED, "newPassphrase": who.own_passphrase() }),
            );
            shell.lock();
        }

        // The clinician signs two notes, which wait for the supervisor's
        // co-signature (one for the owner to co-sign, one for the supervisor).
        let info = shell.unlock(Who::ClinIn.username(), Who::ClinIn.own_passphrase());
        assert_eq!(
            info["hasClinicalAccess"], true,
            "the owner's add granted it"
        );
        for &session in &past[3..5] {
            let saved = shell.ok(
                "note_save_draft",
                json!({ "input": full_draft(&notes[&session], 0, "signed by the clinician") }),
            );
            let signed = shell.ok(
                "note_sign",
                json!({ "sessionId": session, "revision": saved["revision"] }),
            );
            assert_eq!(signed["status"], "pendingCosign");
        }
        shell.lock();

        // The manager adds a clinician, whose clinical access waits for a
        // clinical-key holder.
        shell.unlock(Who::Manager.username(), Who::Manager.own_passphrase());
        let pending = id(&shell.ok(
            "staff_add",
            json!({ "form": {
                "username": "pat", "fullName": "Pat Quinlan", "role": "clinician",
                "initialPassphrase": ASSIGNED,
            }}),
        ));
        shell.lock();

        Practice {
            staff,
            pending,
            room_a,
            room_b,
            group,
            facilitated,
            facilitated_co: Vec::new(),
            archivable,
            series,
            past,
            members,
            notes,
            goal,
            not_enrolled,
            waitlisted,
            enrolled,
            enrolled_for_note,
            consents,
            appt_to_cancel,
            appt_to_move,
            appt_past,
            throwaway_staff,
            recovery_code,
            passphrases: Who::ALL.map(|w| w.own_passphrase().to_owned()),
            draft_revision: [0; 6],
            new_session: [None; 6],
            last_export: None,
            measure_entry: None,
            foreign_export: 4242,
        }
    }
}

impl Practice {
    fn staff_id(&self, who: Who) -> i64 {
        self.staff[who.i()]
    }

    /// The session whose note `who` writes and signs (people who may not
    /// get the clinician's, which is out of scope for the other clinician).
    fn note_session(&self, who: Who) -> i64 {
        match who {
            Who::Owner => self.past[0],
            Who::Supervisor => self.past[2],
            _ => self.past[1],
        }
    }

    /// A signed note waiting for a co-signature: the owner's to co-sign,
    /// the supervisor's (whom the clinician's notes wait for), and the
    /// supervisor's again for everyone else.
    fn cosign_session(&self, who: Who) -> i64 {
        match who {
            Who::Owner => self.past[3],
            _ => self.past[4],
        }
    }

    /// The arguments of `row` for `who`, as the generated bindings send them.
    fn args(&self, shell: &Shell, row: &Row, who: Who) -> Value {
        let i = who.i();
        let n = i as i64;
        let member = self.members[0];
        let session = self.note_session(who);
        match (row.cmd, row.variant) {
            ("current_sign_in" | "keep_alive" | "practice_settings" | "export_cancel", _) => {
                json!({})
            }
            ("client_search", _) => {
                json!({ "query": "", "status": null, "offset": 0, "limit": 20 })
            }
            ("client_get" | "client_enrollments" | "client_attendance", _)
            | ("client_series_completion", _) => json!({ "clientId": member }),
            ("client_appointments", _) => json!({ "clientId": self.members[2] }),
            ("client_create", _) => json!({
                "input": client_input(NAMES[i], "Walk-in", "0100 000 001"),
                "confirmDuplicate": true,
            }),
            ("client_update", _) => json!({
                "clientId": self.members[1],
                "input": client_input("Tomás", "Ó Briain", &format!("0100 000 10{n}")),
            }),
            ("import_choose_file", _) => json!({}),
            // Token 1: the owner's turn comes first and chose the file
            // (tokens outlive a sign-in, as a chosen path does).
            ("import_preview" | "import_clients" | "import_save_rejected", _) => json!({
                "token": 1,
                "choices": { "columns": null, "dateOrder": null, "importAnyway": [] },
            }),
            ("room_list" | "staff_directory", _) => json!({}),
            ("room_create", _) => {
                json!({ "input": { "name": format!("Room {}", NAMES[i]), "capacity": 8 } })
            }
            ("group_list", _) => json!({ "includeArchived": false }),
            ("group_get" | "group_roster" | "group_sessions", _) => {
                json!({ "groupId": self.group })
            }
            ("group_create", _) => json!({
                "input": group_input(&format!("{} group", NAMES[i]), self.staff_id(Who::ClinIn), &[], None),
            }),
            ("group_update", None) => {
                let mut input = group_input(
                    "Evening skills",
                    self.staff_id(Who::ClinIn),
                    &[],
                    Some(self.room_a),
                );
                input["modality"] = json!(format!("DBT skills, turn {n}"));
                json!({ "groupId": self.group, "input": input })
            }
            ("group_update", Some(_)) => {
                let co = if self.facilitated_co.is_empty() {
                    vec![self.staff_id(Who::ClinOut)]
                } else {
                    Vec::new()
                };
                json!({
                    "groupId": self.facilitated,
                    "input": group_input("Morning recovery", self.staff_id(Who::ClinIn), &co, Some(self.room_b)),
                })
            }
            ("group_set_archived", _) => json!({ "groupId": self.archivable, "archived": true }),
            ("enroll", _) => json!({
                "groupId": self.group, "clientId": self.not_enrolled[i], "waitlist": false,
                "fromDate": date(0),
            }),
            ("accept_from_waitlist", _) => {
                json!({ "enrollmentId": self.waitlisted[i], "fromDate": date(0) })
            }
            ("discharge", None) => json!({
                "enrollmentId": self.enrolled[i], "date": date(0), "reason": "completed",
                "clinicalNote": null,
            }),
            ("discharge", Some(_)) => json!({
                "enrollmentId": self.enrolled_for_note[i], "date": date(0), "reason": "completed",
                "clinicalNote": "Completed the programme; relapse plan reviewed.",
            }),
            ("reorder_waitlist", _) => {
                // The waitlist as it stands now, last first.
                let waiting: Vec<i64> =
                    match shell.call("group_roster", json!({ "groupId": self.group })) {
                        Answer::Ok(roster) => roster
                            .as_array()
                            .expect("a roster")
                            .iter()
                            .filter(|e| e["status"] == "waitlisted")
                            .map(id)
                            .rev()
                            .collect(),
                        _ => Vec::new(),
                    };
                json!({ "groupId": self.group, "orderedEnrollmentIds": waiting })
            }
            ("series_create", _) => json!({
                "groupId": self.group, "roomId": self.room_a, "recurrence": {
                    "firstDate": date(200 + 7 * n), "startTime": "10:00", "durationMinutes": 60,
                    "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null,
                    "untilDate": null, "count": 1, "timezone": ZONE,
                },
            }),
            ("series_update", _) => json!({
                "seriesId": self.series, "fromDate": date(1), "startTime": "18:00",
                "durationMinutes": 90, "roomId": self.room_a,
            }),
            ("session_move", _) => json!({
                "sessionId": self.new_session[i].unwrap_or(self.past[8]), "date": date(201 + 7 * n),
                "startTime": "11:00", "roomId": self.room_a,
            }),
            ("session_cancel_check" | "session_cancel", _) => {
                json!({ "sessionId": self.new_session[i].unwrap_or(self.past[8]) })
            }
            ("appointment_book", _) => json!({ "input": {
                "kind": "checkIn", "clientId": self.members[2],
                "clinicianId": self.staff_id(Who::Supervisor), "roomId": self.room_b,
                "date": date(40 + n), "startTime": "09:00", "durationMinutes": 45,
            }}),
            ("individual_book", None) => json!({ "input": {
                "format": "individual", "clientIds": [self.members[3]],
                "clinicianId": self.staff_id(Who::Supervisor), "roomId": self.room_b,
                "date": date(60 + n), "startTime": "11:00", "durationMinutes": 50,
                "repeat": "once", "sessions": 1, "noteTemplate": null,
            }}),
            ("individual_book", Some(_)) => json!({ "input": {
                "format": "individual", "clientIds": [self.not_enrolled[i]],
                "clinicianId": self.staff_id(Who::ClinOut), "roomId": self.room_b,
                "date": date(70 + n), "startTime": "12:00", "durationMinutes": 50,
                "repeat": "weekly", "sessions": 2, "noteTemplate": "soap",
            }}),
            ("appointment_cancel", _) => json!({ "appointmentId": self.appt_to_cancel[i] }),
            ("appointment_move", _) => json!({
                "appointmentId": self.appt_to_move[i], "date": date(30 + n),
                "startTime": "14:00", "roomId": self.room_b,
            }),
            ("appointment_attendance_record", _) => json!({ "input": {
                "appointmentId": self.appt_past[i], "status": "present",
                "arrivedAt": null, "leftAt": null,
            }}),
            ("availability_get", _) => json!({ "staffId": self.staff_id(Who::Supervisor) }),
            ("availability_set", _) => json!({
                "staffId": self.staff_id(Who::Supervisor),
                "blocks": [{ "weekday": 0, "startTime": "09:00", "endTime": "17:00" }],
            }),
            ("next_free_slot", _) => json!({
                "clinicianId": self.staff_id(Who::Supervisor), "roomId": self.room_b,
                "fromDate": date(1), "durationMinutes": 45,
            }),
            ("attendance_record", _) => json!({ "input": {
                "sessionId": self.past[5], "clientId": member, "status": "present",
                "arrivedAt": null, "leftAt": null,
            }}),
            ("check_in_list", _) => json!({ "sessionId": self.past[5] }),
            ("series_completion", _) => json!({ "seriesId": self.series }),
            ("agenda", _) => json!({ "from": date(0), "days": 7 }),
            ("export_attendance", _) => json!({
                "groupId": self.group, "from": date(-60), "to": date(0), "progress": channel(),
            }),
            ("export_day_sheet", _) => json!({ "date": date(-1), "progress": channel() }),
            ("note_templates" | "notes_to_do" | "notes_recently_signed", _) => json!({}),
            ("notes_search", _) => json!({ "query": "Goal" }),
            ("session_note", _) => json!({ "sessionId": session }),
            ("note_save_draft", _) => json!({
                "input": full_draft(&self.notes[&session], self.draft_revision[i], &format!("turn {n}")),
            }),
            ("note_sign", _) => json!({
                "sessionId": session, "revision": self.draft_revision[i].max(1),
            }),
            ("note_add_addendum", _) => json!({
                "sessionId": session, "clientId": null,
                "body": "Addendum: the plan was reviewed with the group.",
            }),
            ("note_cosign", _) => json!({ "sessionId": self.cosign_session(who) }),
            ("private_note_save", _) => json!({
                "sessionId": session, "clientId": member, "body": "Follow up on sleep.",
            }),
            ("private_note_get", _) => json!({ "sessionId": session, "clientId": member }),
            ("measure_forms" | "measure_risk_flags", _) => json!({}),
            // Item 9 above 0: each entry raises a flag its author acknowledges.
            ("measure_enter", _) => json!({ "input": {
                "sessionId": session, "clientId": member, "instrument": "phq9",
                "answers": [2, 2, 1, 1, 0, 1, 2, 0, 1],
            }}),
            ("measure_trends", _) => json!({ "clientId": member }),
            ("measure_group_summary", _) => json!({ "groupId": self.group }),
            ("measure_acknowledge_risk", _) => json!({
                "entryId": self.measure_entry.unwrap_or(4242),
                "safetyNote": "Safety plan reviewed; no intent or plan; crisis line given.",
            }),
            ("client_notes", _) => json!({ "clientId": member, "filter": "all" }),
            ("client_goals" | "client_consents" | "client_disclosures", _) => {
                json!({ "clientId": member })
            }
            ("goal_create", _) => json!({ "clientId": member, "input": {
                "text": "Practise a skill daily", "startedOn": date(-7), "targetOn": null,
                "status": "active",
            }}),
            ("goal_update", _) => json!({ "goalId": self.goal, "input": {
                "text": format!("Use one skill a day, turn {n}"), "startedOn": date(-50),
                "targetOn": null, "status": "active",
            }}),
            ("consent_add", _) => json!({ "clientId": member, "input": consent_input() }),
            ("consent_revoke", _) => {
                json!({ "consentId": self.consents[i], "revokedOn": date(0) })
            }
            ("export_member_record", _) => json!({
                "request": {
                    "clientId": member, "from": date(-60), "to": date(0), "recipient": null,
                    "purpose": "At the client's request",
                },
                "progress": channel(),
            }),
            ("export_session_packet", _) => {
                json!({ "sessionId": session, "progress": channel() })
            }
            ("export_disclosures", _) => json!({ "clientId": member, "progress": channel() }),
            ("export_verify", _) => json!({}),
            ("export_open" | "export_show_in_folder", _) => {
                json!({ "exportId": self.foreign_export })
            }
            ("clinical_access_waiting", _) => json!({}),
            ("clinical_access_approve", _) => json!({ "staffId": self.pending }),
            ("staff_list", _) => json!({}),
            ("staff_add", _) => json!({ "form": {
                "username": format!("new{i}"), "fullName": format!("{} Newman", NAMES[i]),
                "role": "frontDesk", "initialPassphrase": ASSIGNED,
            }}),
            ("staff_change_role", _) => {
                json!({ "staffId": self.throwaway_staff[i], "role": "manager" })
            }
            ("staff_reset_passphrase", _) => {
                json!({ "staffId": self.throwaway_staff[i], "newPassphrase": RESET })
            }
            ("staff_set_supervisor", _) => json!({
                "staffId": self.staff_id(Who::ClinIn),
                "supervisorId": self.staff_id(Who::Supervisor),
            }),
            ("audit_list", _) => json!({ "filter": {
                "actorId": null, "actionPrefix": null, "beforeId": null, "limit": 20,
            }}),
            ("verify_vault", _) => json!({}),
            ("set_idle_lock_minutes", _) => json!({ "minutes": 10 }),
            ("retention_settings" | "retention_due", _) => json!({}),
            ("retention_purge", _) => json!({ "clientIds": [member], "typedCount": 1 }),
            ("retention_set_settings", _) => json!({
                "periods": { "yearsAfterContact": 7, "yearsAfterMajority": 3 },
            }),
            // Kept on: the out-of-scope clinician's refusals depend on it.
            ("set_notes_scope_limited", _) => json!({ "limited": true }),
            ("set_practice_timezone", _) => json!({ "timezone": ZONE }),
            ("set_practice_locale", _) => json!({ "locale": "en-GB" }),
            ("practice_set_letterhead", _) => json!({ "input": {
                "address": "1 Harbour Road\nDún Laoghaire", "phone": "01 234 5678",
            }}),
            ("practice_choose_logo" | "practice_clear_logo", _) => json!({}),
            ("backup_choose_folder" | "backup_status", _) => json!({}),
            ("backup_set_keep", _) => json!({ "keep": 7 }),
            ("backup_now", _) => json!({ "onProgress": channel() }),
            ("replace_recovery_code", _) => json!({}),
            ("export_recovery_sheet", _) => {
                json!({ "code": self.recovery_code, "progress": channel() })
            }
            ("staff_deactivate", _) => json!({
                "staffId": self.throwaway_staff[i], "rotateKeys": false, "progress": channel(),
            }),
            ("rotate_keys", _) => json!({ "progress": channel() }),
            ("change_own_passphrase", _) => json!({
                "current": self.passphrases[i], "newPassphrase": who.next_passphrase(),
            }),
            ("lock", _) => json!({}),
            (other, _) => panic!("no arguments written for {other}: add them with its row"),
        }
    }

    /// Keeps what a successful call left for later calls.
    fn after(&mut self, row: &Row, who: Who, answer: &Value) {
        let i = who.i();
        match (row.cmd, row.variant) {
            ("note_save_draft", _) => {
                self.draft_revision[i] = answer["revision"].as_i64().expect("a revision")
            }
            ("series_create", _) => self.new_session[i] = Some(id(&answer["sessions"][0])),
            ("group_update", Some(_)) => {
                self.facilitated_co = answer["group"]["coFacilitatorIds"]
                    .as_array()
                    .expect("co-facilitators")
                    .iter()
                    .filter_map(Value::as_i64)
                    .collect()
            }
            ("replace_recovery_code", _) => {
                self.recovery_code = answer.as_str().expect("a code").to_owned()
            }
            ("change_own_passphrase", _) => self.passphrases[i] = who.next_passphrase().into(),
            ("measure_enter", _) => self.measure_entry = answer["id"].as_i64(),
            (cmd, _) if cmd.starts_with("export_") && answer.get("exportId").is_some() => {
                self.last_export = answer["exportId"].as_i64()
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- watching clinical.db

/// What the front desk must not change: clinical.db and its WAL (bytes and
/// modification time), and the number of audit rows in practice.db.
#[derive(Debug, PartialEq, Eq)]
struct ClinicalState {
    files: Vec<(PathBuf, Option<FileSeen>)>,
    audit_rows: i64,
}

/// A file's bytes and modification time.
type FileSeen = (Vec<u8>, std::time::SystemTime);

fn clinical_state(vault: &Path, audit_rows: i64) -> ClinicalState {
    let files = ["clinical.db", "clinical.db-wal", "clinical.db-shm"]
        .iter()
        .map(|name| {
            let path = vault.join(name);
            let seen = std::fs::read(&path).ok().map(|bytes| {
                let modified = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (bytes, modified)
            });
            (path, seen)
        })
        .collect();
    ClinicalState { files, audit_rows }
}

// ---------------------------------------------------------------- the commands

/// `APP_COMMANDS` as build.rs declares them.
fn declared_commands() -> BTreeSet<String> {
    let build_rs = include_str!("../../build.rs");
    let list = build_rs
        .split("APP_COMMANDS: &[&str] = &[")
        .nth(1)
        .and_then(|rest| rest.split("];").next())
        .expect("APP_COMMANDS in build.rs");
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The commands the builder registers (the invoke handler and bindings).
fn registered_commands() -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bindings.ts");
    circle_lib::bindings::export_to(&path).expect("export bindings");
    let ts = std::fs::read_to_string(&path).expect("read bindings");
    circle_lib::commands::command_names(&ts)
        .into_iter()
        .collect()
}

/// Issue 16: a command added without a row here fails, as does a row for a
/// command that is gone.
#[test]
fn every_registered_command_has_a_row_in_the_role_table() {
    harness::dialogs();
    let registered = registered_commands();
    assert_eq!(
        registered,
        declared_commands(),
        "build.rs APP_COMMANDS and the builder disagree"
    );
    let covered: BTreeSet<String> = ROWS
        .iter()
        .chain([&RESTORE])
        .map(|r| r.cmd.to_owned())
        .chain(BEFORE_SIGN_IN.iter().map(|(c, _)| (*c).to_owned()))
        .collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let unknown: Vec<_> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "commands without a row in tests/shell/every_role.rs (give each a DESIGN.md row and arguments): {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "rows for commands that are not registered: {unknown:?}"
    );
}

// ---------------------------------------------------------------- the run

fn classify(answer: &Answer) -> Outcome {
    match answer {
        Answer::Ok(_) => Outcome::Allowed,
        Answer::Refused { kind, .. } if kind == "forbidden" => Outcome::Refused,
        other => Outcome::Other(other.kind().to_owned()),
    }
}

/// Every file of the vault folder, by name, with its bytes.
fn vault_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("vault folder")
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

struct Table {
    /// Row name → DESIGN row, the cell per person, the locked answer.
    rows: Vec<(String, &'static str, [Outcome; 6], String)>,
    problems: Vec<String>,
    deviations_seen: Vec<String>,
}

#[test]
fn every_role_gets_exactly_its_cells_of_the_design_table_for_every_command() {
    // Where the e2e hooks point the dialogs (see `harness::dialogs`); gone
    // when this test ends.
    let _dialogs = harness::dialogs().removed_on_drop();
    let vault_root = tempfile::tempdir().expect("temp dir");
    let vault = vault_root.path().join("vault");
    let shell = Shell::new(&vault);
    let started = std::time::Instant::now();
    let mut practice = Practice::build(&shell);
    let built_in = started.elapsed();

    let mut table = Table {
        rows: Vec::new(),
        problems: Vec::new(),
        deviations_seen: Vec::new(),
    };
    let mut cells: BTreeMap<String, [Outcome; 6]> = BTreeMap::new();
    let mut locked: BTreeMap<String, String> = BTreeMap::new();
    // What each refusal said, for the report of a cell that differs.
    let mut messages: BTreeMap<(String, usize), String> = BTreeMap::new();

    // Locked: nothing but the unlock screen's commands answers, and the
    // vault's files do not change.
    let before = vault_files(&vault);
    for row in ROWS {
        let answer = shell.call(row.cmd, practice.args(&shell, row, Who::Owner));
        let expected = match row.cmd {
            "current_sign_in" | "lock" | "export_cancel" | "export_verify" => "ok",
            c if OWN_EXPORTS_ONLY.contains(&c) => "notFound",
            _ => "locked",
        };
        if answer.kind() != expected {
            table.problems.push(format!(
                "{} while locked: expected {expected}, got {answer:?}",
                row.name()
            ));
        }
        locked.insert(row.name(), answer.kind().to_owned());
    }
    assert_eq!(
        vault_files(&vault),
        before,
        "a command called while locked changed the vault's files"
    );

    let mut front_desk_checks = 0;
    for who in Who::ALL {
        let info = shell.unlock(who.username(), &practice.passphrases[who.i()]);
        assert_eq!(info["role"], who.role());
        assert_eq!(
            info["hasClinicalAccess"],
            who.clinical(),
            "{who:?}: clinical.db is attached exactly for clinical roles"
        );
        // The front desk's own login holds no clinical key at all; its
        // practice key reads the audit log from outside the app.
        let watch = (who == Who::FrontDesk).then(|| {
            let mut keyring = Keyring::load(&vault.join("keyring.json")).expect("keyring");
            let entry = keyring.entry_mut(who.username()).expect("front desk login");
            let keys = entry
                .keys
                .open(
                    &Passphrase::new(practice.passphrases[who.i()].clone()),
                    &login_id(who.username()),
                )
                .expect("the front desk's passphrase opens its login")
                .keys;
            assert!(
                keys.clinical.is_none(),
                "the front desk's login must hold no clinical key"
            );
            circle_core::vault::db::open(&vault.join("practice.db"), &keys.practice, false)
                .expect("practice.db opens with the front desk's key")
        });
        let audit_rows = || {
            watch.as_ref().map_or(0, |conn| {
                conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))
                    .expect("count audit rows")
            })
        };
        for row in ROWS {
            let args = practice.args(&shell, row, who);
            let watched = watch.is_some() && row.design.clinical();
            let seen_before = watched.then(|| clinical_state(&vault, audit_rows()));
            let answer = shell.call(row.cmd, args);
            if let Some(seen_before) = seen_before {
                front_desk_checks += 1;
                let seen_after = clinical_state(&vault, audit_rows());
                if seen_after != seen_before {
                    table.problems.push(format!(
                        "front desk: {} touched clinical.db or wrote audit rows ({} → {} rows)",
                        row.name(),
                        seen_before.audit_rows,
                        seen_after.audit_rows
                    ));
                }
            }
            let outcome = if OWN_EXPORTS_ONLY.contains(&row.cmd) {
                if answer.kind() != "notFound" {
                    table.problems.push(format!(
                        "{who:?}: {} with an export of another sign-in: expected notFound, got {answer:?}",
                        row.name()
                    ));
                }
                Outcome::NotApplicable
            } else {
                classify(&answer)
            };
            if let Answer::Ok(value) = &answer {
                practice.after(row, who, value);
            }
            if let Answer::Refused { message, .. } | Answer::Ipc(message) = &answer {
                messages.insert((row.name(), who.i()), message.clone());
            }
            cells
                .entry(row.name())
                .or_insert_with(|| std::array::from_fn(|_| Outcome::NotApplicable))[who.i()] =
                outcome;
        }
        if watch.is_some() {
            // The watch sees audit rows: opening a client's demographics,
            // which the front desk may, writes one.
            let before = audit_rows();
            shell.unlock(who.username(), &practice.passphrases[who.i()]);
            shell.ok("client_get", json!({ "clientId": practice.members[0] }));
            assert!(audit_rows() > before, "the audit watch sees new rows");
            shell.lock();
        }
        // The lock forgot this sign-in's exports: the next one tries its id.
        practice.foreign_export = practice.last_export.unwrap_or(4242);
    }

    // Restore, at the unlock screen, with each person's own credential; the
    // owner takes a fresh backup first so every restore is of the vault as
    // it stands.
    shell.unlock(Who::Owner.username(), &practice.passphrases[Who::Owner.i()]);
    shell.ok("backup_now", json!({ "onProgress": channel() }));
    shell.lock();
    let mut restore_cells: [Outcome; 6] = std::array::from_fn(|_| Outcome::NotApplicable);
    for who in Who::ALL {
        let chosen = shell.ok("backup_choose_file", json!({}));
        let answer = shell.call(
            "backup_restore",
            json!({
                "token": chosen["token"],
                "credential": {
                    "kind": "passphrase", "username": who.username(),
                    "passphrase": practice.passphrases[who.i()],
                },
                "target": "thisVault",
                "onProgress": channel(),
            }),
        );
        restore_cells[who.i()] = classify(&answer);
        if let Answer::Refused { message, .. } | Answer::Ipc(message) = &answer {
            messages.insert((RESTORE.name(), who.i()), message.clone());
        }
    }
    cells.insert(RESTORE.name(), restore_cells);
    locked.insert(RESTORE.name(), "n/a".into());

    // The unlock screen's commands.
    for (cmd, expected) in BEFORE_SIGN_IN {
        let args = match *cmd {
            "passphrase_strength" => json!({ "passphrase": "river", "context": [] }),
            "setup_practice" => json!({ "form": {
                "practiceName": "Another", "timezone": ZONE, "ownerFullName": "Ann Other",
                "ownerUsername": "ann", "passphrase": Who::Owner.next_passphrase(),
            }}),
            "demo_create" => json!({ "onProgress": channel() }),
            "recover" => json!({
                "username": Who::Owner.username(),
                "recoveryCode": "0000-0000-0000-0000-0000-0000-0000-0000",
                "newPassphrase": Who::Owner.next_passphrase(),
            }),
            "unlock" => json!({
                "username": Who::Owner.username(),
                "passphrase": practice.passphrases[Who::Owner.i()],
            }),
            _ => json!({}),
        };
        let answer = shell.call(cmd, args);
        if answer.kind() != *expected {
            table.problems.push(format!(
                "{cmd} at the unlock screen: expected {expected}, got {answer:?}"
            ));
        }
        if *cmd == "unlock" {
            shell.lock();
        }
        cells.insert(
            (*cmd).to_owned(),
            std::array::from_fn(|_| Outcome::NotApplicable),
        );
        locked.insert((*cmd).to_owned(), answer.kind().to_owned());
    }

    // After every turn and restore the vault still verifies.
    shell.unlock(Who::Owner.username(), &practice.passphrases[Who::Owner.i()]);
    let report = shell.ok("verify_vault", json!({}));
    assert_eq!(
        report["findings"],
        json!([]),
        "the vault verifies: {report}"
    );
    shell.lock();

    // Compare with DESIGN.md, cell by cell.
    let all_rows: Vec<(String, Design)> = BEFORE_SIGN_IN
        .iter()
        .map(|(c, _)| ((*c).to_owned(), Design::BeforeSignIn))
        .chain(ROWS.iter().chain([&RESTORE]).map(|r| (r.name(), r.design)))
        .collect();
    for (name, design) in &all_rows {
        let got = cells[name].clone();
        for who in Who::ALL {
            let from_design = if OWN_EXPORTS_ONLY.contains(&name.as_str()) {
                Outcome::NotApplicable
            } else {
                design.expect(who)
            };
            let deviation = DEVIATIONS
                .iter()
                .find(|(cmd, w, _, _)| cmd == name && *w == who);
            let actual = &got[who.i()];
            match deviation {
                Some((_, _, cell, why)) => {
                    if actual.cell() != *cell {
                        table.problems.push(format!(
                            "{name} as {who:?}: listed as a deviation ({cell}: {why}) but got {}",
                            actual.cell()
                        ));
                    } else if *actual == from_design {
                        table.problems.push(format!(
                            "{name} as {who:?}: matches DESIGN.md again; drop its deviation"
                        ));
                    } else {
                        table
                            .deviations_seen
                            .push(format!("{name} as {who:?}: {} ({why})", actual.cell()));
                    }
                }
                None if *actual != from_design => table.problems.push(format!(
                    "{name} as {who:?}: DESIGN.md says {}, Circle answers {} ({})",
                    from_design.cell(),
                    actual.cell(),
                    messages
                        .get(&(name.clone(), who.i()))
                        .map_or("", String::as_str)
                )),
                None => {}
            }
        }
        table.rows.push((
            name.clone(),
            design.source(),
            got,
            locked.get(name).cloned().unwrap_or_default(),
        ));
    }

    print_table(&table);
    println!(
        "practice built in {:.1?}; {} rows ({} commands) × 6 people, {} front-desk clinical calls watched; whole run {:.1?}",
        built_in,
        all_rows.len(),
        registered_commands().len(),
        front_desk_checks,
        started.elapsed()
    );
    assert!(
        table.problems.is_empty(),
        "{} problem(s):\n{}",
        table.problems.len(),
        table.problems.join("\n")
    );
}

fn print_table(table: &Table) {
    let deviated: BTreeSet<(String, usize)> = DEVIATIONS
        .iter()
        .map(|(cmd, who, _, _)| ((*cmd).to_owned(), who.i()))
        .collect();
    println!();
    print!("{:<36} {:<32}", "command", "DESIGN.md");
    for who in Who::ALL {
        print!(" {:<9}", who.column());
    }
    println!(" {:<10}", "locked");
    for (name, source, cells, locked) in &table.rows {
        print!("{name:<36} {source:<32}");
        for who in Who::ALL {
            let mut cell = cells[who.i()].cell();
            if deviated.contains(&(name.clone(), who.i())) {
                cell.push('*');
            }
            print!(" {cell:<9}");
        }
        println!(" {locked:<10}");
    }
    println!("✓ allowed   – refused (forbidden)   n/a no role applies   * differs from DESIGN.md on purpose:");
    for line in &table.deviations_seen {
        println!("  * {line}");
    }
}
