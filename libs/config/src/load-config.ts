import { ConfigError } from './config.error';
import type { EnvVars, ServiceConfig, ServiceConfigDefinition } from './env-var';

type Environment = Record<string, string | undefined>;

/** Parses every variable of the definition; throws one ConfigError naming each bad variable. */
export function loadConfig<V extends EnvVars>(definition: ServiceConfigDefinition<V>, env: Environment = process.env): ServiceConfig<V> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(definition.variables)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = variable.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const reason = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join(', ');
    const shown = variable.sensitive || raw === undefined ? '' : ` (got "${raw}")`;
    problems.push(`${name}${shown}: ${reason} — ${variable.description}`);
  }
  if (problems.length > 0) throw new ConfigError(definition.service, problems);
  return values as ServiceConfig<V>;
}
