/**
 * What the window knows about who is signed in, and which screen shows.
 *
 * One store for the whole UI. Rust decides; this only mirrors it:
 * `start()` asks Rust for the app facts and who is signed in, and listens
 * for the vault locking. `clearAll()` drops every piece of data the UI holds
 * (the sign-in, a recovery code on screen, the chosen screen, and anything
 * registered with `onClear`) so nothing of the practice stays in the window
 * once it is locked. Locking remembers only who was signed in (their name
 * and username, for the unlock screen to offer) and which screen they were
 * on, reopened when that same person unlocks.
 */
import {
  ApiError,
  commands,
  errorMessage,
  onVaultLocked,
  unwrap,
  type AppInfo,
  type Capability,
  type LockReason,
  type SignedInInfo,
  type SetupOutcome,
} from './api';

const CLINICAL: readonly Capability[] = ['readWriteNotes', 'sign', 'coSign'];

/** Whether `person` may use `capability` (see `SignInStore.can`). */
export function mayUse(person: SignedInInfo | null, capability: Capability): boolean {
  if (person === null || !person.capabilities.includes(capability)) return false;
  return !CLINICAL.includes(capability) || person.hasClinicalAccess;
}

/** The screens inside the shell. Only screens that exist are listed. */
export type Screen =
  | 'home'
  | 'today'
  | 'schedule'
  | 'groups'
  | 'clients'
  | 'staff'
  | 'audit'
  | 'settings'
  | 'account'
  /** One group session: attendance and the note (opened with `sessionId`). */
  | 'session'
  /** Search across the notes this person may read. */
  | 'notes';

/** What to open on arrival: a particular client, group or day. */
export interface Target {
  clientId?: number;
  groupId?: number;
  sessionId?: number;
  /** "YYYY-MM-DD" in the practice's zone. */
  date?: string;
  /** A part of the screen to show first (Settings → Backups). */
  section?: 'backups';
}

/** The one thing the window shows, derived from what Rust said. */
export type View =
  | 'starting'
  | 'failed'
  | 'setup'
  | 'unlock'
  | 'recoveryCode'
  | 'changePassphrase'
  | 'shell';

/** Who was signed in when Circle locked: offered first on the unlock screen. */
export interface PreviousSignIn {
  username: string;
  fullName: string;
}

/** Activity is reported to Rust at most this often (it runs the idle lock). */
export const KEEP_ALIVE_EVERY_MS = 30_000;

/** Shown on the unlock screen after the idle lock. */
export function idleLockMessage(minutes: number | null): string {
  if (minutes === null) return 'Circle locked after a while without activity.';
  return `Circle locked after ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} without activity.`;
}

/** The page check after sign-in found a vault file changed or damaged. */
export const DAMAGED_LOCK_MESSAGE =
  'Circle locked: a vault file was changed outside Circle or is damaged. Sign in again to have every page checked; if Circle still cannot open it, restore the latest backup.';

class SignInStore {
  /** Product name, version and vault folder; nothing private. */
  appInfo: AppInfo | null = $state(null);
  /** Why the app could not start, in words for the screen. */
  startError: string | null = $state(null);
  /** The signed-in person, or null when locked. */
  signedIn: SignedInInfo | null = $state(null);
  /** Set right after first-run setup or a recovery until the owner confirms storing it. */
  recoveryCode: string | null = $state(null);
  /**
   * Where `recoveryCode` came from: first-run setup, or a recovery, which
   * used up the old code and made this one to replace it.
   */
  recoveryCodeFrom: 'setup' | 'recovery' | null = $state(null);
  /** A calm line for the unlock screen about why Circle locked. */
  lockMessage: string | null = $state(null);
  /** What a restore did, said on the unlock screen until someone signs in. */
  restoredMessage: string | null = $state(null);
  /** "Restore from a backup…" was chosen in Settings: the unlock screen opens it. */
  restoreAsked = $state(false);
  /** The screen chosen in the shell's navigation. */
  screen: Screen = $state('today');
  /** Who was signed in when Circle last locked (until someone signs in, or "Someone else?"). */
  previous: PreviousSignIn | null = $state(null);
  /** Where `previous` was, to go back to when they unlock. */
  #resume: { screen: Screen; target: Target } | null = null;

