//! The crate-only parts (Part 2's reach, the permitting consent, the log's
//! writer and its append-only tables) against a real vault: SQLCipher,
//! migrations, the owner signed in. The public services are tested from
//! tests/it/disclosures.rs.

use chrono::NaiveDate;

use super::*;
use crate::clients::{self, ClientInput, ClientStatus, Created};
use crate::error::Error;
use crate::error::Result;
use crate::groups::{self, DischargeReason, GroupInput, GroupKind, NoteTemplate};
use crate::signed_in::SignedIn;
use crate::signin::{self, SetupRequest};
use crate::vault::location::VaultLocation;
use crate::vault::secret::Passphrase;

const OWNER: &str = "dana";
const OWNER_PASS: &str = "quiet lantern orchard tide";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// circle-core's clock pinned on this thread until dropped.
struct Pinned;

impl Pinned {
    fn at(at: &str) -> Self {
        let at = chrono::DateTime::parse_from_rfc3339(at)
            .unwrap()
            .with_timezone(&chrono::Utc);
        crate::clock::set_now_for_tests(Some(at));
        Pinned
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        crate::clock::set_now_for_tests(None);
    }
}

/// A new vault in a temp folder, its owner signed in (every record open).
fn owner_vault() -> (tempfile::TempDir, SignedIn) {
    let dir = tempfile::tempdir().unwrap();
    let location = VaultLocation::at(dir.path());
    let (session, _code) = signin::setup(
        &location,
        SetupRequest {
            practice_name: "Harbour Light Recovery".into(),
            timezone: "America/New_York".into(),
            owner_full_name: "Dana Reyes".into(),
            owner_username: OWNER.into(),
            passphrase: Passphrase::new(OWNER_PASS),
        },
    )
    .unwrap();
    session.lock().unwrap();
    let owner = signin::unlock(&location, OWNER, &Passphrase::new(OWNER_PASS)).unwrap();
    assert!(owner.has_clinical_access());
    (dir, owner)
}

fn client(s: &SignedIn, first: &str, last: &str) -> i64 {
    let input = ClientInput {
        legal_first_name: first.into(),
        middle_name: None,
        legal_last_name: last.into(),
        preferred_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: None,
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Active,
    };
    match clients::create(s, input, true).unwrap() {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    }
}

fn group(s: &SignedIn, name: &str, substance_use: bool) -> i64 {
    groups::create_group(
        s,
        GroupInput {
            name: name.into(),
            kind: GroupKind::Rolling,
            modality: "Relapse prevention".into(),
            capacity: 10,
            primary_facilitator_id: s.actor().staff_id,
            co_facilitator_ids: vec![],
            default_room_id: None,
            note_template: NoteTemplate::Girp,
            substance_use,
        },
    )
    .unwrap()
    .id
}

fn consent(
    recipient: &str,
    scope: (Option<&str>, Option<&str>),
    signed_on: &str,
    expires_on: Option<&str>,
) -> ConsentInput {
    ConsentInput {
        recipient: recipient.into(),
        purpose: "Coordination of care".into(),
        scope_from: scope.0.map(str::to_owned),
        scope_to: scope.1.map(str::to_owned),
        signed_on: signed_on.into(),
        expires_on: expires_on.map(str::to_owned),
    }
}

fn refused_because(result: Result<i64>) -> &'static str {
    match result {
        Err(Error::ForbiddenBecause { reason }) => reason,
        other => panic!("expected a refusal with a reason, got {other:?}"),
    }
}

