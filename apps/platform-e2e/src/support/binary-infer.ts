/** A client of Triton's binary tensor extension, written from the protocol description, for conformance tests. */
export async function binaryInfer(
  url: string,
  columns: Record<string, number[]>,
  binaryOutputs: string[],
): Promise<{ status: number; contentType: string | null; header: { outputs: { name: string; datatype: string; shape: number[]; parameters?: { binary_data_size?: number }; data?: unknown[] }[] }; outputs: Record<string, unknown[]> }> {
  const names = Object.keys(columns);
  const tensors = names.map((name) => Buffer.from(Float32Array.from(columns[name] ?? []).buffer));
  const header = Buffer.from(
    JSON.stringify({
      inputs: names.map((name, i) => ({ name, datatype: 'FP32', shape: [columns[name]?.length ?? 0], parameters: { binary_data_size: tensors[i]?.length } })),
      outputs: ['probabilities', 'label'].map((name) => ({ name, parameters: { binary_data: binaryOutputs.includes(name) } })),
    }),
  );
  const response = await fetch(url, { method: 'POST', headers: { 'Inference-Header-Content-Length': String(header.length) }, body: Buffer.concat([header, ...tensors]) });
  const body = Buffer.from(await response.arrayBuffer());
  const headerLength = Number(response.headers.get('inference-header-content-length') ?? body.length);
  const json = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
  const outputs: Record<string, unknown[]> = {};
  let offset = headerLength;
  for (const output of json.outputs ?? []) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) {
      outputs[output.name] = output.data;
      continue;
    }
    const bytes = body.subarray(offset, offset + size);
    offset += size;
    outputs[output.name] = output.datatype === 'FP32' ? Array.from({ length: size / 4 }, (_, i) => bytes.readFloatLE(i * 4)) : readBytesElements(bytes);
  }
  return { status: response.status, contentType: response.headers.get('content-type'), header: json, outputs };
}

function readBytesElements(bytes: Buffer): string[] {
  const values: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32LE(at);
    values.push(bytes.subarray(at + 4, at + 4 + length).toString('utf8'));
    at += 4 + length;
  }
  return values;
}
