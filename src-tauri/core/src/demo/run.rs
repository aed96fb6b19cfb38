//! Replays the plan through the services, as the practice's people.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::plan::{self, Event, GroupSpec, Plan, APPOINTMENT_MINUTES, GROUP_MINUTES};
use super::rng::Rng;
use super::writer::{self, Attendee};
use super::{DemoCounts, DemoLogin, DemoPractice, GenPhase, GenProgress, Scale, TIMEZONE};
use crate::accounts::{self, NewStaff};
use crate::clients::{self, Created};
use crate::clock;
use crate::error::{Error, Result};
use crate::groups::{self, EnrollmentStatus, GroupInput, NoteTemplate};
use crate::notes::goals::{self, GoalInput, GoalStatus};
use crate::notes::session_note::{self, NoteDraftInput};
use crate::notes::{signing, templates};
use crate::schedule::appointments::{
    self, AppointmentAttendanceInput, AppointmentInput, AppointmentKind,
};
use crate::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use crate::schedule::recurrence::{Pattern, RecurrenceInput};
use crate::schedule::rooms::{self, RoomInput};
use crate::schedule::sessions;
use crate::signed_in::SignedIn;
use crate::signin::{self, SetupRequest};
use crate::staff;
use crate::vault::db;
use crate::vault::location::VaultLocation;
use crate::vault::secret::Passphrase;

/// Notes of a supervisee's sessions this recent still wait for co-signature.
const COSIGN_LAG_DAYS: i64 = 14;
/// Chance a signed note gets an addendum (and every group's third one does).
const ADDENDUM_CHANCE: f64 = 0.04;

/// The plan and the services disagree: a bug in the generator, never in
/// the practice's data.
fn disagree(what: &str) -> Error {
    Error::Conflict {
        message: format!("The demo generator's plan went wrong ({what}). Nothing else is affected: delete the demo folder."),
    }
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text)
}

/// A session as the sessions phase needs it.
struct Held {
    id: i64,
    starts: DateTime<Utc>,
}