#[test]
fn part2_applies_to_the_days_a_client_held_a_seat_in_a_substance_use_group() {
    let (_dir, owner) = owner_vault();
    let recovery = group(&owner, "Early Recovery", true);
    let anxiety = group(&owner, "Managing Anxiety", false);
    let conn = owner.conn();
    let applies = |client_id, from: &str, to: &str| {
        part2_applies(conn, client_id, day(from), day(to)).unwrap()
    };

    // A seat from 1 March to 31 May 2026.
    let ines = client(&owner, "Inês", "Duarte");
    let seat = groups::enroll(&owner, recovery, ines, false, day("2026-03-01")).unwrap();
    groups::discharge(
        &owner,
        seat.enrollment.id,
        day("2026-05-31"),
        DischargeReason::Completed,
        None,
    )
    .unwrap();
    assert!(
        !applies(ines, "2026-01-01", "2026-02-28"),
        "before the seat"
    );
    assert!(applies(ines, "2026-02-01", "2026-03-01"), "its first day");
    assert!(applies(ines, "2026-04-01", "2026-04-30"), "within it");
    assert!(applies(ines, "2026-01-01", "2026-12-31"), "around it");
    assert!(applies(ines, "2026-05-31", "2026-07-01"), "its last day");
    assert!(!applies(ines, "2026-06-01", "2026-12-31"), "after it");

    // Still in the group: open-ended.
    let omar = client(&owner, "Omar", "Haddad");
    groups::enroll(&owner, recovery, omar, false, day("2026-04-01")).unwrap();
    assert!(!applies(omar, "2026-01-01", "2026-03-31"));
    assert!(applies(omar, "2027-01-01", "2027-02-01"));

    // Another kind of group is not Part 2.
    let mei = client(&owner, "Mei", "Chen");
    groups::enroll(&owner, anxiety, mei, false, day("2026-01-01")).unwrap();
    assert!(!applies(mei, "2026-01-01", "2026-12-31"));

    // A waitlist place alone is not membership, nor one taken off it.
    let liam = client(&owner, "Liam", "Byrne");
    groups::enroll(&owner, recovery, liam, true, day("2026-01-01")).unwrap();
    let sara = client(&owner, "Sara", "Kowalski");
    let waiting = groups::enroll(&owner, recovery, sara, true, day("2026-01-01")).unwrap();
    groups::discharge(
        &owner,
        waiting.enrollment.id,
        day("2026-02-01"),
        DischargeReason::ChoseToLeave,
        None,
    )
    .unwrap();
    assert!(!applies(liam, "2026-01-01", "2027-12-31"));
    assert!(!applies(sara, "2026-01-01", "2027-12-31"));
}

#[test]
fn a_release_needs_a_consent_to_that_recipient_that_covers_the_dates_today() {
    let _clock = Pinned::at("2026-06-15T16:00:00Z");
    let (_dir, owner) = owner_vault();
    let ines = client(&owner, "Inês", "Duarte");
    let conn = owner.conn();
    let permits = |recipient: &str, from: &str, to: &str, today: &str| {
        permitting_consent(conn, ines, day(from), day(to), recipient, day(today))
    };

    // Nothing on file.
    assert_eq!(
        refused_because(permits(
            "Northside Clinic",
            "2026-03-01",
            "2026-04-01",
            "2026-06-15"
        )),
        REASON_NO_CONSENT
    );

    let clinic = add_consent(
        &owner,
        ines,
        consent(
            "Dr. Zoë Ångström, Łódź Clinic",
            (Some("2026-01-01"), Some("2026-12-31")),
            "2026-01-10",
            Some("2026-12-31"),
        ),
    )
    .unwrap();
    assert_eq!(clinic.state, ConsentState::Active);

    // The same recipient however it is typed: case, accents, spaces.
    for typed in [
        "Dr. Zoë Ångström, Łódź Clinic",
        "  dr. zoe angstrom,   lodz clinic ",
        "DR. ZOË ÅNGSTRÖM, ŁÓDŹ CLINIC",
    ] {
        assert_eq!(
            permits(typed, "2026-03-01", "2026-04-01", "2026-06-15").unwrap(),
            clinic.id,
            "{typed}"
        );
    }
    // Another recipient, or dates the consent does not cover.
    for (recipient, from, to) in [
        ("County Court", "2026-03-01", "2026-04-01"),
        ("Dr. Zoë Ångström", "2026-03-01", "2026-04-01"),
        ("Dr. Zoë Ångström, Łódź Clinic", "2025-12-01", "2026-02-01"),
        ("Dr. Zoë Ångström, Łódź Clinic", "2026-11-01", "2027-01-31"),
    ] {
        assert_eq!(
            refused_because(permits(recipient, from, to, "2026-06-15")),
            REASON_NO_CONSENT,
            "{recipient} {from}..{to}"
        );
    }
    // Not before it was signed; on its last day, but not after.
    assert_eq!(
        refused_because(permits(
            "Dr. Zoë Ångström, Łódź Clinic",
            "2026-03-01",
            "2026-04-01",
            "2026-01-09"
        )),
        REASON_NO_CONSENT
    );
    assert_eq!(
        permits(
            "Dr. Zoë Ångström, Łódź Clinic",
            "2026-03-01",
            "2026-04-01",
            "2026-12-31"
        )
        .unwrap(),
        clinic.id
    );
    assert_eq!(
        refused_because(permits(
            "Dr. Zoë Ångström, Łódź Clinic",
            "2026-03-01",
            "2026-04-01",
            "2027-01-01"
        )),
        REASON_EXPIRED
    );

    // The whole record, revoked on 1 June.
    let probation = add_consent(
        &owner,
        ines,
        consent("Probation Office", (None, None), "2026-02-01", None),
    )
    .unwrap();
    assert_eq!(
        permits("probation office", "2020-01-01", "2030-12-31", "2026-06-15").unwrap(),
        probation.id,
        "no scope is the whole record"
    );
    let revoked = revoke_consent(&owner, probation.id, "2026-06-01").unwrap();
    assert_eq!(revoked.state, ConsentState::Revoked);
    assert_eq!(
        refused_because(permits(
            "Probation Office",
            "2026-03-01",
            "2026-04-01",
            "2026-06-15"
        )),
        REASON_REVOKED
    );
    // Before the day it was revoked, it still permitted.
    assert_eq!(
        permits("Probation Office", "2026-03-01", "2026-04-01", "2026-05-31").unwrap(),
        probation.id
    );
    // A new consent to the same recipient permits again.
    let again = add_consent(
        &owner,
        ines,
        consent(
            "Probation office",
            (Some("2026-01-01"), None),
            "2026-06-10",
            None,
        ),
    )
    .unwrap();
    assert_eq!(
        permits("Probation Office", "2026-03-01", "2026-04-01", "2026-06-15").unwrap(),
        again.id
    );

    // One signed on a day still to come is not on file yet.
    let later = add_consent(
        &owner,
        ines,
        consent("Family Court", (None, None), "2026-07-01", None),
    )
    .unwrap();
    assert_eq!(later.state, ConsentState::NotYetSigned);
    assert_eq!(
        refused_because(permits(
            "Family Court",
            "2026-03-01",
            "2026-04-01",
            "2026-06-15"
        )),
        REASON_NO_CONSENT
    );

    // Another client's consent never permits this client's record.
    let omar = client(&owner, "Omar", "Haddad");
    assert_eq!(
        refused_because(permitting_consent(
            conn,
            omar,
            day("2026-03-01"),
            day("2026-04-01"),
            "Probation Office",
            day("2026-06-15"),
        )),
        REASON_NO_CONSENT
    );
}

