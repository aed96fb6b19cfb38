import { describe, expect, it } from 'vitest';
import {
  insertMention,
  matchMentions,
  mentionOptions,
  mentionQueryAt,
  mentionToken,
  toEditorText,
  toStoredText,
  type MentionMember,
} from './mentions';

const zoe: MentionMember = { clientId: 12, displayName: 'Zoë Martin' };
const zoeM: MentionMember = { clientId: 13, displayName: 'Zoë Martinez' };
const zoeK: MentionMember = { clientId: 14, displayName: 'Zoë Kaur' };
const bo: MentionMember = { clientId: 7, displayName: 'Bo Chen' };
const members = [zoe, zoeM, zoeK, bo];

describe('toEditorText', () => {
  it('shows each token of a booked member as @Display Name', () => {
    expect(toEditorText('Thanks to @[client:12] and @[client:7].', members)).toBe(
      'Thanks to @Zoë Martin and @Bo Chen.',
    );
  });

  it('leaves a token of someone no longer booked as it is, so it survives a save', () => {
    expect(toEditorText('@[client:404] left early', members)).toBe('@[client:404] left early');
    expect(toStoredText('@[client:404] left early', members)).toBe('@[client:404] left early');
  });

  it('leaves text without mentions unchanged', () => {
    const text = 'Grounding exercise, then skills review.\n\nHomework: diary card.';
    expect(toEditorText(text, members)).toBe(text);
  });
});

describe('toStoredText', () => {
  it('turns @Display Name of a booked member into their token', () => {
    expect(toStoredText('@Bo Chen shared first.', members)).toBe(`${mentionToken(7)} shared first.`);
  });

  it('tries longer names first when one name starts another', () => {
    expect(toStoredText('@Zoë Martinez and @Zoë Martin', members)).toBe(
      '@[client:13] and @[client:12]',
    );
  });

  it('tells apart two members who share a first name', () => {
    expect(toStoredText('@Zoë Kaur thanked @Zoë Martin', members)).toBe(
      '@[client:14] thanked @[client:12]',
    );
  });

  it('matches a name followed by punctuation or a possessive', () => {
    expect(toStoredText('With @Bo Chen, @Zoë Martin. (@Bo Chen) @Bo Chen’s turn; @Bo Chen!', members)).toBe(
      'With @[client:7], @[client:12]. (@[client:7]) @[client:7]’s turn; @[client:7]!',
    );
    expect(toStoredText("@Bo Chen's story", members)).toBe("@[client:7]'s story");
  });

  it('does not match a name that continues into a longer word', () => {
    expect(toStoredText('@Bo Chenoweth came', members)).toBe('@Bo Chenoweth came');
  });

  it('leaves an unknown @name, a lone @ and an email address as typed', () => {
    const text = 'Ask @Someone Else; write to info@Bo Chen.org @ 18:00';
    expect(toStoredText(text, members)).toBe(text);
  });

  it('leaves text without mentions unchanged', () => {
    const text = 'Zoë Martin spoke about work.\nNo mentions here.';
    expect(toStoredText(text, members)).toBe(text);
  });

  it('round-trips stored text through the editor and back', () => {
    const stored =
      '@[client:12] and @[client:13] practised with @[client:14].\n@[client:7]: "ok" — @[client:404].';
    const shown = toEditorText(stored, members);
    expect(shown).toBe(
      '@Zoë Martin and @Zoë Martinez practised with @Zoë Kaur.\n@Bo Chen: "ok" — @[client:404].',
    );
    expect(toStoredText(shown, members)).toBe(stored);
  });

  it('keeps two members with the same display name apart', () => {
    const twins: MentionMember[] = [
      { clientId: 1, displayName: 'Sam Reed' },
      { clientId: 2, displayName: 'Sam Reed' },
    ];
    expect(mentionOptions(twins).map((o) => o.label)).toEqual(['Sam Reed', 'Sam Reed (2)']);
    const stored = '@[client:2] then @[client:1]';
    expect(toEditorText(stored, twins)).toBe('@Sam Reed (2) then @Sam Reed');
    expect(toStoredText(toEditorText(stored, twins), twins)).toBe(stored);
  });
});

describe('typing a mention', () => {
  it('finds the "@" being typed and what follows it', () => {
    expect(mentionQueryAt('Thanks @Zo', 10)).toEqual({ start: 7, query: 'Zo' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('Thanks @Zoë M', 13)).toEqual({ start: 7, query: 'Zoë M' });
  });

  it('ignores an "@" inside a word, on an earlier line, or followed by a space', () => {
    expect(mentionQueryAt('mail@host', 9)).toBeNull();
    expect(mentionQueryAt('@Zo\nand', 7)).toBeNull();
    expect(mentionQueryAt('@ Zo', 4)).toBeNull();
    expect(mentionQueryAt('no at sign', 5)).toBeNull();
  });

  it('filters by the start of the name or of any word in it', () => {
    const options = mentionOptions(members);
    expect(matchMentions(options, '').map((o) => o.clientId)).toEqual([12, 13, 14, 7]);
    expect(matchMentions(options, 'zoë m').map((o) => o.clientId)).toEqual([12, 13]);
    expect(matchMentions(options, 'che').map((o) => o.clientId)).toEqual([7]);
    expect(matchMentions(options, 'x').map((o) => o.clientId)).toEqual([]);
  });

  it('inserts "@Name" in place of what was typed and puts the caret right after it', () => {
    expect(insertMention('Thanks @Zo for that', 7, 10, 'Zoë Martin')).toEqual({
      text: 'Thanks @Zoë Martin for that',
      caret: 18,
    });
    expect(insertMention('Thanks @Zo', 7, 10, 'Zoë Martin')).toEqual({
      text: 'Thanks @Zoë Martin',
      caret: 18,
    });
  });

  it('leaves a single space when the next words are typed after the name', () => {
    const inserted = insertMention('@Zo', 0, 3, 'Zoë Martin');
    const typed = ' shared a story';
    const text =
      inserted.text.slice(0, inserted.caret) + typed + inserted.text.slice(inserted.caret);
    expect(text).toBe('@Zoë Martin shared a story');
    expect(text).not.toContain('  ');
    // Punctuation and a possessive sit right against the name.
    const possessive = insertMention('@Zo', 0, 3, 'Zoë Martin');
    expect(`${possessive.text.slice(0, possessive.caret)}'s turn`).toBe("@Zoë Martin's turn");
  });
});
