//! Launching and driving the app under WebDriver.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// How long any single wait for the UI may take before the test fails.
pub const UI_WAIT: Duration = Duration::from_secs(30);
/// How long a helper process (Xvfb, tauri-driver) may take to come up.
const START_WAIT: Duration = Duration::from_secs(30);
/// How often readiness is re-checked while waiting for a process to come up.
const POLL: Duration = Duration::from_millis(50);

/// How many times to ask for a WebDriver session before failing.
const SESSION_ATTEMPTS: u32 = 3;

/// How long to wait for WebDriver to acknowledge the end of a session.
const SESSION_CLOSE_WAIT: Duration = Duration::from_secs(5);

static NEXT_SLOT: AtomicU16 = AtomicU16::new(0);

/// What to launch.
#[derive(Default)]
pub struct AppOptions {
    /// Use this vault folder instead of a new empty one (it must outlive the App).
    pub vault_dir: Option<PathBuf>,
    /// A test-only idle limit in seconds (the app's `e2e` feature reads it).
    pub idle_limit_seconds: Option<u64>,
    /// Save exports here under their suggested names instead of opening the
    /// save dialog, and check the newest PDF here instead of opening the
    /// open dialog (the app's `e2e` feature reads `CIRCLE_E2E_EXPORT_DIR`).
    pub export_dir: Option<PathBuf>,
    /// Choose this as the backup folder instead of opening the folder
    /// dialog (`CIRCLE_E2E_BACKUP_DIR`).
    pub backup_dir: Option<PathBuf>,
    /// Restore this backup file, or the newest backup in this folder,
    /// instead of opening the open dialog (`CIRCLE_E2E_RESTORE_FILE`).
    pub restore_file: Option<PathBuf>,
    /// Restore into this new folder instead of opening the folder dialog
    /// (`CIRCLE_E2E_RESTORE_INTO`).
    pub restore_into: Option<PathBuf>,
    /// Read this file for Clients → Import instead of opening the open
    /// dialog (`CIRCLE_E2E_IMPORT_FILE`).
    pub import_file: Option<PathBuf>,
    /// Launch this binary instead of [`app_binary`] (the window bench runs
    /// a release build, and a blank Tauri window beside it).
    pub app_binary: Option<PathBuf>,
}

/// A running Circle window under WebDriver.
pub struct App {
    pub client: Client,
    /// The vault folder this app instance uses.
    pub vault_dir: PathBuf,
    _own_vault: Option<tempfile::TempDir>,
    driver: Child,
    xvfb: Option<Child>,
    name: String,
}

