/**
 * Test data for the Clients screen, shaped like what Rust sends. Only the
 * tests import this.
 */
import type {
  Appointment,
  Client,
  ClientSessionLine,
  ClientSummary,
  Completion,
  Enrollment,
} from '../../lib/api';

export function summary(id: number, overrides: Partial<ClientSummary> = {}): ClientSummary {
  return {
    id,
    recordNumber: `C-${String(id).padStart(6, '0')}`,
    displayName: `Client${id} Tester`,
    legalName: `Client${id} Tester`,
    dateOfBirth: '1984-03-27',
    status: 'active',
    ...overrides,
  };
}

export function summaries(from: number, count: number): ClientSummary[] {
  return Array.from({ length: count }, (_, i) => summary(from + i));
}

export function client(id: number, overrides: Partial<Client> = {}): Client {
  return {
    id,
    recordNumber: `C-${String(id).padStart(6, '0')}`,
    legalFirstName: 'Zoë',
    middleName: null,
    legalLastName: 'Marchetti',
    preferredName: null,
    nameOrder: 'givenFirst',
    firstName: 'Zoë',
    displayName: 'Zoë Marchetti',
    legalName: 'Zoë Marchetti',
    pronouns: null,
    dateOfBirth: '1984-03-27',
    phone: '+353 1 555 0134',
    email: 'zoe@example.org',
    emergencyName: 'Paolo Marchetti',
    emergencyPhone: '+353 1 555 0199',
    status: 'active',
    dischargedOn: null,
    ...overrides,
  };
}

export function enrollment(id: number, overrides: Partial<Enrollment> = {}): Enrollment {
  return {
    id,
    groupId: 10,
    groupName: 'Tuesday DBT Skills',
    groupFormat: 'group',
    clientId: 7,
    clientName: 'Zoë Marchetti',
    status: 'active',
    waitlistPlace: null,
    enrolledOn: '2024-01-09',
    dischargedOn: null,
    dischargeReason: null,
    ...overrides,
  };
}

export function appointment(id: number, overrides: Partial<Appointment> = {}): Appointment {
  return {
    id,
    kind: 'intake',
    clientId: 7,
    clinicianId: 2,
    clientName: 'Zoë Marchetti',
    clinicianName: 'Inès Duarte',
    roomId: 1,
    roomName: 'Willow Room',
    startsAt: '2024-02-06T10:00:00Z',
    endsAt: '2024-02-06T10:45:00Z',
    cancelled: false,
    attendance: null,
    ...overrides,
  };
}

export function line(sessionId: number, overrides: Partial<ClientSessionLine> = {}): ClientSessionLine {
  return {
    sessionId,
    groupId: 10,
    groupName: 'Tuesday DBT Skills',
    seriesId: 5,
    startsAt: '2024-03-05T18:00:00Z',
    cancelled: false,
    status: 'present',
    ...overrides,
  };
}

export function completion(clientId: number, overrides: Partial<Completion> = {}): Completion {
  return {
    clientId,
    booked: 12,
    attended: 9,
    late: 1,
    leftEarly: 0,
    excused: 2,
    unexcused: 1,
    unrecorded: 0,
    ...overrides,
  };
}
