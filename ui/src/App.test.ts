import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import type { LockReason } from './lib/api';
import { signin } from './lib/signin.svelte';
import {
  appInfo,
  frontDesk,
  ok,
  person,
  refused,
  strength,
} from './lib/testing/fixtures';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  commands: {
    appInfo: vi.fn(),
    currentSignIn: vi.fn(),
    setupPractice: vi.fn(),
    unlock: vi.fn(),
    recover: vi.fn(),
    lock: vi.fn(),
    keepAlive: vi.fn(),
    passphraseStrength: vi.fn(),
    changeOwnPassphrase: vi.fn(),
    staffList: vi.fn(),
    auditList: vi.fn(),
    verifyVault: vi.fn(),
    backupStatus: vi.fn(),
    backupChooseFile: vi.fn(),
    backupRestore: vi.fn(),
    setIdleLockMinutes: vi.fn(),
    agenda: vi.fn(),
    notesToDo: vi.fn(),
    clinicalAccessWaiting: vi.fn(),
  },
  lockListeners: new Set<(event: { payload: { reason: LockReason } }) => void>(),
}));

vi.mock('./lib/api/bindings', () => ({
  commands: api.commands,
  events: {
    vaultLocked: {
      listen: async (callback: (event: { payload: { reason: LockReason } }) => void) => {
        api.lockListeners.add(callback);
        return () => api.lockListeners.delete(callback);
      },
    },
  },
}));

/** What Rust does when the vault locks. */
function emitVaultLocked(reason: LockReason) {
  for (const listener of api.lockListeners) listener({ payload: { reason } });
}

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector(`[name="${name}"]`);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) {
    throw new Error(`no input named ${name}`);
  }
  return element;
}

async function type(name: string, value: string) {
  await fireEvent.input(field(name), { target: { value } });
}

beforeEach(() => {
  for (const mock of Object.values(api.commands)) mock.mockReset();
  api.lockListeners.clear();
  api.commands.appInfo.mockResolvedValue(ok(appInfo()));
  api.commands.currentSignIn.mockResolvedValue(ok(null));
  api.commands.lock.mockResolvedValue(ok(null));
  api.commands.keepAlive.mockResolvedValue(ok(null));
  api.commands.notesToDo.mockResolvedValue(ok({ toWrite: [], toSign: [], toCosign: [] }));
  api.commands.clinicalAccessWaiting.mockResolvedValue(ok([]));
  api.commands.passphraseStrength.mockResolvedValue(ok(strength(3)));
  api.commands.staffList.mockResolvedValue(ok([]));
  api.commands.auditList.mockResolvedValue(ok([]));
  api.commands.backupStatus.mockResolvedValue(
    ok({ folder: '/media/backup', keep: 14, lastSuccess: null, lastAttempt: null, warning: null }),
  );
  api.commands.agenda.mockImplementation(async (from: string) =>
    ok({ from, to: from, sessions: [], appointments: [], waitlists: [] }),
  );
});

afterEach(() => {
  vi.useRealTimers();
});

/** Renders the app signed in as `who` (Rust already has a session). */
async function renderSignedIn(who = person()) {
  api.commands.currentSignIn.mockResolvedValue(ok(who));
  render(App);
  await screen.findByTestId('practice-name-header');
}

describe('starting', () => {
  it('asks Rust for the app facts and the current session', async () => {
    render(App);
    expect(screen.getByRole('status').textContent).toBe('Starting…');
    await screen.findByTestId('welcome-heading');
    expect(api.commands.appInfo).toHaveBeenCalledTimes(1);
    expect(api.commands.currentSignIn).toHaveBeenCalledTimes(1);
  });

  it('says plainly when the app facts cannot be read', async () => {
    api.commands.appInfo.mockResolvedValue(
      refused('io', 'Circle could not read or write a file. Check the disk has space and try again.'),
    );
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Check the disk has space');
    expect(screen.queryByTestId('unlock-submit')).toBeNull();
  });

  it('goes straight to the shell when Rust is still unlocked', async () => {
    await renderSignedIn();
    expect(screen.getByTestId('signed-in-as').textContent).toBe('Dana Reyes · Owner');
    expect(screen.getByTestId('practice-name-header').textContent).toBe(
      'Harbour Light Counselling',
    );
  });
});

