/**
 * How every SDK client of the handlers talks to AWS. Without these the SDK waits forever for a
 * connection or a response (its defaults are no timeouts), and a stuck call holds a Lambda until
 * its own timeout.
 */
export const SDK_CONNECTION_TIMEOUT_MS = 1000;
/** Time for one HTTP request and its response. */
export const SDK_REQUEST_TIMEOUT_MS = 3000;
/** Attempts per call, the first included (SDK standard retry mode, with backoff and jitter). */
export const SDK_MAX_ATTEMPTS = 3;

/** Settings shared by the handlers' SDK clients; spread into each client's constructor. */
export interface SdkClientSettings {
    readonly maxAttempts: number;
    readonly requestHandler: {
        readonly connectionTimeout: number;
        readonly requestTimeout: number;
        /** Without it the request timeout only logs a warning (@smithy/node-http-handler 4.x). */
        readonly throwOnRequestTimeout: true;
    };
}

/** Client settings with the handlers' timeouts and bounded retries. */
export function sdkClientSettings(overrides: Partial<{ maxAttempts: number; requestTimeoutMs: number }> = {}): SdkClientSettings {
    return {
        maxAttempts: overrides.maxAttempts ?? SDK_MAX_ATTEMPTS,
        requestHandler: {
            connectionTimeout: SDK_CONNECTION_TIMEOUT_MS,
            requestTimeout: overrides.requestTimeoutMs ?? SDK_REQUEST_TIMEOUT_MS,
            throwOnRequestTimeout: true,
        },
    };
}
