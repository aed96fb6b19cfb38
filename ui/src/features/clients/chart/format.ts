/**
 * Words for the clinical part of a client's chart: goal statuses, note
 * statuses and risk levels (each with a symbol, so colour is never the only
 * signal), and the goal form's draft.
 */
import type {
  ChartFilter,
  Goal,
  GoalInput,
  GoalStatus,
  NoteStatus,
  RiskLevel,
} from '../../../lib/api';
import { NOTE_STATUS_WORDS, RISK_WORDS } from '../../../lib/notes';
import type { StatusWord } from '../format';

/**
 * Said instead of an error when Rust keeps a client's chart from this person
 * (a clinician outside the client's groups, when the practice limits scope).
 */
export const OUT_OF_SCOPE = 'You can read notes only for clients in groups you facilitate.';

/**
 * The chart's notes filter: each choice's words, and what its empty list
 * says to do next.
 */
export const CHART_FILTERS: readonly { value: ChartFilter; label: string; empty: string }[] = [
  {
    value: 'all',
    label: 'All sessions',
    empty: 'No signed notes yet. Notes appear here once a session note is signed.',
  },
  {
    value: 'group',
    label: 'Group sessions',
    empty:
      "No group session notes yet. Once the client is in a group and a session's note is signed, it appears here.",
  },
  {
    value: 'individual',
    label: 'Individual sessions',
    empty:
      'No individual session notes yet. Book one from the schedule; its signed note appears here.',
  },
];

export const GOAL_STATUSES: readonly GoalStatus[] = ['active', 'met', 'revised', 'discontinued'];

export const GOAL_STATUS: Record<GoalStatus, StatusWord> = {
  active: { word: 'Active', symbol: '●', tone: 'info' },
  met: { word: 'Met', symbol: '✓', tone: 'success' },
  revised: { word: 'Revised', symbol: '↻', tone: 'muted' },
  discontinued: { word: 'Discontinued', symbol: '○', tone: 'muted' },
};

export function isGoalStatus(value: string): value is GoalStatus {
  return (GOAL_STATUSES as readonly string[]).includes(value);
}

export const NOTE_STATUS: Record<NoteStatus, StatusWord> = {
  signed: { word: NOTE_STATUS_WORDS.signed, symbol: '✓', tone: 'success' },
  pendingCosign: { word: NOTE_STATUS_WORDS.pendingCosign, symbol: '◔', tone: 'warning' },
  draft: { word: NOTE_STATUS_WORDS.draft, symbol: '✎', tone: 'muted' },
  notStarted: { word: NOTE_STATUS_WORDS.notStarted, symbol: '–', tone: 'muted' },
};

export const RISK_LEVEL: Record<RiskLevel, StatusWord> = {
  none: { word: RISK_WORDS.none, symbol: '○', tone: 'muted' },
  low: { word: RISK_WORDS.low, symbol: '◔', tone: 'info' },
  moderate: { word: RISK_WORDS.moderate, symbol: '!', tone: 'warning' },
  high: { word: RISK_WORDS.high, symbol: '▲', tone: 'danger' },
};

/** The highest rating a goal can have; ratings run from 1 to this. */
export const RATING_MAX = 5;

/** "3 of 5", or words when the goal was not rated that session. */
export function ratingText(rating: number | null): string {
  return rating === null ? 'Not rated' : `${rating} of ${RATING_MAX}`;
}

/** "Zo's section", or "This member's section" without a name. */
export function memberSectionTitle(firstName: string | null | undefined): string {
  const name = firstName?.trim();
  return name ? `${name}'s section` : "This member's section";
}

/** The goal form's fields, named as the core names them in refusals. */
export const GOAL_FIELDS = ['text', 'startedOn', 'targetOn', 'status'] as const;

/** What the goal form holds while typing: every field a string. */
export interface GoalDraft {
  text: string;
  /** "YYYY-MM-DD" from the date picker, or "" when cleared. */
  startedOn: string;
  targetOn: string;
  status: string;
}

/** A new goal: starting today, active, no target yet. */
export function emptyGoalDraft(today: string): GoalDraft {
  return { text: '', startedOn: today, targetOn: '', status: 'active' };
}

export function goalDraftOf(goal: Goal): GoalDraft {
  return {
    text: goal.text,
    startedOn: goal.startedOn,
    targetOn: goal.targetOn ?? '',
    status: goal.status,
  };
}

/** What is sent to Rust; it checks every field. */
export function goalInputOf(draft: GoalDraft & { status: GoalStatus }): GoalInput {
  const target = draft.targetOn.trim();
  return {
    text: draft.text.trim(),
    startedOn: draft.startedOn.trim(),
    targetOn: target === '' ? null : target,
    status: draft.status,
  };
}
