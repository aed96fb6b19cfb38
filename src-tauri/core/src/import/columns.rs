//! Which column holds what: guessed from the headers, adjustable per column.

use crate::names::fold;

/// A client form field a column can fill.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum ImportField {
    LegalFirstName,
    MiddleName,
    LegalLastName,
    PreferredName,
    Pronouns,
    DateOfBirth,
    Phone,
    Email,
    EmergencyName,
    EmergencyPhone,
    Status,
}

impl ImportField {
    pub const ALL: [ImportField; 11] = [
        ImportField::LegalFirstName,
        ImportField::MiddleName,
        ImportField::LegalLastName,
        ImportField::PreferredName,
        ImportField::Pronouns,
        ImportField::DateOfBirth,
        ImportField::Phone,
        ImportField::Email,
        ImportField::EmergencyName,
        ImportField::EmergencyPhone,
        ImportField::Status,
    ];

    /// The client form's name of the field (the one its errors carry).
    pub fn form_field(self) -> &'static str {
        match self {
            ImportField::LegalFirstName => "legalFirstName",
            ImportField::MiddleName => "middleName",
            ImportField::LegalLastName => "legalLastName",
            ImportField::PreferredName => "preferredName",
            ImportField::Pronouns => "pronouns",
            ImportField::DateOfBirth => "dateOfBirth",
            ImportField::Phone => "phone",
            ImportField::Email => "email",
            ImportField::EmergencyName => "emergencyName",
            ImportField::EmergencyPhone => "emergencyPhone",
            ImportField::Status => "status",
        }
    }

    /// The short name the command line's `--map` uses.
    pub fn cli_name(self) -> &'static str {
        match self {
            ImportField::LegalFirstName => "first",
            ImportField::MiddleName => "middle",
            ImportField::LegalLastName => "last",
            ImportField::PreferredName => "preferred",
            ImportField::Pronouns => "pronouns",
            ImportField::DateOfBirth => "dob",
            ImportField::Phone => "phone",
            ImportField::Email => "email",
            ImportField::EmergencyName => "emergency-name",
            ImportField::EmergencyPhone => "emergency-phone",
            ImportField::Status => "status",
        }
    }

    pub fn from_cli_name(name: &str) -> Option<ImportField> {
        ImportField::ALL.into_iter().find(|f| f.cli_name() == name)
    }
}

/// Why a recognised column is left out, said beside it in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LeftOut {
    /// Clinical text never comes in through a spreadsheet.
    Notes,
    /// Circle's client record holds no postal address.
    Address,
    /// Circle gives its own record numbers.
    RecordNumber,
    /// A header Circle does not know.
    Unknown,
}

