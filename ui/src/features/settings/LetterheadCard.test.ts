import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandError, PracticeSettings, Result } from '../../lib/api';
import LetterheadCard from './LetterheadCard.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  practiceSettings: vi.fn(),
  practiceSetLetterhead: vi.fn(),
  practiceChooseLogo: vi.fn(),
  practiceClearLogo: vi.fn(),
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

const practice: PracticeSettings = {
  name: 'Harbour Street Groups',
  timezone: 'America/Chicago',
  locale: 'en-US',
  idleLockMinutes: 12,
  notesScopeLimited: true,
  address: '14 Harbour Street\nGalway H91 X2Y3',
  phone: '+353 91 555 0101',
  hasLogo: false,
};

function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ');
}

function described(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.practiceSettings.mockResolvedValue(ok(practice));
});

describe('LetterheadCard', () => {
  it('shows the saved address and phone, labelled', async () => {
    render(LetterheadCard);
    const address = (await screen.findByLabelText(/Address/)) as HTMLTextAreaElement;
    expect(address.tagName).toBe('TEXTAREA');
    expect(address.value).toBe('14 Harbour Street\nGalway H91 X2Y3');
    expect((screen.getByLabelText(/Phone/) as HTMLInputElement).value).toBe('+353 91 555 0101');
  });

  it('saves what was typed and says what PDFs will carry', async () => {
    api.practiceSetLetterhead.mockResolvedValue(
      ok({ ...practice, address: '2 Quay Lane\nCork', phone: '021 555 0199' }),
    );
    render(LetterheadCard);
    const address = await screen.findByLabelText(/Address/);
    await fireEvent.input(address, { target: { value: '  2 Quay Lane\n\nCork  ' } });
    await fireEvent.input(screen.getByLabelText(/Phone/), { target: { value: '021 555 0199' } });
    await fireEvent.click(screen.getByTestId('letterhead-save'));

    expect(api.practiceSetLetterhead).toHaveBeenCalledWith({
      address: '  2 Quay Lane\n\nCork  ',
      phone: '021 555 0199',
    });
    expect((await screen.findByTestId('letterhead-success')).textContent).toBe(
      'Saved. PDFs exported from now on carry this address and phone.',
    );
    // The field shows the address as Circle saved (and prints) it.
    await waitFor(() => expect((address as HTMLTextAreaElement).value).toBe('2 Quay Lane\nCork'));
  });

  it("shows Circle's refusal beside the field, with focus there", async () => {
    api.practiceSetLetterhead.mockResolvedValue(
      refused('invalid', 'Keep the address to five lines or fewer.', 'address'),
    );
    render(LetterheadCard);
    const address = await screen.findByLabelText(/Address/);
    await fireEvent.click(screen.getByTestId('letterhead-save'));

    await waitFor(() => expect(address.getAttribute('aria-invalid')).toBe('true'));
    expect(described(address)).toContain('Keep the address to five lines or fewer.');
    expect(words(screen.getByTestId('error-address'))).toContain('five lines');
    expect(document.activeElement).toBe(address);
    expect(screen.queryByTestId('letterhead-success')).toBeNull();
    // Editing the field clears its message.
    await fireEvent.input(address, { target: { value: '1 Main Street' } });
    expect(screen.queryByTestId('error-address')).toBeNull();
  });

  it('says why when someone without the right is refused', async () => {
    api.practiceSetLetterhead.mockResolvedValue(
      refused('forbidden', 'You are not permitted to do this.'),
    );
    render(LetterheadCard);
    await screen.findByLabelText(/Address/);
    await fireEvent.click(screen.getByTestId('letterhead-save'));
    expect((await screen.findByTestId('letterhead-error')).textContent).toBe(
      'You are not permitted to do this.',
    );
  });

  it('offers to try again when the letterhead cannot be read', async () => {
    api.practiceSettings.mockResolvedValueOnce(refused('locked', 'Circle is locked. Unlock to continue.'));
    render(LetterheadCard);
    expect((await screen.findByTestId('letterhead-load-error')).textContent).toBe(
      'Circle is locked. Unlock to continue.',
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(((await screen.findByLabelText(/Address/)) as HTMLTextAreaElement).value).toContain(
      'Harbour Street',
    );
  });

  it('chooses a logo in the dialog Rust opens and says what PDFs will carry', async () => {
    api.practiceChooseLogo.mockResolvedValue(ok({ ...practice, hasLogo: true }));
    render(LetterheadCard);
    await fireEvent.click(await screen.findByTestId('letterhead-logo-choose'));
    expect(api.practiceChooseLogo).toHaveBeenCalledTimes(1);
    expect(words(await screen.findByTestId('letterhead-logo-success'))).toContain('carry this logo');
    expect(words(screen.getByTestId('letterhead-logo-state'))).toContain('A logo heads every PDF');
    expect(words(screen.getByTestId('letterhead-logo-choose'))).toContain('Choose another logo');
  });

  it('changes nothing when the dialog is closed, and shows a refused image beside the logo', async () => {
    api.practiceChooseLogo.mockResolvedValueOnce(ok(null));
    render(LetterheadCard);
    await fireEvent.click(await screen.findByTestId('letterhead-logo-choose'));
    await waitFor(() => expect(api.practiceChooseLogo).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('letterhead-logo-success')).toBeNull();
    expect(words(screen.getByTestId('letterhead-logo-state'))).toContain('No logo yet');

    api.practiceChooseLogo.mockResolvedValueOnce(
      refused('invalid', 'This image cannot be read. Choose another PNG or JPEG.', 'logo'),
    );
    await fireEvent.click(screen.getByTestId('letterhead-logo-choose'));
    expect(words(await screen.findByTestId('error-logo'))).toContain('cannot be read');
  });

  it('asks before removing the logo, and keeps it when told to', async () => {
    api.practiceSettings.mockResolvedValue(ok({ ...practice, hasLogo: true }));
    api.practiceClearLogo.mockResolvedValue(ok({ ...practice, hasLogo: false }));
    render(LetterheadCard);
    await fireEvent.click(await screen.findByTestId('letterhead-logo-remove'));
    await fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(api.practiceClearLogo).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('letterhead-logo-remove'));
    await fireEvent.click(screen.getByTestId('letterhead-logo-remove-confirm'));
    expect(words(await screen.findByTestId('letterhead-logo-success'))).toContain('practice name alone');
    expect(api.practiceClearLogo).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('letterhead-logo-remove')).toBeNull();
  });
});
