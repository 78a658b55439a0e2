export const noop = (): void => {};

/** The writes of one group commit: they all resolve (or reject) together. */
export class Batch {
  readonly lines: string[] = [];
  readonly done: Promise<void>;
  resolve: () => void = noop;
  reject: (err: Error) => void = noop;
  constructor() {
    this.done = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    this.done.catch(noop); // a failed batch nobody waits for must not crash the process
  }
}
