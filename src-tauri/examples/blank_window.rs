//! The smallest Tauri window, for `make bench-window` to weigh Circle
//! against: Circle's window showing an empty page, with no plugins, no
//! commands, no state and none of Circle's UI.
//!
//! It is built from the same workspace (the same tauri, wry and WebKitGTK)
//! and the same tauri.conf.json, so the window is Circle's own (size,
//! minimum size, centring, zoom keys, content security policy) and its page
//! comes the same way, over the `tauri://` protocol; only the page differs:
//! an empty document in place of `ui/dist`. What is left between the two is
//! what Circle itself adds.
//!
//! Like any Tauri app it can be driven by WebDriver (tauri-driver sets
//! `TAURI_WEBVIEW_AUTOMATION`), which is how the bench waits for its first
//! paint. Run: `cargo run --release -p circle --example blank_window`.

use std::borrow::Cow;

use tauri::utils::assets::{AssetKey, AssetsIter, CspHash};

/// An empty document: a page with nothing on it still costs a web process,
/// which is what a blank window is here to measure.
const BLANK_PAGE: &[u8] =
    b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Blank</title></head><body></body></html>";

/// Serves the empty page for every path, in place of the embedded `ui/dist`.
struct BlankPage;

impl<R: tauri::Runtime> tauri::Assets<R> for BlankPage {
    fn get(&self, _key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        Some(Cow::Borrowed(BLANK_PAGE))
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        Box::new(std::iter::once((
            Cow::Borrowed("/index.html"),
            Cow::Borrowed(BLANK_PAGE),
        )))
    }

    fn csp_hashes(&self, _html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        // No inline scripts or styles to allow.
        Box::new(std::iter::empty())
    }
}

fn main() {
    let mut context = tauri::generate_context!();
    context.set_assets(Box::new(BlankPage));
    let config = context.config_mut();
    // Its own identifier, so its WebKit data is not Circle's.
    config.identifier = "care.circle.blank-window".into();
    for window in &mut config.app.windows {
        window.title = "Blank window".into();
        // Circle opens its window itself (to give WebKit a data folder in
        // the vault); here Tauri opens it from the config.
        window.create = true;
    }
    tauri::Builder::default()
        .run(context)
        .expect("run the blank window");
}
