/**
 * The component's argument types: the contract's arguments (`contract/args.ts`, where every field
 * and its default is documented) with Pulumi Inputs for the values known only at deployment.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as contract from "../contract/args";
import type * as auth from "../contract/options/auth";
import type * as events from "../contract/options/events";

/** A string that may be an Output of another resource. */
type In = pulumi.Input<string>;

/** The tag map every taggable resource gets. */
export type Tags = pulumi.Input<Record<string, pulumi.Input<string>>>;

/** Arguments of {@link OrderPipeline}. Every field is optional; the defaults are a working, secure pipeline. */
export type OrderPipelineArgs = contract.OrderPipelineArgs<In, Tags>;
export type ApiArgs = contract.ApiArgs;
export type ThrottleArgs = contract.ThrottleArgs;
export type CorsArgs = contract.CorsArgs;
export type QueueArgs = contract.QueueArgs;
export type ProcessingArgs = contract.ProcessingArgs;
export type FunctionsArgs = contract.FunctionsArgs;
export type TableArgs = contract.TableArgs;
export type EmailArgs = contract.EmailArgs<In>;
export type AlarmsArgs = contract.AlarmsArgs<In>;
export type EncryptionArgs = contract.EncryptionArgs<In>;
export type EventsArgs = events.EventsArgs<In>;
export type EventsSubscriber = events.EventsSubscriber<In>;
export type EventsTarget = events.EventsTarget<In>;
export type AuthArgs = auth.AuthArgs<In>;
export type CognitoArgs = auth.CognitoArgs<In>;
export type { MfaMode } from "../contract/options/auth";
export type { WorkflowsArgs, WorkflowLogLevel } from "../contract/options/workflows";
