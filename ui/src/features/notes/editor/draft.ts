/**
 * The note as the editor holds it while someone writes, and the conversions
 * to and from what Rust sends: `draftFromNote` when the note opens,
 * `mergeDraft` when it is reloaded (after recording attendance) without
 * losing what was typed, and `draftInput` for every autosave. Pure: no
 * DOM, no network, no Svelte.
 */
import type {
  NameRelease,
  NoteDraftInput,
  NoteMember,
  RiskLevel,
  SectionRelease,
  SessionNote,
  Template,
  TemplateSection,
} from '../../../lib/api';
import { isAttending } from '../../../lib/attendance';
import { toEditorText, toStoredText } from './mentions';

export interface GoalDraft {
  /** 1 (no progress) to 5 (goal met); null while unrated. */
  rating: number | null;
  comment: string;
}

export interface MemberDraft {
  /** Member section texts by template key. */
  sections: Record<string, string>;
  /** By goal id. */
  goals: Record<number, GoalDraft>;
  /** "" while not chosen. */
  riskLevel: RiskLevel | '';
  riskText: string;
}

export interface NoteDraft {
  /** Shared section texts by template key, as the editor shows them (`@Name`). */
  shared: Record<string, string>;
  /** Every booked member's section by client id (sent only while they attend). */
  members: Record<number, MemberDraft>;
  /**
   * Occurrences in shared sections the author marked "not a name", as the
   * core identified them (words and context). Sent whole on every save; the
   * core keeps those still in the text.
   */
  released: SectionRelease[];
}

export function sharedSections(template: Template): TemplateSection[] {
  return template.sections.filter((s) => s.scope === 'shared');
}

export function memberSections(template: Template): TemplateSection[] {
  return template.sections.filter((s) => s.scope === 'member');
}

export function emptyDraft(): NoteDraft {
  return { shared: {}, members: {}, released: [] };
}

/** One member's section as stored (or blank), with a place for every goal. */
export function memberDraftFrom(member: NoteMember, template: Template): MemberDraft {
  const stored = member.note;
  const sections: Record<string, string> = {};
  for (const section of memberSections(template)) {
    sections[section.key] = stored?.sections.find((s) => s.key === section.key)?.body ?? '';
  }
  const goals: Record<number, GoalDraft> = {};
  for (const goal of member.goals) {
    const rated = stored?.goalRatings.find((r) => r.goalId === goal.id);
    goals[goal.id] = { rating: rated?.rating ?? null, comment: rated?.comment ?? '' };
  }
  return {
    sections,
    goals,
    riskLevel: stored?.riskLevel ?? '',
    riskText: stored?.riskText ?? '',
  };
}

/** The draft of a note as Rust sent it; mentions become `@Display Name`. */
export function draftFromNote(note: SessionNote): NoteDraft {
  const shared: Record<string, string> = {};
  for (const section of sharedSections(note.template)) {
    const body = note.shared.find((s) => s.key === section.key)?.body ?? '';
    shared[section.key] = toEditorText(body, note.members);
  }
  const members: Record<number, MemberDraft> = {};
  for (const member of note.members) {
    members[member.clientId] = memberDraftFrom(member, note.template);
  }
  const released = note.nameWarnings.flatMap((warning) =>
    warning.matches
      .filter((m) => m.released)
      .map((m) => ({ sectionKey: warning.sectionKey, release: m.release })),
  );
  return { shared, members, released };
}

function sameRelease(a: SectionRelease, key: string, release: NameRelease): boolean {
  return (
    a.sectionKey === key &&
    a.release.text === release.text &&
    a.release.before === release.before &&
    a.release.after === release.after
  );
}

/** Whether the draft marks this occurrence "not a name". */
export function isReleased(draft: NoteDraft, key: string, release: NameRelease): boolean {
  return draft.released.some((r) => sameRelease(r, key, release));
}

/** The draft's releases with this occurrence marked "not a name" (`on`) or not. */
export function withRelease(
  draft: NoteDraft,
  key: string,
  release: NameRelease,
  on: boolean,
): SectionRelease[] {
  const others = draft.released.filter((r) => !sameRelease(r, key, release));
  return on ? [...others, { sectionKey: key, release }] : others;
}

/**
 * A reloaded note's draft with what is in memory laid over it: every text,
 * rating and risk the editor holds wins; the reload only adds what is new (a
 * member, a goal, a section).
 */
