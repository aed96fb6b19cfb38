/**
 * Note search helpers: how a hit's snippet reads on screen.
 *
 * Rust marks the matched words of a snippet with the control characters
 * U+0002 (start) and U+0003 (end). The screen splits on them and draws the
 * matched parts in <mark>: the text is never treated as HTML.
 */

export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** Wait this long after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 250;

/** One run of a snippet: plain text, or a matched word (or words). */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * Splits a snippet into plain and matched runs. A stray end marker is
 * dropped; a start marker without an end marks the rest as matched. Empty
 * runs are left out, and neighbouring runs of the same kind are joined.
 */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  let text = '';

  const push = () => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += text;
    else parts.push({ text, match });
    text = '';
  };

  for (const char of snippet) {
    if (char === MATCH_START) {
      push();
      match = true;
    } else if (char === MATCH_END) {
      push();
      match = false;
    } else {
      text += char;
    }
  }
  push();
  return parts;
}

