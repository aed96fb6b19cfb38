//! Clients, rooms, groups and rosters: the commands in
//! `src-tauri/src/commands/{clients,groups}.rs`.

use circle_core::clients::{self, ClientInput, ClientStatus, NameOrder};
use circle_core::groups::{self, DischargeReason, GroupInput, GroupKind, NoteTemplate};
use circle_core::import;
use circle_core::schedule::parse_date;
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::staff;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::Fx;

/// A client form, every field as typed (printed whole when a case fails;
/// `ClientInput`'s own `Debug` hides the names).
#[derive(Debug, Clone)]
struct ClientForm {
    first: String,
    middle: Option<String>,
    last: String,
    preferred: Option<String>,
    family_first: bool,
    pronouns: Option<String>,
    date_of_birth: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    emergency_name: Option<String>,
    emergency_phone: Option<String>,
    status: ClientStatus,
}

impl ClientForm {
    fn input(&self) -> ClientInput {
        ClientInput {
            legal_first_name: self.first.clone(),
            middle_name: self.middle.clone(),
            legal_last_name: self.last.clone(),
            preferred_name: self.preferred.clone(),
            name_order: if self.family_first {
                NameOrder::FamilyFirst
            } else {
                NameOrder::GivenFirst
            },
            pronouns: self.pronouns.clone(),
            date_of_birth: self.date_of_birth.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            emergency_name: self.emergency_name.clone(),
            emergency_phone: self.emergency_phone.clone(),
            status: self.status,
        }
    }
}

fn phone() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(&["+44 20 7946 0958", "020 7946 0958", "(555) 010-9999", "+1-555-0100 ext. 12", "0"][..]).prop_map(str::to_owned),
        2 => text(),
    ]
    .boxed()
}

fn email() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(&["zoe@example.org", "a@b", "@", "zoe@@example.org", "zoë@exämple.org", "zoe@example.org\0", " zoe@example.org "][..]).prop_map(str::to_owned),
        2 => text(),
    ]
    .boxed()
}

fn status() -> BoxedStrategy<ClientStatus> {
    select(ClientStatus::ALL.to_vec()).boxed()
}

fn client_form() -> impl Strategy<Value = ClientForm> {
    (
        (
            person(),
            opt(person()),
            person(),
            opt(person()),
            any::<bool>(),
            opt(text()),
        ),
        (
            opt(date()),
            opt(phone()),
            opt(email()),
            opt(person()),
            opt(phone()),
            status(),
        ),
    )
        .prop_map(
            |(
                (first, middle, last, preferred, family_first, pronouns),
                (date_of_birth, phone, email, emergency_name, emergency_phone, status),
            )| ClientForm {
                first,
                middle,
                last,
                preferred,
                family_first,
                pronouns,
                date_of_birth,
                phone,
                email,
                emergency_name,
                emergency_phone,
                status,
            },
        )
}

#[derive(Debug, Clone)]
struct GroupForm {
    name: String,
    rolling: bool,
    modality: String,
    capacity: u32,
    primary: i64,
    co: Vec<i64>,
    room: Option<i64>,
    template: NoteTemplate,
    substance_use: bool,
}

impl GroupForm {
    fn input(&self) -> GroupInput {
        GroupInput {
            name: self.name.clone(),
            kind: if self.rolling {
                GroupKind::Rolling
            } else {
                GroupKind::Closed
            },
            modality: self.modality.clone(),
            capacity: self.capacity,
            primary_facilitator_id: self.primary,
            co_facilitator_ids: self.co.clone(),
            default_room_id: self.room,
            note_template: self.template,
            substance_use: self.substance_use,
        }
    }
}

fn group_form(fx: &Fx) -> impl Strategy<Value = GroupForm> {
    let staff = fx.ids.staff();
    let every = fx.ids.every();
    (
        name(),
        any::<bool>(),
        text(),
        prop_oneof![2 => 1u32..=12, 1 => u32_edge()],
        id(staff.clone(), every.clone()),
        id_list(staff, every.clone()),
        opt(id(vec![fx.ids.room], every)),
        select(
            &[
                NoteTemplate::Girp,
                NoteTemplate::Soap,
                NoteTemplate::Dap,
                NoteTemplate::Birp,
            ][..],
        ),
        any::<bool>(),
    )
        .prop_map(
            |(name, rolling, modality, capacity, primary, co, room, template, substance_use)| {
                GroupForm {
                    name,
                    rolling,
                    modality,
                    capacity,
                    primary,
                    co,
                    room,
                    template,
                    substance_use,
                }
            },
        )
}

