//! Checking what the demographics form sends, field by field.

use super::model::*;
use crate::error::{Error, Result};
use crate::names::search_key;
use crate::signed_in::SignedIn;

/// Input that passed validation: trimmed, empties as `None`.
pub(super) struct Clean {
    pub(super) legal_first_name: String,
    pub(super) middle_name: Option<String>,
    pub(super) legal_last_name: String,
    pub(super) preferred_name: Option<String>,
    pub(super) name_order: NameOrder,
    pub(super) pronouns: Option<String>,
    pub(super) date_of_birth: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) email: Option<String>,
    pub(super) emergency_name: Option<String>,
    pub(super) emergency_phone: Option<String>,
    pub(super) status: ClientStatus,
}

impl Clean {
    pub(super) fn search_key(&self) -> String {
        search_key(
            &self.legal_first_name,
            self.middle_name.as_deref(),
            &self.legal_last_name,
            self.preferred_name.as_deref(),
        )
    }

    /// The form's names of the fields that differ from `before`.
    pub(super) fn changed_fields(&self, before: &Client) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |field: &'static str, same: bool| {
            if !same {
                changed.push(field);
            }
        };
        check(
            "legalFirstName",
            self.legal_first_name == before.legal_first_name,
        );
        check("middleName", self.middle_name == before.middle_name);
        check(
            "legalLastName",
            self.legal_last_name == before.legal_last_name,
        );
        check(
            "preferredName",
            self.preferred_name == before.preferred_name,
        );
        check("nameOrder", self.name_order == before.name_order);
        check("pronouns", self.pronouns == before.pronouns);
        check("dateOfBirth", self.date_of_birth == before.date_of_birth);
        check("phone", self.phone == before.phone);
        check("email", self.email == before.email);
        check(
            "emergencyName",
            self.emergency_name == before.emergency_name,
        );
        check(
            "emergencyPhone",
            self.emergency_phone == before.emergency_phone,
        );
        check("status", self.status == before.status);
        changed
    }
}

/// Checks every field in the order the form shows them; the first problem
/// is returned. `today` (in the practice's zone) is asked for only when a
/// date of birth is given.
pub(super) fn validate(
    input: &ClientInput,
    today: impl FnOnce() -> Result<chrono::NaiveDate>,
) -> Result<Clean> {
    let legal_first_name = text(
        "legalFirstName",
        "legal first name",
        &input.legal_first_name,
        MAX_LEGAL_NAME_CHARS,
    )?
    .ok_or_else(|| Error::invalid("legalFirstName", "Enter the client's legal first name."))?;
    let middle_name = optional_text(
        "middleName",
        "middle name",
        &input.middle_name,
        MAX_MIDDLE_NAME_CHARS,
    )?;
    let legal_last_name = text(
        "legalLastName",
        "legal last name",
        &input.legal_last_name,
        MAX_LEGAL_NAME_CHARS,
    )?
    .ok_or_else(|| Error::invalid("legalLastName", "Enter the client's legal last name."))?;
    let preferred_name = optional_text(
        "preferredName",
        "preferred name",
        &input.preferred_name,
        MAX_PREFERRED_NAME_CHARS,
    )?;
    let pronouns = optional_text("pronouns", "pronouns", &input.pronouns, MAX_PRONOUNS_CHARS)?;
    let date_of_birth = match trimmed(&input.date_of_birth) {
        None => None,
        Some(text) => Some(date_of_birth(text, today()?)?),
    };
    let phone = phone_number("phone", "phone number", &input.phone)?;
    let email = email_address(&input.email)?;
    let emergency_name = optional_text(
        "emergencyName",
        "emergency contact's name",
        &input.emergency_name,
        MAX_EMERGENCY_NAME_CHARS,
    )?;
    let emergency_phone = phone_number(
        "emergencyPhone",
        "emergency contact's phone number",
        &input.emergency_phone,
    )?;
    Ok(Clean {
        legal_first_name,
        middle_name,
        legal_last_name,
        preferred_name,
        name_order: input.name_order,
        pronouns,
        date_of_birth,
        phone,
        email,
        emergency_name,
        emergency_phone,
        status: input.status,
    })
}

