//! Settings → Retention in the real window. Clients last seen years ago
//! (written with circle-core's test clock pinned to those days, as if the
//! practice had added them then) are listed as due, a minor at their last
//! contact named in words; a client seen three years ago is not. The owner
//! chooses two and opens "Purge selected…": the confirm button waits for
//! the typed count, Escape closes the dialog and gives focus back. The
//! practice manager sees the same list read-only, without the action.
//!
//! It stops short of purging: that is the core's to test against the vault.

use chrono::{DateTime, Months, Utc};
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::vault::location::VaultLocation;
use circle_core::vault::secret::Passphrase;
use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};

const OWNER_NAME: &str = "Dana Reyes";
const OWNER_PASS: &str = "quiet lantern orchard tide";
const MANAGER_NAME: &str = "Sam Okafor";
const MANAGER_GIVEN: &str = "tundra pebble quiver lantern";
const MANAGER_OWN: &str = "copper meadow violin harbor";
const ESCAPE: &str = "\u{E00C}";
const ENTER: &str = "\u{E007}";
const BACKSPACE: &str = "\u{E003}";

/// Midday `months` months before today.
fn months_ago(months: u32) -> DateTime<Utc> {
    let day = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(months))
        .expect("a date in the calendar");
    day.and_hms_opt(12, 0, 0).expect("midday").and_utc()
}

/// Adds a discharged client as the owner would have `months` months ago;
/// returns their id.
fn client_added(
    session: &circle_core::signed_in::SignedIn,
    months: u32,
    first: &str,
    last: &str,
    born_months_ago: u32,
) -> i64 {
    circle_core::clock::set_now_for_tests(Some(months_ago(months)));
    let born = months_ago(born_months_ago).date_naive().to_string();
    let created = clients::create(
        session,
        ClientInput {
            legal_first_name: first.into(),
            legal_last_name: last.into(),
            date_of_birth: Some(born),
            status: ClientStatus::Discharged,
            ..Default::default()
        },
        false,
    );
    circle_core::clock::set_now_for_tests(None);
    match created.expect("add a client") {
        Created::Client { client } => client.id,
        other => panic!("{first} {last} was not added: {other:?}"),
    }
}

async fn focused_testid(app: &App) -> String {
    app.script("return document.activeElement?.dataset?.testid ?? '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The Retention card's top at the top of the window (Settings is taller
/// than the window), for a picture of it.
async fn scroll_card_to_top(app: &App) {
    app.by_testid("retention-card").await;
    app.script(
        "document.querySelector('[data-testid=retention-card]').scrollIntoView({ block: 'start' });",
    )
    .await;
}

async fn open_retention(app: &App) {
    app.click("nav-settings").await;
    scroll_card_to_top(app).await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_owner_reviews_records_due_and_the_purge_waits_for_the_typed_count() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path();
    admin(
        v,
        &[
            "init",
            "--practice",
            "Harbour Light Counselling",
            "--owner",
            "dana",
            "--name",
            OWNER_NAME,
            "--timezone",
            "Europe/London",
        ],
        OWNER_PASS,
        "",
    );
    admin(
        v,
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "sam",
            "--name",
            MANAGER_NAME,
            "--role",
            "manager",
        ],
        OWNER_PASS,
        MANAGER_GIVEN,
    );

    let owner =
        circle_core::signin::unlock(&VaultLocation::at(v), "dana", &Passphrase::new(OWNER_PASS))
            .expect("the owner signs in");
    let rowan = client_added(&owner, 9 * 12, "Rowan", "Achterberg", 50 * 12);
    // Ten at the last contact: due three years after turning 18.
    let ilse = client_added(&owner, 12 * 12, "Ilse", "Varga", 22 * 12);
    let tomas = client_added(&owner, 8 * 12 + 5, "Tomás", "Brennan", 38 * 12);
    let aoife = client_added(&owner, 7 * 12 + 2, "Aoife", "Ní Bhriain", 29 * 12);
    let samir = client_added(&owner, 3 * 12, "Samir", "Haddad", 41 * 12);
    owner.lock().expect("lock");

    let app = App::launch(
        "retention",
        AppOptions {
            vault_dir: Some(v.to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.wait_for_text("home-heading", OWNER_NAME).await;
    open_retention(&app).await;

    // The longest due first; the client seen three years ago is not due.
    app.wait_for_count("[data-testid^=retention-due-]", 4).await;
    assert_eq!(
        app.count(&format!("[data-testid=retention-due-{samir}]"))
            .await,
        0
    );
    let minor = app
        .text_of(&format!("[data-testid=retention-due-{ilse}]"))
        .await;
    assert!(minor.contains("Minor at last contact"), "{minor}");
    let adult = app
        .text_of(&format!("[data-testid=retention-due-{rowan}]"))
        .await;
    assert!(!adult.contains("Minor"), "{adult}");
    let contact = app.value_of("retention-years-after-contact").await;
    assert_eq!(contact, "7");

    app.click(&format!("retention-select-{rowan}")).await;
    app.click(&format!("retention-select-{tomas}")).await;
    app.wait_for_text("retention-chosen", "2 records of 4 chosen")
        .await;
    app.by_testid(&format!("retention-due-{aoife}")).await;
    scroll_card_to_top(&app).await;
    app.screenshot_as("retention-owner").await;

    // The dialog, opened from the keyboard: confirm waits for the typed number.
    let purge = app.by_testid("retention-purge").await;
    purge
        .send_keys(ENTER)
        .await
        .expect("press Enter on Purge selected");
    let typed = app.by_testid("retention-typed-count").await;
    assert_eq!(focused_testid(&app).await, "retention-typed-count");
    let confirm = app.by_testid("retention-purge-confirm").await;
    assert!(!confirm.is_enabled().await.expect("read the button"));
    typed.send_keys("3").await.expect("type 3");
    assert!(!confirm.is_enabled().await.expect("read the button"));
    typed.send_keys(BACKSPACE).await.expect("rub out the 3");
    typed.send_keys("2").await.expect("type 2");
    assert!(confirm.is_enabled().await.expect("read the button"));
    app.screenshot_as("retention-purge-dialog").await;

    // Escape closes it, nothing purged, focus back on the button.
    typed.send_keys(ESCAPE).await.expect("press Escape");
    app.wait_for_count("[data-testid=retention-purge-dialog]", 0)
        .await;
    assert_eq!(focused_testid(&app).await, "retention-purge");
    app.wait_for_count("[data-testid^=retention-due-]", 4).await;

    // The practice manager reads the same list, without boxes or the action.
    app.lock().await;
    app.first_sign_in("sam", MANAGER_GIVEN, MANAGER_OWN).await;
    open_retention(&app).await;
    app.wait_for_count("[data-testid^=retention-due-]", 4).await;
    app.wait_for_text("retention-owner-only", "Only the owner changes these.")
        .await;
    app.wait_for_text(
        "retention-purge-owner-only",
        "Only the owner can purge records: purging needs the clinical key.",
    )
    .await;
    assert_eq!(app.count("[data-testid=retention-purge]").await, 0);
    assert_eq!(app.count("[data-testid=retention-save]").await, 0);
    assert_eq!(app.count("[data-testid=retention-card] input").await, 0);
    scroll_card_to_top(&app).await;
    app.screenshot_as("retention-manager").await;

    app.finish().await;
}
