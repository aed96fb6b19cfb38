import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RiskFlag } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { ok, person } from '../../lib/testing/fixtures';
import RiskFlagsCard from './RiskFlagsCard.svelte';

const api = vi.hoisted(() => ({
  measureRiskFlags: vi.fn(),
  measureAcknowledgeRisk: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const flag: RiskFlag = {
  entryId: 9,
  clientId: 12,
  clientName: 'Ann Lee',
  sessionId: 40,
  date: '2030-01-15',
  raisedAt: '2030-01-15T19:30:00Z',
};

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person({ capabilities: ['scheduling', 'readWriteNotes', 'sign'] });
});

afterEach(() => {
  signin.signedIn = null;
});

describe('RiskFlagsCard', () => {
  it('shows nothing when no flag is open', async () => {
    api.measureRiskFlags.mockResolvedValue(ok([]));
    render(RiskFlagsCard);
    await waitFor(() => expect(api.measureRiskFlags).toHaveBeenCalled());
    expect(screen.queryByText('Risk to act on')).toBeNull();
  });

  it('lists each open flag with the client and session date, and acknowledges it with a safety note', async () => {
    api.measureRiskFlags.mockResolvedValueOnce(ok([flag]));
    render(RiskFlagsCard);
    const line = await screen.findByTestId('risk-flag-9');
    expect(line.textContent).toContain('Ann Lee');
    expect(line.textContent).toMatch(/15 Jan 2030|Jan 15, 2030/);
    expect(screen.getByText(/PHQ-9 item 9 answered above 0/)).toBeTruthy();

    await fireEvent.click(within(line).getByTestId('risk-flag-9-ack'));
    const dialog = await screen.findByTestId('risk-ack-dialog');
    api.measureAcknowledgeRisk.mockResolvedValueOnce(ok(null));
    api.measureRiskFlags.mockResolvedValueOnce(ok([]));
    await fireEvent.input(within(dialog).getByTestId('risk-ack-note'), {
      target: { value: 'Called her the same day; safety plan in place.' },
    });
    await fireEvent.click(within(dialog).getByTestId('risk-ack-save'));

    expect(api.measureAcknowledgeRisk).toHaveBeenCalledWith(9, 'Called her the same day; safety plan in place.');
    await waitFor(() => expect(screen.queryByTestId('risk-flag-9')).toBeNull());
    expect(screen.getByTestId('risk-flags-news').textContent).toContain('Risk for Ann Lee acknowledged');
  });
});
