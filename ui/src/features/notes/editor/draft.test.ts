import { describe, expect, it } from 'vitest';
import {
  draftFromNote,
  draftInput,
  focusCandidates,
  hasContent,
  knownFields,
  mergeDraft,
} from './draft';
import { goal, draftNote, sessionNote } from './testing';
import { absentLine } from '../../../lib/attendance';
import { listNames, nameWarningText, withoutFullStop } from './words';

describe('draftFromNote', () => {
  it('shows stored mentions as names and holds every member with every goal', () => {
    const draft = draftFromNote(draftNote());
    expect(draft.shared.interventions).toBe('@Zoë Martin led the paced-breathing practice.');
    expect(draft.shared.process).toBe('');
    expect(draft.members[12].sections.plan).toBe('Diary card daily.');
    expect(draft.members[12].goals[501]).toEqual({ rating: 3, comment: 'Used it once.' });
    expect(draft.members[12].riskLevel).toBe('none');
    // Not written yet: blank, risk not chosen.
    expect(draft.members[13]).toEqual({
      sections: { participation: '', response: '', plan: '' },
      goals: {},
      riskLevel: '',
      riskText: '',
    });
    expect(Object.keys(draft.members)).toEqual(['12', '13', '14', '15']);
  });
});

describe('draftInput', () => {
  it('sends tokens for mentions and a section for attending members only', () => {
    const note = draftNote();
    const draft = draftFromNote(note);
    draft.shared.process = 'Trust grew; @Bo Chen and @Zoë Martin paired up.';
    draft.members[13].sections.response = 'Quiet but present.';
    draft.members[14].sections.plan = 'Typed before the no-show was recorded.';

    const input = draftInput(note, draft, 3);
    expect(input.sessionId).toBe(40);
    expect(input.revision).toBe(3);
    expect(input.shared).toEqual([
      { key: 'topic', body: 'Distress tolerance: TIPP skills.' },
      { key: 'interventions', body: '@[client:12] led the paced-breathing practice.' },
      { key: 'process', body: 'Trust grew; @[client:13] and @[client:12] paired up.' },
    ]);
    expect(input.members.map((m) => m.clientId)).toEqual([12, 13]);
    expect(input.members[1]).toEqual({
      clientId: 13,
      sections: [
        { key: 'participation', body: '' },
        { key: 'response', body: 'Quiet but present.' },
        { key: 'plan', body: '' },
      ],
      goalRatings: [],
      riskLevel: null,
      riskText: '',
    });
    expect(input.members[0].goalRatings).toEqual([
      { goalId: 501, rating: 3, comment: 'Used it once.' },
    ]);
  });

  it('sends every goal, unrated ones with a null rating', () => {
    const note = sessionNote();
    note.members[0].goals.push(goal(502, 12, 'Attend every session'));
    const input = draftInput(note, draftFromNote(note), 0);
    expect(input.members[0].goalRatings).toEqual([
      { goalId: 501, rating: null, comment: '' },
      { goalId: 502, rating: null, comment: '' },
    ]);
  });
});

describe('mergeDraft', () => {
  it('keeps what was typed and adds what the reload brings', () => {
    const before = sessionNote();
    const draft = draftFromNote(before);
    draft.shared.topic = 'Typed, not saved yet';
    draft.members[12].sections.plan = 'Typed plan';
    draft.members[12].goals[501] = { rating: 4, comment: 'Typed comment' };

    // Reloaded after Tom was marked present; Zoë gained a goal; the server
    // still has the old text.
    const after = sessionNote();
    after.members[3] = { ...after.members[3], attendance: 'present' };
    after.members[0].goals.push(goal(502, 12, 'Attend every session'));
    after.shared[0] = { key: 'topic', body: 'Older saved text' };

    const merged = mergeDraft(draft, after);
    expect(merged.shared.topic).toBe('Typed, not saved yet');
    expect(merged.members[12].sections.plan).toBe('Typed plan');
    expect(merged.members[12].goals[501]).toEqual({ rating: 4, comment: 'Typed comment' });
    expect(merged.members[12].goals[502]).toEqual({ rating: null, comment: '' });
    expect(draftInput(after, merged, 0).members.map((m) => m.clientId)).toEqual([12, 13, 15]);
  });
});

describe('fields and words', () => {
  it('knows which refusal fields have a place on screen', () => {
    const fields = knownFields(sessionNote());
    expect(fields.has('shared.interventions')).toBe(true);
    expect(fields.has('members.12.plan')).toBe(true);
    expect(fields.has('members.12.risk')).toBe(true);
    expect(fields.has('members.14')).toBe(true);
    // An absent member has no section to point at.
    expect(fields.has('members.14.plan')).toBe(false);
    expect(fields.has('attendance')).toBe(true);
    expect(fields.has('members.12.goals.501')).toBe(true);
    expect(fields.has('note')).toBe(false);
  });

  it('focuses the control a field names, falling back to the member', () => {
    expect(focusCandidates('shared.topic')).toEqual(['note-shared-topic']);
    expect(focusCandidates('members.12.risk')[0]).toBe('note-member-12-risk-level');
    expect(focusCandidates('members.14')).toContain('note-attendance-14');
    expect(focusCandidates('attendance')).toEqual(['note-attendance-heading']);
    expect(focusCandidates('members.12.goals.501')[0]).toBe('note-member-12-goal-501');
  });

  it('notices writing in a member draft', () => {
    const draft = draftFromNote(sessionNote());
    expect(hasContent(draft.members[12])).toBe(false);
    draft.members[12].riskText = 'Spoke about sleep.';
    expect(hasContent(draft.members[12])).toBe(true);
  });

  it('says the name warning and the absent line in plain words', () => {
    expect(nameWarningText(['Zoë Martin'])).toBe(
      "Zoë Martin is named here in plain text. In the other members' records the name becomes a neutral label such as “Member B”. Use @ to mention members.",
    );
    expect(nameWarningText(['Zoë Martin', 'Bo Chen'])).toMatch(/^Zoë Martin and Bo Chen are named/);
    expect(listNames(['A', 'B', 'C'])).toBe('A, B and C');
    expect(absentLine('Priya Nair', 'noShow')).toBe('Priya Nair: no clinical note (absent — no-show)');
    expect(withoutFullStop('The disk is full.')).toBe('The disk is full');
  });
});
