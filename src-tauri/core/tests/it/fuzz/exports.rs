//! The exports' options (`src-tauri/src/commands/export.rs`): each kind's
//! `prepare` (what the command runs before the save dialog opens) over any
//! input, and `export::verify` over any bytes a chosen file could hold.
//!
//! A few prepared exports per kind are also typeset and released (the
//! step after the dialog), so what a fuzzed recipient or purpose puts in
//! a PDF is typeset too: a handful, since typesetting in a debug build
//! takes seconds.

use std::cell::Cell;

use circle_core::export::{
    self, attendance_report, day_sheet, disclosure_report, member_record, recovery_sheet,
    session_packet, Prepared,
};
use circle_core::Error;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::{scratch_dir, stress, Fx, Who};

/// How many prepared exports of each kind go on to be typeset.
fn typeset_per_kind() -> u32 {
    if stress() {
        40
    } else {
        2
    }
}

/// Typesets and releases `prepared` while this kind has typesets left,
/// into the test's folder.
fn maybe_release(
    fx: &Fx,
    who: Who,
    left: &Cell<u32>,
    prepared: Result<Prepared, Error>,
) -> Result<(), Error> {
    let prepared = prepared?;
    if left.get() == 0 {
        return Ok(());
    }
    left.set(left.get() - 1);
    let dir = scratch_dir();
    let path = dir.path().join(&prepared.suggested_file_name);
    let released = export::export_to(&fx.signed(who), &prepared, &path)?;
    assert!(released.pages >= 1);
    assert_eq!(
        std::fs::metadata(&path).expect("the PDF was written").len(),
        released.bytes
    );
    Ok(())
}

#[test]
fn exports_take_any_options() {
    let fx = Fx::new("exports");
    let ids = &fx.ids;
    let every = ids.every();
    let client_ids = || id(ids.clients(), every.clone());
    let n = typeset_per_kind;

    let left = Cell::new(n());
    fx.command("export_member_record").run(
        (who(), client_ids(), date(), date(), opt(name()), text()),
        |fx, (who, client_id, from, to, recipient, purpose)| {
            let request = member_record::RecordRequest {
                client_id,
                from,
                to,
                recipient,
                purpose,
            };
            let prepared = member_record::prepare(&fx.signed(who), &request);
            maybe_release(fx, who, &left, prepared)
        },
    );
    let left = Cell::new(n());
    fx.command("export_session_packet").run(
        (who(), id(ids.sessions(), every.clone())),
        |fx, (who, session)| {
            let prepared = session_packet::prepare(&fx.signed(who), session);
            maybe_release(fx, who, &left, prepared)
        },
    );
    let left = Cell::new(n());
    fx.command("export_attendance").run(
        (who(), id(ids.groups(), every.clone()), date(), date()),
        |fx, (who, group, from, to)| {
            let prepared = attendance_report::prepare(&fx.signed(who), group, &from, &to);
            maybe_release(fx, who, &left, prepared)
        },
    );
    let left = Cell::new(n());
    fx.command("export_day_sheet")
        .run((who(), date()), |fx, (who, date)| {
            let prepared = day_sheet::prepare(&fx.signed(who), &date);
            maybe_release(fx, who, &left, prepared)
        });
    let left = Cell::new(n());
    fx.command("export_recovery_sheet").run(
        (
            who(),
            prop_oneof![
                3 => text(),
                1 => select(&["ABCD-EFGH-JKLM-NPQR-STUV-WXYZ", "0000-0000-0000-0000-0000-0000"][..]).prop_map(str::to_owned)
            ],
        ),
        |fx, (who, code)| {
            let prepared = recovery_sheet::prepare(&fx.signed(who), &code);
            maybe_release(fx, who, &left, prepared)
        },
    );
    let left = Cell::new(n());
    fx.command("export_disclosures")
        .run((who(), client_ids()), |fx, (who, client)| {
            let prepared = disclosure_report::prepare(&fx.signed(who), client);
            maybe_release(fx, who, &left, prepared)
        });
    fx.command("export_verify")
        .run((who(), bytes()), |fx, (who, bytes)| {
            export::verify(&fx.signed(who), &bytes).map(drop)
        });
}
