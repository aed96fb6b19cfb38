//! "Explore a demo practice" on the first-run screen: makes the small demo
//! practice in its own folder beside the vault folder (`<vault folder>-demo`)
//! and opens it for this run only. It is never remembered for later starts,
//! so a demo can never silently become the practice's vault: the next start
//! opens the usual folder again.
//!
//! A demo already in that folder is not replaced (someone may have typed
//! into it): the command says where it is instead (see [`create_demo`]).

use std::path::{Path, PathBuf};

use circle_core::demo::{self, GenPhase, GenProgress, Scale};
use circle_core::vault::location::VaultLocation;
use circle_core::Error;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// The seed the welcome screen's demo is drawn from (any would do; one
/// seed means everyone trying Circle meets the same practice).
const SEED: u64 = 15;

/// A login of the demo practice, with its passphrase (shown on screen: it
/// is a practice of invented people, and showing them is the point).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DemoLogin {
    pub username: String,
    pub full_name: String,
    /// The role's name as the screens show it ("Front desk").
    pub role: String,
    pub passphrase: String,
}

/// The demo practice just made, now the vault Circle opens (this run only).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DemoCreated {
    pub vault_dir: String,
    pub practice_name: String,
    /// Owner first.
    pub logins: Vec<DemoLogin>,
    pub recovery_code: String,
}

/// Makes the small demo practice beside the vault folder and opens it for
/// this run, reporting progress on `on_progress`. Only before a practice is
/// set up (the vault folder holds no vault).
#[tauri::command]
#[specta::specta]
pub async fn demo_create(
    state: State<'_, AppState>,
    on_progress: Channel<GenProgress>,
) -> CommandResult<DemoCreated> {
    let state = state.inner().clone();
    state
        .blocking(move |state| {
            create_demo(&state, Scale::Small, &mut |p| {
                let _ = on_progress.send(p);
            })
        })
        .await
}

/// Where the demo for the vault folder `vault_dir` goes: beside it, with
/// `-demo` after its name.
pub fn demo_folder(vault_dir: &Path) -> PathBuf {
    let mut name = vault_dir
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "circle".into());
    name.push("-demo");
    vault_dir.with_file_name(name)
}

/// Refuses when the vault folder holds a vault (the demo is for before a
/// practice is set up) or a demo is already beside it; otherwise generates
/// the demo, marks its folder, and switches Circle to it without
/// remembering it. A demo that fails half-way is deleted when its folder
/// was new.
fn create_demo(
    state: &AppState,
    scale: Scale,
    progress: &mut dyn FnMut(GenProgress),
) -> circle_core::Result<DemoCreated> {
    let current = state.location();
    if current.vault_exists() {
        return Err(Error::Conflict {
            message: "This computer already has a practice's vault. The demo is offered only before a practice is set up.".into(),
        });
    }
    let dir = demo_folder(current.dir());
    let location = VaultLocation::at(&dir);
    if location.vault_exists() {
        return Err(Error::Conflict {
            message: format!(
                "A demo practice was made before, in {}. Its passphrases were shown then; to make a new one, delete that folder and try again.",
                dir.display()
            ),
        });
    }
    let folder_was_there = dir.exists();
    let mut last: Option<(GenPhase, u64)> = None;
    let made = demo::generate(&location, scale, SEED, &mut |p| {
        // One message per phase and whole percent is all a bar can show.
        let percent = p.done * 100 / p.total.max(1);
        if last != Some((p.phase, percent)) {
            last = Some((p.phase, percent));
            progress(p);
        }
    });
    let practice = match made {
        Ok(practice) => practice,
        Err(e) => {
            if !folder_was_there {
                // Only what this call made; the error said is the one that matters.
                let _ = std::fs::remove_dir_all(&dir);
            }
            return Err(e);
        }
    };
    demo::marker::mark(&dir)?;
    // The practice was set up meanwhile (the form stays usable while the
    // demo is made): Circle stays on it.
    if current.vault_exists() || state.location() != current {
        return Err(Error::Conflict {
            message: format!(
                "The demo practice was made in {}, but a practice was set up meanwhile, so Circle stays on it.",
                dir.display()
            ),
        });
    }
    // This run only: not `remember_for_later_starts`.
    state.set_location(location);
    Ok(DemoCreated {
        vault_dir: dir.display().to_string(),
        practice_name: practice.practice_name,
        logins: practice
            .logins
            .into_iter()
            .map(|l| DemoLogin {
                username: l.username,
                full_name: l.full_name,
                role: l.role.label().to_owned(),
                passphrase: l.passphrase.expose().to_owned(),
            })
            .collect(),
        recovery_code: practice.recovery_code.expose().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use circle_core::app_info::AppInfo;

    use super::*;

    #[test]
    fn the_demo_goes_beside_the_vault_folder() {
        assert_eq!(
            demo_folder(Path::new("/home/ana/.local/share/care.circle.desktop")),
            PathBuf::from("/home/ana/.local/share/care.circle.desktop-demo")
        );
    }

    #[test]
    fn a_demo_already_there_or_a_practice_here_is_refused_and_nothing_moves() {
        let root = tempfile::tempdir().unwrap();
        let vault = root.path().join("vault");
        let state = AppState::new(VaultLocation::at(&vault));

        // A demo made earlier is neither replaced nor opened.
        let earlier = root.path().join("vault-demo");
        std::fs::create_dir_all(&earlier).unwrap();
        std::fs::write(VaultLocation::at(&earlier).keyring_path(), "{}").unwrap();
        let refused = create_demo(&state, Scale::Small, &mut |_| {});
        assert!(
            matches!(&refused, Err(Error::Conflict { message }) if message.contains("vault-demo")),
            "{refused:?}"
        );
        assert_eq!(state.location(), VaultLocation::at(&vault));

        // With a practice's vault here, no demo is offered.
        std::fs::create_dir_all(&vault).unwrap();
        std::fs::write(VaultLocation::at(&vault).keyring_path(), "{}").unwrap();
        let refused = create_demo(&state, Scale::Small, &mut |_| {});
        assert!(
            matches!(refused, Err(Error::Conflict { .. })),
            "{refused:?}"
        );
        assert!(!AppInfo::gather(&state.location()).is_demo);
    }
}