describe('first-run setup', () => {
  beforeEach(() => {
    api.commands.appInfo.mockResolvedValue(ok(appInfo({ vaultExists: false })));
  });

  async function fillSetup() {
    await screen.findByTestId('setup-submit');
    await type('practiceName', 'Harbour Light Counselling');
    // The zone is found by typing its city and chosen with Enter.
    await type('timezone', 'Dublin');
    await fireEvent.keyDown(field('timezone'), { key: 'Enter' });
    await type('ownerFullName', 'Dana Reyes');
    await type('ownerUsername', 'dana.reyes');
    await type('passphrase', 'quiet lantern orchard tide');
    await type('passphraseConfirm', 'quiet lantern orchard tide');
  }

  it('shows the form with a first-run heading, the vault folder and the local time zone', async () => {
    render(App);
    const heading = await screen.findByTestId('welcome-heading');
    expect(heading.textContent).not.toMatch(/unlock/i);
    expect(screen.getByTestId('vault-dir').textContent).toBe('/srv/clinic/vault');
    expect(screen.getByTestId('product-name').textContent).toBe('Circle Test Build');
    const zone = field('timezone');
    expect(zone.getAttribute('role')).toBe('combobox');
    expect(zone.value).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    for (const name of ['practiceName', 'ownerFullName', 'ownerUsername', 'passphrase', 'passphraseConfirm']) {
      expect(field(name).tagName).toBe('INPUT');
    }
  });

  it("shows Rust's refusal beside the field it names and keeps everything typed", async () => {
    api.commands.setupPractice.mockResolvedValue(
      refused(
        'invalid',
        'Use 2 to 32 letters, digits, dots, dashes or underscores, with no spaces.',
        'ownerUsername',
      ),
    );
    render(App);
    await fillSetup();
    await fireEvent.click(screen.getByTestId('setup-submit'));

    const error = await screen.findByTestId('error-ownerUsername');
    expect(error.textContent).toContain('with no spaces');
    const username = field('ownerUsername');
    expect(username.getAttribute('aria-invalid')).toBe('true');
    expect(username.getAttribute('aria-describedby')).toContain(error.id);
    await waitFor(() => expect(document.activeElement).toBe(username));
    // Only that field is marked.
    expect(screen.queryByTestId('error-passphrase')).toBeNull();
    expect(screen.queryByTestId('error-practiceName')).toBeNull();
    // Nothing typed is lost.
    expect(field('practiceName').value).toBe('Harbour Light Counselling');
    expect(field('timezone').value).toBe('Europe/Dublin');
    expect(field('ownerFullName').value).toBe('Dana Reyes');
    expect(username.value).toBe('dana.reyes');
    expect(field('passphrase').value).toBe('quiet lantern orchard tide');
    expect(field('passphraseConfirm').value).toBe('quiet lantern orchard tide');
    // The form can be sent again.
    expect((screen.getByTestId('setup-submit') as HTMLButtonElement).disabled).toBe(false);
    expect(api.commands.setupPractice).toHaveBeenCalledWith({
      practiceName: 'Harbour Light Counselling',
      timezone: 'Europe/Dublin',
      ownerFullName: 'Dana Reyes',
      ownerUsername: 'dana.reyes',
      passphrase: 'quiet lantern orchard tide',
    });
  });

  it('puts an error about the passphrase beside the passphrase', async () => {
    api.commands.setupPractice.mockResolvedValue(
      refused('invalid', 'This is too easy to guess. Add another unrelated word or two.', 'passphrase'),
    );
    render(App);
    await fillSetup();
    await fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('error-passphrase')).textContent).toContain('too easy to guess');
    expect(screen.queryByTestId('error-ownerUsername')).toBeNull();
  });

  it('disables the submit button only while Rust is working', async () => {
    let finish: (value: unknown) => void = () => {};
    api.commands.setupPractice.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    render(App);
    await fillSetup();
    const submit = screen.getByTestId('setup-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    expect(submit.disabled).toBe(true);
    finish(refused('conflict', 'A vault already exists in this folder. Unlock it instead.'));
    await waitFor(() => expect(submit.disabled).toBe(false));
    expect(screen.getByRole('alert').textContent).toContain('A vault already exists');
  });

  it('does not send a passphrase that was typed differently the second time', async () => {
    render(App);
    await fillSetup();
    await type('passphraseConfirm', 'quiet lantern orchard');
    await fireEvent.click(screen.getByTestId('setup-submit'));
    expect((await screen.findByTestId('error-passphraseConfirm')).textContent).toMatch(/not the same/);
    expect(api.commands.setupPractice).not.toHaveBeenCalled();
  });

  it('shows the recovery code once and continues only after the owner says it is stored', async () => {
    api.commands.setupPractice.mockResolvedValue(
      ok({ recoveryCode: '3F2A-9C41-0B7D-E5A8-1C6F-7D20-84B3-A9E1', signedIn: person() }),
    );
    render(App);
    await fillSetup();
    await fireEvent.click(screen.getByTestId('setup-submit'));

    const code = await screen.findByTestId('recovery-code');
    expect(code.textContent).toBe('3F2A-9C41-0B7D-E5A8-1C6F-7D20-84B3-A9E1');
    expect(screen.getByText(/can never show this code again/)).toBeTruthy();
    expect(screen.getByTestId('recovery-code-heading').textContent?.trim()).toBe(
      'Your recovery code',
    );
    expect(screen.queryByTestId('recovery-code-replaced')).toBeNull();
    const stored = screen.getByTestId('recovery-stored') as HTMLInputElement;
    const next = screen.getByTestId('recovery-continue') as HTMLButtonElement;
    expect(stored.checked).toBe(false);
    expect(next.disabled).toBe(true);
    // No shell behind it yet.
    expect(screen.queryByTestId('practice-name-header')).toBeNull();

    await fireEvent.click(stored);
    expect(next.disabled).toBe(false);
    await fireEvent.click(stored);
    expect(next.disabled).toBe(true);
    await fireEvent.click(stored);
    await fireEvent.click(next);

    expect((await screen.findByTestId('home-heading')).textContent).toContain('Dana Reyes');
    expect(screen.queryByTestId('recovery-code')).toBeNull();
    expect(signin.recoveryCode).toBeNull();
  });

  it('drops the recovery code from the window if Circle locks before it was stored', async () => {
    api.commands.setupPractice.mockResolvedValue(
      ok({ recoveryCode: '3F2A-9C41-0B7D-E5A8-1C6F-7D20-84B3-A9E1', signedIn: person() }),
    );
    render(App);
    await fillSetup();
    await fireEvent.click(screen.getByTestId('setup-submit'));
    await screen.findByTestId('recovery-code');

    emitVaultLocked('idle');
    expect((await screen.findByTestId('welcome-heading')).textContent).toBe('Unlock Circle');
    expect(screen.queryByTestId('recovery-code')).toBeNull();
    expect(signin.recoveryCode).toBeNull();
    expect(document.body.textContent).not.toContain('3F2A');
  });
});

