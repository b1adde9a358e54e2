import type { z } from 'zod';

/** One environment variable: how to parse it, what it means, and whether its value may be logged. */
export interface EnvVar<T extends z.ZodType = z.ZodType> {
  readonly schema: T;
  readonly description: string;
  /** Sensitive values (passwords, tokens, URLs with credentials) are never logged or echoed in errors. */
  readonly sensitive: boolean;
}

export function envVar<T extends z.ZodType>(schema: T, description: string, options: { sensitive?: boolean } = {}): EnvVar<T> {
  return { schema, description, sensitive: options.sensitive ?? false };
}

export type EnvVars = Record<string, EnvVar>;

export interface ServiceConfigDefinition<V extends EnvVars = EnvVars> {
  readonly service: string;
  readonly variables: V;
}

export type ServiceConfig<V extends EnvVars> = { readonly [K in keyof V]: z.output<V[K]['schema']> };

export function defineServiceConfig<V extends EnvVars>(service: string, variables: V): ServiceConfigDefinition<V> {
  return { service, variables };
}
