//! The practice on paper: who works there, the rooms, the groups and when
//! they meet, and every enrollment and discharge over the years, worked out
//! from the seed before anything is written. [`super::run`] then replays it
//! through the services.
//!
//! Time is counted in weeks. Week 0 starts `weeks` weeks before today, on
//! today's weekday; a group meets on day `day` (0–4) of a week, so the
//! practice's five working days begin with today's weekday and Today always
//! has sessions. Roster changes happen on session days: a member leaves after
//! a session (discharged that day) and newcomers join from a later session,
//! so no session ever has both, and a client is in one group at a time.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};

use super::people::{self, Person, StaffPlan};
use super::rng::Rng;
use super::writer::Theme;
use super::Scale;
use crate::groups::{DischargeReason, GroupKind, NoteTemplate};
use crate::roles::Role;

/// Group start times (90 minutes each); appointments fit between them.
const GROUP_TIMES: [&str; 3] = ["10:00", "14:00", "18:00"];
pub(crate) const GROUP_MINUTES: u32 = 90;
/// Appointment start times (50 minutes each), clear of every group.
const APPOINTMENT_TIMES: [&str; 2] = ["12:00", "16:00"];
pub(crate) const APPOINTMENT_MINUTES: u32 = 50;
/// Weeks between one cohort's last session and the next one's first.
const COHORT_GAP: u32 = 2;
/// How many people wait on each waitlist.
const WAITING: u32 = 3;

/// The numbers a scale sets; everything else follows from them.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub clinicians: usize,
    pub supervisors: usize,
    /// How many clinicians (the first ones) have a supervisor, so their
    /// notes wait for a co-signature.
    pub supervised_each: usize,
    pub managers: usize,
    pub front_desk: usize,
    pub clients: usize,
    /// History, in weeks, ending today.
    pub weeks: u32,
    /// Sessions scheduled beyond today.
    pub future_weeks: u32,
    /// Chance a rolling group's member leaves after a session.
    pub rolling_leave: f64,
    /// Chance a cohort member drops out after a session.
    pub dropout: f64,
    /// Chance someone who left joins another group later.
    pub returning: f64,
    /// Prospects with an intake booked in the days ahead.
    pub prospects: usize,
    pub groups: GroupSet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupSet {
    /// The four groups of the small practice.
    Four,
    /// This many groups from the catalogue of themes.
    Catalogue(usize),
}

impl Shape {
    pub fn of(scale: Scale) -> Shape {
        match scale {
            Scale::Small => Shape {
                clinicians: 3,
                supervisors: 1,
                supervised_each: 1,
                managers: 1,
                front_desk: 1,
                clients: 40,
                weeks: 13,
                future_weeks: 4,
                rolling_leave: 0.04,
                dropout: 0.0,
                returning: 0.0,
                prospects: 3,
                groups: GroupSet::Four,
            },
            Scale::Large => Shape::large(LARGE_YEARS),
            Scale::LargeYears(years) => Shape::large(years.clamp(1, 10)),
        }
    }

    fn large(years: u32) -> Shape {
        // About 650 people hold or wait for a seat on any day; the rest of
        // the 2,000 arrive over the ten years.
        let standing = 650;
        Shape {
            clinicians: 20,
            supervisors: 2,
            supervised_each: 3,
            managers: 1,
            front_desk: 2,
            clients: standing + (2000 - standing) * years as usize / 10,
            weeks: 52 * years,
            future_weeks: 6,
            rolling_leave: 1.0 / 45.0,
            dropout: 0.01,
            returning: 0.92,
            prospects: 10,
            groups: GroupSet::Catalogue(60),
        }
    }
}

/// How many years [`Scale::Large`] spans.
pub const LARGE_YEARS: u32 = 10;