export function mergeDraft(current: NoteDraft, note: SessionNote): NoteDraft {
  const fresh = draftFromNote(note);
  const members: Record<number, MemberDraft> = { ...current.members };
  for (const [id, loaded] of Object.entries(fresh.members)) {
    const held = current.members[Number(id)];
    members[Number(id)] = held
      ? {
          sections: { ...loaded.sections, ...held.sections },
          goals: { ...loaded.goals, ...held.goals },
          riskLevel: held.riskLevel,
          riskText: held.riskText,
        }
      : loaded;
  }
  return { shared: { ...fresh.shared, ...current.shared }, members, released: current.released };
}

/**
 * What autosave sends: every shared section (mentions as tokens), and a
 * section for each attending member only, with every member section key,
 * a rating entry for every goal (null while unrated) and the risk level
 * (null while not chosen).
 */
export function draftInput(note: SessionNote, draft: NoteDraft, revision: number): NoteDraftInput {
  return {
    sessionId: note.session.id,
    revision,
    released: draft.released,
    shared: sharedSections(note.template).map((section) => ({
      key: section.key,
      body: toStoredText(draft.shared[section.key] ?? '', note.members),
    })),
    members: note.members
      .filter((member) => isAttending(member.attendance))
      .map((member) => {
        const held = draft.members[member.clientId] ?? memberDraftFrom(member, note.template);
        return {
          clientId: member.clientId,
          sections: memberSections(note.template).map((section) => ({
            key: section.key,
            body: held.sections[section.key] ?? '',
          })),
          goalRatings: member.goals.map((goal) => ({
            goalId: goal.id,
            rating: held.goals[goal.id]?.rating ?? null,
            comment: held.goals[goal.id]?.comment ?? '',
          })),
          riskLevel: held.riskLevel === '' ? null : held.riskLevel,
          riskText: held.riskText,
        };
      }),
  };
}

/** Whether a member's draft holds anything written or chosen. */
export function hasContent(member: MemberDraft | undefined): boolean {
  if (!member) return false;
  return (
    Object.values(member.sections).some((body) => body.trim() !== '') ||
    Object.values(member.goals).some((g) => g.rating !== null || g.comment.trim() !== '') ||
    member.riskLevel !== '' ||
    member.riskText.trim() !== ''
  );
}

/** The ids of the members who attend, for noticing when that changes. */
export function attendingIds(note: SessionNote): string {
  return note.members
    .filter((m) => isAttending(m.attendance))
    .map((m) => m.clientId)
    .join(',');
}

/**
 * The fields of this note that a refusal may name and the screen can show a
 * message beside (the core's names: "shared.topic", "members.12",
 * "members.12.plan", "members.12.risk", "members.12.goals.501", "attendance").
 */
export function knownFields(note: SessionNote): Set<string> {
  const fields = new Set<string>(['attendance']);
  for (const section of sharedSections(note.template)) fields.add(`shared.${section.key}`);
  for (const member of note.members) {
    fields.add(`members.${member.clientId}`);
    if (!isAttending(member.attendance)) continue;
    for (const section of memberSections(note.template)) {
      fields.add(`members.${member.clientId}.${section.key}`);
    }
    fields.add(`members.${member.clientId}.risk`);
    for (const goal of member.goals) fields.add(`members.${member.clientId}.goals.${goal.id}`);
  }
  return fields;
}

/** Element ids of the editor's controls, shared by the components and focus. */
export const ids = {
  shared: (key: string) => `note-shared-${key}`,
  memberSection: (clientId: number, key: string) => `note-member-${clientId}-${key}`,
  memberHeading: (clientId: number) => `note-member-${clientId}`,
  risk: (clientId: number) => `note-member-${clientId}-risk-level`,
  /** The goal's first rating choice. */
  goal: (clientId: number, goalId: number) => `note-member-${clientId}-goal-${goalId}`,
  attendanceHeading: 'note-attendance-heading',
  attendanceStatus: (clientId: number) => `note-attendance-${clientId}`,
};

/**
 * Where focus goes for a message about `field`, best first: the control
 * itself, then (for a member without a section on screen) their attendance.
 */
export function focusCandidates(field: string): string[] {
  if (field === 'attendance') return [ids.attendanceHeading];
  const shared = /^shared\.(.+)$/.exec(field);
  if (shared) return [ids.shared(shared[1])];
  const member = /^members\.(\d+)(?:\.(.+))?$/.exec(field);
  if (member) {
    const clientId = Number(member[1]);
    const rest = member[2];
    const goal = rest ? /^goals\.(\d+)$/.exec(rest) : null;
    const own =
      rest === undefined
        ? ids.memberHeading(clientId)
        : rest === 'risk'
          ? ids.risk(clientId)
          : goal
            ? ids.goal(clientId, Number(goal[1]))
            : ids.memberSection(clientId, rest);
    return [own, ids.memberHeading(clientId), ids.attendanceStatus(clientId)];
  }
  return [];
}
