//! Clients against a real vault: search that ignores case and diacritics,
//! the duplicate warning, validation that changes nothing, permissions,
//! audit rows without names, and a practice with 2,000 clients.

use crate::common::*;
use circle_core::audit::{self, AuditEntry, AuditFilter};
use circle_core::clients::{self, Client, ClientInput, ClientPage, ClientStatus, Created};
use circle_core::roles::Role;
use circle_core::signed_in::SignedIn;
use circle_core::Error;

fn person(first: &str, last: &str) -> ClientInput {
    ClientInput {
        legal_first_name: first.into(),
        legal_last_name: last.into(),
        ..Default::default()
    }
}

fn born(mut input: ClientInput, date: &str) -> ClientInput {
    input.date_of_birth = Some(date.into());
    input
}

fn saved(created: Created) -> Client {
    match created {
        Created::Client { client } => *client,
        Created::PossibleDuplicate { existing } => {
            panic!("unexpected duplicate warning: {existing:?}")
        }
    }
}

fn add(signed_in: &SignedIn, input: ClientInput) -> Client {
    saved(clients::create(signed_in, input, false).expect("create client"))
}

fn find(signed_in: &SignedIn, query: &str) -> ClientPage {
    clients::search(signed_in, query, None, 0, 200).expect("search")
}

fn ids(page: &ClientPage) -> Vec<i64> {
    page.items.iter().map(|c| c.id).collect()
}

fn audit_rows(owner: &SignedIn, prefix: &str) -> Vec<AuditEntry> {
    audit::list_for(
        owner,
        &AuditFilter {
            action_prefix: Some(prefix.into()),
            limit: Some(1000),
            ..Default::default()
        },
    )
    .expect("audit list")
}

