//! Nothing leaves the machine, and nothing is written outside the vault
//! folder and the files a person chose (issue 16, suite 5).
//!
//! One whole flow in the real window — sign in, book a seat, write a note
//! in the editor until it says Saved, sign it, export the session packet,
//! choose the week's span on the schedule, lock — with Circle started under
//! `strace -f` (the app and every process it starts: WebKit's web and
//! network processes, anything they run), and `circle-admin`'s set-up under
//! the same trace. Then the trace is read:
//!
//! - **Sockets.** Every socket created and every address connected to,
//!   bound, listened on, accepted from or sent to is listed. The test fails
//!   on an internet socket (`AF_INET`/`AF_INET6`) with any address but the
//!   one WebDriver's harness gave WebKit (`WEBKIT_INSPECTOR_SERVER`, on
//!   127.0.0.1), and on any family but `AF_UNIX` (local IPC, X11, D-Bus),
//!   `AF_NETLINK` (see below) and those. `AF_NETLINK` is allowed and listed:
//!   it is a channel to this machine's own kernel (GLib's network monitor in
//!   WebKit's network process asks for the routing table and listens for
//!   its changes), it has no address off the machine and carries nothing of
//!   Circle's.
//! - **Writes.** Every path opened for writing, created, renamed, linked,
//!   truncated, removed or bound as a socket file, by any of those
//!   processes, successfully. Each must be in the vault folder (which holds
//!   WebKit's own data too: `webview/`, see `open_main_window` in
//!   src-tauri/src/lib.rs), in the folder the exports were saved to (the
//!   save dialog's choice), or one of the few places listed in
//!   [`OUTSIDE_ALLOWED`] with the reason each remains.
//!
//! The app runs with a fresh `HOME`, so anything it would put in a person's
//! home folder on a first start is created under the trace and seen. The
//! flow ends by locking the vault; what the processes do after the window
//! is closed (the harness ends them, strace with them) is not traced.
//! `strace` must be installed (Debian: `strace`; `make test` installs it).

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use circle_e2e::harness::{admin_binary, app_binary};
use circle_e2e::practice::{self, OneSession};
use circle_e2e::{App, AppOptions};

const OWNER_PASS: &str = "quiet lantern orchard tide";

/// The system calls traced: sockets, and every call that makes, changes or
/// removes a name in the file system, plus what starts a program, and
/// io_uring's set-up (its queued connects and opens would not pass through
/// these calls: the test fails if any process sets one up).
const TRACED: &str = "socket,connect,bind,listen,accept,accept4,sendto,sendmsg,sendmmsg,\
openat,openat2,open,creat,rename,renameat,renameat2,mkdir,mkdirat,mknod,mknodat,\
unlink,unlinkat,rmdir,link,linkat,symlink,symlinkat,truncate,chdir,fchdir,execve,io_uring_setup";

/// Written paths outside the vault and the chosen folder that are allowed,
/// each with why it remains: a path ending in `/` allows that folder and
/// everything in it, any other only itself.
const OUTSIDE_ALLOWED: &[(&str, &str)] = &[
    (
        "/dev/null",
        "the null device: output thrown away, nothing stored",
    ),
    (
        "/dev/dri/",
        "the GPU's device nodes, opened read-write to draw; no file",
    ),
    (
        "/proc/",
        "a process's kernel settings (its OOM score, say); no file on disk",
    ),
    (
        "<fresh HOME>/.cache",
        "an empty folder GLib makes as its stand-in for XDG_RUNTIME_DIR when \
         that is not set (a desktop session sets it; this harness does not), \
         while looking for the D-Bus session bus; nothing is put in it",
    ),
    (
        "~/.cache/mesa_shader_cache/",
        "Mesa's (the OpenGL driver's) shader cache: the GPU programs WebKit's \
         compositor compiled, shared by every OpenGL program of this user; no \
         data of Circle's. Mesa finds it through the password database, not \
         HOME; only MESA_SHADER_CACHE_DISABLE in the environment turns it off, \
         at the cost of compiling the shaders again at every start",
    ),
];

/// One finished system call from the trace.
#[derive(Debug, Clone, PartialEq)]
struct Call {
    tid: u32,
    /// The thread's name (`comm`), which names its program for WebKit's
    /// processes and threads (`WebKitWebProces`, `pool-circle`, …).
    comm: String,
    name: String,
    /// The arguments, split at the top level.
    args: Vec<String>,
    /// The return value (negative: failed), its error's name, and what
    /// `-y` says the returned descriptor names.
    result: i64,
    error: Option<String>,
    result_path: Option<String>,
}

