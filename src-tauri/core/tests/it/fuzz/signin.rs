//! The sign-in commands (`src-tauri/src/commands/signin.rs`): first-run
//! setup, unlock and recovery, with any text typed.
//!
//! Every unlock or recovery attempt spends an Argon2id derivation, known
//! username or not (so timing tells nothing), hence `slow_cases`. A wrong
//! passphrase is counted in keyring.json (the throttle) and written to the
//! audit log at the next sign-in, not now: the keyring is the one thing a
//! refused attempt may change. A refused setup leaves the folder as it was.

use circle_core::signin::{self, SetupRequest};
use circle_core::vault::location::VaultLocation;
use circle_core::vault::secret::Passphrase;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::{scratch_dir, slow_cases, Fx};
use crate::common::{OWNER, OWNER_PASS};

fn username() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(&[OWNER, "ana", "ANA", " ana ", "ana\0", "ben", "nobody", "", "\u{0}recovery"][..]).prop_map(str::to_owned),
        1 => name(),
    ]
    .boxed()
}

#[test]
fn setup_unlock_and_recover_take_any_input() {
    let fx = Fx::new("sign-in");
    let passphrase_kinds = &[
        "wrongPassphrase",
        "rateLimited",
        "invalid",
        "notFound",
        "forbidden",
    ];

    fx.command("setup_practice")
        .cases(slow_cases() * 2)
        .accept(&["invalid", "conflict"])
        .run(
            (
                name(),
                zone(),
                name(),
                username(),
                prop_oneof![3 => passphrase(), 1 => Just(OWNER_PASS.to_owned())],
                any::<bool>(),
            ),
            |fx, (practice_name, timezone, owner_full_name, owner_username, passphrase, here)| {
                let fresh = scratch_dir();
                let dir = if here {
                    // Where a vault already is: refused, and left alone.
                    fx.v.dir.path().to_path_buf()
                } else {
                    fresh.path().join("vault")
                };
                let result = signin::setup(
                    &VaultLocation::at(&dir),
                    SetupRequest {
                        practice_name,
                        timezone,
                        owner_full_name,
                        owner_username,
                        passphrase: Passphrase::new(passphrase),
                    },
                );
                if result.is_err() && !here {
                    let left: Vec<_> = std::fs::read_dir(&dir)
                        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
                        .unwrap_or_default();
                    assert!(left.is_empty(), "a refused setup left {left:?}");
                }
                result.map(drop)
            },
        );
    fx.command("unlock")
        .cases(slow_cases())
        .may_leave(&["keyring.json"])
        .accept(passphrase_kinds)
        .run(
            (
                username(),
                prop_oneof![1 => passphrase(), 1 => Just(OWNER_PASS.to_owned())],
            ),
            |fx, (username, passphrase)| {
                signin::unlock(&fx.v.location, &username, &Passphrase::new(passphrase)).map(drop)
            },
        );
    fx.command("recover")
        .cases(slow_cases())
        .may_leave(&["keyring.json"])
        .accept(passphrase_kinds)
        .run(
            (
                username(),
                prop_oneof![3 => text(), 1 => Just(fx.v.recovery_code.clone())],
                passphrase(),
            ),
            |fx, (username, code, new)| {
                signin::recover(
                    &fx.v.location,
                    &username,
                    &Passphrase::new(code),
                    &Passphrase::new(new),
                )
                .map(drop)
            },
        );
}
