//! The file that says a vault folder holds a demo practice, so every screen
//! can say so (and nobody types real clients into it). Written by whoever
//! calls [`super::generate`] (the `circle-admin demo` command and the
//! welcome screen's "Explore a demo practice"), after the practice is made.

use std::path::Path;

/// The marker's name inside the vault folder.
pub const FILE: &str = "demo-practice";

const TEXT: &str = "This folder holds a demo practice made by Circle: \
every person in it is invented. Do not enter real clients into it.\n";

/// Marks `dir` as holding a demo practice.
pub fn mark(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(FILE), TEXT)
}

/// Whether `dir` was marked as holding a demo practice.
pub fn is_marked(dir: &Path) -> bool {
    dir.join(FILE).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_a_demo_only_once_marked() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_marked(dir.path()));
        mark(dir.path()).unwrap();
        assert!(is_marked(dir.path()));
    }
}
