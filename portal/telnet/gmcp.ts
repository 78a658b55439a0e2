import type { Json } from '../../world/core/types.js';
import type { GmcpState } from '../handover.js';

/** Packages one client may list; Mudlet lists about fifteen. */
const MAX_PACKAGES = 256;

/** What a GMCP message from the client asks of the server. */
export type GmcpRequest =
  | { t: 'none' }
  | { t: 'ping' }
  | { t: 'error'; message: string };

/** One connection's GMCP state (option 201, https://tintin.mudhalla.net/protocols/gmcp/):
 *  who the client says it is (Core.Hello) and which packages it wants
 *  (Core.Supports.Set/Add/Remove). Packages go out only when the client
 *  listed them (or a parent: "Char 1" covers Char.Items), as the spec asks;
 *  Core goes out always. */
export class GmcpSession {
  client: { name: string; version: string } | undefined;
  private readonly supported = new Set<string>();
  /** A memo of wants(): a handful of package names per game. */
  private readonly decided = new Map<string, boolean>();

  /** True when the client asked for `pkg` (or one of its parents). */
  wants(pkg: string): boolean {
    let yes = this.decided.get(pkg);
    if (yes === undefined) {
      yes = pkg.startsWith('Core.') || prefixes(pkg).some((p) => this.supported.has(p));
      this.decided.set(pkg, yes);
    }
    return yes;
  }

  /** One message from the client: `Package.Name [json]`. */
  receive(payload: Buffer): GmcpRequest {
    const text = payload.toString('utf8');
    const space = text.indexOf(' ');
    const name = (space < 0 ? text : text.slice(0, space)).trim();
    const body = space < 0 ? '' : text.slice(space + 1).trim();
    let data: Json = null;
    if (body) {
      try {
        data = JSON.parse(body) as Json;
      } catch {
        return { t: 'error', message: `GMCP ${name.slice(0, 40)}: the data is not JSON` };
      }
    }
    switch (name.toLowerCase()) {
      case 'core.hello': return this.hello(data);
      case 'core.supports.set': this.supported.clear(); return this.supports(data, true);
      case 'core.supports.add': return this.supports(data, true);
      case 'core.supports.remove': return this.supports(data, false);
      case 'core.ping': return { t: 'ping' };
      default: return { t: 'none' }; // other packages (Char.Login, External.Discord, ...) are not ours
    }
  }

  private hello(data: Json): GmcpRequest {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return { t: 'error', message: 'GMCP Core.Hello: expected {"client": ..., "version": ...}' };
    this.client = { name: String(data.client ?? '').slice(0, 64), version: String(data.version ?? '').slice(0, 32) };
    return { t: 'none' };
  }

  private supports(data: Json, add: boolean): GmcpRequest {
    if (!Array.isArray(data)) return { t: 'error', message: 'GMCP Core.Supports: expected a list like ["Char 1", "Room 1"]' };
    this.decided.clear();
    for (const entry of data.slice(0, 200)) {
      if (typeof entry !== 'string') continue;
      // "Char.Items 1": a package and its version; we speak version 1 of each.
      const pkg = entry.trim().split(/\s+/)[0];
      if (!pkg) continue;
      // Bounded: a client adding names forever must not grow the server's memory.
      if (add && this.supported.size < MAX_PACKAGES) this.supported.add(pkg.toLowerCase().slice(0, 64));
      else if (!add) this.supported.delete(pkg.toLowerCase().slice(0, 64));
    }
    return { t: 'none' };
  }

  get packages(): string[] {
    return [...this.supported].sort();
  }

  /** What the client set up, for a successor process (portal/handover.ts). */
  snapshot(): GmcpState {
    return { client: this.client, packages: this.packages };
  }

  restore(s: GmcpState): void {
    this.client = s.client;
    this.decided.clear();
    this.supported.clear();
    for (const p of s.packages.slice(0, MAX_PACKAGES)) this.supported.add(p);
  }
}

/** "Char.Items.List" -> ["char", "char.items", "char.items.list"] */
function prefixes(pkg: string): string[] {
  const parts = pkg.toLowerCase().split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}
