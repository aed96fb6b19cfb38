//! A client's accounting of disclosures as a PDF: every release of their
//! record, from the disclosure log ([`crate::disclosures`]).

use serde_json::{json, Value};

use super::dates::Dates;
use super::frame::{self, Head};
use super::{ExportKind, Prepared};
use crate::error::Result;
use crate::signed_in::SignedIn;

pub fn prepare(signed_in: &SignedIn, client_id: i64) -> Result<Prepared> {
    // Refused (not this person's to see, no such client) before either
    // audited read below: a refusal leaves no trace in the audit log.
    crate::notes::access::require_client(signed_in, client_id)?;
    crate::clients::by_id(signed_in.conn(), client_id)?;
    let entries = crate::disclosures::disclosures_of_client(signed_in, client_id)?;
    let client = crate::clients::get(signed_in, client_id)?;
    let dates = Dates::of(signed_in.conn())?;
    let covered = |from: &str, to: &str| -> String {
        match (crate::clock::read_date(from), crate::clock::read_date(to)) {
            (Ok(f), Ok(t)) if f == t => dates.date(f),
            (Ok(f), Ok(t)) => dates.range(f, t),
            _ => String::new(),
        }
    };
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            Ok(json!({
                "when": dates.instant_text(&e.released_at)?,
                "recipient": e.recipient,
                "purpose": e.purpose,
                "covered": format!(
                    "{}, {}",
                    super::ExportKind::from_stored(&e.kind).map(|k| k.label()).unwrap_or("Record"),
                    covered(&e.covered_from, &e.covered_to)
                ),
                "by": e.released_by.full_name,
            }))
        })
        .collect::<Result<_>>()?;
    let document = frame::document(
        signed_in,
        &dates,
        Head {
            title: "Accounting of disclosures".to_owned(),
            concerns: format!("{} · {}", client.legal_name, client.record_number),
            subtitle: None,
            part2: false,
        },
        json!({ "entries": rows }),
    )?;
    Ok(Prepared {
        kind: ExportKind::Disclosures,
        suggested_file_name: format!(
            "disclosures-{}-{}.pdf",
            client.record_number,
            crate::clock::today_in(dates.zone)
        ),
        template: "/disclosures.typ",
        data: document.data,
        logo: document.logo,
        subject: Some(("client", client_id)),
        releases: Vec::new(),
    })
}
