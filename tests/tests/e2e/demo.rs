//! "Explore a demo practice" in the real window: from the first-run screen
//! Circle makes the demo beside the vault folder, lists its logins with
//! their passphrases, "Sign in as …" fills the form, and the demo opens on
//! Today with today's sessions under a "Demo practice" band.

use circle_e2e::harness::UI_WAIT;
use circle_e2e::{App, AppOptions};

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_demo_practice_is_made_from_the_welcome_screen_and_opens_on_today_marked_as_a_demo() {
    // The demo goes beside the vault folder: both inside one temp folder.
    let root = tempfile::tempdir().unwrap();
    let vault = root.path().join("vault");
    let app = App::launch(
        "demo-practice",
        AppOptions {
            vault_dir: Some(vault.clone()),
            ..Default::default()
        },
    )
    .await;

    app.click("demo-create").await;
    // Making it takes a few seconds in a debug build.
    let deadline = std::time::Instant::now() + UI_WAIT * 2;
    while app.count("[data-testid=demo-logins]").await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the demo never finished; the window: {}",
            app.screenshot_as("demo-practice-never-made")
                .await
                .display()
        );
        app.next_frames().await;
    }
    let logins = app.text_of("[data-testid=demo-logins]").await;
    for role in [
        "Owner",
        "Clinician",
        "Supervisor",
        "Practice manager",
        "Front desk",
    ] {
        assert!(logins.contains(role), "{role} in {logins:?}");
    }
    let shown = app.text_of("[data-testid=demo-vault-dir]").await;
    assert_eq!(shown, root.path().join("vault-demo").display().to_string());
    assert!(root
        .path()
        .join("vault-demo")
        .join("demo-practice")
        .is_file());
    app.screenshot_as("demo-practice-logins").await;

    // The front desk sees every session of the day.
    let desk = app
        .script(
            "return [...document.querySelectorAll('[data-testid=demo-login]')]
               .find((row) => row.textContent.includes('Front desk'))
               .dataset.username;",
        )
        .await;
    let desk = desk.as_str().expect("the front desk's username").to_owned();
    app.click(&format!("demo-use-{desk}")).await;
    let filled = app
        .script("return document.querySelector('[name=username]').value;")
        .await;
    assert_eq!(filled.as_str(), Some(desk.as_str()));
    app.click("demo-sign-in").await;

    app.by_testid("home-heading").await;
    let band = app.wait_for_text("demo-band", "Demo practice").await;
    assert!(band.contains("do not enter real clients"), "{band}");
    let deadline = std::time::Instant::now() + UI_WAIT;
    while app.count("[data-testid^=today-session-]").await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "Today never showed a session; the window: {}",
            app.screenshot_as("demo-practice-no-sessions")
                .await
                .display()
        );
        app.next_frames().await;
    }
    app.screenshot_as("demo-practice-today").await;
    // Another screen carries the band too.
    app.click("nav-groups").await;
    app.wait_for_text("demo-band", "Demo practice").await;
    app.click("nav-today").await;
    app.by_testid("home-heading").await;
    app.finish().await;
}
