// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(message) = circle_lib::run() {
        eprintln!("{message}");
        std::process::exit(1);
    }
}
