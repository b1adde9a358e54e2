import { TritonRepositoryError } from '../../errors/triton-repository.error';
import { readModelConfig } from './model-config';
import { parseModelConfigText } from './model-config-text';
import type { TritonModelConfig } from './triton-model';

/**
 * Parses the config.pbtxt of the model folder `folder` (protobuf text format, against Triton's ModelConfig) and
 * takes what Slipway uses from it.
 * @throws TritonRepositoryError listing every problem: a syntax error, an unknown field, a name other than the
 *   folder's, a datatype without a V2 name (TYPE_BF16), missing dims, a reshape.
 */
export function parseTritonModelConfig(text: string, folder: string): TritonModelConfig {
  const problems: string[] = [];
  const parsed = parseModelConfigText(text, `${folder}/config.pbtxt`, problems);
  const config = parsed && readModelConfig(parsed, folder, problems);
  if (!config || problems.length > 0) throw new TritonRepositoryError(problems);
  return config;
}
