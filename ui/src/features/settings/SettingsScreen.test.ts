import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  CommandError,
  PracticeSettings,
  Result,
  RotationOutcome,
  RotationProgress,
  SignedInInfo,
} from '../../lib/api';
import type { Channel } from '../../lib/api/channel';
import { signin as store } from '../../lib/signin.svelte';
import SettingsScreen from './SettingsScreen.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  currentSignIn: vi.fn(),
  setIdleLockMinutes: vi.fn(),
  rotateKeys: vi.fn(),
  replaceRecoveryCode: vi.fn(),
  practiceSettings: vi.fn(),
  setNotesScopeLimited: vi.fn(),
  practiceLocales: vi.fn(),
  setPracticeTimezone: vi.fn(),
  setPracticeLocale: vi.fn(),
  practiceSetLetterhead: vi.fn(),
  backupStatus: vi.fn(),
  retentionSettings: vi.fn(),
  retentionDue: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

const session: SignedInInfo = {
  staffId: 4,
  username: 'sam',
  fullName: 'Sam Okafor',
  role: 'manager',
  roleLabel: 'Practice manager',
  practiceName: 'Harbour Street Groups',
  timezone: 'America/Chicago',
  locale: 'en-US',
  idleLockMinutes: 12,
  mustChangePassphrase: false,
  hasClinicalAccess: false,
  capabilities: ['scheduling', 'administer'],
};

async function minutesInput(): Promise<HTMLInputElement> {
  return (await screen.findByLabelText(/Lock automatically after/)) as HTMLInputElement;
}

function described(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

const owner: SignedInInfo = {
  ...session,
  staffId: 1,
  username: 'mara',
  fullName: 'Mara Lindqvist',
  role: 'owner',
  roleLabel: 'Owner',
  hasClinicalAccess: true,
  capabilities: ['scheduling', 'readWriteNotes', 'sign', 'coSign', 'administer'],
};

/** What a person reads: the text with its source line breaks collapsed. */
function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ');
}

const CODE = 'K7QM-2XWP-9RDA-T4HE-LC8N-V3JF-B6YU-M5SZ';

function refused(kind: CommandError['kind'], message: string): Result<never, CommandError> {
  return { status: 'error', error: { kind, message, field: null } };
}

// Channel() registers its callback with Tauri's IPC; in jsdom a stand-in
// registry is enough, and the test plays Rust by calling `onmessage`.
beforeEach(() => {
  Object.assign(window, {
    __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
  });
  for (const fn of Object.values(api)) fn.mockReset();
  api.currentSignIn.mockResolvedValue(ok(session));
  api.backupStatus.mockResolvedValue(
    ok({ folder: null, keep: 14, lastSuccess: null, lastAttempt: null, warning: null }),
  );
  api.retentionSettings.mockResolvedValue(ok({ yearsAfterContact: 7, yearsAfterMajority: 3 }));
  api.retentionDue.mockResolvedValue(ok([]));
  // The note scope is at its default (on).
  api.practiceSettings.mockResolvedValue(ok({ ...practice, notesScopeLimited: true }));
  api.practiceLocales.mockResolvedValue(
    ok([
      { tag: 'en-IE', label: 'English (Ireland)' },
      { tag: 'en-US', label: 'English (United States)' },
      { tag: 'de-DE', label: 'Deutsch (Deutschland)' },
    ]),
  );
});

