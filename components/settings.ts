/**
 * The component's side of the one settings resolver (`contract/settings.ts`): the stack it runs in
 * comes from Pulumi, and values known only at deployment are Pulumi Inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolvePipelineSettings, type EmailOn, type PipelineSettings } from "../contract/settings";
import type { OrderPipelineArgs, Tags } from "./args";

/** The arguments with every default applied: what the component builds from. */
export type ComponentSettings = PipelineSettings<pulumi.Input<string>, Tags>;

/** Email on, with Pulumi Inputs. */
export type ComponentEmailOn = EmailOn<pulumi.Input<string>>;

/**
 * Applies every default of {@link OrderPipelineArgs} for the current stack and validates the
 * result; throws an `OrderPipelineArgsError` listing every problem.
 */
export function resolveSettings(name: string, args: OrderPipelineArgs): ComponentSettings {
    return resolvePipelineSettings(name, args, { stack: pulumi.getStack() });
}