#[derive(Debug, Clone)]
pub(crate) struct GroupSpec {
    pub name: String,
    pub theme: Theme,
    pub kind: GroupKind,
    pub template: NoteTemplate,
    pub substance_use: bool,
    pub modality: &'static str,
    pub capacity: u32,
    /// Members it runs with.
    pub fill: u32,
    /// Index into the staff.
    pub lead: usize,
    pub co: Vec<usize>,
    /// Index into the rooms.
    pub room: usize,
    pub day: u32,
    pub time: &'static str,
    pub interval: u32,
    /// Closed groups: sessions per cohort, and how many weeks ago the
    /// current cohort started (drawn when not given).
    pub cohort: Option<(u32, Option<u32>)>,
    pub waitlist: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct RoomPlan {
    pub name: &'static str,
    pub capacity: u32,
    pub consulting: bool,
}

/// One series: a year of a rolling group, or one cohort.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Term {
    pub group: usize,
    pub first_week: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Series {
        term: usize,
    },
    /// Enrolled from the session of `week` on.
    Join {
        client: usize,
        group: usize,
        week: u32,
    },
    /// Discharged on the day of the session of `week`, their last.
    Leave {
        client: usize,
        group: usize,
        week: u32,
        reason: DischargeReason,
    },
    Waitlist {
        client: usize,
        group: usize,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct AppointmentPlan {
    pub intake: bool,
    pub client: usize,
    pub clinician: usize,
    pub room: usize,
    pub date: NaiveDate,
    pub time: &'static str,
    /// Whether they came, once the appointment has started.
    pub came: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub practice_name: String,
    pub today: NaiveDate,
    pub weeks: u32,
    pub staff: Vec<StaffPlan>,
    /// (supervisee, supervisor), indices into the staff.
    pub supervision: Vec<(usize, usize)>,
    pub rooms: Vec<RoomPlan>,
    pub clients: Vec<Person>,
    pub groups: Vec<GroupSpec>,
    pub terms: Vec<Term>,
    /// In the order they happen.
    pub events: Vec<Event>,
    pub appointments: Vec<AppointmentPlan>,
}

impl Plan {
    pub fn week_start(&self, week: u32) -> NaiveDate {
        self.today - Duration::weeks(i64::from(self.weeks)) + Duration::weeks(i64::from(week))
    }

    /// The local date of `group`'s session in `week`.
    pub fn date(&self, group: usize, week: u32) -> NaiveDate {
        self.week_start(week) + Duration::days(i64::from(self.groups[group].day))
    }

    pub fn staff_with(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        self.staff
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.role == role)
            .map(|(i, _)| i)
    }
}

const PRACTICE_NAMES: &[&str] = &[
    "Harbour Light Group Therapy",
    "Cedar Grove Counselling Collective",
    "Northbank Group Practice",
    "Riverside Circle Therapy",
    "Lantern House Psychotherapy",
];

fn rooms(groups: usize) -> Vec<RoomPlan> {
    let group_rooms = [
        "Garden Room",
        "Willow Room",
        "Harbour Room",
        "Skylight Room",
    ];
    let consulting = [
        "Consulting Room 1",
        "Consulting Room 2",
        "Consulting Room 3",
        "Consulting Room 4",
    ];
    let n = if groups <= 4 { 2 } else { 4 };
    group_rooms[..n]
        .iter()
        .map(|name| RoomPlan {
            name,
            capacity: 14,
            consulting: false,
        })
        .chain(consulting[..n].iter().map(|name| RoomPlan {
            name,
            capacity: 3,
            consulting: true,
        }))
        .collect()
}

fn four_groups(clinicians: &[usize], supervisors: &[usize]) -> Vec<GroupSpec> {
    let base = |name: &str, theme: Theme, lead: usize| GroupSpec {
        name: name.to_owned(),
        theme,
        kind: theme.kind(),
        template: theme.template(),
        substance_use: theme.substance_use(),
        modality: theme.modality(),
        capacity: 10,
        fill: 7,
        lead,
        co: Vec::new(),
        room: 0,
        day: 0,
        time: GROUP_TIMES[0],
        interval: 1,
        cohort: None,
        waitlist: 0,
    };
    vec![
        GroupSpec {
            capacity: 8,
            fill: 8,
            co: vec![supervisors[0]],
            cohort: Some((16, Some(12))),
            waitlist: WAITING,
            ..base("DBT Skills Cohort", Theme::Dbt, clinicians[0])
        },
        GroupSpec {
            room: 1,
            time: GROUP_TIMES[2],
            ..base("Open Circle Process Group", Theme::Process, clinicians[1])
        },
        GroupSpec {
            day: 2,
            time: GROUP_TIMES[2],
            ..base(
                "Steady Steps Recovery Group",
                Theme::Recovery,
                clinicians[2],
            )
        },
        GroupSpec {
            capacity: 8,
            room: 1,
            day: 3,
            time: GROUP_TIMES[1],
            cohort: Some((14, Some(10))),
            ..base("Grief and Loss Group", Theme::Grief, clinicians[1])
        },
    ]
}

const VARIANTS: [&str; 6] = ["Cedar", "Rowan", "Linden", "Meridian", "Harbour", "Willow"];

/// `n` groups cycling through the themes, three per clinician, in fifteen
/// weekly slots (five days, three times) across four rooms, so no room or
/// facilitator is ever booked twice.
fn catalogue(n: usize, clinicians: &[usize], supervisors: &[usize]) -> Vec<GroupSpec> {
    let slots = 5 * GROUP_TIMES.len();
    (0..n)
        .map(|g| {
            let theme = Theme::ALL[g % Theme::ALL.len()];
            let slot = g % slots;
            let lane = g / slots;
            let lead = clinicians[(slot + 5 * lane) % clinicians.len()];
            // Supervisors co-facilitate the first six groups (six slots).
            let co = if g < 6 && !supervisors.is_empty() {
                vec![supervisors[g % supervisors.len()]]
            } else {
                Vec::new()
            };
            let capacity = if g % 3 == 0 { 12 } else { 10 };
            let waitlist = if g % 10 == 0 { WAITING } else { 0 };
            GroupSpec {
                name: format!(
                    "{} — {}",
                    theme.label(),
                    VARIANTS[(g / Theme::ALL.len()) % 6]
                ),
                theme,
                kind: theme.kind(),
                template: theme.template(),
                substance_use: theme.substance_use(),
                modality: theme.modality(),
                capacity,
                fill: if waitlist > 0 { capacity } else { capacity - 1 },
                lead,
                co,
                room: lane % 4,
                day: (slot / GROUP_TIMES.len()) as u32,
                time: GROUP_TIMES[slot % GROUP_TIMES.len()],
                interval: theme.interval(),
                cohort: theme.cohort_length().map(|len| (len, None)),
                waitlist,
            }
        })
        .collect()
}

/// The series each group runs, oldest first.
fn terms(rng: &mut Rng, groups: &[GroupSpec], weeks: u32, future: u32) -> Vec<Term> {
    let end = weeks + future;
    let mut out = Vec::new();
    for (g, spec) in groups.iter().enumerate() {
        match spec.cohort {
            Some((len, started)) => {
                // The current cohort is under way today; earlier ones back to
                // the start of the window, each after a short break.
                let ago = started.unwrap_or_else(|| rng.between(1, i64::from(len) - 2) as u32);
                let mut starts = Vec::new();
                let mut start = i64::from(weeks) - i64::from(ago.min(weeks));
                while start >= 0 {
                    starts.push(start as u32);
                    start -= i64::from(len * spec.interval + COHORT_GAP);
                }
                for first_week in starts.into_iter().rev() {
                    out.push(Term {
                        group: g,
                        first_week,
                        count: len,
                    });
                }
            }
            None => {
                // A series a year, renewed, until a few weeks past today.
                let per_year = 52 / spec.interval;
                let mut first_week = 0;
                while first_week < end {
                    let left = (end - first_week).div_ceil(spec.interval);
                    let count = left.min(per_year);
                    out.push(Term {
                        group: g,
                        first_week,
                        count,
                    });
                    first_week += count * spec.interval;
                }
            }
        }
    }
    out
}

/// Where each client stands in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Free to join a group from this week.
    FreeFrom(u32),
    /// In a group (or about to join one).
    Busy,
    /// Gone for good, or kept aside for a waitlist or an intake.
    Away,
}

