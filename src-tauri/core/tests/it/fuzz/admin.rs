//! Staff accounts, clinical access, the audit log, practice settings and
//! passphrases: the commands in
//! `src-tauri/src/commands/{staff,admin,signin}.rs` that a signed-in
//! person calls, and `practice_set_letterhead`/`practice_choose_logo` from
//! `export.rs`.
//!
//! Not fuzzed here: key rotation (`rotate_keys`, and `staff_deactivate`
//! with `rotate_keys: true`), which take no input beyond that flag and
//! re-encrypt both databases under new keys; the crash suite drives them.

use circle_core::accounts::{self, NewStaff};
use circle_core::audit::{self, AuditFilter};
use circle_core::clinical_access;
use circle_core::integrity;
use circle_core::limits;
use circle_core::passphrase_policy;
use circle_core::practice::{self, LetterheadInput};
use circle_core::retention;
use circle_core::roles::Role;
use circle_core::staff;
use circle_core::vault::secret::Passphrase;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::{slow_cases, Fx, Who};

fn role() -> BoxedStrategy<Role> {
    select(Role::ALL.to_vec()).boxed()
}

fn username() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(&["newbie", "dana", "ana", "Ana", " ana ", "ana\0", "a", "x.y-z_1", "ünï", "root", "frontdesk"][..]).prop_map(str::to_owned),
        2 => "[a-z][a-z0-9._-]{1,20}".prop_map(|s| s),
        2 => text(),
    ]
    .boxed()
}

const LOCALES: &[&str] = &[
    "en-GB",
    "en-US",
    "de-DE",
    "fr-FR",
    "ar-EG",
    "he-IL",
    "zh-CN",
    "",
    "en",
    "EN-gb",
    "en_GB",
    "xx-XX",
    "en-GB\0",
    "i-klingon",
    "en-GB-u-ca-islamic",
];