fn invalid_field(result: circle_core::Result<impl std::fmt::Debug>) -> (String, String) {
    match result {
        Err(Error::Invalid { field, reason }) => (field, reason),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn search_ignores_case_and_diacritics_and_finds_preferred_names() {
    let v = new_vault();
    let s = v.owner();
    let zoe = add(&s, person("Zoë", "Martin"));
    let jose = add(&s, person("Jose", "Ávila"));
    let robert = add(
        &s,
        ClientInput {
            preferred_name: Some("Bobbie".into()),
            ..person("Robert", "Smith")
        },
    );

    assert_eq!(ids(&find(&s, "zoe")), [zoe.id]);
    assert_eq!(ids(&find(&s, "ZOË")), [zoe.id]);
    assert_eq!(ids(&find(&s, "JOSÉ")), [jose.id]);
    assert_eq!(ids(&find(&s, "avila")), [jose.id]);
    assert_eq!(ids(&find(&s, "zoe mart")), [zoe.id]);
    assert_eq!(ids(&find(&s, "  mart   Zoe ")), [zoe.id]);
    assert_eq!(ids(&find(&s, "bobbie")), [robert.id]);
    assert_eq!(ids(&find(&s, "bob smi")), [robert.id]);
    assert!(find(&s, "zoe smith").items.is_empty());
    assert_eq!(find(&s, "zoe smith").total, 0);

    // Everyone, by folded last name: Ávila sorts with the A's.
    let everyone = find(&s, "");
    assert_eq!(ids(&everyone), [jose.id, zoe.id, robert.id]);
    assert_eq!(everyone.total, 3);

    let bobbie = everyone.items.iter().find(|c| c.id == robert.id).unwrap();
    assert_eq!(bobbie.display_name, "Bobbie Smith");
    assert_eq!(bobbie.legal_name, "Robert Smith");

    // Record numbers are searchable by their digits.
    let number = robert.record_number.trim_start_matches("C-").to_owned();
    assert_eq!(ids(&find(&s, &number)), [robert.id]);

    // The status filter.
    clients::update(
        &s,
        zoe.id,
        ClientInput {
            status: ClientStatus::Active,
            ..person("Zoë", "Martin")
        },
    )
    .unwrap();
    let active = clients::search(&s, "", Some(ClientStatus::Active), 0, 50).unwrap();
    assert_eq!(ids(&active), [zoe.id]);
    let prospects = clients::search(&s, "", Some(ClientStatus::Prospect), 0, 50).unwrap();
    assert_eq!(ids(&prospects), [jose.id, robert.id]);
}

#[test]
fn a_possible_duplicate_warns_and_saves_only_when_confirmed() {
    let v = new_vault();
    let s = v.owner();
    let zoe = add(&s, born(person("Zoë", "Martin"), "1990-05-01"));
    let bob = add(
        &s,
        born(
            ClientInput {
                preferred_name: Some("Bob".into()),
                ..person("Robert", "Smith")
            },
            "1971-11-30",
        ),
    );
    let created_before = audit_rows(&s, "client.created").len();

    // Same name once folded, same date of birth: warned, nothing written.
    let again = clients::create(&s, born(person("zoe", "MARTIN"), "1990-05-01"), false).unwrap();
    match &again {
        Created::PossibleDuplicate { existing } => {
            assert_eq!(existing.len(), 1);
            assert_eq!(existing[0].id, zoe.id);
            assert_eq!(existing[0].record_number, zoe.record_number);
        }
        Created::Client { .. } => panic!("expected a duplicate warning"),
    }
    assert_eq!(find(&s, "").total, 2);
    assert_eq!(audit_rows(&s, "client.created").len(), created_before);

    // The preferred name counts too.
    match clients::create(&s, born(person("Bob", "Smith"), "1971-11-30"), false).unwrap() {
        Created::PossibleDuplicate { existing } => {
            assert_eq!(existing.iter().map(|c| c.id).collect::<Vec<_>>(), [bob.id])
        }
        Created::Client { .. } => panic!("expected a duplicate warning"),
    }
    assert_eq!(find(&s, "").total, 2);

    // Confirmed: saved, with its own record number.
    let twin =
        saved(clients::create(&s, born(person("zoe", "MARTIN"), "1990-05-01"), true).unwrap());
    assert_ne!(twin.id, zoe.id);
    assert_ne!(twin.record_number, zoe.record_number);
    assert_eq!(find(&s, "").total, 3);
    assert_eq!(audit_rows(&s, "client.created").len(), created_before + 1);

    // Same name, another date of birth (or none): no warning.
    add(&s, born(person("Zoë", "Martin"), "1991-05-01"));
    add(&s, person("Zoë", "Martin"));
    assert_eq!(find(&s, "zoe martin").total, 4);
}

#[test]
fn each_validation_error_names_its_field_and_changes_nothing() {
    let v = new_vault();
    let s = v.owner();
    let existing = add(
        &s,
        ClientInput {
            phone: Some("+44 20 7946 0000".into()),
            email: Some("zoe@example.com".into()),
            ..born(person("Zoë", "Martin"), "1990-05-01")
        },
    );
    let ok = || person("Amara", "Okafor");
    let cases: Vec<(ClientInput, &str)> = vec![
        (person("  ", "Okafor"), "legalFirstName"),
        (person(&"a".repeat(101), "Okafor"), "legalFirstName"),
        (person("Amara", ""), "legalLastName"),
        (person("Amara", &"b".repeat(101)), "legalLastName"),
        (
            ClientInput {
                preferred_name: Some("c".repeat(61)),
                ..ok()
            },
            "preferredName",
        ),
        (
            ClientInput {
                pronouns: Some("d".repeat(61)),
                ..ok()
            },
            "pronouns",
        ),
        (born(ok(), "05/01/1990"), "dateOfBirth"),
        (born(ok(), "1990-13-01"), "dateOfBirth"),
        (born(ok(), "1899-12-31"), "dateOfBirth"),
        (
            ClientInput {
                phone: Some("call reception".into()),
                ..ok()
            },
            "phone",
        ),
        (
            ClientInput {
                phone: Some("0".repeat(31)),
                ..ok()
            },
            "phone",
        ),
        (
            ClientInput {
                email: Some("amara.example.com".into()),
                ..ok()
            },
            "email",
        ),
        (
            ClientInput {
                email: Some("amara@".into()),
                ..ok()
            },
            "email",
        ),
        (
            ClientInput {
                email: Some("a@b@c".into()),
                ..ok()
            },
            "email",
        ),
        (
            ClientInput {
                emergency_name: Some("e".repeat(101)),
                ..ok()
            },
            "emergencyName",
        ),
        (
            ClientInput {
                emergency_phone: Some("ask her sister".into()),
                ..ok()
            },
            "emergencyPhone",
        ),
    ];

    let before = find(&s, "");
    let writes_before =
        audit_rows(&s, "client.created").len() + audit_rows(&s, "client.updated").len();
    for (input, field) in cases {
        let (got, reason) = invalid_field(clients::create(&s, input.clone(), true));
        assert_eq!(got, field);
        assert!(reason.ends_with('.') && reason.len() > 10, "{reason}");
        let (got, _) = invalid_field(clients::update(&s, existing.id, input));
        assert_eq!(got, field, "update");
    }
    let after = find(&s, "");
    assert_eq!(after, before);
    assert_eq!(after.total, 1);
    assert_eq!(clients::get(&s, existing.id).unwrap(), existing);
    let writes_after =
        audit_rows(&s, "client.created").len() + audit_rows(&s, "client.updated").len();
    assert_eq!(writes_after, writes_before);
}

#[test]
fn a_date_of_birth_in_the_future_is_refused() {
    let v = new_vault();
    let s = v.owner();
    // Two days ahead of UTC is in the future in London whatever the hour.
    let future = (chrono::Utc::now().date_naive() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let (field, reason) = invalid_field(clients::create(
        &s,
        born(person("Ada", "Moss"), &future),
        true,
    ));
    assert_eq!(field, "dateOfBirth");
    assert!(reason.contains("future"), "{reason}");
    assert_eq!(find(&s, "").total, 0);

    let past = (chrono::Utc::now().date_naive() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let ada = add(&s, born(person("Ada", "Moss"), &past));
    assert_eq!(ada.date_of_birth.as_deref(), Some(past.as_str()));
    add(&s, born(person("Old", "Timer"), "1900-01-01"));
}

#[test]
fn fields_are_trimmed_and_empty_ones_stored_as_nothing() {
    let v = new_vault();
    let s = v.owner();
    let c = add(
        &s,
        ClientInput {
            legal_first_name: "  Noor ".into(),
            legal_last_name: " Haddad".into(),
            preferred_name: Some("".into()),
            pronouns: Some("  she/her ".into()),
            phone: Some("   ".into()),
            email: Some(" noor@example.com ".into()),
            emergency_name: Some("".into()),
            emergency_phone: None,
            ..Default::default()
        },
    );
    assert_eq!(c.legal_first_name, "Noor");
    assert_eq!(c.legal_last_name, "Haddad");
    assert_eq!(c.preferred_name, None);
    assert_eq!(c.pronouns.as_deref(), Some("she/her"));
    assert_eq!(c.phone, None);
    assert_eq!(c.email.as_deref(), Some("noor@example.com"));
    assert_eq!(c.emergency_name, None);
    assert_eq!(c.status, ClientStatus::Prospect);
    assert_eq!(c.record_number, "C-000001");
    assert_eq!(clients::get(&s, c.id).unwrap(), c);
}

#[test]
fn update_changes_the_record_and_its_search_key() {
    let v = new_vault();
    let s = v.owner();
    let c = add(
        &s,
        ClientInput {
            email: Some("sam@example.com".into()),
            ..born(person("Samantha", "Ngata"), "1985-02-14")
        },
    );
    let edited = clients::update(
        &s,
        c.id,
        ClientInput {
            preferred_name: Some("Tāne".into()),
            pronouns: Some("he/him".into()),
            email: Some("".into()),
            status: ClientStatus::Active,
            ..born(person("Samuel", "Ngata"), "1985-02-14")
        },
    )
    .unwrap();
    assert_eq!(edited.id, c.id);
    assert_eq!(edited.record_number, c.record_number);
    assert_eq!(edited.legal_first_name, "Samuel");
    assert_eq!(edited.preferred_name.as_deref(), Some("Tāne"));
    assert_eq!(edited.email, None);
    assert_eq!(edited.status, ClientStatus::Active);
    assert_eq!(clients::get(&s, c.id).unwrap(), edited);

    assert_eq!(ids(&find(&s, "tane")), [c.id]);
    assert_eq!(ids(&find(&s, "samuel")), [c.id]);
    assert!(find(&s, "samantha").items.is_empty());
    assert_eq!(find(&s, "").items[0].display_name, "Tāne Ngata");

    let updated = audit_rows(&s, "client.updated");
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].entity_id, Some(c.id));
    assert_eq!(
        updated[0].detail.as_deref(),
        Some("fields=legalFirstName,preferredName,pronouns,email,status")
    );

    // Saving the same values again writes nothing.
    clients::update(
        &s,
        c.id,
        ClientInput {
            preferred_name: Some(" Tāne ".into()),
            pronouns: Some("he/him".into()),
            status: ClientStatus::Active,
            ..born(person("Samuel", "Ngata"), "1985-02-14")
        },
    )
    .unwrap();
    assert_eq!(audit_rows(&s, "client.updated").len(), 1);

    assert!(matches!(
        clients::update(&s, 9999, person("A", "B")),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        clients::get(&s, 9999),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn front_desk_and_clinicians_can_create_edit_and_search() {
    let v = new_vault();
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);

    let desk = v.sign_in(FRONT_DESK);
    let c = add(&desk, born(person("Kofi", "Mensah"), "1979-08-09"));
    let edited = clients::update(
        &desk,
        c.id,
        ClientInput {
            phone: Some("(0161) 496-0000".into()),
            ..born(person("Kofi", "Mensah"), "1979-08-09")
        },
    )
    .unwrap();
    assert_eq!(edited.phone.as_deref(), Some("(0161) 496-0000"));
    assert_eq!(clients::get(&desk, c.id).unwrap(), edited);
    assert_eq!(ids(&find(&desk, "kofi")), [c.id]);
    desk.lock().unwrap();

    let clinician = v.sign_in(CLINICIAN);
    let other = add(&clinician, person("Ingrid", "Holm"));
    assert_eq!(ids(&find(&clinician, "")), [other.id, c.id]);
}

#[test]
fn audit_rows_hold_ids_and_actions_but_no_names_or_queries() {
    let v = new_vault();
    let s = v.owner();
    let before = audit_rows(&s, "client.").len();
    let c = add(
        &s,
        ClientInput {
            preferred_name: Some("Zed".into()),
            ..born(person("Zoë", "Martinique"), "1990-05-01")
        },
    );
    clients::get(&s, c.id).unwrap();
    find(&s, "zoe mart");
    clients::update(
        &s,
        c.id,
        ClientInput {
            email: Some("zoe@example.org".into()),
            ..born(person("Zoë", "Martinique"), "1990-05-01")
        },
    )
    .unwrap();

    let rows = audit_rows(&s, "client.");
    assert_eq!(rows.len(), before + 4);
    let me = Some(s.actor().staff_id);
    let by_action =
        |action: &str| -> Vec<&AuditEntry> { rows.iter().filter(|r| r.action == action).collect() };
    for action in ["client.created", "client.viewed", "client.updated"] {
        let found = by_action(action);
        assert_eq!(found.len(), 1, "{action}");
        assert_eq!(found[0].actor_id, me);
        assert_eq!(found[0].entity_kind.as_deref(), Some("client"));
        assert_eq!(found[0].entity_id, Some(c.id));
    }
    let searched = by_action("client.searched");
    assert_eq!(searched.len(), 1, "one row per search call");
    assert_eq!(searched[0].actor_id, me);

    let text = serde_json::to_string(&rows).unwrap().to_lowercase();
    for secret in [
        "zoë",
        "zoe",
        "zed",
        "martinique",
        "mart",
        "1990",
        "example.org",
        &c.record_number.to_lowercase(),
    ] {
        assert!(!text.contains(secret), "audit mentions {secret}: {text}");
    }

    // The duplicate warning writes no audit row either.
    let n = audit::list_for(&s, &AuditFilter::default()).unwrap().len();
    let again = clients::create(&s, born(person("Zoe", "Martinique"), "1990-05-01"), false);
    assert!(matches!(again, Ok(Created::PossibleDuplicate { .. })));
    assert_eq!(
        audit::list_for(&s, &AuditFilter::default()).unwrap().len(),
        n
    );
}

#[test]
fn two_thousand_clients_page_and_count_correctly() {
    const FIRSTS: [&str; 10] = [
        "Zoë", "José", "Amara", "Liam", "Noor", "Chen", "Ingrid", "Kofi", "Maëlle", "Tomás",
    ];
    const LASTS: [&str; 20] = [
        "Martin",
        "Martínez",
        "Ávila",
        "Avery",
        "Okafor",
        "Lamartine",
        "Nguyen",
        "Østergaard",
        "Smith",
        "Haddad",
        "Mensah",
        "Holm",
        "Zimmer",
        "Éluard",
        "Brown",
        "Castellanos",
        "Dubois",
        "Ferreira",
        "García",
        "Kowalski",
    ];
    let v = new_vault();
    let s = v.owner();
    let mut made: Vec<Client> = Vec::with_capacity(2000);
    for i in 0..2000usize {
        let input = ClientInput {
            preferred_name: (i % 7 == 0).then(|| format!("Nick{i}")),
            status: ClientStatus::ALL[i % 3],
            ..born(
                person(FIRSTS[i % 10], LASTS[(i / 10) % 20]),
                &format!("19{:02}-{:02}-{:02}", 40 + i % 60, 1 + i % 12, 1 + i % 28),
            )
        };
        made.push(saved(clients::create(&s, input, true).unwrap()));
    }

    // Record numbers: unique and in sequence.
    let mut numbers: Vec<&str> = made.iter().map(|c| c.record_number.as_str()).collect();
    assert_eq!(numbers[0], "C-000001");
    assert_eq!(numbers[1999], "C-002000");
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 2000);

    let expected = |query: &str, status: Option<ClientStatus>| -> Vec<i64> {
        let terms: Vec<String> = circle_core::names::fold(query)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let mut hits: Vec<&Client> = made
            .iter()
            .filter(|c| status.is_none_or(|st| c.status == st))
            .filter(|c| {
                let key = circle_core::names::fold(&format!(
                    "{} {} {}",
                    c.legal_first_name,
                    c.legal_last_name,
                    c.preferred_name.as_deref().unwrap_or("")
                ));
                terms.iter().all(|t| key.contains(t.as_str()))
            })
            .collect();
        hits.sort_by_key(|c| {
            (
                circle_core::names::fold(&c.legal_last_name),
                circle_core::names::fold(&c.legal_first_name),
                c.id,
            )
        });
        hits.into_iter().map(|c| c.id).collect()
    };

    // A narrow search, one page from its middle.
    let want = expected("zoe mart", None);
    assert_eq!(want.len(), 30, "Zoë × Martin, Martínez, Lamartine, 10 each");
    let page = clients::search(&s, "zoe mart", None, 5, 7).unwrap();
    assert_eq!(page.total, 30);
    assert_eq!(ids(&page), want[5..12]);

    // With a status filter and a diacritic in the query.
    let want = expected("MAËLLE ávila", Some(ClientStatus::Active));
    let page = clients::search(&s, "MAËLLE ávila", Some(ClientStatus::Active), 0, 200).unwrap();
    assert_eq!(page.total as usize, want.len());
    assert!(!want.is_empty());
    assert_eq!(ids(&page), want);

    // Preferred names are searched too.
    let page = clients::search(&s, "nick1400", None, 0, 10).unwrap();
    assert_eq!(ids(&page), [made[1400].id]);

    // Everyone, page by page, in order, each exactly once.
    let want = expected("", None);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = clients::search(&s, "", None, offset, 200).unwrap();
        assert_eq!(page.total, 2000);
        if page.items.is_empty() {
            break;
        }
        assert!(page.items.len() <= 200);
        seen.extend(ids(&page));
        offset += 200;
    }
    assert_eq!(seen, want);

    // The last partial page, a page past the end, and the limit cap.
    let tail = clients::search(&s, "", None, 1990, 50).unwrap();
    assert_eq!(ids(&tail), want[1990..]);
    let past = clients::search(&s, "", None, 5000, 50).unwrap();
    assert!(past.items.is_empty());
    assert_eq!(past.total, 2000);
    let capped = clients::search(&s, "", None, 0, 1000).unwrap();
    assert_eq!(capped.items.len(), 200);
}

#[test]
fn a_client_comes_with_the_names_the_screens_show_with_or_without_a_preferred_name() {
    let v = new_vault();
    let s = v.owner();
    let zoe = add(&s, person("Zoë", "Martin"));
    let robert = add(
        &s,
        ClientInput {
            preferred_name: Some("  Bobbie ".into()),
            ..person("Robert", "Smith")
        },
    );

    // Without a preferred name: the legal first name throughout.
    let opened = clients::get(&s, zoe.id).unwrap();
    assert_eq!(
        (
            opened.first_name.as_str(),
            opened.display_name.as_str(),
            opened.legal_name.as_str()
        ),
        ("Zoë", "Zoë Martin", "Zoë Martin")
    );
    // With one: the practice calls them by it; the legal name stays.
    let opened = clients::get(&s, robert.id).unwrap();
    assert_eq!(
        (
            opened.first_name.as_str(),
            opened.display_name.as_str(),
            opened.legal_name.as_str()
        ),
        ("Bobbie", "Bobbie Smith", "Robert Smith")
    );
    assert_eq!(robert.display_name, "Bobbie Smith", "as created");

    // The same words as the client list's rows.
    for summary in find(&s, "").items {
        let client = clients::get(&s, summary.id).unwrap();
        assert_eq!(client.display_name, summary.display_name);
        assert_eq!(client.legal_name, summary.legal_name);
    }

    // An edit that drops the preferred name is reflected in what comes back.
    let edited = clients::update(&s, robert.id, person("Robert", "Smyth")).unwrap();
    assert_eq!(
        (
            edited.first_name.as_str(),
            edited.display_name.as_str(),
            edited.legal_name.as_str()
        ),
        ("Robert", "Robert Smyth", "Robert Smyth")
    );
}

/// Issue: the front desk's search for "lukasz" or "zolc" found nobody, and
/// only "o'brien" found O'Brien-Smythe.
#[test]
fn searching_typed_without_special_letters_apostrophes_or_hyphens_finds_the_client() {
    let v = new_vault();
    let owner = v.owner();
    for (first, last) in [
        ("Łukasz", "Żółć"),
        ("Søren", "Østergaard"),
        ("Işıl", "Yıldız"),
        ("Siobhán", "O'Brien-Smythe"),
    ] {
        let input = ClientInput {
            legal_first_name: first.into(),
            legal_last_name: last.into(),
            preferred_name: None,
            middle_name: None,
            name_order: Default::default(),
            pronouns: None,
            date_of_birth: None,
            phone: None,
            email: None,
            emergency_name: None,
            emergency_phone: None,
            status: ClientStatus::Active,
        };
        clients::create(&owner, input, true).unwrap();
    }
    for (query, last) in [
        ("lukasz", "Żółć"),
        ("zolc", "Żółć"),
        ("soren ostergaard", "Østergaard"),
        ("isil yildiz", "Yıldız"),
        ("obrien", "O'Brien-Smythe"),
        ("o'brien", "O'Brien-Smythe"),
        ("smythe", "O'Brien-Smythe"),
        ("O'Brien-Smythe", "O'Brien-Smythe"),
    ] {
        let page = clients::search(&owner, query, None, 0, 50).unwrap();
        let found: Vec<&str> = page.items.iter().map(|c| c.legal_name.as_str()).collect();
        assert_eq!(found.len(), 1, "{query}: {found:?}");
        assert!(found[0].ends_with(last), "{query}: {found:?}");
    }
}

#[test]
fn enrolling_makes_a_client_active_and_the_last_discharge_discharges_them() {
    use circle_core::groups::{self, DischargeReason, GroupInput, GroupKind, NoteTemplate};
    let v = new_vault();
    let lead = v.add("ana", "Ana Lindqvist", Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let desk = v.sign_in(FRONT_DESK);
    let owner = v.owner();
    let group = |name: &str, capacity: u32| {
        groups::create_group(
            &owner,
            GroupInput {
                name: name.into(),
                kind: GroupKind::Closed,
                modality: "CBT".into(),
                capacity,
                primary_facilitator_id: lead,
                co_facilitator_ids: vec![],
                default_room_id: None,
                note_template: NoteTemplate::Girp,
                substance_use: false,
            },
        )
        .unwrap()
        .id
    };
    let (steady, roots) = (group("Steady Ground", 1), group("New Roots", 5));
    let day = |d: &str| d.parse::<chrono::NaiveDate>().unwrap();
    let status = |id: i64| clients::get(&desk, id).unwrap();
    let zoe = add(&desk, person("Zoë", "Martin")).id;
    let ann = add(&desk, person("Ann", "Lee")).id;
    assert_eq!(status(zoe).status, ClientStatus::Prospect);

    // Enrolled in one group, waiting for another: active.
    let in_steady = groups::enroll(&desk, steady, zoe, false, day("2030-01-07")).unwrap();
    assert_eq!(status(zoe).status, ClientStatus::Active);
    let in_roots = groups::enroll(&desk, roots, zoe, true, day("2030-01-07")).unwrap();
    // Waitlisted only (the group is full) is active too.
    let waiting = groups::enroll(&desk, steady, ann, false, day("2030-01-07")).unwrap();
    assert_eq!(
        waiting.enrollment.status,
        groups::EnrollmentStatus::Waitlisted
    );
    assert_eq!(status(ann).status, ClientStatus::Active);

    // The front desk may still set it by hand; the roster's next change wins.
    let mut input = ClientInput {
        status: ClientStatus::Prospect,
        ..person("Zoë", "Martin")
    };
    assert_eq!(
        clients::update(&desk, zoe, input.clone()).unwrap().status,
        ClientStatus::Prospect
    );

    // Leaving one group while still waiting for another: still active.
    groups::discharge(
        &desk,
        in_steady.enrollment.id,
        day("2030-02-03"),
        DischargeReason::Completed,
        None,
    )
    .unwrap();
    let still = status(zoe);
    assert_eq!(still.status, ClientStatus::Active);
    assert_eq!(still.discharged_on, None);

    // Accepted from the waitlist into the freed seat: active.
    groups::accept_from_waitlist(&desk, waiting.enrollment.id, day("2030-02-04")).unwrap();
    assert_eq!(status(ann).status, ClientStatus::Active);

    // The last enrollment ends: discharged, with that day.
    groups::discharge(
        &desk,
        in_roots.enrollment.id,
        day("2030-02-10"),
        DischargeReason::ChoseToLeave,
        None,
    )
    .unwrap();
    let gone = status(zoe);
    assert_eq!(gone.status, ClientStatus::Discharged);
    assert_eq!(gone.discharged_on.as_deref(), Some("2030-02-10"));

    // A manual change back is kept.
    input.status = ClientStatus::Active;
    let back = clients::update(&desk, zoe, input).unwrap();
    assert_eq!(back.status, ClientStatus::Active);
    assert_eq!(back.discharged_on, None);
    assert_eq!(status(zoe).status, ClientStatus::Active);

    // Every change the roster made is audited as the status alone.
    let mut by_roster: Vec<String> = audit_rows(&owner, "client.updated")
        .into_iter()
        .filter_map(|e| e.detail)
        .filter(|d| d.contains("by=roster"))
        .collect();
    by_roster.sort();
    assert_eq!(
        by_roster,
        [
            "fields=status status=active by=roster",
            "fields=status status=active by=roster",
            "fields=status status=active by=roster",
            "fields=status status=discharged by=roster",
        ]
    );
}

/// Clients enrolled before status followed the roster are brought in line
/// once, when the vault is upgraded.
#[test]
fn clients_enrolled_before_the_upgrade_become_active_at_the_next_sign_in() {
    use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
    let v = new_vault();
    let owner = v.owner();
    let me = owner.actor().staff_id;
    let group = groups::create_group(
        &owner,
        GroupInput {
            name: "Steady Ground".into(),
            kind: GroupKind::Closed,
            modality: "CBT".into(),
            capacity: 5,
            primary_facilitator_id: me,
            co_facilitator_ids: vec![],
            default_room_id: None,
            note_template: NoteTemplate::Girp,
            substance_use: false,
        },
    )
    .unwrap()
    .id;
    let zoe = add(&owner, person("Zoë", "Martin")).id;
    let day = "2030-01-01".parse::<chrono::NaiveDate>().unwrap();
    groups::enroll(&owner, group, zoe, false, day).unwrap();
    owner.lock().unwrap();
    // As an older Circle left it: still a prospect, at the level before.
    let keys = v.unwrap_as(OWNER, OWNER_PASS);
    let conn = circle_core::vault::db::open(&v.location.practice_db_path(), &keys.practice, false)
        .unwrap();
    conn.execute_batch(
        "UPDATE clients SET status = 'prospect';
         ALTER TABLE clients DROP COLUMN middle_name;
         ALTER TABLE clients DROP COLUMN name_order;
         ALTER TABLE practice_settings DROP COLUMN locale;
         ALTER TABLE practice_settings DROP COLUMN address;
         ALTER TABLE practice_settings DROP COLUMN phone;
         ALTER TABLE practice_settings DROP COLUMN logo;
         ALTER TABLE practice_settings DROP COLUMN practice_uid;
         DROP TABLE backup_settings;
         DROP TABLE backup_runs;
         DROP TABLE appointment_attendance;
         DROP INDEX groups_by_format_facilitator;
         ALTER TABLE groups DROP COLUMN format;
         PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(conn);
    let owner = v.owner();
    assert_eq!(
        clients::get(&owner, zoe).unwrap().status,
        ClientStatus::Active
    );
}

/// Issue 12: "Nguyễn Thị Minh" showed as "Minh Nguyễn Thị". With a middle
/// name and the family name first, her everyday name is "Nguyễn Minh" (the
/// name she is called by, after the family name; no middle name) and her
/// legal name "Nguyễn Thị Minh"; she sorts under N and every part of her
/// name finds her.
#[test]
fn a_family_first_name_with_a_middle_name_reads_sorts_and_searches_by_every_part() {
    use circle_core::clients::NameOrder;
    let v = new_vault();
    let s = v.owner();
    let minh = add(
        &s,
        ClientInput {
            middle_name: Some(" Thị ".into()),
            name_order: NameOrder::FamilyFirst,
            ..person("Minh", "Nguyễn")
        },
    );
    assert_eq!(minh.display_name, "Nguyễn Minh");
    assert_eq!(minh.legal_name, "Nguyễn Thị Minh");
    assert_eq!(minh.first_name, "Minh");
    assert_eq!(minh.middle_name.as_deref(), Some("Thị"), "trimmed");
    assert_eq!(minh.name_order, NameOrder::FamilyFirst);
    let ann = add(&s, person("Ann", "Adams"));
    let zoe = add(&s, person("Zoë", "Martin"));
    let oliver = add(&s, person("Oliver", "Novak"));
    let mary = add(
        &s,
        ClientInput {
            middle_name: Some("Jane".into()),
            preferred_name: Some("Molly".into()),
            ..person("Mary", "Quinn")
        },
    );
    assert_eq!(
        mary.display_name, "Molly Quinn",
        "no middle name day to day"
    );
    assert_eq!(mary.legal_name, "Mary Jane Quinn");

    // By family name, whatever order the name is written in: under N,
    // not under M for Minh.
    assert_eq!(
        ids(&find(&s, "")),
        [ann.id, zoe.id, minh.id, oliver.id, mary.id]
    );
    let listed = &find(&s, "nguyen").items[0];
    assert_eq!(listed.display_name, "Nguyễn Minh");
    assert_eq!(listed.legal_name, "Nguyễn Thị Minh");

    // Every part of the name finds her, typed with or without accents.
    for query in [
        "thi",
        "THỊ",
        "thi minh",
        "minh nguyen",
        "nguyen thi minh",
        "Nguyễn",
    ] {
        assert_eq!(ids(&find(&s, query)), [minh.id], "{query}");
    }
    assert_eq!(ids(&find(&s, "jane")), [mary.id]);
    assert_eq!(
        ids(&clients::search(&s, "thi", None, 0, 10).unwrap()),
        [minh.id]
    );

    // Written the other way round, the same parts read given name first.
    let turned = clients::update(
        &s,
        minh.id,
        ClientInput {
            middle_name: Some("Thị".into()),
            name_order: NameOrder::GivenFirst,
            ..person("Minh", "Nguyễn")
        },
    )
    .unwrap();
    assert_eq!(turned.display_name, "Minh Nguyễn");
    assert_eq!(turned.legal_name, "Minh Thị Nguyễn");
    // The audit names the field that changed, never the name.
    let updated = audit_rows(&s, "client.updated");
    assert_eq!(updated[0].detail.as_deref(), Some("fields=nameOrder"));

    // Without the middle name, "thi" no longer finds her.
    let plain = clients::update(&s, minh.id, person("Minh", "Nguyễn")).unwrap();
    assert_eq!(plain.middle_name, None);
    assert_eq!(plain.legal_name, "Minh Nguyễn");
    assert!(find(&s, "thi").items.is_empty());
    assert_eq!(
        audit_rows(&s, "client.updated")[0].detail.as_deref(),
        Some("fields=middleName")
    );
}

#[test]
fn a_middle_name_is_checked_like_the_other_names_and_a_refusal_saves_nothing() {
    let v = new_vault();
    let s = v.owner();
    for (middle, reason) in [
        (
            "x".repeat(101),
            "Keep the middle name to 100 characters or fewer.",
        ),
        (
            "Thị\nAnh".to_owned(),
            "Remove line breaks and tabs from the middle name.",
        ),
    ] {
        let (field, said) = invalid_field(clients::create(
            &s,
            ClientInput {
                middle_name: Some(middle),
                ..person("Minh", "Nguyễn")
            },
            false,
        ));
        assert_eq!(field, "middleName");
        assert_eq!(said, reason);
    }
    assert_eq!(find(&s, "").total, 0);
    // An empty middle name is no middle name.
    let minh = add(
        &s,
        ClientInput {
            middle_name: Some("   ".into()),
            ..person("Minh", "Nguyễn")
        },
    );
    assert_eq!(minh.middle_name, None);
    assert_eq!(minh.legal_name, "Minh Nguyễn");
}

/// The duplicate warning still works with middle names and name orders, and
/// also catches a family-first name typed into the fields the other way round.
#[test]
fn duplicates_are_found_whatever_the_middle_name_or_the_order() {
    use circle_core::clients::NameOrder;
    let v = new_vault();
    let s = v.owner();
    let minh = add(
        &s,
        born(
            ClientInput {
                middle_name: Some("Thị".into()),
                name_order: NameOrder::FamilyFirst,
                ..person("Minh", "Nguyễn")
            },
            "1980-05-06",
        ),
    );
    for (first, middle, last) in [
        ("Minh", None, "Nguyen"),
        ("MINH", Some("Thi"), "nguyễn"),
        ("Nguyen", None, "Minh"),
    ] {
        let again = clients::create(
            &s,
            born(
                ClientInput {
                    middle_name: middle.map(Into::into),
                    ..person(first, last)
                },
                "1980-05-06",
            ),
            false,
        )
        .unwrap();
        match again {
            Created::PossibleDuplicate { existing } => {
                assert_eq!(existing.len(), 1, "{first} {last}");
                assert_eq!(existing[0].id, minh.id);
                assert_eq!(existing[0].display_name, "Nguyễn Minh");
            }
            Created::Client { .. } => panic!("{first} {last} was saved without a warning"),
        }
    }
    // A different given name with the same family name is someone else.
    assert!(matches!(
        clients::create(&s, born(person("Lan", "Nguyễn"), "1980-05-06"), false),
        Ok(Created::Client { .. })
    ));
}
