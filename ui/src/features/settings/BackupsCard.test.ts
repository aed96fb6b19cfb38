import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  BackupProgress,
  BackupRun,
  BackupStatus,
  CommandError,
  Result,
} from '../../lib/api';
import type { Channel } from '../../lib/api/channel';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import BackupsCard from './BackupsCard.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  backupStatus: vi.fn(),
  backupSetKeep: vi.fn(),
  backupChooseFolder: vi.fn(),
  backupNow: vi.fn(),
  verifyVault: vi.fn(),
  lock: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const GOOD: BackupRun = {
  at: '2030-03-05T18:00:00Z',
  scheduled: true,
  ok: true,
  file: '/media/usb/circle/circle-backup-2030-03-05-1800.circlebackup',
  sizeBytes: 4_200_000,
  failure: null,
  message: null,
};

const MISSING =
  'The backup folder /media/usb/circle cannot be found. If it is on a drive, plug the drive in; otherwise choose the folder again.';

function status(overrides: Partial<BackupStatus> = {}): BackupStatus {
  return {
    folder: '/media/usb/circle',
    keep: 14,
    lastSuccess: GOOD,
    lastAttempt: GOOD,
    warning: null,
    ...overrides,
  };
}

function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** "Back up now" that waits: the test plays Rust. */
function pending() {
  let channel: Channel<BackupProgress> | undefined;
  let answer: (result: Result<BackupRun, CommandError>) => void = () => {};
  const command = (...args: unknown[]) => {
    channel = args[args.length - 1] as Channel<BackupProgress>;
    return new Promise<Result<BackupRun, CommandError>>((resolve) => (answer = resolve));
  };
  return {
    command,
    send: (step: BackupProgress) => channel?.onmessage(step),
    finish: (result: Result<BackupRun, CommandError>) => answer(result),
  };
}

beforeEach(() => {
  Object.assign(window, {
    __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
  });
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(person());
  api.backupStatus.mockResolvedValue(ok(status()));
  api.lock.mockResolvedValue(ok(null));
});

