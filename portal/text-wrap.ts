import { STYLE_END, STYLE_START } from '../world/core/text-style.js';

/** Wraps each line longer than `width` columns at spaces (a word longer than
 *  the width is cut), continuing with the line's own indentation. Style marks
 *  take no columns. Width 0 leaves the text alone (the client wraps). Columns
 *  are UTF-16 units: right for the Latin text the game writes, approximate for
 *  wide (CJK) characters. */
export function wrapText(text: string, width: number): string {
  if (width <= 0 || text.length <= width) return text;
  let out = '';
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    out += end - start > width ? wrapLine(text.slice(start, end), width) : text.slice(start, end);
    if (end < text.length) out += '\n';
    start = end + 1;
  }
  return out;
}

function wrapLine(line: string, width: number): string {
  const indent = /^ */.exec(line)![0].slice(0, Math.floor(width / 2));
  let out = '';
  let column = 0;
  let lineStart = 0; // index in `out` where the current output line starts
  let breakAt = -1; // index in `out` of the last space on this output line
  let columnAtBreak = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === STYLE_START) {
      out += c + (line[++i] ?? '');
      continue;
    }
    if (c === STYLE_END) {
      out += c;
      continue;
    }
    if (column >= width) {
      if (c === ' ') { // the break falls on a space: it becomes the line end
        out += `\n${indent}`;
        lineStart = out.length - indent.length;
        column = indent.length;
        breakAt = -1;
        continue;
      }
      if (breakAt > lineStart + indent.length) {
        const rest = out.slice(breakAt + 1);
        out = `${out.slice(0, breakAt)}\n${indent}${rest}`;
        lineStart = breakAt + 1;
        column = indent.length + column - columnAtBreak - 1;
      } else {
        out += `\n${indent}`;
        lineStart = out.length - indent.length;
        column = indent.length;
      }
      breakAt = -1;
    }
    if (c === ' ' && column > indent.length) {
      breakAt = out.length;
      columnAtBreak = column;
    }
    out += c;
    column++;
  }
  return out;
}
