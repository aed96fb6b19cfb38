import { describe, expect, it } from 'vitest';
import { splitSnippet } from './search';

describe('splitSnippet', () => {
  it('splits marked words from the text around them', () => {
    expect(splitSnippet('…we practised \u0002grounding\u0003 and \u0002breathing\u0003 today')).toEqual([
      { text: '…we practised ', match: false },
      { text: 'grounding', match: true },
      { text: ' and ', match: false },
      { text: 'breathing', match: true },
      { text: ' today', match: false },
    ]);
  });

  it('keeps a snippet without marks whole', () => {
    expect(splitSnippet('plain words')).toEqual([{ text: 'plain words', match: false }]);
    expect(splitSnippet('')).toEqual([]);
  });

  it('copes with marks at the edges, back to back, unclosed or stray', () => {
    expect(splitSnippet('\u0002start\u0003\u0002again\u0003 end')).toEqual([
      { text: 'startagain', match: true },
      { text: ' end', match: false },
    ]);
    expect(splitSnippet('a \u0002b')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
    expect(splitSnippet('a\u0003 b')).toEqual([{ text: 'a b', match: false }]);
  });

  it('leaves markup as text', () => {
    expect(splitSnippet('<b>\u0002x\u0003</b>')).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
      { text: '</b>', match: false },
    ]);
  });
});
