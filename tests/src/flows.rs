//! Steps every end-to-end test takes the same way: signing in, choosing
//! one's own passphrase at a first sign-in, locking, and calling a command
//! directly for bulk set-up.

use serde_json::Value;

use crate::harness::App;

impl App {
    /// Signs in on the unlock screen (does not wait for what comes next).
    pub async fn sign_in(&self, username: &str, passphrase: &str) {
        self.by_testid("unlock-submit").await;
        self.fill("username", username).await;
        self.fill("passphrase", passphrase).await;
        self.click("unlock-submit").await;
    }

    /// A first sign-in with the passphrase someone else chose, then choosing
    /// `own` on the forced-change screen; returns once Today shows.
    pub async fn first_sign_in(&self, username: &str, chosen_for_them: &str, own: &str) {
        self.sign_in(username, chosen_for_them).await;
        self.by_testid("change-passphrase-submit").await;
        self.fill("currentPassphrase", chosen_for_them).await;
        self.fill("newPassphrase", own).await;
        self.fill("newPassphraseConfirm", own).await;
        // The strength verdict first, so nothing moves as the click lands.
        self.wait_for_text("strength-meter", "Strong enough").await;
        self.click("change-passphrase-submit").await;
        self.by_testid("home-heading").await;
    }

    /// The Lock button; returns once the unlock screen shows.
    pub async fn lock(&self) {
        self.click("lock-button").await;
        self.by_testid("unlock-submit").await;
    }

    /// Calls a command that must succeed (set-up), failing the test otherwise.
    pub async fn call(&self, command: &str, args: Value) -> Value {
        self.invoke(command, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{command} {args} failed: {e}"))
    }
    /// Resizes the window and returns once the page has laid out at the new
    /// width.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resizing the window to {width}×{height}: {e}"));
        let deadline = std::time::Instant::now() + crate::harness::UI_WAIT;
        loop {
            let seen = self
                .script("return [window.innerWidth, window.innerHeight];")
                .await;
            if seen[0].as_u64() == Some(u64::from(width)) {
                println!("window {width}×{height}: the page is {seen}");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the page never became {width} wide: {seen}"
            );
            self.next_frames().await;
        }
    }
}