/// Reads a trace written by `strace -f -Y -yy -o`, joining calls that other
/// threads interrupted (`<unfinished ...>` and `<... name resumed>`).
fn read_trace(text: &str) -> Vec<Call> {
    let mut pending: BTreeMap<u32, String> = BTreeMap::new();
    let mut calls = Vec::new();
    for line in text.lines() {
        let Some((tid, comm, rest)) = split_prefix(line) else {
            continue;
        };
        if let Some(head) = rest.strip_suffix("<unfinished ...>") {
            pending.insert(tid, head.trim_end().to_owned());
            continue;
        }
        let whole = match rest.strip_prefix("<... ") {
            Some(resumed) => {
                let Some(tail) = resumed.split_once(" resumed>").map(|(_, t)| t) else {
                    continue;
                };
                let Some(head) = pending.remove(&tid) else {
                    continue;
                };
                // The head ends where the call was cut off; the tail goes on
                // from there (", more args) = result" or ") = result").
                format!("{head}{tail}")
            }
            None => rest.to_owned(),
        };
        if let Some(call) = parse_call(tid, comm, &whole) {
            calls.push(call);
        }
    }
    calls
}

/// `12345<comm> rest` → (12345, comm, rest).
fn split_prefix(line: &str) -> Option<(u32, &str, &str)> {
    let digits = line.find(|c: char| !c.is_ascii_digit())?;
    let tid = line[..digits].parse().ok()?;
    let rest = line[digits..].strip_prefix('<')?;
    let close = rest.find("> ")?;
    Some((tid, &rest[..close], &rest[close + 2..]))
}

/// `name(args) = result` → a [`Call`]; `None` for anything else (exits,
/// signals, calls that never returned).
fn parse_call(tid: u32, comm: &str, text: &str) -> Option<Call> {
    let open = text.find('(')?;
    let name = &text[..open];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    // The result is the last " = ": strings in the arguments are quoted and
    // come before it.
    let eq = text.rfind(") = ")?;
    let inner = &text[open + 1..eq];
    let result_text = text[eq + 4..].trim();
    let number_end = result_text
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(result_text.len());
    let result: i64 = result_text[..number_end].parse().ok()?;
    let after = &result_text[number_end..];
    let error = (result < 0)
        .then(|| after.split_whitespace().next().map(str::to_owned))
        .flatten();
    // `3</path>`, or `3</dev/null<char 1:3>>` for a device.
    let result_path = after
        .strip_prefix('<')
        .map(|p| p.split('<').next().unwrap_or(p).trim_end_matches('>'))
        .map(str::to_owned);
    Some(Call {
        tid,
        comm: comm.to_owned(),
        name: name.to_owned(),
        args: split_args(inner),
        result,
        error,
        result_path,
    })
}

/// Splits at the commas that separate arguments: not inside quotes, braces,
/// brackets, parentheses or `-y`'s `<…>` annotations.
fn split_args(inner: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let (mut depth, mut quoted, mut escaped) = (0i32, false, false);
    let mut previous = ' ';
    for c in inner.chars() {
        let after = std::mem::replace(&mut previous, c);
        if quoted {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '{' | '[' | '(' | '<' => depth += 1,
            // "a->b" in `-yy`'s socket annotations closes nothing.
            '>' if after == '-' => {}
            '}' | ']' | ')' | '>' => depth -= 1,
            ',' if depth == 0 => {
                args.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_owned());
    }
    args
}

/// The text of a quoted strace string (`"…"`, escapes undone).
fn unquote(arg: &str) -> Option<String> {
    let body = arg.strip_prefix('"')?;
    let body = body.strip_suffix("\"...").unwrap_or(body);
    let body = body.strip_suffix('"').unwrap_or(body);
    let mut bytes = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => bytes.push(b'\n'),
            Some('t') => bytes.push(b'\t'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                bytes.push(u8::from_str_radix(&hex, 16).ok()?);
            }
            Some(d) if d.is_digit(8) => {
                let mut octal = d.to_string();
                while octal.len() < 3 && chars.peek().is_some_and(|c| c.is_digit(8)) {
                    octal.push(chars.next()?);
                }
                bytes.push(u8::from_str_radix(&octal, 8).ok()?);
            }
            Some(other) => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
            None => bytes.push(b'\\'),
        }
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The folder `-y` annotated a directory descriptor with
/// (`AT_FDCWD</here>`, `18</there>`).
fn fd_dir(arg: &str) -> Option<&str> {
    let start = arg.find('<')?;
    arg[start + 1..].strip_suffix('>')
}

/// Where a path argument points: absolute as given, else under the
/// directory descriptor's folder, else under the process's working folder.
fn resolve(dir: Option<&str>, path: &str, cwd: &Path) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match dir {
        Some(dir) => Path::new(dir).join(path),
        None => cwd.join(path),
    }
}

