//! Issue 17, import: a practice's client list from another system's CSV.

use crate::common::*;
use circle_core::audit::{self, AuditFilter};
use circle_core::clients::{self, ClientStatus};
use circle_core::import::{self, DateOrder, ImportChoices, ImportReport, OrderFound};
use circle_core::roles::Role;
use circle_core::signed_in::SignedIn;
use circle_core::Error;

const FIRSTS: [&str; 50] = [
    "Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lea", "Max",
    "Nia", "Oz", "Pia", "Quin", "Rae", "Sol", "Tia", "Uma", "Vic", "Wes", "Xan", "Yan", "Zed",
    "Abe", "Bo", "Cy", "Di", "Ed", "Flo", "Gil", "Hana", "Ira", "Jo", "Ken", "Liv", "Mo", "Ned",
    "Ola", "Pat", "Ray", "Sue", "Ted", "Ula", "Val", "Wyn", "Yul", "Zoe",
];
const LASTS: [&str; 40] = [
    "Abbott", "Baker", "Carver", "Dunn", "Ellis", "Frost", "Grant", "Hale", "Irwin", "Jones",
    "Keller", "Lowe", "Marsh", "Nash", "Oakes", "Pryce", "Quade", "Reyes", "Stone", "Tate",
    "Upton", "Vance", "Wade", "Xiong", "Young", "Zhou", "Ames", "Blythe", "Cole", "Drake", "Eaton",
    "Fisk", "Gale", "Hart", "Ives", "Joyce", "Kemp", "Lind", "Moss", "Noble",
];

/// The bad rows of the 2,000 (by their index), and the column each is
/// refused by.
fn bad_row(i: usize) -> Option<(String, &'static str)> {
    let long_phone = "5".repeat(300);
    let row = match i {
        // Impossible dates (31 February read either way round; a day 0;
        // month 13 in ISO) and one in the future.
        100 => "Ann;Impossible;31/02/1990;;".into(),
        200 => "Ben;Impossible;02/31/1990;;".into(),
        300 => "Cat;Impossible;00/04/1990;;".into(),
        400 => "Dan;Impossible;30/02/2001;;".into(),
        500 => "Eve;Impossible;1990-13-01;;".into(),
        600 => "Fin;Future;01/01/2090;;".into(),
        // Missing last names, and first names.
        700 | 710 | 720 | 730 => format!("Gia{i};;05/05/1980;;"),
        800 | 810 => format!(";Nofirst{i};05/05/1980;;"),
        // A 300-character phone number.
        900 | 910 | 920 => format!("Hugo{i};Longphone;06/06/1981;{long_phone};"),
        1000 => "Ivy;Email;07/07/1982;;not an email".into(),
        // A status no system writes.
        1100 => "Jay;Status;08/08/1983;;;maybe".into(),
        _ => return None,
    };
    let column = match i {
        100..=600 => "Date of birth",
        700..=730 => "Last name",
        800 | 810 => "First name",
        900..=920 => "Mobile",
        1000 => "Email",
        _ => "Status",
    };
    Some((row, column))
}

/// 2,000 clients, 17 of them refused, separated by semicolons. Every
/// date with slashes reads both ways except the impossible ones, which
/// point both ways: the order is the person's to say.
fn client_list() -> String {
    let mut text = String::from("First name;Last name;Date of birth;Mobile;Email;Status\n");
    for i in 0..2000 {
        match bad_row(i) {
            Some((row, _)) => text.push_str(&row),
            None if i == 1 => {
                text.push_str("Zoë;Ångström;03/04/1979;0161 496 0001;zoe@example.org;active")
            }
            None => {
                let (first, last) = (FIRSTS[i % 50], LASTS[i / 50]);
                let (day, month) = (i % 12 + 1, i / 12 % 12 + 1);
                let year = 1950 + i % 50;
                text.push_str(&format!(
                    "{first};{last};{day:02}/{month:02}/{year};0161 496 {i:04};;active"
                ));
            }
        }
        text.push('\n');
    }
    text
}

fn windows_1252(text: &str) -> Vec<u8> {
    // Only characters Windows-1252 has; every byte of them is one byte.
    text.chars()
        .map(|c| match c {
            'ë' => 0xEB,
            'Å' => 0xC5,
            'ö' => 0xF6,
            c if c.is_ascii() => c as u8,
            c => panic!("{c} is not in this test's Windows-1252 table"),
        })
        .collect()
}