fn sha(fill: char) -> String {
    std::iter::repeat_n(fill, 64).collect()
}

fn release<'a>(client_id: i64, sha256: &'a str, consent_id: Option<i64>) -> NewDisclosure<'a> {
    NewDisclosure {
        client_id,
        kind: "member_record",
        recipient: "Northside Clinic",
        purpose: "Continuity of care",
        covered_from: day("2026-03-01"),
        covered_to: day("2026-05-31"),
        released_by: 1,
        sha256,
        consent_id,
    }
}

#[test]
fn releases_are_logged_newest_first_and_found_by_the_files_sha256() {
    let clock = Pinned::at("2026-06-15T16:00:00Z");
    let (_dir, owner) = owner_vault();
    let ines = client(&owner, "Inês", "Duarte");
    let omar = client(&owner, "Omar", "Haddad");
    let permit = add_consent(
        &owner,
        ines,
        consent("Northside Clinic", (None, None), "2026-06-01", None),
    )
    .unwrap();
    let conn = owner.conn();

    assert!(disclosures_of_client(&owner, ines).unwrap().is_empty());
    let first_sha = sha('a');
    let first = record_disclosure(conn, &release(ines, &first_sha, Some(permit.id))).unwrap();
    drop(clock);
    let _clock = Pinned::at("2026-06-16T09:30:00Z");
    // A session packet: one entry per client it covers, one file.
    let packet_sha = sha('b');
    let mut packet = release(ines, &packet_sha, None);
    packet.kind = "session_packet";
    packet.recipient = CLIENT_THEMSELF;
    let second = record_disclosure(conn, &packet).unwrap();
    packet.client_id = omar;
    let for_omar = record_disclosure(conn, &packet).unwrap();

    let listed = disclosures_of_client(&owner, ines).unwrap();
    assert_eq!(
        listed.iter().map(|d| d.id).collect::<Vec<_>>(),
        [second, first]
    );
    let newest = &listed[0];
    assert_eq!(newest.released_at, "2026-06-16T09:30:00Z");
    assert_eq!(newest.kind, "session_packet");
    assert_eq!(newest.recipient, "The client themself");
    assert_eq!(newest.released_by.full_name, "Dana Reyes");
    assert_eq!(newest.consent_id, None);
    assert_eq!(listed[1].consent_id, Some(permit.id));
    assert_eq!(listed[1].covered_from, "2026-03-01");
    assert_eq!(listed[1].covered_to, "2026-05-31");
    assert!(!format!("{newest:?}").contains("client themself"));

    let found = disclosures_with_sha(conn, &format!(" {} ", packet_sha.to_uppercase())).unwrap();
    assert_eq!(
        found.iter().map(|d| d.id).collect::<Vec<_>>(),
        [second, for_omar]
    );
    assert!(disclosures_with_sha(conn, &sha('c')).unwrap().is_empty());
}

