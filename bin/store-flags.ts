import { InvalidArgumentError, Option, type Command } from 'commander';
import { STORE_KINDS, STORE_REGISTRY, type StoreKind } from '../store/registry.js';
import type { StoreFlag } from '../store/store-spec.js';

type StoreCommand = StoreFlag['commands'][number];

/** Every backend's own flags that `command` takes (`flags` in store/*-spec.ts), each said in its help to go with its `--store`. */
export function storeFlags(cmd: Command, command: StoreCommand): Command {
  for (const [kind, flag] of flagsOf(command)) {
    const option = new Option(flag.flags, `with --store ${kind}: ${flag.help}`);
    const parse = flag.parse;
    if (parse) {
      option.argParser((value: string) => {
        try {
          return parse(value);
        } catch (err) {
          throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
        }
      });
    }
    if (flag.default !== undefined) option.default(flag.default);
    cmd.addOption(option);
  }
  return cmd;
}

/** The values of `kind`'s own flags as `cmd` parsed them, for `StoreContext.flags`. Throws on a flag of
 *  another backend given on the command line: it would do nothing here. */
export function storeFlagValues(cmd: Command, command: StoreCommand, kind: StoreKind): Record<string, unknown> {
  const given: Record<string, unknown> = cmd.opts();
  const values: Record<string, unknown> = {};
  for (const [owner, flag] of flagsOf(command)) {
    if (owner === kind) {
      if (given[flag.key] !== undefined) values[flag.key] = given[flag.key];
    } else if (cmd.getOptionValueSource(flag.key) === 'cli') {
      throw new Error(`${flag.flags.split(' ')[0]} is a flag of --store ${owner}: it needs --store ${owner}, not ${kind}`);
    }
  }
  return values;
}

function* flagsOf(command: StoreCommand): Iterable<[StoreKind, StoreFlag]> {
  for (const kind of STORE_KINDS) {
    for (const flag of STORE_REGISTRY[kind].flags ?? []) if (flag.commands.includes(command)) yield [kind, flag];
  }
}