/// A header folded for comparison: "Date of Birth", "date_of_birth" and
/// "DOB " all become words of lower-case ASCII letters and digits.
fn words(header: &str) -> String {
    fold(header)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The guess for one header: a field, or why it is left out.
pub fn guess(header: &str) -> Result<ImportField, LeftOut> {
    use ImportField::*;
    let w = words(header);
    let has = |part: &str| w.split(' ').any(|word| word == part);
    let emergency = has("emergency") || w.contains("contact name") || w.contains("contact phone");
    if has("note") || has("notes") || has("comments") || has("comment") || has("diagnosis") {
        return Err(LeftOut::Notes);
    }
    if emergency {
        return Ok(
            if has("phone") || has("mobile") || has("telephone") || has("number") {
                EmergencyPhone
            } else {
                EmergencyName
            },
        );
    }
    let field = match w.as_str() {
        "first" | "first name" | "firstname" | "given name" | "given names" | "forename"
        | "legal first name" | "client first name" | "patient first name" => LegalFirstName,
        "last" | "last name" | "lastname" | "surname" | "family name" | "legal last name"
        | "client last name" | "patient last name" => LegalLastName,
        "middle" | "middle name" | "middle names" | "middle initial" => MiddleName,
        "preferred"
        | "preferred name"
        | "nickname"
        | "nick name"
        | "known as"
        | "goes by"
        | "preferred first name"
        | "chosen name" => PreferredName,
        "pronouns" | "pronoun" | "preferred pronouns" => Pronouns,
        "dob" | "date of birth" | "birth date" | "birthdate" | "birthday" | "d o b" => DateOfBirth,
        "phone" | "mobile" | "mobile phone" | "cell" | "cell phone" | "telephone"
        | "phone number" | "home phone" | "primary phone" | "mobile number" => Phone,
        "email" | "e mail" | "email address" | "primary email" => Email,
        "status" | "client status" | "patient status" | "active" => Status,
        _ => {
            if has("address")
                || has("street")
                || has("city")
                || has("zip")
                || has("postcode")
                || has("postal")
                || has("state")
                || has("country")
                || has("suburb")
            {
                return Err(LeftOut::Address);
            }
            if has("id")
                || w.contains("record number")
                || w.contains("chart number")
                || w.contains("mrn")
                || w.contains("client number")
                || w.contains("patient number")
            {
                return Err(LeftOut::RecordNumber);
            }
            return Err(LeftOut::Unknown);
        }
    };
    Ok(field)
}

/// The exports Circle recognises by their header sets, to say so in the
/// preview. The headers are those each system's client-list export is
/// documented to write; the guess above maps them whether or not one is
/// recognised.
const LAYOUTS: &[(&str, &[&str])] = &[
    (
        "SimplePractice client export",
        &[
            "first name",
            "last name",
            "preferred name",
            "date of birth",
            "email",
            "phone",
        ],
    ),
    (
        "TherapyNotes patient export",
        &[
            "patient first name",
            "patient last name",
            "date of birth",
            "mobile phone",
        ],
    ),
    (
        "Jane client export",
        &[
            "first name",
            "last name",
            "preferred name",
            "birth date",
            "email",
            "mobile phone",
        ],
    ),
];

/// The layout whose every header the file has, if any.
pub fn recognised_layout(headers: &[String]) -> Option<&'static str> {
    let folded: Vec<String> = headers.iter().map(|h| words(h)).collect();
    LAYOUTS
        .iter()
        .find(|(_, needed)| needed.iter().all(|n| folded.iter().any(|h| h == n)))
        .map(|(name, _)| *name)
}

/// One field per column at most: a later column guessed as a field already
/// taken is left out (the person can change that in the preview).
pub fn guess_all(headers: &[String]) -> Vec<(Option<ImportField>, Option<LeftOut>)> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| match guess(h) {
            Ok(field) if !taken.contains(&field) => {
                taken.push(field);
                (Some(field), None)
            }
            Ok(_) => (None, Some(LeftOut::Unknown)),
            Err(left_out) => (None, Some(left_out)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ImportField::*;

    #[test]
    fn common_headers_are_guessed() {
        for (header, field) in [
            ("First Name", LegalFirstName),
            ("given_name", LegalFirstName),
            ("Surname", LegalLastName),
            ("Family name", LegalLastName),
            ("Nickname", PreferredName),
            ("DOB", DateOfBirth),
            ("Date of Birth", DateOfBirth),
            ("Mobile", Phone),
            ("E-mail", Email),
            ("Emergency Contact Name", EmergencyName),
            ("Emergency contact phone", EmergencyPhone),
            ("Pronouns", Pronouns),
        ] {
            assert_eq!(guess(header), Ok(field), "{header}");
        }
        assert_eq!(guess("Clinical Notes"), Err(LeftOut::Notes));
        assert_eq!(guess("Street Address"), Err(LeftOut::Address));
        assert_eq!(guess("Client ID"), Err(LeftOut::RecordNumber));
        assert_eq!(guess("Favourite colour"), Err(LeftOut::Unknown));
    }

    #[test]
    fn a_known_export_is_recognised_by_its_headers() {
        let headers: Vec<String> = [
            "Patient First Name",
            "Patient Last Name",
            "Date of Birth",
            "Mobile Phone",
            "Notes",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            recognised_layout(&headers),
            Some("TherapyNotes patient export")
        );
        assert_eq!(recognised_layout(&["a".into(), "b".into()]), None);
    }
}