fn utf8_with_bom(text: &str) -> Vec<u8> {
    [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()
}

fn clients_in(s: &SignedIn) -> u32 {
    clients::search(s, "", None, 0, 1).unwrap().total
}

fn dmy() -> ImportChoices {
    ImportChoices {
        date_order: Some(DateOrder::DayMonthYear),
        ..ImportChoices::default()
    }
}

fn expected_rejections() -> Vec<(u32, &'static str)> {
    // Line = index + 2 (the header is line 1).
    (0..2000)
        .filter_map(|i| bad_row(i).map(|(_, column)| (i as u32 + 2, column)))
        .collect()
}

fn assert_the_2000_row_import(report: &ImportReport, encoding: &str) {
    assert_eq!(report.encoding, encoding);
    assert_eq!(report.separator, "semicolons");
    assert_eq!(report.rows, 2000);
    assert_eq!(report.dates_found, OrderFound::Ask);
    assert_eq!(report.imported, 1983, "{:#?}", report.rejected);
    let refused: Vec<(u32, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(refused, expected_rejections());
    let reason = |line: u32| {
        report
            .rejected
            .iter()
            .find(|r| r.line == line)
            .map(|r| r.reason.clone())
            .unwrap()
    };
    assert_eq!(
        reason(102),
        "“31/02/1990” is not a date when read as day/month/year."
    );
    assert_eq!(reason(702), "Enter the client's legal last name.");
    assert!(reason(602).contains("future"), "{}", reason(602));
    assert!(reason(902).contains("30"), "{}", reason(902));
    assert!(report.duplicates.is_empty());
}

#[test]
fn a_2000_row_windows_1252_file_imports_1983_clients_and_names_the_17_refused_by_line() {
    let v = new_vault();
    let desk_id = v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let desk = v.sign_in(FRONT_DESK);
    let table = import::read_table(&windows_1252(&client_list())).unwrap();

    // The dates read both ways: nothing is written until the person says how.
    let undecided = import::import(&desk, &table, &ImportChoices::default());
    assert!(
        matches!(&undecided, Err(Error::Invalid { field, .. }) if field == "dateOrder"),
        "{undecided:?}"
    );
    assert_eq!(clients_in(&desk), 0);

    let preview = import::preview(&desk, &table, &dmy()).unwrap();
    assert_eq!((preview.ready, preview.imported), (1983, 0));
    assert_eq!(preview.preview.len(), 20);
    assert_eq!(clients_in(&desk), 0, "a preview writes nothing");

    let report = import::import(&desk, &table, &dmy()).unwrap();
    assert_the_2000_row_import(&report, "Windows-1252");
    assert_eq!(clients_in(&desk), 1983);
    let zoe = clients::search(&desk, "zoe angstrom", None, 0, 5).unwrap();
    assert_eq!(zoe.items.len(), 1);
    assert_eq!(zoe.items[0].display_name, "Zoë Ångström");
    assert_eq!(zoe.items[0].date_of_birth.as_deref(), Some("1979-04-03"));
    assert_eq!(zoe.items[0].status, ClientStatus::Active);

    // One audit row, with the count and no name.
    let owner = v.owner();
    let imported = audit::list_for(
        &owner,
        &AuditFilter {
            action_prefix: Some("client.imported".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].detail.as_deref(), Some("count=1983"));
    assert_eq!(imported[0].actor_id, Some(desk_id));
    let created = audit::list_for(
        &owner,
        &AuditFilter {
            action_prefix: Some("client.created".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        created.is_empty(),
        "one event for the import, not one per client"
    );
}

#[test]
fn the_same_file_in_utf8_with_a_bom_gives_the_same_result() {
    let v = new_vault();
    let owner = v.owner();
    let table = import::read_table(&utf8_with_bom(&client_list())).unwrap();
    let report = import::import(&owner, &table, &dmy()).unwrap();
    assert_the_2000_row_import(&report, "UTF-8");
}

#[test]
fn names_in_every_script_come_through_intact_and_are_found() {
    let v = new_vault();
    let owner = v.owner();
    let file = "Given name,Family name,DOB\n\
                Zoë,Ångström,1979-04-03\n\
                Minh,Nguyễn Thị,1988-11-02\n\
                Łukasz,Żółć,1975-06-30\n\
                小龍,李,1940-11-27\n";
    let report = import::import(
        &owner,
        &import::read_table(file.as_bytes()).unwrap(),
        &ImportChoices::default(),
    )
    .unwrap();
    assert_eq!((report.imported, report.rejected.len()), (4, 0));
    for (query, legal_name) in [
        ("zoe", "Zoë Ångström"),
        ("ZOË ÅNGSTRÖM", "Zoë Ångström"),
        ("nguyen", "Minh Nguyễn Thị"),
        ("lukasz zolc", "Łukasz Żółć"),
        ("Żółć", "Łukasz Żółć"),
        ("李", "小龍 李"),
    ] {
        let found = clients::search(&owner, query, None, 0, 5).unwrap();
        let names: Vec<&str> = found.items.iter().map(|c| c.legal_name.as_str()).collect();
        assert_eq!(names, [legal_name], "searching {query}");
    }
}

#[test]
fn reimporting_a_file_flags_every_row_as_a_likely_duplicate_and_imports_none_unless_told() {
    let v = new_vault();
    let owner = v.owner();
    let table = import::read_table(&windows_1252(&client_list())).unwrap();
    assert_eq!(
        import::import(&owner, &table, &dmy()).unwrap().imported,
        1983
    );

    let again = import::import(&owner, &table, &dmy()).unwrap();
    assert_eq!(again.imported, 0);
    assert_eq!(again.duplicates.len(), 1983);
    assert!(again
        .duplicates
        .iter()
        .all(|d| d.existing.len() == 1 && !d.importing));
    let zoe = again.duplicates.iter().find(|d| d.line == 3).unwrap();
    assert_eq!(
        (zoe.name.as_str(), zoe.existing[0].display_name.as_str()),
        ("Zoë Ångström", "Zoë Ångström")
    );
    assert_eq!(clients_in(&owner), 1983);

    // Told to, for two lines: those two, and only those, are imported.
    let two = ImportChoices {
        import_anyway: vec![3, 4],
        ..dmy()
    };
    let told = import::import(&owner, &table, &two).unwrap();
    assert_eq!(told.imported, 2);
    assert_eq!(clients_in(&owner), 1985);
}

#[test]
fn a_row_repeating_an_earlier_row_of_the_same_file_is_flagged_by_that_line() {
    let v = new_vault();
    let owner = v.owner();
    let file = "First,Last,Birth date\n\
                Zoë,Ångström,1979-04-03\n\
                Zoe,Angstrom,3 Apr 1979\n\
                Angstrom,Zoe,1979-04-03\n\
                Zoë,Ångström,1980-04-03\n";
    let table = import::read_table(file.as_bytes()).unwrap();
    let report = import::import(&owner, &table, &ImportChoices::default()).unwrap();
    let flagged: Vec<(u32, Vec<u32>)> = report
        .duplicates
        .iter()
        .map(|d| (d.line, d.earlier_lines.clone()))
        .collect();
    assert_eq!(flagged, [(3, vec![2]), (4, vec![2, 3])]);
    assert_eq!(report.imported, 2, "line 2, and line 5 born a year later");
}

#[test]
fn the_columns_are_guessed_and_can_be_chosen_and_notes_never_come_in() {
    let v = new_vault();
    let owner = v.owner();
    let file = "Client ID,Surname,Given,Nickname,Street address,Clinical notes,Pronouns\n\
                17,Okafor,Imani,Mani,1 High St,Said she hears voices,she/her\n";
    let table = import::read_table(file.as_bytes()).unwrap();
    // "Given" alone is not a header Circle knows: the first name is asked
    // for beside the columns, and nothing can be imported until it is chosen.
    let guessed = import::preview(&owner, &table, &ImportChoices::default()).unwrap();
    assert_eq!(
        guessed.missing,
        [circle_core::import::ImportField::LegalFirstName]
    );
    assert_eq!((guessed.ready, guessed.rejected.len()), (0, 0));
    assert_eq!(
        guessed.preview.len(),
        1,
        "the rows are shown to choose from"
    );
    assert!(matches!(
        import::import(&owner, &table, &ImportChoices::default()),
        Err(Error::Invalid { field, reason }) if field == "columns" && reason.contains("legal first name")
    ));
    use circle_core::import::ImportField::*;
    let chosen = ImportChoices {
        columns: Some(vec![
            None,
            Some(LegalLastName),
            Some(LegalFirstName),
            Some(PreferredName),
            None,
            None,
            Some(Pronouns),
        ]),
        ..ImportChoices::default()
    };
    let preview = import::preview(&owner, &table, &chosen).unwrap();
    use circle_core::import::LeftOut;
    let left_out: Vec<Option<LeftOut>> = preview.columns.iter().map(|c| c.left_out).collect();
    assert_eq!(
        left_out,
        [
            Some(LeftOut::RecordNumber),
            None,
            None,
            None,
            Some(LeftOut::Address),
            Some(LeftOut::Notes),
            None
        ]
    );
    assert_eq!(preview.preview[0].cells[5], "", "a notes cell is not shown");
    let report = import::import(&owner, &table, &chosen).unwrap();
    assert_eq!(report.imported, 1);
    let client = clients::search(&owner, "mani", None, 0, 1).unwrap().items[0].clone();
    let full = clients::get(&owner, client.id).unwrap();
    assert_eq!(
        (
            full.legal_first_name.as_str(),
            full.preferred_name.as_deref(),
            full.pronouns.as_deref()
        ),
        ("Imani", Some("Mani"), Some("she/her"))
    );

    // A notes column cannot be made to fill a field.
    let notes_in = ImportChoices {
        columns: Some(vec![
            None,
            Some(LegalLastName),
            Some(LegalFirstName),
            None,
            None,
            Some(PreferredName),
            None,
        ]),
        ..ImportChoices::default()
    };
    assert!(matches!(
        import::preview(&owner, &table, &notes_in),
        Err(Error::Invalid { field, reason }) if field == "columns" && reason.starts_with("Notes are never imported")
    ));
    // Two columns set to one field are refused beside the mapping.
    let twice = ImportChoices {
        columns: Some(vec![
            None,
            Some(LegalLastName),
            Some(LegalLastName),
            None,
            None,
            None,
            None,
        ]),
        ..ImportChoices::default()
    };
    assert!(matches!(
        import::preview(&owner, &table, &twice),
        Err(Error::Invalid { field, .. }) if field == "columns"
    ));
}

#[test]
fn the_refused_rows_download_as_csv_with_their_line_and_reason() {
    let v = new_vault();
    let owner = v.owner();
    let file = "First name,Last name\nAmy,Lee\nNo,\nBo,\"Ray, Jr\"\n";
    let table = import::read_table(file.as_bytes()).unwrap();
    let report = import::preview(&owner, &table, &ImportChoices::default()).unwrap();
    let csv = String::from_utf8(import::rejected_csv(&table, &report).unwrap()).unwrap();
    assert_eq!(
        csv,
        "Line,Problem,First name,Last name\n3,Last name: Enter the client's legal last name.,No,\n"
    );
}

#[test]
fn the_command_line_import_prints_the_same_report_and_dry_runs_write_nothing() {
    let v = new_vault();
    let file = v.dir.path().join("old-system.csv");
    std::fs::write(
        &file,
        "Given,Surname,Born\nAmy,Lee,03/04/1980\nNo,,05/06/1970\nBo,Ray,13/01/1990\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_circle-admin"))
            .arg("--vault")
            .arg(v.dir.path())
            .args(["--user", OWNER, "import", "clients"])
            .arg(&file)
            .args(["--map", "first=Given,last=Surname,dob=Born"])
            .args(extra)
            .env("CIRCLE_PASSPHRASE", OWNER_PASS)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, dry) = run(&["--dry-run"]);
    assert_eq!(code, Some(0), "{dry}");
    assert!(
        dry.contains("line 3: Surname: Enter the client's legal last name."),
        "{dry}"
    );
    assert!(
        dry.contains("dates with slashes read as day/month/year"),
        "{dry}"
    );
    assert!(
        dry.contains("dry run: 2 of 3 rows would be imported, 1 refused"),
        "{dry}"
    );
    assert_eq!(clients_in(&v.owner()), 0);
    let (code, json) = run(&["--json"]);
    assert_eq!(code, Some(0), "{json}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["imported"], 2);
    assert_eq!(report["rejected"][0]["line"], 3);
    assert_eq!(clients_in(&v.owner()), 2);
    let (_, again) = run(&[]);
    assert!(
        again.contains("imported 0 of 3 rows; 1 refused, 2 likely duplicates"),
        "{again}"
    );
}
