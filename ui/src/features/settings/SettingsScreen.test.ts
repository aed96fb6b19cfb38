import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandError, PracticeSettings, Result, SessionInfo } from '../../lib/api';
import SettingsScreen from './SettingsScreen.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  currentSession: vi.fn(),
  setIdleLockMinutes: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

const session: SessionInfo = {
  staffId: 4,
  username: 'sam',
  fullName: 'Sam Okafor',
  role: 'manager',
  roleLabel: 'Practice manager',
  practiceName: 'Harbour Street Groups',
  timezone: 'America/Chicago',
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

beforeEach(() => {
  api.currentSession.mockReset();
  api.setIdleLockMinutes.mockReset();
  api.currentSession.mockResolvedValue(ok(session));
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
    // Read-only: the only field is the idle limit.
    expect(screen.getAllByRole('spinbutton')).toHaveLength(1);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
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
      idleLockMinutes: 5,
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