impl App {
    /// Starts the app for the test called `name` (used for its screenshot).
    pub async fn launch(name: &str, options: AppOptions) -> App {
        let (own_vault, vault_dir) = match options.vault_dir {
            Some(dir) => (None, dir),
            None => {
                let tmp = tempfile::Builder::new()
                    .prefix("circle-e2e-vault-")
                    .tempdir()
                    .expect("create temp vault folder");
                let dir = tmp.path().to_path_buf();
                (Some(tmp), dir)
            }
        };

        let slot = NEXT_SLOT.fetch_add(1, Ordering::SeqCst);
        let (display, xvfb) = display_for(slot);
        let port = free_port();
        let native_port = free_port();
        let app_path = options.app_binary.clone().unwrap_or_else(app_binary);
        assert!(
            app_path.is_file(),
            "the app binary {} is missing: build it with `cargo build -p circle --features e2e` (make test does)",
            app_path.display()
        );

        // What tauri-driver, WebKitWebDriver and the app print, kept for a
        // failed test (a dropped WebDriver session leaves no other trace).
        let logs = target_dir().join("e2e-logs");
        std::fs::create_dir_all(&logs).expect("create e2e-logs folder");
        let driver_log =
            std::fs::File::create(logs.join(format!("{name}.log"))).expect("create the driver log");
        let mut driver = Command::new(tauri_driver_binary());
        driver
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env("DISPLAY", &display)
            .env("CIRCLE_VAULT", &vault_dir)
            .env(
                "CIRCLE_E2E_IDLE_LIMIT_SECONDS",
                options
                    .idle_limit_seconds
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            )
            .env(
                "CIRCLE_E2E_EXPORT_DIR",
                options.export_dir.as_deref().unwrap_or(Path::new("")),
            )
            .env(
                "CIRCLE_E2E_BACKUP_DIR",
                options.backup_dir.as_deref().unwrap_or(Path::new("")),
            )
            .env(
                "CIRCLE_E2E_RESTORE_FILE",
                options.restore_file.as_deref().unwrap_or(Path::new("")),
            )
            .env(
                "CIRCLE_E2E_RESTORE_INTO",
                options.restore_into.as_deref().unwrap_or(Path::new("")),
            )
            .env(
                "CIRCLE_E2E_IMPORT_FILE",
                options.import_file.as_deref().unwrap_or(Path::new("")),
            )
            .env("GSETTINGS_BACKEND", "memory")
            .env("NO_AT_BRIDGE", "1")
            .stdout(Stdio::from(
                driver_log.try_clone().expect("share the driver log"),
            ))
            .stderr(Stdio::from(driver_log));
        // Its own process group, so teardown can end tauri-driver, WebKitWebDriver
        // and the app together without touching anything else on the machine.
        std::os::unix::process::CommandExt::process_group(&mut driver, 0);
        let driver = driver.spawn().expect(
            "start tauri-driver (install: cargo install tauri-driver --version 2.1.0 --locked)",
        );
        wait_until("tauri-driver to listen", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        // tauri-driver listens before the WebKitWebDriver it starts does; a
        // session requested in between is dropped, so wait for both.
        wait_until("WebKitWebDriver to listen", || {
            TcpStream::connect(("127.0.0.1", native_port)).is_ok()
        });

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_path }),
        );
        // On a loaded machine the first request can still be cut off while
        // the window starts; a few bounded attempts, then fail loudly.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt < SESSION_ATTEMPTS => {
                    eprintln!(
                        "e2e[{name}]: WebDriver session attempt {attempt} failed ({e}); retrying"
                    );
                }
                Err(e) => panic!("open a WebDriver session on the Circle window: {e}"),
            }
        };
        println!(
            "e2e[{name}]: Circle window up ({}) on display {display}, vault {}",
            app_path.display(),
            vault_dir.display()
        );

        App {
            client,
            vault_dir,
            _own_vault: own_vault,
            driver,
            xvfb,
            name: name.to_owned(),
        }
    }

    /// The pid of tauri-driver, which started WebKitWebDriver, which started
    /// the app: every process of this window descends from it.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    /// Waits for the element matching `css` and returns its text.
    pub async fn text_of(&self, css: &str) -> String {
        self.client
            .wait()
            .at_most(UI_WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading text of {css}: {e}"))
    }

    /// Waits for the element matching `css`.
    /// On a timeout the window is saved as `<test>-failed.png` first, so a
    /// failure shows what was on screen instead.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(UI_WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let shot = self.screenshot_as(&format!("{}-failed", self.name)).await;
                panic!("waiting for {css}: {e} (the window: {})", shot.display())
            }
        }
    }

    /// Waits for `[data-testid=…]`.
    pub async fn by_testid(&self, testid: &str) -> fantoccini::elements::Element {
        self.find(&format!("[data-testid=\"{testid}\"]")).await
    }

    pub async fn click(&self, testid: &str) {
        let element = self.by_testid(testid).await;
        self.centre(&element).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {testid}: {e}"));
    }

    /// Types into the form control named `name`, replacing what was there.
    /// Native date and time inputs take no typed text under WebKitWebDriver;
    /// those get their value set and the same input/change events a picker fires.
    pub async fn fill(&self, name: &str, value: &str) {
        self.fill_css(&format!("[name=\"{name}\"]"), value).await;
    }

    /// `fill` for the control with `data-testid`.
    pub async fn fill_testid(&self, testid: &str, value: &str) {
        self.fill_css(&format!("[data-testid=\"{testid}\"]"), value)
            .await;
    }

    async fn fill_css(&self, css: &str, value: &str) {
        let name = css;
        let field = self.find(css).await;
        self.centre(&field).await;
        let kind = field.attr("type").await.ok().flatten().unwrap_or_default();
        if kind == "hidden" {
            // A DateField (ui/src/lib/components/DateField.svelte): its value
            // sits in a hidden input; a person types day, month and year into
            // its parts in the practice's order, and so does this.
            let field_name = field.attr("name").await.ok().flatten().unwrap_or_default();
            self.type_date(&field_name, value).await;
            return;
        }
        if kind == "date" || kind == "time" {
            self.client
                .execute(
                    "const [el, value] = arguments;\
                     const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;\
                     setter.call(el, value);\
                     el.dispatchEvent(new Event('input', { bubbles: true }));\
                     el.dispatchEvent(new Event('change', { bubbles: true }));",
                    vec![serde_json::to_value(&field).expect("element as JSON"), value.into()],
                )
                .await
                .unwrap_or_else(|e| panic!("setting {name}: {e}"));
            return;
        }
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {name}: {e}"));
        field
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("typing into {name}: {e}"));
    }

    /// Types "YYYY-MM-DD" into the DateField named `name`, part by part in
    /// the order its locale writes dates (day, month, year in en-IE). An
    /// empty `value` is not typed.
    pub async fn type_date(&self, name: &str, value: &str) {
        let wrapper = format!("[data-date-field=\"{name}\"]");
        let order = self
            .find(&wrapper)
            .await
            .attr("data-date-order")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| "day,month,year".into());
        let (year, month, day) = (
            value.get(0..4).unwrap_or_default(),
            value.get(5..7).unwrap_or_default(),
            value.get(8..10).unwrap_or_default(),
        );
        for part in order.split(',') {
            let digits = match part {
                "day" => day,
                "month" => month,
                _ => year,
            };
            let segment = self
                .find(&format!("{wrapper} [data-segment=\"{part}\"]"))
                .await;
            self.centre(&segment).await;
            segment
                .click()
                .await
                .unwrap_or_else(|e| panic!("clicking the {part} of {name}: {e}"));
            segment
                .send_keys(digits)
                .await
                .unwrap_or_else(|e| panic!("typing the {part} of {name}: {e}"));
        }
    }

    /// Scrolls the element to the middle of the window first: WebDriver
    /// scrolls only until it is in view, where a bar pinned to the bottom
    /// of the screen (the note's save bar) can still cover it.
    async fn centre(&self, element: &fantoccini::elements::Element) {
        let _ = self
            .client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                vec![serde_json::to_value(element).expect("element as JSON")],
            )
            .await;
    }

    /// Scrolls the element with `testid` to the middle of the window (for a
    /// screenshot of it).
    pub async fn scroll_to(&self, testid: &str) {
        let element = self.by_testid(testid).await;
        self.centre(&element).await;
    }

    /// Clicks into the element with `testid` and types `text` at the caret
    /// (appending, as a person would; `\u{E007}` is Enter).
    pub async fn type_into(&self, testid: &str, text: &str) {
        let field = self.by_testid(testid).await;
        self.centre(&field).await;
        field
            .click()
            .await
            .unwrap_or_else(|e| panic!("focusing {testid}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {testid}: {e}"));
    }

    /// The current value of the input, textarea or select with `testid`.
    pub async fn value_of(&self, testid: &str) -> String {
        self.by_testid(testid)
            .await
            .prop("value")
            .await
            .unwrap_or_else(|e| panic!("reading the value of {testid}: {e}"))
            .unwrap_or_default()
    }

    /// Picks an option by its value in the `<select>` with `testid`.
    pub async fn choose_by_testid(&self, testid: &str, value: &str) {
        let select = self.by_testid(testid).await;
        self.centre(&select).await;
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choosing {value} in {testid}: {e}"));
    }

    /// Kills the app, its driver and WebKitWebDriver at once (SIGKILL), as a
    /// crash or a power cut would: nothing gets a chance to save or lock.
    pub fn kill(mut self) {
        signal_group(&self.driver, libc::SIGKILL);
        let _ = self.driver.wait();
        if let Some(x) = self.xvfb.as_mut() {
            end_group(x);
        }
    }

    /// Picks an option by its value in the `<select name=…>`.
    pub async fn choose(&self, name: &str, value: &str) {
        self.find(&format!("select[name=\"{name}\"]"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choosing {value} in {name}: {e}"));
    }

    /// Waits until the element's text contains `needle`, returning the text.
    pub async fn wait_for_text(&self, testid: &str, needle: &str) -> String {
        let css = format!("[data-testid=\"{testid}\"]");
        let deadline = std::time::Instant::now() + UI_WAIT;
        loop {
            let text = self.text_of(&css).await;
            if text.contains(needle) {
                return text;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{testid} never showed {needle:?}; it shows {text:?}"
            );
            self.next_frames().await;
        }
    }

    /// Waits until exactly `n` elements match `css` (a list settling after a search).
    pub async fn wait_for_count(&self, css: &str, n: usize) {
        let deadline = std::time::Instant::now() + UI_WAIT;
        loop {
            let found = self.count(css).await;
            if found == n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{css} matched {found} elements, never {n}"
            );
            self.next_frames().await;
        }
    }

    /// How many elements match `css` right now (no waiting).
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|all| all.len())
            .unwrap_or(0)
    }

    /// Calls a Rust command directly from the page, as a script in the
    /// window could, bypassing the UI. `Err` holds the typed error.
    pub async fn invoke(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let outcome = self
            .client
            .execute_async(
                "const [cmd, args, done] = arguments;\
                 window.__TAURI_INTERNALS__.invoke(cmd, args)\
                   .then(v => done({ ok: v ?? null }), e => done({ err: e }));",
                vec![command.into(), args],
            )
            .await
            .unwrap_or_else(|e| panic!("invoking {command}: {e}"));
        match outcome.get("ok") {
            Some(v) => Ok(v.clone()),
            None => Err(outcome.get("err").cloned().unwrap_or_default()),
        }
    }

    /// Runs a script in the page and returns its result (for diagnostics).
    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.client
            .execute(js, vec![])
            .await
            .unwrap_or_else(|e| panic!("running a script in the page: {e}"))
    }

    /// Lets the page paint twice (the DOM has settled and been drawn).
    pub async fn next_frames(&self) {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await
            .expect("wait for two animation frames");
    }

    /// Saves a screenshot of the window as it is now to
    /// `target/e2e-shots/<test name>.png` and returns its path.
    pub async fn screenshot(&self) -> PathBuf {
        self.screenshot_as(&self.name.clone()).await
    }

    /// Saves a screenshot named `<name>.png` (for steps along the way).
    pub async fn screenshot_as(&self, name: &str) -> PathBuf {
        // The page paints after the DOM settles: wait two animation frames so
        // the picture shows the result of the last action, not the one before.
        self.next_frames().await;
        let png = self.client.screenshot().await.expect("take screenshot");
        let dir = target_dir().join("e2e-shots");
        std::fs::create_dir_all(&dir).expect("create e2e-shots folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        println!("e2e[{}]: screenshot {}", self.name, path.display());
        path
    }

    /// Screenshot of the final state, close the session, end the processes.
    pub async fn finish(self) {
        self.screenshot().await;
        // The client is a handle; closing a clone ends the WebDriver session,
        // then dropping `self` ends the processes. WebKitWebDriver sometimes
        // never answers the session delete once the app has quit, so the
        // close is bounded; the process-group teardown happens regardless.
        let _ = tokio::time::timeout(SESSION_CLOSE_WAIT, self.client.clone().close()).await;
    }
}

