// jest's node environment runs each test file in its own realm, with its own typed-array constructors. Native addons
// (onnxruntime-node) create typed arrays in the host realm, and onnxruntime-common checks them with `instanceof`
// against the test realm's constructors, which fails. This environment hands the test realm the host's constructors.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArraysEnvironment;