  view: View = $derived.by(() => {
    if (this.startError !== null) return 'failed';
    if (this.appInfo === null) return 'starting';
    if (this.signedIn === null) return this.appInfo.vaultExists ? 'unlock' : 'setup';
    if (this.recoveryCode !== null) return 'recoveryCode';
    if (this.signedIn.mustChangePassphrase) return 'changePassphrase';
    return 'shell';
  });

  #generation = 0;
  #lastKeepAlive = 0;
  #clearables = new Set<() => void>();
  #flushers = new Set<() => Promise<void>>();

  /**
   * Loads the app facts and anyone still signed in, and listens for the vault
   * locking. Returns a function that stops listening.
   */
  start(): () => void {
    const generation = ++this.#generation;
    this.appInfo = null;
    this.startError = null;
    this.restoredMessage = null;
    this.restoreAsked = false;
    this.forgetPrevious();
    this.clearAll();

    let stopListening: (() => void) | null = null;
    let stopped = false;
    onVaultLocked((reason) => this.vaultLocked(reason)).then((stop) => {
      if (stopped) stop();
      else stopListening = stop;
    });

    Promise.all([
      commands.appInfo().then(unwrap),
      commands
        .currentSignIn()
        .then(unwrap)
        .catch((error: unknown) => {
          // Not fatal: the unlock screen is the way on, and it reports
          // whatever is wrong with the vault when it is tried.
          errorMessage(error);
          return null;
        }),
    ]).then(
      ([info, current]) => {
        if (generation !== this.#generation) return;
        this.appInfo = info;
        if (current) this.signIn(current);
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        this.startError = errorMessage(error);
      },
    );

    return () => {
      stopped = true;
      stopListening?.();
    };
  }

  /**
   * Whether the signed-in person may use `capability` now. Clinical ones
   * also need the clinical key in hand (a newly promoted clinician gets it
   * once a clinical-key holder approves it and they sign in again; until
   * then Rust refuses notes).
   */
  can(capability: Capability): boolean {
    return mayUse(this.signedIn, capability);
  }

  /** After unlock or recovery: Rust has opened the vault for this person. */
  signIn(info: SignedInInfo): void {
    // The same person unlocking again goes back to where they were.
    const resume = this.previous?.username === info.username ? this.#resume : null;
    this.forgetPrevious();
    this.signedIn = info;
    this.lockMessage = null;
    this.restoredMessage = null;
    this.restoreAsked = false;
    this.screen = resume?.screen ?? 'today';
    this.target = resume?.target ?? {};
    this.#lastKeepAlive = Date.now();
  }

  /** "Someone else?" on the unlock screen: nobody is offered, nothing is reopened. */
  forgetPrevious(): void {
    this.previous = null;
    this.#resume = null;
  }

  /** Just before a lock clears everything: who was signed in, and where. */
  #rememberWhoLocked(): void {
    const who = this.signedIn;
    if (who === null) return;
    this.previous = { username: who.username, fullName: who.fullName };
    // A forced passphrase change or a recovery code on screen is not a place to go back to.
    const inShell = this.recoveryCode === null && !who.mustChangePassphrase;
    this.#resume = inShell ? { screen: this.screen, target: { ...this.target } } : null;
  }

  /**
   * After first-run setup, or a recovery (`from: 'recovery'`): signed in,
   * with the recovery code to show once. A recovery uses up the code it was
   * given, so its answer carries a new one, worded as a replacement.
   */
  finishSetup(outcome: SetupOutcome, from: 'setup' | 'recovery' = 'setup'): void {
    if (this.appInfo) this.appInfo = { ...this.appInfo, vaultExists: true };
    this.signIn(outcome.signedIn);
    this.recoveryCode = outcome.recoveryCode;
    this.recoveryCodeFrom = from;
  }

  /** The owner has stored the recovery code; it leaves the window for good. */
  recoveryCodeStored(): void {
    this.recoveryCode = null;
    this.recoveryCodeFrom = null;
  }

  /** A newer description of the same sign-in (after a passphrase change). */
  update(info: SignedInInfo): void {
    if (this.signedIn === null) return;
    this.signedIn = info;
  }

  /** What the current screen was asked to open (cleared on every navigation). */
  target: Target = $state({});

  /** Shows another screen of the shell, and catches up with changes made elsewhere. */
  navigate(screen: Screen, target: Target = {}): void {
    this.screen = screen;
    this.target = target;
    void this.refresh();
  }