impl Drop for App {
    // A failing test unwinds without `finish`: still end what we started,
    // and keep what tells why (the app's own log goes with its temp vault).
    fn drop(&mut self) {
        end_group(&mut self.driver);
        if std::thread::panicking() {
            self.keep_evidence();
        }
        if let Some(x) = self.xvfb.as_mut() {
            end_group(x);
        }
    }
}

impl App {
    /// Copies the vault's `logs/` folder beside the driver's log, under
    /// `target/e2e-logs/<test>-vault-logs/`, and says where.
    fn keep_evidence(&self) {
        let logs = target_dir().join("e2e-logs");
        let kept = logs.join(format!("{}-vault-logs", self.name));
        let _ = std::fs::remove_dir_all(&kept);
        if let Ok(entries) = std::fs::read_dir(self.vault_dir.join("logs")) {
            let _ = std::fs::create_dir_all(&kept);
            for entry in entries.flatten() {
                let _ = std::fs::copy(entry.path(), kept.join(entry.file_name()));
            }
        }
        let driver_log = logs.join(format!("{}.log", self.name));
        eprintln!(
            "e2e[{}]: failed; driver and app output in {}, the app's log in {}",
            self.name,
            driver_log.display(),
            kept.display()
        );
        // CI keeps only what is printed: the last lines of each.
        let mut files = vec![driver_log];
        if let Ok(entries) = std::fs::read_dir(&kept) {
            files.extend(entries.flatten().map(|e| e.path()));
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            eprintln!("---- last lines of {}", file.display());
            for line in &lines[lines.len().saturating_sub(40)..] {
                eprintln!("{line}");
            }
        }
    }
}

