import type { TargetCheck } from './bench-result';

/** How the serving benches' Markdown reports write their figures, so their tables read alike. */
export const formatMs = (value: number) => value.toFixed(2);
export const formatPerSec = (value: number) => Math.round(value).toLocaleString('en-US');
export const targetLine = (check: TargetCheck) => `- ${check.name}: **${check.value}** (target ${check.target}) — ${check.met ? 'met' : 'not met'}`;
