//! The window half of the installed-package check (`make package-check`,
//! which `make stress` runs; scripts/package-check.sh installs the .deb
//! first and removes it after): the Circle a person gets from the package,
//! started the way its menu entry starts it, shows the welcome screen.
//!
//! ```text
//! cargo build --locked --release -p circle-e2e --example installed_check
//! target/release/examples/installed_check --app /usr/bin/circle --version 0.1.0
//! ```
//!
//! `--app` is the installed binary (a release build without the `e2e`
//! feature: WebDriver drives it all the same, see window_bench.rs); the
//! vault is a new empty temp folder (`CIRCLE_VAULT`), so the check never
//! sees or touches a real practice on the machine. It checks that the
//! process WebDriver started runs that very file, and that the window shows
//! what a first run shows: the product's name, the package's version, the
//! vault folder, and a first-run heading (not an unlock). A failed check
//! panics (exit code 101) with the window saved as a screenshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use circle_e2e::{App, AppOptions};

const USAGE: &str = "usage: installed_check --app /usr/bin/circle --version X.Y.Z";

struct Args {
    app: PathBuf,
    version: String,
}

fn parse_args() -> Result<Args, String> {
    let mut app = None;
    let mut version = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--app" => app = Some(PathBuf::from(value)),
            "--version" => version = Some(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let app = app.ok_or("--app is missing")?;
    if !app.is_absolute() || !app.is_file() {
        return Err(format!(
            "--app {}: not an installed file (give its full path)",
            app.display()
        ));
    }
    Ok(Args {
        app,
        version: version.ok_or("--version is missing")?,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}\n{USAGE}");
        std::process::exit(2);
    });

    let app = App::launch(
        "installed-package",
        AppOptions {
            app_binary: Some(args.app.clone()),
            ..Default::default()
        },
    )
    .await;

    let running = running_binaries(app.driver_pid());
    let installed = args
        .app
        .canonicalize()
        .expect("the installed binary's full path");
    assert!(
        running.contains(&installed),
        "WebDriver should have started {}; under tauri-driver run {running:?}",
        args.app.display()
    );

    let name = app.text_of("[data-testid=product-name]").await;
    assert_eq!(name, "Circle", "the welcome screen's product name");
    let version = app.text_of("[data-testid=product-version]").await;
    assert!(
        version.contains(&args.version),
        "the welcome screen shows {version:?}, not the package's version {}",
        args.version
    );
    let vault = app.text_of("[data-testid=vault-dir]").await;
    assert_eq!(
        vault,
        app.vault_dir.display().to_string(),
        "the welcome screen names the vault folder it was given"
    );
    let heading = app.text_of("[data-testid=welcome-heading]").await;
    assert!(
        !heading.to_lowercase().contains("unlock"),
        "an empty folder is a first run, not an unlock: {heading:?}"
    );
    println!(
        "installed_check: {} showed the welcome screen: {name} {version:?}, heading {heading:?}, vault {vault}",
        args.app.display()
    );
    app.finish().await;
}

/// The executables of every process descending from tauri-driver (which
/// started WebKitWebDriver, which started the app).
fn running_binaries(driver: u32) -> BTreeSet<PathBuf> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|pid| Some((pid, parent_of(pid)?)))
                .collect()
        })
        .unwrap_or_default();
    let mut tree = BTreeSet::from([driver]);
    // A child's pid may be lower than its parent's: repeat until nothing is added.
    loop {
        let before = tree.len();
        for &(pid, ppid) in &parents {
            if tree.contains(&ppid) {
                tree.insert(pid);
            }
        }
        if tree.len() == before {
            break;
        }
    }
    tree.iter()
        .filter_map(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).ok())
        .collect()
}

/// The parent pid, from /proc/<pid>/stat (after the command name, which is
/// in parentheses and may itself hold spaces).
fn parent_of(pid: u32) -> Option<u32> {
    let stat =
        std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}
