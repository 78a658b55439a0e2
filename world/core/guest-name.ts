/** Every guest's name starts with this, and no account's may (portal/login/guest-login.ts, accounts.ts): the world
 *  tells a guest by its name (a guest keeps no mailbox: world/kinds/player-mail.ts). */
export const GUEST_PREFIX = 'guest';

export const isGuestName = (name: string): boolean => name.startsWith(GUEST_PREFIX);