describe('unlock', () => {
  it('shows a wrong passphrase beside the passphrase, empties and focuses it, keeps the username', async () => {
    api.commands.unlock.mockResolvedValue(
      refused('wrongPassphrase', 'That passphrase is not right. Check it and try again.'),
    );
    render(App);
    await screen.findByTestId('unlock-submit');
    expect(screen.getByTestId('vault-dir').textContent).toBe('/srv/clinic/vault');
    await type('username', 'sam.okafor');
    await type('passphrase', 'not my passphrase');
    await fireEvent.click(screen.getByTestId('unlock-submit'));

    const error = await screen.findByTestId('error-passphrase');
    expect(error.textContent).toContain('That passphrase is not right.');
    expect(api.commands.unlock).toHaveBeenCalledWith('sam.okafor', 'not my passphrase');
    expect(field('username').value).toBe('sam.okafor');
    expect(field('passphrase').value).toBe('');
    expect(field('passphrase').getAttribute('type')).toBe('password');
    await waitFor(() => expect(document.activeElement).toBe(field('passphrase')));
    expect(screen.queryByTestId('practice-name-header')).toBeNull();
  });

  it('says when there have been too many attempts, in the same place', async () => {
    api.commands.unlock.mockResolvedValue(
      refused('rateLimited', 'Too many attempts. Try again in 30 seconds, or use the recovery code.'),
    );
    render(App);
    await screen.findByTestId('unlock-submit');
    await type('username', 'sam.okafor');
    await type('passphrase', 'guess');
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    expect((await screen.findByTestId('error-passphrase')).textContent).toContain('Too many attempts');
    expect(field('username').value).toBe('sam.okafor');
  });

  it('opens the shell for the person Rust signed in', async () => {
    api.commands.unlock.mockResolvedValue(ok(frontDesk()));
    render(App);
    await screen.findByTestId('unlock-submit');
    await type('username', 'sam.okafor');
    await type('passphrase', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    expect((await screen.findByTestId('signed-in-as')).textContent).toBe('Sam Okafor · Front desk');
    expect(screen.getByTestId('home-heading').textContent).toContain('Sam Okafor');
  });

  it('lets the owner in with the recovery code, with errors beside the fields', async () => {
    api.commands.recover
      .mockResolvedValueOnce(
        refused('invalid', 'That recovery code is not right. Check each group of four.', 'recoveryCode'),
      )
      .mockResolvedValueOnce(
        ok({ recoveryCode: '7C1E-20D4-B9A3-5F68-E0C2-4A17-93DB-6E05', signedIn: person() }),
      );
    render(App);
    await screen.findByTestId('unlock-submit');
    await type('username', 'dana.reyes');
    await fireEvent.click(screen.getByText('Forgot your passphrase? Use the recovery code'));

    expect(field('username').value).toBe('dana.reyes');
    await type('recoveryCode', '3f2a 9c41 0b7d e5a8 1c6f 7d20 84b3 a9e0');
    await type('newPassphrase', 'harbour kettle meadow stone');
    await type('newPassphraseConfirm', 'harbour kettle meadow stone');
    await fireEvent.click(screen.getByTestId('recover-submit'));

    expect((await screen.findByTestId('error-recoveryCode')).textContent).toContain('not right');
    expect(field('newPassphrase').value).toBe('harbour kettle meadow stone');

    await fireEvent.click(screen.getByTestId('recover-submit'));
    // The code just used is spent: Circle shows the new one, once, as its replacement.
    const code = await screen.findByTestId('recovery-code');
    expect(code.textContent).toBe('7C1E-20D4-B9A3-5F68-E0C2-4A17-93DB-6E05');
    expect(api.commands.recover).toHaveBeenLastCalledWith(
      'dana.reyes',
      '3f2a 9c41 0b7d e5a8 1c6f 7d20 84b3 a9e0',
      'harbour kettle meadow stone',
    );
    expect(screen.getByTestId('recovery-code-heading').textContent?.trim()).toBe(
      'Your new recovery code',
    );
    const replaced = screen.getByTestId('recovery-code-replaced').textContent ?? '';
    expect(replaced).toContain('The recovery code you just used no longer works');
    expect(replaced).toContain('this new code replaces it');
    expect(replaced).toContain('dana.reyes');
    expect(document.body.textContent).not.toContain('Step 2 of 2');
    // No shell behind it until the owner says the new code is stored.
    expect(screen.queryByTestId('practice-name-header')).toBeNull();

    await fireEvent.click(screen.getByTestId('recovery-stored'));
    await fireEvent.click(screen.getByTestId('recovery-continue'));
    expect((await screen.findByTestId('home-heading')).textContent).toContain('Dana Reyes');
    expect(screen.queryByTestId('recovery-code')).toBeNull();
    expect(signin.recoveryCode).toBeNull();
    expect(signin.recoveryCodeFrom).toBeNull();
  });
});

describe('restoring from a backup', () => {
  const backup = {
    token: 3,
    summary: {
      practiceName: 'Harbour Light Counselling',
      practiceId: 'p-1',
      createdAt: '2030-03-05T18:00:00Z',
      appVersion: '0.4.2',
      counts: {
        staff: 2,
        clients: 1,
        groups: 0,
        sessions: 0,
        attendance: 0,
        auditRows: 10,
        signedNotes: 1,
        goals: 0,
      },
      sizeBytes: 2_000_000,
      partsMatch: true,
      problem: null,
      clinicalCopiedWithoutKey: false,
    },
    otherPracticeHere: false,
  };

  beforeEach(() => {
    // jsdom has no Tauri IPC; a stand-in registry lets a progress channel be made.
    Object.assign(window, {
      __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
    });
    api.commands.backupChooseFile.mockResolvedValue(ok(backup));
  });

  afterEach(() => {
    delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
  });

  async function restoreFromDialog() {
    const dialog = await screen.findByTestId('restore-dialog');
    await fireEvent.click(within(dialog).getByTestId('restore-choose-file'));
    await within(dialog).findByTestId('restore-summary');
    await fireEvent.input(within(dialog).getByLabelText(/Username/), {
      target: { value: 'dana' },
    });
    await fireEvent.input(within(dialog).getByLabelText(/Passphrase/), {
      target: { value: 'quiet lantern orchard tide' },
    });
    await fireEvent.click(within(dialog).getByTestId('restore-new-folder'));
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    await fireEvent.click(await within(dialog).findByTestId('restore-confirm'));
  }

  it('restores on a fresh computer and goes to the unlock screen of the restored vault', async () => {
    api.commands.appInfo.mockResolvedValue(ok(appInfo({ vaultExists: false })));
    api.commands.backupRestore.mockImplementation(async () => {
      // Rust opens the new folder from now on.
      api.commands.appInfo.mockResolvedValue(
        ok(appInfo({ vaultDir: '/media/usb/Circle vault', vaultExists: true })),
      );
      return ok({ vaultDir: '/media/usb/Circle vault', movedAside: null });
    });
    render(App);
    await screen.findByTestId('welcome-heading');
    await fireEvent.click(screen.getByTestId('restore-open'));
    await restoreFromDialog();

    expect((await screen.findByTestId('restore-result')).textContent).toBe(
      'Restored into /media/usb/Circle vault. Circle opens the vault there from now on. Sign in to continue.',
    );
    expect(screen.getByTestId('welcome-heading').textContent).toBe('Unlock Circle');
    await waitFor(() => expect(document.activeElement).toBe(field('username')));
    expect(screen.getByTestId('vault-dir').textContent).toBe('/media/usb/Circle vault');
    expect(screen.queryByTestId('restore-dialog')).toBeNull();
  });

  it('from Settings locks first and continues on the unlock screen', async () => {
    await renderSignedIn();
    api.commands.currentSignIn.mockResolvedValue(ok(null));
    await signin.lockForRestore();
    expect(api.commands.lock).toHaveBeenCalled();
    // The restore opens by itself on the unlock screen; nothing of the practice stays.
    const dialog = await screen.findByTestId('restore-dialog');
    expect(screen.queryByTestId('practice-name-header')).toBeNull();
    api.commands.backupRestore.mockResolvedValue(
      ok({ vaultDir: '/media/usb/Circle vault', movedAside: null }),
    );
    expect(dialog).toBeTruthy();
    await restoreFromDialog();
    expect((await screen.findByTestId('restore-result')).textContent).toContain(
      'Circle opens the vault there from now on.',
    );
  });
});

describe('forced passphrase change', () => {
  it('asks for a new passphrase before the shell, then opens it', async () => {
    api.commands.unlock.mockResolvedValue(ok(frontDesk({ mustChangePassphrase: true })));
    api.commands.changeOwnPassphrase
      .mockResolvedValueOnce(
        refused('invalid', 'That is not your current passphrase.', 'currentPassphrase'),
      )
      .mockResolvedValueOnce(ok(frontDesk()));
    render(App);
    await screen.findByTestId('unlock-submit');
    await type('username', 'sam.okafor');
    await type('passphrase', 'temporary from dana');
    await fireEvent.click(screen.getByTestId('unlock-submit'));

    await screen.findByTestId('change-passphrase-heading');
    expect(screen.getByText(/chosen by someone else/)).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();

    await type('currentPassphrase', 'temporary from dana!');
    await type('newPassphrase', 'copper window autumn field');
    await type('newPassphraseConfirm', 'copper window autumn field');
    await fireEvent.click(screen.getByTestId('change-passphrase-submit'));
    expect((await screen.findByTestId('error-currentPassphrase')).textContent).toContain(
      'not your current passphrase',
    );
    expect(field('currentPassphrase').value).toBe('');
    expect(field('newPassphrase').value).toBe('copper window autumn field');

    await type('currentPassphrase', 'temporary from dana');
    await fireEvent.click(screen.getByTestId('change-passphrase-submit'));
    await screen.findByTestId('home-heading');
    expect(api.commands.changeOwnPassphrase).toHaveBeenLastCalledWith(
      'temporary from dana',
      'copper window autumn field',
    );
  });
});

describe('forced passphrase change: one state at a time', () => {
  it('shows a refusal of the new passphrase alone, without the meter saying it is fine', async () => {
    api.commands.currentSignIn.mockResolvedValue(ok(frontDesk({ mustChangePassphrase: true })));
    render(App);
    await screen.findByTestId('change-passphrase-heading');
    api.commands.changeOwnPassphrase.mockResolvedValue(
      refused('invalid', 'Choose a passphrase different from the current one.', 'newPassphrase'),
    );
    await type('currentPassphrase', 'copper window autumn field');
    await type('newPassphrase', 'copper window autumn field');
    await type('newPassphraseConfirm', 'copper window autumn field');
    // The meter's verdict as it is typed: green.
    await waitFor(() =>
      expect(screen.getByTestId('strength-meter').textContent).toContain('Strong enough to use.'),
    );

    await fireEvent.click(screen.getByTestId('change-passphrase-submit'));
    expect((await screen.findByTestId('error-newPassphrase')).textContent).toContain(
      'different from the current one',
    );
    // Red alone: no green "strong enough" beside the refusal.
    expect(screen.getByTestId('strength-meter').textContent).not.toContain('Strong enough');
    expect(screen.queryByTestId('strength-word')).toBeNull();

    // Typing again brings the meter back.
    await type('newPassphrase', 'harbour kettle meadow stone');
    expect(screen.queryByTestId('error-newPassphrase')).toBeNull();
    await waitFor(() =>
      expect(screen.getByTestId('strength-meter').textContent).toContain('Strong enough to use.'),
    );
  });
});

describe('shell', () => {
  it('shows the front desk Today, Schedule, Groups and Clients, and nothing administrative', async () => {
    await renderSignedIn(frontDesk());
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(screen.queryByTestId('nav-staff')).toBeNull();
    expect(screen.queryByTestId('nav-audit')).toBeNull();
    expect(screen.queryByTestId('nav-settings')).toBeNull();
    expect(screen.queryByTestId('nav-home')).toBeNull();
    expect([...nav.querySelectorAll('button')].map((b) => b.textContent?.trim())).toEqual([
      'Today',
      'Schedule',
      'Groups',
      'Clients',
      'My account',
    ]);
    expect(
      [...nav.querySelectorAll('button')].map((b) => b.getAttribute('data-testid')),
    ).toEqual(['nav-today', 'nav-schedule', 'nav-groups', 'nav-clients', 'nav-account']);
    // Today is where the day starts.
    expect(screen.getByTestId('nav-today').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('home-heading').textContent).toContain('Sam Okafor');
    expect(api.commands.agenda).toHaveBeenCalledWith(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 1);
  });

  it('shows every administrative screen to the owner', async () => {
    await renderSignedIn(person());
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect([...nav.querySelectorAll('button')].map((b) => b.textContent?.trim())).toEqual([
      'Today',
      'Schedule',
      'Groups',
      'Clients',
      'Notes',
      'Staff',
      'Audit',
      'Settings',
      'My account',
    ]);
    expect(screen.getByTestId('nav-today').getAttribute('aria-current')).toBe('page');
  });

  it('moves between screens from the navigation', async () => {
    await renderSignedIn(frontDesk());
    api.commands.currentSignIn.mockResolvedValue(ok(frontDesk()));
    await fireEvent.click(screen.getByTestId('nav-account'));
    expect((await screen.findByTestId('account-heading')).textContent).toBe('My account');
    expect(screen.getByTestId('nav-account').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('nav-today').getAttribute('aria-current')).toBeNull();
    expect(screen.queryByTestId('home-heading')).toBeNull();
  });

  it('tells a clinician without clinical access yet when it will come', async () => {
    await renderSignedIn(
      person({
        fullName: 'Priya Nair',
        role: 'clinician',
        roleLabel: 'Clinician',
        hasClinicalAccess: false,
        capabilities: ['scheduling', 'readWriteNotes', 'sign'],
      }),
    );
    expect(screen.getByTestId('clinical-access-pending').textContent).toContain(
      'needs to approve your access first',
    );
    // Until the key arrives nothing clinical is offered: Rust would refuse it.
    expect(screen.queryByTestId('nav-notes')).toBeNull();
  });

  it('says nothing about clinical access to the front desk', async () => {
    await renderSignedIn(frontDesk());
    expect(screen.queryByTestId('clinical-access-pending')).toBeNull();
  });
});

describe('locking', () => {
  it('clears the session and shows unlock when Rust reports the idle lock', async () => {
    await renderSignedIn();
    emitVaultLocked('idle');
    await screen.findByTestId('unlock-submit');
    expect(screen.getByTestId('lock-message').textContent).toBe(
      'Circle locked after 10 minutes without activity.',
    );
    expect(signin.signedIn).toBeNull();
    expect(screen.queryByTestId('practice-name-header')).toBeNull();
    expect(document.body.textContent).not.toContain('Harbour Light Counselling');
    // Only who was signed in stays, to be offered first.
    expect(screen.getByTestId('previous-sign-in').textContent).toContain('Dana Reyes was signed in.');
  });

  it('uses the practice idle limit in the message', async () => {
    await renderSignedIn(person({ idleLockMinutes: 1 }));
    emitVaultLocked('idle');
    expect((await screen.findByTestId('lock-message')).textContent).toBe(
      'Circle locked after 1 minute without activity.',
    );
  });

  it('says a vault file changed when the page check after sign-in locked', async () => {
    await renderSignedIn();
    emitVaultLocked('damaged');
    expect((await screen.findByTestId('lock-message')).textContent).toBe(
      'Circle locked: a vault file was changed outside Circle or is damaged. Sign in again to have every page checked; if Circle still cannot open it, restore the latest backup.',
    );
    expect(signin.signedIn).toBeNull();
    expect(document.body.textContent).not.toContain('Harbour Light Counselling');
  });

  it('says nothing extra when the lock was asked for', async () => {
    await renderSignedIn();
    emitVaultLocked('requested');
    await screen.findByTestId('unlock-submit');
    expect(screen.queryByTestId('lock-message')).toBeNull();
    expect(signin.signedIn).toBeNull();
  });

  it('locks from the Lock button', async () => {
    await renderSignedIn();
    expect(screen.getByTestId('lock-button').textContent).toMatch(/Ctrl\+L|⌘L/);
    await fireEvent.click(screen.getByTestId('lock-button'));
    await screen.findByTestId('unlock-submit');
    expect(api.commands.lock).toHaveBeenCalledTimes(1);
    expect(signin.signedIn).toBeNull();
  });

  it('locks with Ctrl+L', async () => {
    await renderSignedIn();
    await fireEvent.keyDown(window, { key: 'l', code: 'KeyL', ctrlKey: true });
    await screen.findByTestId('unlock-submit');
    expect(api.commands.lock).toHaveBeenCalledTimes(1);
  });

  it('forgets everything even when the lock command fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    api.commands.lock.mockRejectedValue(new Error('no window'));
    await renderSignedIn();
    await fireEvent.click(screen.getByTestId('lock-button'));
    await screen.findByTestId('unlock-submit');
    expect(signin.signedIn).toBeNull();
  });

  it('stops listening for the lock once the window closes', async () => {
    const { unmount } = render(App);
    await screen.findByTestId('unlock-submit');
    expect(api.lockListeners.size).toBe(1);
    unmount();
    expect(api.lockListeners.size).toBe(0);
  });
});

