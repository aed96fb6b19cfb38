import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientSummary } from '../api';
import { ok } from '../testing/fixtures';
import ClientPicker from './ClientPicker.svelte';

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
