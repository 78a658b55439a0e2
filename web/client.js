// The lattice-mud browser client: one WebSocket to /play, a scrollback, a prompt,
// an input line and a side panel. Plain ES modules, no build step, no dependencies.
//
// The protocol (see portal/websocket-connection.ts), subprotocol "lattice-mud.v1":
//   client -> server  one text frame per typed line
//   server -> client  output: text whose lines end with "\n", with ANSI colour codes
//                     prompt: a frame of its own, text with no line end ("> ")
//                     control: "\u0000echo:off" / "\u0000echo:on" (password entry)
//                     data: "\u0000gmcp Package.Name {json}" (the side panel's facts)
//   client -> server  "\u0000gmcp Core.Supports.Set [...]" once: the packages the panel uses
// Server text only ever reaches the page as text nodes, never as HTML.

import { appendAnsi, plainStyle } from './ansi.js';
import { createSidePanel } from './side-panel.js';

const PROTOCOL = 'lattice-mud.v1';
/** What the side panel shows: asked for as GMCP clients do, so nothing else is sent. */
const PANEL_PACKAGES = ['Char 1', 'Room 1', 'Lattice.Map 1'];
const MAX_LINES = 5000;
const MAX_HISTORY = 200;
/** How close to the bottom (px) still counts as "at the bottom" for auto-scroll. */
const STICKY_SLACK = 24;
/** Terminal escape sequences and C0 controls, for the prompt (shown without colour). */
const ESCAPES = /\u001b\[[0-9;?]*[ -\/]*[@-~]|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;
/** One-line logins carry a password: never echo or remember it. */
const ONE_LINE_LOGIN = /^(\s*(?:connect|create)\s+\S+\s+)\S.*$/i;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const output = $('output');
const jump = /** @type {HTMLButtonElement} */ ($('jump'));
const form = /** @type {HTMLFormElement} */ ($('input-form'));
const input = /** @type {HTMLInputElement} */ ($('command'));
const label = $('command-label');
const promptEl = $('prompt');
const statusEl = $('status');
const statusText = $('status-text');
const reconnectButton = /** @type {HTMLButtonElement} */ ($('reconnect'));

/** @type {WebSocket | undefined} */
let socket;
let promptText = '';
let echo = true;
/** @type {string[]} */
const commandHistory = [];
/** Where Up/Down has got to in `commandHistory` (commandHistory.length = the line being typed). */
let historyAt = 0;
/** What was being typed before Up was first pressed, restored by Down. */
let draft = '';
/** Colour carries from line to line, as on a terminal. */
let style = plainStyle();
const panel = createSidePanel((direction) => {
  appendLines([`${promptText.trimEnd()} ${direction}`.trim()], 'echo');
  scrollToBottom();
  send(direction);
  input.focus({ preventScroll: true });
});

// ---------------------------------------------------------------- scrollback

function atBottom() {
  return output.scrollHeight - output.scrollTop - output.clientHeight <= STICKY_SLACK;
}

function scrollToBottom() {
  output.scrollTop = output.scrollHeight;
  jump.hidden = true;
}

/**
 * Appends lines to the scrollback (as text, never HTML), keeps at most
 * MAX_LINES, and follows the bottom unless the player has scrolled up.
 * @param {string[]} lines
 * @param {string} [kind] extra class: "echo" (what the player typed) or "system" (the client's own notes)
 */
function appendLines(lines, kind) {
  if (lines.length === 0) return;
  const follow = atBottom();
  const fragment = document.createDocumentFragment();
  for (const text of lines) {
    const div = document.createElement('div');
    div.className = kind ? `line ${kind}` : 'line';
    if (kind) div.textContent = text;
    else style = appendAnsi(div, text, style);
    fragment.append(div);
  }
  output.append(fragment);
  let excess = output.childElementCount - MAX_LINES;
  while (excess-- > 0) output.firstElementChild?.remove();
  if (follow) scrollToBottom();
  else jump.hidden = false;
}

/** @param {string} text */
function note(text) {
  appendLines([text], 'system');
}

output.addEventListener('scroll', () => {
  if (atBottom()) jump.hidden = true;
});
jump.addEventListener('click', () => {
  scrollToBottom();
  input.focus();
});
// A click in the scrollback puts the cursor back in the input line, unless the player is selecting text.
output.addEventListener('mouseup', () => {
  if (String(window.getSelection() ?? '') === '') input.focus({ preventScroll: true });
});
window.addEventListener('resize', () => {
  if (jump.hidden) scrollToBottom();
});

// ---------------------------------------------------------------- server frames

/** @param {string} text */
const clean = (text) => text.replace(ESCAPES, '');

/** @param {string} frame */
function receive(frame) {
  if (frame.startsWith('\u0000')) return control(frame.slice(1));
  const text = frame.replace(/\r\n?/g, '\n');
  const parts = text.split('\n');
  // Everything up to the last line end is output; a remainder without one is a prompt.
  const rest = parts.pop() ?? '';
  appendLines(parts);
  if (rest !== '') setPrompt(clean(rest));
}

/** @param {string} what */
function control(what) {
  if (what === 'echo:off') setEcho(false);
  else if (what === 'echo:on') setEcho(true);
  else if (what.startsWith('gmcp ')) data(what.slice(5));
  // Unknown control frames are ignored (and never shown).
}

/** "Package.Name {json}" for the side panel. @param {string} message */
function data(message) {
  const space = message.indexOf(' ');
  const pkg = space < 0 ? message : message.slice(0, space);
  try {
    panel.receive(pkg, space < 0 ? null : JSON.parse(message.slice(space + 1)));
  } catch {
    // A malformed message changes nothing on screen.
  }
}

/** @param {string} text */
function setPrompt(text) {
  promptText = text;
  promptEl.textContent = text;
  promptEl.hidden = text === '';
}

/** @param {boolean} visible */
function setEcho(visible) {
  if (visible === echo) return;
  echo = visible;
  // Whatever sits in the field belongs to the other mode: never carry a password over.
  input.value = '';
  historyAt = commandHistory.length;
  draft = '';
  if (visible) {
    input.type = 'text';
    input.autocomplete = 'off';
    label.textContent = 'Command';
  } else {
    input.type = 'password';
    input.autocomplete = 'current-password';
    label.textContent = 'Password';
  }
  form.classList.toggle('secret', !visible);
}

// ---------------------------------------------------------------- connection

/** @param {'connecting' | 'open' | 'closed'} state @param {string} text */
function setStatus(state, text) {
  statusEl.dataset.state = state;
  statusText.textContent = text;
  reconnectButton.hidden = state !== 'closed';
  document.body.dataset.connection = state;
}

function connect() {
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  setPrompt('');
  setEcho(true);
  setStatus('connecting', 'Connecting…');
  const url = new URL('/play', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url, [PROTOCOL]);
  style = plainStyle();
  panel.reset();
  socket = ws;
  ws.addEventListener('open', () => {
    if (socket !== ws) return;
    setStatus('open', 'Connected');
    ws.send(`\u0000gmcp Core.Supports.Set ${JSON.stringify(PANEL_PACKAGES)}`);
  });
  ws.addEventListener('message', (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
    receive(event.data);
  });
  ws.addEventListener('close', (event) => {
    if (socket !== ws) return;
    const opened = statusEl.dataset.state === 'open';
    setStatus('closed', 'Disconnected');
    setPrompt('');
    setEcho(true);
    const why = event.code !== 1000 && event.code !== 1001 && event.reason ? ` (${event.reason})` : '';
    note(opened
      ? `— Connection closed${why}. Press Enter or “Reconnect” to play again. —`
      : '— Could not reach the server. Press Enter or “Reconnect” to try again. —');
  });
}

reconnectButton.addEventListener('click', () => {
  connect();
  input.focus();
});

/** @param {string} line */
function send(line) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    note('— Not connected. —');
    return;
  }
  socket.send(line);
}

