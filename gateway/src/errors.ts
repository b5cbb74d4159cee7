/**
 * One error type for everything the gateway reports, with a kind the front ends can branch on
 * and a message in plain words that still carries Snowflake's own code, SQL state and query ID.
 */
export type GatewayErrorKind =
  | 'config' // connections.toml / profile problems: exit 2 in the CLI
  | 'driver-missing'
  | 'auth'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'unknown-procedure'
  | 'not-installed'
  | 'wrong-role'
  | 'already-processed'
  | 'not-found'
  | 'missing-setup' // a consent or enablement the flow needs was never given
  | 'sql';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    readonly details: { code?: string; sqlState?: string; queryId?: string; serverMessage?: string } = {},
  ) {
    super(message);
  }
}

interface DriverErrorLike {
  code?: string | number;
  sqlState?: string;
  message?: string;
  data?: { queryId?: string };
  cause?: { code?: string };
}

// Client-side codes from snowflake-sdk's ErrorCode table.
const NETWORK_CODES = new Set(['401001', '401002', '401003', '401004']);
const TERMINATED = '407002';

/** Maps a driver error to what happened, in words a clean room user recognizes. */
export function mapDriverError(err: unknown, what: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = (err ?? {}) as DriverErrorLike;
  const code = e.code === undefined ? undefined : String(e.code);
  const serverMessage = (e.message ?? String(err)).trim();
  const details = { code, sqlState: e.sqlState, queryId: e.data?.queryId, serverMessage };
  const first = serverMessage.replace(/\s*\n\s*/g, ' ');
  const says = (re: RegExp) => re.test(serverMessage);
  const make = (kind: GatewayErrorKind, plain: string) => new GatewayError(kind, `${plain}${suffix(details)}`, details);

  if (code && NETWORK_CODES.has(code)) return make('network', `${what}: cannot reach Snowflake (network down or wrong host): ${first}`);
  if (code === TERMINATED) return make('cancelled', `${what}: the connection was closed`);
  if (
    ['390100', '390144', '390302', '394304', '390303', '390318'].includes(code ?? '') ||
    says(/incorrect username or password|JWT token is invalid|authentication failed|invalid OAuth access token|programmatic access token is invalid/i)
  )
    return make('auth', `${what}: Snowflake refused the login: ${first}`);
  if (code === '390189' || says(/Role '.*' specified in the connect string is not granted|Requested role .* is not assigned/i))
    return make('wrong-role', `${what}: the role is not granted to this user: ${first}`);
  if (says(/(Database|Schema) '?"?SAMOOHA_BY_SNOWFLAKE_LOCAL_DB/i) && says(/does not exist|not authorized/i))
    return make(
      'not-installed',
      `${what}: Snowflake Data Clean Rooms is not installed in this account, or the current role (usually SAMOOHA_APP_ROLE) cannot use it: ${first}`,
    );
  if (says(/Unknown (user-defined )?(function|procedure)|Unknown function/i) || code === '002140' || code === '002141')
    return make('unknown-procedure', `${what}: unknown procedure (wrong side: provider vs consumer, wrong API generation, or a role without access): ${first}`);
  if (says(/clean ?room .*(is not installed|not installed|does not exist|not found)|cleanroom .*not (been )?installed|application .*does not exist/i))
    return make('not-installed', `${what}: the clean room is not installed or not shared with this account: ${first}`);
  if (says(/already (been )?(approved|rejected|processed)|is not (in )?pending|not in PENDING/i))
    return make('already-processed', `${what}: the request was already approved or rejected: ${first}`);
  if (code === '003001' || says(/Insufficient privileges|not authorized to|does not have (the )?privilege/i))
    return make('wrong-role', `${what}: the current role lacks the privilege (use SAMOOHA_APP_ROLE or a granted run role): ${first}`);
  if (says(/consent/i) && says(/activation/i))
    return make(
      'missing-setup',
      `${what}: the activation set-up is missing: the provider requests consent (provider.request_provider_activation_consent) and the consumer approves it (consumer.approve_provider_activation_consent; 'dcr setup approve-activation-consent'): ${first}`,
    );
  if (says(/provider[ -]run/i) && says(/not (been )?enabled|not allowed|disabled/i))
    return make(
      'missing-setup',
      `${what}: the consumer has not enabled this template for provider-run analysis (consumer.enable_templates_for_provider_run; 'dcr setup enable-provider-run'): ${first}`,
    );
  if (says(/multi-?provider/i) && says(/not (been )?enabled|not allowed/i))
    return make(
      'missing-setup',
      `${what}: multi-provider computation is not enabled for this consumer (provider.enable_multiprovider_computation; 'dcr multiprovider enable'): ${first}`,
    );
  if (says(/request .*(not found|does not exist)|no (such )?request/i)) return make('not-found', `${what}: no such request: ${first}`);
  return make('sql', `${what} failed: ${first}`);
}

function suffix(d: { code?: string; sqlState?: string; queryId?: string }): string {
  const parts: string[] = [];
  if (d.code) parts.push(`Snowflake error ${d.code}`);
  if (d.sqlState) parts.push(`SQL state ${d.sqlState}`);
  if (d.queryId) parts.push(`query ID ${d.queryId}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
