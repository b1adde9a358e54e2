import { z } from 'zod';

// Its own file, importing nothing but zod, so the submit-run contract can use it without an import cycle.

/** Experiment names: lowercase letters, digits, ".", "_" and "-", starting with a letter or digit. */
export const EXPERIMENT_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const DEFAULT_EXPERIMENT = 'default';
export const experimentNameSchema = z.string().regex(EXPERIMENT_NAME, 'lowercase letters, digits, ".", "_" and "-", at most 128');