/// Ends a child's whole process group (the child leads it) and reaps it.
fn end_group(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    signal_group(child, libc::SIGTERM);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(POLL);
    }
    signal_group(child, libc::SIGKILL);
    let _ = child.wait();
}

/// Signals every process in the group the child leads (it was spawned with
/// `process_group(0)`, so its pid is the group id).
fn signal_group(child: &Child, signal: libc::c_int) {
    let Ok(pgid) = libc::pid_t::try_from(child.id()) else {
        return;
    };
    // SAFETY: kill(2) with a negative pid only sends a signal; it touches no memory.
    unsafe {
        libc::kill(-pgid, signal);
    }
}

/// The display to use: the caller's `DISPLAY` if set, else a new Xvfb.
fn display_for(slot: u16) -> (String, Option<Child>) {
    if let Ok(display) = std::env::var("DISPLAY") {
        if !display.is_empty() {
            return (display, None);
        }
    }
    let base = 100 + (std::process::id() % 200) as u16 * 4;
    let number = (0..400)
        .map(|i| base + slot * 7 + i)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number");
    let mut cmd = Command::new("Xvfb");
    cmd.arg(format!(":{number}"))
        .args(["-screen", "0", "1280x860x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd
        .spawn()
        .expect("start Xvfb (install: apt-get install xvfb)");
    let socket = format!("/tmp/.X11-unix/X{number}");
    wait_until("Xvfb to open its display", || Path::new(&socket).exists());
    (format!(":{number}"), Some(child))
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + START_WAIT;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(POLL);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// The cargo target folder (honours `CARGO_TARGET_DIR`, as CI sets it).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
    }
}

/// `circle-admin`, built beside the app.
pub fn admin_binary() -> PathBuf {
    target_dir().join("debug/circle-admin")
}

/// Runs `circle-admin --vault DIR …` with the given passphrases; panics on failure.
pub fn admin(vault: &Path, args: &[&str], passphrase: &str, new_passphrase: &str) -> String {
    let out = Command::new(admin_binary())
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("CIRCLE_PASSPHRASE", passphrase)
        .env("CIRCLE_NEW_PASSPHRASE", new_passphrase)
        .output()
        .expect("run circle-admin (built by `cargo build --workspace --all-targets`)");
    assert!(
        out.status.success(),
        "circle-admin {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The app under test: `CIRCLE_APP`, else the debug build in the target folder.
pub fn app_binary() -> PathBuf {
    match std::env::var_os("CIRCLE_APP") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => target_dir().join("debug/circle"),
    }
}

fn tauri_driver_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    match in_cargo_home {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}
