import { fromText } from '@bufbuild/protobuf/txtpb';
import { ModelConfigSchema, type ModelConfig } from './proto/model_config_pb';

/**
 * Parses a config.pbtxt against Triton's own ModelConfig schema, so a misspelt field, an unknown enum value or a
 * value of the wrong type is an error here, as it is for Triton. The parser reports no line numbers; its messages
 * name the field instead. Pushes the problem and answers undefined when the text does not parse.
 */
export function parseModelConfigText(text: string, location: string, problems: string[]): ModelConfig | undefined {
  try {
    return fromText(ModelConfigSchema, text);
  } catch (error) {
    problems.push(`${location}: ${(error as Error).message}`);
    return undefined;
  }
}
