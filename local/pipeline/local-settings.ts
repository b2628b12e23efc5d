/**
 * Local mode's settings come from the component's own resolver (`contract/settings.ts`), with the
 * same argument names, defaults and checks; only plain strings stand where the component takes
 * Pulumi Inputs.
 */
import type { OrderPipelineArgs } from "../../contract/args";
import { RETRY_BASE_DELAY_SECONDS, retryMaxDelaySeconds } from "../../contract/defaults";
import { resolvePipelineSettings, type PipelineSettings } from "../../contract/settings";

/** OrderPipeline arguments as local mode takes them. */
export type LocalArgs = OrderPipelineArgs<string, Record<string, string>>;

/** Resolved settings as local mode runs them. */
export type LocalSettings = PipelineSettings<string, Record<string, string>>;

/** The stack name local mode resolves for when it runs no stack of its own: not production. */
export const LOCAL_STACK = "local";

/**
 * Overrides for tests that need a message back sooner than a deployable visibility timeout allows
 * (at least 6x ProcessOrder's timeout plus the batching window). They bypass that check on
 * purpose; `npm start` never sets them.
 */
export interface LocalOverrides {
    readonly visibilityTimeoutSeconds?: number;
    /**
     * ProcessOrder's first retry delay after a transient failure, in seconds (deployed: 30), or
     * false for no backoff at all (every failed record waits the visibility timeout, as before
     * backoff existed; the outage benchmark compares the two).
     */
    readonly retryBaseDelaySeconds?: number | false;
    /** The shipping workflow's wait for the warehouse, below the deployable minimum of 60 s. */
    readonly shipmentTimeoutSeconds?: number;
    /** The email-events queue's visibility timeout, below the one derived from its function's timeout. */
    readonly emailEventsVisibilityTimeoutSeconds?: number;
}

/** Resolves `args` as the component would for stack `stack`, then applies test overrides. */
export function resolveLocalSettings(name: string, args: LocalArgs = {}, overrides: LocalOverrides = {}, stack = LOCAL_STACK): LocalSettings {
    let settings = resolvePipelineSettings(name, args, { stack });
    if (overrides.visibilityTimeoutSeconds !== undefined) {
        settings = { ...settings, queue: { ...settings.queue, visibilityTimeoutSeconds: overrides.visibilityTimeoutSeconds } };
    }
    if (overrides.shipmentTimeoutSeconds !== undefined && settings.workflows) {
        settings = { ...settings, workflows: { ...settings.workflows, shipmentTimeoutSeconds: overrides.shipmentTimeoutSeconds } };
    }
    return settings;
}

/** ProcessOrder's retry backoff for local settings: the deployed one unless a test override says otherwise. */
export function localRetryBackoff(settings: LocalSettings, overrides: LocalOverrides = {}): { baseDelaySeconds: number; maxDelaySeconds: number } | undefined {
    if (overrides.retryBaseDelaySeconds === false) return undefined;
    return {
        baseDelaySeconds: overrides.retryBaseDelaySeconds ?? RETRY_BASE_DELAY_SECONDS,
        maxDelaySeconds: retryMaxDelaySeconds(settings.queue.visibilityTimeoutSeconds),
    };
}
