import type { ApiTokenRecord } from '@slipway/contracts';

/** One line per token: name, origin, state, scopes, last use. */
export function formatTokenTable(tokens: readonly ApiTokenRecord[]): string {
  if (tokens.length === 0) return 'no tokens';
  const rows = tokens.map((token) => [token.name, token.source, stateOf(token), token.scopes.join(','), token.lastUsedAt ?? '-']);
  const header = ['NAME', 'SOURCE', 'STATE', 'SCOPES', 'LAST USED'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function stateOf(token: ApiTokenRecord): string {
  if (token.revokedAt !== null) return `revoked ${token.revokedAt}`;
  if (token.expiresAt !== null) return `expires ${token.expiresAt}`;
  return 'active';
}