#[test]
fn staff_settings_audit_and_passphrases_take_any_input() {
    let fx = Fx::new("staff and settings");
    let ids = &fx.ids;
    let every = ids.every();
    let staff_ids = || id(ids.staff(), every.clone());

    fx.command("staff_list")
        .run(who(), |fx, who| accounts::list(&fx.signed(who)).map(drop));
    fx.command("practice_settings").run(who(), |fx, who| {
        practice::settings(&fx.signed(who)).map(drop)
    });
    fx.command("clinical_access_waiting").run(who(), |fx, who| {
        clinical_access::waiting(&fx.signed(who)).map(drop)
    });
    fx.command("verify_vault").cases(16).run(who(), |fx, who| {
        integrity::verify(&fx.signed(who)).map(drop)
    });
    fx.command("audit_list").run(
        (
            who(),
            opt(staff_ids()),
            opt(prop_oneof![
                select(&["staff.", "session.unlock", "note.", "%", "_", "'"][..])
                    .prop_map(str::to_owned),
                text()
            ]),
            opt(i64_edge()),
            opt(u32_edge()),
        ),
        |fx, (who, actor_id, action_prefix, before_id, limit)| {
            audit::list_for(
                &fx.signed(who),
                &AuditFilter {
                    actor_id,
                    action_prefix,
                    before_id,
                    limit,
                },
            )
            .map(drop)
        },
    );
    fx.command("passphrase_strength").run(
        (
            passphrase(),
            prop_oneof![4 => vec(name(), 0..4), 1 => vec(name(), 19..23)],
        ),
        |_, (passphrase, context)| {
            // What the command does, without a vault.
            limits::at_most(
                "context",
                &context,
                limits::PASSPHRASE_CONTEXT_WORDS,
                "words",
            )?;
            let words: Vec<&str> = context.iter().map(String::as_str).collect();
            let strength = passphrase_policy::strength(&Passphrase::new(passphrase), &words);
            assert!(strength.score <= 4);
            assert_eq!(strength.acceptable, strength.advice.is_none());
            Ok(())
        },
    );
    fx.command("set_idle_lock_minutes")
        .run((who(), u32_edge()), |fx, (who, minutes)| {
            practice::set_idle_lock_minutes(&fx.signed(who), minutes).map(drop)
        });
    fx.command("retention_settings").run(who(), |fx, who| {
        retention::settings(&fx.signed(who)).map(drop)
    });
    fx.command("retention_set_settings").run(
        (who(), u32_edge(), u32_edge()),
        |fx, (who, years_after_contact, years_after_majority)| {
            retention::set_settings(
                &fx.signed(who),
                retention::RetentionSettings {
                    years_after_contact,
                    years_after_majority,
                },
            )
            .map(drop)
        },
    );
    fx.command("retention_due")
        .run(who(), |fx, who| retention::due(&fx.signed(who)).map(drop));
    // Nobody in the fuzz practice is due (all seen today), so every case is
    // refused: by role, by the typed count, or as not due; nothing purged.
    fx.command("retention_purge").run(
        (who(), vec(i64_edge(), 0..4), u32_edge()),
        |fx, (who, clients, typed)| retention::purge(&fx.signed(who), &clients, typed).map(drop),
    );
    fx.command("set_notes_scope_limited")
        .run((who(), any::<bool>()), |fx, (who, limited)| {
            practice::set_notes_scope_limited(&fx.signed(who), limited).map(drop)
        });
    fx.command("set_practice_timezone")
        .run((who(), zone()), |fx, (who, zone)| {
            practice::set_timezone(&fx.signed(who), &zone).map(drop)
        });
    fx.command("set_practice_locale").run(
        (
            who(),
            prop_oneof![3 => select(LOCALES).prop_map(str::to_owned), 1 => text()],
        ),
        |fx, (who, locale)| practice::set_locale(&fx.signed(who), &locale).map(drop),
    );
    fx.command("practice_set_letterhead").run(
        (who(), text(), text()),
        |fx, (who, address, phone)| {
            practice::set_letterhead(&fx.signed(who), LetterheadInput { address, phone }).map(drop)
        },
    );
    fx.command("practice_choose_logo")
        .run((who(), bytes()), |fx, (who, bytes)| {
            practice::set_logo(&fx.signed(who), &bytes).map(drop)
        });
    fx.command("practice_clear_logo").run(who(), |fx, who| {
        practice::clear_logo(&fx.signed(who)).map(drop)
    });
    fx.command("staff_set_supervisor").run(
        (who(), staff_ids(), opt(staff_ids())),
        |fx, (who, staff_id, supervisor)| {
            staff::set_supervisor(&fx.signed(who), staff_id, supervisor).map(drop)
        },
    );
    fx.command("clinical_access_approve")
        .run((who(), staff_ids()), |fx, (who, s)| {
            clinical_access::approve(&fx.signed(who), s)
        });
    fx.command("staff_add").run(
        (who(), username(), name(), role(), passphrase()),
        |fx, (who, username, full_name, role, passphrase)| {
            accounts::add(
                &fx.signed(who),
                NewStaff {
                    username,
                    full_name,
                    role,
                    initial_passphrase: Passphrase::new(passphrase),
                },
            )
            .map(drop)
        },
    );
    fx.command("staff_reset_passphrase").run(
        (who(), staff_ids(), passphrase()),
        |fx, (who, staff_id, passphrase)| {
            accounts::reset_passphrase(&fx.signed(who), staff_id, &Passphrase::new(passphrase))
        },
    );
    // A wrong current passphrase counts against the login as at sign-in
    // (keyring.json's failure counters): the one trace a refusal leaves.
    fx.command("change_own_passphrase")
        .cases(slow_cases())
        .may_leave(&["keyring.json"])
        .accept(&["invalid", "forbidden", "rateLimited", "wrongPassphrase"])
        .run(
            (who(), passphrase(), passphrase()),
            |fx, (who, current, new)| {
                accounts::change_own_passphrase(
                    &mut fx.signed_mut(who),
                    &Passphrase::new(current),
                    &Passphrase::new(new),
                )
            },
        );
    fx.command("replace_recovery_code").cases(8).run(
        select(&[Who::Owner, Who::Manager, Who::Ana][..]),
        |fx, who| {
            let s = fx.signed(who);
            // As the command does: the service leaves this check to it.
            s.require_own_passphrase()?;
            accounts::replace_recovery_code(&s).map(drop)
        },
    );
    // Last: these take people's roles and logins away.
    fx.command("staff_change_role").run(
        (who(), staff_ids(), role()),
        |fx, (who, staff_id, role)| {
            accounts::change_role(&fx.signed(who), staff_id, role).map(drop)
        },
    );
    fx.command("staff_deactivate")
        .run((who(), staff_ids()), |fx, (who, staff_id)| {
            accounts::deactivate(&mut fx.signed_mut(who), staff_id, false, &mut |_| {}).map(drop)
        });
}
