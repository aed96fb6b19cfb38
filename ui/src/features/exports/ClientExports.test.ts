import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandError, Result, Verification } from '../../lib/api';
import ClientExports from './ClientExports.svelte';

const api = vi.hoisted(() => ({
  exportVerify: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ');
}

function show(clinical: boolean) {
  render(ClientExports, {
    props: { clientId: 42, clientName: 'Ann Lee', clinical, tz: 'Europe/Dublin' },
  });
}

beforeEach(() => api.exportVerify.mockReset());

describe('ClientExports', () => {
  it('offers the record and the accounting to clinical roles, and checking to everyone', () => {
    show(true);
    expect(screen.getByTestId('export-record').textContent).toContain('Export record…');
    expect(screen.getByTestId('export-disclosures').textContent).toContain(
      'Accounting of disclosures (PDF)…',
    );
    expect(screen.getByTestId('export-verify').textContent).toContain('Check a PDF…');
  });

  it('offers the front desk only the check', () => {
    show(false);
    expect(screen.queryByTestId('export-record')).toBeNull();
    expect(screen.queryByTestId('export-disclosures')).toBeNull();
    expect(screen.getByTestId('export-verify')).toBeTruthy();
  });

  it('opens the record dialog for this client', async () => {
    show(true);
    await fireEvent.click(screen.getByTestId('export-record'));
    expect(screen.getByRole('dialog').textContent).toContain("Export Ann Lee's record");
  });

  it('says in words that a file is exactly one Circle released, and to whom', async () => {
    api.exportVerify.mockResolvedValue(
      ok<Verification>({
        outcome: 'released',
        kind: 'memberRecord',
        releasedAt: '2026-11-30T14:05:00Z',
        releasedBy: 'Dana Reyes',
        recipients: ['Northside Clinic'],
        sha256: 'ab'.repeat(32),
      }),
    );
    show(true);
    await fireEvent.click(screen.getByTestId('export-verify'));
    const result = await screen.findByTestId('verify-result');
    expect(result.dataset.outcome).toBe('released');
    expect(words(result)).toContain('This file is exactly the member record Circle released on');
    expect(words(result)).toContain('2026');
    expect(words(result)).toContain('by Dana Reyes, unchanged.');
    expect(words(result)).toContain('It was released to Northside Clinic.');
  });

  it('says a changed or unknown file is not one Circle released', async () => {
    api.exportVerify.mockResolvedValue(
      ok<Verification>({ outcome: 'notReleased', sha256: 'cd'.repeat(32) }),
    );
    show(false);
    await fireEvent.click(screen.getByTestId('export-verify'));
    const result = await screen.findByTestId('verify-result');
    expect(words(result)).toContain('This file is not one Circle released, or it was changed');
    expect(words(result)).toContain('cd'.repeat(32));
  });

  it('says nothing was checked when no file was chosen, and shows a refusal', async () => {
    api.exportVerify.mockResolvedValueOnce(ok(null));
    show(false);
    await fireEvent.click(screen.getByTestId('export-verify'));
    expect((await screen.findByTestId('verify-none')).textContent).toBe('No file was chosen.');

    api.exportVerify.mockResolvedValueOnce({
      status: 'error',
      error: {
        kind: 'invalid',
        message:
          'That file is far larger than any PDF Circle makes (over 200 MB), so it is not one Circle released.',
        field: 'file',
      },
    });
    await fireEvent.click(screen.getByTestId('export-verify'));
    expect((await screen.findByTestId('verify-error')).textContent).toContain('over 200 MB');
  });
});
