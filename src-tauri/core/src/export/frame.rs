//! What every PDF shares: the practice's letterhead, the title block and
//! the footer's "generated at … by …", as the data `letterhead.typ` reads.

use serde_json::{json, Value};

use super::dates::Dates;
use crate::error::Result;
use crate::signed_in::SignedIn;

/// The full notice of 42 CFR §2.32(a)(1) (as revised in 2024), printed at
/// the top of a record released from a substance-use group; every page
/// also carries the short statement §2.32(a)(2) allows.
pub(crate) const PART2_NOTICE: &str = "This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies: (i) Further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. (ii) You are a covered entity or business associate and have received the record for treatment, payment, or health care operations, or (iii) You have received the record from a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. A general authorization for the release of medical or other information is NOT sufficient to meet the required elements of written consent to further use or redisclose the record (see 42 CFR 2.31).";

/// The title block of one document.
pub(crate) struct Head {
    pub title: String,
    /// Who or what it concerns: "Zoë Ångström · C-000001".
    pub concerns: String,
    pub subtitle: Option<String>,
    /// A 42 CFR Part 2 record: the notice on every page.
    pub part2: bool,
}

/// What the template reads, and the practice's logo beside it.
pub(crate) struct Document {
    pub data: Value,
    pub logo: Option<Vec<u8>>,
}

/// The kind's `body` (an object) with the letterhead, title block, footer
/// and paper size added.
pub(crate) fn document(
    signed_in: &SignedIn,
    dates: &Dates,
    head: Head,
    body: Value,
) -> Result<Document> {
    let settings = crate::practice::read_settings(signed_in.conn())?;
    let logo = crate::practice::logo(signed_in.conn())?;
    let mut data = body;
    let object = data
        .as_object_mut()
        .ok_or_else(|| crate::error::Error::Storage {
            detail: "export data is not an object".into(),
        })?;
    object.insert(
        "letterhead".into(),
        json!({
            "practice": settings.name,
            "address": settings.address.lines().collect::<Vec<_>>(),
            "phone": settings.phone,
            "logo": logo.as_deref().map(super::engine::logo_path),
        }),
    );
    object.insert(
        "document".into(),
        json!({
            "title": head.title,
            "concerns": head.concerns,
            "subtitle": head.subtitle,
            "generatedAt": dates.instant(crate::clock::now()),
            "generatedBy": signed_in.actor().full_name,
            "part2": head.part2,
            "part2Notice": PART2_NOTICE,
        }),
    );
    object.insert("paper".into(), json!(dates.paper()));
    Ok(Document { data, logo })
}