pub(super) fn run(
    location: &VaultLocation,
    scale: Scale,
    seed: u64,
    progress: &mut dyn FnMut(GenProgress),
) -> Result<DemoPractice> {
    if location.vault_exists() {
        return Err(Error::Conflict {
            message: "A vault already exists in this folder. Choose an empty folder for the demo practice.".into(),
        });
    }
    let started = Instant::now();
    let tz = clock::parse_zone("timezone", TIMEZONE)?;
    let today = clock::today_in(tz);
    let plan = plan::plan(scale, seed, today);
    // The note text's own stream, apart from the plan's.
    let mut text_rng = Rng::new(seed ^ 0x6e6f_7465_2074_6578);
    let mut counts = DemoCounts::default();

    // ---------------------------------------------------------------- staff
    let owner_plan = &plan.staff[0];
    let (owner, recovery_code) = signin::setup(
        location,
        SetupRequest {
            practice_name: plan.practice_name.clone(),
            timezone: TIMEZONE.into(),
            owner_full_name: owner_plan.full_name.clone(),
            owner_username: owner_plan.username.clone(),
            passphrase: pass(&owner_plan.chosen),
        },
    )?;
    let total = plan.staff.len() as u64;
    let mut staff_ids = vec![owner.actor().staff_id];
    // Logins kept open for the whole run: the first manager and front desk,
    // and every supervisor (they co-sign as notes are signed).
    let mut open: HashMap<usize, SignedIn> = HashMap::new();
    let mut kept = Vec::new();
    kept.extend(plan.staff_with(crate::roles::Role::Manager).take(1));
    kept.extend(plan.staff_with(crate::roles::Role::FrontDesk).take(1));
    kept.extend(plan.supervision.iter().map(|(_, sup)| *sup));
    for (i, s) in plan.staff.iter().enumerate().skip(1) {
        let member = accounts::add(
            &owner,
            NewStaff {
                username: s.username.clone(),
                full_name: s.full_name.clone(),
                role: s.role,
                initial_passphrase: pass(&s.assigned),
            },
        )?;
        staff_ids.push(member.id);
        // At their first sign-in everyone chooses their own passphrase.
        let mut first = signin::unlock(location, &s.username, &pass(&s.assigned))?;
        accounts::change_own_passphrase(&mut first, &pass(&s.assigned), &pass(&s.chosen))?;
        if kept.contains(&i) {
            open.insert(i, first);
        } else {
            first.lock()?;
        }
        counts.staff += 1;
        progress(GenProgress {
            phase: GenPhase::Staff,
            done: i as u64 + 1,
            total,
        });
    }
    counts.staff += 1;
    for &(supervisee, supervisor) in &plan.supervision {
        staff::set_supervisor(&owner, staff_ids[supervisee], Some(staff_ids[supervisor]))?;
    }
    let manager_at = kept[0];
    let desk_at = kept[1];
    let manager = open
        .remove(&manager_at)
        .ok_or_else(|| disagree("no manager"))?;
    let mut desk = open
        .remove(&desk_at)
        .ok_or_else(|| disagree("no front desk"))?;

    // ---------------------------------------------------------------- clients
    let total = (plan.rooms.len() + plan.clients.len()) as u64;
    let mut batches = Batches::default();
    let mut room_ids = Vec::new();
    for r in &plan.rooms {
        batches.on(&manager)?;
        let room = rooms::create_room(
            &manager,
            RoomInput {
                name: r.name.to_owned(),
                capacity: r.capacity,
            },
        )?;
        room_ids.push(room.id);
        counts.rooms += 1;
    }
    let mut client_ids = Vec::with_capacity(plan.clients.len());
    for (i, person) in plan.clients.iter().enumerate() {
        batches.on(&desk)?;
        match clients::create(&desk, person.input(), true)? {
            Created::Client { client } => client_ids.push(client.id),
            Created::PossibleDuplicate { .. } => return Err(disagree("a duplicate client")),
        }
        counts.clients += 1;
        if i % 25 == 0 || i + 1 == plan.clients.len() {
            progress(GenProgress {
                phase: GenPhase::Clients,
                done: (room_ids.len() + i + 1) as u64,
                total,
            });
        }
    }
    let index_of: HashMap<i64, usize> = client_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();

    // ---------------------------------------------------------------- roster
    let total = (plan.groups.len() + plan.events.len()) as u64;
    let mut group_ids = Vec::new();
    for spec in &plan.groups {
        batches.on(&manager)?;
        let group = groups::create_group(
            &manager,
            GroupInput {
                name: spec.name.clone(),
                kind: spec.kind,
                modality: spec.modality.to_owned(),
                capacity: spec.capacity,
                primary_facilitator_id: staff_ids[spec.lead],
                co_facilitator_ids: spec.co.iter().map(|c| staff_ids[*c]).collect(),
                default_room_id: Some(room_ids[spec.room]),
                note_template: spec.template,
                substance_use: spec.substance_use,
            },
        )?;
        group_ids.push(group.id);
        counts.groups += 1;
    }
    let mut held: Vec<Vec<Held>> = plan.groups.iter().map(|_| Vec::new()).collect();
    let mut enrollments: HashMap<(usize, usize), i64> = HashMap::new();
    let mut ever_enrolled = vec![false; plan.clients.len()];
    for (n, event) in plan.events.iter().enumerate() {
        batches.on(match event {
            Event::Series { .. } => &manager,
            _ => &desk,
        })?;
        replay(
            &plan,
            *event,
            &manager,
            &desk,
            &Ids {
                groups: &group_ids,
                rooms: &room_ids,
                clients: &client_ids,
            },
            &mut held,
            &mut enrollments,
            &mut counts,
        )?;
        if let Event::Join { client, .. } = event {
            ever_enrolled[*client] = true;
        }
        if n % 50 == 0 || n + 1 == plan.events.len() {
            progress(GenProgress {
                phase: GenPhase::Roster,
                done: (plan.groups.len() + n + 1) as u64,
                total,
            });
        }
    }
    counts.prospects = ever_enrolled.iter().filter(|e| !**e).count() as u64;
    let now = clock::now();
    for sessions in &mut held {
        sessions.sort_by_key(|s| s.starts);
        counts.sessions += sessions.len() as u64;
        for s in sessions.iter() {
            if clock::local_date_of(tz, s.starts) == today {
                counts.sessions_today += 1;
            }
        }
    }

    // ---------------------------------------------------------------- appointments
    let total = plan.appointments.len() as u64;
    for (n, a) in plan.appointments.iter().enumerate() {
        batches.on(&desk)?;
        let booked = appointments::book(
            &desk,
            AppointmentInput {
                kind: if a.intake {
                    AppointmentKind::Intake
                } else {
                    AppointmentKind::CheckIn
                },
                client_id: client_ids[a.client],
                clinician_id: staff_ids[a.clinician],
                room_id: room_ids[a.room],
                date: a.date.to_string(),
                start_time: a.time.to_owned(),
                duration_minutes: APPOINTMENT_MINUTES,
            },
        )?;
        counts.appointments += 1;
        if clock::parse_instant(&booked.starts_at)? <= now {
            appointments::record_attendance(
                &desk,
                AppointmentAttendanceInput {
                    appointment_id: booked.id,
                    status: if a.came {
                        AttendanceStatus::Present
                    } else {
                        AttendanceStatus::NoShow
                    },
                    arrived_at: None,
                    left_at: None,
                },
            )?;
        }
        if n % 50 == 0 || n + 1 == plan.appointments.len() {
            progress(GenProgress {
                phase: GenPhase::Appointments,
                done: n as u64 + 1,
                total,
            });
        }
    }
    batches.finish()?;
    drop(batches);
    desk.anchor_audit_quietly();
    manager.lock()?;

    // ---------------------------------------------------------------- sessions
    let sessions_started = Instant::now();
    let member_keys: Vec<(NoteTemplate, Vec<String>)> = templates::templates(&owner)?
        .into_iter()
        .map(|t| (t.code, t.member().map(|s| s.key.clone()).collect()))
        .collect();
    let total: u64 = held
        .iter()
        .map(|s| s.iter().filter(|s| s.starts <= now).count() as u64)
        .sum();
    let mut done = 0;
    let mut leads: HashMap<usize, SignedIn> = HashMap::new();
    for (g, spec) in plan.groups.iter().enumerate() {
        let past: Vec<&Held> = held[g].iter().filter(|s| s.starts <= now).collect();
        // Each of the three people writes this group's whole history in one
        // transaction of their own (see "Bulk writes"): the front desk the
        // attendance, the facilitator the notes, the supervisor the
        // co-signatures.
        let attended = in_one_transaction(&desk, |desk| {
            past.iter()
                .map(|session| attend(desk, spec, session, &index_of, &mut text_rng, &mut counts))
                .collect::<Result<Vec<_>>>()
        })?;
        // Each facilitator signs in once for all their groups: an unlock
        // costs a key derivation and a check of every page.
        if !open.contains_key(&spec.lead) && !leads.contains_key(&spec.lead) {
            let lead_plan = &plan.staff[spec.lead];
            let login = signin::unlock(location, &lead_plan.username, &pass(&lead_plan.chosen))?;
            leads.insert(spec.lead, login);
        }
        let lead = open
            .get(&spec.lead)
            .or_else(|| leads.get(&spec.lead))
            .ok_or_else(|| disagree("a facilitator without a login"))?;
        let last_before_today = past
            .iter()
            .rposition(|s| clock::local_date_of(tz, s.starts) < today);
        let keys = member_keys
            .iter()
            .find(|(code, _)| *code == spec.template)
            .map(|(_, keys)| keys.as_slice())
            .ok_or_else(|| disagree("a template without member sections"))?;
        let mut group = GroupNotes {
            plan: &plan,
            g,
            lead,
            supervised: plan
                .supervision
                .iter()
                .any(|(supervisee, _)| *supervisee == spec.lead),
            keys,
            index_of: &index_of,
            goals: HashMap::new(),
            signed: 0,
            to_cosign: Vec::new(),
        };
        in_one_transaction(lead, |_| {
            for (k, (session, members)) in past.iter().zip(&attended).enumerate() {
                let date = clock::local_date_of(tz, session.starts);
                let fate = if date == today {
                    Fate::Unwritten
                } else if Some(k) == last_before_today {
                    match g % 3 {
                        0 => Fate::Draft,
                        1 => Fate::Unwritten,
                        _ => Fate::Signed,
                    }
                } else {
                    Fate::Signed
                };
                group.write(
                    session,
                    members,
                    k,
                    date,
                    fate,
                    today,
                    &mut text_rng,
                    &mut counts,
                )?;
                done += 1;
                if done % 10 == 0 || done == total {
                    progress(GenProgress {
                        phase: GenPhase::Sessions,
                        done,
                        total,
                    });
                }
            }
            Ok(())
        })?;
        let to_cosign = std::mem::take(&mut group.to_cosign);
        drop(group);
        if let Some(supervisor) = plan
            .supervision
            .iter()
            .find(|(supervisee, _)| *supervisee == spec.lead)
            .and_then(|(_, sup)| open.get(sup))
        {
            in_one_transaction(supervisor, |supervisor| {
                for session_id in &to_cosign {
                    signing::cosign(supervisor, *session_id)?;
                }
                Ok(())
            })?;
        }
        desk.anchor_audit_quietly();
        for s in open.values_mut().chain(leads.values_mut()) {
            s.anchor_audit_quietly();
        }
    }
    for (_, lead) in leads.drain() {
        lead.lock()?;
    }
    let sessions_elapsed = sessions_started.elapsed();
    desk.lock()?;
    for (_, s) in open.drain() {
        s.lock()?;
    }
    owner.lock()?;

    let logins = plan
        .staff
        .iter()
        .map(|s| DemoLogin {
            username: s.username.clone(),
            full_name: s.full_name.clone(),
            role: s.role,
            passphrase: pass(&s.chosen),
        })
        .collect();
    Ok(DemoPractice {
        practice_name: plan.practice_name.clone(),
        timezone: TIMEZONE.to_owned(),
        logins,
        recovery_code,
        counts,
        elapsed: started.elapsed(),
        sessions_elapsed,
    })
}

