import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandError, ExportDone, ExportProgress, Result } from '../../lib/api';
import type { Channel } from '../../lib/api/channel';
import { todayInPracticeZone } from '../../lib/datetime';
import ExportDialog from './ExportDialog.svelte';
import { lastTwelveMonths } from './exports';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  exportMemberRecord: vi.fn(),
  exportSessionPacket: vi.fn(),
  exportAttendance: vi.fn(),
  exportDaySheet: vi.fn(),
  exportDisclosures: vi.fn(),
  exportCancel: vi.fn(),
  exportOpen: vi.fn(),
  exportShowInFolder: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

function refused(
  kind: CommandError['kind'],
  message: string,
  field: string | null = null,
): Result<never, CommandError> {
  return { status: 'error', error: { kind, message, field } };
}

const TZ = 'Europe/Dublin';

function saved(overrides: Partial<ExportDone['released']> = {}): ExportDone {
  return {
    exportId: 7,
    fileName: 'record-C-000042-2026-11-30.pdf',
    folder: '/home/dana/Exports',
    released: {
      kind: 'memberRecord',
      pages: 3,
      bytes: 48_213,
      sha256: 'ab'.repeat(32),
      missingScripts: [],
      ...overrides,
    },
  };
}

/** What a person reads: the text with its source line breaks collapsed. */
function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ');
}

/** A command that waits: the test plays Rust, sending stages and then the answer. */
function pending() {
  let channel: Channel<ExportProgress> | undefined;
  let answer: (result: Result<ExportDone | null, CommandError>) => void = () => {};
  const command = (...args: unknown[]) => {
    channel = args[args.length - 1] as Channel<ExportProgress>;
    return new Promise<Result<ExportDone | null, CommandError>>((resolve) => (answer = resolve));
  };
  return {
    command,
    send: (stage: ExportProgress) => channel?.onmessage(stage),
    finish: (result: Result<ExportDone | null, CommandError>) => answer(result),
  };
}

// Channel() registers its callback with Tauri's IPC; in jsdom a stand-in
// registry is enough, and the test plays Rust by calling `onmessage`.
beforeEach(() => {
  Object.assign(window, {
    __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
  });
  for (const fn of Object.values(api)) fn.mockReset();
  api.exportCancel.mockResolvedValue(ok(null));
  api.exportOpen.mockResolvedValue(ok(null));
  api.exportShowInFolder.mockResolvedValue(ok(null));
});

