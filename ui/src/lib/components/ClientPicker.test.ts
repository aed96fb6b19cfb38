import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientSummary } from '../api';
import { ok } from '../testing/fixtures';
import ClientPicker from './ClientPicker.svelte';
import PickerInForm from './testing/PickerInForm.svelte';

const api = vi.hoisted(() => ({ clientSearch: vi.fn() }));
vi.mock('../api/bindings', () => ({ commands: api }));

function summary(id: number, displayName: string): ClientSummary {
  return {
    id,
    recordNumber: `C-${String(id).padStart(6, '0')}`,
    displayName,
    legalName: displayName,
    dateOfBirth: null,
    status: 'active',
  };
}

beforeEach(() => {
  api.clientSearch.mockReset();
});

describe('ClientPicker', () => {
  it('searches as the person types and hands back the one they pick', async () => {
    api.clientSearch.mockImplementation(async (query: string) =>
      ok(
        query === 'mar'
          ? { items: [summary(7, 'Marisol Ortega'), summary(9, 'Mark Tan')], total: 2 }
          : { items: [], total: 0 },
      ),
    );
    const onpick = vi.fn();
    render(ClientPicker, { label: 'Client', name: 'client', onpick, testidPrefix: 'pick' });

    const input = document.querySelector('input[name="client"]') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'ma' } });
    await fireEvent.input(input, { target: { value: 'mar' } });
    await fireEvent.click(await screen.findByTestId('pick-9'));

    // Only the last thing typed was sent.
    expect(api.clientSearch).toHaveBeenCalledTimes(1);
    expect(api.clientSearch).toHaveBeenCalledWith('mar', null, 0, 10);
    expect(onpick).toHaveBeenCalledWith({ id: 9, name: 'Mark Tan' });
    expect(screen.getByTestId('pick-chosen').textContent).toBe('Mark Tan');
    expect(screen.queryByTestId('pick-7')).toBeNull();
  });

  it('says when nobody matches', async () => {
    api.clientSearch.mockResolvedValue(ok({ items: [], total: 0 }));
    render(ClientPicker, { label: 'Client', name: 'client', onpick: vi.fn() });
    const input = document.querySelector('input[name="client"]') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'zz' } });
    expect(await screen.findByText(/No client matches/)).toBeTruthy();
  });

  it('uses client-pick as the default test id prefix', async () => {
    api.clientSearch.mockResolvedValue(ok({ items: [summary(3, 'Ada Byrne')], total: 1 }));
    render(ClientPicker, { label: 'Client', name: 'client', onpick: vi.fn() });
    const input = document.querySelector('input[name="client"]') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'ada' } });
    expect(await screen.findByTestId('client-pick-3')).toBeTruthy();
  });
});

describe('ClientPicker and Escape', () => {
  it('empties the search without letting Escape reach a dialog around it', async () => {
    api.clientSearch.mockResolvedValue(ok({ items: [summary(3, 'Ada Byrne')], total: 1 }));
    const onWindowKey = vi.fn();
    window.addEventListener('keydown', onWindowKey);
    render(ClientPicker, { label: 'Client', name: 'client', onpick: vi.fn() });
    const input = document.querySelector('input[name="client"]') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'ada' } });
    await screen.findByTestId('client-pick-3');
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.value).toBe('');
    expect(screen.queryByTestId('client-pick-3')).toBeNull();
    expect(onWindowKey).not.toHaveBeenCalled();
    window.removeEventListener('keydown', onWindowKey);
  });
});

describe('ClientPicker and the keyboard', () => {
  function two() {
    api.clientSearch.mockResolvedValue(
      ok({ items: [summary(7, 'Marisol Ortega'), summary(9, 'Mark Tan')], total: 2 }),
    );
  }

  async function typed(text: string) {
    const onpick = vi.fn();
    const onsubmit = vi.fn();
    render(PickerInForm, { onpick, onsubmit });
    const input = document.querySelector('input[name="client"]') as HTMLInputElement;
    input.focus();
    await fireEvent.input(input, { target: { value: text } });
    return { input, onpick, onsubmit };
  }

  it('moves through the matches with the arrow keys, the box keeping focus', async () => {
    two();
    const { input } = await typed('mar');
    await screen.findByTestId('pick-9');
    expect(input.getAttribute('role')).toBe('combobox');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBeNull();

    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('pick-7').id);
    expect(screen.getByTestId('pick-7').getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('pick-9').id);
    expect(screen.getByTestId('pick-7').getAttribute('aria-selected')).toBe('false');
    // Past the last it goes round to the first, and ↑ goes back.
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('pick-7').id);
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('pick-9').id);
    expect(document.activeElement).toBe(input);
  });

  it('picks the match moved to with Enter, without sending the form, and moves on to the next field', async () => {
    two();
    const { input, onpick, onsubmit } = await typed('mar');
    await screen.findByTestId('pick-9');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    input.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true);

    await vi.waitFor(() => expect(onpick).toHaveBeenCalledWith({ id: 9, name: 'Mark Tan' }));
    expect(screen.getByTestId('pick-chosen').textContent).toBe('Mark Tan');
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(document.querySelector('select[name="clinician"]')),
    );
    expect(onsubmit).not.toHaveBeenCalled();
  });

  it('picks the only match with Enter', async () => {
    api.clientSearch.mockResolvedValue(ok({ items: [summary(3, 'Ada Byrne')], total: 1 }));
    const { input, onpick, onsubmit } = await typed('ada');
    await screen.findByTestId('pick-3');
    expect(screen.getByText('1 match. Press Enter to choose it.')).toBeTruthy();
    await fireEvent.keyDown(input, { key: 'Enter' });
    await vi.waitFor(() => expect(onpick).toHaveBeenCalledWith({ id: 3, name: 'Ada Byrne' }));
    expect(onsubmit).not.toHaveBeenCalled();
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(document.querySelector('select[name="clinician"]')),
    );
  });

  it('picks the only match when Enter comes before the search was sent', async () => {
    api.clientSearch.mockResolvedValue(ok({ items: [summary(3, 'Ada Byrne')], total: 1 }));
    const { input, onpick, onsubmit } = await typed('ada');
    // No waiting for the matches: Enter straight after typing.
    await fireEvent.keyDown(input, { key: 'Enter' });
    await vi.waitFor(() => expect(onpick).toHaveBeenCalledWith({ id: 3, name: 'Ada Byrne' }));
    expect(api.clientSearch).toHaveBeenCalledTimes(1);
    expect(onsubmit).not.toHaveBeenCalled();
  });

  it('with several matches and none moved to, Enter waits for a choice', async () => {
    two();
    const { input, onpick, onsubmit } = await typed('mar');
    await screen.findByTestId('pick-9');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onpick).not.toHaveBeenCalled();
    expect(onsubmit).not.toHaveBeenCalled();
    expect(screen.getByText(/2 matches\. Use ↓ and ↑/)).toBeTruthy();
  });

  it('a click picks too and moves on to the next field', async () => {
    two();
    const { onpick } = await typed('mar');
    await fireEvent.click(await screen.findByTestId('pick-7'));
    expect(onpick).toHaveBeenCalledWith({ id: 7, name: 'Marisol Ortega' });
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(document.querySelector('select[name="clinician"]')),
    );
  });
});
