import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientInput, ClientPage, Created } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import ClientForm from './ClientForm.svelte';
import ClientsScreen from './ClientsScreen.svelte';
import { client, summary } from './fixtures';
import { chartPage } from './chart/fixtures';

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
  measureForms: vi.fn(),
  measureTrends: vi.fn(),
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
  middleName: null,
  legalLastName: 'Marchetti',
  preferredName: null,
  nameOrder: 'givenFirst',
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
  api.measureForms.mockResolvedValue(ok([]));
  api.measureTrends.mockResolvedValue(ok([]));
  api.clientNotes.mockResolvedValue(ok(chartPage([])));
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
      'middleName',
      'legalLastName',
      'preferredName',
      'nameOrder',
      'pronouns',
      'dateOfBirth',
      'phone',
      'email',
      'emergencyName',
      'emergencyPhone',
      'status',
    ]) {
      if (name === 'dateOfBirth') continue;
      const element = field(name);
      expect(document.querySelector(`label[for="${element.id}"]`)?.textContent).toBeTruthy();
    }
    // The date of birth is typed day, month, year (or picked), named by its label.
    const dob = document.querySelector('[data-date-field="dateOfBirth"]');
    expect(dob?.textContent).toContain('Date of birth (optional)');
    expect(dob?.querySelectorAll('[contenteditable="true"]').length).toBe(3);
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
    const dob = document.querySelector<HTMLElement>('[data-date-field="dateOfBirth"] [data-date-input]');
    expect(dob?.getAttribute('aria-invalid')).toBe('true');
    expect(dob?.getAttribute('aria-describedby')).toContain(error.id);
    await waitFor(() => expect(dob?.contains(document.activeElement)).toBe(true));
    expect(field('dateOfBirth').value).toBe('2091-01-01');
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

describe('name order and middle name', () => {
  it('offers given or family name first, given first chosen, with a hint', async () => {
    render(ClientForm, { onSaved: () => {}, onCancel: () => {} });
    const order = field('nameOrder') as HTMLSelectElement;
    expect(order.value).toBe('givenFirst');
    expect([...order.options].map((o) => o.textContent?.trim())).toEqual([
      'Given name first',
      'Family name first',
    ]);
    expect(document.querySelector(`label[for="${order.id}"]`)?.textContent).toContain(
      'Name order',
    );
    const described = (order.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(described).toContain('Nguyễn Minh');
  });

  it('sends the middle name and the order chosen', async () => {
    const minh = client(40, {
      legalFirstName: 'Minh',
      middleName: 'Thị',
      legalLastName: 'Nguyễn',
      nameOrder: 'familyFirst',
      firstName: 'Minh',
      displayName: 'Nguyễn Minh',
      legalName: 'Nguyễn Thị Minh',
    });
    api.clientCreate.mockResolvedValue(ok<Created>({ kind: 'client', client: minh }));
    api.clientGet.mockResolvedValue(ok(minh));
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    await type('legalFirstName', 'Minh');
    await type('middleName', ' Thị ');
    await type('legalLastName', 'Nguyễn');
    await fireEvent.change(field('nameOrder'), { target: { value: 'familyFirst' } });
    await fireEvent.click(screen.getByTestId('client-save'));

    expect(api.clientCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        legalFirstName: 'Minh',
        middleName: 'Thị',
        legalLastName: 'Nguyễn',
        nameOrder: 'familyFirst',
      }),
      false,
    );
    // The profile shows the names Rust wrote out, in her order.
    expect((await screen.findByTestId('client-name')).textContent).toBe('Nguyễn Minh');
    expect(screen.getByText('Legal name: Nguyễn Thị Minh')).toBeTruthy();
  });

  it('shows a refusal of the middle name beside it', async () => {
    api.clientCreate.mockResolvedValue(
      refused('invalid', 'Keep the middle name to 100 characters or fewer.', 'middleName'),
    );
    render(ClientsScreen);
    await fireEvent.click(screen.getByTestId('client-new'));
    await type('legalFirstName', 'Minh');
    await type('middleName', 'x'.repeat(101));
    await type('legalLastName', 'Nguyễn');
    await fireEvent.click(screen.getByTestId('client-save'));
    expect((await screen.findByTestId('error-middleName')).textContent).toContain(
      'Keep the middle name to 100 characters or fewer.',
    );
    expect(field('middleName').value).toBe('x'.repeat(101));
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
      middleName: null,
      legalLastName: 'Marchetti',
      preferredName: 'Zo',
      nameOrder: 'givenFirst',
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

  it('keeps a middle name and a family-first order, and shows Rust\'s names', async () => {
    const minh = client(8, {
      legalFirstName: 'Minh',
      middleName: 'Thị',
      legalLastName: 'Nguyễn',
      nameOrder: 'familyFirst',
      firstName: 'Minh',
      displayName: 'Nguyễn Minh',
      legalName: 'Nguyễn Thị Minh',
    });
    api.clientUpdate.mockResolvedValue(ok({ ...minh, middleName: null, legalName: 'Nguyễn Minh' }));
    const onSaved = vi.fn();
    render(ClientForm, { client: minh, onSaved, onCancel: () => {} });

    expect(field('middleName').value).toBe('Thị');
    expect(field('nameOrder').value).toBe('familyFirst');
    await type('middleName', '   ');
    await fireEvent.click(screen.getByTestId('client-save'));

    expect(api.clientUpdate).toHaveBeenCalledWith(
      8,
      expect.objectContaining({
        legalFirstName: 'Minh',
        middleName: null,
        legalLastName: 'Nguyễn',
        nameOrder: 'familyFirst',
      }),
    );
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('shows a refusal that names no field above the buttons', async () => {
    api.clientUpdate.mockResolvedValue(refused('forbidden', 'You may not change this.'));
    render(ClientForm, { client: client(7), onSaved: () => {}, onCancel: () => {} });
    await fireEvent.click(screen.getByTestId('client-save'));
    expect((await screen.findByRole('alert')).textContent).toContain('You may not change this.');
  });
});