/// Service calls between two commits, when one person writes in a row.
const BATCH: usize = 500;

/// The write transaction open for a run of service calls by one person:
/// committed after [`BATCH`] calls, and whenever someone else writes next
/// (SQLite has one writer at a time, and each person has a connection).
#[derive(Default)]
struct Batches<'a> {
    open: Option<(&'a SignedIn, db::WriteTransaction<'a>)>,
    calls: usize,
}

impl<'a> Batches<'a> {
    /// Before a service call by `who`.
    fn on(&mut self, who: &'a SignedIn) -> Result<()> {
        let same = matches!(&self.open, Some((writer, _)) if std::ptr::eq(*writer, who));
        if same && self.calls < BATCH {
            self.calls += 1;
            return Ok(());
        }
        self.finish()?;
        self.open = Some((who, db::write_transaction(who.conn())?));
        self.calls = 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        match self.open.take() {
            Some((_, tx)) => tx.commit(),
            None => Ok(()),
        }
    }
}

/// Moving the audit anchor along is bookkeeping: a failure here shows at
/// the next `lock`, which does the same and reports it.
trait AnchorQuietly {
    fn anchor_audit_quietly(&mut self);
}

impl AnchorQuietly for SignedIn {
    fn anchor_audit_quietly(&mut self) {
        let _ = self.anchor_audit();
    }
}

