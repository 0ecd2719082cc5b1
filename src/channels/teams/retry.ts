import { HttpError, type ConnectorClient } from '@microsoft/agents-hosting';

/**
 * Retries of the calls to the Bot Framework connector. botbuilder retried a
 * throttled (429) or failing (5xx) call by itself; the Agents SDK's connector
 * client does not, so a busy Teams would cost an answer or a nudge. The wait
 * is the connector's Retry-After when it gives one, else an exponential
 * backoff; after the last retry the error goes to the caller (the scheduler
 * retries nudges later).
 */
export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000 };

function retryable(e: unknown): e is HttpError {
  return e instanceof HttpError && (e.status === 429 || e.status >= 500);
}

function delayOf(e: HttpError, attempt: number, policy: RetryPolicy): number {
  const header = Number(e.response?.headers?.get?.('retry-after'));
  const ms = Number.isFinite(header) && header >= 0 ? header * 1000 : policy.baseDelayMs * 2 ** attempt;
  return Math.min(ms, policy.maxDelayMs);
}

/** Makes every request of this connector client retry as above. */
export function withRetries(client: ConnectorClient, policy: RetryPolicy = DEFAULT_RETRY): ConnectorClient {
  const http = client.httpClient;
  const send = http.request.bind(http);
  http.request = (async (config: Parameters<typeof send>[0]) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await send(config);
      } catch (e) {
        if (!retryable(e) || attempt >= policy.retries) throw e;
        await new Promise((resolve) => setTimeout(resolve, delayOf(e, attempt, policy)));
      }
    }
  }) as typeof http.request;
  return client;
}