#[test]
fn a_release_is_refused_without_what_the_log_needs() {
    let (_dir, owner) = owner_vault();
    let ines = client(&owner, "Inês", "Duarte");
    let omar = client(&owner, "Omar", "Haddad");
    let omars = add_consent(
        &owner,
        omar,
        consent("Northside Clinic", (None, None), "2026-01-01", None),
    )
    .unwrap();
    let conn = owner.conn();
    let good = sha('d');
    let upper = good.to_uppercase();
    let field = |entry: &NewDisclosure| match record_disclosure(conn, entry) {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    };

    let mut entry = release(ines, &good, None);
    entry.kind = "attendance";
    assert_eq!(field(&entry), "kind");
    let mut entry = release(ines, &good, None);
    entry.recipient = "  ";
    assert_eq!(field(&entry), "recipient");
    let mut entry = release(ines, &good, None);
    entry.purpose = "";
    assert_eq!(field(&entry), "purpose");
    let mut entry = release(ines, &good, None);
    entry.covered_to = day("2026-02-01");
    assert_eq!(field(&entry), "to");
    assert_eq!(field(&release(ines, &upper, None)), "sha256");
    assert_eq!(field(&release(ines, "abc", None)), "sha256");
    // Another client's consent does not cover this client's release.
    assert!(matches!(
        record_disclosure(conn, &release(ines, &good, Some(omars.id))),
        Err(Error::NotFound { .. })
    ));
    let count: i64 = conn
        .query_row("SELECT count(*) FROM disclosures", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0);
}

/// A statement that must fail with `message` from a trigger.
fn refused_by_trigger(conn: &rusqlite::Connection, sql: &str, message: &str) {
    match conn.execute_batch(sql) {
        Err(e) => assert!(e.to_string().contains(message), "{sql}: {e}"),
        Ok(()) => panic!("{sql}: allowed"),
    }
}

#[test]
fn the_log_and_the_consents_behind_it_cannot_be_rewritten_in_sql() {
    let (_dir, owner) = owner_vault();
    let ines = client(&owner, "Inês", "Duarte");
    let permit = add_consent(
        &owner,
        ines,
        consent("Northside Clinic", (None, None), "2026-01-01", None),
    )
    .unwrap();
    let conn = owner.conn();
    let hash = sha('e');
    let id = record_disclosure(conn, &release(ines, &hash, Some(permit.id))).unwrap();
    let before: String = conn
        .query_row(
            "SELECT recipient || purpose || sha256 FROM disclosures WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();

    for sql in [
        format!("UPDATE disclosures SET recipient = 'Someone else' WHERE id = {id}"),
        format!(
            "UPDATE disclosures SET sha256 = '{}' WHERE id = {id}",
            sha('f')
        ),
        format!("DELETE FROM disclosures WHERE id = {id}"),
        "DELETE FROM disclosures".to_owned(),
        format!(
            "INSERT OR REPLACE INTO disclosures (id, client_id, released_at, kind, recipient,
                 purpose, covered_from, covered_to, released_by, sha256)
             VALUES ({id}, {ines}, '2026-01-01T00:00:00Z', 'member_record', 'x', 'y',
                     '2026-01-01', '2026-01-02', 1, '{}')",
            sha('f')
        ),
    ] {
        refused_by_trigger(conn, &sql, "disclosures cannot be changed");
    }
    let after: String = conn
        .query_row(
            "SELECT recipient || purpose || sha256 FROM disclosures WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(before, after);

    // The consent a release names stays as signed; it can only be revoked.
    let pid = permit.id;
    refused_by_trigger(
        conn,
        &format!("DELETE FROM consents WHERE id = {pid}"),
        "consents cannot be deleted",
    );
    refused_by_trigger(
        conn,
        &format!("UPDATE consents SET recipient = 'Anyone' WHERE id = {pid}"),
        "a consent can only be revoked, once",
    );
    refused_by_trigger(
        conn,
        &format!("UPDATE consents SET scope_from = '2020-01-01', revoked_on = '2026-02-01' WHERE id = {pid}"),
        "a consent can only be revoked, once",
    );
    conn.execute_batch(&format!(
        "UPDATE consents SET revoked_on = '2026-02-01' WHERE id = {pid}"
    ))
    .unwrap();
    refused_by_trigger(
        conn,
        &format!("UPDATE consents SET revoked_on = NULL WHERE id = {pid}"),
        "a consent can only be revoked, once",
    );
}
