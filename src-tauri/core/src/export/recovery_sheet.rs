//! The recovery sheet: the practice's recovery code on paper, what it is
//! for and how to keep it. The owner prints it at setup and whenever a new
//! code is made; the code comes from the screen that has just shown it,
//! because Circle keeps no copy of it (and never saves this file itself:
//! it goes only where the owner chooses).

use serde_json::json;
use zeroize::Zeroizing;

use super::dates::Dates;
use super::frame::{self, Head};
use super::{ExportKind, Prepared};
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::signed_in::SignedIn;

pub fn prepare(signed_in: &SignedIn, code: &str) -> Result<Prepared> {
    if signed_in.actor().role != Role::Owner {
        return Err(Error::Forbidden);
    }
    let digits: Zeroizing<String> = Zeroizing::new(
        code.chars()
            .filter(|c| c.is_ascii_hexdigit())
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    );
    if digits.len() != 32
        || code
            .chars()
            .any(|c| !c.is_ascii_hexdigit() && c != '-' && c != ' ')
    {
        return Err(Error::invalid(
            "code",
            "A recovery code is eight groups of four letters and digits.",
        ));
    }
    let grouped = Zeroizing::new(
        (0..8)
            .map(|i| &digits[i * 4..i * 4 + 4])
            .collect::<Vec<_>>()
            .join("-"),
    );
    let dates = Dates::of(signed_in.conn())?;
    let settings = crate::practice::read_settings(signed_in.conn())?;
    let body = json!({
        "code": grouped.as_str(),
        "purpose": [
            format!("This code opens {}'s Circle vault if the owner's passphrase is forgotten. It unlocks every record in it, so it is as sensitive as the records themselves.", settings.name),
            "Whoever holds it can choose a new owner passphrase. It is shown only once; Circle keeps no copy.".to_owned(),
            "If it is lost, or someone who should not have seen it did, make a new one in Settings (the old one stops working) and print a new sheet.".to_owned(),
        ],
        "keeping": [
            "Keep this sheet offline, in a locked place away from the computer: a safe, a locked drawer at another address, or with the practice's solicitor or accountant.",
            "Never photograph it, email it or store it on the computer or in a cloud folder.",
            "Note below who keeps it and where, so the practice can find it on the day it is needed.",
        ],
    });
    let document = frame::document(
        signed_in,
        &dates,
        Head {
            title: "Recovery sheet".to_owned(),
            concerns: settings.name.clone(),
            subtitle: Some(format!(
                "Made {}",
                dates.date(crate::clock::today_in(dates.zone))
            )),
            part2: false,
        },
        body,
    )?;
    Ok(Prepared {
        kind: ExportKind::RecoverySheet,
        suggested_file_name: format!("recovery-sheet-{}.pdf", crate::clock::today_in(dates.zone)),
        template: "/recovery-sheet.typ",
        data: document.data,
        logo: document.logo,
        subject: None,
        releases: Vec::new(),
    })
}