// ---------------------------------------------------------------- input line

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (statusEl.dataset.state === 'closed') {
    connect();
    return;
  }
  const line = input.value;
  input.value = '';
  const shown = promptText.trimEnd();
  if (!echo) {
    // A password: echo the question, never the answer, and keep it out of the history.
    appendLines([shown], 'echo');
    send(line);
    return;
  }
  const login = ONE_LINE_LOGIN.exec(line);
  const echoed = login ? `${login[1]}********` : line;
  appendLines([shown ? `${shown} ${echoed}` : echoed], 'echo');
  if (line.trim() !== '' && !login && commandHistory[commandHistory.length - 1] !== line) {
    commandHistory.push(line);
    if (commandHistory.length > MAX_HISTORY) commandHistory.shift();
  }
  historyAt = commandHistory.length;
  draft = '';
  // Sending is acting: follow the answer even if the player had scrolled up.
  scrollToBottom();
  send(line);
});

input.addEventListener('keydown', (event) => {
  if (event.isComposing) return;
  switch (event.key) {
    case 'ArrowUp':
      if (!echo || historyAt === 0) return;
      if (historyAt === commandHistory.length) draft = input.value;
      historyAt -= 1;
      showHistory(commandHistory[historyAt]);
      break;
    case 'ArrowDown':
      if (!echo || historyAt >= commandHistory.length) return;
      historyAt += 1;
      showHistory(historyAt === commandHistory.length ? draft : commandHistory[historyAt]);
      break;
    case 'PageUp':
      output.scrollBy({ top: -output.clientHeight * 0.9 });
      break;
    case 'PageDown':
      output.scrollBy({ top: output.clientHeight * 0.9 });
      break;
    case 'Escape':
      input.value = '';
      historyAt = commandHistory.length;
      break;
    default:
      return;
  }
  event.preventDefault();
});

/** @param {string} text */
function showHistory(text) {
  input.value = text;
  const end = text.length;
  input.setSelectionRange(end, end);
}

// Typing anywhere on the page goes to the input line.
document.addEventListener('keydown', (event) => {
  if (document.activeElement === input || event.ctrlKey || event.metaKey || event.altKey) return;
  if (document.activeElement instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
  if (event.key.length === 1) input.focus();
});

connect();
input.focus();