/// What a call did to the file system, if it changed it: (verb, path).
fn changes(call: &Call, cwd: &Path) -> Vec<(&'static str, PathBuf)> {
    if call.result < 0 {
        return Vec::new();
    }
    let a = |i: usize| call.args.get(i).map(String::as_str).unwrap_or("");
    let path_at =
        |dir: usize, path: usize| unquote(a(path)).map(|p| resolve(fd_dir(a(dir)), &p, cwd));
    let path = |i: usize| unquote(a(i)).map(|p| resolve(None, &p, cwd));
    let writes = |flags: &str| {
        [
            "O_WRONLY",
            "O_RDWR",
            "O_CREAT",
            "O_TRUNC",
            "O_APPEND",
            "O_TMPFILE",
        ]
        .iter()
        .any(|f| flags.contains(f))
    };
    let opened = |fallback: Option<PathBuf>| {
        call.result_path
            .as_deref()
            .map(|p| PathBuf::from(p.trim_end_matches(" (deleted)")))
            .or(fallback)
    };
    let found: Vec<(&'static str, Option<PathBuf>)> = match call.name.as_str() {
        "openat" | "openat2" if writes(a(2)) => vec![("open for writing", opened(path_at(0, 1)))],
        "open" if writes(a(1)) => vec![("open for writing", opened(path(0)))],
        "creat" => vec![("create", opened(path(0)))],
        "mkdir" => vec![("make folder", path(0))],
        "mkdirat" => vec![("make folder", path_at(0, 1))],
        "mknod" => vec![("make node", path(0))],
        "mknodat" => vec![("make node", path_at(0, 1))],
        "unlink" => vec![("remove", path(0))],
        "unlinkat" => vec![("remove", path_at(0, 1))],
        "rmdir" => vec![("remove folder", path(0))],
        "truncate" => vec![("truncate", path(0))],
        "rename" => vec![("rename from", path(0)), ("rename to", path(1))],
        "renameat" | "renameat2" => {
            vec![("rename from", path_at(0, 1)), ("rename to", path_at(2, 3))]
        }
        "link" | "symlink" => vec![("link", path(1))],
        "linkat" => vec![("link", path_at(2, 3))],
        "symlinkat" => vec![("link", path_at(1, 2))],
        "bind" => match unix_socket_path(a(1)) {
            Some(p) => vec![("socket file", Some(resolve(None, &p, cwd)))],
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    found
        .into_iter()
        .map(|(verb, p)| {
            (
                verb,
                p.unwrap_or_else(|| PathBuf::from(format!("<unreadable: {}>", call.name))),
            )
        })
        .collect()
}

/// A bound `AF_UNIX` address that names a file (not an abstract one, `@…`).
fn unix_socket_path(address: &str) -> Option<String> {
    let start = address.find("sun_path=\"")? + "sun_path=".len();
    let end = address[start + 1..].find('"')? + start + 2;
    unquote(&address[start..end])
}

/// An address in a socket call (`{sa_family=AF_INET, …}`) or what `-yy`
/// says a socket descriptor is connected to (`12<TCP:[a:p->b:q]>`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Endpoint {
    family: String,
    address: String,
}

/// The internet endpoints a call names: in its address argument and in
/// `-yy`'s annotations of its socket descriptors (which show the far end of
/// a connected socket that `sendto`/`sendmsg` name no address for, and the
/// local end a `listen` bound).
fn endpoints(call: &Call) -> Vec<Endpoint> {
    let mut found = Vec::new();
    for arg in &call.args {
        if let Some(rest) = arg.split("sa_family=").nth(1) {
            let family = rest.split([',', '}']).next().unwrap_or("").to_owned();
            let address = match family.as_str() {
                "AF_INET" => {
                    let ip = between(arg, "inet_addr(\"", "\")").unwrap_or("?");
                    let port = between(arg, "htons(", ")").unwrap_or("?");
                    format!("{ip}:{port}")
                }
                "AF_INET6" => {
                    let ip = between(arg, "AF_INET6, \"", "\"").unwrap_or("?");
                    let port = between(arg, "htons(", ")").unwrap_or("?");
                    format!("[{ip}]:{port}")
                }
                "AF_UNIX" => unix_socket_path(arg)
                    .or_else(|| between(arg, "sun_path=@\"", "\"").map(|p| format!("@{p}")))
                    .unwrap_or_else(|| "(unnamed)".into()),
                // To the kernel (nl_pid=0), and the route-change groups
                // it joined (0x440: IPv4 and IPv6 routes).
                "AF_NETLINK" => format!(
                    "kernel, groups {}",
                    between(arg, "nl_groups=", "}").unwrap_or("?")
                ),
                _ => arg.clone(),
            };
            found.push(Endpoint { family, address });
        }
        for kind in ["TCP", "UDP", "TCPv6", "UDPv6"] {
            // An unconnected, unbound socket shows only its inode number.
            if let Some(ends) =
                between(arg, &format!("<{kind}:["), "]>").filter(|ends| ends.contains(':'))
            {
                found.push(Endpoint {
                    family: if kind.ends_with("v6") {
                        "AF_INET6".into()
                    } else {
                        "AF_INET".into()
                    },
                    address: ends.to_owned(),
                });
            }
        }
    }
    found
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// Whether an internet endpoint is the WebDriver harness's: every address
/// in it (`a:p` or `a:p->b:q`) is `allowed`, or an unbound local end of a
/// connection to it (`127.0.0.1:<any>` on loopback).
fn is_harness(endpoint: &Endpoint, allowed: &str) -> bool {
    endpoint
        .address
        .split("->")
        .all(|end| end == allowed || end.starts_with("127.0.0.1:"))
        && endpoint.address.contains(allowed)
}

/// The wrapper WebKitWebDriver starts in place of the app: the real binary
/// under strace, with a fresh HOME; it writes the inspector address it was
/// given (the harness's WebDriver channel) beside the trace.
fn write_wrapper(work: &Path, real: &Path, trace: &Path, home: &Path) -> PathBuf {
    let wrapper = work.join("circle-under-strace");
    let script = format!(
        "#!/bin/sh\n\
         # Issue 16, suite 5: the app and every process it starts, traced.\n\
         printf '%s' \"$WEBKIT_INSPECTOR_SERVER\" > '{inspector}'\n\
         pwd > '{cwd}'\n\
         exec env HOME='{home}' strace -f -qq -Y -yy --seccomp-bpf -s 4096 -e signal=none \\\n\
           -e trace={TRACED} -o '{trace}' -- '{real}' \"$@\"\n",
        inspector = work.join("inspector").display(),
        cwd = work.join("cwd").display(),
        home = home.display(),
        trace = trace.display(),
        real = real.display(),
    );
    std::fs::write(&wrapper, script).expect("write the strace wrapper");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
        .expect("make the wrapper executable");
    wrapper
}

/// `circle-admin --vault DIR args…` under the same trace (its own file).
fn traced_admin(vault: &Path, trace: &Path, home: &Path, args: &[&str], passphrase: &str) {
    let out = Command::new("strace")
        .args(["-f", "-qq", "-Y", "-yy", "-s", "4096", "-e", "signal=none"])
        .arg(format!("-etrace={TRACED}"))
        .arg("-o")
        .arg(trace)
        .arg("--")
        .arg(admin_binary())
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("HOME", home)
        .env("CIRCLE_PASSPHRASE", passphrase)
        .output()
        .expect("run strace (apt-get install strace; make test installs it)");
    assert!(
        out.status.success(),
        "circle-admin {args:?} under strace failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Waits for the export dialog to say it saved the file (typesetting in a
/// debug build under strace can outlast one UI wait).
async fn wait_exported(app: &App) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        if app.count("[data-testid=export-saved]").await == 1 {
            return app.text_of("[data-testid=export-saved]").await;
        }
        if std::time::Instant::now() > deadline {
            let shot = app.screenshot_as("no-socket-export-failed").await;
            panic!("the export never finished; the window: {}", shot.display());
        }
        app.next_frames().await;
    }
}

/// The flow the trace covers: returns once the vault is locked.
async fn flow(app: &App) {
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    // A group, a member booked into her seat, yesterday's session.
    let OneSession { session, client } = practice::one_session(app).await;

    // The note, in the editor, as a person writes it.
    app.open_note_from_today(session).await;
    app.choose_by_testid(&format!("attendance-status-{client}"), "present")
        .await;
    app.click(&format!("attendance-save-{client}")).await;
    app.by_testid(&format!("member-{client}-participation"))
        .await;
    app.type_into("shared-topic", "Sleep routines and the evening wind-down.")
        .await;
    app.type_into("shared-interventions", "Grounding, then a round of plans.")
        .await;
    for (section, text) in [
        ("participation", "Spoke first in the round."),
        ("response", "Tried the grounding twice."),
        ("plan", "Keep a sleep diary this week."),
    ] {
        app.type_into(&format!("member-{client}-{section}"), text)
            .await;
    }
    app.choose_by_testid(&format!("member-{client}-risk-level"), "none")
        .await;
    app.wait_for_text("save-status", "Saved").await;
    app.click("note-sign").await;
    app.click("note-sign-confirm").await;
    app.wait_for_text("note-status", "Signed").await;

    // The session packet, to the folder "chosen" in the save dialog.
    app.click("export-packet").await;
    app.wait_for_text("export-dialog", "session packet").await;
    app.click("export-start").await;
    let saved = wait_exported(app).await;
    assert!(saved.starts_with("Saved session-"), "{saved}");
    app.click("export-close").await;

    // The schedule remembers the week's span in the page's local storage.
    app.click("nav-schedule").await;
    app.click("span-5").await;
    app.click("span-7").await;
    app.lock().await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb, tauri-driver and strace; `make test` runs it with --ignored"]
async fn nothing_leaves_the_machine_and_nothing_is_written_outside_the_vault() {
    let work = tempfile::Builder::new()
        .prefix("circle-no-socket-")
        .tempdir()
        .unwrap();
    let vault = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let app_trace = work.path().join("app.trace");
    let admin_trace = work.path().join("admin.trace");

    traced_admin(
        vault.path(),
        &admin_trace,
        &home,
        &[
            "init",
            "--practice",
            "Harbour Light Counselling",
            "--owner",
            "dana",
            "--name",
            "Dana Reyes",
            "--timezone",
            "Europe/London",
        ],
        OWNER_PASS,
    );
    let wrapper = write_wrapper(work.path(), &app_binary(), &app_trace, &home);
    let app = App::launch(
        "no-socket",
        AppOptions {
            vault_dir: Some(vault.path().to_path_buf()),
            export_dir: Some(exports.path().to_path_buf()),
            app_binary: Some(wrapper),
            ..Default::default()
        },
    )
    .await;
    flow(&app).await;
    app.finish().await;

    let inspector = std::fs::read_to_string(work.path().join("inspector")).unwrap();
    assert!(
        inspector.starts_with("127.0.0.1:"),
        "WebDriver's channel to WebKit should be on loopback: {inspector:?}"
    );
    let cwd = PathBuf::from(
        std::fs::read_to_string(work.path().join("cwd"))
            .unwrap()
            .trim_end(),
    );
    let mut calls = read_trace(&std::fs::read_to_string(&app_trace).expect("the app's trace"));
    let app_calls = calls.len();
    calls.extend(read_trace(
        &std::fs::read_to_string(&admin_trace).expect("circle-admin's trace"),
    ));
    assert!(
        calls.iter().any(|c| c.name == "openat"),
        "the trace holds no file calls: is strace working?"
    );
    println!(
        "no-socket: {} system calls traced ({} from the app and its processes, {} from circle-admin)",
        calls.len(),
        app_calls,
        calls.len() - app_calls
    );

    // A relative path is placed under the folder the app started in: no
    // process may have moved from it.
    let moved: Vec<&Call> = calls
        .iter()
        .filter(|c| (c.name == "chdir" || c.name == "fchdir") && c.result == 0)
        .collect();
    assert!(
        moved.is_empty(),
        "a process changed its working folder, so relative paths cannot be placed: {moved:?}"
    );
    let rings: Vec<&Call> = calls
        .iter()
        .filter(|c| c.name == "io_uring_setup" && c.result >= 0)
        .collect();
    assert!(
        rings.is_empty(),
        "an io_uring was set up, whose sockets and files this trace cannot see: {rings:?}"
    );

    // Programs started, and those looked for and not found.
    let programs = |started: bool| -> BTreeSet<String> {
        calls
            .iter()
            .filter(|c| c.name == "execve" && (c.result == 0) == started)
            .filter_map(|c| unquote(&c.args[0]))
            .collect()
    };
    println!("no-socket: programs started: {:?}", programs(true));
    println!(
        "no-socket: programs looked for and not found: {:?}",
        programs(false)
    );

    // Sockets: families created, and every address named.
    let mut families: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for call in calls.iter().filter(|c| c.name == "socket" && c.result >= 0) {
        let kind = format!(
            "{} {}",
            call.args[1].split('|').next().unwrap_or(""),
            call.args.get(2).map(String::as_str).unwrap_or("")
        );
        families
            .entry(call.args[0].clone())
            .or_default()
            .insert(format!("{kind} by {}", call.comm));
    }
    let mut named: BTreeMap<Endpoint, BTreeSet<String>> = BTreeMap::new();
    for call in calls.iter().filter(|c| {
        matches!(
            c.name.as_str(),
            "connect"
                | "bind"
                | "listen"
                | "accept"
                | "accept4"
                | "sendto"
                | "sendmsg"
                | "sendmmsg"
        )
    }) {
        for endpoint in endpoints(call) {
            let outcome = match &call.error {
                Some(error) => format!(" ({error})"),
                None => String::new(),
            };
            named
                .entry(endpoint)
                .or_default()
                .insert(format!("{}{outcome} by {}", call.name, call.comm));
        }
    }
    println!("no-socket: socket families created:");
    for (family, uses) in &families {
        println!("  {family}: {}", join(uses));
    }
    println!("no-socket: addresses connected to, bound, listened on, accepted or sent to:");
    for (endpoint, uses) in &named {
        println!("  {} {}: {}", endpoint.family, endpoint.address, join(uses));
    }
    let unexpected_families: Vec<&String> = families
        .keys()
        .filter(|f| !["AF_UNIX", "AF_NETLINK", "AF_INET", "AF_INET6"].contains(&f.as_str()))
        .collect();
    assert!(
        unexpected_families.is_empty(),
        "sockets of an unexpected family: {unexpected_families:?}"
    );
    let internet: Vec<&Endpoint> = named
        .keys()
        .filter(|e| e.family == "AF_INET" || e.family == "AF_INET6")
        .filter(|e| !is_harness(e, &inspector))
        .collect();
    assert!(
        internet.is_empty(),
        "an internet address other than the WebDriver harness's ({inspector}): {internet:?}"
    );

    // Writes: every path changed, grouped by where it is.
    let vault_dir = vault.path().canonicalize().unwrap();
    let export_dir = exports.path().canonicalize().unwrap();
    let home_dir = home.canonicalize().unwrap();
    let user_home = passwd_home();
    let shown = |p: &Path| -> String {
        for (root, label) in [
            (&vault_dir, "<vault>"),
            (&export_dir, "<chosen folder>"),
            (&home_dir, "<fresh HOME>"),
        ] {
            if let Ok(rest) = p.strip_prefix(root) {
                return format!("{label}/{}", rest.display());
            }
        }
        if let Some(rest) = user_home.as_deref().and_then(|h| p.strip_prefix(h).ok()) {
            return format!("~/{}", rest.display());
        }
        p.display().to_string()
    };
    let mut written: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut outside: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut remaining: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for call in &calls {
        for (verb, path) in changes(call, &cwd) {
            let real = real_path(&path);
            let label = shown(&real);
            written
                .entry(label.clone())
                .or_default()
                .insert(format!("{verb} by {}", call.comm));
            if real.starts_with(&vault_dir) || real.starts_with(&export_dir) {
                continue;
            }
            match OUTSIDE_ALLOWED
                .iter()
                .find(|(place, _)| allowed_by(place, &label))
            {
                Some((prefix, _)) => {
                    remaining.entry(prefix).or_default().insert(label);
                }
                None => {
                    outside
                        .entry(label)
                        .or_default()
                        .insert(format!("{verb} by {}", call.comm));
                }
            }
        }
    }
    let inside = written
        .keys()
        .filter(|p| p.starts_with("<vault>") || p.starts_with("<chosen folder>"))
        .count();
    println!(
        "no-socket: {} paths written ({inside} in the vault folder or the chosen folder):",
        written.len()
    );
    for (path, how) in &written {
        println!("  {path}: {}", join(how));
    }
    println!("no-socket: written outside them, and why each remains:");
    for (prefix, reason) in OUTSIDE_ALLOWED {
        if let Some(paths) = remaining.get(prefix) {
            println!("  {prefix} ({} paths): {reason}", paths.len());
        }
    }
    let webkit = written
        .keys()
        .filter(|p| p.starts_with("<vault>/webview/"))
        .count();
    println!("no-socket: WebKit's own data, in the vault folder's webview/: {webkit} paths");
    assert!(
        outside.is_empty(),
        "written outside the vault folder and the chosen folder: {outside:#?}"
    );
    assert!(
        written
            .keys()
            .any(|p| p.starts_with("<chosen folder>/session-")),
        "the exported packet should be among the paths written: {written:#?}"
    );
    drop(work);
}

fn allowed_by(place: &str, label: &str) -> bool {
    match place.strip_suffix('/') {
        Some(folder) => label == folder || label.starts_with(place),
        None => label == place,
    }
}

/// The path with its folder's symbolic links resolved (temp folders may sit
/// behind one), keeping a last part that no longer exists.
fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => real_path(parent).join(name),
        _ => path.to_path_buf(),
    }
}

/// This user's home folder as the password database has it (where Mesa
/// puts its cache whatever HOME says).
fn passwd_home() -> Option<PathBuf> {
    // SAFETY: getpwuid returns a pointer into static storage (or null),
    // read at once on this one thread before any other call could reuse it.
    unsafe {
        let entry = libc::getpwuid(libc::getuid());
        if entry.is_null() || (*entry).pw_dir.is_null() {
            return None;
        }
        let dir = std::ffi::CStr::from_ptr((*entry).pw_dir);
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(dir.to_bytes())))
    }
}