struct Roster {
    members: Vec<(usize, u32)>,
    words: HashMap<String, u32>,
}

impl Roster {
    fn shares_a_word(&self, person: &Person) -> bool {
        person.words().iter().any(|w| self.words.contains_key(w))
    }
    fn add(&mut self, client: usize, week: u32, person: &Person) {
        self.members.push((client, week));
        for w in person.words() {
            *self.words.entry(w).or_default() += 1;
        }
    }
    fn remove(&mut self, client: usize, person: &Person) {
        self.members.retain(|(c, _)| *c != client);
        for w in person.words() {
            if let Some(n) = self.words.get_mut(&w) {
                *n -= 1;
                if *n == 0 {
                    self.words.remove(&w);
                }
            }
        }
    }
}

const LEAVING: [DischargeReason; 5] = [
    DischargeReason::Completed,
    DischargeReason::ChoseToLeave,
    DischargeReason::StoppedAttending,
    DischargeReason::ReferredElsewhere,
    DischargeReason::MovedAway,
];

/// The whole practice for `scale`, `seed` and `today`.
pub(crate) fn plan(scale: Scale, seed: u64, today: NaiveDate) -> Plan {
    let shape = Shape::of(scale);
    let mut root = Rng::new(seed);
    let mut staff_rng = root.fork();
    let mut name_rng = root.fork();
    let mut roster_rng = root.fork();
    let mut term_rng = root.fork();

    let mut roles = Vec::new();
    roles.extend(std::iter::repeat_n(Role::Clinician, shape.clinicians));
    roles.extend(std::iter::repeat_n(Role::Supervisor, shape.supervisors));
    roles.extend(std::iter::repeat_n(Role::Manager, shape.managers));
    roles.extend(std::iter::repeat_n(Role::FrontDesk, shape.front_desk));
    let staff = people::staff(&mut staff_rng, &roles);
    let clinicians: Vec<usize> = (1..=shape.clinicians).collect();
    let supervisors: Vec<usize> =
        (shape.clinicians + 1..=shape.clinicians + shape.supervisors).collect();
    // Supervisees are the last clinicians: the first ones lead the groups
    // the supervisors co-facilitate.
    let each = shape.supervised_each;
    let supervision = supervisors
        .iter()
        .enumerate()
        .flat_map(|(k, &sup)| (0..each).map(move |i| (k * each + i, sup)))
        .filter(|(n, _)| *n < shape.clinicians)
        .map(|(n, sup)| (shape.clinicians - n, sup))
        .collect();

    let groups = match shape.groups {
        GroupSet::Four => four_groups(&clinicians, &supervisors),
        GroupSet::Catalogue(n) => catalogue(n, &clinicians, &supervisors),
    };
    let terms = terms(&mut term_rng, &groups, shape.weeks, shape.future_weeks);
    let clients = people::clients(&mut name_rng, shape.clients, today);

    let mut plan = Plan {
        practice_name: format!("{} (demo)", staff_rng.pick(PRACTICE_NAMES)),
        today,
        weeks: shape.weeks,
        staff,
        supervision,
        rooms: rooms(groups.len()),
        clients,
        groups,
        terms,
        events: Vec::new(),
        appointments: Vec::new(),
    };
    simulate(&mut plan, &shape, &mut roster_rng);
    plan
}