afterEach(() => {
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

describe('SettingsScreen', () => {
  it('shows the practice name and time zone, and the current idle limit', async () => {
    render(SettingsScreen);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Settings');
    const input = await minutesInput();
    expect(input.name).toBe('idleLockMinutes');
    expect(input.value).toBe('12');
    expect(screen.getByTestId('settings-practice-name').textContent).toBe('Harbour Street Groups');
    expect(screen.getByTestId('settings-timezone').textContent).toBe('America/Chicago');
    // Read-only apart from the idle limit, the letterhead and the backups
    // (their own cards).
    await screen.findByTestId('backup-keep');
    expect(screen.getAllByRole('spinbutton').map((box) => box.getAttribute('name'))).toEqual([
      'keep',
      'idleLockMinutes',
    ]);
    await screen.findByTestId('letterhead-save');
    expect(screen.queryAllByRole('textbox').map((box) => box.getAttribute('name'))).toEqual([
      'address',
      'phone',
    ]);
  });

  it("shows Circle's refusal beside the field", async () => {
    api.setIdleLockMinutes.mockResolvedValue({
      status: 'error',
      error: { kind: 'invalid', message: 'Choose a shorter time for this practice.', field: 'idleLockMinutes' },
    });
    render(SettingsScreen);
    const input = await minutesInput();

    await fireEvent.input(input, { target: { value: '90' } });
    await fireEvent.click(screen.getByTestId('settings-save'));

    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(described(input)).toContain('Choose a shorter time for this practice.');
    expect(api.setIdleLockMinutes).toHaveBeenCalledWith(90);
    expect(input.value).toBe('90');
    expect(screen.queryByTestId('settings-success')).toBeNull();
  });

  it('refuses a number out of range without sending it', async () => {
    render(SettingsScreen);
    const input = await minutesInput();

    await fireEvent.input(input, { target: { value: '241' } });
    await fireEvent.click(screen.getByTestId('settings-save'));

    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(described(input)).toContain('Choose between 1 and 240 minutes.');
    expect(api.setIdleLockMinutes).not.toHaveBeenCalled();
  });

  it('saves and says what changed', async () => {
    const saved: PracticeSettings = {
      name: 'Harbour Street Groups',
      timezone: 'America/Chicago',
      locale: 'en-US',
      idleLockMinutes: 5,
      notesScopeLimited: true,
      address: '',
      phone: '',
      hasLogo: false,
    };
    api.setIdleLockMinutes.mockResolvedValue(ok(saved));
    render(SettingsScreen);
    const input = await minutesInput();

    await fireEvent.input(input, { target: { value: '5' } });
    await fireEvent.click(screen.getByTestId('settings-save'));

    expect((await screen.findByTestId('settings-success')).textContent).toBe(
      'Saved. Circle now locks after 5 minutes without activity.',
    );
    expect(api.setIdleLockMinutes).toHaveBeenCalledWith(5);
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows a refusal without a field in a notice', async () => {
    api.setIdleLockMinutes.mockResolvedValue({
      status: 'error',
      error: { kind: 'locked', message: 'Circle is locked. Sign in again.', field: null },
    });
    render(SettingsScreen);
    const input = await minutesInput();

    await fireEvent.input(input, { target: { value: '30' } });
    await fireEvent.click(screen.getByTestId('settings-save'));

    expect((await screen.findByRole('alert')).textContent).toContain('Circle is locked. Sign in again.');
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });
});

describe('SettingsScreen: encryption keys', () => {
  it('asks before replacing the keys and sends nothing on cancel', async () => {
    render(SettingsScreen);
    const opener = await screen.findByTestId('rotate-keys');
    expect(opener.textContent).toContain('Replace the encryption keys…');

    await fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog');
    expect(words(dialog)).toContain('keep signing in with their own passphrases as usual');
    expect(words(dialog)).toContain('pick up the new keys at their next sign-in');
    expect(api.rotateKeys).not.toHaveBeenCalled();

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await fireEvent.click(opener);
    await screen.findByRole('dialog');
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.rotateKeys).not.toHaveBeenCalled();
  });

  it('replaces the keys, showing each step, then says the clinical records were left', async () => {
    let channel: Channel<RotationProgress> | undefined;
    let finish: (outcome: RotationOutcome) => void = () => {};
    api.rotateKeys.mockImplementation((progress: Channel<RotationProgress>) => {
      channel = progress;
      return new Promise((resolve) => {
        finish = (outcome) => resolve(ok(outcome));
      });
    });
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('rotate-keys'));
    const dialog = await screen.findByRole('dialog');
    // A practice manager is told up front what their login cannot cover.
    expect(words(dialog)).toContain('Your login cannot open the clinical records');
    await fireEvent.click(within(dialog).getByTestId('rotate-keys-confirm'));

    expect(api.rotateKeys).toHaveBeenCalledTimes(1);
    channel?.onmessage({ step: 2, of: 3, label: 'Re-encrypting the practice records' });
    const step = await within(dialog).findByTestId('rotation-step');
    expect(step.textContent).toBe('Step 2 of 3: Re-encrypting the practice records');
    expect((within(dialog).getByRole('progressbar') as HTMLProgressElement).value).toBe(2);
    // Nothing may interrupt it halfway.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByRole('dialog')).toBe(dialog);

    finish({ practiceRotated: true, clinicalRotated: false, colleaguesUpdated: 3 });
    const outcome = await screen.findByTestId('rotate-keys-outcome');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(words(outcome)).toContain(
      'The encryption keys were replaced. 3 logins receive the new keys at the next sign-in.',
    );
    expect(words(outcome)).toContain(
      "The clinical records' keys were not replaced, because this login cannot open them",
    );
    expect(words(outcome)).toContain('An owner should replace them.');
  });

  it("says nothing about clinical records when the owner's rotation covered them", async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.rotateKeys.mockResolvedValue(
      ok<RotationOutcome>({ practiceRotated: true, clinicalRotated: true, colleaguesUpdated: 1 }),
    );
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('rotate-keys'));
    const dialog = await screen.findByRole('dialog');
    expect(words(dialog)).not.toContain('cannot open the clinical records');
    await fireEvent.click(within(dialog).getByTestId('rotate-keys-confirm'));

    const outcome = await screen.findByTestId('rotate-keys-outcome');
    expect(words(outcome)).toContain('1 login receives the new keys');
    expect(words(outcome)).not.toContain('not replaced');
  });

  it('lists, once done, every step it went through in order', async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    const labels = [
      'Sealing the new keys for each colleague',
      'Re-encrypting the practice records',
      'Re-encrypting the clinical records',
      'Recording the rotation',
    ];
    api.rotateKeys.mockImplementation(async (progress: Channel<RotationProgress>) => {
      labels.forEach((label, i) => progress.onmessage({ step: i + 1, of: 4, label }));
      return ok<RotationOutcome>({
        practiceRotated: true,
        clinicalRotated: true,
        colleaguesUpdated: 3,
      });
    });
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('rotate-keys'));
    await fireEvent.click(await screen.findByTestId('rotate-keys-confirm'));

    const list = await screen.findByRole('list', { name: 'Steps completed' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => words(item).trim())).toEqual(labels.map((l) => `✓ ${l}`));
  });

  it('keeps the dialog open with the reason when Circle refuses', async () => {
    api.rotateKeys.mockResolvedValue(
      refused('forbidden', 'Only an owner or practice manager can do that.'),
    );
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('rotate-keys'));
    const dialog = await screen.findByRole('dialog');
    await fireEvent.click(within(dialog).getByTestId('rotate-keys-confirm'));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Only an owner or practice manager can do that.');
    expect(within(dialog).getByTestId('rotate-keys-confirm')).toBeTruthy();
    expect(screen.queryByTestId('rotate-keys-outcome')).toBeNull();
  });
});