fn join(items: &BTreeSet<String>) -> String {
    items.iter().cloned().collect::<Vec<_>>().join(", ")
}

#[test]
fn the_trace_reader_joins_interrupted_calls_and_finds_writes_and_addresses() {
    let trace = "\
101<circle> openat(AT_FDCWD</work>, \"/v/practice.db-wal\", O_RDWR|O_CREAT|O_CLOEXEC, 0644 <unfinished ...>
102<pool-circle> openat(AT_FDCWD</work>, \"/etc/hosts\", O_RDONLY|O_CLOEXEC) = 7</etc/hosts>
101<circle> <... openat resumed>) = 12</v/practice.db-wal>
103<persistent> unlinkat(18</v/webview/storage/x>, \"origin\", 0) = 0
104<WebKitNetworkPr> connect(5<TCP:[0]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"93.184.216.34\")}, 16) = -1 EINPROGRESS (Operation now in progress)
105<circle> sendmsg(14<TCP:[127.0.0.1:46433->127.0.0.1:51234]>, {msg_name=NULL}, 0) = 25
106<circle> mkdir(\"logs\", 0777) = 0
107<circle> bind(3<UNIX:[1]>, {sa_family=AF_UNIX, sun_path=\"/tmp/s\"}, 110) = 0
108<circle> +++ exited with 0 +++
";
    let calls = read_trace(trace);
    assert_eq!(calls.len(), 7, "{calls:#?}");
    let cwd = Path::new("/work");
    let all: Vec<(&str, PathBuf)> = calls.iter().flat_map(|c| changes(c, cwd)).collect();
    assert_eq!(
        all,
        vec![
            ("open for writing", PathBuf::from("/v/practice.db-wal")),
            ("remove", PathBuf::from("/v/webview/storage/x/origin")),
            ("make folder", PathBuf::from("/work/logs")),
            ("socket file", PathBuf::from("/tmp/s")),
        ]
    );
    let web = endpoints(&calls[3]);
    assert_eq!(web.len(), 1, "{web:?}");
    assert_eq!(web[0].address, "93.184.216.34:443");
    assert!(!is_harness(&web[0], "127.0.0.1:46433"));
    let harness = endpoints(&calls[4]);
    assert_eq!(harness[0].address, "127.0.0.1:46433->127.0.0.1:51234");
    assert!(is_harness(&harness[0], "127.0.0.1:46433"));
}