#[test]
fn clients_rooms_groups_and_rosters_take_any_input() {
    let fx = Fx::new("clients and groups");
    let ids = &fx.ids;
    let clients_ids = || id(ids.clients(), ids.every());
    let group_ids = || id(ids.groups(), ids.every());
    let enrollment_ids = || id(ids.enrollments.clone(), ids.every());

    fx.command("client_search").run(
        (who(), text(), opt(status()), u32_edge(), u32_edge()),
        |fx, (who, query, status, offset, limit)| {
            clients::search(&fx.signed(who), &query, status, offset, limit).map(drop)
        },
    );
    fx.command("client_get")
        .run((who(), clients_ids()), |fx, (who, id)| {
            clients::get(&fx.signed(who), id).map(drop)
        });
    fx.command("client_create").run(
        (who(), client_form(), any::<bool>()),
        |fx, (who, form, confirm)| {
            clients::create(&fx.signed(who), form.input(), confirm).map(drop)
        },
    );
    fx.command("client_update").run(
        (who(), clients_ids(), client_form()),
        |fx, (who, id, form)| clients::update(&fx.signed(who), id, form.input()).map(drop),
    );
    // A client list: a header of known and unknown columns, then rows of
    // any text, dates and names, with any separator; or any bytes at all.
    let header = select(vec![
        "First name",
        "Last name",
        "DOB",
        "Phone",
        "Email",
        "Status",
        "Notes",
        "Nickname",
        "Pronouns",
        "Emergency contact",
        "Client ID",
        "",
    ]);
    let cell = prop_oneof![short_text(), date(), name(), phi_text()];
    // Mostly with the two columns a list needs, so rows get checked.
    let headers = prop_oneof![
        3 => vec(header.clone(), 0..6).prop_map(|rest| {
            let mut all = vec!["First name", "Last name"];
            all.extend(rest);
            all
        }),
        1 => vec(header, 1..8),
    ];
    let list = (
        headers,
        vec(vec(cell, 0..9), 0..12),
        select(vec![",", ";", "\t"]),
    )
        .prop_map(|(header, rows, sep)| {
            let mut text = header.join(sep);
            for row in rows {
                text.push('\n');
                text.push_str(&row.join(sep));
            }
            text.into_bytes()
        });
    let file = prop_oneof![4 => list, 1 => bytes()];
    let field = select(import::ImportField::ALL.to_vec());
    let choices = (
        // Mostly the guess; sometimes a mapping of any length.
        proptest::option::weighted(0.2, vec(opt(field), 0..9)),
        opt(select(vec![
            import::DateOrder::DayMonthYear,
            import::DateOrder::MonthDayYear,
        ])),
        vec(u32_edge(), 0..3),
    )
        .prop_map(
            |(columns, date_order, import_anyway)| import::ImportChoices {
                columns,
                date_order,
                import_anyway,
            },
        );
    fx.command("import_preview").run(
        (who(), file.clone(), choices.clone()),
        |fx, (who, bytes, choices)| {
            let table = import::read_table(&bytes)?;
            import::preview(&fx.signed(who), &table, &choices).map(drop)
        },
    );
    fx.command("import_clients")
        .run((who(), file, choices), |fx, (who, bytes, choices)| {
            let table = import::read_table(&bytes)?;
            import::import(&fx.signed(who), &table, &choices).map(drop)
        });
    fx.command("room_create")
        .run((who(), name(), u32_edge()), |fx, (who, name, capacity)| {
            rooms::create_room(&fx.signed(who), RoomInput { name, capacity }).map(drop)
        });
    fx.command("room_list")
        .run(who(), |fx, who| rooms::rooms(&fx.signed(who)).map(drop));
    fx.command("staff_directory")
        .run(who(), |fx, who| staff::directory(&fx.signed(who)).map(drop));
    fx.command("group_list")
        .run((who(), any::<bool>()), |fx, (who, archived)| {
            groups::groups(&fx.signed(who), archived).map(drop)
        });
    fx.command("group_get")
        .run((who(), group_ids()), |fx, (who, id)| {
            groups::get_group(&fx.signed(who), id).map(drop)
        });
    fx.command("group_create")
        .run((who(), group_form(&fx)), |fx, (who, form)| {
            groups::create_group(&fx.signed(who), form.input()).map(drop)
        });
    fx.command("group_update").run(
        (who(), group_ids(), group_form(&fx)),
        |fx, (who, id, form)| groups::update_group(&fx.signed(who), id, form.input()).map(drop),
    );
    fx.command("group_set_archived").run(
        (who(), group_ids(), any::<bool>()),
        |fx, (who, id, archived)| groups::set_archived(&fx.signed(who), id, archived).map(drop),
    );
    fx.command("group_roster")
        .run((who(), group_ids()), |fx, (who, id)| {
            groups::roster(&fx.signed(who), id).map(drop)
        });
    fx.command("client_enrollments")
        .run((who(), clients_ids()), |fx, (who, id)| {
            groups::enrollments_of_client(&fx.signed(who), id).map(drop)
        });
    fx.command("enroll").run(
        (who(), group_ids(), clients_ids(), any::<bool>(), date()),
        |fx, (who, group, client, waitlist, from)| {
            groups::enroll(
                &fx.signed(who),
                group,
                client,
                waitlist,
                parse_date("fromDate", &from)?,
            )
            .map(drop)
        },
    );
    fx.command("accept_from_waitlist").run(
        (who(), enrollment_ids(), date()),
        |fx, (who, enrollment, from)| {
            groups::accept_from_waitlist(
                &fx.signed(who),
                enrollment,
                parse_date("fromDate", &from)?,
            )
            .map(drop)
        },
    );
    fx.command("discharge").run(
        (
            who(),
            enrollment_ids(),
            date(),
            select(
                &[
                    DischargeReason::Completed,
                    DischargeReason::ChoseToLeave,
                    DischargeReason::StoppedAttending,
                    DischargeReason::ReferredElsewhere,
                    DischargeReason::MovedAway,
                    DischargeReason::Other,
                ][..],
            ),
            opt(phi_text()),
        ),
        |fx, (who, enrollment, date, reason, note)| {
            groups::discharge(
                &fx.signed(who),
                enrollment,
                parse_date("date", &date)?,
                reason,
                note.as_deref(),
            )
            .map(drop)
        },
    );
    fx.command("reorder_waitlist").run(
        (
            who(),
            group_ids(),
            id_list(ids.enrollments.clone(), ids.every()),
        ),
        |fx, (who, group, order)| {
            groups::reorder_waitlist(&fx.signed(who), group, &order).map(drop)
        },
    );
}
