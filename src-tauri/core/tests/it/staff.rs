//! Staff as the screens list them: each member says whether their role is
//! clinical, and the role facts say it once per role.

use crate::common::*;
use circle_core::accounts;
use circle_core::roles::{role_facts, Role};
use circle_core::staff;

#[test]
fn each_role_says_whether_it_is_clinical_and_may_supervise() {
    let facts = role_facts();
    assert_eq!(
        facts
            .iter()
            .map(|f| (f.role, f.label.as_str(), f.clinical, f.may_supervise))
            .collect::<Vec<_>>(),
        [
            (Role::Owner, "Owner", true, true),
            (Role::Clinician, "Clinician", true, false),
            (Role::Supervisor, "Supervisor", true, true),
            (Role::Manager, "Practice manager", false, false),
            (Role::FrontDesk, "Front desk", false, false),
        ]
    );
}

#[test]
fn every_staff_member_comes_with_their_roles_clinical_flag() {
    let v = new_vault();
    let people = [
        ("cleo", "Cleo Nakamura", Role::Clinician),
        ("sam", "Sam Okafor", Role::Supervisor),
        ("mira", "Mira Halvorsen", Role::Manager),
        (FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk),
    ];
    for (username, name, role) in people {
        v.add(username, name, role);
    }
    let owner = v.owner();
    let listed = accounts::list(&owner).unwrap();
    assert_eq!(listed.len(), 5);
    for member in &listed {
        assert_eq!(member.clinical, member.role.is_clinical(), "{member:?}");
        let facts = role_facts()
            .into_iter()
            .find(|f| f.role == member.role)
            .unwrap();
        assert_eq!(member.clinical, facts.clinical, "{member:?}");
    }
    let clinical_names = |list: &[staff::StaffMember]| {
        let mut names: Vec<String> = list
            .iter()
            .filter(|m| m.clinical)
            .map(|m| m.full_name.clone())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        clinical_names(&listed),
        ["Cleo Nakamura", OWNER_NAME, "Sam Okafor"]
    );
    // The pickers' directory says the same.
    assert_eq!(
        clinical_names(&staff::directory(&owner).unwrap()),
        ["Cleo Nakamura", OWNER_NAME, "Sam Okafor"]
    );

    // A new role brings its flag with it.
    let cleo = listed.iter().find(|m| m.username == "cleo").unwrap();
    let moved = accounts::change_role(&owner, cleo.id, Role::FrontDesk).unwrap();
    assert!(!moved.clinical);
    let mira = listed.iter().find(|m| m.username == "mira").unwrap();
    let moved = accounts::change_role(&owner, mira.id, Role::Clinician).unwrap();
    assert!(moved.clinical);
}
