import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientInput, ClientPage, Created } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import ClientForm from './ClientForm.svelte';
import ClientsScreen from './ClientsScreen.svelte';
import { client, summary } from './fixtures';

const api = vi.hoisted(() => ({
  clientSearch: vi.fn(),
  clientGet: vi.fn(),
  clientCreate: vi.fn(),
  clientUpdate: vi.fn(),
  clientEnrollments: vi.fn(),
  clientAppointments: vi.fn(),
  clientAttendance: vi.fn(),
  clientSeriesCompletion: vi.fn(),
  currentSignIn: vi.fn(),
  clientGoals: vi.fn(),
  clientNotes: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(
    `form [name="${name}"]`,
  );
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

async function type(name: string, value: string) {
  await fireEvent.input(field(name), { target: { value } });
}

const expected: ClientInput = {
  legalFirstName: 'Zoë',
  legalLastName: 'Marchetti',
  preferredName: null,
  pronouns: 'she/her',
  dateOfBirth: '1984-03-27',
  phone: '+353 1 555 0134',
  email: null,
  emergencyName: null,
  emergencyPhone: null,
  status: 'prospect',
};

async function fillNewClient() {
  await type('legalFirstName', '  Zoë ');
  await type('legalLastName', 'Marchetti');
  await type('pronouns', 'she/her');
  await type('dateOfBirth', '1984-03-27');
  await type('phone', '+353 1 555 0134');
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.clientGoals.mockResolvedValue(ok([]));
  api.clientNotes.mockResolvedValue(ok([]));
  signin.signedIn = person();
  signin.target = {};
  api.clientSearch.mockResolvedValue(ok<ClientPage>({ items: [], total: 0 }));
  api.clientGet.mockImplementation(async (id: number) => ok(client(id)));
  api.clientEnrollments.mockResolvedValue(ok([]));
  api.clientAppointments.mockResolvedValue(ok([]));
  api.clientAttendance.mockResolvedValue(ok([]));
  api.clientSeriesCompletion.mockResolvedValue(ok([]));
});

afterEach(() => {
  signin.clearAll();
});

describe('new client', () => {
  it('offers every field with a visible label, prospect chosen', async () => {
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    for (const name of [
      'legalFirstName',
      'legalLastName',
      'preferredName',
      'pronouns',
      'dateOfBirth',
      'phone',
      'email',
      'emergencyName',
      'emergencyPhone',
      'status',
    ]) {
      const element = field(name);
      expect(document.querySelector(`label[for="${element.id}"]`)?.textContent).toBeTruthy();
    }
    expect(field('dateOfBirth').getAttribute('type')).toBe('date');
    expect(field('status').value).toBe('prospect');
    expect(document.activeElement).toBe(field('legalFirstName'));
  });

  it('saves, then opens the new profile', async () => {
    api.clientCreate.mockResolvedValue(
      ok<Created>({ kind: 'client', client: client(31, { pronouns: 'she/her' }) }),
    );
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    await fillNewClient();
    await fireEvent.click(screen.getByTestId('client-save'));

    expect(api.clientCreate).toHaveBeenCalledWith(expected, false);
    expect((await screen.findByTestId('client-name')).textContent).toBe('Zoë Marchetti');
    expect(api.clientGet).toHaveBeenCalledWith(31);
  });

  it('shows a refusal beside its field and keeps everything typed', async () => {
    api.clientCreate.mockResolvedValue(
      refused('invalid', 'The date of birth is in the future. Check the year.', 'dateOfBirth'),
    );
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    await fillNewClient();
    await type('dateOfBirth', '2091-01-01');
    await fireEvent.click(screen.getByTestId('client-save'));

    const error = await screen.findByTestId('error-dateOfBirth');
    expect(error.textContent).toContain('in the future');
    const dob = field('dateOfBirth');
    expect(dob.getAttribute('aria-invalid')).toBe('true');
    expect(dob.getAttribute('aria-describedby')).toContain(error.id);
    await waitFor(() => expect(document.activeElement).toBe(dob));
    expect(dob.value).toBe('2091-01-01');
    expect(field('legalFirstName').value).toBe('  Zoë ');
    expect(field('legalLastName').value).toBe('Marchetti');
    expect(field('phone').value).toBe('+353 1 555 0134');
    expect(screen.queryByTestId('error-legalFirstName')).toBeNull();

    // Changing the field retires its message.
    await type('dateOfBirth', '1984-03-27');
    expect(screen.queryByTestId('error-dateOfBirth')).toBeNull();
  });

  it('warns about a likely duplicate and saves only when confirmed', async () => {
    const existing = summary(12, {
      displayName: 'Zoë Marchetti',
      legalName: 'Zoë Marchetti',
      recordNumber: 'C-000012',
    });
    api.clientCreate
      .mockResolvedValueOnce(ok<Created>({ kind: 'possibleDuplicate', existing: [existing] }))
      .mockResolvedValueOnce(ok<Created>({ kind: 'client', client: client(31) }));
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    await fillNewClient();
    await fireEvent.click(screen.getByTestId('client-save'));

    const warning = await screen.findByTestId('duplicate-warning');
    expect(warning.textContent).toContain('Zoë Marchetti');
    expect(warning.textContent).toContain('C-000012');
    expect(warning.textContent).toContain('1984');
    expect(within(warning).getByRole('button', { name: 'Go back' })).toBeTruthy();
    expect(field('legalLastName').value).toBe('Marchetti');

    await fireEvent.click(screen.getByTestId('duplicate-confirm'));
    expect(api.clientCreate).toHaveBeenCalledTimes(2);
    expect(api.clientCreate).toHaveBeenLastCalledWith(expected, true);
    await screen.findByTestId('client-profile');
    expect(api.clientGet).toHaveBeenCalledWith(31);
  });

  it('opens an existing match from the warning, or goes back to the form', async () => {
    api.clientCreate.mockResolvedValue(
      ok<Created>({ kind: 'possibleDuplicate', existing: [summary(12), summary(13)] }),
    );
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    await fillNewClient();
    await fireEvent.click(screen.getByTestId('client-save'));

    await fireEvent.click(
      within(await screen.findByTestId('duplicate-warning')).getByRole('button', {
        name: 'Go back',
      }),
    );
    expect(screen.queryByTestId('duplicate-warning')).toBeNull();
    expect(field('legalFirstName').value).toBe('  Zoë ');
    await waitFor(() => expect(document.activeElement).toBe(field('legalFirstName')));

    await fireEvent.click(screen.getByTestId('client-save'));
    const warning = await screen.findByTestId('duplicate-warning');
    await fireEvent.click(within(warning).getByRole('button', { name: 'Client13 Tester' }));
    await screen.findByTestId('client-profile');
    expect(api.clientGet).toHaveBeenCalledWith(13);
    expect(api.clientCreate).toHaveBeenCalledTimes(2);
  });
});

describe('editing a client', () => {
  it('starts from the client, sends every field, and reports back', async () => {
    const saved = client(7, { preferredName: 'Zo', firstName: 'Zo', displayName: 'Zo Marchetti' });
    api.clientUpdate.mockResolvedValue(ok(saved));
    const onSaved = vi.fn();
    render(ClientForm, { client: client(7), onSaved, onCancel: () => {} });

    expect(field('legalFirstName').value).toBe('Zoë');
    expect(field('status').value).toBe('active');
    await type('preferredName', 'Zo');
    await fireEvent.click(screen.getByTestId('client-save'));

    expect(api.clientUpdate).toHaveBeenCalledWith(7, {
      legalFirstName: 'Zoë',
      legalLastName: 'Marchetti',
      preferredName: 'Zo',
      pronouns: null,
      dateOfBirth: '1984-03-27',
      phone: '+353 1 555 0134',
      email: 'zoe@example.org',
      emergencyName: 'Paolo Marchetti',
      emergencyPhone: '+353 1 555 0199',
      status: 'active',
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    expect(api.clientCreate).not.toHaveBeenCalled();
  });

  it('shows a refusal that names no field above the buttons', async () => {
    api.clientUpdate.mockResolvedValue(refused('forbidden', 'You may not change this.'));
    render(ClientForm, { client: client(7), onSaved: () => {}, onCancel: () => {} });
    await fireEvent.click(screen.getByTestId('client-save'));
    expect((await screen.findByRole('alert')).textContent).toContain('You may not change this.');
  });
});
