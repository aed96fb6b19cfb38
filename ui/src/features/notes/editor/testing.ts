/**
 * Test data for the session note screen, shaped like what Rust sends (the
 * GIRP template as the vault seeds it). Used only by the tests beside it.
 */
import type {
  Goal,
  GroupSession,
  MemberNoteInput,
  NoteMember,
  SessionNote,
  Template,
} from '../../../lib/api';

export const ZONE = 'Europe/Dublin';

export const girp: Template = {
  code: 'girp',
  name: 'GIRP — Goals, Interventions, Response, Plan',
  sections: [
    {
      key: 'topic',
      label: 'Goal of the session',
      guidance: "The session's topic and what the group worked towards.",
      scope: 'shared',
      required: true,
    },
    {
      key: 'interventions',
      label: 'Interventions',
      guidance: 'What you did: exercises, psychoeducation, techniques used.',
      scope: 'shared',
      required: true,
    },
    {
      key: 'process',
      label: 'Group process',
      guidance: 'How the group worked together: themes, cohesion, conflict.',
      scope: 'shared',
      required: false,
    },
    {
      key: 'participation',
      label: 'Participation',
      guidance: 'How this member took part: engagement, contributions.',
      scope: 'member',
      required: true,
    },
    {
      key: 'response',
      label: 'Response',
      guidance: 'How this member responded to the interventions.',
      scope: 'member',
      required: true,
    },
    {
      key: 'plan',
      label: 'Plan',
      guidance: 'Next steps for this member: homework, referrals, focus.',
      scope: 'member',
      required: true,
    },
  ],
};

/** Tuesday 15 January 2030, 18:00–19:30 in Dublin (winter: the same as UTC). */
export const groupSession: GroupSession = {
  id: 40,
  groupId: 7,
  groupName: 'Tuesday DBT Skills',
  format: 'group',
  clientNames: [],
  seriesId: 5,
  seq: 3,
  roomId: 31,
  roomName: 'Willow Room',
  startsAt: '2030-01-15T18:00:00Z',
  endsAt: '2030-01-15T19:30:00Z',
  status: 'scheduled',
  isException: false,
  membersBooked: 4,
  facilitatorIds: [2],
  hasNote: false,
};

export function goal(id: number, clientId: number, text: string): Goal {
  return { id, clientId, text, startedOn: '2029-11-01', targetOn: null, status: 'active' };
}

export function member(
  clientId: number,
  displayName: string,
  overrides: Partial<NoteMember> = {},
): NoteMember {
  const [first, ...rest] = displayName.split(' ');
  return {
    clientId,
    displayName,
    legalFirstName: first,
    legalLastName: rest.join(' '),
    preferredName: null,
    attendance: 'present',
    goals: [],
    note: null,
    ...overrides,
  };
}

export function memberNote(clientId: number, overrides: Partial<MemberNoteInput> = {}): MemberNoteInput {
  return {
    clientId,
    sections: [
      { key: 'participation', body: 'Engaged throughout.' },
      { key: 'response', body: 'Tried the skill twice.' },
      { key: 'plan', body: 'Diary card daily.' },
    ],
    goalRatings: [],
    riskLevel: 'none',
    riskText: '',
    ...overrides,
  };
}

/** Zoë and Bo attend, Priya was a no-show, Tom has nothing recorded. */
export function members(): NoteMember[] {
  return [
    member(12, 'Zoë Martin', {
      goals: [goal(501, 12, 'Use one distress-tolerance skill when urges rise')],
    }),
    member(13, 'Bo Chen', { attendance: 'late' }),
    member(14, 'Priya Nair', { attendance: 'noShow' }),
    member(15, 'Tom Walsh', { attendance: null }),
  ];
}

export function sessionNote(overrides: Partial<SessionNote> = {}): SessionNote {
  return {
    session: groupSession,
    template: girp,
    status: 'notStarted',
    revision: 0,
    author: null,
    shared: [
      { key: 'topic', body: '' },
      { key: 'interventions', body: '' },
      { key: 'process', body: '' },
    ],
    members: members(),
    signature: null,
    cosignature: null,
    awaitingCosigner: null,
    addenda: [],
    nameWarnings: [],
    canEdit: true,
    canSign: false,
    canCosign: false,
    ...overrides,
  };
}

/** A draft someone has been writing: revision 3, Zoë's section written. */
export function draftNote(overrides: Partial<SessionNote> = {}): SessionNote {
  const list = members();
  list[0] = { ...list[0], note: memberNote(12, { goalRatings: [{ goalId: 501, rating: 3, comment: 'Used it once.' }] }) };
  return sessionNote({
    status: 'draft',
    revision: 3,
    author: { id: 2, fullName: 'Dana Reyes' },
    shared: [
      { key: 'topic', body: 'Distress tolerance: TIPP skills.' },
      { key: 'interventions', body: '@[client:12] led the paced-breathing practice.' },
      { key: 'process', body: '' },
    ],
    members: list,
    canSign: true,
    ...overrides,
  });
}
