import { dirname, join, sep } from 'node:path';
import type { TfBackend } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from '../errors/backend-unavailable.error';

/** Fastest first: what `auto` tries. */
const AUTO_ORDER: readonly TfBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** Native bindings: optional dependencies (they download libtensorflow on install), so loaded at run time. */
const NATIVE_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

let active: TfBackend | undefined;
let starting: Promise<TfBackend> | undefined;

/** The backend initTensorflow settled on, or undefined before it has. */
export function activeBackend(): TfBackend | undefined {
  return active;
}

/**
 * Activates a TensorFlow.js backend. `auto` takes the first that works of tensorflow-gpu, tensorflow, wasm, cpu.
 * A process (or worker thread) has one backend: once one is active, later calls return it whatever they ask for.
 * @throws BackendUnavailableError when an explicitly requested backend cannot start, naming what to install.
 */
export function initTensorflow(preference: 'auto' | TfBackend): Promise<TfBackend> {
  starting ??= start(preference).then(
    (backend) => (active = backend),
    (error: unknown) => {
      starting = undefined;
      throw error;
    },
  );
  return starting;
}

async function start(preference: 'auto' | TfBackend): Promise<TfBackend> {
  if (preference !== 'auto') return activate(preference);
  for (const backend of AUTO_ORDER.slice(0, -1)) {
    try {
      return await activate(backend);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
    }
  }
  return activate(AUTO_ORDER[AUTO_ORDER.length - 1]);
}

async function activate(backend: TfBackend): Promise<TfBackend> {
  switch (backend) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      loadNative(backend, NATIVE_PACKAGES[backend]);
      // Both packages register their kernels under the one tfjs backend name "tensorflow".
      await switchTo('tensorflow', backend, NATIVE_PACKAGES[backend]);
      return backend;
    case 'wasm': {
      // Loaded only when chosen: importing the package registers "wasm" above "cpu", so a process that never
      // initialises a backend (the registry, which loads imported Layers models) would find its backend not ready.
      const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the wasm backend cannot fetch its .wasm files by URL; point it at the package's dist folder.
      setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep);
      await switchTo('wasm', backend, '@tensorflow/tfjs-backend-wasm');
      return backend;
    }
    case 'cpu':
      await switchTo('cpu', backend, '@tensorflow/tfjs');
      return backend;
  }
}

function loadNative(backend: 'tensorflow-gpu' | 'tensorflow', packageName: string): void {
  try {
    // A run-time require: the package is optional, and importing it is what registers its backend.
    require(packageName);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const missing = err.code === 'MODULE_NOT_FOUND' && err.message.includes(packageName);
    const hint =
      `install it with \`npm install ${packageName}@${tf.version.tfjs}\` (it downloads libtensorflow` +
      `${backend === 'tensorflow-gpu' ? ' for CUDA' : ''}), or choose the wasm or cpu backend`;
    throw new BackendUnavailableError(
      missing
        ? `TensorFlow.js backend "${backend}" needs the optional package ${packageName}, which is not installed: ${hint}`
        : `TensorFlow.js backend "${backend}": ${packageName} is installed but failed to load (${err.message}); ${hint}`,
      backend,
      packageName,
    );
  }
}

async function switchTo(tfName: string, backend: TfBackend, packageName: string): Promise<void> {
  if (!(await tf.setBackend(tfName))) {
    throw new BackendUnavailableError(
      `TensorFlow.js backend "${backend}" failed to initialise (from ${packageName}); see the warning logged above`,
      backend,
      packageName,
    );
  }
  await tf.ready();
}