/// Which term and place in it each group's session of each week has.
fn meetings(plan: &Plan) -> Vec<BTreeMap<u32, (usize, u32)>> {
    let mut out = vec![BTreeMap::new(); plan.groups.len()];
    for (t, term) in plan.terms.iter().enumerate() {
        let interval = plan.groups[term.group].interval;
        for seq in 0..term.count {
            out[term.group].insert(term.first_week + seq * interval, (t, seq));
        }
    }
    out
}

/// Runs the practice week by week: cohorts fill and complete, rolling groups
/// lose and gain members, people come back later for another group. Fills
/// `plan.events` (in date order) and `plan.appointments`.
fn simulate(plan: &mut Plan, shape: &Shape, rng: &mut Rng) {
    let n = plan.clients.len();
    let waiting: usize = plan.groups.iter().map(|g| g.waitlist as usize).sum();
    let kept = (waiting + shape.prospects).min(n);
    let pool = n - kept;
    let standing: u32 = plan.groups.iter().map(|g| g.fill).sum();
    let initial = (standing as usize * 11 / 10).min(pool);
    let mut state: Vec<Standing> = (0..n)
        .map(|i| {
            if i >= pool {
                Standing::Away
            } else if i < initial || pool == initial {
                Standing::FreeFrom(0)
            } else {
                let w = (i - initial) as u64 * u64::from(plan.weeks) / (pool - initial) as u64;
                Standing::FreeFrom(w as u32)
            }
        })
        .collect();
    let mut rosters: Vec<Roster> = plan
        .groups
        .iter()
        .map(|_| Roster {
            members: Vec::new(),
            words: HashMap::new(),
        })
        .collect();
    let meets = meetings(plan);
    let mut dated: Vec<(NaiveDate, u8, Event)> = Vec::new();
    let mut ever_joined = vec![false; n];
    let mut intakes: Vec<(usize, usize, NaiveDate)> = Vec::new();
    let last_week = plan.weeks + 8;
    let today = plan.today;

    for week in 0..=last_week {
        for g in 0..plan.groups.len() {
            let Some(&(term, seq)) = meets[g].get(&week) else {
                continue;
            };
            let date = plan.date(g, week);
            if seq == 0 {
                dated.push((date, 0, Event::Series { term }));
            }
            let spec = plan.groups[g].clone();
            let past = date < today;
            let count = plan.terms[term].count;
            let first_meeting = meets[g].keys().next() == Some(&week);
            let fill_now = match spec.cohort {
                Some(_) => seq == 0,
                None => first_meeting,
            };
            if fill_now {
                while rosters[g].members.len() < spec.fill as usize {
                    let Some(c) = next_client(&state, &rosters[g], &plan.clients, week) else {
                        break;
                    };
                    join(&mut state, &mut rosters[g], &plan.clients, c, week);
                    dated.push((
                        date,
                        2,
                        Event::Join {
                            client: c,
                            group: g,
                            week,
                        },
                    ));
                    if !ever_joined[c] && week > 0 {
                        intakes.push((c, spec.lead, date));
                    }
                    ever_joined[c] = true;
                }
                continue;
            }
            if !past {
                continue;
            }
            let last_of_cohort = spec.cohort.is_some() && seq + 1 == count;
            let chance = if spec.cohort.is_some() {
                shape.dropout
            } else {
                shape.rolling_leave
            };
            let members = rosters[g].members.clone();
            for (c, joined) in members {
                let leaves = last_of_cohort || (joined < week && rng.chance(chance));
                if !leaves {
                    continue;
                }
                let reason = if last_of_cohort {
                    DischargeReason::Completed
                } else {
                    *rng.pick(&LEAVING)
                };
                rosters[g].remove(c, &plan.clients[c]);
                state[c] = if rng.chance(shape.returning) {
                    Standing::FreeFrom(week + rng.between(2, 8) as u32)
                } else {
                    Standing::Away
                };
                dated.push((
                    date,
                    1,
                    Event::Leave {
                        client: c,
                        group: g,
                        week,
                        reason,
                    },
                ));
            }
            // Rolling groups take newcomers from their next session.
            if spec.cohort.is_none() && rosters[g].members.len() < spec.fill as usize {
                let next = week + spec.interval;
                let next_date = plan.date(g, next);
                if meets[g].contains_key(&next) && next_date < today && rng.chance(0.7) {
                    if let Some(c) = next_client(&state, &rosters[g], &plan.clients, week) {
                        join(&mut state, &mut rosters[g], &plan.clients, c, next);
                        dated.push((
                            next_date,
                            2,
                            Event::Join {
                                client: c,
                                group: g,
                                week: next,
                            },
                        ));
                        if !ever_joined[c] {
                            intakes.push((c, spec.lead, next_date));
                        }
                        ever_joined[c] = true;
                    }
                }
            }
        }
    }
    // Stable: same-day events keep the order they were drawn in.
    dated.sort_by_key(|(date, rank, _)| (*date, *rank));
    plan.events = dated.into_iter().map(|(_, _, e)| e).collect();

    // The clients kept aside: first the waitlists, then prospects.
    let mut aside = pool..n;
    for g in 0..plan.groups.len() {
        for _ in 0..plan.groups[g].waitlist {
            if let Some(c) = aside.next() {
                plan.events.push(Event::Waitlist {
                    client: c,
                    group: g,
                });
            }
        }
    }
    plan.appointments = appointments(plan, rng, &intakes, aside.collect(), &rosters);
}

