/**
 * Test data for the Groups screen, shaped like what Rust sends. Used only
 * by the tests beside these components.
 */
import type {
  Completion,
  Enrollment,
  Group,
  GroupSession,
  Room,
  StaffMember,
} from '../../lib/api';

export const ZONE = 'Europe/Dublin';

export const staff: StaffMember[] = [
  { id: 1, username: 'mara', fullName: 'Mara Lindqvist', role: 'owner', clinical: true, active: true, supervisorId: null },
  { id: 2, username: 'dana.r', fullName: 'Dana Reyes', role: 'clinician', clinical: true, active: true, supervisorId: null },
  { id: 3, username: 'sam', fullName: 'Sam Okafor', role: 'frontDesk', clinical: false, active: true, supervisorId: null },
  { id: 4, username: 'ines', fullName: 'Inés Duarte', role: 'supervisor', clinical: true, active: true, supervisorId: null },
];

export const rooms: Room[] = [
  { id: 31, name: 'Willow Room', capacity: 12, active: true },
  { id: 32, name: 'Harbour Room', capacity: 20, active: true },
];

export function group(overrides: Partial<Group> = {}): Group {
  return {
    id: 7,
    name: 'Tuesday DBT Skills',
    kind: 'closed',
    format: 'group',
    modality: 'DBT skills',
    capacity: 10,
    primaryFacilitatorId: 2,
    coFacilitatorIds: [4],
    defaultRoomId: 31,
    noteTemplate: 'girp',
    substanceUse: false,
    archived: false,
    activeMembers: 8,
    waitlisted: 2,
    ...overrides,
  };
}

export function enrollment(
  id: number,
  clientId: number,
  clientName: string,
  overrides: Partial<Enrollment> = {},
): Enrollment {
  return {
    id,
    groupId: 7,
    groupName: 'Tuesday DBT Skills',
    groupFormat: 'group',
    clientId,
    clientName,
    status: 'active',
    waitlistPlace: null,
    enrolledOn: '2030-01-08',
    dischargedOn: null,
    dischargeReason: null,
    ...overrides,
  };
}

export function waiting(id: number, clientId: number, clientName: string, place: number): Enrollment {
  return enrollment(id, clientId, clientName, {
    status: 'waitlisted',
    waitlistPlace: place,
    enrolledOn: null,
  });
}

/** A weekly 18:00–19:30 (Dublin, winter = UTC) session. */
export function groupSession(id: number, seq: number, startsAt: string, overrides: Partial<GroupSession> = {}): GroupSession {
  const ends = new Date(Date.parse(startsAt) + 90 * 60_000).toISOString().replace('.000Z', 'Z');
  return {
    id,
    groupId: 7,
    groupName: 'Tuesday DBT Skills',
    format: 'group',
    clientNames: [],
    seriesId: 5,
    seq,
    roomId: 31,
    roomName: 'Willow Room',
    startsAt,
    endsAt: ends,
    status: 'scheduled',
    isException: false,
    membersBooked: 10,
    facilitatorIds: [2, 4],
    hasNote: false,
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
    excused: 1,
    unexcused: 2,
    unrecorded: 0,
    ...overrides,
  };
}