  /** Asks Rust again who is signed in (the practice name or idle limit may have changed). */
  async refresh(): Promise<void> {
    const before = this.signedIn;
    if (before === null) return;
    try {
      const now = unwrap(await commands.currentSignIn());
      if (this.signedIn !== before) return;
      if (now === null) this.lockedWithoutNotice();
      else this.signedIn = now;
    } catch (error) {
      errorMessage(error);
    }
  }

  /** The Lock button and Ctrl+L / Cmd+L. Unsaved drafts are saved first. */
  async lock(): Promise<void> {
    await this.flushBeforeLock();
    try {
      unwrap(await commands.lock());
    } catch (error) {
      // The window forgets everything either way; unlocking locks first.
      errorMessage(error);
    } finally {
      this.#rememberWhoLocked();
      this.clearAll();
    }
  }

  /**
   * "Restore from a backup…" in Settings: unsaved drafts are saved, Circle
   * locks, and the unlock screen opens the restore (it needs no sign-in,
   * and nothing of the practice stays on screen meanwhile).
   */
  async lockForRestore(): Promise<void> {
    // Before the lock: the unlock screen reads it as it first shows.
    this.restoreAsked = true;
    await this.lock();
  }

  /**
   * A backup was restored: nobody is signed in, and the vault may now be in
   * another folder (Rust says which). The unlock screen shows `message`.
   */
  async restored(message: string): Promise<void> {
    this.forgetPrevious();
    this.clearAll();
    this.restoreAsked = false;
    try {
      this.appInfo = unwrap(await commands.appInfo());
    } catch (error) {
      errorMessage(error);
      if (this.appInfo) this.appInfo = { ...this.appInfo, vaultExists: true };
    }
    this.restoredMessage = message;
  }

  /** Rust says the vault locked. */
  vaultLocked(reason: LockReason): void {
    const minutes = this.signedIn?.idleLockMinutes ?? null;
    this.#rememberWhoLocked();
    this.clearAll();
    if (reason === 'idle') this.lockMessage = idleLockMessage(minutes);
    if (reason === 'damaged') this.lockMessage = DAMAGED_LOCK_MESSAGE;
  }

  /**
   * Someone used the window. Tells Rust at most once every 30 seconds, and
   * only while unlocked; Rust runs the idle lock itself.
   */
  activity(): void {
    const current = this.signedIn;
    if (current === null) return;
    const now = Date.now();
    if (now - this.#lastKeepAlive < KEEP_ALIVE_EVERY_MS) return;
    this.#lastKeepAlive = now;
    commands.keepAlive().then(unwrap).catch((error: unknown) => {
      if (this.signedIn !== current) return;
      if (error instanceof ApiError && error.kind === 'locked') this.lockedWithoutNotice();
      else errorMessage(error);
    });
  }

  /**
   * Registers something else the UI holds (a cache, a draft in memory) to be
   * dropped whenever Circle locks. Returns a function that unregisters it.
   */
  onClear(clear: () => void): () => void {
    this.#clearables.add(clear);
    return () => this.#clearables.delete(clear);
  }

  /**
   * Registers a save to run before a lock the user asks for (an editor's
   * unsaved draft). Returns a function that unregisters it. A failing save
   * does not stop the lock: the draft autosaved at most two seconds ago.
   */
  onBeforeLock(flush: () => Promise<void>): () => void {
    this.#flushers.add(flush);
    return () => this.#flushers.delete(flush);
  }

  /** Runs every registered save (see `onBeforeLock`). */
  async flushBeforeLock(): Promise<void> {
    await Promise.all(
      [...this.#flushers].map((flush) =>
        flush().catch((error: unknown) => {
          errorMessage(error);
        }),
      ),
    );
  }

  /** Drops every piece of data the UI holds about the practice. */
  clearAll(): void {
    this.signedIn = null;
    this.recoveryCode = null;
    this.recoveryCodeFrom = null;
    this.lockMessage = null;
    this.screen = 'today';
    this.target = {};
    this.#lastKeepAlive = 0;
    for (const clear of [...this.#clearables]) {
      try {
        clear();
      } catch (error) {
        console.error('circle: could not clear data on lock', error);
      }
    }
  }

  /** Rust is locked but the window missed the event: catch up quietly. */
  private lockedWithoutNotice(): void {
    this.#rememberWhoLocked();
    this.clearAll();
    this.lockMessage = 'Circle is locked. Unlock to continue.';
  }
}

export type { SignInStore };

/** The window's one sign-in store. */
export const signin = new SignInStore();