afterEach(() => {
  signin.clearAll();
  signin.restoreAsked = false;
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

describe('BackupsCard', () => {
  it('shows the folder, how many are kept and the last good backup in the practice locale', async () => {
    render(BackupsCard);
    expect(words(await screen.findByTestId('backup-folder'))).toBe('/media/usb/circle');
    expect((screen.getByLabelText(/Keep the newest/) as HTMLInputElement).value).toBe('14');
    const last = words(screen.getByTestId('backup-last-success'));
    // Dublin in March reads as UTC; en-IE writes day before month.
    expect(last).toContain('Tue 5 Mar 2030, 18:00 · 4.2 MB');
    expect(last).toContain('circle-backup-2030-03-05-1800.circlebackup');
    expect(screen.queryByTestId('backup-warning')).toBeNull();
    expect(screen.queryByTestId('backup-last-failure')).toBeNull();
  });

  it('says what to do when nothing is set up yet', async () => {
    api.backupStatus.mockResolvedValue(
      ok(
        status({
          folder: null,
          lastSuccess: null,
          lastAttempt: null,
          warning: 'Backups are not set up. Choose a backup folder in Settings → Backups.',
        }),
      ),
    );
    render(BackupsCard);
    expect(words(await screen.findByTestId('backup-warning'))).toContain('Backups are not set up');
    expect(words(screen.getByTestId('backup-folder'))).toBe('None chosen yet');
    expect(words(screen.getByTestId('backup-last-success'))).toBe('None yet');
    expect(words(screen.getByTestId('backup-choose-folder'))).toBe('Choose folder…');
  });

  it("shows the last failed attempt's message, once", async () => {
    api.backupStatus.mockResolvedValue(
      ok(
        status({
          lastAttempt: {
            ...GOOD,
            at: '2030-03-06T18:00:00Z',
            ok: false,
            file: null,
            sizeBytes: null,
            failure: 'folderMissing',
            message: MISSING,
          },
          warning: `The last backup did not work. ${MISSING}`,
        }),
      ),
    );
    render(BackupsCard);
    const failure = words(await screen.findByTestId('backup-last-failure'));
    expect(failure).toContain('Wed 6 Mar 2030, 18:00');
    expect(failure).toContain('cannot be found');
    expect(screen.queryByTestId('backup-warning')).toBeNull();
  });

  it('chooses the folder in the native dialog; closing it changes nothing', async () => {
    api.backupChooseFolder.mockResolvedValueOnce(ok(null));
    api.backupChooseFolder.mockResolvedValueOnce(ok(status({ folder: '/media/other' })));
    render(BackupsCard);
    await screen.findByTestId('backup-folder');
    await fireEvent.click(screen.getByTestId('backup-choose-folder'));
    await waitFor(() => expect(api.backupChooseFolder).toHaveBeenCalledTimes(1));
    expect(words(screen.getByTestId('backup-folder'))).toBe('/media/usb/circle');
    expect(screen.queryByTestId('backup-folder-saved')).toBeNull();

    await fireEvent.click(screen.getByTestId('backup-choose-folder'));
    expect(words(await screen.findByTestId('backup-folder-saved'))).toContain('Saved');
    expect(words(screen.getByTestId('backup-folder'))).toBe('/media/other');
  });

  it("puts a refused folder's reason beside the folder", async () => {
    api.backupChooseFolder.mockResolvedValue(
      refused(
        'invalid',
        'Choose a folder that exists, such as one on an external drive.',
        'folder',
      ),
    );
    render(BackupsCard);
    await fireEvent.click(await screen.findByTestId('backup-choose-folder'));
    const error = await screen.findByTestId('error-folder');
    expect(words(error)).toContain('Choose a folder that exists');
    expect(screen.getByTestId('backup-choose-folder').getAttribute('aria-describedby')).toBe(
      error.id,
    );
  });

  it('saves how many are kept, and refuses a number out of range beside it without asking Rust', async () => {
    api.backupSetKeep.mockResolvedValue(ok(status({ keep: 30 })));
    render(BackupsCard);
    const input = (await screen.findByLabelText(/Keep the newest/)) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('backup-keep-save'));
    expect(words(await screen.findByTestId('error-keep'))).toBe(
      '! Keep between 1 and 365 backups.',
    );
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(api.backupSetKeep).not.toHaveBeenCalled();

    await fireEvent.input(input, { target: { value: '30' } });
    expect(screen.queryByTestId('error-keep')).toBeNull();
    await fireEvent.click(screen.getByTestId('backup-keep-save'));
    expect(api.backupSetKeep).toHaveBeenCalledWith(30);
    expect(words(await screen.findByTestId('backup-keep-saved'))).toContain(
      'Circle keeps the newest 30 backups',
    );
  });

  it("puts Rust's refusal of the number beside it", async () => {
    api.backupSetKeep.mockResolvedValue(refused('forbidden', 'You are not permitted to do this.'));
    render(BackupsCard);
    await screen.findByLabelText(/Keep the newest/);
    await fireEvent.click(screen.getByTestId('backup-keep-save'));
    expect(words(await screen.findByTestId('error-keep'))).toContain('not permitted');
  });

  it('backs up now, naming each stage over a bar, then says it is done', async () => {
    const rust = pending();
    api.backupNow.mockImplementation(rust.command);
    render(BackupsCard);
    await fireEvent.click(await screen.findByTestId('backup-now'));
    rust.send({ stage: 'practice', fraction: 0.5 });
    await waitFor(() =>
      expect(words(screen.getByTestId('backup-stage'))).toBe('Copying the practice database…'),
    );
    const bar = within(screen.getByTestId('backup-progress')).getByRole(
      'progressbar',
    ) as HTMLProgressElement;
    expect(bar.value).toBeCloseTo(0.125);
    rust.send({ stage: 'clinical', fraction: 0 });
    await waitFor(() =>
      expect(words(screen.getByTestId('backup-stage'))).toBe('Copying the notes database…'),
    );
    rust.send({ stage: 'writing', fraction: 0.2 });
    await waitFor(() =>
      expect(words(screen.getByTestId('backup-stage'))).toBe('Writing the backup file…'),
    );
    rust.send({ stage: 'pruning', fraction: 0 });
    await waitFor(() =>
      expect(words(screen.getByTestId('backup-stage'))).toBe('Removing older backups…'),
    );
    const later = { ...GOOD, at: '2030-03-07T09:15:00Z', scheduled: false };
    api.backupStatus.mockResolvedValue(ok(status({ lastSuccess: later, lastAttempt: later })));
    rust.finish(ok(later));
    expect(words(await screen.findByTestId('backup-result'))).toContain('Backed up (4.2 MB)');
    await waitFor(() =>
      expect(words(screen.getByTestId('backup-last-success'))).toContain('Thu 7 Mar 2030, 09:15'),
    );
    expect(screen.queryByTestId('backup-progress')).toBeNull();
  });

  it('shows why a backup could not be written', async () => {
    const failed: BackupRun = {
      ...GOOD,
      ok: false,
      file: null,
      sizeBytes: null,
      failure: 'folderMissing',
      message: MISSING,
    };
    api.backupNow.mockResolvedValue(ok(failed));
    render(BackupsCard);
    await screen.findByTestId('backup-folder');
    api.backupStatus.mockResolvedValue(
      ok(status({ lastAttempt: failed, warning: `The last backup did not work. ${MISSING}` })),
    );
    await fireEvent.click(screen.getByTestId('backup-now'));
    expect(words(await screen.findByTestId('backup-last-failure'))).toContain('cannot be found');
    expect(screen.queryByTestId('backup-result')).toBeNull();
  });

  it('says when Rust refuses to back up at all', async () => {
    api.backupNow.mockResolvedValue(
      refused('invalid', 'Choose a backup folder first.', 'folder'),
    );
    render(BackupsCard);
    await fireEvent.click(await screen.findByTestId('backup-now'));
    expect(words(await screen.findByTestId('backup-error'))).toBe('Choose a backup folder first.');
  });

  it('checks the vault: all well, or each finding with what to do', async () => {
    api.verifyVault.mockResolvedValueOnce(ok({ findings: [], clinicalChecked: true }));
    api.verifyVault.mockResolvedValueOnce(
      ok({
        findings: [
          'clinical.db: the note of session 14 was changed after it was signed (sign hash does not match)',
          "keyring.json: the audit log's anchor was changed by hand. Restore from the newest good backup.",
        ],
        clinicalChecked: true,
      }),
    );
    render(BackupsCard);
    await fireEvent.click(screen.getByTestId('backup-verify'));
    expect(words(await screen.findByTestId('backup-verify-report'))).toContain(
      'Everything checks out',
    );
    await fireEvent.click(screen.getByTestId('backup-verify'));
    await waitFor(() =>
      expect(within(screen.getByTestId('backup-verify-report')).queryAllByRole('listitem')).toHaveLength(2),
    );
    const items = within(screen.getByTestId('backup-verify-report'))
      .getAllByRole('listitem')
      .map(words);
    expect(items[0]).toBe(
      'clinical.db: the note of session 14 was changed after it was signed (sign hash does not match). Restore from the newest good backup, and ask whoever looks after this computer to check the disk.',
    );
    // A finding that says what to do is shown as it is.
    expect(items[1]).toBe(
      "keyring.json: the audit log's anchor was changed by hand. Restore from the newest good backup.",
    );
  });

  it('asks, then locks and leaves the restore to the unlock screen', async () => {
    render(BackupsCard);
    await fireEvent.click(screen.getByTestId('backup-restore'));
    const ask = await screen.findByTestId('backup-restore-ask');
    expect(words(ask)).toContain('Circle saves what is open, locks');
    expect(api.lock).not.toHaveBeenCalled();
    await fireEvent.click(within(ask).getByTestId('backup-restore-lock'));
    await waitFor(() => expect(api.lock).toHaveBeenCalled());
    expect(signin.signedIn).toBeNull();
    expect(signin.restoreAsked).toBe(true);
  });

  it('forgets what it showed when Circle locks', async () => {
    render(BackupsCard);
    await screen.findByTestId('backup-folder');
    signin.clearAll();
    await waitFor(() => expect(screen.queryByTestId('backup-folder')).toBeNull());
  });
});
