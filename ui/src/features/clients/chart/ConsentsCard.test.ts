import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDateWithYear } from '../../../lib/datetime';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import ConsentsCard from './ConsentsCard.svelte';
import { consent } from './consentFixtures';

const api = vi.hoisted(() => ({
  clientConsents: vi.fn(),
  consentAdd: vi.fn(),
  consentRevoke: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

const TODAY = '2024-04-02';

function field(testid: string): HTMLElement {
  return screen.getByTestId(testid).closest<HTMLElement>('.field')!;
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person();
  api.currentSignIn.mockResolvedValue(ok(person()));
});

afterEach(() => {
  signin.clearAll();
});

describe('ConsentsCard', () => {
  it('lists each consent with where it stands in a word and a symbol', async () => {
    api.clientConsents.mockResolvedValue(
      ok([
        consent(1),
        consent(2, {
          recipient: 'Probation Office',
          scopeFrom: null,
          scopeTo: null,
          expiresOn: null,
          revokedOn: '2024-03-01',
          state: 'revoked',
        }),
        consent(3, { recipient: 'Family Court', scopeTo: null, state: 'expired' }),
        consent(4, { recipient: 'Dr. Amara Eze', scopeFrom: null, state: 'notYetSigned' }),
      ]),
    );
    render(ConsentsCard, { clientId: 7, today: TODAY });

    const first = await screen.findByTestId('consent-1');
    expect(api.clientConsents).toHaveBeenCalledWith(7);
    expect(within(first).getByRole('heading').textContent).toBe('Northside Community Clinic');
    expect(first.textContent).toContain('Coordination of care after discharge');
    expect(screen.getByTestId('consent-scope-1').textContent).toBe(
      `${formatDateWithYear('2024-01-01')} – ${formatDateWithYear('2024-06-30')}`,
    );
    expect(first.textContent).toContain(formatDateWithYear('2024-02-01'));
    expect(first.textContent).toContain(formatDateWithYear('2024-12-31'));
    expect(first.textContent).toContain('Inès Duarte');

    // Each state is a word with a symbol beside it, never a colour alone.
    const states = [1, 2, 3, 4].map((id) => screen.getByTestId(`consent-state-${id}`).textContent);
    expect(states.map((text) => text?.replace(/\s+/g, ' ').trim())).toEqual([
      '✓ Active',
      '⊘ Revoked',
      '⌛ Expired',
      '◔ Not yet signed',
    ]);

    expect(screen.getByTestId('consent-scope-2').textContent).toBe('The whole record');
    expect(screen.getByTestId('consent-2').textContent).toContain('No date given');
    expect(screen.getByTestId('consent-revoked-2').textContent?.trim()).toBe(
      formatDateWithYear('2024-03-01'),
    );
    expect(screen.getByTestId('consent-scope-3').textContent).toBe(
      `From ${formatDateWithYear('2024-01-01')} on`,
    );
    expect(screen.getByTestId('consent-scope-4').textContent).toBe(
      `Up to ${formatDateWithYear('2024-06-30')}`,
    );
    // Only a consent in force can be revoked.
    expect(screen.getByTestId('consent-revoke-1')).toBeTruthy();
    for (const id of [2, 3, 4]) expect(screen.queryByTestId(`consent-revoke-${id}`)).toBeNull();
  });

  it('says what to do when there are none', async () => {
    api.clientConsents.mockResolvedValue(ok([]));
    render(ConsentsCard, { clientId: 7, today: TODAY });
    expect((await screen.findByTestId('consents-empty')).textContent?.replace(/\s+/g, ' ').trim()).toBe(
      "No consents on file. Add the client's signed consent before releasing their record to anyone else; a release to the client themself needs none.",
    );
    expect(screen.getByTestId('consent-add')).toBeTruthy();
  });

  it('adds a consent to the whole record signed today, then lists it', async () => {
    const added = consent(5, { scopeFrom: null, scopeTo: null, signedOn: TODAY, expiresOn: null });
    api.clientConsents.mockResolvedValueOnce(ok([]));
    api.clientConsents.mockResolvedValueOnce(ok([added]));
    api.consentAdd.mockResolvedValue(ok(added));
    render(ConsentsCard, { clientId: 7, today: TODAY });

    await fireEvent.click(await screen.findByTestId('consent-add'));
    const recipient = screen.getByTestId('consent-recipient') as HTMLInputElement;
    expect(document.activeElement).toBe(recipient);
    expect(screen.getByLabelText('To whom')).toBe(recipient);
    expect((screen.getByTestId('consent-signed') as HTMLInputElement).value).toBe(TODAY);
    expect((screen.getByTestId('consent-expires') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('consent-scope-whole') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('consent-scope-from')).toBeNull();

    await fireEvent.input(recipient, { target: { value: ' Northside Community Clinic ' } });
    await fireEvent.input(screen.getByTestId('consent-purpose'), {
      target: { value: 'Coordination of care after discharge' },
    });
    await fireEvent.click(screen.getByTestId('consent-save'));

    await waitFor(() => expect(screen.getByTestId('consent-5')).toBeTruthy());
    expect(api.consentAdd).toHaveBeenCalledWith(7, {
      recipient: 'Northside Community Clinic',
      purpose: 'Coordination of care after discharge',
      scopeFrom: null,
      scopeTo: null,
      signedOn: TODAY,
      expiresOn: null,
    });
    expect(screen.queryByTestId('consent-form')).toBeNull();
    expect(screen.getByTestId('consents-news').textContent).toBe('Consent added.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('consent-add')));
  });

  it('sends the span between two dates and the expiry when chosen', async () => {
    api.clientConsents.mockResolvedValue(ok([]));
    api.consentAdd.mockResolvedValue(ok(consent(6)));
    render(ConsentsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('consent-add'));
    await fireEvent.input(screen.getByTestId('consent-recipient'), { target: { value: 'Family Court' } });
    await fireEvent.input(screen.getByTestId('consent-purpose'), { target: { value: 'Custody hearing' } });
    await fireEvent.click(screen.getByTestId('consent-scope-dates'));
    await fireEvent.input(screen.getByTestId('consent-scope-from'), { target: { value: '2024-01-01' } });
    await fireEvent.input(screen.getByTestId('consent-scope-to'), { target: { value: '2024-03-31' } });
    await fireEvent.input(screen.getByTestId('consent-expires'), { target: { value: '2024-09-30' } });
    await fireEvent.click(screen.getByTestId('consent-save'));
    await waitFor(() => expect(api.consentAdd).toHaveBeenCalled());
    expect(api.consentAdd).toHaveBeenCalledWith(7, {
      recipient: 'Family Court',
      purpose: 'Custody hearing',
      scopeFrom: '2024-01-01',
      scopeTo: '2024-03-31',
      signedOn: TODAY,
      expiresOn: '2024-09-30',
    });
  });

  it('asks for a first date when "between two dates" has none, without calling Rust', async () => {
    api.clientConsents.mockResolvedValue(ok([]));
    render(ConsentsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('consent-add'));
    await fireEvent.click(screen.getByTestId('consent-scope-dates'));
    await fireEvent.click(screen.getByTestId('consent-save'));
    const error = await screen.findByTestId('error-scopeFrom');
    expect(error.textContent).toContain('Give the first date the consent covers');
    expect(field('consent-scope-from').contains(error)).toBe(true);
    expect(api.consentAdd).not.toHaveBeenCalled();
  });

  it('shows a refusal beside the field it names and keeps what was typed', async () => {
    api.clientConsents.mockResolvedValue(ok([]));
    api.consentAdd.mockResolvedValue(
      refused('invalid', 'A consent cannot expire before the day it was signed.', 'expiresOn'),
    );
    render(ConsentsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('consent-add'));
    await fireEvent.input(screen.getByTestId('consent-recipient'), { target: { value: 'Family Court' } });
    await fireEvent.input(screen.getByTestId('consent-purpose'), { target: { value: 'Custody hearing' } });
    await fireEvent.input(screen.getByTestId('consent-expires'), { target: { value: '2024-01-01' } });
    await fireEvent.click(screen.getByTestId('consent-save'));

    const error = await screen.findByTestId('error-expiresOn');
    expect(error.textContent).toContain('A consent cannot expire before the day it was signed.');
    expect(field('consent-expires').contains(error)).toBe(true);
    expect(field('consent-recipient').contains(error)).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByTestId('consent-recipient') as HTMLInputElement).value).toBe('Family Court');
    expect((screen.getByTestId('consent-expires') as HTMLInputElement).value).toBe('2024-01-01');

    // Changing the field clears its message.
    await fireEvent.input(screen.getByTestId('consent-expires'), { target: { value: '2024-12-01' } });
    expect(screen.queryByTestId('error-expiresOn')).toBeNull();
  });

  it('asks before revoking, with the date, then shows it revoked', async () => {
    const active = consent(1);
    const revoked = consent(1, { revokedOn: '2024-03-30', state: 'revoked' });
    api.clientConsents.mockResolvedValueOnce(ok([active]));
    api.clientConsents.mockResolvedValueOnce(ok([revoked]));
    api.consentRevoke.mockResolvedValue(ok(revoked));
    render(ConsentsCard, { clientId: 7, today: TODAY });

    await fireEvent.click(await screen.findByTestId('consent-revoke-1'));
    const dialog = screen.getByTestId('consent-revoke-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe(
      'Revoke the consent to Northside Community Clinic?',
    );
    expect(dialog.textContent).toContain('cannot be undone');
    const date = within(dialog).getByTestId('consent-revoked-on') as HTMLInputElement;
    expect(date.value).toBe(TODAY);
    expect(api.consentRevoke).not.toHaveBeenCalled();

    await fireEvent.input(date, { target: { value: '2024-03-30' } });
    await fireEvent.click(within(dialog).getByTestId('consent-revoke-confirm'));

    await waitFor(() => expect(screen.queryByTestId('consent-revoke-dialog')).toBeNull());
    expect(api.consentRevoke).toHaveBeenCalledWith(1, '2024-03-30');
    await waitFor(() =>
      expect(screen.getByTestId('consent-state-1').textContent).toContain('Revoked'),
    );
    expect(screen.queryByTestId('consent-revoke-1')).toBeNull();
    expect(screen.getByTestId('consents-news').textContent).toBe('Consent revoked.');
  });

  it('keeps the dialog open with the refusal beside the date', async () => {
    api.clientConsents.mockResolvedValue(ok([consent(1)]));
    api.consentRevoke.mockResolvedValue(
      refused('invalid', 'A consent cannot be revoked before the day it was signed.', 'revokedOn'),
    );
    render(ConsentsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('consent-revoke-1'));
    const dialog = screen.getByTestId('consent-revoke-dialog');
    await fireEvent.input(within(dialog).getByTestId('consent-revoked-on'), {
      target: { value: '2024-01-15' },
    });
    await fireEvent.click(within(dialog).getByTestId('consent-revoke-confirm'));
    const error = await within(dialog).findByTestId('error-revokedOn');
    expect(error.textContent).toContain('before the day it was signed');
    expect(screen.getByTestId('consent-state-1').textContent).toContain('Active');
  });

  it('cancelling the revocation changes nothing', async () => {
    api.clientConsents.mockResolvedValue(ok([consent(1)]));
    render(ConsentsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('consent-revoke-1'));
    const dialog = screen.getByTestId('consent-revoke-dialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('consent-revoke-dialog')).toBeNull();
    expect(api.consentRevoke).not.toHaveBeenCalled();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('consent-revoke-1')));
  });

  it('says calmly when the client is outside this person’s groups', async () => {
    api.clientConsents.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(ConsentsCard, { clientId: 7, today: TODAY });
    expect((await screen.findByTestId('consents-out-of-scope')).textContent).toBe(
      'You can see consents and releases only for clients in groups you facilitate.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('consent-add')).toBeNull();
  });

  it('offers to try again when the consents cannot load', async () => {
    api.clientConsents.mockResolvedValueOnce(refused('storage', 'Circle could not read the vault.'));
    api.clientConsents.mockResolvedValueOnce(ok([consent(1)]));
    render(ConsentsCard, { clientId: 7, today: TODAY });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Circle could not read the vault.');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('consent-1')).toBeTruthy();
  });
});