fn trimmed(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A one-line text field: trimmed, empty as `None`, no line breaks, at most `max` characters.
fn text(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("Remove line breaks and tabs from the {label}."),
        ));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("Keep the {label} to {max} characters or fewer."),
        ));
    }
    Ok(Some(value.to_owned()))
}

fn optional_text(
    field: &str,
    label: &str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>> {
    text(field, label, value.as_deref().unwrap_or(""), max)
}

/// Strictly "YYYY-MM-DD", a real date, not in the future, not before 1900.
fn date_of_birth(text: &str, today: chrono::NaiveDate) -> Result<String> {
    use crate::clock::DateProblem;
    let field = "dateOfBirth";
    let future = || Error::invalid(field, "The date of birth is in the future. Check the year.");
    // The clock's one date parser: strictly "YYYY-MM-DD", years 1900 to 2200.
    let date = crate::clock::read_date(text).map_err(|problem| match problem {
        DateProblem::Malformed => Error::invalid(
            field,
            "Enter the date of birth as year-month-day, for example 1984-03-27.",
        ),
        DateProblem::TooEarly => {
            Error::invalid(field, "The date of birth is before 1900. Check the year.")
        }
        DateProblem::TooLate => future(),
    })?;
    if date > today {
        return Err(future());
    }
    Ok(crate::clock::format_date(date))
}

/// Digits, spaces and + ( ) - only, at least one digit, at most 30 characters.
fn phone_number(field: &str, label: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(value) = trimmed(value) else {
        return Ok(None);
    };
    let chars_ok = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !chars_ok || !value.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!("Enter the {label} using digits, spaces and + ( ) - only."),
        ));
    }
    if value.chars().count() > MAX_PHONE_CHARS {
        return Err(Error::invalid(
            field,
            format!("Keep the {label} to {MAX_PHONE_CHARS} characters or fewer."),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// One "@" with text on both sides, no spaces.
fn email_address(value: &Option<String>) -> Result<Option<String>> {
    let Some(value) = trimmed(value) else {
        return Ok(None);
    };
    let well_formed = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !well_formed {
        return Err(Error::invalid(
            "email",
            "Enter the email address in the form name@example.com.",
        ));
    }
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(Error::invalid(
            "email",
            format!("Keep the email address to {MAX_EMAIL_CHARS} characters or fewer."),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// Today's date in the practice's time zone (the clock's zone policy: a
/// missing or unknown zone is an error, never a guess).
pub(super) fn practice_today(signed_in: &SignedIn) -> Result<chrono::NaiveDate> {
    Ok(crate::clock::today_in(crate::clock::practice_zone(
        signed_in.conn(),
    )?))
}

#[cfg(test)]
mod tests {
    use super::super::store::summary_of;
    use super::*;

    fn today() -> Result<chrono::NaiveDate> {
        Ok(chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap())
    }

    fn input() -> ClientInput {
        ClientInput {
            legal_first_name: "Zoë".into(),
            legal_last_name: "Martin".into(),
            ..Default::default()
        }
    }

    fn field_of(input: ClientInput) -> Option<String> {
        validate(&input, today)
            .err()
            .and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn empty_optionals_become_none_and_text_is_trimmed() {
        let clean = validate(
            &ClientInput {
                legal_first_name: "  Zoë ".into(),
                preferred_name: Some("   ".into()),
                phone: Some("".into()),
                ..input()
            },
            today,
        )
        .unwrap();
        assert_eq!(clean.legal_first_name, "Zoë");
        assert_eq!(clean.preferred_name, None);
        assert_eq!(clean.phone, None);
        assert_eq!(clean.middle_name, None);
        assert_eq!(clean.name_order, NameOrder::GivenFirst);
    }

    #[test]
    fn each_rule_names_its_field() {
        let long = |n: usize| "x".repeat(n);
        let cases = [
            (
                ClientInput {
                    legal_first_name: " ".into(),
                    ..input()
                },
                "legalFirstName",
            ),
            (
                ClientInput {
                    legal_first_name: long(101),
                    ..input()
                },
                "legalFirstName",
            ),
            (
                ClientInput {
                    middle_name: Some(long(101)),
                    ..input()
                },
                "middleName",
            ),
            (
                ClientInput {
                    middle_name: Some("Thị\tAnh".into()),
                    ..input()
                },
                "middleName",
            ),
            (
                ClientInput {
                    legal_last_name: "".into(),
                    ..input()
                },
                "legalLastName",
            ),
            (
                ClientInput {
                    legal_last_name: "A\nB".into(),
                    ..input()
                },
                "legalLastName",
            ),
            (
                ClientInput {
                    preferred_name: Some(long(61)),
                    ..input()
                },
                "preferredName",
            ),
            (
                ClientInput {
                    pronouns: Some(long(61)),
                    ..input()
                },
                "pronouns",
            ),
            (
                ClientInput {
                    date_of_birth: Some("3/4/1990".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("1990-02-30".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("+1990-02-03".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("2026-03-04".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("1899-12-31".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    phone: Some("555 CALL NOW".into()),
                    ..input()
                },
                "phone",
            ),
            (
                ClientInput {
                    phone: Some("+-()".into()),
                    ..input()
                },
                "phone",
            ),
            (
                ClientInput {
                    phone: Some("1".repeat(31)),
                    ..input()
                },
                "phone",
            ),
            (
                ClientInput {
                    email: Some("zoe.example.com".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    email: Some("@example.com".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    email: Some("zoe@".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    email: Some("zoe@a@b".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    emergency_name: Some(long(101)),
                    ..input()
                },
                "emergencyName",
            ),
            (
                ClientInput {
                    emergency_phone: Some("ask".into()),
                    ..input()
                },
                "emergencyPhone",
            ),
        ];
        for (case, field) in cases {
            assert_eq!(field_of(case.clone()).as_deref(), Some(field), "{field}");
        }
    }

    #[test]
    fn boundaries_are_accepted() {
        let ok = ClientInput {
            legal_first_name: "é".repeat(100),
            middle_name: Some("ị".repeat(100)),
            preferred_name: Some("x".repeat(60)),
            date_of_birth: Some("2026-03-03".into()),
            phone: Some("+44 (0)20 7946-0000".into()),
            email: Some("zoe@example.com".into()),
            ..input()
        };
        assert!(validate(&ok, today).is_ok());
        let oldest = ClientInput {
            date_of_birth: Some("1900-01-01".into()),
            ..input()
        };
        assert!(validate(&oldest, today).is_ok());
    }

    #[test]
    fn debug_prints_no_names() {
        let client = Client {
            id: 7,
            record_number: "C-000007".into(),
            legal_first_name: "Zoë".into(),
            middle_name: Some("Anne".into()),
            legal_last_name: "Martin".into(),
            preferred_name: None,
            name_order: NameOrder::GivenFirst,
            first_name: "Zoë".into(),
            display_name: "Zoë Martin".into(),
            legal_name: "Zoë Martin".into(),
            pronouns: None,
            date_of_birth: Some("1990-01-01".into()),
            phone: None,
            email: None,
            emergency_name: None,
            emergency_phone: None,
            status: ClientStatus::Active,
            discharged_on: None,
        };
        let printed = format!("{client:?} {:?} {:?}", summary_of(&client), input());
        assert!(!printed.contains("Zo"), "{printed}");
        assert!(!printed.contains("Martin"), "{printed}");
        assert!(!printed.contains("Anne"), "{printed}");
        assert!(!printed.contains("1990"), "{printed}");
    }
}
