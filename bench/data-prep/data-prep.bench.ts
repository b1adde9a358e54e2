/**
 * Data preparation at scale: prepares a seeded 1,000,000-row × 30-column CSV (numbers with gaps and tokens,
 * categoricals, a hashed high-cardinality column, a date, an identifier, a constant) from a file in the data root,
 * RUNS times, each in a fresh child process, and reports rows/s and the child's peak RSS against the file's size
 * and against a child that only loaded the code.
 * Writes bench/results/data-prep.json and data-prep.md. Run with `npm run bench:data-prep`.
 */
import { execSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COLUMNS_DESCRIPTION, generateCsv } from './generate-csv';
import type { ChildFigures } from './prepare.child';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
const ROWS = 1_000_000;
const SEED = 'slipway-data-prep-bench';
const RUNS = 3;
const FILE = 'bench.csv';

interface Run extends ChildFigures {
  run: number;
  rowsPerSecond: number;
  loadAverageBefore: number;
}

async function inChild(args: string[]): Promise<ChildFigures> {
  const child = fork(join(__dirname, 'prepare.child.ts'), args, { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const figures = once(child, 'message') as Promise<[ChildFigures]>;
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the prepare child exited with code ${code}`);
  return (await figures)[0];
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = round(loadavg()[0], 2);
  const work = await mkdtemp(join(tmpdir(), 'slipway-data-prep-bench-'));
  try {
    const generatedAt = performance.now();
    await generateCsv(join(work, FILE), ROWS, SEED);
    const generationMs = performance.now() - generatedAt;
    const fileMiB = (await stat(join(work, FILE))).size / 1024 ** 2;
    const baseline = await inChild(['--baseline']);

    const runs: Run[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const loadAverageBefore = round(loadavg()[0], 2);
      const store = join(work, `artifacts-${run}`);
      const figures = await inChild([FILE, work, store]);
      await rm(store, { recursive: true, force: true });
      runs.push({ run, ...figures, durationMs: round(figures.durationMs, 0), maxRssMiB: round(figures.maxRssMiB), rowsPerSecond: Math.round(ROWS / (figures.durationMs / 1000)), loadAverageBefore });
      console.log(`run ${run}: ${runs[run - 1].rowsPerSecond} rows/s, peak RSS ${runs[run - 1].maxRssMiB} MiB`);
    }
    if (new Set(runs.map((run) => run.datasetDigest)).size !== 1) throw new Error('the runs prepared different datasets from the same file');

    const peak = median(runs.map((run) => run.maxRssMiB));
    // What putPreparedDataset is handed at once: float32 features and 4-byte labels of every split.
    const encodedMiB = round((ROWS * ((runs[0].width ?? 0) + 1) * 4) / 1024 ** 2);
    const result = {
      benchmark: 'data-prep',
      startedAt,
      code: { commit: execSync('git rev-parse HEAD', { cwd: WORKSPACE_ROOT }).toString().trim(), uncommittedChanges: execSync('git status --porcelain', { cwd: WORKSPACE_ROOT }).toString().trim() !== '' },
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 1024 ** 3), node: process.version, loadAverageAtStart },
      caveats: [
        'The machine is shared (see the load averages); rows/s is a lower bound.',
        'Each run is a fresh process: hash pass, streaming CSV parse into columns, role inference, split, fit, encode, and writing the blobs to a file artifact store, all included.',
      ],
      input: { rows: ROWS, columns: 30, seed: SEED, fileMiB: round(fileMiB), generationMs: Math.round(generationMs), description: COLUMNS_DESCRIPTION },
      baselineRssMiB: round(baseline.maxRssMiB),
      runs,
      summary: {
        rowsPerSecond: median(runs.map((run) => run.rowsPerSecond)),
        durationMs: median(runs.map((run) => run.durationMs)),
        peakRssMiB: peak,
        peakRssAboveBaselineMiB: round(peak - baseline.maxRssMiB),
        peakRssAboveBaselinePerFileSize: round((peak - baseline.maxRssMiB) / fileMiB, 2),
        encodedSplitsMiB: encodedMiB,
        peakRssAboveBaselineAndEncodedMiB: round(peak - baseline.maxRssMiB - encodedMiB),
      },
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(join(RESULTS_DIR, 'data-prep.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(RESULTS_DIR, 'data-prep.md'), renderMarkdown(result));
    console.log(await readFile(join(RESULTS_DIR, 'data-prep.md'), 'utf8'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

type Result = {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverageAtStart: number };
  caveats: string[];
  input: { rows: number; columns: number; fileMiB: number; description: string };
  baselineRssMiB: number;
  runs: Run[];
  summary: {
    rowsPerSecond: number;
    durationMs: number;
    peakRssMiB: number;
    peakRssAboveBaselineMiB: number;
    peakRssAboveBaselinePerFileSize: number;
    encodedSplitsMiB: number;
    peakRssAboveBaselineAndEncodedMiB: number;
  };
};

function renderMarkdown(result: Result): string {
  const { machine, input, summary } = result;
  const first = result.runs[0];
  const kinds = Object.entries(first.kinds ?? {}).map(([kind, count]) => `${count} ${kind}`).join(', ');
  return [
    '# Data-prep benchmark',
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverageAtStart} at start. ${result.caveats.join(' ')}`,
    '',
    `Input: a seeded CSV of ${input.rows.toLocaleString('en-US')} rows × ${input.columns} columns, ${input.fileMiB} MiB: ${input.description}.`,
    `Prepared as ${kinds}; ${first.width} encoded columns; rows ${first.rowCounts?.train.toLocaleString('en-US')} / ${first.rowCounts?.validation.toLocaleString('en-US')} / ${first.rowCounts?.test.toLocaleString('en-US')} (train / validation / test).`,
    '',
    `- **${summary.rowsPerSecond.toLocaleString('en-US')} rows/s** (median of ${result.runs.length} runs, ${(summary.durationMs / 1000).toFixed(1)} s per run)`,
    `- **peak RSS ${summary.peakRssMiB} MiB**: ${summary.peakRssAboveBaselineMiB} MiB above a process that only loaded the code (${result.baselineRssMiB} MiB), ${summary.peakRssAboveBaselinePerFileSize} × the file's size`,
    `- of which the encoded splits (float32, ${first.width} columns, handed to the store at once): ${summary.encodedSplitsMiB} MiB; the rest, ${summary.peakRssAboveBaselineAndEncodedMiB} MiB (${round(summary.peakRssAboveBaselineAndEncodedMiB / input.fileMiB, 2)} × the file), is the columns read and what parsing and fitting hold on the way`,
    '',
    '| run | duration (s) | rows/s | peak RSS (MiB) | load average before |',
    '|---:|---:|---:|---:|---:|',
    ...result.runs.map((run) => `| ${run.run} | ${(run.durationMs / 1000).toFixed(1)} | ${run.rowsPerSecond.toLocaleString('en-US')} | ${run.maxRssMiB} | ${run.loadAverageBefore} |`),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
