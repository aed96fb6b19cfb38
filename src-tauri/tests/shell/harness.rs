//! The shell as the window sees it: Circle's real invoke handler, app state
//! and capability file on Tauri's MockRuntime (no window system), with a
//! real vault in a temp folder. Every call goes through `on_message`:
//! the invoke key, the ACL check against `capabilities/main.json`, argument
//! deserialisation from JSON and the command itself, as from the page.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use circle_core::vault::location::VaultLocation;
use circle_lib::state::AppState;
use serde_json::{json, Value};
use tauri::test::{MockRuntime, INVOKE_KEY};
use tauri::WebviewWindow;

pub struct Shell {
    /// Kept alive for the webview; dropped with the shell.
    _app: tauri::App<MockRuntime>,
    ipc: Ipc,
}

/// Calls from the page: cheap to clone, and usable from several threads at
/// once as a page's overlapping `invoke`s are.
#[derive(Clone)]
pub struct Ipc {
    webview: WebviewWindow<MockRuntime>,
}

impl std::ops::Deref for Shell {
    type Target = Ipc;
    fn deref(&self) -> &Ipc {
        &self.ipc
    }
}

/// How a call ended, as the page would see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Ok(Value),
    /// A `CommandError`: `kind` as the UI receives it, and its message.
    Refused {
        kind: String,
        message: String,
    },
    /// Not a `CommandError` at all (an unknown command, arguments that did
    /// not deserialise, a command the capability does not grant).
    Ipc(String),
}

impl Answer {
    pub fn kind(&self) -> &str {
        match self {
            Answer::Ok(_) => "ok",
            Answer::Refused { kind, .. } => kind,
            Answer::Ipc(_) => "ipc",
        }
    }
}

impl Shell {
    /// Circle on the vault folder `vault_dir` (which may not exist yet).
    pub fn new(vault_dir: &Path) -> Shell {
        let state = AppState::new(VaultLocation::at(vault_dir));
        let builder = circle_lib::commands::specta_builder_for_tests();
        // The app's own context: its tauri.conf.json (the "main" window) and
        // the capability that grants that window Circle's commands by name.
        let app = tauri::test::mock_builder()
            .manage(state)
            .invoke_handler(builder.invoke_handler())
            .build(tauri::generate_context!())
            .expect("the app builds on the mock runtime");
        // What `run` does in the app's setup hook, which the mock runtime
        // never reaches: events mounted, the configured window opened.
        builder.mount_events(&app);
        // The window tauri.conf.json describes ("main", which the capability names).
        let config = app.config().app.windows[0].clone();
        let webview = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)
            .and_then(|builder| builder.build())
            .expect("tauri.conf.json's main window");
        Shell {
            _app: app,
            ipc: Ipc { webview },
        }
    }

    pub fn ipc(&self) -> Ipc {
        self.ipc.clone()
    }
}

impl Ipc {
    /// Invokes `cmd` with `args` (camelCase, as the generated bindings send them).
    pub fn call(&self, cmd: &str, args: Value) -> Answer {
        let request = tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a URL"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        match tauri::test::get_ipc_response(&self.webview, request) {
            Ok(body) => Answer::Ok(body.deserialize::<Value>().expect("a JSON answer")),
            Err(error) => match (error.get("kind"), error.get("message")) {
                (Some(Value::String(kind)), Some(Value::String(message))) => Answer::Refused {
                    kind: kind.clone(),
                    message: message.clone(),
                },
                _ => Answer::Ipc(error.to_string()),
            },
        }
    }

    /// `call`, which must succeed.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Answer::Ok(value) => value,
            other => panic!("{cmd} failed: {other:?}"),
        }
    }

    pub fn unlock(&self, username: &str, passphrase: &str) -> Value {
        self.ok(
            "unlock",
            json!({ "username": username, "passphrase": passphrase }),
        )
    }

    pub fn lock(&self) {
        self.ok("lock", json!({}));
    }
}

/// A progress channel argument as the page sends one (`Channel` in
/// `@tauri-apps/api`); what is sent on it goes to the mock webview.
pub fn channel() -> Value {
    json!("__CHANNEL__:7")
}

/// The practice's "today" (Europe/London) as "YYYY-MM-DD", shifted by `days`.
pub fn date(days: i64) -> String {
    let tz = circle_core::clock::parse_zone("timezone", ZONE).expect("a zone");
    let mut day = circle_core::clock::today_in(tz);
    for _ in 0..days.unsigned_abs() {
        day = if days > 0 {
            day.succ_opt()
        } else {
            day.pred_opt()
        }
        .expect("a date");
    }
    day.to_string()
}