struct Ids<'a> {
    groups: &'a [i64],
    rooms: &'a [i64],
    clients: &'a [i64],
}

#[allow(clippy::too_many_arguments)]
fn replay(
    plan: &Plan,
    event: Event,
    manager: &SignedIn,
    desk: &SignedIn,
    ids: &Ids<'_>,
    held: &mut [Vec<Held>],
    enrollments: &mut HashMap<(usize, usize), i64>,
    counts: &mut DemoCounts,
) -> Result<()> {
    match event {
        Event::Series { term } => {
            let t = plan.terms[term];
            let spec = &plan.groups[t.group];
            let created = sessions::create_series(
                manager,
                ids.groups[t.group],
                ids.rooms[spec.room],
                RecurrenceInput {
                    first_date: plan.date(t.group, t.first_week).to_string(),
                    start_time: spec.time.to_owned(),
                    duration_minutes: GROUP_MINUTES,
                    pattern: Pattern::Weekly,
                    interval_weeks: Some(spec.interval),
                    nth_week: None,
                    weekday: None,
                    until_date: None,
                    count: Some(t.count),
                    timezone: String::new(),
                },
            )?;
            for s in created.sessions {
                held[t.group].push(Held {
                    id: s.id,
                    starts: clock::parse_instant(&s.starts_at)?,
                });
            }
            counts.series += 1;
        }
        Event::Join {
            client,
            group,
            week,
        } => {
            let outcome = groups::enroll(
                desk,
                ids.groups[group],
                ids.clients[client],
                false,
                plan.date(group, week),
            )?;
            if outcome.enrollment.status != EnrollmentStatus::Active
                || !outcome.full_sessions.is_empty()
            {
                return Err(disagree("a seat the plan counted on was taken"));
            }
            enrollments.insert((client, group), outcome.enrollment.id);
            counts.enrollments += 1;
        }
        Event::Leave {
            client,
            group,
            week,
            reason,
        } => {
            let id = enrollments
                .remove(&(client, group))
                .ok_or_else(|| disagree("a discharge before the enrollment"))?;
            groups::discharge(desk, id, plan.date(group, week), reason, None)?;
            counts.discharges += 1;
        }
        Event::Waitlist { client, group } => {
            let outcome = groups::enroll(
                desk,
                ids.groups[group],
                ids.clients[client],
                true,
                plan.today,
            )?;
            if outcome.enrollment.status != EnrollmentStatus::Waitlisted {
                return Err(disagree("a waitlist place"));
            }
            counts.waitlisted += 1;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Signed,
    /// Saved, not signed: on the facilitator's "to sign" list.
    Draft,
    /// No note yet: on the "to write" list.
    Unwritten,
}

/// One group's notes, written by its lead facilitator.
struct GroupNotes<'a> {
    plan: &'a Plan,
    g: usize,
    lead: &'a SignedIn,
    /// The lead is supervised: their notes wait for a co-signature.
    supervised: bool,
    keys: &'a [String],
    index_of: &'a HashMap<i64, usize>,
    /// Each member's goals in this group, with the level they are at.
    goals: HashMap<usize, Vec<(i64, u8)>>,
    signed: u32,
    /// Signed notes old enough for the supervisor to have co-signed.
    to_cosign: Vec<i64>,
}

/// Runs `write` inside one write transaction on `signed_in`'s connection:
/// every service called in it commits as a savepoint, and the whole of it
/// is synced once.
fn in_one_transaction<T>(
    signed_in: &SignedIn,
    write: impl FnOnce(&SignedIn) -> Result<T>,
) -> Result<T> {
    let tx = db::write_transaction(signed_in.conn())?;
    let value = write(signed_in)?;
    tx.commit()?;
    Ok(value)
}

/// Who came to a session (index into the plan's clients, client id,
/// whether they attended), recorded by the front desk.
type Members = Vec<(usize, i64, bool)>;

fn attend(
    desk: &SignedIn,
    spec: &GroupSpec,
    session: &Held,
    index_of: &HashMap<i64, usize>,
    rng: &mut Rng,
    counts: &mut DemoCounts,
) -> Result<Members> {
    counts.past_sessions += 1;
    let booked = sessions::session_member_ids(desk, session.id)?;
    let start = clock::parse_time("time", spec.time)?;
    let mut members = Vec::with_capacity(booked.len());
    for client_id in &booked {
        let status = attendance_status(rng);
        let (arrived_at, left_at) = match status {
            AttendanceStatus::Late => (
                Some(hh_mm(start + Duration::minutes(rng.between(10, 25)))),
                None,
            ),
            AttendanceStatus::LeftEarly => (
                None,
                Some(hh_mm(
                    start + Duration::minutes(i64::from(GROUP_MINUTES) - rng.between(15, 30)),
                )),
            ),
            _ => (None, None),
        };
        attendance::record(
            desk,
            AttendanceInput {
                session_id: session.id,
                client_id: *client_id,
                status,
                arrived_at,
                left_at,
            },
        )?;
        counts.attendance += 1;
        let index = *index_of
            .get(client_id)
            .ok_or_else(|| disagree("a member the plan does not know"))?;
        members.push((index, *client_id, status.attended()));
    }
    Ok(members)
}

fn attendance_status(rng: &mut Rng) -> AttendanceStatus {
    const STATUSES: [AttendanceStatus; 6] = [
        AttendanceStatus::Present,
        AttendanceStatus::Late,
        AttendanceStatus::LeftEarly,
        AttendanceStatus::AbsentExcused,
        AttendanceStatus::NoShow,
        AttendanceStatus::CancelledLate,
    ];
    STATUSES[rng.weighted(&[80, 6, 4, 5, 4, 1])]
}

fn hh_mm(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

impl GroupNotes<'_> {
    /// The facilitator's part of one session: goals at a member's first
    /// session, the note, its signature and perhaps an addendum.
    #[allow(clippy::too_many_arguments)]
    fn write(
        &mut self,
        session: &Held,
        members: &Members,
        seq: usize,
        date: NaiveDate,
        fate: Fate,
        today: NaiveDate,
        rng: &mut Rng,
        counts: &mut DemoCounts,
    ) -> Result<()> {
        let spec = &self.plan.groups[self.g];
        if !members.iter().any(|m| m.2) {
            return Ok(());
        }
        if fate == Fate::Unwritten {
            counts.unwritten += 1;
            return Ok(());
        }
        // The facilitator sets goals with each member at their first session.
        for &(index, client_id, attended) in members {
            if !attended || self.goals.contains_key(&index) {
                continue;
            }
            let mut mine = Vec::new();
            let all = spec.theme.goals();
            let n = 1 + rng.below(2);
            for pick in rng.sample(all.len(), n) {
                let text = all[pick];
                let goal = goals::create_goal(
                    self.lead,
                    client_id,
                    GoalInput {
                        text: text.to_owned(),
                        started_on: date.to_string(),
                        target_on: Some((date + Duration::weeks(12)).to_string()),
                        status: GoalStatus::Active,
                    },
                )?;
                counts.goals += 1;
                mine.push((goal.id, 1 + rng.below(2) as u8));
            }
            self.goals.insert(index, mine);
        }
        let people = &self.plan.clients;
        let attendees: Vec<Attendee<'_>> = members
            .iter()
            .map(|&(index, client_id, attended)| Attendee {
                client_id,
                person: &people[index],
                attended,
            })
            .collect();
        let present: Vec<&Attendee<'_>> = attendees.iter().filter(|a| a.attended).collect();
        let shared = writer::shared(rng, spec.theme, seq, &attendees);
        let mut notes = Vec::with_capacity(present.len());
        for (i, me) in present.iter().enumerate() {
            let others: Vec<&Attendee<'_>> = present
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, a)| *a)
                .collect();
            let index = self.index_of[&me.client_id];
            let goals = self.goals.get(&index).cloned().unwrap_or_default();
            notes.push(writer::member(
                rng, spec.theme, self.keys, me, &others, &goals,
            ));
            // Progress moves slowly, mostly up.
            if let Some(levels) = self.goals.get_mut(&index) {
                for (_, level) in levels.iter_mut() {
                    if rng.chance(0.2) {
                        *level = (*level + 1).min(5);
                    } else if rng.chance(0.05) {
                        *level = level.saturating_sub(1).max(1);
                    }
                }
            }
        }
        counts.member_sections += notes.len() as u64;
        let saved = session_note::save_draft(
            self.lead,
            NoteDraftInput {
                session_id: session.id,
                revision: 0,
                shared,
                members: notes,
                released: Vec::new(),
            },
        )?;
        if fate == Fate::Draft {
            counts.drafts += 1;
            return Ok(());
        }
        signing::sign(self.lead, session.id, saved.revision)?;
        counts.signed_notes += 1;
        self.signed += 1;
        if self.supervised {
            if date < today - Duration::days(COSIGN_LAG_DAYS) {
                self.to_cosign.push(session.id);
                counts.cosigned_notes += 1;
            } else {
                counts.awaiting_cosign += 1;
            }
        }
        if self.signed == 3 || rng.chance(ADDENDUM_CHANCE) {
            let about = rng.chance(0.5).then(|| present[rng.below(present.len())]);
            let body = writer::addendum(rng, spec.theme, about, &present);
            signing::add_addendum(self.lead, session.id, about.map(|a| a.client_id), &body)?;
            counts.addenda += 1;
        }
        Ok(())
    }
}
