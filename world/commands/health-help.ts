// The help text of the health commands (world/core/health.ts), and of `prompt`,
// whose format the session renders (portal/prompt-format.ts) from `Char.Vitals`.

export const POSITION_HELP = {
  rest: 'Sit down and rest: hit points come back three times as fast as standing. "stand" to get up.',
  stand: 'Get up from resting or sleeping.',
  sleep: 'Lie down and sleep: hit points come back six times as fast as standing, but you cannot walk or fight. "wake" to get up.',
  wake: 'Wake up and stand.',
} as const;

export const PROMPT_HELP = 'Shape your prompt: %h hit points, %H most hit points, %p what you are doing (resting, sleeping, fighting), %l level, %x experience, '
  + '%% a percent sign. "prompt %h/%Hhp> " shows your hit points always; "prompt default" goes back to the default '
  + '(hit points while hurt or fighting, otherwise "> "); "prompt" alone shows the one you have. Kept with your character.';