/// The practice's zone in these tests.
pub const ZONE: &str = "Europe/London";

/// A client form for `first` `last`.
pub fn client_input(first: &str, last: &str, phone: &str) -> Value {
    json!({
        "legalFirstName": first,
        "middleName": null,
        "legalLastName": last,
        "preferredName": null,
        "pronouns": null,
        "dateOfBirth": "1990-04-12",
        "phone": phone,
        "email": null,
        "emergencyName": null,
        "emergencyPhone": null,
        "status": "active",
    })
}

/// The whole draft of a session's note as the editor would send it, from
/// `session_note`'s answer: every template section written, every
/// attending member's section written with a risk level. `stamp` goes into
/// every section, so two drafts of the same session differ throughout.
pub fn full_draft(note: &Value, revision: i64, stamp: &str) -> Value {
    let sections = note["template"]["sections"]
        .as_array()
        .expect("template sections");
    let written = |scope: &str| -> Vec<Value> {
        sections
            .iter()
            .filter(|s| s["scope"] == scope)
            .map(|s| json!({ "key": s["key"], "body": format!("{} ({stamp})", s["label"].as_str().unwrap_or("Section")) }))
            .collect()
    };
    let members: Vec<Value> = note["members"]
        .as_array()
        .expect("members")
        .iter()
        .filter(|m| {
            matches!(
                m["attendance"].as_str(),
                Some("present" | "late" | "leftEarly")
            )
        })
        .map(|m| {
            json!({
                "clientId": m["clientId"],
                "sections": written("member"),
                "goalRatings": [],
                "riskLevel": "none",
                "riskText": "",
            })
        })
        .collect();
    json!({
        "sessionId": note["session"]["id"],
        "revision": revision,
        "shared": written("shared"),
        "members": members,
    })
}

/// The folders the e2e hooks (src/commands/e2e_hooks.rs) put in place of
/// the native dialogs: where exports and backups are saved, which backup
/// restore opens, which logo the letterhead takes.
pub struct Dialogs {
    pub root: PathBuf,
}

/// Makes the folders and sets the hooks' variables, once per test process
/// and before any test opens a vault: every test calls this first, because
/// changing the environment while another thread reads it is a data race.
/// Two clients to import, and a row the client form refuses.
const CLIENT_LIST: &str = "First name,Last name,Date of birth\nImani,Okafor,1990-04-02\nLeif,Halvorsen,1985-11-30\nNo,,1970-01-01\n";

pub fn dialogs() -> &'static Dialogs {
    static DIALOGS: OnceLock<Dialogs> = OnceLock::new();
    DIALOGS.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("circle-shell-{}", std::process::id()));
        let dialogs = Dialogs { root };
        for dir in [dialogs.exports(), dialogs.backups()] {
            std::fs::create_dir_all(dir).expect("dialog folder");
        }
        std::fs::write(dialogs.logo(), LOGO_PNG).expect("logo");
        std::fs::write(dialogs.client_list(), CLIENT_LIST).expect("client list");
        std::env::set_var("CIRCLE_E2E_IMPORT_FILE", dialogs.client_list());
        std::env::set_var("CIRCLE_E2E_EXPORT_DIR", dialogs.exports());
        std::env::set_var("CIRCLE_E2E_BACKUP_DIR", dialogs.backups());
        std::env::set_var("CIRCLE_E2E_RESTORE_FILE", dialogs.backups());
        std::env::set_var("CIRCLE_E2E_LOGO_FILE", dialogs.logo());
        dialogs
    })
}

impl Dialogs {
    pub fn exports(&self) -> PathBuf {
        self.root.join("exports")
    }

    pub fn backups(&self) -> PathBuf {
        self.root.join("backups")
    }

    pub fn logo(&self) -> PathBuf {
        self.root.join("logo.png")
    }

    /// The client list the import's open dialog "chooses".
    pub fn client_list(&self) -> PathBuf {
        self.root.join("clients.csv")
    }

    /// Deletes the folders when the returned guard is dropped (by the one
    /// test that uses them).
    pub fn removed_on_drop(&self) -> impl Drop {
        struct Remove(PathBuf);
        impl Drop for Remove {
            fn drop(&mut self) {
                // Temp files: a folder left behind is harmless.
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
        Remove(self.root.clone())
    }
}

/// A 1×1 PNG, for the letterhead.
const LOGO_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
