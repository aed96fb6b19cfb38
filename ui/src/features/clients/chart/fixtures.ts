/**
 * Test data for a client's chart (goals and notes), shaped like what Rust
 * sends. Only the tests import this.
 */
import type { ChartNote, ChartPage, Goal, GoalProgress, GoalRatingPoint } from '../../../lib/api';

export function goal(id: number, overrides: Partial<Goal> = {}): Goal {
  return {
    id,
    clientId: 7,
    text: 'Speak up once in every group',
    startedOn: '2024-01-09',
    targetOn: '2024-06-30',
    status: 'active',
    ...overrides,
  };
}

export function point(sessionId: number, date: string, rating: number, comment = ''): GoalRatingPoint {
  return { sessionId, date, rating, comment };
}

export function progress(goalOf: Goal, ratings: GoalRatingPoint[] = []): GoalProgress {
  return { goal: goalOf, ratings };
}

/** A page of the chart as Rust answers it (the last page unless `more`). */
export function chartPage(notes: ChartNote[], more = false): ChartPage {
  return { notes, more };
}

export function chartNote(sessionId: number, overrides: Partial<ChartNote> = {}): ChartNote {
  return {
    sessionId,
    groupName: 'Tuesday DBT Skills',
    format: 'group',
    startsAt: '2024-03-05T18:00:00Z',
    status: 'signed',
    templateName: 'GIRP',
    shared: [
      {
        key: 'goals',
        label: 'Goals',
        body: 'Practise the distress tolerance skills.\nMember B shared first.',
      },
      { key: 'intervention', label: 'Intervention', body: 'TIPP skills, paired practice.' },
    ],
    own: [{ key: 'response', label: 'Response', body: 'Zo named two triggers.' }],
    goalRatings: [
      { goalId: 1, goalText: 'Speak up once in every group', rating: 3, comment: 'Spoke twice.' },
    ],
    riskLevel: 'low',
    riskText: 'No plan, no intent.',
    addenda: [],
    signedBy: { id: 2, fullName: 'Inès Duarte' },
    signedAt: '2024-03-05T20:15:00Z',
    cosignedBy: null,
    ...overrides,
  };
}