describe('SettingsScreen: recovery code', () => {
  it('is not offered to a practice manager', async () => {
    render(SettingsScreen);
    await screen.findByTestId('rotate-keys');
    expect(screen.queryByTestId('new-recovery-code')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Recovery code' })).toBeNull();
  });

  it('shows a new code once, after confirmation, and forgets it after Continue', async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.replaceRecoveryCode.mockResolvedValue(ok(CODE));
    render(SettingsScreen);
    expect(await screen.findByRole('heading', { name: 'Recovery code' })).toBeTruthy();

    await fireEvent.click(screen.getByTestId('new-recovery-code'));
    const dialog = await screen.findByRole('dialog');
    expect(words(dialog)).toContain('stops working');
    expect(api.replaceRecoveryCode).not.toHaveBeenCalled();
    await fireEvent.click(within(dialog).getByTestId('new-recovery-code-confirm'));
    expect(api.replaceRecoveryCode).toHaveBeenCalledTimes(1);

    const code = await screen.findByTestId('recovery-code');
    expect(code.textContent).toBe(CODE);
    // Shown until the owner says it is stored: Escape does not close it.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByTestId('recovery-code')).toBe(code);
    const proceed = screen.getByTestId('recovery-continue') as HTMLButtonElement;
    expect(proceed.disabled).toBe(true);

    await fireEvent.click(screen.getByTestId('recovery-stored'));
    expect(proceed.disabled).toBe(false);
    await fireEvent.click(proceed);

    await waitFor(() => expect(screen.queryByTestId('recovery-code')).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.body.textContent).not.toContain(CODE.slice(0, 9));
    expect(screen.getByTestId('new-recovery-code-done').textContent).toContain(
      'The old one no longer works.',
    );
  });

  it('drops a code on screen when Circle locks', async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.replaceRecoveryCode.mockResolvedValue(ok(CODE));
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('new-recovery-code'));
    await fireEvent.click(await screen.findByTestId('new-recovery-code-confirm'));
    await screen.findByTestId('recovery-code');

    store.clearAll();

    await waitFor(() => expect(screen.queryByTestId('recovery-code')).toBeNull());
    expect(document.body.textContent).not.toContain(CODE.slice(0, 9));
  });

  it('says why when the owner cannot make a new code', async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.replaceRecoveryCode.mockResolvedValue(
      refused('conflict', 'Sign in again before making a new recovery code.'),
    );
    render(SettingsScreen);
    await fireEvent.click(await screen.findByTestId('new-recovery-code'));
    const dialog = await screen.findByRole('dialog');
    await fireEvent.click(within(dialog).getByTestId('new-recovery-code-confirm'));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Sign in again before making a new recovery code.');
    expect(screen.queryByTestId('recovery-code')).toBeNull();
  });
});