describe('unlocking after a lock', () => {
  async function lockFrom(screenName: 'staff' | 'audit') {
    await renderSignedIn();
    await fireEvent.click(screen.getByTestId(`nav-${screenName}`));
    await fireEvent.click(screen.getByTestId('lock-button'));
    await screen.findByTestId('unlock-submit');
  }

  it('says who was signed in, fills in their username and waits for their passphrase', async () => {
    await lockFrom('staff');
    expect(screen.getByTestId('previous-sign-in').textContent).toContain('Dana Reyes was signed in.');
    expect(field('username').value).toBe('dana.reyes');
    await waitFor(() => expect(document.activeElement).toBe(field('passphrase')));
  });

  it('goes back to the screen they were on when the same person unlocks', async () => {
    await lockFrom('audit');
    api.commands.unlock.mockResolvedValue(ok(person()));
    await type('passphrase', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('unlock-submit'));

    await screen.findByTestId('practice-name-header');
    expect(api.commands.unlock).toHaveBeenCalledWith('dana.reyes', 'quiet lantern orchard tide');
    expect(screen.getByTestId('nav-audit').getAttribute('aria-current')).toBe('page');
    expect(screen.queryByTestId('home-heading')).toBeNull();
  });

  it('goes back there after the idle lock too', async () => {
    await renderSignedIn();
    await fireEvent.click(screen.getByTestId('nav-staff'));
    emitVaultLocked('idle');
    await screen.findByTestId('lock-message');
    expect(field('username').value).toBe('dana.reyes');
    api.commands.unlock.mockResolvedValue(ok(person()));
    await type('passphrase', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await screen.findByTestId('practice-name-header');
    expect(screen.getByTestId('nav-staff').getAttribute('aria-current')).toBe('page');
  });

  it('"Someone else?" empties the username, and the next person starts at Today', async () => {
    await lockFrom('staff');
    await fireEvent.click(screen.getByTestId('someone-else'));
    expect(screen.queryByTestId('previous-sign-in')).toBeNull();
    expect(field('username').value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(field('username')));

    api.commands.unlock.mockResolvedValue(ok(frontDesk()));
    await type('username', 'sam.okafor');
    await type('passphrase', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    expect((await screen.findByTestId('home-heading')).textContent).toContain('Sam Okafor');
  });

  it('someone else typing their own username starts at Today as well', async () => {
    await lockFrom('staff');
    api.commands.unlock.mockResolvedValue(ok(person({ staffId: 7, username: 'lee', fullName: 'Lee Park' })));
    await type('username', 'lee');
    await type('passphrase', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    expect((await screen.findByTestId('home-heading')).textContent).toContain('Lee Park');
  });

  it('offers nobody when Circle starts afresh', async () => {
    await lockFrom('staff');
    cleanup();
    api.commands.currentSignIn.mockResolvedValue(ok(null));
    render(App);
    await screen.findByTestId('unlock-submit');
    expect(screen.queryByTestId('previous-sign-in')).toBeNull();
    expect(field('username').value).toBe('');
  });
});

describe('activity', () => {
  it('tells Rust about typing and clicking at most once every 30 seconds, only while unlocked', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);

    render(App);
    await screen.findByTestId('unlock-submit');
    await fireEvent.keyDown(window, { key: 'a' });
    await fireEvent.pointerDown(window);
    expect(api.commands.keepAlive).not.toHaveBeenCalled();

    api.commands.unlock.mockResolvedValue(ok(person()));
    await type('username', 'dana.reyes');
    await type('passphrase', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await screen.findByTestId('home-heading');

    // Unlocking was itself activity.
    now += 10_000;
    await fireEvent.keyDown(window, { key: 'a' });
    expect(api.commands.keepAlive).not.toHaveBeenCalled();

    now += 21_000;
    await fireEvent.pointerDown(window);
    expect(api.commands.keepAlive).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(window, { key: 'b' });
    now += 29_000;
    await fireEvent.keyDown(window, { key: 'c' });
    expect(api.commands.keepAlive).toHaveBeenCalledTimes(1);

    now += 2_000;
    await fireEvent.keyDown(window, { key: 'd' });
    expect(api.commands.keepAlive).toHaveBeenCalledTimes(2);
  });

  it('catches up when Rust says it locked without the window hearing', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    await renderSignedIn();
    api.commands.keepAlive.mockResolvedValue(
      refused('locked', 'Circle is locked. Unlock to continue.'),
    );
    now += 60_000;
    await fireEvent.keyDown(window, { key: 'a' });
    await screen.findByTestId('unlock-submit');
    expect(signin.signedIn).toBeNull();
    await tick();
  });
});