fn next_client(state: &[Standing], roster: &Roster, people: &[Person], week: u32) -> Option<usize> {
    state.iter().enumerate().position(|(c, s)| {
        matches!(s, Standing::FreeFrom(from) if *from <= week) && !roster.shares_a_word(&people[c])
    })
}

fn join(state: &mut [Standing], roster: &mut Roster, people: &[Person], c: usize, week: u32) {
    state[c] = Standing::Busy;
    roster.add(c, week, &people[c]);
}

/// Intakes a week before each newcomer's first group, intakes booked for
/// the prospects in the days ahead, and one check-in today.
fn appointments(
    plan: &Plan,
    rng: &mut Rng,
    intakes: &[(usize, usize, NaiveDate)],
    prospects: Vec<usize>,
    rosters: &[Roster],
) -> Vec<AppointmentPlan> {
    let consulting: Vec<usize> = plan
        .rooms
        .iter()
        .enumerate()
        .filter(|(_, r)| r.consulting)
        .map(|(i, _)| i)
        .collect();
    let clinicians: Vec<usize> = plan.staff_with(Role::Clinician).collect();
    let mut taken: std::collections::HashSet<(usize, NaiveDate, &str)> = Default::default();
    let mut rooms_taken: std::collections::HashSet<(usize, NaiveDate, &str)> = Default::default();
    let mut out = Vec::new();
    // The first free (clinician, room, time) from `day` on, or from `day`
    // back when the appointment must come before something.
    let mut book = |intake: bool,
                    client: usize,
                    clinician: usize,
                    day: NaiveDate,
                    back: bool,
                    rng: &mut Rng| {
        for offset in 0..14 {
            let step = Duration::days(offset);
            let date = if back { day - step } else { day + step };
            for time in APPOINTMENT_TIMES {
                if taken.contains(&(clinician, date, time)) {
                    continue;
                }
                let Some(&room) = consulting
                    .iter()
                    .find(|r| !rooms_taken.contains(&(**r, date, time)))
                else {
                    continue;
                };
                taken.insert((clinician, date, time));
                rooms_taken.insert((room, date, time));
                out.push(AppointmentPlan {
                    intake,
                    client,
                    clinician,
                    room,
                    date,
                    time,
                    came: rng.chance(0.9),
                });
                return;
            }
        }
    };
    for &(client, lead, joins) in intakes {
        book(true, client, lead, joins - Duration::days(7), true, rng);
    }
    for (i, client) in prospects.into_iter().enumerate() {
        let clinician = clinicians[i % clinicians.len()];
        book(
            true,
            client,
            clinician,
            plan.today + Duration::days(1 + (i % 5) as i64),
            false,
            rng,
        );
    }
    if let Some(&(client, _)) = rosters.first().and_then(|r| r.members.first()) {
        book(false, client, plan.groups[0].lead, plan.today, false, rng);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    /// Sessions per term and member-weeks, as the plan has them.
    fn sizes(p: &Plan) -> (usize, usize) {
        let sessions: usize = p.terms.iter().map(|t| t.count as usize).sum();
        let mut seats = 0usize;
        let mut open: HashMap<(usize, usize), u32> = HashMap::new();
        let interval = |g: usize| p.groups[g].interval;
        for e in &p.events {
            match *e {
                Event::Join {
                    client,
                    group,
                    week,
                } => {
                    open.insert((client, group), week);
                }
                Event::Leave {
                    client,
                    group,
                    week,
                    ..
                } => {
                    let from = open.remove(&(client, group)).unwrap();
                    seats += ((week - from) / interval(group) + 1) as usize;
                }
                _ => {}
            }
        }
        for ((_, group), from) in open {
            seats += (p.weeks.saturating_sub(from) / interval(group)) as usize;
        }
        (sessions, seats)
    }

    #[test]
    fn the_small_practice_has_four_groups_forty_clients_and_a_full_group_with_a_waitlist() {
        let p = plan(Scale::Small, 42, today());
        assert_eq!(p.clients.len(), 40);
        assert_eq!(p.groups.len(), 4);
        assert_eq!(p.staff.len(), 7);
        assert_eq!(p.supervision, vec![(3, 4)]);
        assert!(p.groups.iter().any(|g| g.substance_use));
        let waiting = p
            .events
            .iter()
            .filter(|e| matches!(e, Event::Waitlist { group: 0, .. }))
            .count();
        assert_eq!(waiting, 3);
        // Today (day 0 of the current week) has sessions.
        assert!(p
            .groups
            .iter()
            .enumerate()
            .any(|(g, _)| p.date(g, p.weeks) == p.today));
        assert!(p.appointments.iter().any(|a| a.date == p.today));
        assert!(p.appointments.iter().any(|a| a.date < p.today));
    }

    #[test]
    fn the_same_seed_plans_the_same_practice() {
        let a = plan(Scale::Small, 9, today());
        let b = plan(Scale::Small, 9, today());
        let c = plan(Scale::Small, 10, today());
        let names = |p: &Plan| p.clients.iter().map(Person::legal).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_eq!(a.events, b.events);
        assert_ne!(names(&a), names(&c));
    }

    #[test]
    fn no_two_members_of_a_group_share_a_name_word_and_nobody_is_in_two_groups() {
        let p = plan(Scale::LargeYears(2), 4, today());
        let mut in_group: HashMap<usize, usize> = HashMap::new();
        let mut rosters: Vec<Vec<usize>> = vec![Vec::new(); p.groups.len()];
        for e in &p.events {
            match *e {
                Event::Join { client, group, .. } => {
                    assert!(
                        in_group.insert(client, group).is_none(),
                        "one group at a time"
                    );
                    for other in &rosters[group] {
                        let shared: Vec<_> = p.clients[client]
                            .words()
                            .intersection(&p.clients[*other].words())
                            .cloned()
                            .collect();
                        assert!(shared.is_empty(), "{shared:?}");
                    }
                    rosters[group].push(client);
                }
                Event::Leave { client, group, .. } => {
                    assert_eq!(in_group.remove(&client), Some(group));
                    rosters[group].retain(|c| *c != client);
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_large_practice_has_the_size_the_issue_asks_for() {
        let p = plan(Scale::LargeYears(10), 1, today());
        let (sessions, seats) = sizes(&p);
        assert_eq!(p.groups.len(), 60);
        assert_eq!(p.clients.len(), 2000);
        assert_eq!(p.staff_with(Role::Clinician).count(), 20);
        assert!((26_000..34_000).contains(&sessions), "{sessions} sessions");
        // Booked seats in past sessions; about nine in ten attend.
        assert!((240_000..330_000).contains(&seats), "{seats} seats");
    }
}
