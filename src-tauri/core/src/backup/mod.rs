//! Backups that restore: one `.circlebackup` file per backup (see
//! DESIGN.md, "Backups"), written now or once a day into a folder the
//! practice chose, the newest N kept; restore checks every part and the
//! manifest's MAC before it touches anything.
//!
//! - [`archive`]: the file itself (a tar of fixed parts).
//! - [`manifest`]: what a backup holds, its parts' SHA-256, its MAC.
//! - [`snapshot`]: consistent copies of the live databases.
//! - [`create`]: gathering under the lock, writing without it, pruning.
//! - [`schedule`]: the folder, how many are kept, the status and warning.
//! - [`outcome`]: how a backup ended, and recording it.
//! - [`restore`]: inspect and restore.

pub mod archive;
pub mod create;
pub mod manifest;
pub mod outcome;
pub mod restore;
pub mod schedule;
mod snapshot;

pub use create::{prepare, prepare_scheduled, BackupProgress, BackupStage, PreparedBackup};
pub use outcome::{record, Finished};
pub use restore::{inspect, restore, BackupSummary, Credential, Restored, Target};
pub use schedule::{set_folder, set_keep, status, BackupFailure, BackupRun, BackupStatus};