const practice: PracticeSettings = {
  name: 'Harbour Street Groups',
  timezone: 'America/Chicago',
  locale: 'en-US',
  idleLockMinutes: 12,
  notesScopeLimited: true,
  address: '',
  phone: '',
  hasLogo: false,
};

async function scopeBox(): Promise<HTMLInputElement> {
  return (await screen.findByTestId('notes-scope-limited')) as HTMLInputElement;
}

describe('SettingsScreen: note scope', () => {
  it('shows the saved scope, labelled and explained', async () => {
    render(SettingsScreen);
    const box = await scopeBox();
    expect(box.type).toBe('checkbox');
    expect(box.checked).toBe(true);
    expect(screen.getByLabelText('Clinicians see only the clients of groups they facilitate')).toBe(
      box,
    );
    expect(described(box).replace(/\s+/g, ' ')).toContain(
      "Owners and supervisors always see every record. Turn this off only if every clinician may read every client's notes.",
    );
    expect(api.practiceSettings).toHaveBeenCalled();
    expect(api.setNotesScopeLimited).not.toHaveBeenCalled();
  });

  it('shows a scope that was turned off', async () => {
    api.practiceSettings.mockResolvedValue(ok({ ...practice, notesScopeLimited: false }));
    render(SettingsScreen);
    expect((await scopeBox()).checked).toBe(false);
  });

  it('turns the scope off and says so', async () => {
    api.setNotesScopeLimited.mockResolvedValue(ok({ ...practice, notesScopeLimited: false }));
    render(SettingsScreen);
    const box = await scopeBox();

    await fireEvent.click(box);

    expect(api.setNotesScopeLimited).toHaveBeenCalledWith(false);
    expect((await screen.findByTestId('notes-scope-success')).textContent).toContain(
      "Every clinician may now read every client's notes.",
    );
    expect(box.checked).toBe(false);
    expect(box.getAttribute('aria-invalid')).toBeNull();
  });

  it('puts the box back and shows the refusal beside it', async () => {
    api.setNotesScopeLimited.mockResolvedValue(
      refused('forbidden', 'Only an owner or practice manager can do that.'),
    );
    render(SettingsScreen);
    const box = await scopeBox();

    await fireEvent.click(box);

    const error = await screen.findByTestId('error-notesScopeLimited');
    expect(error.textContent).toContain('Only an owner or practice manager can do that.');
    expect(api.setNotesScopeLimited).toHaveBeenCalledWith(false);
    expect(box.checked).toBe(true);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(described(box)).toContain('Only an owner or practice manager can do that.');
    expect(screen.queryByTestId('notes-scope-success')).toBeNull();
    // Beside the box, not above the idle-lock form.
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers no box it cannot fill, and tries again on request', async () => {
    api.practiceSettings
      .mockResolvedValueOnce(refused('locked', 'Circle is locked. Unlock to continue.'))
      .mockResolvedValue(ok({ ...practice, notesScopeLimited: false }));
    render(SettingsScreen);

    expect((await screen.findByTestId('notes-scope-load-error')).textContent).toContain(
      'Circle is locked',
    );
    expect(screen.queryByTestId('notes-scope-limited')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await scopeBox()).checked).toBe(false);
  });
});