afterEach(() => {
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

function openRecord(onClose = vi.fn(), onExported = vi.fn()) {
  render(ExportDialog, {
    props: {
      target: { kind: 'memberRecord', clientId: 42 },
      subject: 'Ann Lee',
      tz: TZ,
      onClose,
      onExported,
    },
  });
  return { dialog: screen.getByRole('dialog'), onClose, onExported };
}

describe('ExportDialog', () => {
  it('exports the last twelve months to the client, showing each stage, then offers Open', async () => {
    const rust = pending();
    api.exportMemberRecord.mockImplementation(rust.command);
    const { dialog, onClose, onExported } = openRecord();
    expect(within(dialog).getByRole('heading').textContent).toBe("Export Ann Lee's record");
    expect((within(dialog).getByTestId('export-to-client') as HTMLInputElement).checked).toBe(true);
    // The defaults are what is usually wanted: Enter exports.
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByTestId('export-start')));

    await fireEvent.click(within(dialog).getByTestId('export-start'));
    const span = lastTwelveMonths(todayInPracticeZone(TZ));
    expect(api.exportMemberRecord).toHaveBeenCalledWith(
      { clientId: 42, from: span.from, to: span.to, recipient: null, purpose: '' },
      expect.anything(),
    );

    rust.send('choosingFile');
    expect((await within(dialog).findByTestId('export-stage')).textContent).toBe(
      'Choose where to save the PDF in the window that opened.',
    );
    rust.send('typesetting');
    await waitFor(() =>
      expect(within(dialog).getByTestId('export-stage').textContent).toContain(
        'Setting the pages',
      ),
    );
    const bar = within(dialog).getByRole('progressbar') as HTMLProgressElement;
    expect(bar.value).toBe(2);
    // Nothing closes it halfway.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    rust.send('writing');
    // Once it writes, it finishes: no Cancel.
    await waitFor(() => expect(within(dialog).queryByTestId('export-cancel')).toBeNull());

    rust.finish(ok(saved({ missingScripts: ['Hangul', 'Thai'] })));
    const line = await within(dialog).findByTestId('export-saved');
    expect(words(line)).toBe('Saved record-C-000042-2026-11-30.pdf in /home/dana/Exports');
    expect(words(within(dialog).getByTestId('export-missing-scripts'))).toContain(
      'No font on this computer can show Hangul and Thai writing',
    );
    expect(onExported).toHaveBeenCalledWith(saved({ missingScripts: ['Hangul', 'Thai'] }));

    const open = within(dialog).getByTestId('export-open');
    await waitFor(() => expect(document.activeElement).toBe(open));
    await fireEvent.click(open);
    expect(api.exportOpen).toHaveBeenCalledWith(7);
    await fireEvent.click(within(dialog).getByTestId('export-show-in-folder'));
    expect(api.exportShowInFolder).toHaveBeenCalledWith(7);
    await fireEvent.click(within(dialog).getByTestId('export-close'));
    expect(onClose).toHaveBeenCalled();
  });

  it('says nothing about missing scripts when every name could be printed', async () => {
    api.exportSessionPacket.mockResolvedValue(ok(saved({ kind: 'sessionPacket' })));
    render(ExportDialog, {
      props: {
        target: { kind: 'sessionPacket', sessionId: 9 },
        tz: TZ,
        onClose: vi.fn(),
      },
    });
    await fireEvent.click(screen.getByTestId('export-start'));
    await screen.findByTestId('export-saved');
    expect(api.exportSessionPacket).toHaveBeenCalledWith(9, expect.anything());
    expect(screen.queryByTestId('export-missing-scripts')).toBeNull();
  });

  it('stops on Cancel and says nothing was saved', async () => {
    const rust = pending();
    api.exportMemberRecord.mockImplementation(rust.command);
    api.exportCancel.mockImplementation(async () => {
      // Rust stops before writing and answers "nothing".
      rust.finish(ok(null));
      return ok(null);
    });
    const { dialog, onExported } = openRecord();
    await fireEvent.click(within(dialog).getByTestId('export-start'));
    rust.send('typesetting');
    const cancel = await within(dialog).findByTestId('export-cancel');
    await fireEvent.click(cancel);
    expect(api.exportCancel).toHaveBeenCalledTimes(1);

    expect((await within(dialog).findByTestId('export-not-saved')).textContent).toBe(
      'Stopped. Nothing was saved.',
    );
    expect(onExported).not.toHaveBeenCalled();
    // The options are back, as they were, for another try.
    expect(within(dialog).getByTestId('export-start')).toBeTruthy();
  });

  it('says so when the save dialog was closed without choosing a file', async () => {
    api.exportDaySheet.mockResolvedValue(ok(null));
    render(ExportDialog, { props: { target: { kind: 'daySheet' }, tz: TZ, onClose: vi.fn() } });
    await fireEvent.click(screen.getByTestId('export-start'));
    expect((await screen.findByTestId('export-not-saved')).textContent).toBe(
      'No file was chosen, so nothing was saved.',
    );
    expect(api.exportDaySheet).toHaveBeenCalledWith(todayInPracticeZone(TZ), expect.anything());
  });

  it("shows Circle's refusal beside the field it names", async () => {
    api.exportAttendance.mockResolvedValue(
      refused('invalid', 'The end date must be on or after the start date.', 'to'),
    );
    render(ExportDialog, {
      props: {
        target: { kind: 'attendance', groupId: 3 },
        subject: 'Steady Ground',
        tz: TZ,
        onClose: vi.fn(),
      },
    });
    await fireEvent.click(screen.getByTestId('export-start'));
    const error = await screen.findByTestId('error-to');
    expect(words(error)).toContain('The end date must be on or after the start date.');
    expect(screen.queryByTestId('error-from')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.exportAttendance).toHaveBeenCalledWith(
      3,
      expect.any(String),
      todayInPracticeZone(TZ),
      expect.anything(),
    );
  });

  it('asks for the recipient and the purpose before sending a record to someone else', async () => {
    const { dialog } = openRecord();
    await fireEvent.click(within(dialog).getByTestId('export-to-other'));
    await fireEvent.click(within(dialog).getByTestId('export-start'));
    expect(words(await within(dialog).findByTestId('error-recipient'))).toContain(
      'Enter who receives the record',
    );
    expect(words(within(dialog).getByTestId('error-purpose'))).toContain('Say why the record is released');
    expect(api.exportMemberRecord).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/Recipient/));
  });

  it('says which consent is missing when 42 CFR Part 2 refuses a third party', async () => {
    const reason =
      "There is no consent on file for this recipient that covers these dates. Add the client's signed consent under Consents on their chart first.";
    api.exportMemberRecord.mockResolvedValue(refused('forbidden', reason));
    const { dialog } = openRecord();
    await fireEvent.click(within(dialog).getByTestId('export-to-other'));
    await fireEvent.input(within(dialog).getByLabelText(/Recipient/), {
      target: { value: 'Northside Clinic' },
    });
    await fireEvent.input(within(dialog).getByLabelText(/Purpose/), {
      target: { value: 'Continuity of care' },
    });
    await fireEvent.click(within(dialog).getByTestId('export-start'));

    const alert = await within(dialog).findByRole('alert');
    expect(words(alert)).toContain('A signed consent is needed (42 CFR Part 2)');
    expect(words(alert)).toContain(reason);
    expect(api.exportMemberRecord).toHaveBeenCalledWith(
      expect.objectContaining({ recipient: 'Northside Clinic', purpose: 'Continuity of care' }),
      expect.anything(),
    );
    // What was typed stays for the next try.
    expect((within(dialog).getByLabelText(/Recipient/) as HTMLInputElement).value).toBe(
      'Northside Clinic',
    );
  });

  it('says so when the PDF viewer cannot be opened', async () => {
    api.exportDisclosures.mockResolvedValue(ok(saved({ kind: 'disclosures' })));
    api.exportOpen.mockResolvedValue(
      refused(
        'invalid',
        'No program on this computer opened the PDF. Use Show in folder and open it from there.',
        'file',
      ),
    );
    render(ExportDialog, {
      props: {
        target: { kind: 'disclosures', clientId: 42 },
        subject: 'Ann Lee',
        tz: TZ,
        onClose: vi.fn(),
      },
    });
    await fireEvent.click(screen.getByTestId('export-start'));
    await fireEvent.click(await screen.findByTestId('export-open'));
    expect(words(await screen.findByTestId('export-action-error'))).toContain(
      'No program on this computer opened the PDF.',
    );
  });
});
