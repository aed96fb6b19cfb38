//! On Unix the vault folder and its files are the user's alone: the folder
//! 0700, every file 0600, whatever the umask. (A file's contents are
//! encrypted, but its existence, size and changes are not, and a writer of
//! the folder is one of the people DESIGN.md defends against.)
//!
//! SQLite creates a database's `-wal` and `-shm` files with the database
//! file's own mode, so a database made private as soon as it is opened keeps
//! its sidecars private too; they are tightened anyway, for a vault written
//! before this rule. On other systems the per-user app-data folder's access
//! list does this job and these functions do nothing.

use std::io;
use std::path::{Path, PathBuf};

/// Mode of the vault folder.
pub const FOLDER_MODE: u32 = 0o700;
/// Mode of every file in it.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and any missing parents) readable by the user alone, or
/// makes an existing folder so.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(FOLDER_MODE)
            .create(dir)?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    restrict(dir, FOLDER_MODE)
}

/// A database file and the sidecars SQLite keeps beside it.
pub fn database_files(path: &Path) -> [PathBuf; 3] {
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_owned(), with_suffix("-wal"), with_suffix("-shm")]
}

/// Makes a database and whichever of its sidecars exist private.
pub fn restrict_database(path: &Path) -> io::Result<()> {
    for file in database_files(path) {
        match restrict(&file, FILE_MODE) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    Ok(())
}

/// Sets `path`'s permission bits to `mode` unless they already are.
#[cfg(unix)]
pub fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o7777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_folder_and_a_database_with_its_sidecars_become_private() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("a").join("vault");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), FOLDER_MODE);

        let db = dir.join("practice.db");
        for file in database_files(&db) {
            std::fs::write(&file, b"x").unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        restrict_database(&db).unwrap();
        for file in database_files(&db) {
            assert_eq!(mode(&file), FILE_MODE, "{}", file.display());
        }
    }

    #[test]
    fn an_existing_open_folder_is_closed_and_missing_sidecars_are_no_error() {
        let base = tempfile::tempdir().unwrap();
        std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(base.path()).unwrap();
        assert_eq!(mode(base.path()), FOLDER_MODE);
        let db = base.path().join("clinical.db");
        std::fs::write(&db, b"x").unwrap();
        restrict_database(&db).unwrap();
        assert_eq!(mode(&db), FILE_MODE);
    }
}