describe('SettingsScreen: time zone and dates', () => {
  it('is for the owner alone; others see the zone and how dates read', async () => {
    render(SettingsScreen);
    expect((await screen.findByTestId('settings-timezone')).textContent).toBe('America/Chicago');
    expect(screen.getByTestId('settings-date-example').textContent).toContain('(en-US)');
    expect(screen.queryByTestId('zone-form')).toBeNull();
    expect(document.body.textContent).toContain("Only the practice's owner can change them.");
  });

  it('moves the practice to a zone found by typing, saying future sessions keep their time', async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.setPracticeTimezone.mockResolvedValue(
      ok({
        settings: { ...practice, timezone: 'Europe/Dublin', locale: 'en-US' },
        sessionsKept: 6,
        appointmentsKept: 1,
      }),
    );
    render(SettingsScreen);
    const zone = (await screen.findByTestId('settings-zone')) as HTMLInputElement;
    expect(zone.value).toBe('America/Chicago');
    expect(words(screen.getByTestId('zone-note'))).toContain(
      'a weekly group at 18:00 stays at 18:00 in the new time zone',
    );
    await fireEvent.input(zone, { target: { value: 'Dublin' } });
    expect(screen.getAllByRole('option')[0].getAttribute('data-zone')).toBe('Europe/Dublin');
    await fireEvent.keyDown(zone, { key: 'Enter' });
    await fireEvent.click(screen.getByTestId('zone-save'));
    await waitFor(() => expect(api.setPracticeTimezone).toHaveBeenCalledWith('Europe/Dublin'));
    expect((await screen.findByTestId('zone-success')).textContent).toBe(
      'Saved. The practice is now in Europe/Dublin. 6 sessions and 1 appointment still to come kept their local time.',
    );
    expect(screen.getByTestId('settings-timezone').textContent).toBe('Europe/Dublin');
  });

  it("puts the core's refusal beside the field it names", async () => {
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.setPracticeLocale.mockResolvedValue({
      status: 'error',
      error: { kind: 'invalid', message: 'Choose a locale from the list.', field: 'locale' },
    });
    render(SettingsScreen);
    const select = (await screen.findByTestId('settings-locale')) as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    await fireEvent.change(select, { target: { value: 'de-DE' } });
    expect(screen.getByTestId('locale-example').textContent).toContain('3. März');
    await fireEvent.click(screen.getByTestId('locale-save'));
    expect((await screen.findByTestId('error-locale')).textContent).toContain(
      'Choose a locale from the list.',
    );
    expect(api.setPracticeLocale).toHaveBeenCalledWith('de-DE');
  });
});
