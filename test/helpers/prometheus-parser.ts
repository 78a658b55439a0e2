// Parses Prometheus text format with the parser of the official Python client
// (Debian's python3-prometheus-client), so /metrics is checked by a parser that
// is not ours and that knows histograms with labels. Without it, tests skip with
// the reason locally and fail under CI=true (CI installs it: see .ci/run).
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

const PYTHON = process.env.PROMETHEUS_PYTHON ?? '/usr/bin/python3';
const SCRIPT = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({'name': f.name, 'type': f.type, 'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]})
json.dump(out, sys.stdout)
`;

export interface Sample { name: string; labels: Record<string, string>; value: number }
/** A family as the parser names it: a counter without its `_total`. */
export interface Family { name: string; type: string; samples: Sample[] }

export function prometheusParserAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import prometheus_client.parser'], { stdio: 'ignore' }).status === 0;
}

/** `describe` when the parser is here; else a visible skip, or a failure under CI. */
export function describeWithPrometheusParser(name: string, body: () => void): void {
  if (prometheusParserAvailable()) {
    describe(name, body);
    return;
  }
  const reason = `the Prometheus text-format parser is not installed (apt-get install python3-prometheus-client; ${PYTHON})`;
  if (process.env.CI === 'true') {
    describe(name, () => it(`needs the parser under CI: ${reason}`, () => {
      throw new Error(`${reason}; CI must install it (.ci/run)`);
    }));
  } else {
    process.stderr.write(`SKIPPED ${name}: ${reason}\n`);
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
}

/** Every family in the text, by name; rejects with the parser's error on malformed text. */
export function parsePrometheus(text: string): Promise<Map<string, Family>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the Prometheus parser refused the text: ${err.trim().split('\n').at(-1)}`));
      resolve(new Map((JSON.parse(out) as Family[]).map((f) => [f.name, f])));
    });
    child.stdin.end(text);
  });
}
