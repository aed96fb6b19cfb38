//! Writing the generated TypeScript bindings (`ui/src/lib/api/bindings.ts`).

use std::path::PathBuf;

/// Where the committed bindings live, relative to this crate.
pub fn bindings_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/api/bindings.ts")
}

/// The exporter settings used for the committed file.
pub fn typescript() -> specta_typescript::Typescript {
    specta_typescript::Typescript::default()
}

/// Renders the bindings to `path`.
pub fn export_to(path: &std::path::Path) -> Result<(), String> {
    crate::commands::specta_builder()
        .export(typescript(), path)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when a command's Rust signature or type changed without the
    /// committed bindings being regenerated. `CIRCLE_WRITE_BINDINGS=1`
    /// (what `make bindings` sets) rewrites the file instead.
    #[test]
    fn committed_bindings_match_the_rust_commands() {
        let committed_path = bindings_path();
        if std::env::var_os("CIRCLE_WRITE_BINDINGS").is_some() {
            export_to(&committed_path).expect("write bindings");
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let fresh_path = dir.path().join("bindings.ts");
        export_to(&fresh_path).expect("export bindings");
        let fresh = std::fs::read_to_string(&fresh_path).expect("read fresh bindings");
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        assert!(
            fresh == committed,
            "ui/src/lib/api/bindings.ts is out of date with the Rust commands. Run `make bindings` and commit the result."
        );
    }

    /// Each command in the builder must be declared in build.rs, or the
    /// capability file could not grant it and the window could not call it.
    #[test]
    fn every_command_is_declared_in_build_rs() {
        let build_rs = include_str!("../build.rs");
        let fresh = {
            let dir = tempfile::tempdir().expect("temp dir");
            let p = dir.path().join("b.ts");
            export_to(&p).expect("export");
            std::fs::read_to_string(p).expect("read")
        };
        let capabilities = include_str!("../capabilities/main.json");
        for name in crate::commands::command_names(&fresh) {
            assert!(
                build_rs.contains(&format!("\"{name}\"")),
                "command {name} is not in build.rs APP_COMMANDS"
            );
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capabilities.contains(&permission),
                "capabilities/main.json does not grant {permission}"
            );
        }
    }
}
