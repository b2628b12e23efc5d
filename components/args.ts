/**
 * The component's argument types: the contract's arguments (`contract/args.ts`, where every field
 * and its default is documented) with Pulumi Inputs for the values known only at deployment.
 *
 * Each type that holds such a value is a named, non-generic interface here (rather than an alias
 * of the generic contract type): Pulumi's schema inference, which turns these types into the
 * package schema for the other languages, reads named interfaces and refuses generic instances.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as contract from "../contract/args";
import type * as auth from "../contract/options/auth";
import type * as events from "../contract/options/events";

/** A string that may be an Output of another resource. */
type In = pulumi.Input<string>;

/** The tag map every taggable resource gets. */
export type Tags = pulumi.Input<Record<string, pulumi.Input<string>>>;

export type ApiArgs = contract.ApiArgs;
export type ThrottleArgs = contract.ThrottleArgs;
export type CorsArgs = contract.CorsArgs;
export type QueueArgs = contract.QueueArgs;
export type ProcessingArgs = contract.ProcessingArgs;
export type FunctionsArgs = contract.FunctionsArgs;
export type TableArgs = contract.TableArgs;
/** Order confirmation emails sent by ProcessOrder through SES. */
export interface EmailArgs extends contract.EmailArgs<In> {}
/** Alarms on the failures users would otherwise miss. */
export interface AlarmsArgs extends contract.AlarmsArgs<In> {}
/** Encryption at rest. */
export interface EncryptionArgs extends contract.EncryptionArgs<In> {}
/** Where a subscriber's events go: exactly one of the three ARNs. */
export interface EventsTarget extends events.EventsTarget<In> {}
/** One consumer of the order events. */
export interface EventsSubscriber extends events.EventsSubscriber<In, EventsTarget> {}
/** The `events` option: a custom bus the pipeline publishes its order events on. */
export interface EventsArgs extends events.EventsArgs<In, EventsSubscriber> {}
/** Sign-in with an Amazon Cognito user pool, existing or created. */
export interface CognitoArgs extends auth.CognitoArgs<In> {}
/** Sign-in for the API: a JWT authorizer on the order routes. */
export interface AuthArgs extends auth.AuthArgs<In, CognitoArgs> {}

/** The component's types for the options that hold deferred values. */
interface ComponentArgTypes extends contract.DeferredArgTypes<In> {
    readonly email: EmailArgs;
    readonly alarms: AlarmsArgs;
    readonly encryption: EncryptionArgs;
    readonly events: EventsArgs;
    readonly auth: AuthArgs;
}

/** Arguments of {@link OrderPipeline}. Every field is optional; the defaults are a working, secure pipeline. */
export interface OrderPipelineArgs extends contract.OrderPipelineArgs<In, Tags, ComponentArgTypes> {}
export type { MfaMode } from "../contract/options/auth";
export type { WorkflowsArgs, WorkflowLogLevel } from "../contract/options/workflows";
