//! The first thing anyone sees: the welcome/unlock frame, filled from Rust.

use circle_e2e::{App, AppOptions};

/// The version the app reports comes from Cargo (the workspace version).
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn first_run_shows_name_version_and_vault_folder_from_rust() {
    let app = App::launch("welcome-first-run", AppOptions::default()).await;

    assert_eq!(app.text_of("[data-testid=product-name]").await, "Circle");
    let version = app.text_of("[data-testid=product-version]").await;
    assert!(
        version.contains(VERSION),
        "version line {version:?} should show {VERSION}"
    );
    let vault = app.text_of("[data-testid=vault-dir]").await;
    assert_eq!(vault, app.vault_dir.display().to_string());
    let heading = app.text_of("[data-testid=welcome-heading]").await;
    assert!(
        !heading.to_lowercase().contains("unlock"),
        "an empty folder is a first run, not an unlock: {heading:?}"
    );
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_folder_with_a_keyring_is_offered_for_unlock() {
    let vault = tempfile::tempdir().unwrap();
    std::fs::write(vault.path().join("keyring.json"), "{}").unwrap();
    let app = App::launch(
        "welcome-unlock",
        AppOptions {
            vault_dir: Some(vault.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;

    let heading = app.text_of("[data-testid=welcome-heading]").await;
    assert!(heading.contains("Unlock"), "heading was {heading:?}");
    app.finish().await;
}
